"""What every spec type shares: strict parsing, errors that point below their field, durations."""

from __future__ import annotations

from typing import Annotated, Any, Callable, Literal

from pydantic import BaseModel, ConfigDict, WithJsonSchema, field_validator

# How durations look in the JSON Schema: seconds, or a number with s / m / h.
Duration = Annotated[
    int,
    WithJsonSchema({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^\d+\s*(s|m|h)$"}]}),
]


class FieldError(ValueError):
    """A ValueError that points below the field its validator checks.

    ``at`` is the rest of the path (a key, an index) that ``load.py`` appends to the field's path,
    so that the message lands on the exact line, e.g. ``secrets.DB_PASSWORD`` rather than ``secrets``.
    """

    def __init__(self, message: str, *, at: tuple[str | int, ...] = ()):
        super().__init__(message)
        self.at = at


class Strict(BaseModel):
    """Base: unknown fields are errors, values are not silently coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def checked(check: Callable[[Any], Any], *fields: str, mode: Literal["before", "after"] = "after", items: bool = False):
    """The validator of ``fields`` that is one named check (``*_checks.py``): ``check(value)``, or with ``items``
    ``check`` on each item (an error points at its item: ``checks.each``). Written in a class body as
    ``_image = checked(check_image, "image")``; like any field validator it is inherited by field name, so a
    subclass that redefines the field (``JobDefaults.image``) keeps the check."""

    def validate(cls, value: Any) -> Any:
        if items:
            from .checks import each

            return each(value, check)
        return check(value)

    return field_validator(*fields, mode=mode)(classmethod(validate))

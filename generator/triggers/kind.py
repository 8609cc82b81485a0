"""What a trigger kind declares: one row of the table ``generator.triggers.KINDS``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:
    from ..model.trigger import TriggerSpec


def nothing_to_check(*_: Any) -> None:
    """The default of the check hooks: a kind with nothing more to check."""


def never_scheduler(_: Any) -> bool:
    return False


def no_shape(_: Any) -> Any:
    return None


@dataclass(frozen=True)
class TriggerWords:
    """One trigger in words: what starts it, at the lengths the outputs need (one source, so they agree)."""

    line: str  # a rule's or schedule's Description and Metadata: "S3 Object Created in uploads (suffix .csv)"
    sentence: str  # the review's trigger table, every detail: "S3 Object Created in bucket uploads, keys ..."
    label: tuple[str, ...]  # the diagram's source node, line by line: ("S3 uploads", "suffix .csv")


@dataclass(frozen=True)
class TriggerKind:
    """A trigger kind: its spec field, how AWS runs it, what its events look like, and its words.

    The hooks take the whole ``TriggerSpec`` (validated field by field; the kind's own field is set).
    """

    name: str  # the spec field that makes a trigger this kind: schedule, s3_upload, event_pattern
    source: str  # what starts it, in the template's architecture line: "S3 Object Created"
    words: Callable[[TriggerSpec], TriggerWords]
    diagram_shape: tuple[str, str]  # Mermaid brackets around the source node's label: ("[(", ")]") a cylinder
    # event fields known to be strings: input-transformer placeholders for them are left unquoted
    string_paths: frozenset[str]
    # the rule's event pattern; None: the kind is not started by events but by a schedule expression
    event_pattern: Callable[[TriggerSpec], dict[str, Any]] | None = None
    # event fields that are objects or lists in every event of this kind, beyond the envelope's
    container_paths: Mapping[str, str] = field(default_factory=dict)
    # True: an EventBridge Scheduler schedule runs it; False: an EventBridge rule
    uses_scheduler: Callable[[TriggerSpec], bool] = never_scheduler
    # raise FieldError when a field only this kind takes is set on a trigger of another kind (named)
    check_options_unused: Callable[[TriggerSpec, str], None] = nothing_to_check
    # raise when this kind's fields do not fit together (once each field is valid on its own)
    check: Callable[[TriggerSpec], None] = nothing_to_check
    # raise when a `$.` path of the overrides cannot be in what this kind delivers
    check_event_paths: Callable[[TriggerSpec], None] = nothing_to_check
    sentence_is_code: bool = False  # the review sentence quotes JSON: Markdown shows it as code
    # event fields whose text can never hold `"`, `\` or a control character: safe inside text, where
    # EventBridge inserts them unescaped (eventbridge/shapes.py)
    text_safe_paths: frozenset[str] = frozenset()
    # what is known of the trigger's events beyond the above (eventbridge/shapes.py ``EventShape``): S3's
    # Object Created for s3_upload, the pinned type of an event pattern; None: nothing more
    shape: Callable[[TriggerSpec], Any] = no_shape

    def string_paths_of(self, trigger: TriggerSpec) -> frozenset[str]:
        shape = self.shape(trigger)
        return self.string_paths | (shape.strings if shape else frozenset())

    def text_safe_paths_of(self, trigger: TriggerSpec) -> frozenset[str]:
        shape = self.shape(trigger)
        return self.text_safe_paths | (shape.text_safe if shape else frozenset())

    def container_paths_of(self, trigger: TriggerSpec) -> dict[str, str]:
        shape = self.shape(trigger)
        return {**self.container_paths, **(shape.containers if shape else {})}

    @property
    def started_by_events(self) -> bool:
        return self.event_pattern is not None

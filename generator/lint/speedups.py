"""speedups: two memos that make cfn-lint's JSON-schema validation cheaper, with the same findings.

Fenced on purpose: nothing else in batchjobs patches cfn-lint, and this module does so only when

- the installed cfn-lint is a version it was checked against (``CHECKED`` prefixes: the code quoted below
  is cfn-lint 1.58.0's; another version may have changed it, so it is then left alone), and
- ``$BATCHJOBS_LINT_SPEEDUPS`` is not ``off`` (or ``0``/``no``/``false``).

What it changes (``install``; ``uninstall`` puts everything back):

1. ``cfnlint.jsonschema.validators.create(validators, function_filter, fn_resolvers)`` builds a new
   ``@dataclass class Validator`` on every call, and ``Validator.extend`` calls it on every
   ``CfnLintJsonSchema.extend_validator`` (several times per resource per template: about 40 classes per
   one-job template, each ``dataclasses._process_class`` plus three ``exec``). The class's behaviour depends
   only on its three arguments: its methods read ``self.validators``, ``self.function_filter`` and
   ``self.fn_resolvers`` (whose defaults are those arguments) and module-level names, and the class has no
   other state (its one class attribute, ``_RESOLVE_MAX_YIELDS``, is a constant int). So ``create`` is
   memoized on the *value* of its arguments:

   - ``validators`` / ``fn_resolvers``: their ``(name, callable)`` items in order. Only plain functions,
     builtins and bound methods are accepted as values (a function compares by identity; a bound method
     by the identity of its object and its function, Python >= 3.8): equal keys mean the very same
     callables. Any other value, and the call is not memoized.
   - ``function_filter``: its type and its dataclass fields (two bools and a list of keyword names, read
     only by its methods). Any field of another kind, and the call is not memoized.

   Sharing is sound because nothing mutates what a class holds: cfn-lint 1.58.0 never assigns into a
   validator's ``validators`` / ``fn_resolvers`` mappings or a ``FunctionFilter``'s fields (its one such
   write, ``rules/functions/GetAtt.py``, rebinds ``evolved.validators`` on one instance, which a shared
   class does not see), and every caller already shares one class's default mapping between all of that
   class's instances. The memo keeps at most ``MAX_CLASSES`` classes (it holds the rules' bound methods;
   rules live as long as their ``Linter`` anyway) and is cleared when full.

2. ``dataclasses.fields(cls)`` walks every field of ``cls`` on each call; cfn-lint calls it in every
   ``Validator.evolve``, ``Context.evolve``, ``Path.descend`` / ``evolve`` and ``FunctionFilter.evolve``
   (about 7,500 times per one-job template). For a class the answer is fixed once ``@dataclass`` has run
   (it is read from the class's ``__dataclass_fields__``, which dataclasses never changes afterwards), so
   the name ``fields`` in those three cfn-lint modules is bound to a memo keyed by the class (instances and
   anything else go to ``dataclasses.fields``).

Proof that the findings stay the same: tests/lint/test_speedups_equivalence.py lints a corpus (our
templates, the goldens, templates built to break dozens of cfn-lint rules) with and without this module
and compares every finding. The lint cache's key includes this file's source (lint/cache.py).
"""

from __future__ import annotations

import dataclasses
import os
import types

ENV = "BATCHJOBS_LINT_SPEEDUPS"
CHECKED = ("1.58.",)  # cfn-lint versions whose code the reasoning above was checked against
MAX_CLASSES = 4096
MAX_FIELD_CLASSES = 8192

_SCALARS = (bool, int, str, type(None))

# what install() replaced, to put back: (module, name, original)
_saved: list[tuple[object, str, object]] = []
_classes: dict[tuple, type] = {}
_fields: dict[type, tuple] = {}
stats = {"create_hits": 0, "create_misses": 0, "create_unkeyed": 0}


def wanted() -> bool:
    """Not turned off by the environment."""
    return os.environ.get(ENV, "").strip().lower() not in ("off", "0", "no", "false")


def supported(version: str | None = None) -> bool:
    """The installed (or given) cfn-lint version is one this module was checked against."""
    if version is None:
        from cfnlint.version import __version__ as version
    return version.startswith(CHECKED)


def installed() -> bool:
    return bool(_saved)


def install() -> bool:
    """Apply both memos when wanted and supported (idempotent); whether they are in effect."""
    if _saved:
        return True
    if not wanted() or not supported():
        return False
    import cfnlint.context.context as context_module
    import cfnlint.jsonschema._filter as filter_module
    import cfnlint.jsonschema.validators as validators_module

    original_create = validators_module.create

    def create(validators=None, function_filter=None, fn_resolvers=None):
        key = _create_key(validators, function_filter, fn_resolvers)
        if key is None:
            stats["create_unkeyed"] += 1
            return original_create(validators, function_filter, fn_resolvers)
        cls = _classes.get(key)
        if cls is None:
            stats["create_misses"] += 1
            cls = original_create(validators, function_filter, fn_resolvers)
            if len(_classes) >= MAX_CLASSES:
                _classes.clear()
            _classes[key] = cls
        else:
            stats["create_hits"] += 1
        return cls

    for module, name, replacement in (
        (validators_module, "create", create),
        (validators_module, "fields", _memo_fields),
        (filter_module, "fields", _memo_fields),
        (context_module, "fields", _memo_fields),
    ):
        original = getattr(module, name)
        if name == "fields" and original is not dataclasses.fields:  # not the code this was checked against
            uninstall()
            return False
        _saved.append((module, name, original))
        setattr(module, name, replacement)
    return True


def uninstall() -> None:
    """Put cfn-lint back as it was and forget every memo."""
    while _saved:
        module, name, original = _saved.pop()
        setattr(module, name, original)
    _classes.clear()
    _fields.clear()


def _memo_fields(class_or_instance):
    if isinstance(class_or_instance, type):
        found = _fields.get(class_or_instance)
        if found is None:
            found = dataclasses.fields(class_or_instance)
            if len(_fields) >= MAX_FIELD_CLASSES:
                _fields.clear()
            _fields[class_or_instance] = found
        return found
    return dataclasses.fields(class_or_instance)


def _create_key(validators, function_filter, fn_resolvers) -> tuple | None:
    """A key equal for two calls only when ``create`` would build classes that behave the same; None: don't memoize."""
    from cfnlint.jsonschema._filter import FunctionFilter

    # create() itself reads a missing argument as {} / FunctionFilter() / {}
    validators_key = _callables_key(validators or {})
    resolvers_key = _callables_key(fn_resolvers or {})
    filter_key = _filter_key(function_filter or FunctionFilter())
    if validators_key is None or resolvers_key is None or filter_key is None:
        return None
    return (validators_key, filter_key, resolvers_key)


def _callables_key(mapping) -> tuple | None:
    if type(mapping) is not dict:
        return None
    items = tuple(mapping.items())
    for name, value in items:
        kind = type(value)
        if type(name) is not str:
            return None
        if kind is types.MethodType:
            if type(value.__func__) is not types.FunctionType:
                return None
        elif kind is not types.FunctionType and kind is not types.BuiltinFunctionType:
            return None
    return items


def _filter_key(function_filter) -> tuple | None:
    if not dataclasses.is_dataclass(function_filter) or isinstance(function_filter, type):
        return None
    if set(vars(function_filter)) != {f.name for f in dataclasses.fields(function_filter)}:
        return None  # an attribute beyond its fields: not a state this key describes
    values: list[object] = [type(function_filter)]
    for field in dataclasses.fields(function_filter):
        value = getattr(function_filter, field.name)
        if isinstance(value, (list, tuple)) and all(type(item) is str for item in value):
            value = (type(value), tuple(value))
        elif type(value) not in _SCALARS:
            return None
        values.append((field.name, value))
    return tuple(values)

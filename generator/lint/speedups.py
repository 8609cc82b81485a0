"""speedups: five shortcuts that make cfn-lint's JSON-schema validation cheaper, with the same findings.

Fenced on purpose: nothing else in batchjobs patches cfn-lint, and this module does so only when

- the installed cfn-lint is a version it was checked against (``CHECKED`` prefixes: the code described below
  is cfn-lint 1.58.0's; another version may have changed it, so it is then left alone), and the five
  modules it patches are byte for byte the ones it was checked against (``CHECKED_SOURCES``), and
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

3. ``CfnLint.cfnLint`` (rule E1101, the ``cfnLint`` keyword of cfn-lint's schemas: about 500 calls per
   one-job template) finds the rules for each keyword by walking every child rule's ``keywords`` (about 200
   rules, 300 keywords) on every call. The same search is answered from an index keyword -> rules (in the
   child rules' order, a rule once per time it lists the keyword), built from the child rules and rebuilt
   whenever they are not the very same objects as when it was built. That is checked at the first call
   after each ``initialize``: ``Rules.run`` initializes every rule at the start of each template, then
   (re-)assigns the child rules, then validates; in cfn-lint 1.58.0 nothing else writes a rule's
   ``child_rules`` but rules' own ``__init__`` and ``Rules``' wiring, so they do not change between that
   check and the end of the template. A rule's ``keywords`` are set in its ``__init__`` and never changed
   afterwards (nothing else assigns or mutates them). Every call otherwise does what the original does,
   in the same order: the same evolved validator, ``rule.validate`` for each match, the same ``err.rule``.
   A keyword that is not a string, or a rule keyword that is not one, and the original runs. This one is
   applied per rule object, by ``install_rules`` (see there why), which ``Linter`` calls on its rules.

4. ``Context.evolve`` (about 3,000 calls per one-job template) copies every field of a frozen dataclass
   into ``kwargs`` with ``setdefault`` and ``getattr``, then runs the generated ``__init__``, which sets the
   17 fields one ``object.__setattr__`` at a time. In cfn-lint 1.58.0 ``Context`` is
   ``@dataclass(frozen=True)`` with every field ``init=True``, no ``__post_init__`` and no ``InitVar``, so
   that ``__init__`` does nothing but store each field: the replacement merges ``ref_values`` exactly as
   the original does, then stores the same field values (the given ones, else the old context's) straight
   into a new object's ``__dict__``, fields only (a ``cached_property`` such as ``module_names`` is computed
   afresh, as after ``__init__``). Anything else (a subclass, a keyword that is not a field, a context
   missing a field in its ``__dict__``) goes to the original, which does (or raises) what it does.

5. ``BaseJsonSchema.extend_validator`` (every schema-based rule, about 40 calls per one-job template) is
   ``validator.extend(...)(schema=schema).evolve(cfn=..., context=..., resolver=RefResolver.from_schema(schema))``:
   the throw-away first instance builds a ``Template(None, {})`` (conditions, graph, context of an empty
   template), evolves its context and builds a resolver, all replaced at once by ``evolve``. The
   replacement makes the same class (``validator.extend``, memoized by item 1) build the final validator
   in one step, ``cls(schema=schema, cfn=..., context=..., resolver=RefResolver.from_schema(schema))``:
   ``evolve`` would have copied ``schema`` and ``function_filter`` (the class default, as here) from the
   throw-away instance and taken the rest as given, and the dataclass ``__init__`` and ``__post_init__``
   then run exactly as they would have. The throw-away instance has no effect beyond CPU: an empty
   template's ``Template`` touches nothing outside itself.

Proof that the findings stay the same: tests/lint/test_speedups_equivalence.py lints a corpus (our
templates, the goldens, templates built to break dozens of cfn-lint rules) with and without this module
and compares every finding. The lint cache's key includes this file's source (lint/cache.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import types
import weakref

ENV = "BATCHJOBS_LINT_SPEEDUPS"
CHECKED = ("1.58.",)  # cfn-lint versions whose code the reasoning above was checked against
# SHA-256 of the cfn-lint 1.58.0 modules whose code the reasoning above was checked against: another
# build of them (a patch release, a local edit) and nothing is patched
CHECKED_SOURCES = {
    "cfnlint.jsonschema.validators": "6494508f68508e392b0caff55d51ce061d2621dd2edaf9ed2621456ebdad3605",
    "cfnlint.jsonschema._filter": "e4af1d28ef36a100111b13bc2af7eef0d8e49fc96c015e0344206d3bffc03971",
    "cfnlint.context.context": "785e6ca7d57cde01cc8aed6d398a192debdfa611831f2a801e7f27de2be31aff",
    "cfnlint.rules.jsonschema.CfnLint": "8e926d507ae4a7712a48f10246521c75fe13f4f45f6d6e90d1bb60d1c914ea9a",
    "cfnlint.rules.jsonschema.Base": "ef503696ce8103624da987dc82032be38f643111f020069a90a2ae6cdc3a10bc",
}
MAX_CLASSES = 4096
MAX_FIELD_CLASSES = 8192

_SCALARS = (bool, int, str, type(None))

# what install() replaced, to put back: (module, name, original)
_saved: list[tuple[object, str, object]] = []
_classes: dict[tuple, type] = {}
_fields: dict[type, tuple] = {}
_patched_rules: list = []  # weak references to the rules install_rules changed
stats = {"create_hits": 0, "create_misses": 0, "create_unkeyed": 0, "dispatch_indexed": 0, "dispatch_original": 0}


def wanted() -> bool:
    """Not turned off by the environment."""
    return os.environ.get(ENV, "").strip().lower() not in ("off", "0", "no", "false")


def supported(version: str | None = None) -> bool:
    """The installed (or given) cfn-lint version is one this module was checked against."""
    if version is None:
        from cfnlint.version import __version__ as version
    return version.startswith(CHECKED)


def sources_checked() -> bool:
    """The cfn-lint modules this patches are byte for byte the ones it was checked against."""
    import cfnlint.context.context as context_module
    import cfnlint.jsonschema._filter as filter_module
    import cfnlint.jsonschema.validators as validators_module
    import cfnlint.rules.jsonschema.Base as base_module
    import cfnlint.rules.jsonschema.CfnLint as cfn_lint_module

    return _sources_checked((validators_module, filter_module, context_module, cfn_lint_module, base_module))


def installed() -> bool:
    return bool(_saved)


def install() -> bool:
    """Apply the speed-ups when wanted and supported (idempotent); whether they are in effect."""
    if _saved:
        return True
    if not wanted() or not supported():
        return False
    import cfnlint.context.context as context_module
    import cfnlint.jsonschema._filter as filter_module
    import cfnlint.jsonschema.validators as validators_module
    import cfnlint.rules.jsonschema.Base as base_module
    import cfnlint.rules.jsonschema.CfnLint as cfn_lint_module

    if not _sources_checked((validators_module, filter_module, context_module, cfn_lint_module, base_module)):
        return False
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
        (context_module.Context, "evolve", _fast_context_evolve(context_module.Context)),
        (base_module.BaseJsonSchema, "extend_validator", _direct_extend_validator(base_module)),
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


def install_rules(rules: dict) -> int:
    """Apply item 3 to a loaded rule set (``Rules.data``): how many rules it was applied to.

    cfn-lint loads its rule files as modules of their own (a rule's class is not the class of the same name
    in ``cfnlint.rules.jsonschema.CfnLint``), so the method is replaced on the rule object, not on a class:
    only on a rule whose ``cfnLint`` is compiled from the very file ``install`` checked, and only while
    ``install``'s patches are in effect. ``uninstall`` takes it off again."""
    if not _saved:
        return 0
    import cfnlint.rules.jsonschema.CfnLint as cfn_lint_module

    checked = cfn_lint_module.CfnLint.cfnLint.__code__
    applied = 0
    for rule in rules.values():
        method = getattr(type(rule), "cfnLint", None)
        code = getattr(method, "__code__", None)
        if code is None or "cfnLint" in vars(rule) or "initialize" in vars(rule):
            continue
        if code.co_filename != checked.co_filename or code.co_code != checked.co_code:
            continue
        dispatch, initialize = _dispatching(method, type(rule).initialize)
        rule.cfnLint = types.MethodType(dispatch, rule)
        rule.initialize = types.MethodType(initialize, rule)
        _patched_rules.append(weakref.ref(rule))
        applied += 1
    return applied


def uninstall() -> None:
    """Put cfn-lint back as it was and forget every memo."""
    while _patched_rules:
        rule = _patched_rules.pop()()
        if rule is not None:
            vars(rule).pop("cfnLint", None)
            vars(rule).pop("initialize", None)
    while _saved:
        module, name, original = _saved.pop()
        setattr(module, name, original)
    _classes.clear()
    _fields.clear()


def _sources_checked(modules) -> bool:
    for module in modules:
        try:
            with open(module.__file__, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except (OSError, TypeError):
            return False
        if CHECKED_SOURCES.get(module.__name__) != digest:
            return False
    return True


def _dispatching(original, original_initialize):
    """``CfnLint.cfnLint`` answering "which child rules take this keyword" from an index, and the rule's
    ``initialize`` that marks the index for a check at the next call (see item 3 above). For one rule object."""
    from cfnlint.jsonschema._utils import Unset

    # the child rules the index was built from, their ids, the index; whether checked since initialize
    state: dict = {"ids": None, "index": None, "checked": False}

    def initialize(self, cfn):
        state["checked"] = False
        return original_initialize(self, cfn)

    def index_for(rule_self):
        if state["checked"]:
            return state["index"]
        rules = tuple(rule_self.child_rules.values())
        ids = tuple(map(id, rules))  # identity: rules compare equal by their id string
        if state["ids"] != ids:
            index: dict[str, list] | None = {}
            for rule in rules:
                if rule is None or not rule.id:
                    continue
                for rule_keyword in rule.keywords:
                    if type(rule_keyword) is not str:
                        index = None  # a keyword compared by more than string equality: use the original
                        break
                    index.setdefault(rule_keyword, []).append(rule)
                if index is None:
                    break
            state.update(rules=rules, ids=ids, index=index)
        state["checked"] = True
        return state["index"]

    def cfnLint(self, validator, keywords, instance, schema):  # noqa: N802 - cfn-lint's keyword name
        index = index_for(self)
        if index is None or type(keywords) not in (list, tuple) or any(type(k) is not str for k in keywords):
            stats["dispatch_original"] += 1
            yield from original(self, validator, keywords, instance, schema)
            return
        stats["dispatch_indexed"] += 1
        validator = validator.evolve(
            function_filter=validator.function_filter.evolve(
                add_cfn_lint_keyword=False,
            )
        )
        for keyword in keywords:
            for rule in index.get(keyword, ()):
                for err in rule.validate(validator, keyword, instance, schema):
                    if err.rule is None:
                        if isinstance(err.validator, Unset):
                            err.rule = rule
                    yield err

    return cfnLint, initialize


def _direct_extend_validator(base_module):
    """``BaseJsonSchema.extend_validator`` without the throw-away first instance (see item 5 above)."""
    def extend_validator(self, validator, schema, context, validators=None):
        all_validators = self._get_validators()
        if validators:
            all_validators.update(validators)
        cls = validator.extend(validators=all_validators)
        return cls(schema=schema, cfn=validator.cfn, context=context, resolver=base_module.RefResolver.from_schema(schema))

    extend_validator.__wrapped__ = base_module.BaseJsonSchema.extend_validator
    return extend_validator


def _fast_context_evolve(context_class):
    """``Context.evolve`` without the per-field loop and ``__init__`` (see item 4 above)."""
    original = context_class.evolve
    fields = dataclasses.fields(context_class)
    if any(not f.init for f in fields) or hasattr(context_class, "__post_init__"):
        return original  # not the class this was checked against: keep the original
    names = tuple(f.name for f in fields)
    allowed = frozenset(names)
    new_object = object.__new__

    def evolve(self, **kwargs):
        old = self.__dict__
        if type(self) is not context_class or not allowed.issuperset(kwargs) or not old.keys() >= allowed:
            return original(self, **kwargs)
        if "ref_values" in kwargs:
            new_ref_values = self.ref_values.copy()
            new_ref_values.update(kwargs["ref_values"])
            kwargs["ref_values"] = new_ref_values
        new = new_object(context_class)
        new.__dict__.update({name: kwargs[name] if name in kwargs else old[name] for name in names})
        return new

    evolve.__wrapped__ = original
    return evolve


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

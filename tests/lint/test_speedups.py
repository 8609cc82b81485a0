"""generator/lint/speedups.py: fenced to the cfn-lint it was checked against, off by env, undone by uninstall,
and memoizing only what it can key exactly. (That findings stay the same: test_speedups_equivalence.py.)"""

from __future__ import annotations

import dataclasses
import functools

import cfnlint.context.context as context_module
import cfnlint.jsonschema._filter as filter_module
import cfnlint.jsonschema.validators as validators_module
import cfnlint.rules.jsonschema.Base as base_module
import pytest
from cfnlint.jsonschema._filter import FunctionFilter
from cfnlint.jsonschema._keywords import maxLength, minLength

from generator.lint import cache, speedups

PATCHED = ((validators_module, "create"), (validators_module, "fields"), (filter_module, "fields"),
           (context_module, "fields"), (context_module.Context, "evolve"),
           (base_module.BaseJsonSchema, "extend_validator"))


@pytest.fixture
def pristine(monkeypatch):
    """cfn-lint as shipped for the test, and the process's state (installed or not) back after it."""
    was = speedups.installed()
    speedups.uninstall()
    monkeypatch.delenv(speedups.ENV, raising=False)
    originals = {(module, name): getattr(module, name) for module, name in PATCHED}
    yield originals
    speedups.uninstall()
    if was:
        speedups.install()


def test_install_patches_and_uninstall_restores_the_very_originals(pristine):
    assert speedups.install() is True
    assert speedups.installed()
    assert all(getattr(module, name) is not pristine[module, name] for module, name in PATCHED)
    assert speedups.install() is True  # idempotent: nothing patched twice
    speedups.uninstall()
    assert not speedups.installed()
    assert all(getattr(module, name) is pristine[module, name] for module, name in PATCHED)


@pytest.mark.parametrize("value", ["off", "0", "no", "FALSE", " Off "])
def test_the_environment_turns_it_off(pristine, monkeypatch, value):
    monkeypatch.setenv(speedups.ENV, value)
    assert speedups.install() is False
    assert all(getattr(module, name) is pristine[module, name] for module, name in PATCHED)


def test_another_cfn_lint_version_is_left_alone(pristine, monkeypatch):
    assert speedups.supported("1.58.0") and speedups.supported("1.58.3")
    assert not speedups.supported("1.59.0") and not speedups.supported("1.5.8") and not speedups.supported("2.58.0")
    monkeypatch.setattr(speedups, "supported", lambda version=None: False)
    assert speedups.install() is False
    assert all(getattr(module, name) is pristine[module, name] for module, name in PATCHED)


def test_code_that_is_not_what_was_checked_is_left_alone(pristine, monkeypatch):
    """A cfn-lint module whose `fields` is no longer dataclasses.fields: nothing is patched, not even `create`."""
    monkeypatch.setattr(context_module, "fields", lambda cls: ())
    assert speedups.install() is False
    assert validators_module.create is pristine[validators_module, "create"]
    assert filter_module.fields is dataclasses.fields


def test_create_is_shared_only_for_the_same_callables_and_filter(pristine):
    speedups.install()
    create = validators_module.create
    first = create({"maxLength": maxLength}, FunctionFilter(), {})
    assert create({"maxLength": maxLength}, FunctionFilter(), {}) is first  # another equal filter: same class
    assert create({"maxLength": maxLength}, FunctionFilter(), None) is first  # create reads None as {}
    assert create({"maxLength": minLength}, FunctionFilter(), {}) is not first
    assert create({"minLength": maxLength}, FunctionFilter(), {}) is not first
    assert create({"maxLength": maxLength}, FunctionFilter(add_cfn_lint_keyword=False), {}) is not first
    assert create({"maxLength": maxLength}, FunctionFilter(validate_dynamic_references=False), {}) is not first
    assert create({"maxLength": maxLength}, FunctionFilter(), {"Ref": maxLength}) is not first


def test_bound_methods_are_keyed_by_their_object(pristine):
    speedups.install()

    class Rule:
        def keyword(self, validator, value, instance, schema):
            return iter(())

    one, two = Rule(), Rule()
    create = validators_module.create
    assert create({"k": one.keyword}) is create({"k": one.keyword})  # a new bound method of the same rule
    assert create({"k": one.keyword}) is not create({"k": two.keyword})


def test_rules_that_compare_equal_by_id_are_still_told_apart(pristine):
    """cfn-lint's rules compare equal when their ids are (two Linters' E3002): the key is their identity."""
    speedups.install()

    class Rule:
        id = "E1"

        def __eq__(self, other):
            return self.id == other.id

        __hash__ = None

        def keyword(self, validator, value, instance, schema):
            return iter(())

    one, two = Rule(), Rule()
    assert one == two
    create = validators_module.create
    assert create({"k": one.keyword}) is create({"k": one.keyword})
    assert create({"k": one.keyword}) is not create({"k": two.keyword})


def test_the_keyword_index_goes_on_the_linters_rule_and_comes_off(pristine, monkeypatch):
    from generator.lint import Linter

    linter = Linter()  # installs
    rule = linter._rules.data["E1101"]  # noqa: SLF001
    assert "cfnLint" in vars(rule) and "initialize" in vars(rule)
    assert speedups.install_rules(linter._rules.data) == 0  # noqa: SLF001 - already there: not twice
    speedups.uninstall()
    assert "cfnLint" not in vars(rule) and "initialize" not in vars(rule)
    assert speedups.install_rules(linter._rules.data) == 0  # noqa: SLF001 - not installed: nothing
    monkeypatch.setenv(speedups.ENV, "off")
    assert "cfnLint" not in vars(Linter()._rules.data["E1101"])  # noqa: SLF001


def test_what_it_cannot_key_exactly_is_not_memoized(pristine):
    speedups.install()
    create = validators_module.create
    partial = functools.partial(maxLength)  # a callable that is neither a function nor a bound method
    assert create({"maxLength": partial}) is not create({"maxLength": partial})
    odd_filter = FunctionFilter()
    odd_filter.extra = object()  # state beyond its fields
    assert create({}, odd_filter) is not create({}, odd_filter)
    unhashable_field = FunctionFilter()
    unhashable_field.group_functions = [["if"]]
    assert create({}, unhashable_field) is not create({}, unhashable_field)


def test_a_shared_class_validates_as_a_fresh_one(pristine):
    schema = {"maxLength": 3}
    original = pristine[validators_module, "create"]({"maxLength": maxLength})
    speedups.install()
    validators_module.create({"maxLength": maxLength})
    shared = validators_module.create({"maxLength": maxLength})
    for instance in ("abc", "abcd"):
        expected = [e.message for e in original(schema=schema).iter_errors(instance)]
        assert [e.message for e in shared(schema=schema).iter_errors(instance)] == expected
    assert [e.message for e in shared(schema=schema).iter_errors("abcd")] == ["expected maximum length: 3, found: 4"]


def test_fields_memo_answers_as_dataclasses_fields(pristine):
    speedups.install()
    memo = context_module.fields
    for cls in (context_module.Context, context_module.Path, FunctionFilter):
        assert memo(cls) == dataclasses.fields(cls)
        assert memo(cls) is memo(cls)
    instance = FunctionFilter()
    assert memo(instance) == dataclasses.fields(instance)  # an instance is passed through, not kept
    with pytest.raises(TypeError):
        memo(object())


def test_the_pinned_cfn_lint_is_the_checked_one():
    """setup.cfg pins cfn-lint 1.58.x; were its bytes to differ, the speed-ups would silently be off."""
    assert speedups.supported() and speedups.sources_checked()


def test_the_lint_cache_key_covers_this_module():
    assert any(path.name == "speedups.py" and path.is_file() for path in cache._SOURCES)  # noqa: SLF001


def test_context_evolve_makes_what_the_original_makes(pristine):
    from cfnlint.context.context import Context, Path

    original = Context.evolve
    speedups.install()
    assert Context.evolve is not original
    base = Context(regions=["us-east-1"], functions=["Ref"], ref_values={"A": 1})
    base.module_names  # noqa: B018 - a cached_property stored in the instance: not a field, not copied
    for changes in ({}, {"path": Path().descend(path="Resources")}, {"ref_values": {"B": 2}},
                    {"strict_types": False, "functions": []}):
        fast, slow = base.evolve(**changes), original(base, **changes)
        assert type(fast) is Context
        assert fast == slow
        assert vars(fast) == vars(slow)
    assert base.evolve(ref_values={"B": 2}).ref_values == {"A": 1, "B": 2}
    assert base.ref_values == {"A": 1}
    with pytest.raises(TypeError):
        base.evolve(not_a_field=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.evolve().regions = []


class _FakeFilter:
    def evolve(self, **_):
        return self


class _FakeValidator:
    function_filter = _FakeFilter()

    def evolve(self, **_):
        return self


class _FakeError:
    def __init__(self, text):
        self.text, self.rule, self.validator = text, None, None


class _FakeChild:
    def __init__(self, rule_id, keywords):
        self.id, self.keywords = rule_id, keywords

    def validate(self, validator, keyword, instance, schema):
        yield _FakeError(f"{self.id}:{keyword}")


class _FakeE1101:
    def __init__(self, children):
        self.child_rules = {getattr(child, "id", f"none{i}"): child for i, child in enumerate(children)}
        self.initialized = 0


def test_the_keyword_index_answers_as_the_walk_and_follows_new_child_rules():
    from cfnlint.rules.jsonschema.CfnLint import CfnLint

    def initialize(self, cfn):
        self.initialized += 1

    dispatch, initialize_wrapper = speedups._dispatching(CfnLint.cfnLint, initialize)  # noqa: SLF001
    a, b = _FakeChild("A", ["K", "L", "K"]), _FakeChild("B", ["K"])
    rule = _FakeE1101([a, None, b, _FakeChild("", ["K"])])

    def both(keywords):
        fast = [e.text for e in dispatch(rule, _FakeValidator(), keywords, {}, {})]
        walk = [e.text for e in CfnLint.cfnLint(rule, _FakeValidator(), keywords, {}, {})]
        return fast, walk

    fast, walk = both(["K", "L", "M"])
    assert fast == walk == ["A:K", "A:K", "B:K", "A:L"]  # order, repeats, rules without an id skipped
    rule.child_rules["B"] = _FakeChild("B", ["L"])  # as Rules.run's wiring would, before a template
    initialize_wrapper(rule, None)
    assert rule.initialized == 1
    fast, walk = both(["K", "L"])
    assert fast == walk == ["A:K", "A:K", "A:L", "B:L"]
    odd = _FakeE1101([_FakeChild("C", [("K",)])])  # a keyword that is not a string: the walk itself
    dispatch_odd, _ = speedups._dispatching(CfnLint.cfnLint, initialize)  # noqa: SLF001
    assert [e.text for e in dispatch_odd(odd, _FakeValidator(), [("K",)], {}, {})] == ["C:('K',)"]


def test_extend_validator_builds_what_the_original_builds(pristine):
    from cfnlint.jsonschema import CfnTemplateValidator
    from cfnlint.template import Template

    from generator.lint import Linter

    original = base_module.BaseJsonSchema.extend_validator
    linter = Linter()  # installs
    assert base_module.BaseJsonSchema.extend_validator is not original
    cfn = Template("t.yaml", {"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}})
    validator = CfnTemplateValidator(schema={}, cfn=cfn)
    schema = {"type": "object", "properties": {"Resources": {"type": "object"}}}
    for rule_id in ("E1001", "E3002", "E6001"):
        rule = linter._rules.data[rule_id]  # noqa: SLF001
        context = validator.context.evolve(strict_types=False)
        fast = rule.extend_validator(validator, schema, context, {"extra": maxLength})
        slow = original(rule, validator, schema, context, {"extra": maxLength})
        assert type(fast) is type(slow)  # the memoized class
        for name in ("schema", "function_filter", "cfn", "context", "validators", "fn_resolvers", "_type_checker",
                     "format_checker"):
            assert getattr(fast, name) is getattr(slow, name), name
        assert type(fast.resolver) is type(slow.resolver) and fast.resolver.referrer is slow.resolver.referrer
        assert [e.message for e in fast.iter_errors({"Resources": []})] == \
            [e.message for e in slow.iter_errors({"Resources": []})] != []

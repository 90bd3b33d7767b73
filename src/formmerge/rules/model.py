"""Rules and rule sets, and binding them to parameters, a date and an application.

A :class:`RuleSet` is what a ``rules.yaml`` holds once read and checked (see
:mod:`formmerge.rules.load`): rules whose conditions are typed syntax trees, and parameter
defaults. :meth:`RuleSet.bind` fixes the parameters, the evaluation date and the fields of the
application, and folds every condition, giving a :class:`BoundRuleSet` that both evaluators
(Python and SQL) work from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import Any

from formmerge.errors import Location, Problem, RuleError
from formmerge.rules.check import value_type
from formmerge.rules.evaluate import Evaluator, Explainer, FoldError, compile_python, fold
from formmerge.rules.nodes import Expr, Type, field_refs

__all__ = ["BoundRule", "BoundRuleSet", "Rule", "RuleSet"]


@dataclass(frozen=True)
class Rule:
    """One eligibility condition with its bilingual message.

    Attributes:
        id: the rule's id, unique in its rule set.
        condition: the condition as written.
        expression: the checked (typed) syntax tree of ``condition``.
        message_zh: what the rule requires, in Chinese; shown when it fails.
        message_en: the same in English.
        forms: ids of the forms (matters) the rule gates; empty for the whole bundle.
        description: a note for maintainers (the legal basis, say).
        line: the line of the condition in its file, if read from one.
    """

    id: str
    condition: str
    expression: Expr = field(repr=False, compare=False)
    message_zh: str
    message_en: str
    forms: tuple[str, ...] = ()
    description: str = ""
    line: int | None = field(default=None, compare=False)

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """The merged field ids (``item@role``) the condition reads, in first-use order."""
        return tuple(dict.fromkeys(r.field_id for r in field_refs(self.expression)))

    def to_dict(self) -> dict[str, Any]:
        """The rule as it is written in a rules file."""
        out: dict[str, Any] = {
            "id": self.id,
            "condition": self.condition,
            "message": {"zh": self.message_zh, "en": self.message_en},
        }
        if self.forms:
            out["forms"] = list(self.forms)
        if self.description:
            out["description"] = self.description
        return out


@dataclass(frozen=True)
class RuleSet:
    """The rules of one bundle or matter, with the defaults of their parameters."""

    id: str
    rules: tuple[Rule, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    param_types: Mapping[str, Type] = field(default_factory=dict)
    reads: tuple[str, ...] = ()
    """Shared-data fields (``item@role``) the rules check that no form asks for; they belong
    to the application for verification, so prefill must read them too."""
    title: str = ""
    source_file: str | None = None

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id. Raises KeyError if there is none."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every merged field id the rules read, in first-use order."""
        return tuple(dict.fromkeys(f for r in self.rules for f in r.fields))

    def to_dict(self) -> dict[str, Any]:
        """The rule set as a rules file holds it."""
        out: dict[str, Any] = {"id": self.id}
        if self.title:
            out["title"] = self.title
        if self.reads:
            out["reads"] = list(self.reads)
        if self.params:
            out["params"] = {
                k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()
            }
        out["rules"] = [r.to_dict() for r in self.rules]
        return out

    def bind(
        self,
        *,
        params: Mapping[str, Any] | None = None,
        as_of: date | None = None,
        fields: Iterable[str] | None = None,
    ) -> BoundRuleSet:
        """Fix parameters, the evaluation date and the application's fields.

        Args:
            params: values overriding the parameter defaults (same types as the defaults).
            as_of: the date ``today()`` stands for; today if not given.
            fields: the merged field ids of the application; a rule reading a field outside them
                and :attr:`reads` is an error. ``None`` skips this check (values absent at
                evaluation are unknown).

        Raises:
            RuleError: an unknown parameter, a parameter of the wrong type, a rule reading a
                field outside ``fields``, or a constant that cannot be computed.
        """
        problems: list[Problem] = []
        where = Location(file=self.source_file)
        values = dict(self.params)
        for name, value in (params or {}).items():
            declared = self.param_types.get(name)
            if declared is None:
                problems.append(
                    Problem("unknown-parameter", f"the rule set has no parameter {name!r}", where)
                )
            elif (given := value_type(value)) is None or not given.same_kind(declared):
                problems.append(
                    Problem(
                        "type-mismatch",
                        f"parameter {name!r} is a {declared}; {value!r} is not",
                        where,
                    )
                )
            else:
                values[name] = tuple(value) if isinstance(value, list) else value
        allowed = None if fields is None else frozenset([*fields, *self.reads])
        day = as_of or date.today()
        bound: list[BoundRule] = []
        for rule in self.rules:
            at = Location(file=self.source_file, line=rule.line, pointer=f"rule {rule.id}")
            outside = [f for f in rule.fields if allowed is not None and f not in allowed]
            for f in outside:
                problems.append(
                    Problem(
                        "not-in-application",
                        f"rule {rule.id!r} reads {f}, which is not a field of the application",
                        at,
                    )
                )
            try:
                folded = fold(rule.expression, values, day)
            except FoldError as exc:
                problems.append(Problem("invalid-constant", f"rule {rule.id!r}: {exc.message}", at))
                continue
            bound.append(BoundRule(rule, folded, compile_python(folded), Explainer(folded)))
        if problems:
            raise RuleError(f"cannot apply the rules of {self.id!r}", problems)
        return BoundRuleSet(self, tuple(bound), MappingProxyType(values), day, allowed)


@dataclass(frozen=True)
class BoundRule:
    """A rule with its condition folded for given parameters and date, ready to evaluate."""

    rule: Rule
    expression: Expr
    evaluate: Evaluator = field(repr=False)
    explain: Explainer = field(repr=False)


@dataclass(frozen=True)
class BoundRuleSet:
    """A rule set bound to parameter values, an evaluation date and (optionally) fields."""

    ruleset: RuleSet
    rules: tuple[BoundRule, ...]
    params: Mapping[str, Any]
    as_of: date
    fields: frozenset[str] | None = None

    @cached_property
    def types(self) -> dict[str, Type]:
        """The rule-language type each field read by the rules is read as."""
        return {
            r.field_id: r.type
            for b in self.rules
            for r in field_refs(b.expression)
            if r.type is not None
        }

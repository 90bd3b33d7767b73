"""Evaluation of checked conditions in Python, with three-valued (Kleene) logic.

A condition is first *folded* (:func:`fold`): parameters are replaced by their values and every
sub-expression that reads no value of the application (``date(enrolment_year, 8, 31)``,
``today()``) is computed once. :func:`compile_python` then turns the folded tree into a closure
over the application's values; ``None`` stands for unknown throughout:

* a comparison, arithmetic or strict function with an unknown operand is unknown;
* ``not unknown`` is unknown;
* ``false and unknown`` is false, ``true and unknown`` unknown;
  ``true or unknown`` is true, ``false or unknown`` unknown.

These are SQL's NULL rules, so :mod:`formmerge.rules.sql` gives the same answers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from formmerge.rules.check import value_type
from formmerge.rules.functions import FUNCTIONS
from formmerge.rules.nodes import (
    Binary,
    Call,
    Compare,
    Constant,
    Expr,
    FieldRef,
    InList,
    Logical,
    Not,
    Param,
    Value,
    children,
    unparse,
)

__all__ = [
    "Env",
    "Evaluator",
    "Explainer",
    "FoldError",
    "compile_python",
    "conjuncts",
    "explain",
    "fold",
]

Env = Mapping[str, Value | None]
"""The application's values read as rule-language values, by merged field id."""

Evaluator = Callable[[Env], Any]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class FoldError(Exception):
    """A constant part of a condition cannot be computed (``date(2026, 2, 30)``)."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


def _reads_values(node: Expr) -> bool:
    return isinstance(node, FieldRef) or any(_reads_values(c) for c in children(node))


def fold(expr: Expr, params: Mapping[str, Any], as_of: date) -> Expr:
    """Bind parameters and compute every part of ``expr`` that reads no application value.

    Args:
        expr: a checked (typed) condition.
        params: the parameter values (lists as lists or tuples).
        as_of: the date ``today()`` stands for.

    Raises:
        FoldError: a constant part cannot be computed, e.g. an impossible date.
    """
    if isinstance(expr, Param):
        value = params[expr.name]
        if isinstance(value, list | tuple):
            value = tuple(_number(v) for v in value)
        return Constant(expr.pos, _number(value), expr.type)
    if isinstance(expr, Constant | FieldRef):
        return expr
    if isinstance(expr, Call) and expr.name == "today":
        return Constant(expr.pos, as_of, expr.type)
    folded = _fold_children(expr, params, as_of)
    if _reads_values(folded):
        return folded
    try:
        if isinstance(folded, Call) and FUNCTIONS[folded.name].strict:
            # arguments are constants by now; call directly so that errors say what is wrong
            args = [a.value for a in folded.args if isinstance(a, Constant)]
            value = FUNCTIONS[folded.name].python(*args)
        else:
            value = compile_python(folded)({})
    except (ValueError, OverflowError, TypeError) as exc:
        raise FoldError(f"cannot compute {unparse(folded)}: {exc}", expr.pos) from None
    if value is None:
        raise FoldError(f"cannot compute {unparse(folded)}", expr.pos)
    return Constant(expr.pos, value, expr.type or value_type(value))


def _number(value: Any) -> Any:
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _fold_children(expr: Expr, params: Mapping[str, Any], as_of: date) -> Expr:
    def f(node: Expr) -> Expr:
        return fold(node, params, as_of)

    if isinstance(expr, Call):
        return replace(expr, args=tuple(f(a) for a in expr.args))
    if isinstance(expr, Not):
        return replace(expr, operand=f(expr.operand))
    if isinstance(expr, Logical | Compare | Binary):
        return replace(expr, left=f(expr.left), right=f(expr.right))
    if isinstance(expr, InList):
        options = expr.options
        if isinstance(options, Param):
            element = options.type.element if options.type is not None else None
            listed = fold(options, params, as_of)
            values = listed.value if isinstance(listed, Constant) else ()
            folded: tuple[Expr, ...] = tuple(
                Constant(options.pos, v, element)
                for v in (values if isinstance(values, tuple) else (values,))
            )
        else:
            folded = tuple(f(o) for o in options)
        return replace(expr, needle=f(expr.needle), options=folded)
    return expr


def compile_python(expr: Expr) -> Evaluator:
    """A function of the application's values that computes ``expr`` (``None``: unknown)."""
    if isinstance(expr, Constant):
        constant = expr.value
        return lambda env: constant
    if isinstance(expr, FieldRef):
        field_id = expr.field_id
        return lambda env: env.get(field_id)
    if isinstance(expr, Param):
        raise ValueError(f"parameter {expr.name!r} is not bound; fold the condition first")
    if isinstance(expr, Call):
        return _call(expr)
    if isinstance(expr, Not):
        inner = compile_python(expr.operand)
        return lambda env: None if (v := inner(env)) is None else not v
    if isinstance(expr, Logical):
        return _logical(expr)
    if isinstance(expr, Compare | Binary):
        return _binary(expr)
    return _in_list(expr)


def _call(expr: Call) -> Evaluator:
    fn = FUNCTIONS[expr.name]
    if fn.name == "today":
        return lambda env: date.today()
    args = [compile_python(a) for a in expr.args]
    impl = fn.python
    if not fn.strict:
        return lambda env: impl(*(a(env) for a in args))

    def call(env: Env) -> Any:
        values = [a(env) for a in args]
        if any(v is None for v in values):
            return None
        try:
            return impl(*values)
        except (ValueError, OverflowError):  # a date moved beyond the calendar's range
            return None

    return call


def _logical(expr: Logical) -> Evaluator:
    left, right = compile_python(expr.left), compile_python(expr.right)
    if expr.op == "and":

        def both(env: Env) -> bool | None:
            lv, rv = left(env), right(env)
            if lv is False or rv is False:
                return False
            return None if lv is None or rv is None else True

        return both

    def either(env: Env) -> bool | None:
        lv, rv = left(env), right(env)
        if lv is True or rv is True:
            return True
        return None if lv is None or rv is None else False

    return either


def _binary(expr: Compare | Binary) -> Evaluator:
    left, right = compile_python(expr.left), compile_python(expr.right)
    op = (
        _COMPARE[expr.op]
        if isinstance(expr, Compare)
        else {"+": operator.add, "-": operator.sub}[expr.op]
    )

    def apply(env: Env) -> Any:
        lv, rv = left(env), right(env)
        return None if lv is None or rv is None else op(lv, rv)

    return apply


def _in_list(expr: InList) -> Evaluator:
    needle = compile_python(expr.needle)
    options = expr.options
    if isinstance(options, Param):
        raise ValueError(f"parameter {options.name!r} is not bound; fold the condition first")
    negated = expr.negated
    if all(isinstance(o, Constant) for o in options):
        constants = frozenset(o.value for o in options if isinstance(o, Constant))

        def lookup(env: Env) -> bool | None:
            v = needle(env)
            return None if v is None else (v in constants) != negated

        return lookup
    values = [compile_python(o) for o in options]

    def member(env: Env) -> bool | None:
        v = needle(env)
        if v is None:
            return None
        found = any(o(env) == v for o in values)
        return found != negated

    return member


# --------------------------------------------------------------------------- explanations


def conjuncts(expr: Expr) -> list[Expr]:
    """The parts of a top-level ``a and b and c`` (the expression itself otherwise)."""
    if isinstance(expr, Logical) and expr.op == "and":
        return conjuncts(expr.left) + conjuncts(expr.right)
    return [expr]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return "unknown"
    return str(value)


@dataclass(frozen=True)
class _Part:
    text: str
    evaluate: Evaluator
    compared: tuple[str, Evaluator, Evaluator] | None


class Explainer:
    """Says why a folded condition came out as it did; built once per condition.

    Names the parts of a top-level ``and`` that are false (for a failure), unknown (for an
    unknown outcome) or, for a pass, all of them; for a comparison also the values compared,
    e.g. ``age_on(child.birth_date, date("2026-08-31")) >= 6 is false (5 >= 6)``.
    """

    def __init__(self, expr: Expr) -> None:
        self.text = unparse(expr)
        self.parts = tuple(
            _Part(
                unparse(part),
                compile_python(part),
                (part.op, compile_python(part.left), compile_python(part.right))
                if isinstance(part, Compare)
                else None,
            )
            for part in conjuncts(expr)
        )

    def __call__(self, env: Env, outcome: bool | None) -> str:
        """The explanation of ``outcome`` on these values, in one line."""
        texts = []
        for part in self.parts:
            value = part.evaluate(env)
            if value is not outcome:
                continue
            text = f"{part.text} is {_shown(value)}"
            if part.compared is not None:
                op, left, right = part.compared
                text += f" ({_shown(left(env))} {op} {_shown(right(env))})"
            texts.append(text)
        return "; ".join(texts) or f"{self.text} is {_shown(outcome)}"


def explain(expr: Expr, env: Env, outcome: bool | None) -> str:
    """Why a folded condition came out as ``outcome`` on these values (see :class:`Explainer`)."""
    return Explainer(expr)(env, outcome)

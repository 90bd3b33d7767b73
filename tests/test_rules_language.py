"""Tokenizer and parser of the rule language."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formmerge.rules.language import RuleSyntaxError, parse_condition, tokenize
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
    unparse,
)


def _strip(node: Any) -> Any:
    """The tree with every position set to 0, to compare shapes."""
    if isinstance(node, tuple):
        return tuple(_strip(n) for n in node)
    if is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: _strip(getattr(node, f.name)) for f in fields(node) if f.name != "pos"}
        return replace(node, pos=0, **changes)
    return node


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("child.birth_date", "child.birth_date"),
        ("age_on(child.birth_date, date(2026, 8, 31)) >= 6", None),
        ("a and b or c", None),
        ("a and (b or c)", None),
        ("not a and b", None),
        ("not (a and b)", None),
        ("x in [1, 2, 3]", None),
        ("applicant.marital_status not in married", None),
        ("-5 < x", None),
        ("1 - (2 - 3) == 2", None),
        ("1 - 2 - 3 == -4", None),
        ("'single' == \"single\"", '"single" == "single"'),
        ('"a\\"b" == x', None),
        ('"line\\nnext\\t" != x', None),
        ("1.5e3 > 2e-3", "1500 > 0.002"),
        ("true != false", None),
        ("  is_present( child.citizen_id )  ", "is_present(child.citizen_id)"),
        ('today() >= date("2026-01-01")', 'today() >= date("2026-01-01")'),
    ],
)
def test_parse_and_unparse(text: str, canonical: str | None) -> None:
    tree = parse_condition(text)
    assert unparse(tree) == (canonical or text)
    assert _strip(parse_condition(unparse(tree))) == _strip(tree)


def test_precedence_and_over_or() -> None:
    tree = parse_condition("a or b and c")
    assert isinstance(tree, Logical) and tree.op == "or"
    assert isinstance(tree.right, Logical) and tree.right.op == "and"


def test_role_item_reference() -> None:
    tree = parse_condition("spouse.citizen_id")
    assert tree == FieldRef(0, "spouse", "citizen_id")
    assert tree.field_id == "citizen_id@spouse"


@pytest.mark.parametrize(
    ("text", "code", "pos"),
    [
        ("1; DROP TABLE x", "rule-syntax", 1),
        ("'a' || (select 1)", "rule-syntax", 4),
        ('"unterminated', "rule-syntax", 0),
        ("x == 'open", "rule-syntax", 5),
        ("x = 1", "rule-syntax", 2),
        ("x.__class__", "unsafe-name", 2),
        ("__import__('os')", "unsafe-name", 0),
        ("_private", "unsafe-name", 0),
        ("a__b", "unsafe-name", 0),
        ("child.birth_date.year", "rule-syntax", 16),
        ("child.birth_date()", "rule-syntax", 16),
        ("f(x)[0]", "rule-syntax", 4),
        ("lambda: 1", "rule-syntax", 6),
        ("1 < x < 3", "rule-syntax", 6),
        ("", "rule-syntax", 0),
        ("   ", "rule-syntax", 0),
        ("(a and b", "rule-syntax", 8),
        ("a and", "rule-syntax", 5),
        ("x in", "rule-syntax", 4),
        ("x not y", "rule-syntax", 2),
        ("child.", "rule-syntax", 6),
        ("x && y", "rule-syntax", 2),
        ("`cmd`", "rule-syntax", 0),
        ("x ** 2", "rule-syntax", 2),
        ("x * 2", "rule-syntax", 2),
        ("a\\b", "rule-syntax", 1),
        ('"\\q"', "rule-syntax", 1),
        ("姓名 == 1", "rule-syntax", 0),
        ("x # comment", "rule-syntax", 2),
        ("{1: 2}", "rule-syntax", 0),
    ],
)
def test_syntax_errors(text: str, code: str, pos: int) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        parse_condition(text)
    assert caught.value.code == code
    assert caught.value.pos == pos


def test_too_deep_and_too_long() -> None:
    with pytest.raises(RuleSyntaxError) as deep:
        parse_condition("(" * 100 + "x" + ")" * 100)
    assert deep.value.code == "rule-too-deep"
    with pytest.raises(RuleSyntaxError) as long:
        parse_condition(" or ".join(["x"] * 2000))
    assert long.value.code == "rule-too-long"


def test_tokens_keep_positions() -> None:
    tokens = tokenize('age_on(child.birth_date, "2026") >= 6')
    assert [(t.kind, t.text, t.pos) for t in tokens[:3]] == [
        ("name", "age_on", 0),
        ("op", "(", 6),
        ("name", "child", 7),
    ]
    assert tokens[-1].kind == "end"


# --------------------------------------------------------------------------- round trip

_names = st.sampled_from(["x", "district", "married", "enrolment_year"])
_atoms: st.SearchStrategy[Expr] = st.one_of(
    st.builds(Constant, st.just(0), st.floats(0, 1e6, allow_nan=False).map(float)),
    st.builds(Constant, st.just(0), st.text(max_size=8)),
    st.builds(Constant, st.just(0), st.booleans()),
    st.builds(FieldRef, st.just(0), st.sampled_from(["child", "applicant"]), _names),
    st.builds(Param, st.just(0), _names),
)


def _extend(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        st.builds(Not, st.just(0), inner),
        st.builds(Logical, st.just(0), st.sampled_from(["and", "or"]), inner, inner),
        st.builds(
            Compare, st.just(0), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), inner, inner
        ),
        st.builds(Binary, st.just(0), st.sampled_from(["+", "-"]), inner, inner),
        st.builds(Call, st.just(0), st.sampled_from(["f", "age_on"]), st.tuples(inner, inner)),
        st.builds(
            InList,
            st.just(0),
            inner,
            st.lists(inner, min_size=1, max_size=3).map(tuple),
            st.booleans(),
        ),
    )


@given(st.recursive(_atoms, _extend, max_leaves=12))
def test_unparse_then_parse_gives_the_same_tree(tree: Expr) -> None:
    assert _strip(parse_condition(unparse(tree))) == _strip(tree)

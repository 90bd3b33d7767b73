"""The registry of problem codes: every code used in src/ is registered and documented."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from formmerge import problem_codes
from formmerge.errors import Location
from formmerge.ingest import PROBLEM_CODES as FORM_CODES
from formmerge.models import FIELD_TYPES
from formmerge.problem_codes import PROBLEM_CODES, problem

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "formmerge"
DOCS = ROOT / "docs" / "errors.md"

KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")
CODE_NAME = re.compile(r"^(code|\w*_CODE)$")
CODE_LIKE = re.compile(r"[a-z]+(?:-[a-z]+)*")
REPORTERS = re.compile(
    r"^(_?(make_)?problem|add|_?fail|_error|_conflict|_Refused|Problem|RuleSyntaxError)$"
)
"""Names of the callables that take a problem code: the records and the helpers making them."""

NOT_CODES = frozenset(
    {
        # formats, encodings, ids and words that are written kebab-case but are not codes
        "citizen-id",
        "date-time",
        # Formily and front-end schema keywords
        "x-component",
        "x-component-props",
        "x-decorator",
        "x-index",
        "x-pattern",
        "x-validator",
        "x-enumNames",
        "x-title-en",
        "x-formmerge",
        "office-use",
        "datetime-local",
        "x-decorator-props",
        "x-props",
        "x-reactions",
        "x-rules",
        "zh-cn",
        # JSON Schema format names
        "idn-email",
        "idn-hostname",
        "iri-reference",
        "json-pointer",
        "relative-json-pointer",
        "uri-reference",
        "uri-template",
        "demo-data",
        "e-licence",
        "multi-select",
        "newborn-birth",
        "postal-code",
        "read-only",
        "region-code",
        "self-declared",
        "utf-8",
        "utf-8-sig",
        "chromium-browser",
        "google-chrome",
        # HTTP header values of the reference page
        "no-referrer",
        "no-store",
    }
)


def _literals(node: ast.AST | None) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _code_positions(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Strings written where a problem code goes: the word-like arguments of a reporter
    (messages have spaces), and what is assigned to ``code`` or ``*_CODE``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and REPORTERS.match(_callee(node)):
            for arg in node.args:
                yield from ((s, node.lineno) for s in _literals(arg) if CODE_LIKE.fullmatch(s))
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if any(CODE_NAME.match(n) for n in names):
                yield from (
                    (s, node.lineno) for s in _literals(node.value) if CODE_LIKE.fullmatch(s)
                )


def _sources() -> list[tuple[str, str]]:
    return [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in SRC.rglob("*.py")]


def test_every_code_written_where_a_code_goes_is_registered() -> None:
    unregistered = [
        f"{name}:{line}: {code!r}"
        for name, text in _sources()
        for code, line in _code_positions(ast.parse(text))
        # a set's .add("string") looks like a reporter's call; value types are not codes
        if code not in PROBLEM_CODES and code not in FIELD_TYPES
    ]
    assert unregistered == []


def test_every_kebab_case_string_in_src_is_a_registered_code_or_a_known_word() -> None:
    strange = sorted(
        {
            f"{name}: {node.value!r}"
            for name, text in _sources()
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and KEBAB.fullmatch(node.value)
            and node.value not in PROBLEM_CODES
            and node.value not in NOT_CODES
        }
    )
    assert strange == []


def test_the_scan_finds_codes_in_every_position() -> None:
    text = (
        'Problem("a-b", "a message")\nself.problem("c-d", m)\nfail(n, "e" if x else "f-g", m)\n'
        'self._conflict(fid, "h-i", "no length fits")\ncode = "j-k" if y else "l"\n'
        'TAMPER_CODE = "m-n"\nAREA_CODE = "0717"\nlen("o-p")\nPlace(code="420500")\n'
    )
    found = [code for code, _ in _code_positions(ast.parse(text))]
    assert sorted(found) == ["a-b", "c-d", "e", "f-g", "h-i", "j-k", "l", "m-n"]


@pytest.mark.parametrize("code", sorted(PROBLEM_CODES))
def test_every_code_is_documented_with_its_example(code: str) -> None:
    entry = PROBLEM_CODES[code]
    lines = DOCS.read_text(encoding="utf-8").splitlines()
    row = next((line for line in lines if line.startswith(f"| `{code}` |")), None)
    assert row is not None, f"{code} has no row in docs/errors.md"
    assert entry.example and entry.example.replace("|", "\\|") in row
    assert entry.title and entry.description.endswith(".")


def test_documented_codes_are_registered() -> None:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \|", DOCS.read_text(encoding="utf-8"), re.M)
    assert len(rows) == len(set(rows))
    assert set(rows) == set(PROBLEM_CODES)


def test_codes_are_kebab_case_and_form_codes_come_from_the_registry() -> None:
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", code) for code in PROBLEM_CODES)
    assert all(code in PROBLEM_CODES for code in FORM_CODES)
    assert all(FORM_CODES[c] == PROBLEM_CODES[c].description for c in FORM_CODES)


def test_no_code_is_registered_twice() -> None:
    entries = [entry for part in problem_codes._PARTS for entry in part.CODES]
    assert len(entries) == len(PROBLEM_CODES)


def test_an_unregistered_code_is_refused() -> None:
    assert problem("syntax-error", "x").code == "syntax-error"
    with pytest.raises(ValueError, match="unregistered"):
        problem("yaml-syntax", "x", Location(file="a.yaml"))


def test_documented_descriptions_are_the_registered_ones() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code, entry in PROBLEM_CODES.items():
        assert f"| `{code}` | {entry.description} |" in text, code

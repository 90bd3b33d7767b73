"""Decisions files: reading, recording, validation against the catalog, alias suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from formmerge.catalog import load_catalog
from formmerge.decisions import Decision, Decisions, load_decisions
from formmerge.errors import DecisionsError
from formmerge.matching import match
from formmerge.models import Field, Form


def test_round_trip_through_a_file(tmp_path: Path) -> None:
    path = tmp_path / "decisions.yaml"
    decisions = Decisions(
        [Decision(form="f", field="xm", item="name", role="spouse", note="checked")],
        same=[("a:x", "b:y")],
    )
    decisions.save(path)
    back = load_decisions(path)
    assert back.items == decisions.items
    assert back.same == decisions.same


def test_a_missing_file_is_an_error_unless_allowed(tmp_path: Path) -> None:
    with pytest.raises(DecisionsError) as err:
        load_decisions(tmp_path / "none.yaml")
    assert err.value.codes == ["file-not-found"]
    empty = load_decisions(tmp_path / "none.yaml", missing_ok=True)
    assert (len(empty), empty.source) == (0, str(tmp_path / "none.yaml"))


def test_record_replaces_an_earlier_decision_on_the_same_field() -> None:
    first = Decision(form="f", field="xm", item="name", status="rejected")
    second = Decision(form="f", field="xm", item="name", status="confirmed")
    assert Decisions([first]).record(second).items == [second]


def test_re_runs_are_stable_with_decisions() -> None:
    form = Form(id="f", fields=(Field(key="zz", label="住址"),))
    decisions = Decisions([Decision(form="f", field="zz", item="hukou_address")])
    first = match(form, decisions=decisions)
    assert first == match(form, decisions=decisions)
    assert (first[0].item, first[0].decided) == ("hukou_address", True)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("decisions:\n  - {field: x, item: no_such_item}\n", "unknown-item"),
        ("decisions:\n  - {field: x, item: name, role: cousin}\n", "unknown-role"),
    ],
)
def test_unknown_items_and_roles_are_errors_with_the_line(
    tmp_path: Path, text: str, code: str
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DecisionsError) as err:
        load_decisions(path).check_against(load_catalog())
    (problem,) = err.value.problems
    assert problem.code == code
    assert problem.location.file == str(path) and problem.location.line == 2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("decisions: [\n", "syntax-error"),
        ("- just a list\n", "not-a-mapping"),
        ("decisions:\n  - {item: name}\n", "invalid-decision"),
        ("decisions:\n  - {field: x, item: name, status: maybe}\n", "invalid-decision"),
        ("decisions: []\nsame: [[not-a-ref]]\n", "bad-file-structure"),
        ("decisions: {item: name}\n", "bad-file-structure"),
    ],
)
def test_malformed_files_name_the_problem(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DecisionsError) as err:
        load_decisions(path)
    assert code in err.value.codes


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        # A typo of the top-level key gave zero decisions without a word.
        ("decision:\n  - {field: x, item: name}\n", "unknown-attribute", 1),
        ("decisions: []\nsaem: []\n", "unknown-attribute", 2),
        # The second list silently replaced the first.
        (
            "decisions:\n  - {field: x, item: name}\ndecisions:\n  - {field: y, item: name}\n",
            "duplicate-mapping-key",
            3,
        ),
        ("decisions:\n  - {field: x, field: y, item: name}\n", "duplicate-mapping-key", 2),
    ],
)
def test_typos_and_keys_written_twice_are_located_errors(
    tmp_path: Path, text: str, code: str, line: int
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DecisionsError) as err:
        load_decisions(path)
    assert [(p.code, p.location.file, p.location.line) for p in err.value.problems] == [
        (code, str(path), line)
    ]
    assert str(path) in str(err.value)


def test_matcher_refuses_decisions_naming_unknown_items() -> None:
    form = Form(id="f", fields=(Field(key="x", label="姓名"),))
    with pytest.raises(DecisionsError):
        match(form, decisions=Decisions([Decision(field="x", item="nope")]))


def test_confirmed_labels_become_alias_suggestions() -> None:
    catalog = load_catalog()
    decisions = Decisions(
        [
            Decision(label="户口所在地详址", item="hukou_address"),
            Decision(label="姓名", item="name"),  # already a name of the item
        ]
    )
    assert decisions.alias_suggestions(catalog) == {"hukou_address": ["户口所在地详址"]}

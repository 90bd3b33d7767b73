"""The interactive review, driven through stdin as a reviewer at a terminal would."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.catalog import load_catalog
from formmerge.cli import main
from formmerge.decisions import Decision, load_decisions
from formmerge.review import review_queue
from formmerge.review_interactive import parse_choice

NEWBORN = next(p for p in list_example_bundles() if p.name == "newborn-birth")


def test_review_i_records_what_is_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    forms = str(NEWBORN / "forms")
    decisions = tmp_path / "decisions.yaml"
    queue = review_queue(load_bundle(NEWBORN).forms)
    first, second = queue.entries[0], queue.entries[1]
    # a wrong answer is asked again; 2 takes the second candidate; then reject; then quit
    monkeypatch.setattr("sys.stdin", io.StringIO("9\n2\nr\nq\n"))
    assert main(["review", forms, "-i", "--decisions", str(decisions)]) == 0
    out = capsys.readouterr().out
    assert "not a choice" in out and first.deciding[:20] in out
    recorded = load_decisions(decisions).items
    assert [(d.form, d.field, d.item, d.role, d.status) for d in recorded] == [
        (first.form, first.key, first.candidates[1].item, first.candidates[1].role, "confirmed"),
        (second.form, second.key, second.item, None, "rejected"),
    ]
    # the confirmed field has left the queue
    assert main(["review", forms, "--decisions", str(decisions)]) == 0
    assert first.key not in capsys.readouterr().out.split("open roles")[0]


def test_the_end_of_input_stops_the_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decisions = tmp_path / "decisions.yaml"
    monkeypatch.setattr("sys.stdin", io.StringIO("s\n"))
    assert main(["review", str(NEWBORN / "forms"), "-i", "--decisions", str(decisions)]) == 0
    assert not decisions.exists()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("", "skip"),
        ("q", "quit"),
        ("1", ("<first>", "father", "confirmed")),
        ("hukou_address@father", ("hukou_address", "father", "confirmed")),
        ("hukou_address", ("hukou_address", None, "confirmed")),
        ("r", ("<first>", None, "rejected")),
        ("4", None),
        ("hukou_address@dad", None),
        ("nothing", None),
    ],
)
def test_parse_choice(answer: str, expected: object) -> None:
    queue = review_queue(load_bundle(NEWBORN).forms)
    entry = queue.entry("birth-medical-certificate:fq/zz")
    got = parse_choice(answer, entry, load_catalog())
    if isinstance(got, Decision):
        assert isinstance(expected, tuple)
        item = entry.candidates[0].item if expected[0] == "<first>" else expected[0]
        assert (got.item, got.role, got.status) == (item, *expected[1:])
        assert (got.form, got.field, got.label) == (entry.form, entry.key, entry.label)
    else:
        assert got == expected

"""The review queue as data: entries with candidates and every reason; decision targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.cli import main
from formmerge.decisions import Decision, Decisions, load_decisions
from formmerge.errors import DecisionsError
from formmerge.models import Form
from formmerge.review import check_decision_targets, review_queue

NEWBORN = next(p for p in list_example_bundles() if p.name == "newborn-birth")


@pytest.fixture(scope="module")
def newborn_forms() -> list[Form]:
    return load_bundle(NEWBORN).forms


def test_the_queue_names_the_field_its_candidates_and_the_deciding_reason(
    newborn_forms: list[Form],
) -> None:
    queue = review_queue(newborn_forms)
    entry = queue.entry("birth-medical-certificate:fq/zz")
    assert (entry.label, entry.section) == ("住址", "父亲信息")
    assert {c.target for c in entry.candidates} >= {
        "hukou_address@father",
        "current_address@father",
    }
    assert entry.deciding.startswith("close runner-up hukou_address")
    # every reason, the deciding one among them, not only the first
    assert entry.deciding in entry.reasons and entry.reasons[0] != entry.deciding
    assert queue.fields == sum(len(f.fields) for f in newborn_forms)
    assert 0 < queue.share < 1


def test_the_bundles_decisions_empty_its_queue(newborn_forms: list[Form]) -> None:
    decisions = load_decisions(NEWBORN / "decisions.yaml")
    assert review_queue(newborn_forms, decisions=decisions).entries == ()


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        (Decision(form="no-such-form", field="fq/zz", item="name"), "unknown-form"),
        (Decision(form="birth-medical-certificate", field="fq/zzz", item="name"), "unknown-field"),
        (Decision(field="nowhere/at_all", item="name"), "unknown-field"),
    ],
)
def test_a_decision_naming_a_missing_form_or_field_is_located(
    newborn_forms: list[Form],
    decision: Decision,
    code: str,
) -> None:
    good = Decision(form="birth-medical-certificate", field="fq/zz", item="hukou_address")
    decisions = Decisions([good, decision], source="d.yaml")
    with pytest.raises(DecisionsError) as err:
        check_decision_targets(decisions, newborn_forms)
    assert err.value.codes == [code]
    assert err.value.problems[0].location.pointer == "/decisions/1"


def test_a_same_group_naming_a_missing_field_is_located(newborn_forms: list[Form]) -> None:
    decisions = Decisions(same=[["birth-registration:sfyjhkb", "birth-registration:nope"]])
    with pytest.raises(DecisionsError) as err:
        check_decision_targets(decisions, newborn_forms)
    assert [p.location.pointer for p in err.value.problems] == ["/same/0/1"]


def test_label_decisions_and_the_example_bundles_decisions_pass() -> None:
    for path in list_example_bundles():
        bundle = load_bundle(path)
        if (path / "decisions.yaml").exists():
            check_decision_targets(load_decisions(path / "decisions.yaml"), bundle.forms)
    check_decision_targets(Decisions([Decision(label="住址", item="name")]), [])


def test_review_bundle_uses_the_bundles_own_decisions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no decisions.yaml here: only the bundle's can empty the queue
    assert main(["review", str(NEWBORN)]) == 0
    out = capsys.readouterr().out
    assert "bundle's decisions" in out and "review queue: 0 of" in out
    assert main(["review", str(NEWBORN / "forms")]) == 0
    assert "review queue: 0 of" not in capsys.readouterr().out


def test_review_with_a_decision_for_a_missing_form_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "d.yaml"
    bad.write_text("decisions:\n  - {form: hopsital, field: x, item: name}\n", encoding="utf-8")
    assert main(["review", str(NEWBORN), "--decisions", str(bad)]) == 2
    out = capsys.readouterr().out
    assert "unknown-form" in out and "d.yaml:2" in out
    assert main(["merge", str(NEWBORN), "--decisions", str(bad)]) == 2


def test_review_without_forms_says_what_to_give(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review"]) == 2
    assert "give forms or bundle directories" in capsys.readouterr().out

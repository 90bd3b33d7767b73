"""The learning-loop benchmark: the simulated analyst and one measurement end to end."""

from __future__ import annotations

from pathlib import Path

from benchmarks.learning import _bundle_truth, analyst_decisions, measure, render
from formmerge import load_catalog
from formmerge.bundle import list_example_bundles, load_bundle

BUNDLES = {p.name: p for p in list_example_bundles()}


def test_the_simulated_analyst_decides_the_queue_by_the_truth() -> None:
    path = BUNDLES["newborn-birth"]
    forms, truth = load_bundle(path).forms, _bundle_truth(path)
    decisions = analyst_decisions(forms, truth, load_catalog(), "newborn")
    got = {(d.form, d.field): (d.item, d.role, d.status) for d in decisions.items}
    assert got[("birth-medical-certificate", "fq/zz")] == ("hukou_address", "father", "confirmed")
    assert all(d.label for d in decisions.items)


def test_a_measurement_learns_only_from_other_forms(tmp_path: Path) -> None:
    catalog = load_catalog()
    measured, teacher = BUNDLES["newborn-birth"], BUNDLES["school-enrolment"]
    teachers = [("school", load_bundle(teacher).forms, _bundle_truth(teacher))]
    forms = load_bundle(measured).forms
    cases = measure(
        "t", "newborn", forms, _bundle_truth(measured), teachers, catalog, tmp_path, (1,)
    )
    (case,) = cases
    assert case.fields == sum(len(f.fields) for f in forms)
    assert 0 < case.review_before <= case.fields and case.decisions > 0
    assert "| t | newborn | 1 |" in render(cases)

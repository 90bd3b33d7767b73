"""Per-subject reports: a real prefill of example bundles from generated demo registers."""

from __future__ import annotations

from pathlib import Path

import pytest

from formmerge.bundle import Bundle, list_example_bundles, load_bundle
from formmerge.catalog import load_catalog
from formmerge.decisions import BUNDLE_DECISIONS, load_decisions
from formmerge.demodata import demo_subjects, generate
from formmerge.merging import merge
from formmerge.models import MergedForm
from formmerge.prefill import Prefill, prefill
from formmerge.report import BundleReport, bundle_report

DEMO_PERSONS = 1000
"""The smallest demo registers that hold every kind of subject."""

CASES = [("enterprise-change", "enterprise"), ("newborn-birth", "newborn_mother")]


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    generate(path, persons=DEMO_PERSONS, progress=False)
    return path, demo_subjects(path)


def _merged(bundle: Bundle) -> MergedForm:
    assert bundle.source_dir is not None
    decisions = bundle.source_dir / BUNDLE_DECISIONS
    return merge(
        bundle.forms,
        load_catalog(),
        decisions=load_decisions(decisions) if decisions.is_file() else None,
        merged_id=bundle.id,
    )


def _reports(
    name: str, subject_kind: str, registers: tuple[Path, dict[str, str]]
) -> tuple[BundleReport, BundleReport, Prefill]:
    path, subjects = registers
    bundle = load_bundle(next(p for p in list_example_bundles() if p.name == name))
    merged = _merged(bundle)
    result = prefill(merged, subjects[subject_kind], connection=str(path))
    return bundle_report(bundle, merged, prefill=result), bundle_report(bundle, merged), result


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_typed_fields_are_the_prefill_results_fields_to_type(
    name: str, kind: str, registers: tuple[Path, dict[str, str]]
) -> None:
    report, static, result = _reports(name, kind, registers)
    assert report.basis == "prefill"
    assert report.figure("fields", "after_prefill") == len(result.to_type)
    assert 0 < report.figure("fields", "after_prefill") < report.figure("fields", "after_merge")
    f = report.fields
    typed = set(f.loc[f["typed"], "merged_into"])
    assert typed == set(result.to_type)
    for row in f[f["prefilled"]].itertuples():
        assert row.prefill_sources == result.values[str(row.merged_into)].source
    # the other figures do not depend on the subject
    for metric in ("applications", "materials", "steps", "trips", "days"):
        assert report.figure(metric, "before") == static.figure(metric, "before")


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_a_subject_eliminates_no_more_than_the_sources_could(
    name: str, kind: str, registers: tuple[Path, dict[str, str]]
) -> None:
    report, static, _ = _reports(name, kind, registers)
    ours = set(report.materials.loc[report.materials["eliminated"], "merged_into"])
    could = set(static.materials.loc[static.materials["eliminated"], "merged_into"])
    assert ours <= could
    assert report.figure("materials", "after_prefill") >= static.figure(
        "materials", "after_prefill"
    )

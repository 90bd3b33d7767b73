"""Cohort reports: batch prefill over a cohort of the demo registers, typed fields per subject."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from formmerge.bundle import Bundle, list_example_bundles, load_bundle
from formmerge.demodata import generate
from formmerge.errors import FormmergeError
from formmerge.merging import merge_bundle
from formmerge.prefill import prefill
from formmerge.report import bundle_report
from formmerge.report.cohort import (
    STATISTICS,
    CohortReport,
    cohort_report,
    cohort_subjects,
    read_cohort_file,
)

COHORT_PERSONS = 10_000
"""The cohort report the issue asks for: demo registers of ten thousand people."""


def _bundle(name: str) -> Bundle:
    return load_bundle(next(p for p in list_example_bundles() if p.name == name))


@pytest.fixture(scope="module")
def newborn(demo_registers: Path) -> tuple[CohortReport, list[str]]:
    name, keys = cohort_subjects("newborn_mothers", demo_registers)
    assert isinstance(keys, list)
    report = cohort_report(_bundle("newborn-birth"), keys, registers=demo_registers, cohort=name)
    return report, keys


def test_typed_fields_per_subject_are_the_subjects_own_prefill(
    newborn: tuple[CohortReport, list[str]], demo_registers: Path
) -> None:
    report, keys = newborn
    assert len(report.subjects) == len(keys)
    merged = merge_bundle(_bundle("newborn-birth"))
    for key, row in zip(keys[:8], report.subjects.head(8).itertuples(), strict=False):
        one = prefill(merged, key, connection=str(demo_registers))
        assert row.typed_fields == len(one.to_type), key
        assert row.typed_fields + row.prefilled_fields == len(merged.fields)


def test_statistics_describe_the_distribution(newborn: tuple[CohortReport, list[str]]) -> None:
    report, keys = newborn
    typed = report.subjects["typed_fields"].to_numpy()
    assert report.statistics["statistic"].tolist() == list(STATISTICS)
    assert report.figure("subjects") == len(keys) > 10
    assert report.figure("median") == pytest.approx(float(np.quantile(typed, 0.5)))
    assert report.figure("p10") <= report.figure("median") <= report.figure("p90")
    assert report.figure("min") <= report.figure("p10")
    static = bundle_report(_bundle("newborn-birth"))
    assert report.figure("static") == static.figure("fields", "after_prefill")
    assert report.figure("after_merge") == static.figure("fields", "after_merge")
    # the histogram counts every subject once, one bar per value from min to max
    assert report.histogram["count"].sum() == len(keys)
    # ... and reaches the static estimate, drawn as a marker
    start = min(report.figure("min"), report.figure("static"))
    assert report.histogram["bin"].iloc[0] == f"{start:g}"
    shares = report.by_field["prefilled_pct"]
    assert ((shares >= 0) & (shares <= 100)).all()


def test_histogram_svg_marks_median_and_static_estimate(
    newborn: tuple[CohortReport, list[str]],
) -> None:
    report, _ = newborn
    svg = report.histogram_svg()
    assert svg.startswith("<svg") and svg.count('class="bar"') == len(report.histogram)
    assert svg.count('class="marker"') == 4
    assert f"中位数 {report.figure('median'):g}" in svg and "静态估计" in svg
    assert "Typed fields per subject" in report.histogram_svg("en")


def test_a_file_of_keys_is_a_cohort(tmp_path: Path, demo_registers: Path) -> None:
    _, keys = cohort_subjects("newborn_mothers", demo_registers)
    file = tmp_path / "mothers.txt"
    file.write_text("# mothers\n" + "\n".join(keys[:3]) + "\n\n", encoding="utf-8")
    name, read = cohort_subjects(str(file), demo_registers)
    assert name == "mothers.txt" and read == keys[:3]
    csv = tmp_path / "mothers.csv"
    csv.write_text("mother\n" + "\n".join(keys[:3]) + "\n", encoding="utf-8")
    table = read_cohort_file(csv)
    report = cohort_report(
        _bundle("newborn-birth"), table, registers=demo_registers, cohort=csv.name
    )
    assert len(report.subjects) == 3


def test_subject_keys_are_masked_in_the_report(newborn: tuple[CohortReport, list[str]]) -> None:
    report, keys = newborn
    shown = report.subjects["subject"].tolist()
    assert not set(shown) & set(keys)
    assert all(s[:3] == k[:3] and s != k for s, k in zip(shown, keys, strict=True))


@pytest.mark.parametrize(
    ("content", "code"),
    [("", "cohort-empty"), ("# only a comment\n\n", "cohort-empty")],
)
def test_an_empty_cohort_file_is_refused(tmp_path: Path, content: str, code: str) -> None:
    file = tmp_path / "keys.txt"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(FormmergeError) as caught:
        read_cohort_file(file)
    assert [p.code for p in caught.value.problems] == [code]
    assert caught.value.problems[0].location.file == str(file)


def test_unknown_cohort_and_foreign_registers_give_located_errors(
    tmp_path: Path, demo_registers: Path
) -> None:
    with pytest.raises(FormmergeError) as caught:
        cohort_subjects("mothers", demo_registers)
    assert caught.value.problems[0].code == "unknown-cohort"
    import duckdb

    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(FormmergeError) as caught:
        cohort_subjects("newborn_mothers", other)
    assert caught.value.problems[0].code == "cohort-query-failed"
    assert caught.value.problems[0].location.file == str(other)


@pytest.fixture(scope="module")
def large_registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    registers = tmp_path_factory.mktemp("large") / "demo.duckdb"
    generate(registers, COHORT_PERSONS, progress=False)
    return registers


def test_cohort_report_on_ten_thousand_person_registers(
    tmp_path: Path, large_registers: Path
) -> None:
    registers = large_registers
    bundle = _bundle("newborn-birth")
    name, keys = cohort_subjects("newborn_mothers", registers)
    report = cohort_report(bundle, keys, registers=registers, cohort=name)
    assert report.figure("subjects") == len(keys) > 50
    assert report.figure("p10") <= report.figure("median") <= report.figure("p90")
    # the static estimate assumes every register holds every item: subjects type at least it
    assert report.figure("min") >= report.figure("static")
    page = tmp_path / "cohort.html"
    from formmerge.report.render import html_report

    html_report(
        [bundle_report(bundle)], page, extra={bundle.id: [report.section()]}, title=bundle.title
    )
    text = page.read_text("utf-8")
    assert "群体预填：新生儿母亲" in text and 'class="chart histogram"' in text


@pytest.mark.slow  # about ten thousand subjects, one split each: about a minute
def test_cohort_of_every_person_in_ten_thousand_person_registers(large_registers: Path) -> None:
    bundle = _bundle("retirement")
    name, keys = cohort_subjects("persons", large_registers)
    assert len(keys) > 9_000
    report = cohort_report(bundle, keys, registers=large_registers, cohort=name)
    assert report.figure("subjects") == len(keys)
    assert report.histogram["count"].sum() == len(keys)
    assert report.figure("p10") <= report.figure("median") <= report.figure("p90")
    assert report.figure("max") <= report.figure("after_merge")

"""Figures that could be misread carry their explanation."""

from __future__ import annotations

import pytest

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.report import BundleReport, bundle_report
from formmerge.report.notes import basis_text, days_note, summary_with_notes


@pytest.fixture(scope="module")
def reports() -> list[BundleReport]:
    return [bundle_report(load_bundle(d)) for d in list_example_bundles()]


@pytest.mark.parametrize(
    ("declared", "critical", "words"),
    [(66, 168, "高于承诺的 66 天"), (30, 16, "不高于承诺的 30 天"), (10, 10, "不高于")],
)
def test_days_note_says_which_way_the_critical_path_goes(
    declared: float, critical: float, words: str
) -> None:
    assert words in days_note(declared, critical)
    english = days_note(declared, critical, "en")
    assert ("exceeds" in english) == (critical > declared)


def test_summary_notes_explain_the_critical_path(reports: list[BundleReport]) -> None:
    for report in reports:
        notes = summary_with_notes(report.summary, report).set_index("metric")["note"]
        critical = report.figure("days_critical_path")
        declared = report.figure("days")
        assert f"{critical:g} 天" in notes["days_critical_path"]
        assert ("高于承诺" in notes["days_critical_path"]) == (critical > declared)
        assert notes["fields"] and notes["applications"] == ""


def test_typed_for_one_department_only_is_part_of_what_it_types(
    reports: list[BundleReport],
) -> None:
    for report in reports:
        d = report.by_department
        assert (d["fields_typed_own"] <= d["fields_typed"]).all()
        assert (d["fields_typed"] <= d["fields_after_merge"]).all()
        # typed once for one department, or shared: never more than the bundle's typed fields
        own = int(d["fields_typed_own"].sum())
        assert own <= report.figure("fields", "after_prefill")
        f = report.fields
        shared_typed = f[f["typed"]].groupby("merged_into")["department"].nunique()
        assert own == int((shared_typed == 1).sum())


def test_the_basis_is_said_plainly() -> None:
    assert "演示数据源配置" in basis_text("static: demo")
    assert "未指定 --sources" in basis_text("static: demo")
    assert "registers.yaml" in basis_text("static: registers.yaml")
    assert "one subject" in basis_text("prefill", "en")

"""XLSX export: one worksheet per table, opened back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.report import bundle_report, portfolio_report
from formmerge.report.messages import header, metric_name
from formmerge.report.workbook import CONTENTS_SHEET, MAX_SHEET_NAME, sheet_names


def _example(name: str) -> Path:
    return next(p for p in list_example_bundles() if p.name == name)


def test_bundle_workbook_has_one_sheet_per_table(tmp_path: Path) -> None:
    report = bundle_report(load_bundle(_example("newborn-birth")))
    book = load_workbook(report.to_xlsx(tmp_path / "r.xlsx"))
    assert book.sheetnames == [CONTENTS_SHEET["zh"], *report.tables()]
    summary = book["summary"]
    rows = list(summary.iter_rows(values_only=True))
    assert rows[0][:3] == (header("metric"), header("before"), header("after_merge"))
    assert rows[0][-1] == "解读"
    by_metric = {r[0]: r for r in rows[1:]}
    fields = by_metric[metric_name("fields")]
    assert fields[1] == report.figure("fields", "before")  # numbers stay numbers
    assert isinstance(fields[1], int)
    assert "关键路径" in by_metric[metric_name("days_critical_path")][-1]
    # every row of every table is there, with booleans in words
    for name, frame in report.tables().items():
        assert book[name].max_row == len(frame) + 1, name
    materials = list(book["materials"].iter_rows(values_only=True))
    eliminated = materials[0].index(header("eliminated"))
    assert {r[eliminated] for r in materials[1:]} <= {"是", "否"}
    contents = list(book[CONTENTS_SHEET["zh"]].iter_rows(values_only=True))
    assert contents[1] == ("summary", "summary", len(report.summary))


def test_portfolio_workbook_names_sheets_within_excels_limit(tmp_path: Path) -> None:
    portfolio = portfolio_report([load_bundle(d) for d in list_example_bundles()])
    path = portfolio.to_xlsx(tmp_path / "p.xlsx", lang="en")
    book = load_workbook(path)
    sheets = portfolio.sheets("en")
    assert len(book.sheetnames) == len(sheets) + 1
    assert all(len(n) <= MAX_SHEET_NAME for n in book.sheetnames)
    contents = {r[1]: r[0] for r in book["contents"].iter_rows(min_row=2, values_only=True)}
    assert set(contents) == set(sheets)
    # the table behind a cut name is found through the contents sheet
    key = "school-enrolment.by_department"
    sheet = book[contents[key]]
    assert sheet.cell(1, 1).value == "Department"
    assert sheet.max_row == len(sheets[key]) + 1


@given(st.lists(st.text(min_size=1, max_size=50), min_size=1, max_size=30, unique=True))
def test_sheet_names_are_valid_and_unique(keys: list[str]) -> None:
    names = sheet_names(dict.fromkeys(keys))
    assert list(names) == keys
    assert len({n.lower() for n in names.values()}) == len(keys)
    for name in names.values():
        assert 0 < len(name) <= MAX_SHEET_NAME
        assert not set(name) & set("[]:*?/\\")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_headers_are_words(tmp_path: Path, lang: str) -> None:
    report = bundle_report(load_bundle(_example("retirement")))
    book = load_workbook(report.to_xlsx(tmp_path / "r.xlsx", lang=lang))
    for sheet in book.worksheets[1:]:
        heads = [c.value for c in sheet[1]]
        assert not [h for h in heads if isinstance(h, str) and "_" in h], sheet.title

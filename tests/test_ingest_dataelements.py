"""Tests for formmerge.ingest.dataelements: 数据元 lists in CSV and XLSX read into forms."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formmerge.catalog import load_catalog
from formmerge.errors import FormError
from formmerge.ingest import load_form
from formmerge.ingest._sheets import Sheet
from formmerge.ingest._valueranges import CodeSetIndex, parse_value_range, standard_numbers
from formmerge.ingest.dataelements import is_data_element_table
from tests.ingest_support import (
    FORMS,
    comparable,
    documented_files,
    load_error,
    note_rows,
    problem_rows,
)

DATA = FORMS / "dataelements"
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


def test_a_data_element_list_reads_to_the_same_form_as_its_native_twin() -> None:
    form = load_form(DATA / "chusheng.csv")
    assert comparable(form) == comparable(load_form(DATA / "chusheng.yaml"))
    assert note_rows(form) == [
        ("kept-in-description", "info", "column '计量单位'"),
        ("unresolved-code-set", "warning", "column '值域'"),
    ]
    assert [note.line for note in form.notes] == [1, 10]


def test_a_workbook_with_a_title_row_reads_like_the_csv(tmp_path: Path) -> None:
    with (DATA / "chusheng.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "数据元"
    sheet.append(["出生登记数据元目录"])
    for row in rows:  # numbers as numbers, as a spreadsheet holds them
        sheet.append([int(c) if re.fullmatch(r"[1-9]\d*", c) else (c or None) for c in row])
    workbook.save(tmp_path / "chusheng.xlsx")
    shutil.copy(DATA / "chusheng.meta.yaml", tmp_path / "chusheng.meta.yaml")
    form = load_form(tmp_path / "chusheng.xlsx")
    assert comparable(form) == comparable(load_form(DATA / "chusheng.csv"))
    assert form.notes[1].pointer == "数据元!G11 (column '值域')"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("见GB/T 2261.1", ["sex"]),
        ("GB/T 2261.2-2003", ["marital_status"]),
        ("GB 4761—2008", ["family_relation"]),
        ("代码集：GA/T 517", ["id_document_type"]),
        ("GB/T 2261", ["marital_status", "sex"]),  # a family of parts: which one is not said
        ("GB/T 26341", ["disability_level", "disability_type"]),
        ("GB/T 99999", []),
    ],
)
def test_standards_resolve_to_the_catalog_code_lists_that_follow_them(
    text: str, expected: list[str]
) -> None:
    index = CodeSetIndex(load_catalog())
    assert sorted(c.id for c in index.resolve(standard_numbers(text)[0])) == expected


@pytest.mark.parametrize(
    ("text", "options", "bounds", "free"),
    [
        ("1=男;2=女", [("1", "男"), ("2", "女")], None, ""),
        ("1-男，2-女", [("1", "男"), ("2", "女")], None, ""),
        ("0，数据交换；1，在线填报", [("0", "数据交换"), ("1", "在线填报")], None, ""),
        ("是、否", [("是", "是"), ("否", "否")], None, ""),
        ("0～150", [], (0, 150), ""),
        ("见附录A", [], None, "见附录A"),
        ("与营业执照登记的住所一致，不得简写", [], None, "与营业执照登记的住所一致，不得简写"),
    ],
)
def test_value_range_cells(
    text: str, options: list[tuple[str, str]], bounds: tuple[int, int] | None, free: str
) -> None:
    found = parse_value_range(text)
    assert found.options == options and found.text == free
    assert (found.minimum, found.maximum) == (bounds or (None, None))


def data_element_csv(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "de.csv"
    path.write_text("数据项名称,数据项编码,数据类型,长度,是否必填,值域\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("姓名,xm,字符型,50,是,\n性别,xb,性别型,,,\n", [("unknown-type", 3, "column '数据类型'")]),
        ("姓名,xm,字符型,五十,是,\n", [("invalid-number", 2, "column '长度'")]),
        ("姓名,xm,字符型,50,也许,\n", [("invalid-boolean", 2, "column '是否必填'")]),
        ("姓名,xm,,,,,多余\n", [("extra-cell", 2, "column ''")]),
        ("姓名,xm,,,,\n姓名,xm,,,,\n", [("duplicate-key", 3, "column '数据项编码'")]),
        (",,字符型,10,,\n", [("empty-field", 2, None)]),
    ],
)
def test_malformed_data_element_lists_name_the_row_and_the_cell(
    tmp_path: Path, body: str, expected: list[tuple[str, int, str | None]]
) -> None:
    path = data_element_csv(tmp_path, body)
    error = load_error(path)
    assert [(code, line, cell) for code, _, line, cell in problem_rows(error)] == expected
    assert str(path) in str(error)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"数据类型": "varchar(32)"}, {"max_length": 32}),
        ({"数据类型": "C..50"}, {"max_length": 50}),
        ({"数据类型": "N8"}, {"type": "number", "description": "长度：8"}),
        ({"数据类型": "数值型", "精度": "0"}, {"type": "integer"}),
        ({"数据类型": "数值型", "小数位": "2"}, {"type": "number", "description": "精度：2"}),
        ({"数据类型": "decimal(10,0)"}, {"type": "integer", "description": "长度：10,0"}),
        ({"允许为空": "否"}, {"required": True}),
        ({"英文名称": "name"}, {"description": "英文名称：name"}),
        ({"约束条件": "O"}, {}),
        ({"表示格式": "an..20"}, {"max_length": 20}),
        ({"数据类型": "代码型", "值域": "GB/T 2261"},
         {"description": "值域：GB/T 2261"}),
    ],
)  # fmt: skip
def test_data_element_columns_map_to_field_attributes(
    tmp_path: Path, cells: dict[str, str], expected: dict[str, Any]
) -> None:
    headers = ["数据项名称", "标识符", *cells]
    path = tmp_path / "de.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([headers, ["姓名", "xm", *cells.values()]])
    field = load_form(path).fields[0].to_dict()
    assert field == {"key": "xm", "label": "姓名", **expected}


def test_a_family_of_standards_is_a_located_warning(tmp_path: Path) -> None:
    path = data_element_csv(tmp_path, "婚姻,hy,代码型,2,,GB/T 2261\n")
    form = load_form(path)
    assert note_rows(form) == [("unresolved-code-set", "warning", "column '值域'")]
    assert "(sex, marital_status)" in form.notes[0].message


@pytest.mark.parametrize(
    ("header", "data_elements"),
    [
        ("数据项名称,数据类型,值域", True),
        ("数据元名称,标识符,数据类型", True),
        ("中文名称,内部标识符", True),
        ("字段代码,字段名称,类型,必填", False),  # formmerge's own field list
        ("数据项编码,说明", False),  # no name column
    ],
)
def test_the_layout_is_told_by_its_headers(header: str, data_elements: bool) -> None:
    sheet = Sheet(None, [(1, ["目录"]), (2, header.split(",")), (3, ["x"] * 3)])
    assert is_data_element_table(sheet) is data_elements


def test_the_real_vocabulary_of_a_government_data_template_reads(tmp_path: Path) -> None:
    """Field names of the Yichang public-credit templates, as a 数据元 list."""
    source = REFERENCE / "yichang-data-templates.txt"
    if not source.is_file():
        pytest.skip(f"the reference templates are not at {source}")
    rows = [line.split(" | ") for line in source.read_text("utf-8").splitlines()[1:]]
    first = [r for r in rows if len(r) == 3 and r[0] == rows[0][0]]
    path = tmp_path / "bmd.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["序号", "数据项编码", "数据项名称", "说明"])
        for number, (_, key, label) in enumerate(first, start=1):
            name, _, rest = label.partition("：")
            writer.writerow([number, key, name, rest])
    form = load_form(path)
    assert [f.key for f in form.fields] == [key for _, key, _ in first]
    assert any(f.description for f in form.fields)


# --------------------------------------------------------------------------- properties

TYPES = ["字符型", "数值型", "日期型", "日期时间型", "代码型", "布尔型", "整数型", ""]
VALUES = ["", "见GB/T 2261.1", "1=是;2=否", "0-9", "见GB/T 12345", "自由文字", "GB/T 2261"]
CELL = st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=6)


@st.composite
def rows(draw: st.DrawFn) -> list[list[str]]:
    count = draw(st.integers(1, 6))
    return [
        [f"k{i}", draw(CELL) or f"名{i}", draw(st.sampled_from(TYPES)),
         draw(st.sampled_from(["", "10", "1..9", "x"])),
         draw(st.sampled_from(["", "是", "否", "?"])), draw(st.sampled_from(VALUES)), draw(CELL)]
        for i in range(count)
    ]  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows())
def test_every_row_is_a_field_or_a_located_problem(body: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "de.csv"
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(
            ["数据项编码", "数据项名称", "数据类型", "长度", "是否必填", "值域", "单位"]
        )
        writer.writerows(body)
        path.write_text(text.getvalue(), encoding="utf-8")
        try:
            form = load_form(path)
        except FormError as error:
            assert all(p.location.file == str(path) and p.location.line for p in error.problems)
            bad_rows = {p.location.line for p in error.problems}
            assert bad_rows <= set(range(2, len(body) + 2))
            return
    assert [f.key for f in form.fields] == [row[0] for row in body]
    for field, row in zip(form.fields, body, strict=True):
        if row[6].strip():  # a column with no attribute: its value is kept
            assert row[6].strip() in field.description


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(CELL, max_size=8), max_size=6))
def test_arbitrary_cells_under_a_data_element_header_give_a_form_or_a_form_error(
    body: list[list[str]],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "de.csv"
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(
            ["序号", "数据项名称", "标识符", "数据类型", "长度", "约束条件", "值域", "表示格式"]
        )
        writer.writerows(body)
        path.write_text(text.getvalue(), encoding="utf-8")
        try:
            load_form(path)
        except FormError as error:
            assert error.problems and all(p.location.file == str(path) for p in error.problems)


def test_the_documented_data_element_list_reads_as_documented(tmp_path: Path) -> None:
    assert "renkou.csv" in documented_files(tmp_path)
    form = load_form(tmp_path / "renkou.csv")
    sex = form.field("xb")
    assert sex.type == "enum" and [o.code for o in sex.options] == ["0", "1", "2", "9"]
    assert form.field("csrq").date_format == "%Y%m%d"
    assert form.field("sfzhm").min_length == form.field("sfzhm").max_length == 18
    assert [o.label for o in form.field("hklx").options] == ["家庭户", "集体户"]
    assert note_rows(form) == [("unresolved-code-set", "warning", "column '值域'")]

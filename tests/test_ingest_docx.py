"""Tests for the Word table-form reader (formmerge.ingest.word), on documents built here."""

from __future__ import annotations

import collections
import re
import tempfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.errors import FormError
from formmerge.ingest import load_form
from formmerge.models import Form

HTML_TWIN = """<html><body><h1>个体工商户变更登记申请表</h1><table>
<tr><td rowspan="2">经营者</td><td>姓名</td><td></td><td>性别</td><td>□男 □女</td></tr>
<tr><td>身份证号</td><td></td><td>电话</td><td></td></tr>
<tr><td>变更事项</td><td>原</td><td colspan="3">现</td></tr>
<tr><td>经营场所</td><td></td><td colspan="3"></td></tr>
<tr><td rowspan="3">从业人员</td><td>姓名</td><td colspan="3">身份证号</td></tr>
<tr><td></td><td colspan="3"></td></tr>
<tr><td></td><td colspan="3"></td></tr>
<tr><td>审核意见</td><td colspan="4"></td></tr>
</table></body></html>"""
"""The same form as an HTML table, to show both readers give the same fields."""


def write_change_form(path: Path, *, placeholders: bool = False) -> None:
    """A 5-column change-registration form with merged cells, built with python-docx."""
    document = docx.Document()
    document.add_paragraph("编号：")
    document.add_heading("个体工商户变更登记申请表", level=0)
    table = document.add_table(rows=8, cols=5)
    cell = table.cell
    cell(0, 0).merge(cell(1, 0)).text = "经营者"
    for row, col, text in [
        (0, 1, "姓名"),
        (0, 3, "性别"),
        (0, 4, "□男 □女"),
        (1, 1, "身份证号"),
        (1, 3, "电话"),
        (2, 0, "变更事项"),
        (2, 1, "原"),
        (3, 0, "经营场所"),
        (4, 1, "姓名"),
        (7, 0, "审核意见"),
    ]:
        cell(row, col).text = text
    cell(2, 2).merge(cell(2, 4)).text = "现"
    cell(3, 2).merge(cell(3, 4))
    cell(4, 0).merge(cell(6, 0)).text = "从业人员"
    for row in (4, 5, 6):
        cell(row, 2).merge(cell(row, 4))
    cell(4, 2).text = "身份证号"
    cell(7, 1).merge(cell(7, 4))
    if placeholders:
        cell(0, 2).text = "${jyzxm!DefaultValue}"
        cell(1, 2).text = "${jyzsfzh}"
        cell(1, 4).text = "${lxdh}"
        cell(3, 1).text = "${yjycs}"
        cell(3, 2).text = "${xjycs}"
        cell(7, 1).text = "${shyj}"
    document.add_paragraph("申请人（签字）：")
    document.save(str(path))


def rows(form: Form) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    return [
        (
            f.path,
            f.label,
            " > ".join(g.label + ("*" if g.repeating else "") for g in f.group),
            f.type,
            tuple(o.label for o in f.options),
        )
        for f in form.fields
    ]


def test_a_word_form_reads_like_its_html_twin(tmp_path: Path) -> None:
    write_change_form(tmp_path / "biangeng.docx")
    (tmp_path / "biangeng.html").write_text(HTML_TWIN, encoding="utf-8")
    word = load_form(tmp_path / "biangeng.docx")
    html = load_form(tmp_path / "biangeng.html")
    assert rows(word) == rows(html)
    assert rows(word) == [
        ("经营者/姓名", "姓名", "经营者", "string", ()),
        ("经营者/性别", "性别", "经营者", "enum", ("男", "女")),
        ("经营者/身份证号", "身份证号", "经营者", "string", ()),
        ("经营者/电话", "电话", "经营者", "string", ()),
        ("原/经营场所", "经营场所", "原", "string", ()),
        ("现/经营场所", "经营场所", "现", "string", ()),
        ("从业人员/姓名", "姓名", "从业人员*", "string", ()),
        ("从业人员/身份证号", "身份证号", "从业人员*", "string", ()),
    ]
    assert (word.id, word.title) == ("biangeng", "个体工商户变更登记申请表")
    # Word keeps a cell for each row a merged cell covers: row 6's first value is its cell 2
    assert [(n.code, n.pointer) for n in word.notes] == [
        ("repeated-rows", "table 1, row 6, cell 2"),
        ("office-use-skipped", "table 1, row 8, cell 2"),
        ("declaration-skipped", "paragraph 3"),
    ]


def test_placeholders_in_a_word_form_are_the_field_keys(tmp_path: Path) -> None:
    write_change_form(tmp_path / "tpl.docx", placeholders=True)
    form = load_form(tmp_path / "tpl.docx")
    assert [(f.key, f.label) for f in form.fields] == [
        ("jyzxm", "姓名"),
        ("jyzsfzh", "身份证号"),
        ("lxdh", "电话"),
        ("yjycs", "经营场所"),
        ("xjycs", "经营场所"),
    ]
    skipped = {n.code for n in form.notes}
    assert {"office-use-skipped", "blank-cell-skipped"} <= skipped
    assert any("${shyj}" in n.message for n in form.notes)


def test_the_largest_font_before_the_table_is_the_title(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("网上申请编号：")
    run = document.add_paragraph().add_run("临时占用城市道路审批申请表")
    run.font.size = Pt(22)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "申请单位"
    document.save(str(tmp_path / "zhanyong.docx"))
    form = load_form(tmp_path / "zhanyong.docx")
    assert form.title == "临时占用城市道路审批申请表"
    assert [f.label for f in form.fields] == ["申请单位"]


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04 broken"])
def test_a_file_that_is_not_a_word_document_is_a_located_error(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    with pytest.raises(FormError) as error:
        load_form(path)
    assert error.value.codes == ["unreadable-file"]
    assert error.value.problems[0].location.file == str(path)


def test_a_word_document_without_tables_or_slots_is_empty(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("只有一段文字")
    document.save(str(tmp_path / "text.docx"))
    with pytest.raises(FormError) as error:
        load_form(tmp_path / "text.docx")
    assert error.value.codes == ["empty-file"]


_LABELS = ["姓名", "联系电话", "审核意见", "经办人签字", "地址", "受理日期"]
_PLACEHOLDER = re.compile(r"\$\{([^{}!?]*)[^{}]*\}")


@st.composite
def label_placeholder_rows(draw: st.DrawFn) -> list[list[tuple[str, str]]]:
    """Rows of two label/placeholder pairs; codes repeat, some labels are office use."""
    pair = st.tuples(st.sampled_from(_LABELS), st.sampled_from(["xm", "lxdh", "dz", "test"]))
    return draw(st.lists(st.lists(pair, min_size=2, max_size=2), min_size=1, max_size=5))


@settings(max_examples=25, deadline=None)
@given(label_placeholder_rows())
def test_every_placeholder_of_a_word_table_is_a_field_or_in_a_note(
    table_rows: list[list[tuple[str, str]]],
) -> None:
    document = docx.Document()
    table = document.add_table(rows=len(table_rows), cols=4)
    for r, pairs in enumerate(table_rows):
        for c, (label, code) in enumerate(pairs):
            table.cell(r, 2 * c).text = label
            table.cell(r, 2 * c + 1).text = f"${{{code}!DefaultValue}}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.docx"
        document.save(str(path))
        form = load_form(path)
    written = collections.Counter(code for pairs in table_rows for _, code in pairs)
    as_fields = collections.Counter(f.key.split("~")[0] for f in form.fields)
    in_notes = collections.Counter(
        m for n in form.notes if n.severity == "info" for m in _PLACEHOLDER.findall(n.message)
    )
    assert as_fields + in_notes == written

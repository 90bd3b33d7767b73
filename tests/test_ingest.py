"""Tests for formmerge.ingest: four form formats read into the same Form, and their problems."""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import formmerge.ingest as ingest
from formmerge.errors import FormError, Location
from formmerge.ingest import PROBLEM_CODES, form_from_dict, is_form_file, load_form, load_forms
from formmerge.ingest._columns import parse_bool, parse_options
from formmerge.ingest._problems import make_problem
from formmerge.models import FIELD_TYPES, Field, Form, Group, Material, Option, Process

DATA = Path(__file__).parent / "data" / "forms"
DOCS = Path(__file__).parent.parent / "docs" / "forms.md"


def comparable(form: Form) -> Form:
    """The form without the file it was read from and the reader's notes on it."""
    return form.model_copy(update={"source_file": None, "notes": ()})


def problem_rows(error: FormError) -> list[tuple[str, str | None, int | None, str | None]]:
    """Each problem as (code, file name, line, pointer), for comparison with a table."""
    return [
        (p.code, Path(p.location.file).name if p.location.file else None, p.location.line,
         p.location.pointer)
        for p in error.problems
    ]  # fmt: skip


def load_error(path: Path) -> FormError:
    with pytest.raises(FormError) as caught:
        load_form(path)
    return caught.value


def write_xlsx(target: Path, *, title_row: bool = True) -> Path:
    """hukou.csv as a workbook: a title row, a 字段 sheet and a 材料 sheet, beside a sidecar."""
    with (DATA / "hukou.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"  # type: ignore[union-attr]
    workbook.active.append(["字段清单见“字段”工作表"])  # type: ignore[union-attr]
    fields = workbook.create_sheet("字段")
    if title_row:
        fields.append(["户口迁入登记申请表 字段清单"])
        fields.append([])
    for row in rows:  # numbers as numbers, as a spreadsheet holds them; codes like 01 stay text
        fields.append([int(c) if re.fullmatch(r"[1-9]\d*", c) else (c or None) for c in row])
    materials = workbook.create_sheet("材料")
    materials.append(["材料名称", "形式", "必需", "材料类型", "证明事项"])
    materials.append(["居民户口簿", "原件", None, None, None])
    materials.append(["居民身份证", "复印件", None, None, "citizen_id;name"])
    materials.append(["结婚证", "复印件", "否", "marriage_certificate", None])
    materials.append(["出生医学证明", None, False, None, None])
    workbook.save(target)
    meta = yaml.safe_load((DATA / "hukou.meta.yaml").read_text(encoding="utf-8"))
    del meta["materials"]
    sidecar = target.with_name(target.stem + ".meta.yaml")
    sidecar.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return target


# --------------------------------------------------------------------------- twins


@pytest.mark.parametrize(
    ("twin", "original"),
    [
        ("hukou_native.json", "hukou.yaml"),
        ("hukou.schema.json", "hukou.yaml"),
        ("hukou.csv", "hukou.yaml"),
        ("sf424.schema.json", "sf424.yaml"),
    ],
)
def test_each_format_reads_to_the_same_form_as_its_native_twin(twin: str, original: str) -> None:
    assert comparable(load_form(DATA / twin)) == comparable(load_form(DATA / original))


def test_an_xlsx_field_list_reads_to_the_same_form_as_its_native_twin(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "hukou.xlsx")
    assert comparable(load_form(workbook)) == comparable(load_form(DATA / "hukou.yaml"))


def test_a_gb18030_csv_reads_like_its_utf8_original(tmp_path: Path) -> None:
    text = (DATA / "hukou.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "hukou.csv").write_bytes(text.encode("gb18030"))
    shutil.copy(DATA / "hukou.meta.yaml", tmp_path / "hukou.meta.yaml")
    assert comparable(load_form(tmp_path / "hukou.csv")) == comparable(
        load_form(DATA / "hukou.csv")
    )


def test_the_household_form_keeps_codes_groups_and_date_formats() -> None:
    form = load_form(DATA / "hukou.yaml")
    assert form.source_file == str(DATA / "hukou.yaml")
    assert form.field("xb").options == (Option(code="1", label="男"), Option(code="2", label="女"))
    assert [o.code for o in form.field("mz").options] == ["01", "02", "03", "04", "05"]
    assert form.field("csrq").date_format == "%Y年%m月%d日"
    assert form.field("po/sfzhm").group == (Group(key="po", label="配偶信息"),)
    assert form.field("zn/xm").repeating and not form.field("po/xm").repeating
    assert form.materials[0] == Material(name="居民户口簿")
    assert form.process == Process(steps=3, trips=2, days=20)


def test_the_grant_schema_maps_refs_arrays_and_formats() -> None:
    form = load_form(DATA / "sf424.schema.json")
    assert form.id == "sf424" and form.language == "en" and form.subject == "organization"
    assert form.field("applicant/street1").required
    assert form.field("applicant/zip_code").group == (Group(key="applicant", label="Applicant"),)
    kinds = form.field("applicant_type_code")
    assert (kinds.type, kinds.format, len(kinds.options)) == ("enum", "multi-select", 6)
    item = form.field("additional_project_title/item")
    assert item.format == "uuid" and item.repeating
    assert form.field("email").format == "email"
    assert form.field("date_signed").type == "date"


def test_every_example_form_file_loads() -> None:
    examples = Path(__file__).parent.parent / "examples"
    files = [p for p in sorted(examples.rglob("forms/*")) if is_form_file(p)]
    for form in load_forms(files):
        assert form.fields


# --------------------------------------------------------------------------- malformed input

BAD_INPUTS: list[tuple[str, str, list[tuple[str, str, int | None, str | None]]]] = [
    (
        "syntax.yaml",
        "id: x\nfields:\n  - key: a\n    label: [\n",
        [("syntax-error", "syntax.yaml", 5, None)],
    ),
    (
        "syntax.json",
        '{"id": "x",\n "fields": [\n  {"key": "a",}\n ]}',
        [("syntax-error", "syntax.json", 3, None)],
    ),
    (
        "type.yaml",
        "id: birth\nfields:\n  - key: xm\n  - key: xb\n    label: 性别\n    type: sex\n",
        [("unknown-type", "type.yaml", 6, "/fields/1/type")],
    ),
    (
        "empty.yaml",
        "id: x\nfields:\n  - {key: xm}\n  - {key: '', label: ' '}\n",
        [("empty-field", "empty.yaml", 4, "/fields/1")],
    ),
    (
        "dup.yaml",
        "id: x\nfields:\n  - key: xm\n  - key: xm\n    group: po\n  - key: xm\n",
        [("duplicate-key", "dup.yaml", 6, "/fields/2/key")],
    ),
    (
        "enum.yaml",
        "id: x\nsections:\n  - key: po\n    fields:\n      - key: xb\n        type: enum\n",
        [("missing-options", "enum.yaml", 5, "/sections/0/fields/0")],
    ),
    (
        "range.json",
        '{"id": "x", "fields": [\n {"key": "nl", "type": "integer",\n  "minimum": 150,\n'
        '  "maximum": 0}]}',
        [("min-greater-than-max", "range.json", 3, "/fields/0/minimum")],
    ),
    (
        "typo.yaml",
        "id: x\nfields:\n  - key: xm\n    lable: 姓名\n",
        [("unknown-attribute", "typo.yaml", 4, "/fields/0/lable")],
    ),
    (
        "conflict.yaml",
        "id: x\nfields:\n  - {key: xm, group: [{key: po, label: 配偶}]}\n"
        "  - {key: xb, group: [{key: po, label: 配偶信息}]}\n",
        [("group-conflict", "conflict.yaml", 4, "/fields/1/group/0/label")],
    ),
    (
        "twice.yaml",
        "id: x\ntitle: a\ntitle: b\n",
        [("duplicate-mapping-key", "twice.yaml", 3, "/title")],
    ),
    (
        # A section without fields used to vanish from the form without a word.
        "empty-section.yaml",
        "id: x\nfields:\n  - key: xm\n  - key: po\n    label: 配偶\n    fields: []\n",
        [("empty-group", "empty-section.yaml", 6, "/fields/1/fields")],
    ),
    (
        "empty-sections.yaml",
        "id: x\nfields: [{key: xm}]\nsections:\n  - {key: po, label: 配偶}\n",
        [("empty-group", "empty-sections.yaml", 4, "/sections/0")],
    ),
    (
        "date.yaml",
        "id: x\nfields:\n  - key: csrq\n    examples: [2026-02-30]\n    type: datum\n",
        [("unknown-type", "date.yaml", 5, "/fields/0/type")],
    ),
    ("list.yaml", "- key: xm\n", [("not-a-mapping", "list.yaml", 1, None)]),
    ("blank.yaml", "# nothing yet\n", [("empty-file", "blank.yaml", 1, None)]),
    (
        "cycle.schema.json",
        '{"type": "object", "$defs": {\n "p": {"properties": {\n  "kids": {"type": "array",'
        ' "items": {"$ref": "#/$defs/p"}}}}},\n "properties": {"p": {"$ref": "#/$defs/p"}}}',
        [("ref-cycle", "cycle.schema.json", 3, "/$defs/p/properties/kids/items/$ref")],
    ),
    (
        "type.schema.json",
        '{"type": "object",\n "properties": {\n  "a": {"type": "text"}}}',
        [("unsupported-schema", "type.schema.json", 3, "/properties/a/type")],
    ),
    (
        "type.csv",
        "key,label,type\nxm,姓名,string\nxb,性别,sex\n",
        [("unknown-type", "type.csv", 3, "column 'type'")],
    ),
    (
        "required.csv",
        "字段代码,字段名称,必填\nxm,姓名,也许\n",
        [("invalid-boolean", "required.csv", 2, "column '必填'")],
    ),
    (
        "length.csv",
        "key,label,max_length\nxm,姓名,五十\n",
        [("invalid-number", "length.csv", 2, "column 'max_length'")],
    ),
    ("header.csv", "字段,说明\nxm,姓名\n", [("missing-column", "header.csv", 1, None)]),
    (
        "column.csv",
        "key,label,colour\nxm,姓名,red\n",
        [("unknown-column", "column.csv", 1, "column 'colour'")],
    ),
    (
        "extra.csv",
        "key,label\nxm,姓名,red\n",
        [("extra-cell", "extra.csv", 2, "column ''")],
    ),
    (
        "options.csv",
        "key,label,options\nxb,性别,=男;2=女\n",
        [("invalid-options", "options.csv", 2, "column 'options'")],
    ),
    ("quote.csv", 'key,label\n"xm,姓名\n', [("syntax-error", "quote.csv", 2, None)]),
    ("broken.xlsx", "not a workbook", [("unreadable-file", "broken.xlsx", None, None)]),
    ("form.txt", "key: xm", [("unknown-file-format", "form.txt", None, None)]),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS]
)
def test_malformed_input_names_the_file_and_the_place(
    tmp_path: Path, name: str, content: str, expected: list[tuple[str, str, int | None, str | None]]
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    error = load_error(path)
    assert problem_rows(error) == expected
    assert str(path) in str(error)


def test_a_missing_file_is_named() -> None:
    error = load_error(DATA / "no-such-form.yaml")
    assert error.codes == ["file-not-found"]
    assert "no-such-form.yaml" in str(error)


def test_a_problem_in_the_sidecar_is_located_in_the_sidecar(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("key,label\nxm,姓名\n", encoding="utf-8")
    (tmp_path / "f.meta.yaml").write_text("id: f\ndepartmnt: 公安局\n", encoding="utf-8")
    assert problem_rows(load_error(tmp_path / "f.csv")) == [
        ("unknown-attribute", "f.meta.yaml", 2, "/departmnt")
    ]


def test_a_sidecar_material_without_a_name_is_located_in_the_sidecar(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("key,label\nxm,姓名\n", encoding="utf-8")
    (tmp_path / "f.meta.yaml").write_text("id: f\nmaterials:\n  - {}\n", encoding="utf-8")
    assert problem_rows(load_error(tmp_path / "f.csv")) == [
        ("missing-attribute", "f.meta.yaml", 3, "/materials/0")
    ]


def test_a_problem_in_a_workbook_names_the_cell(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "fields"
    for row in (["key", "label", "type"], ["xm", "姓名", None], ["xb", "性别", "sex"]):
        sheet.append(row)
    workbook.save(tmp_path / "f.xlsx")
    assert problem_rows(load_error(tmp_path / "f.xlsx")) == [
        ("unknown-type", "f.xlsx", 3, "fields!C3 (column 'type')")
    ]


def test_every_problem_in_a_file_is_reported_in_one_error(tmp_path: Path) -> None:
    path = tmp_path / "birth.yaml"
    path.write_text(
        """\
id: birth
fields:
  - key: xm
    label: 姓名
  - key: xb
    type: sex
  - key: csrq
    type: enum
  - key: xm
  - key: nl
    min_length: 5
    max_length: 2
    pattern: '[a-'
    lable: 年龄
materials: [{name: 出生医学证明, kind: paper}]
""",
        encoding="utf-8",
    )
    assert [(code, line) for code, _, line, _ in problem_rows(load_error(path))] == [
        ("unknown-type", 6),
        ("missing-options", 7),
        ("duplicate-key", 9),
        ("min-greater-than-max", 11),
        ("invalid-pattern", 13),
        ("unknown-attribute", 14),
        ("invalid-value", 15),
    ]


def test_load_forms_reports_the_problems_of_every_file_and_repeated_ids(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: same\nfields: [{key: xm}]\n", encoding="utf-8")
    (tmp_path / "b.json").write_text('{"id": "same"}', encoding="utf-8")
    (tmp_path / "c.yaml").write_text("id: c\nfields: [{key: xb, type: sex}]\n", encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_forms([tmp_path])
    assert problem_rows(caught.value) == [
        ("duplicate-form-id", "b.json", None, None),
        ("unknown-type", "c.yaml", 2, "/fields/0/type"),
    ]


def test_load_forms_reads_a_directory_in_name_order_without_sidecars(tmp_path: Path) -> None:
    shutil.copy(DATA / "hukou.csv", tmp_path / "2-hukou.csv")
    shutil.copy(DATA / "hukou.meta.yaml", tmp_path / "2-hukou.meta.yaml")
    shutil.copy(DATA / "sf424.schema.json", tmp_path / "1-sf424.schema.json")
    (tmp_path / "notes.txt").write_text("not a form", encoding="utf-8")
    assert [f.id for f in load_forms([tmp_path])] == ["sf424", "hukou"]


# --------------------------------------------------------------------------- conveniences


def test_native_conveniences_read_as_the_plain_model() -> None:
    form = form_from_dict(
        {
            "fields": [
                {"label": "姓名"},
                {"key": "xb", "type": "enum", "options": {1: "男", "2": "女"}},
                {"key": "hy", "type": "enum", "options": ["已婚", {"code": 10, "label": "未婚"}]},
                {"key": "xm", "group": "po", "examples": [1990]},
                {"key": "dz", "label": "地址", "group": "po/dz"},
                {"key": "po", "label": "配偶", "fields": [{"key": "csrq", "type": "date"}]},
            ],
            "sections": [{"key": "zn", "repeating": True, "fields": [{"key": "xm"}]}],
            "materials": ["居民户口簿"],
        },
        "forms/hukou-lite.yaml",
    )
    assert form.id == "hukou-lite"
    assert [f.path for f in form.fields] == [
        "姓名",
        "xb",
        "hy",
        "po/xm",
        "po/dz/dz",
        "po/csrq",
        "zn/xm",
    ]
    assert form.field("xb").options == (Option(code="1", label="男"), Option(code="2", label="女"))
    assert [(o.code, o.label) for o in form.field("hy").options] == [
        ("已婚", "已婚"),
        ("10", "未婚"),
    ]
    assert form.field("po/xm").group == (Group(key="po", label="配偶"),)
    assert form.field("po/xm").examples == ("1990",)
    assert form.field("zn/xm").repeating
    assert form.materials == (Material(name="居民户口簿"),)


def test_yaml_scalars_that_look_like_numbers_dates_or_booleans_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(
        "id: f\nfields:\n  - key: yn\n    type: enum\n    options: {Y: 是, N: 否, no: 否, 07: 七}\n"
        "    examples: [2025-05-16, 0701, yes]\n",
        encoding="utf-8",
    )
    field = load_form(path).field("yn")
    assert [o.code for o in field.options] == ["Y", "N", "no", "07"]
    assert field.examples == ("2025-05-16", "0701", "yes")


def test_form_from_dict_reads_a_json_schema_and_locates_by_pointer() -> None:
    schema = {"type": "object", "properties": {"xm": {"title": "姓名", "maxLength": -1}}}
    assert form_from_dict({**schema, "properties": {"xm": {}}}, "f.schema.json").id == "f"
    with pytest.raises(FormError) as caught:
        form_from_dict({**schema, "x-formmerge": {"id": "f"}})
    assert problem_rows(caught.value) == [
        ("invalid-value", "<form data>", None, "/properties/xm/maxLength")
    ]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": ["string", "null"], "maxLength": 5}, {"max_length": 5}),
        ({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10},
         {"type": "integer", "minimum": 1, "maximum": 9}),
        ({"type": "number", "minimum": 1, "exclusiveMinimum": 0.5},
         {"type": "number", "minimum": 1}),
        ({"type": "string", "format": "date-time"}, {"type": "datetime"}),
        ({"type": "string", "format": "binary"}, {"type": "file"}),
        ({"type": "boolean", "description": "是否"}, {"type": "boolean", "description": "是否"}),
        ({"const": "Y"}, {"type": "enum", "options": [{"code": "Y", "label": "Y"}]}),
        ({"enum": [1, 2, None], "enumNames": ["男", "女", "无"]},
         {"type": "enum", "options": [{"code": "1", "label": "男"}, {"code": "2", "label": "女"}]}),
        ({"anyOf": [{"const": True, "title": "是"}, {"const": False, "title": "否"}]},
         {"type": "enum",
          "options": [{"code": "true", "label": "是"}, {"code": "false", "label": "否"}]}),
        ({"allOf": [{"title": "名称"}, {"maxLength": 9}]}, {"label": "名称", "max_length": 9}),
        ({"type": "string", "examples": [1, "a"],
          "x-formmerge": {"item": "name", "role": "spouse"}},
         {"examples": ["1", "a"], "item": "name", "role": "spouse"}),
    ],
)  # fmt: skip
def test_json_schema_keywords_map_to_field_attributes(
    schema: dict[str, Any], expected: dict[str, Any]
) -> None:
    form = form_from_dict({"type": "object", "properties": {"f": schema}}, "s.json")
    assert form.fields[0] == Field.model_validate({"key": "f", "label": "f", **expected})


@pytest.mark.parametrize(
    ("text", "value"),
    [("是", True), ("否", False), ("Y", True), ("n", False), ("TRUE", True), ("0", False),
     ("✓", True), ("必填", True), ("选填", False)],
)  # fmt: skip
def test_yes_no_cells(text: str, value: bool) -> None:
    assert parse_bool(text) is value


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("1=男;2=女", [("1", "男"), ("2", "女")]),
        ("01=汉族；02=蒙古族", [("01", "汉族"), ("02", "蒙古族")]),
        ("男|女", [("男", "男"), ("女", "女")]),
        ("已婚\n未婚", [("已婚", "已婚"), ("未婚", "未婚")]),
        ("A=a=b", [("A", "a=b")]),
    ],
)
def test_option_cells(text: str, options: list[tuple[str, str]]) -> None:
    assert [(o["code"], o["label"]) for o in parse_options(text)] == options


# --------------------------------------------------------------------------- round trip

KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
TEXT = st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=10)
PATTERNS = st.sampled_from([None, r"^\d{6}$", r"^[\dXx]+$", "[A-Z]{2}"])
NUMBERS = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def fields(draw: st.DrawFn, groups: tuple[Group, ...]) -> Field:
    kind = draw(st.sampled_from(FIELD_TYPES))
    codes = draw(st.lists(TEXT, min_size=1 if kind == "enum" else 0, max_size=4, unique=True))
    lengths = sorted(draw(st.lists(st.integers(0, 500), min_size=2, max_size=2)))
    bounds = sorted(draw(st.lists(NUMBERS, min_size=2, max_size=2)))
    return Field(
        key=draw(KEYS),
        label=draw(TEXT),
        type=kind,
        required=draw(st.booleans()),
        min_length=draw(st.none() | st.just(lengths[0])),
        max_length=draw(st.none() | st.just(lengths[1])),
        pattern=draw(PATTERNS),
        minimum=draw(st.none() | st.just(bounds[0])),
        maximum=draw(st.none() | st.just(bounds[1])),
        options=tuple(Option(code=c, label=draw(TEXT)) for c in codes),
        format=draw(st.sampled_from([None, "citizen-id", "mobile", "email"])),
        date_format=draw(st.sampled_from([None, "%Y年%m月%d日", "%Y%m%d"])),
        group=draw(st.sampled_from(groups)),
        description=draw(TEXT),
        examples=tuple(draw(st.lists(TEXT, max_size=2))),
        item=draw(st.none() | KEYS),
        role=draw(st.none() | st.sampled_from(["applicant", "spouse", "child"])),
    )


@st.composite
def forms(draw: st.DrawFn) -> Form:
    made = st.builds(Group, key=KEYS, label=TEXT, repeating=st.booleans())
    top = draw(st.lists(made, max_size=3, unique_by=lambda g: g.key))
    inner = [(g, draw(made)) for g in top]
    paths: tuple[tuple[Group, ...], ...] = ((), *((g,) for g in top), *inner)
    materials = st.builds(
        Material,
        name=TEXT,
        kind=st.sampled_from(["original", "copy", "scan", "e-licence"]),
        material_id=st.none() | KEYS,
        evidences=st.lists(KEYS, max_size=2).map(tuple),
        required=st.booleans(),
        copies=st.integers(1, 3),
    )
    return Form(
        id=draw(KEYS),
        title=draw(TEXT),
        department=draw(TEXT),
        matter=draw(TEXT),
        subject=draw(st.sampled_from(["person", "organization"])),
        language=draw(st.sampled_from(["zh", "en"])),
        fields=tuple(draw(st.lists(fields(paths), max_size=6, unique_by=lambda f: f.path))),
        materials=tuple(draw(st.lists(materials, max_size=2))),
        process=draw(st.builds(Process, steps=st.integers(0, 9), trips=st.integers(0, 9),
                               days=st.floats(0, 60, allow_nan=False))),
        produces=tuple(draw(st.lists(KEYS, max_size=2))),
        consumes=tuple(draw(st.lists(KEYS, max_size=2))),
    )  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(forms())
def test_a_form_written_as_native_yaml_or_json_reads_back_equal(form: Form) -> None:
    with tempfile.TemporaryDirectory() as directory:
        as_yaml = Path(directory) / "form.yaml"
        as_yaml.write_text(yaml.safe_dump(form.to_dict(), allow_unicode=True), encoding="utf-8")
        as_json = Path(directory) / "form.json"
        as_json.write_text(json.dumps(form.to_dict(), ensure_ascii=False), encoding="utf-8")
        assert comparable(load_form(as_yaml)) == form
        assert comparable(load_form(as_json)) == form


# --------------------------------------------------------------------------- documentation


def documented_files(target: Path) -> list[str]:
    """Write each ``title="<file>"`` code block of docs/forms.md under ``target``."""
    blocks = re.findall(r'^```\w+ title="([^"]+)"\n(.*?)^```', DOCS.read_text("utf-8"), re.M | re.S)
    for name, text in blocks:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    return [name for name, _ in blocks]


def test_the_documented_examples_of_each_format_read_to_the_same_form(tmp_path: Path) -> None:
    names = documented_files(tmp_path)
    native = comparable(load_form(tmp_path / "juzhuzheng.yaml"))
    for name in ("juzhuzheng.schema.json", "juzhuzheng.csv"):
        assert name in names
        assert comparable(load_form(tmp_path / name)) == native
    assert native.field("zn/xm").repeating


def test_the_documented_problem_example_is_what_is_reported(tmp_path: Path) -> None:
    documented_files(tmp_path)
    error = load_error(tmp_path / "forms" / "birth.yaml")
    shown = str(error).replace(str(tmp_path / "forms"), "forms")
    assert shown in DOCS.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- housekeeping


def test_every_problem_code_is_documented() -> None:
    documented = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", DOCS.read_text(encoding="utf-8")))
    assert set(PROBLEM_CODES) <= documented


def test_an_undocumented_problem_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        make_problem("made-up", "x", Location())


def test_exported_names() -> None:
    assert ingest.__all__ == sorted(ingest.__all__)
    assert {"load_form", "load_forms", "form_from_dict", "is_form_file"} <= set(ingest.__all__)

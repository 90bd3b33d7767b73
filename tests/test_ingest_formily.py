"""Tests for formmerge.ingest.formily: Formily schemas read into forms."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formmerge.errors import FormError
from formmerge.ingest import form_from_dict, formily, load_form
from formmerge.ingest._documents import document_from_data
from formmerge.models import Field
from tests.ingest_support import (
    FORMS,
    comparable,
    documented_files,
    json_values,
    load_error,
    note_rows,
    problem_rows,
)

DATA = FORMS / "formily"
ROOT = "/schema/properties/layout/properties"


def test_a_formily_schema_reads_to_the_same_form_as_its_native_twin() -> None:
    assert comparable(load_form(DATA / "hukou.json")) == comparable(load_form(DATA / "hukou.yaml"))


def test_linkage_rules_and_buttons_are_noted_where_they_are() -> None:
    form = load_form(DATA / "hukou.json")
    assert note_rows(form) == [
        ("skipped-logic", "info", f"{ROOT}/sqr/properties/grid/properties/sfzhm/x-reactions"),
        ("skipped-layout", "info", f"{ROOT}/zn/items/properties/space/properties/sort"),
        ("skipped-layout", "info", f"{ROOT}/zn/items/properties/space/properties/remove"),
        ("skipped-layout", "info", f"{ROOT}/zn/properties/add"),
    ]
    assert all(note.line for note in form.notes)


def schema(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def widget(**keywords: Any) -> dict[str, Any]:
    return {"type": "string", "x-decorator": "FormItem", "x-component": "Input", **keywords}


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (widget(title="邮箱", **{"x-validator": "email"}), {"label": "邮箱", "format": "email"}),
        (widget(**{"x-validator": {"format": "phone"}}), {"format": "mobile"}),
        (widget(**{"x-validator": [{"min": 2}, {"max": 8.0}]}), {"min_length": 2, "max_length": 8}),
        (widget(type="number", **{"x-component": "NumberPicker", "x-validator": {"min": 1}}),
         {"type": "number", "minimum": 1}),
        (widget(**{"x-validator": {"format": "date"}}), {"type": "date"}),
        (widget(**{"x-component": "DatePicker", "x-component-props": {"showTime": True}}),
         {"type": "datetime"}),
        (widget(type="boolean", **{"x-component": "Switch"}), {"type": "boolean"}),
        (widget(**{"x-component": "Select", "enum": [1, True]}),
         {"type": "enum", "options": [{"code": "1", "label": "1"},
                                      {"code": "true", "label": "true"}]}),
        (widget(**{"x-component": "Select", "x-component-props": {
            "mode": "multiple", "options": [{"label": "甲", "value": "a"}]}}),
         {"type": "enum", "format": "multi-select", "options": [{"code": "a", "label": "甲"}]}),
        (widget(description="如实填写", **{"x-component-props": {"placeholder": "请输入"}}),
         {"description": "如实填写\n请输入"}),
        (widget(pattern="/^[a-z]+$/i"), {"pattern": "(?i)^[a-z]+$"}),
    ],
)  # fmt: skip
def test_formily_keywords_map_to_field_attributes(
    node: dict[str, Any], expected: dict[str, Any]
) -> None:
    form = form_from_dict(schema(f=node), "f.json")
    assert form.fields[0] == Field.model_validate({"key": "f", "label": "f", **expected})


def test_a_list_of_plain_values_is_a_repeating_group_of_one_field() -> None:
    tags = {"type": "array", "title": "电话", "x-component": "ArrayItems", "items": widget()}
    form = form_from_dict(schema(dh=tags), "f.json")
    assert [(f.path, f.label, f.repeating) for f in form.fields] == [("dh/item", "电话", True)]


def test_an_empty_object_is_kept_as_one_field_with_a_warning() -> None:
    index = {"type": "void", "x-component": "ArrayTable.Index"}
    items = {"type": "object", "properties": {"b": index}}
    empty = {"type": "array", "title": "附表", "x-component": "ArrayTable", "items": items}
    form = form_from_dict(schema(fb=empty), "f.json")
    assert [f.path for f in form.fields] == ["fb"]
    assert ("unsupported-schema", "warning", "/properties/fb/items") in note_rows(form)


def test_a_custom_validator_function_is_a_warning_note() -> None:
    form = form_from_dict(schema(f=widget(**{"x-validator": {"validator": "{{check}}"}})), "f.json")
    assert note_rows(form) == [("unread-rule", "warning", "/properties/f/x-validator/validator")]


BAD_SCHEMAS: list[tuple[str, str, list[tuple[str, int | None, str | None]]]] = [
    ("no-properties", '{"x-component": "FormLayout"}', [("unsupported-schema", 1, None)]),
    (
        "not-a-schema",
        '{"type": "object", "properties": {\n "xm": "Input",\n "xb": {"x-component": "Input"}}}',
        [("invalid-value", 2, "/properties/xm")],
    ),
    (
        "option",
        '{"type": "object", "properties": {"xb": {\n "x-component": "Select",\n'
        ' "enum": [{"label": "男", "value": 1},\n  {"label": "女"}]}}}',
        [("invalid-options", 4, "/properties/xb/enum/1")],
    ),
    (
        "validator-kind",
        '{"type": "object", "properties": {"xm": {\n "x-component": "Input",\n "x-validator": 5}}}',
        [("invalid-value", 3, "/properties/xm/x-validator")],
    ),
    (
        "pattern",
        '{"type": "object", "properties": {"xm": {\n "x-component": "Input",\n'
        ' "x-validator": [\n  {"pattern": "[a-"}]}}}',
        [("invalid-pattern", 4, "/properties/xm/x-validator/0/pattern")],
    ),
    (
        "type",
        '{"type": "object", "properties": {"xb": {\n "x-component": "Input",\n "type": "sex"}}}',
        [("unknown-type", 3, "/properties/xb/type")],
    ),
    (
        "duplicate",
        '{"type": "object", "properties": {\n "a": {"type": "void", "properties": {\n'
        '  "xm": {"x-component": "Input"}}},\n "xm": {"x-component": "Input"}}}',
        [("duplicate-key", 4, "/properties/xm")],
    ),
    (
        "bounds",
        '{"type": "object", "properties": {"xm": {\n "x-component": "Input",\n'
        ' "x-validator": {"min": 9,\n   "max": 2}}}}',
        [("min-greater-than-max", 3, "/properties/xm/x-validator/min")],
    ),
    (
        "no-options",
        '{"type": "object", "properties": {"xb": {\n "x-component": "Select",\n "enum": []}}}',
        [("missing-options", 3, "/properties/xb/enum")],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), BAD_SCHEMAS, ids=[case[0] for case in BAD_SCHEMAS]
)
def test_malformed_formily_names_the_file_and_the_pointer(
    tmp_path: Path, name: str, content: str, expected: list[tuple[str, int | None, str | None]]
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(content, encoding="utf-8")
    rows = [(code, line, pointer) for code, _, line, pointer in problem_rows(load_error(path))]
    assert rows == expected
    assert str(path) in str(load_error(path))


# --------------------------------------------------------------------------- properties

LEAF_COMPONENTS = ["Input", "NumberPicker", "DatePicker", "Switch", "Select", "Upload"]
CONTAINERS = ["FormLayout", "Card", "FormGrid", "FormTab.TabPane", "FormCollapse.CollapsePanel"]
TITLES = st.none() | st.text(st.characters(categories=("L", "N", "Zs")), max_size=4)


@st.composite
def leaves(draw: st.DrawFn) -> dict[str, Any]:
    node: dict[str, Any] = {"x-decorator": "FormItem"}
    node["x-component"] = component = draw(st.sampled_from(LEAF_COMPONENTS))
    if component == "Select":
        codes = draw(st.lists(st.text(min_size=1, max_size=3), min_size=1, max_size=3, unique=True))
        node["enum"] = [{"label": draw(TITLES) or c, "value": c} for c in codes]
    if draw(st.booleans()):
        node["x-validator"] = draw(st.sampled_from(["email", {"required": True}, [{"max": 9}]]))
    if draw(st.booleans()):
        node["x-reactions"] = {"dependencies": ["x"]}
    title = draw(TITLES)
    return node | ({"title": title} if title is not None else {})


def trees(depth: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    if depth == 0:
        return leaves()
    children = st.lists(trees(depth - 1), max_size=3)
    layout = st.builds(
        lambda kids, title, component: {"type": "void", "x-component": component, "kids": kids}
        | ({"x-component-props": {"title": title}} if title else {}),
        children, TITLES, st.sampled_from(CONTAINERS),
    )  # fmt: skip
    data = st.builds(
        lambda kids, kind: {"type": kind, "kids": kids},
        children,
        st.sampled_from(["object", "array"]),
    )
    return st.one_of(leaves(), layout, data)


def named(tree: dict[str, Any], names: itertools.count[int]) -> tuple[str, dict[str, Any]]:
    """Give every node a unique name, turning ``kids`` into properties (or array items)."""
    node = {k: v for k, v in tree.items() if k != "kids"}
    if "kids" in tree:
        properties = dict(named(kid, names) for kid in tree["kids"])
        if node["type"] == "array":
            node["x-component"] = "ArrayItems"
            node["items"] = {"type": "object", "properties": properties}
        else:
            node["properties"] = properties
    return f"n{next(names)}", node


def expected_parts(node: dict[str, Any], name: str, at: str) -> tuple[list[str], list[str]]:
    """The keys of the fields a node yields, and the pointers of the notes on skipped parts."""
    inner = node.get("properties", node.get("items", {}).get("properties"))
    if inner is None:
        return [name], ([f"{at}/x-reactions"] if "x-reactions" in node else [])
    base = f"{at}/items" if "items" in node else at
    keys: list[str] = []
    notes: list[str] = []
    for child, kid in inner.items():
        k, n = expected_parts(kid, child, f"{base}/properties/{child}")
        keys, notes = keys + k, notes + n
    if node.get("type") == "void" and not inner:
        return [], [at]
    if node.get("type") != "void" and not keys:
        return [name], [*notes, base]  # an empty object or list stays as one field
    return keys, notes


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trees(), min_size=1, max_size=4))
def test_every_formily_field_is_in_the_form_or_in_a_note(tops: list[dict[str, Any]]) -> None:
    names = itertools.count()
    properties = dict(named(tree, names) for tree in tops)
    document = document_from_data({"type": "object", "properties": properties}, "f.json")
    form = formily.form_from_document(document, "f")
    keys: list[str] = []
    noted: list[str] = []
    for name, node in properties.items():
        k, n = expected_parts(node, name, f"/properties/{name}")
        keys, noted = keys + k, noted + n
    assert sorted(f.key for f in form.fields) == sorted(keys)
    assert sorted(n.pointer or "" for n in form.notes) == sorted(noted)


KEYWORDS = [
    "type", "properties", "items", "x-component", "x-decorator", "x-validator", "enum", "title",
    "required", "x-reactions", "x-component-props", "void", "value", "label",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(json_values(KEYWORDS))
def test_arbitrary_json_gives_a_form_or_a_form_error(data: Any) -> None:
    document = document_from_data({"schema": {"x-component": "Form", "properties": data}}, "f.json")
    try:
        formily.form_from_document(document, "f")
    except FormError as error:
        assert error.problems and all(p.location.file == "f.json" for p in error.problems)


def test_detection_looks_at_schema_nodes_not_property_names() -> None:
    assert formily.is_formily({"properties": {"a": {"x-component": "Input"}}})
    assert not formily.is_formily({"properties": {"x-component": {"type": "string"}}})
    assert not formily.is_formily(json.loads('{"fields": [{"key": "x-component"}]}'))


def test_the_documented_formily_example_reads_to_the_documented_native_form(
    tmp_path: Path,
) -> None:
    assert "juzhuzheng.formily.json" in documented_files(tmp_path)
    form = load_form(tmp_path / "juzhuzheng.formily.json")
    assert comparable(form) == comparable(load_form(tmp_path / "juzhuzheng.yaml"))
    assert {note.code for note in form.notes} == {"skipped-layout"}


def test_metadata_beside_a_designable_schema_is_read() -> None:
    data = {"form": {}, "x-formmerge": {"department": "民政局"}, "schema": schema(f=widget())}
    form = form_from_dict(data, "f.json")
    assert (form.id, form.department, [f.key for f in form.fields]) == ("f", "民政局", ["f"])


def test_nested_cascader_options_are_a_warning_note() -> None:
    tree = [{"label": "浙江", "value": "zj", "children": [{"label": "杭州", "value": "hz"}]}]
    form = form_from_dict(schema(dq=widget(**{"x-component": "Cascader", "enum": tree})), "f.json")
    assert [o.code for o in form.fields[0].options] == ["zj"]
    assert note_rows(form) == [("unsupported-schema", "warning", "/properties/dq/enum/0/children")]


def test_formily_1_schemas_read_their_ui_types_x_rules_and_x_props() -> None:
    legacy = schema(
        csrq={"type": "date", "title": "出生日期"},
        bz={"type": "textarea", "x-rules": [{"max": 200}], "x-props": {"placeholder": "选填"}},
        ah={"type": "checkbox", "enum": ["读书", "运动"], "x-rules": "required"},
        xb={"type": "string", "x-component": "radio", "enum": [{"label": "男", "value": "1"}]},
    )
    fields = {f.key: f.to_dict() for f in form_from_dict(legacy, "f.json").fields}
    assert fields["csrq"] == {"key": "csrq", "label": "出生日期", "type": "date"}
    assert fields["bz"] == {"key": "bz", "label": "bz", "max_length": 200, "description": "选填"}
    assert (fields["ah"]["type"], fields["ah"]["format"], fields["ah"]["required"]) == (
        "enum", "multi-select", True
    )  # fmt: skip
    assert fields["xb"]["options"] == [{"code": "1", "label": "男"}]


def test_list_size_bounds_are_a_warning_note() -> None:
    items = {"type": "object", "properties": {"xm": widget()}}
    tags = {"type": "array", "x-component": "ArrayCards", "maxItems": 3, "items": items}
    form = form_from_dict(schema(zn=tags), "f.json")
    assert note_rows(form) == [("unread-rule", "warning", "/properties/zn/maxItems")]

"""Tests for formmerge.ingest.formrender: form-render (XRender) schemas read into forms."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formmerge.errors import FormError
from formmerge.ingest import form_from_dict, formrender, load_form
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

DATA = FORMS / "formrender"


def test_a_formrender_schema_reads_to_the_same_form_as_its_native_twin() -> None:
    assert comparable(load_form(DATA / "qiye.json")) == comparable(load_form(DATA / "qiye.yaml"))


def test_display_parts_custom_validators_and_expressions_are_noted() -> None:
    assert note_rows(load_form(DATA / "qiye.json")) == [
        ("skipped-layout", "info", "/properties/tip"),
        ("unread-rule", "warning", "/properties/tyshxydm/rules/3/validator"),
        ("skipped-logic", "info", "/properties/fddbr/properties/lxdh/hidden"),
    ]


def schema(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "displayType": "row", "properties": properties}


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ({"type": "string", "widget": "textArea", "format": "textarea"}, {}),
        ({"type": "string", "format": "email"}, {"format": "email"}),
        ({"type": "string", "min": 2, "max": 9}, {"min_length": 2, "max_length": 9}),
        ({"type": "number", "widget": "slider", "min": 1}, {"type": "number", "minimum": 1}),
        ({"type": "integer"}, {"type": "integer"}),
        ({"type": "boolean", "widget": "switch"}, {"type": "boolean"}),
        ({"type": "string", "widget": "datePicker", "props": {"showTime": True}},
         {"type": "datetime"}),
        ({"type": "string", "widget": "select", "props": {"mode": "multiple", "options": ["a"]}},
         {"type": "enum", "format": "multi-select", "options": [{"code": "a", "label": "a"}]}),
        ({"type": "array", "items": {"enum": [1, 2], "enumNames": ["是", "否"]}},
         {"type": "enum", "format": "multi-select",
          "options": [{"code": "1", "label": "是"}, {"code": "2", "label": "否"}]}),
        ({"type": "string", "ui:widget": "radio", "ui:options": {"options": [
            {"label": "男", "value": 1}]}},
         {"type": "enum", "options": [{"code": "1", "label": "男"}]}),
        ({"type": "string", "rules": [{"type": "url"}, {"type": "string"}]}, {"format": "url"}),
        ({"type": "range", "widget": "dateRange", "description": "起止"},
         {"description": "起止"}),
    ],
)  # fmt: skip
def test_formrender_keywords_map_to_field_attributes(
    node: dict[str, Any], expected: dict[str, Any]
) -> None:
    form = form_from_dict(schema(f=node), "f.json")
    assert form.fields[0] == Field.model_validate({"key": "f", "label": "f", **expected})


BAD_SCHEMAS: list[tuple[str, str, list[tuple[str, int | None, str | None]]]] = [
    ("no-properties", '{"displayType": "row"}', [("unsupported-schema", 1, None)]),
    (
        "names",
        '{"type": "object", "properties": {"xb": {\n "widget": "radio", "enum": [1, 2],\n'
        ' "enumNames": ["男"]}}}',
        [("invalid-options", 3, "/properties/xb/enumNames")],
    ),
    (
        "rules",
        '{"type": "object", "properties": {"xm": {\n "widget": "input",\n "rules": {"max": 5}}}}',
        [("invalid-value", 3, "/properties/xm/rules")],
    ),
    (
        "rule",
        '{"type": "object", "properties": {"xm": {\n "widget": "input",\n "rules": [\n  "max"]}}}',
        [("invalid-value", 4, "/properties/xm/rules/0")],
    ),
    (
        "option",
        '{"type": "object", "properties": {"xb": {\n "widget": "select", "props": {"options": [\n'
        '  {"label": "男"}]}}}}',
        [("invalid-options", 3, "/properties/xb/props/options/0")],
    ),
    (
        "object-code",
        '{"type": "object", "properties": {"xb": {\n "widget": "radio",\n'
        ' "enum": [{"label": "男", "value": 1}]}}}',
        [("invalid-options", 3, "/properties/xb/enum/0")],
    ),
    (
        "type",
        '{"type": "object", "properties": {"xb": {\n "widget": "input",\n "type": "sex"}}}',
        [("unknown-type", 3, "/properties/xb/type")],
    ),
    (
        "pattern",
        '{"type": "object", "properties": {"xm": {\n "widget": "input",\n'
        ' "rules": [{"pattern": "[a-"}]}}}',
        [("invalid-pattern", 3, "/properties/xm/rules/0/pattern")],
    ),
    (
        "length",
        '{"type": "object", "properties": {"xm": {\n "widget": "input",\n "maxLength": "五十"}}}',
        [("invalid-value", 3, "/properties/xm/maxLength")],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), BAD_SCHEMAS, ids=[case[0] for case in BAD_SCHEMAS]
)
def test_malformed_formrender_names_the_file_and_the_pointer(
    tmp_path: Path, name: str, content: str, expected: list[tuple[str, int | None, str | None]]
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(content, encoding="utf-8")
    error = load_error(path)
    assert [(code, line, pointer) for code, _, line, pointer in problem_rows(error)] == expected
    assert str(path) in str(error)


# --------------------------------------------------------------------------- properties

TITLES = st.none() | st.text(st.characters(categories=("L", "N", "Zs")), max_size=4)
LEAVES = st.sampled_from([
    {"type": "string", "widget": "input"}, {"type": "number", "widget": "inputNumber"},
    {"type": "string", "widget": "select", "props": {"options": [{"label": "a", "value": 1}]}},
    {"type": "string", "enum": ["a", "b"], "enumNames": ["甲", "乙"]},
    {"type": "boolean"}, {"type": "string", "format": "date"},
    {"type": "string", "widget": "upload"},
    {"type": "array", "widget": "checkboxes", "enum": [1]},
    {"type": "string", "hidden": "{{ formData.a }}"}, {"type": "html"},
])  # fmt: skip


def trees(depth: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.builds(lambda node, title: node | ({"title": title} if title else {}), LEAVES, TITLES)
    if depth == 0:
        return leaf
    kids = st.lists(trees(depth - 1), max_size=3)
    box = st.builds(
        lambda k, kind, title: {"type": kind, "kids": k} | ({"title": title} if title else {}),
        kids, st.sampled_from(["object", "void", "array"]), TITLES,
    )  # fmt: skip
    return st.one_of(leaf, box)


def named(tree: dict[str, Any], names: itertools.count[int]) -> tuple[str, dict[str, Any]]:
    node = {k: v for k, v in tree.items() if k != "kids"}
    if "kids" in tree:
        properties = dict(named(kid, names) for kid in tree["kids"])
        if node["type"] == "array":
            node["items"] = {"type": "object", "properties": properties}
        else:
            node["properties"] = properties
    return f"n{next(names)}", node


def expected_parts(node: dict[str, Any], name: str, at: str) -> tuple[list[str], list[str]]:
    """The keys of the fields a node yields, and the pointers of its notes."""
    if node.get("type") == "html":
        return [], [at]
    inner = node.get("properties", node.get("items", {}).get("properties"))
    if inner is None:
        return [name], ([f"{at}/hidden"] if "hidden" in node else [])
    base = f"{at}/items" if "items" in node else at
    keys: list[str] = []
    notes: list[str] = []
    for child, kid in inner.items():
        k, n = expected_parts(kid, child, f"{base}/properties/{child}")
        keys, notes = keys + k, notes + n
    if node["type"] == "void" and not inner:
        return [], [at]
    if node["type"] != "void" and not keys:
        return [name], [*notes, base]
    return keys, notes


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trees(), min_size=1, max_size=4))
def test_every_formrender_field_is_in_the_form_or_in_a_note(tops: list[dict[str, Any]]) -> None:
    names = itertools.count()
    properties = dict(named(tree, names) for tree in tops)
    document = document_from_data(schema(**properties), "f.json")
    form = formrender.form_from_document(document, "f")
    keys: list[str] = []
    noted: list[str] = []
    for name, node in properties.items():
        k, n = expected_parts(node, name, f"/properties/{name}")
        keys, noted = keys + k, noted + n
    assert sorted(f.key for f in form.fields) == sorted(keys)
    assert sorted(n.pointer or "" for n in form.notes) == sorted(noted)


KEYWORDS = [
    "type", "properties", "items", "widget", "props", "options", "enum", "enumNames", "rules",
    "title", "required", "hidden", "format", "min", "max", "void", "object", "array", "value",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(json_values(KEYWORDS))
def test_arbitrary_json_gives_a_form_or_a_form_error(data: Any) -> None:
    document = document_from_data({"displayType": "row", "properties": data}, "f.json")
    try:
        formrender.form_from_document(document, "f")
    except FormError as error:
        assert error.problems and all(p.location.file == "f.json" for p in error.problems)


def test_detection_needs_a_widget_in_a_schema_node_or_a_root_marker() -> None:
    assert formrender.is_formrender({"properties": {"a": {"widget": "input"}}})
    assert formrender.is_formrender({"column": 2, "properties": {}})
    assert not formrender.is_formrender({"properties": {"widget": {"type": "string"}}})


def test_the_documented_formrender_example_reads_to_the_documented_native_form(
    tmp_path: Path,
) -> None:
    assert "juzhuzheng.formrender.json" in documented_files(tmp_path)
    form = load_form(tmp_path / "juzhuzheng.formrender.json")
    assert comparable(form) == comparable(load_form(tmp_path / "juzhuzheng.yaml"))


def test_formrender_1_expressions_are_noted_too() -> None:
    node = {"type": "string", "ui:widget": "input", "ui:hidden": "{{ rootValue.a === 1 }}"}
    form = form_from_dict(schema(f=node), "f.json")
    assert note_rows(form) == [("skipped-logic", "info", "/properties/f/ui:hidden")]

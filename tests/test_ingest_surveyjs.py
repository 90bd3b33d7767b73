"""Tests for formmerge.ingest.surveyjs: SurveyJS surveys read into forms."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formmerge.errors import FormError
from formmerge.ingest import form_from_dict, load_form, surveyjs
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

DATA = FORMS / "surveyjs"


def test_a_survey_reads_to_the_same_form_as_its_native_twin() -> None:
    form = load_form(DATA / "shengyu.json")
    assert comparable(form) == comparable(load_form(DATA / "shengyu.yaml"))


def test_logic_display_elements_and_computed_values_are_noted() -> None:
    assert note_rows(load_form(DATA / "shengyu.json")) == [
        ("skipped-logic", "info", "/triggers"),
        ("skipped-layout", "info", "/pages/0/elements/0"),
        ("unread-rule", "warning", "/pages/0/elements/2/validators/2"),
        ("skipped-logic", "info", "/pages/0/elements/7"),
        ("skipped-logic", "info", "/pages/1/visibleIf"),
        ("skipped-logic", "info", "/pages/2/elements/1/templateElements/1/visibleIf"),
    ]


def survey(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"elements": list(elements)}


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ({"type": "comment"}, {}),
        ({"type": "text", "inputType": "datetime-local"}, {"type": "datetime"}),
        ({"type": "text", "inputType": "tel"}, {"format": "phone"}),
        ({"type": "text", "inputType": "date", "min": "2020-01-01"}, {"type": "date"}),
        ({"type": "tagbox", "choices": [1, 2]},
         {"type": "enum", "format": "multi-select",
          "options": [{"code": "1", "label": "1"}, {"code": "2", "label": "2"}]}),
        ({"type": "imagepicker", "multiSelect": True, "choices": [{"value": "a"}]},
         {"type": "enum", "format": "multi-select", "options": [{"code": "a", "label": "a"}]}),
        ({"type": "dropdown", "choices": ["是"], "hasNone": True},
         {"type": "enum", "options": [{"code": "是", "label": "是"},
                                      {"code": "none", "label": "无"}]}),
        ({"type": "rating", "rateValues": [{"value": 1, "text": "差"}]},
         {"type": "enum", "options": [{"code": "1", "label": "差"}]}),
        ({"type": "rating"}, {"type": "integer", "minimum": 1, "maximum": 5}),
        ({"type": "signaturepad"}, {"type": "file"}),
        ({"type": "rating", "rateMin": 0, "rateCount": 11}, {"type": "integer", "minimum": 0,
                                                             "maximum": 10}),
        ({"type": "boolean", "valueTrue": "Y", "valueFalse": "N", "labelTrue": "是"},
         {"type": "enum", "options": [{"code": "Y", "label": "是"},
                                      {"code": "N", "label": "false"}]}),
        ({"type": "text", "validators": [{"type": "numeric", "minValue": 0, "maxValue": 9}]},
         {"minimum": 0, "maximum": 9}),
        ({"type": "text", "validators": [{"type": "email"}]}, {"format": "email"}),
        ({"type": "text", "description": {"default": "Hint", "zh-cn": "提示"}},
         {"description": "提示"}),
    ],
)  # fmt: skip
def test_survey_questions_map_to_field_attributes(
    element: dict[str, Any], expected: dict[str, Any]
) -> None:
    form = form_from_dict(survey({"name": "f", **element}), "s.json")
    assert form.fields[0] == Field.model_validate({"key": "f", "label": "f", **expected})


def test_a_dropdown_matrix_has_a_group_per_row_and_a_single_choice_matrix_a_field_per_row() -> None:
    dropdowns = {"type": "matrixdropdown", "name": "cj", "columns": [{"name": "fs"}],
                 "rows": [{"value": "yw", "text": "语文"}, "sx"], "choices": [60, 90]}  # fmt: skip
    choices = {"type": "matrix", "name": "my", "columns": ["好", "差"], "rows": ["fw"]}
    form = form_from_dict(survey(dropdowns, choices), "s.json")
    assert [(f.path, f.type) for f in form.fields] == [
        ("cj/yw/fs", "enum"), ("cj/sx/fs", "enum"), ("my/fw", "enum")
    ]  # fmt: skip
    assert form.field("cj/yw/fs").group[1].label == "语文"


def test_choices_from_a_service_are_read_as_text_with_a_warning() -> None:
    element = {"type": "dropdown", "name": "dq", "choicesByUrl": {"url": "https://x/regions"}}
    form = form_from_dict(survey(element), "s.json")
    assert form.fields[0].type == "string"
    assert note_rows(form) == [("unsupported-schema", "warning", "/elements/0/choicesByUrl")]


BAD_SURVEYS: list[tuple[str, str, list[tuple[str, int | None, str | None]]]] = [
    (
        "no-name",
        '{"elements": [\n {"type": "text", "name": "xm"},\n {"type": "text", "title": "性别"}]}',
        [("missing-attribute", 3, "/elements/1")],
    ),
    (
        "choices",
        '{"elements": [{"type": "dropdown", "name": "xb",\n "choices": "男,女"}]}',
        [("invalid-options", 2, "/elements/0/choices")],
    ),
    (
        "choice",
        '{"elements": [{"type": "dropdown", "name": "xb", "choices": [\n {"text": "男"}]}]}',
        [("invalid-options", 2, "/elements/0/choices/0")],
    ),
    (
        "choice-value",
        '{"elements": [{"type": "dropdown", "name": "xb", "choices": [\n'
        ' {"value": {"code": 1}}]}]}',
        [("invalid-options", 2, "/elements/0/choices/0")],
    ),
    (
        "validator",
        '{"elements": [{"type": "text", "name": "xm",\n "validators": [{"regex": "a"}]}]}',
        [("invalid-value", 2, "/elements/0/validators/0")],
    ),
    (
        "regex",
        '{"elements": [{"type": "text", "name": "xm", "validators": [\n'
        ' {"type": "regex", "regex": "[a-"}]}]}',
        [("invalid-pattern", 2, "/elements/0/validators/0/regex")],
    ),
    (
        "pages",
        '{"pages": [{"name": "p1", "elements": [\n 5]}]}',
        [("invalid-value", 2, "/pages/0/elements/0")],
    ),
    (
        "duplicate",
        '{"pages": [{"name": "p1", "elements": [{"type": "text", "name": "xm"}]},\n'
        ' {"name": "p2", "elements": [{"type": "text", "name": "xm"}]}]}',
        [("duplicate-key", 2, "/pages/1/elements/0")],
    ),
    (
        "length",
        '{"elements": [{"type": "text", "name": "xm",\n "maxLength": -1}]}',
        [("invalid-value", 2, "/elements/0/maxLength")],
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), BAD_SURVEYS, ids=[case[0] for case in BAD_SURVEYS]
)
def test_malformed_surveys_name_the_file_and_the_pointer(
    tmp_path: Path, name: str, content: str, expected: list[tuple[str, int | None, str | None]]
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(content, encoding="utf-8")
    error = load_error(path)
    assert [(code, line, pointer) for code, _, line, pointer in problem_rows(error)] == expected
    assert str(path) in str(error)


# --------------------------------------------------------------------------- properties

TITLES = st.none() | st.text(st.characters(categories=("L", "N", "Zs")), max_size=4)
QUESTIONS = st.sampled_from([
    {"type": "text"}, {"type": "text", "inputType": "date"}, {"type": "comment"},
    {"type": "dropdown", "choices": ["a", {"value": 2, "text": "乙"}]},
    {"type": "checkbox", "choices": [1], "hasOther": True}, {"type": "boolean"},
    {"type": "rating"}, {"type": "file"}, {"type": "html"}, {"type": "expression"},
    {"type": "text", "visibleIf": "{a} = 1"},
])  # fmt: skip


def titled(node: dict[str, Any], title: str | None) -> dict[str, Any]:
    return node | {"title": title} if title else node


def trees(depth: int = 3) -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.builds(titled, QUESTIONS, TITLES)
    if depth == 0:
        return leaf
    box = st.builds(
        lambda kids, kind, title: titled({"type": kind, "kids": kids}, title),
        st.lists(trees(depth - 1), max_size=3), st.sampled_from(["panel", "paneldynamic"]), TITLES,
    )  # fmt: skip
    return st.one_of(leaf, box)


def named(tree: dict[str, Any], names: itertools.count[int]) -> dict[str, Any]:
    node = {k: v for k, v in tree.items() if k != "kids"} | {"name": f"n{next(names)}"}
    if "kids" in tree:
        keyword = "elements" if tree["type"] == "panel" else "templateElements"
        node[keyword] = [named(kid, names) for kid in tree["kids"]]
    return node


def expected_parts(node: dict[str, Any], at: str) -> tuple[list[str], list[str]]:
    """The keys of the fields an element yields, and the pointers of its notes."""
    if node["type"] in ("html", "expression"):
        return [], [at]
    keyword = {"panel": "elements", "paneldynamic": "templateElements"}.get(node["type"])
    if keyword is None:
        return [node["name"]], ([f"{at}/visibleIf"] if "visibleIf" in node else [])
    keys: list[str] = []
    notes: list[str] = [at] if node["type"] == "panel" and not node[keyword] else []
    for index, kid in enumerate(node[keyword]):
        k, n = expected_parts(kid, f"{at}/{keyword}/{index}")
        keys, notes = keys + k, notes + n
    if node["type"] == "paneldynamic" and not keys:
        return [node["name"]], [*notes, at]  # an empty dynamic panel stays as one field
    return keys, notes


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(trees(), min_size=1, max_size=4))
def test_every_question_is_in_the_form_or_in_a_note(tops: list[dict[str, Any]]) -> None:
    names = itertools.count()
    elements = [named(tree, names) for tree in tops]
    form = surveyjs.form_from_document(document_from_data(survey(*elements), "s.json"), "s")
    keys: list[str] = []
    noted: list[str] = []
    for index, element in enumerate(elements):
        k, n = expected_parts(element, f"/elements/{index}")
        keys, noted = keys + k, noted + n
    assert sorted(f.key for f in form.fields) == sorted(keys)
    assert sorted(n.pointer or "" for n in form.notes) == sorted(noted)


KEYWORDS = [
    "type", "name", "title", "elements", "pages", "templateElements", "choices", "value", "text",
    "isRequired", "validators", "inputType", "columns", "rows", "items", "panel", "dropdown",
    "matrixdynamic", "matrixdropdown", "matrix", "multipletext", "rating", "rateValues",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(json_values(KEYWORDS))
def test_arbitrary_json_gives_a_form_or_a_form_error(data: Any) -> None:
    for wrapped in ({"elements": data}, {"pages": [{"elements": data}]}):
        try:
            surveyjs.form_from_document(document_from_data(wrapped, "s.json"), "s")
        except FormError as error:
            assert error.problems and all(p.location.file == "s.json" for p in error.problems)


def test_the_documented_survey_reads_to_the_documented_native_form(tmp_path: Path) -> None:
    assert "juzhuzheng.survey.json" in documented_files(tmp_path)
    form = load_form(tmp_path / "juzhuzheng.survey.json")
    native = load_form(tmp_path / "juzhuzheng.yaml")
    rekeyed = [  # answers are flat in SurveyJS: the spouse's questions have names of their own
        f.model_copy(update={"key": f"po_{f.key}"}) if f.group and f.group[0].key == "po" else f
        for f in native.fields
    ]
    assert comparable(form) == comparable(native).model_copy(update={"fields": tuple(rekeyed)})


def test_one_answer_name_in_two_panels_is_a_duplicate_key() -> None:
    panel = {"type": "panel", "name": "po", "title": "配偶", "elements": [{"name": "xm"}]}
    with pytest.raises(FormError) as caught:
        form_from_dict(survey({"type": "text", "name": "xm"}, panel), "s.json")
    assert problem_rows(caught.value) == [
        ("duplicate-key", "s.json", None, "/elements/1/elements/0")
    ]


def test_a_titled_panel_without_a_name_is_keyed_by_its_title() -> None:
    panel = {"type": "panel", "title": "配偶信息", "elements": [{"type": "text", "name": "poxm"}]}
    assert [f.path for f in form_from_dict(survey(panel), "s.json").fields] == ["配偶信息/poxm"]

"""Tests for the JSON Schema reader: drafts, references, alternatives, conditionals, notes."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.errors import FormError
from formmerge.ingest import form_from_dict, load_form, refuse_warnings
from formmerge.ingest._schema_walk import WHEN_PREFIX
from formmerge.models import Field, Form

VA = Path(__file__).resolve().parents[1].parent / "shared" / "realforms-dev" / "va"
VA_PATHS = Path(__file__).parent / "data" / "va_field_paths.yaml"
DRAFT4 = "http://json-schema.org/draft-04/schema#"
DRAFT7 = "http://json-schema.org/draft-07/schema#"


def read(schema: dict[str, Any], **kwargs: Any) -> Form:
    return form_from_dict(schema, "s.schema.json", **kwargs)


def obj(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


def notes(form: Form) -> set[tuple[str, str | None]]:
    return {(n.code, n.pointer) for n in form.notes}


def when(form: Form, path: str) -> list[str]:
    """The cases a field is asked in, from the last line of its description ([] if always)."""
    last = form.field(path).description.rsplit("\n", 1)[-1]
    return last.removeprefix(WHEN_PREFIX).split("; or ") if last.startswith(WHEN_PREFIX) else []


# --------------------------------------------------------------------------- drafts, references

ADDRESS = {
    "type": "object",
    "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
}


@pytest.mark.parametrize(
    ("schema", "paths"),
    [
        ({"$schema": DRAFT4, "definitions": {"a": ADDRESS},
          **obj(home={"$ref": "#/definitions/a"})}, ["home/street", "home/city"]),
        ({"$defs": {"a": ADDRESS}, **obj(home={"$ref": "#/$defs/a"})},
         ["home/street", "home/city"]),
        ({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/c"}, "c": ADDRESS},
          **obj(home={"$ref": "#/$defs/a"})}, ["home/street", "home/city"]),
        ({"$defs": {"a": {"$anchor": "addr", **ADDRESS}}, **obj(home={"$ref": "#addr"})},
         ["home/street", "home/city"]),
        ({"$id": "https://example.org/forms/f.json",
          "$defs": {"a": {"$id": "parts/address.json", **ADDRESS}},
          **obj(home={"$ref": "parts/address.json"})}, ["home/street", "home/city"]),
        ({"$defs": {"a": ADDRESS}, **obj(home={"allOf": [{"$ref": "#/$defs/a"},
                                                           obj(zip={"type": "string"})]})},
         ["home/street", "home/city", "home/zip"]),
        ({"$defs": {"name": {"type": "string", "title": "Name"}},
          **obj(kids={"type": "array", "items": obj(name={"$ref": "#/$defs/name"})})},
         ["kids/name"]),
    ],
    ids=["draft-04 definitions", "$defs", "a chain of refs", "$anchor", "embedded $id", "allOf",
         "array items"],
)  # fmt: skip
def test_references_resolve_as_a_validator_resolves_them(
    schema: dict[str, Any], paths: list[str]
) -> None:
    form = read(schema)
    assert [f.path for f in form.fields] == paths
    assert not form.notes


def test_draft_04_names_the_form_by_id_and_reads_boolean_exclusive_bounds() -> None:
    schema = {
        "$schema": DRAFT4,
        "id": "https://example.org/forms/va-10.json",
        **obj(
            age={"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 150},
            rate={"type": "number", "maximum": 1, "exclusiveMaximum": True},
        ),
    }
    form = read(schema)
    assert form.id == "va-10"
    assert (form.field("age").minimum, form.field("age").maximum) == (1, 150)
    assert form.field("rate").maximum == 1


def test_a_reference_that_does_not_resolve_keeps_the_field_with_a_note() -> None:
    form = read(obj(a={"$ref": "#/$defs/missing", "title": "A"}, b={"$ref": "other.json#/x"}))
    assert [(f.path, f.label, f.type) for f in form.fields] == [
        ("a", "A", "string"),
        ("b", "b", "string"),
    ]
    assert notes(form) == {("unresolved-ref", "/properties/a/$ref"),
                           ("unresolved-ref", "/properties/b/$ref")}  # fmt: skip


def test_a_reference_cycle_is_a_problem() -> None:
    schema = {"$defs": {"p": obj(kids={"type": "array", "items": {"$ref": "#/$defs/p"}})},
              **obj(p={"$ref": "#/$defs/p"})}  # fmt: skip
    with pytest.raises(FormError) as caught:
        read(schema)
    assert caught.value.codes == ["ref-cycle"]


# --------------------------------------------------------------------------- alternatives

BY_COUNTRY = {
    "type": "object",
    "properties": {"street": {"type": "string"}},
    "required": ["street", "country"],
    "oneOf": [
        {"properties": {"country": {"enum": ["CAN"]}, "province": {"enum": ["ON", "QC"]}},
         "required": ["province"]},
        {"properties": {"country": {"enum": ["USA"]}, "state": {"enum": ["NY", "CA"]}},
         "required": ["state"]},
        {"title": "Elsewhere", "properties": {"country": {"type": "string"},
                                              "region": {"type": "string"}}},
    ],
}  # fmt: skip


def test_alternatives_of_objects_are_one_object_with_the_fields_of_all() -> None:
    form = read({"$schema": DRAFT7, **obj(address=BY_COUNTRY)})
    paths = [f.path for f in form.fields]
    assert paths == ["address/street", "address/country", "address/province", "address/state",
                     "address/region"]  # fmt: skip
    country = form.field("address/country")
    assert (country.type, country.required, when(form, "address/country")) == ("string", True, [])
    assert when(form, "address/province") == ["country = CAN"]
    assert when(form, "address/state") == ["country = USA"]
    assert when(form, "address/region") == ["Elsewhere"]
    assert not form.field("address/province").required  # required only in its alternative
    assert ("conditional-fields", "/properties/address/oneOf") in notes(form)
    assert ("conditional-required", "/properties/address/oneOf/0/required/0") in notes(form)


def test_a_property_several_alternatives_enumerate_unites_their_options() -> None:
    schema = obj(kind={"anyOf": [
        {"properties": {"code": {"enum": ["A", "B"]}, "a": {"type": "string"}}},
        {"properties": {"code": {"enum": ["B", "C"]}, "b": {"type": "integer"}}},
    ]})  # fmt: skip
    form = read(schema)
    code = form.field("kind/code")
    assert [o.code for o in code.options] == ["A", "B", "C"]
    assert when(form, "kind/code") == []  # in every alternative: always asked
    assert when(form, "kind/b") == ["anyOf alternative 2 of 2"]
    assert form.field("kind/b").type == "integer"


def test_alternatives_of_referenced_objects_and_required_only_alternatives() -> None:
    schema = {
        "$defs": {
            "domestic": obj(city={"type": "string"}, zip={"type": "string"}),
            "military": obj(base={"type": "string"}, zip={"type": "string"}),
        },
        **obj(address={"anyOf": [{"$ref": "#/$defs/domestic"}, {"$ref": "#/$defs/military"}]},
              contact={**obj(email={"type": "string"}, phone={"type": "string"}),
                       "anyOf": [{"required": ["email"]}, {"required": ["phone"]}]}),
    }  # fmt: skip
    form = read(schema)
    assert [f.path for f in form.fields] == [
        "address/city", "address/zip", "address/base", "contact/email", "contact/phone",
    ]  # fmt: skip
    assert when(form, "address/zip") == []
    assert not form.field("contact/email").required
    assert ("conditional-required", "/properties/contact/anyOf/0/required/0") in notes(form)


def test_a_field_and_a_group_of_the_same_name_in_two_alternatives() -> None:
    schema = obj(topic={"anyOf": [
        {"properties": {"level": {"type": "string", "enum": ["General"]}}},
        {"properties": {"level": obj(sub={"type": "string"})}},
    ]})  # fmt: skip
    form = read(schema)
    assert [f.path for f in form.fields] == ["topic/level", "topic/level/sub"]


# --------------------------------------------------------------------------- conditionals


def test_then_and_else_add_optional_fields_marked_with_their_condition() -> None:
    schema = {
        **obj(homeless={"type": "boolean"}),
        "required": ["homeless"],
        "if": {"properties": {"homeless": {"const": True}}},
        "then": {**obj(contact={"type": "string"}), "required": ["contact"]},
        "else": obj(address=ADDRESS),
    }
    form = read({"$schema": DRAFT7, **schema})
    assert [f.path for f in form.fields] == [
        "homeless", "contact", "address/street", "address/city",
    ]  # fmt: skip
    assert form.field("homeless").required and not form.field("contact").required
    assert when(form, "contact") == ["homeless = true"]
    assert when(form, "address/city") == ["not (homeless = true)"]
    assert {("conditional-fields", "/then"), ("conditional-fields", "/else"),
            ("conditional-required", "/then/required/0")} <= notes(form)  # fmt: skip


@pytest.mark.parametrize(
    ("schema", "paths", "expected_notes"),
    [
        ({**obj(spouse={"type": "boolean"}),
          "dependentSchemas": {"spouse": obj(spouse_name={"type": "string"})}},
         ["spouse", "spouse_name"], {("conditional-fields", "/dependentSchemas/spouse")}),
        ({"$schema": DRAFT4, **obj(card={"type": "string"}, billing={"type": "string"}),
          "dependencies": {"card": ["billing"], "billing": obj(zip={"type": "string"})}},
         ["card", "billing", "zip"],
         {("conditional-required", "/dependencies/card"),
          ("conditional-fields", "/dependencies/billing")}),
        ({**obj(card={"type": "string"}, billing={"type": "string"}),
          "dependentRequired": {"card": ["billing"]}},
         ["card", "billing"], {("conditional-required", "/dependentRequired/card")}),
        ({**obj(name={"type": "string"}), "patternProperties": {"^x_": {"type": "string"}}},
         ["name"], {("unnamed-properties", "/patternProperties/^x_")}),
        ({**obj(name={"type": "string"}), "additionalProperties": {"type": "string"}},
         ["name"], {("unnamed-properties", "/additionalProperties")}),
    ],
    ids=["dependentSchemas", "dependencies", "dependentRequired", "patternProperties",
         "additionalProperties"],
)  # fmt: skip
def test_dependent_and_unnamed_properties(
    schema: dict[str, Any], paths: list[str], expected_notes: set[tuple[str, str]]
) -> None:
    form = read(schema)
    assert [f.path for f in form.fields] == paths
    assert not any(f.required for f in form.fields)
    assert expected_notes <= notes(form)


# --------------------------------------------------------------------------- types, view:, options


@pytest.mark.parametrize(
    ("schema", "expected", "note"),
    [
        ({"type": ["string", "null"], "maxLength": 5}, {"type": "string", "max_length": 5}, None),
        ({"type": ["integer", "null"]}, {"type": "integer"}, None),
        ({"type": ["integer", "number"]}, {"type": "number"}, None),
        ({"type": ["string", "integer"]}, {"type": "string"},
         ("lenient-type", "/properties/f/type")),
        ({"oneOf": [{"const": 1}, {"type": "string"}]}, {"type": "string"},
         ("lenient-type", "/properties/f/oneOf")),
        ({"enum": ["1", "2"], "enumNames": ["Male", "Female"]},
         {"type": "enum", "options": [{"code": "1", "label": "Male"},
                                      {"code": "2", "label": "Female"}]}, None),
        ({"const": "yes"}, {"type": "enum", "options": [{"code": "yes", "label": "yes"}]}, None),
        ({"type": "string", "oneOf": [{"const": "M", "title": "Married"},
                                      {"const": "S", "title": "Single"}]},
         {"type": "enum", "options": [{"code": "M", "label": "Married"},
                                      {"code": "S", "label": "Single"}]}, None),
        ({"type": "array", "items": {"enum": ["a", "b"]}, "uniqueItems": True},
         {"type": "enum", "format": "multi-select",
          "options": [{"code": "a", "label": "a"}, {"code": "b", "label": "b"}]},
         ("ignored-keyword", "/properties/f/uniqueItems")),
        ({"type": "string", "default": "x"}, {"type": "string"},
         ("ignored-keyword", "/properties/f/default")),
        ({"type": "string", "maxLenght": 5}, {"type": "string"},
         ("unknown-keyword", "/properties/f/maxLenght")),
        ({"type": "string", "not": {"enum": ["x"]}}, {"type": "string"},
         ("ignored-keyword", "/properties/f/not")),
    ],
)  # fmt: skip
def test_types_and_options(
    schema: dict[str, Any], expected: dict[str, Any], note: tuple[str, str] | None
) -> None:
    form = read(obj(f=schema))
    assert form.field("f") == Field.model_validate({"key": "f", "label": "f", **expected})
    assert notes(form) == ({note} if note else set())


def test_view_wrappers_are_transparent_and_ui_only_values_left_out() -> None:
    schema = obj(
        veteran=obj(**{
            "view:identity": obj(ssn={"type": "string"}, name={"type": "string"}),
            "view:banner": {"type": "object", "properties": {}},
            "view:onBase": {"type": "boolean"},
            "email": {"type": "string"},
        }),
    )  # fmt: skip
    form = read(schema)
    assert [f.path for f in form.fields] == ["veteran/ssn", "veteran/name", "veteran/email"]
    assert {(n.code, n.severity) for n in form.notes} == {("ui-only", "info")}
    assert len(form.notes) == 3
    read(schema, strict=True)  # info notes never refuse a form


def test_an_array_without_items_and_a_top_level_value() -> None:
    form = read(obj(tags={"type": "array", "title": "Tags"}))
    assert [(f.path, f.label, f.repeating) for f in form.fields] == [("tags/item", "Tags", True)]
    assert notes(form) == {("lenient-type", "/properties/tags")}
    single = read({"$schema": DRAFT4, "type": "string", "enum": ["compensation"]})
    assert [(f.key, f.type) for f in single.fields] == [("value", "enum")]


# --------------------------------------------------------------------------- unusable values


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"type": "number", "exclusiveMinimum": math.inf}, "/properties/f/exclusiveMinimum"),
        ({"type": "number", "maximum": 10**400}, "/properties/f/maximum"),
        ({"type": "number", "minimum": math.nan}, "/properties/f/minimum"),
        ({"type": "integer", "maximum": -math.inf}, "/properties/f/maximum"),
        ({"enum": ["a", {"b": 1}]}, "/properties/f/enum/1"),
        ({"enum": ["a", 10**5000]}, "/properties/f/enum/1"),
    ],
)
def test_values_no_field_can_hold_are_left_out_with_a_note(
    schema: dict[str, Any], pointer: str
) -> None:
    form = read(obj(f=schema))
    assert notes(form) == {("unusable-value", pointer)}
    field = form.field("f")
    assert field.minimum is None and field.maximum is None


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"type": "string", "format": ["date"]}, "/properties/f/format"),
        ({"type": "string", "maxLength": "ten"}, "/properties/f/maxLength"),
        ({"type": "number", "minimum": "0"}, "/properties/f/minimum"),
        ({"enum": 3}, "/properties/f/enum"),
        ({"type": "string", "title": ["x"]}, "/properties/f/title"),
    ],
)
def test_a_keyword_of_the_wrong_kind_is_a_located_problem(
    schema: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(FormError) as caught:
        read(obj(f=schema))
    assert [(p.code, p.location.pointer) for p in caught.value.problems] == [
        ("invalid-value", pointer)
    ]


@pytest.mark.parametrize(
    ("text", "code", "pointer"),
    [
        # Infinity and NaN are not JSON: the document reader refuses them as syntax
        ('{"properties": {"f": {"exclusiveMinimum": Infinity}}}', "syntax-error", None),
        ('{"properties": {"f": {"maximum": 1e400}}}', "unusable-value", "/properties/f/maximum"),
        ('{"properties": {"f": {"minimum": NaN}}}', "syntax-error", None),
        ('{"properties": {"f": {"format": ["date"]}}}', "invalid-value", "/properties/f/format"),
        ('{"properties": {"f": {"maximum": ' + "9" * 5000 + "}}}", "number-too-large", None),
    ],
)  # fmt: skip
def test_unusable_values_in_a_file_are_located(
    tmp_path: Path, text: str, code: str, pointer: str | None
) -> None:
    path = tmp_path / "f.schema.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormError) as caught:
        load_form(path, strict=True)
    assert [(p.code, p.location.pointer) for p in caught.value.problems][:1] == [(code, pointer)]
    assert caught.value.problems[0].location.file == str(path)


# --------------------------------------------------------------------------- strict


def test_strict_reading_refuses_a_warning_and_names_its_pointer(tmp_path: Path) -> None:
    path = tmp_path / "f.schema.json"
    schema = obj(name={"type": "string"}, tags={"type": "array", "items": {}, "minItems": 1})
    path.write_text(json.dumps(schema, indent=1), encoding="utf-8")
    assert load_form(path).field("name")  # lenient: loads, with the note
    with pytest.raises(FormError) as caught:
        load_form(path, strict=True)
    problem = caught.value.problems[0]
    assert (problem.code, problem.location.pointer) == (
        "ignored-keyword",
        "/properties/tags/minItems",
    )
    assert (problem.location.file, problem.location.line) == (str(path), 10)
    with pytest.raises(FormError):
        refuse_warnings([load_form(path)])


# --------------------------------------------------------------------------- the real schemas


def va_schemas() -> list[Path]:
    if not VA.is_dir():
        pytest.skip(f"the real forms are not here: {VA} (see the README of realforms-dev)")
    return sorted(VA.glob("*.json"))


def test_every_real_va_schema_loads_leniently() -> None:
    figures, failures = [], []
    for path in va_schemas():
        try:
            form = load_form(path)
        except FormError as e:
            failures.append(f"{path.name}: {e}")
            continue
        warnings = sum(n.severity == "warning" for n in form.notes)
        figures.append(f"{path.name}: {len(form.fields)} fields, {len(form.notes)} notes "
                       f"({warnings} warnings)")  # fmt: skip
        if not form.fields or any("view:" in f.path for f in form.fields):
            failures.append(f"{path.name}: no fields, or a view: name in a path")
    assert len(figures) + len(failures) == 110
    assert not failures, "\n".join([*failures, "", *figures])


def test_selected_real_fields_have_the_expected_paths() -> None:
    va_schemas()
    expected = yaml.safe_load(VA_PATHS.read_text(encoding="utf-8"))
    assert len(expected) >= 5
    for name, case in expected.items():
        form = load_form(VA / name)
        paths = {f.path for f in form.fields}
        assert set(case["present"]) <= paths, (name, sorted(set(case["present"]) - paths))
        assert not set(case.get("absent", [])) & paths, name
        for path in case.get("required", []):
            assert form.field(path).required, (name, path)


# --------------------------------------------------------------------------- properties

NAMES = st.sampled_from(["a", "b", "c", "name", "view:ui"])
SCALARS = st.sampled_from([
    {"type": "string"}, {"type": ["string", "null"]}, {"type": ["string", "integer"]},
    {"type": "integer", "minimum": 0}, {"type": "boolean"}, {"enum": ["x", "y"]},
    {"oneOf": [{"const": 1, "title": "one"}, {"const": 2, "title": "two"}]},
])  # fmt: skip

Leaf = tuple[str, str]
"""A leaf property of a generated schema: its expected field path and its JSON pointer."""


def join(*parts: str) -> str:
    return "/".join(p for p in parts if p)


def below(pointer: str, *segments: str) -> str:
    return pointer + "".join(f"/{s}" for s in segments)


@st.composite
def objects(
    draw: st.DrawFn, path: str, pointer: str, depth: int
) -> tuple[dict[str, Any], list[Leaf]]:
    """An object schema at ``pointer`` and its leaves, using every construct the reader reads."""
    schema: dict[str, Any] = {"type": "object"}
    leaves: list[Leaf] = []
    properties: dict[str, Any] = {}
    for name in draw(st.lists(NAMES, min_size=1, max_size=3, unique=True)):
        child, child_leaves = draw(values(path, below(pointer, "properties", name), name, depth))
        properties[name] = child
        leaves += child_leaves
    schema["properties"] = properties
    if depth > 0:
        for keyword in draw(st.sets(st.sampled_from(["oneOf", "then", "dependentSchemas"]))):
            if keyword == "oneOf":
                count = draw(st.integers(1, 3))
                branches = [draw(objects(path, below(pointer, "oneOf", str(i)), depth - 1))
                            for i in range(count)]  # fmt: skip
                schema["oneOf"] = [branch for branch, _ in branches]
                leaves += [leaf for _, found in branches for leaf in found]
            elif keyword == "then":
                schema["if"] = {"properties": {next(iter(properties)): {"const": "x"}}}
                schema["then"], found = draw(objects(path, below(pointer, "then"), depth - 1))
                leaves += found
            else:
                key = next(iter(properties))
                branch, found = draw(
                    objects(path, below(pointer, "dependentSchemas", key), depth - 1)
                )
                schema["dependentSchemas"] = {key: branch}
                leaves += found
    if draw(st.booleans()):
        schema["patternProperties"] = {"^x_": {"type": "string"}}
        leaves.append(("", below(pointer, "patternProperties", "^x_")))
    return schema, leaves


@st.composite
def values(
    draw: st.DrawFn, path: str, pointer: str, name: str, depth: int
) -> tuple[dict[str, Any], list[Leaf]]:
    """The schema of property ``name``: a scalar, an object or an array of either."""
    inner = path if name.startswith("view:") else join(path, name)
    kind = draw(st.sampled_from(["scalar", "object", "array"] if depth > 0 else ["scalar"]))
    if kind == "object":
        return draw(objects(inner, pointer, depth - 1))
    if kind == "array":
        if draw(st.booleans()):
            items, leaves = draw(objects(inner, below(pointer, "items"), depth - 1))
        else:
            items = draw(SCALARS)
            enumerated = "enum" in items or "oneOf" in items  # a multi-select field
            leaf = inner if enumerated else join(inner, "item")
            leaves = [(leaf, below(pointer, "items"))]
        return {"type": "array", "items": items}, leaves
    return dict(draw(SCALARS)), [(join(path, name), pointer)]


def covered(pointer: str, places: set[str]) -> bool:
    return any(pointer == p or pointer.startswith(p + "/") for p in places)


@settings(max_examples=120, deadline=None)
@given(objects("", "", 3))
def test_every_leaf_property_is_a_field_or_in_a_note(
    case: tuple[dict[str, Any], list[Leaf]],
) -> None:
    schema, leaves = case
    try:
        form = read(schema)
    except FormError as e:
        places = {p.location.pointer or "" for p in e.problems}
        paths: set[str] = set()
    else:
        places = {n.pointer or "" for n in form.notes}
        paths = {f.path for f in form.fields}
    for path, pointer in leaves:
        assert path in paths or covered(pointer, places), (path, pointer)


KEYWORDS = st.sampled_from([
    "type", "properties", "items", "oneOf", "anyOf", "allOf", "$ref", "enum", "const", "if",
    "then", "else", "required", "format", "minimum", "exclusiveMinimum", "maxLength", "title",
    "dependentSchemas", "dependencies", "patternProperties", "$defs", "definitions", "$id",
    "$schema", "enumNames", "x-formmerge", "view:x", "a",
])  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**400), 10**400) | st.floats()
    | st.sampled_from(["string", "object", "array", "#/$defs/a", "#", "date", "null"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYWORDS, inner, max_size=5),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=250, deadline=None)
@given(st.dictionaries(KEYWORDS, JSON, max_size=6), st.booleans())
def test_arbitrary_json_gives_a_form_or_a_form_error(data: dict[str, Any], strict: bool) -> None:
    schema = {"type": "object", **data}
    try:
        form = read(schema, strict=strict)
    except FormError as e:
        assert e.problems and all(p.code for p in e.problems)
    else:
        assert isinstance(form, Form)
        assert not strict or all(n.severity == "info" for n in form.notes)


def nested(levels: int, wrap: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = wrap(schema)
    return obj(x=schema)


@pytest.mark.parametrize(
    "schema",
    [
        nested(100, lambda s: obj(a=s)),
        nested(100, lambda s: {"oneOf": [obj(a=s)]}),
        nested(100, lambda s: {"allOf": [s]}),
        nested(100, lambda s: obj(**{"view:a": s})),
        {"$defs": {"d0": {"type": "string"}}
                  | {f"d{i}": {"$ref": f"#/$defs/d{i - 1}"} for i in range(1, 100)},
         **obj(x={"$ref": "#/$defs/d99"})},
        {"$defs": {"d0": {"type": "string"}}
                  | {f"d{i}": obj(a={"$ref": f"#/$defs/d{i - 1}"}, b={"$ref": f"#/$defs/d{i - 1}"})
                     for i in range(1, 20)},
         **obj(x={"$ref": "#/$defs/d19"})},
    ],
    ids=["objects", "alternatives", "allOf", "view wrappers", "a ref chain", "refs that multiply"],
)  # fmt: skip
def test_a_runaway_schema_is_a_problem_not_a_crash(schema: dict[str, Any]) -> None:
    with pytest.raises(FormError) as caught:
        read(schema)
    # the document reader's nesting limit or the schema's own expansion limit stops it
    assert {"schema-too-large", "too-deep"} & set(caught.value.codes)

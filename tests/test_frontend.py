"""Front-end exports: nested JSON Schema, RJSF uiSchema, Formily, and the answers round trip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.catalog import load_catalog
from formmerge.demodata import demo_subjects
from formmerge.frontend import (
    application_schema,
    flatten_answers,
    form_data,
    formily_schema,
    rjsf_ui_schema,
)
from formmerge.merging import merge_bundle
from formmerge.models import MergedForm
from formmerge.prefill import prefill

CATALOG = load_catalog()
BUNDLES = {path.name: merge_bundle(load_bundle(path)) for path in list_example_bundles()}


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _field_properties(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field id to its property, wherever it is nested."""
    out: dict[str, dict[str, Any]] = {}

    def visit(node: dict[str, Any]) -> None:
        for key, prop in node.get("properties", {}).items():
            if "x-formmerge" in prop:
                assert key not in out, f"{key} appears twice"
                out[key] = prop
            elif prop.get("type") == "array":
                visit(prop["items"])
            else:
                visit(prop)

    visit(schema)
    return out


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_the_schema_is_valid_and_holds_every_field_once(name: str) -> None:
    merged = BUNDLES[name]
    schema = application_schema(merged, CATALOG)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == merged.title and merged.id in schema["$id"]
    assert set(_field_properties(schema)) == {f.id for f in merged.fields}


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_nothing_a_renderer_would_pre_select(name: str) -> None:
    schema = application_schema(BUNDLES[name], CATALOG)
    keys = {key for key, _ in _walk(schema)}
    assert not keys & {"const", "oneOf", "anyOf", "default"}


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_every_enum_has_its_options(name: str) -> None:
    merged = BUNDLES[name]
    props = _field_properties(application_schema(merged, CATALOG))
    ui = rjsf_ui_schema(merged, CATALOG)
    for f in merged.fields:
        if f.type == "enum" or f.options or f.code_list:
            prop = props[f.id]
            assert prop["enum"], f.id
            assert len(prop["x-enumNames"]) == len(prop["enum"])
    enum_uis = [v for k, v in _walk(ui) if isinstance(v, dict) and "ui:enumNames" in v]
    assert all(v.get("ui:placeholder") or v.get("ui:widget") == "radio" for v in enum_uis)


def test_checksummed_numbers_carry_pattern_and_format() -> None:
    merged = BUNDLES["newborn-birth"]
    props = _field_properties(application_schema(merged, CATALOG))
    prop = props["citizen_id@mother"]
    assert prop["format"] == "citizen-id"
    validator = jsonschema.Draft202012Validator({"type": "string", "pattern": prop["pattern"]})
    assert validator.is_valid("11010519491231002X")
    assert not validator.is_valid("1101051949123100")


@pytest.fixture(scope="module")
def mother_prefill(demo_registers: Path) -> Any:
    with duckdb.connect(str(demo_registers), read_only=True) as con:
        mother = demo_subjects(con)["newborn_mother"]
        return prefill(BUNDLES["newborn-birth"], mother, connection=con)


def test_verified_values_are_read_only_everywhere(mother_prefill: Any) -> None:
    merged = BUNDLES["newborn-birth"]
    locked = set(mother_prefill.read_only)
    assert locked
    props = _field_properties(application_schema(merged, CATALOG, mother_prefill))
    assert {k for k, p in props.items() if p.get("readOnly")} == locked
    ui = rjsf_ui_schema(merged, CATALOG, mother_prefill)
    readonly = {k for k, v in _walk(ui) if isinstance(v, dict) and v.get("ui:readonly")}
    assert readonly == locked
    formily = formily_schema(merged, CATALOG, mother_prefill)
    pretty = {k for k, v in _walk(formily) if isinstance(v, dict) and v.get("x-pattern")}
    assert pretty == locked


def test_prefilled_values_round_trip_through_the_nesting(mother_prefill: Any) -> None:
    merged = BUNDLES["newborn-birth"]
    values = mother_prefill.as_answers()
    nested = form_data(merged, values, CATALOG)
    assert set(nested) <= {s for s in application_schema(merged, CATALOG)["properties"]}
    assert flatten_answers(merged, nested, CATALOG) == values


def _repeating_bundles() -> list[str]:
    return [
        name
        for name, merged in BUNDLES.items()
        if any(f.repeating for form in merged.forms for f in form.fields)
    ]


@pytest.mark.parametrize("name", _repeating_bundles())
def test_repeating_groups_are_arrays_of_rows(name: str) -> None:
    merged = BUNDLES[name]
    schema = application_schema(merged, CATALOG)
    arrays = [v for _, v in _walk(schema) if isinstance(v, dict) and v.get("type") == "array"]
    assert arrays
    ids = {f.id for f in merged.fields}
    for array in arrays:
        assert set(array["items"]["properties"]) <= ids


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_flatten_inverts_form_data_for_any_answers(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(BUNDLES)))
    merged: MergedForm = BUNDLES[name]
    repeating = {
        f.id
        for f in merged.fields
        if any(
            form.field(ref.path).repeating
            for ref in f.sources
            for form in merged.forms
            if form.id == ref.form
        )
    }
    chosen = data.draw(st.sets(st.sampled_from([f.id for f in merged.fields])))
    rows = data.draw(st.integers(1, 3))
    values: dict[str, Any] = {
        fid: [data.draw(st.text(max_size=5)) for _ in range(rows)]
        if fid in repeating
        else data.draw(st.one_of(st.text(max_size=8), st.integers(), st.booleans()))
        for fid in chosen
    }
    assert flatten_answers(merged, form_data(merged, values, CATALOG), CATALOG) == values


def test_unknown_answers_are_kept_for_split_to_report() -> None:
    merged = BUNDLES["newborn-birth"]
    assert flatten_answers(merged, {"nonsense": 1, "mother": {"extra": 2}}, CATALOG) == {
        "nonsense": 1,
        "extra": 2,
    }


def test_formily_has_void_sections_and_labelled_options() -> None:
    merged = BUNDLES["newborn-birth"]
    formily = formily_schema(merged, CATALOG)
    assert all(s["type"] == "void" for s in formily["properties"].values())
    selects = [
        v for _, v in _walk(formily) if isinstance(v, dict) and v.get("x-component") == "Select"
    ]
    assert selects and all({"label", "value"} <= set(o) for s in selects for o in s["enum"])
    fields = {k for k, v in _walk(formily) if isinstance(v, dict) and "x-decorator" in v}
    assert {f.id for f in merged.fields} <= fields


def test_required_booleans_are_enforced_without_a_default() -> None:
    merged = BUNDLES["newborn-birth"]
    schema = application_schema(merged, CATALOG)
    other = schema["properties"]["other"]
    booleans = {f.id for f in merged.fields if f.required and f.type == "boolean"}
    assert booleans and booleans.isdisjoint(other["required"])  # renderers default those
    assert set(other["not"]["not"]["required"]) == booleans & set(other["properties"])
    validator = jsonschema.Draft202012Validator(other)
    answered = {k: other["properties"][k]["enum"][0] for k in other["required"]}
    assert not validator.is_valid(answered)
    assert validator.is_valid(answered | dict.fromkeys(booleans, False))
    # a section with required fields is required itself, so leaving it out is not a way round
    assert {"other", "guardian", "child"} <= set(schema["required"])


def _required_ids(schema: dict[str, Any]) -> set[str]:
    return {
        key
        for name, value in _walk(schema)
        if name in {"required"} and isinstance(value, list)
        for key in value
    }


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_derived_fields_are_shown_derived_not_asked(name: str) -> None:
    """A field derived from another field of the form whatever is answered is read-only, not
    required and names its source; one derived under a condition stays to answer."""
    from formmerge.derivations import derived_fields

    merged = BUNDLES[name]
    schema = application_schema(merged, CATALOG)
    props, required = _field_properties(schema), _required_ids(schema)
    for field_id, derived in derived_fields(merged, CATALOG).items():
        meta = props[field_id]["x-formmerge"]
        assert meta["derived_from"] == derived.source
        if derived.condition is None:
            assert props[field_id].get("readOnly") is True, field_id
            assert field_id not in required, field_id
        else:
            assert meta["derived_when"] == derived.condition
            assert "readOnly" not in props[field_id]
    asked = {f.id for f in merged.fields} - set(derived_fields(merged, CATALOG))
    assert all("derived_from" not in props[f]["x-formmerge"] for f in asked if f in props)


def test_the_newborn_mothers_age_is_derived_in_the_schema() -> None:
    props = _field_properties(application_schema(BUNDLES["newborn-birth"], CATALOG))
    derived = {k for k, p in props.items() if "derived_from" in p["x-formmerge"]}
    assert "age@mother" in derived
    assert props["age@mother"]["readOnly"] is True

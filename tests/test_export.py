"""Exporting a merged form as a plain form."""

from __future__ import annotations

from pathlib import Path

import pytest

from formmerge.bundle import load_bundle
from formmerge.catalog import load_catalog
from formmerge.errors import FormError
from formmerge.export import merged_to_form
from formmerge.merging import merge, merge_bundle
from formmerge.models import Field, Form

BUNDLES = sorted((Path(__file__).parents[1] / "examples" / "bundles").iterdir())


@pytest.mark.parametrize("path", BUNDLES, ids=lambda p: p.name)
def test_every_example_bundle_exports_as_a_form(path: Path) -> None:
    merged = merge_bundle(load_bundle(path))
    form = merged_to_form(merged)
    assert [f.key for f in form.fields] == [f.id for f in merged.fields]
    assert [(f.item, f.role) for f in form.fields] == [(f.item, f.role) for f in merged.fields]
    codes = load_catalog()
    for exported, field in zip(form.fields, merged.fields, strict=True):
        if field.type == "enum" and not field.options and field.code_list is not None:
            listed = [c.code for c in codes.code_list(field.code_list).codes]
            assert [o.code for o in exported.options] == listed


def test_constraints_no_value_meets_are_a_located_error_not_a_crash() -> None:
    a = Form(id="a", fields=(Field(key="xm", label="姓名", min_length=10),))
    b = Form(id="b", fields=(Field(key="name", label="姓名", max_length=5),))
    merged = merge([a, b], load_catalog())
    assert [c.code for c in merged.conflicts] == ["length-conflict"]
    with pytest.raises(FormError) as caught:
        merged_to_form(merged)
    assert [(p.code, p.location.field) for p in caught.value.problems] == [
        ("unsatisfiable-field", "name@applicant")
    ]


@pytest.mark.parametrize("path", BUNDLES, ids=lambda p: p.name)
def test_the_json_schema_shows_derived_fields_as_derived(path: Path) -> None:
    from formmerge.derivations import derived_fields
    from formmerge.export import merged_to_json_schema

    merged = merge_bundle(load_bundle(path))
    schema = merged_to_json_schema(merged)
    derived = derived_fields(merged, load_catalog())
    for field_id, prop in schema["properties"].items():
        meta = prop["x-formmerge"]
        if field_id not in derived:
            assert "derived_from" not in meta and "readOnly" not in prop
            continue
        assert meta["derived_from"] == derived[field_id].source
        unconditional = derived[field_id].condition is None
        assert prop.get("readOnly", False) is unconditional
        assert (field_id in schema["required"]) is (
            unconditional is False and any(f.id == field_id and f.required for f in merged.fields)
        )

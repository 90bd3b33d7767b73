"""Merging: one field per (item, role), reconciled constraints, conflicts, gaps, lineage."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.catalog import load_catalog
from formmerge.errors import FormError
from formmerge.export import merged_to_form, merged_to_json_schema
from formmerge.merging import merge
from formmerge.models import Field, Form, Group, Material, MergedForm, Option
from formmerge.settings import DEFAULT_MAX_LABEL_LENGTH

SEX_NUM = (Option(code="1", label="男"), Option(code="2", label="女"))
SEX_TXT = (Option(code="男", label="男"), Option(code="女", label="女"))

HOSPITAL = Form(
    id="hospital",
    fields=(
        Field(key="xm", label="新生儿姓名", required=True, max_length=20),
        Field(key="xb", label="新生儿性别", type="enum", options=SEX_NUM),
        Field(key="fqxm", label="父亲姓名", max_length=30),
        Field(key="fqsfzh", label="父亲身份证号"),
        Field(key="mqxm", label="母亲姓名"),
        Field(key="dx", label="是否同意短信通知"),
    ),
    materials=(Material(name="居民身份证", kind="copy"), Material(name="结婚证")),
)
POLICE = Form(
    id="police",
    fields=(
        Field(
            key="name", label="姓名", group=(Group(key="child", label="新生儿信息"),), max_length=15
        ),
        Field(
            key="sex",
            label="性别",
            type="enum",
            options=SEX_TXT,
            required=True,
            group=(Group(key="child", label="新生儿信息"),),
        ),
        Field(key="father_name", label="父亲姓名", required=True),
        Field(key="father_id", label="父亲公民身份号码", required=True),
        Field(key="jsdx", label="是否同意接收短信通知"),
    ),
    materials=(Material(name="身份证"), Material(name="出生医学证明")),
)


@pytest.fixture(scope="module")
def merged() -> MergedForm:
    return merge([HOSPITAL, POLICE], load_catalog())


def test_one_field_per_item_and_role(merged: MergedForm) -> None:
    ids = [f.id for f in merged.fields]
    assert len(ids) == len(set(ids))
    for fid in ("name@child", "sex@child", "name@father", "citizen_id@father", "name@mother"):
        assert fid in ids


def test_constraints_are_the_tightest(merged: MergedForm) -> None:
    child = merged.field("name@child")
    assert child.required  # the hospital requires it
    assert child.max_length == 15  # police allows 15, hospital 20
    father = merged.field("name@father")
    assert father.required and father.max_length == 30


def test_options_are_intersected_through_the_code_list(merged: MergedForm) -> None:
    sex = merged.field("sex@child")
    assert {o.code for o in sex.options} == {"1", "2"}
    assert sex.code_list == "sex"


def test_uncatalogued_recurring_field_is_a_gap(merged: MergedForm) -> None:
    assert len(merged.gaps) == 1
    gap = merged.gaps[0]
    assert gap.forms == 2
    assert {str(s) for s in gap.sources} == {"hospital:dx", "police:jsdx"}


def test_every_source_field_is_in_the_lineage_once(merged: MergedForm) -> None:
    refs = Counter(str(r) for f in merged.fields for r in f.sources)
    expected = {f"{form.id}:{fld.path}" for form in (HOSPITAL, POLICE) for fld in form.fields}
    assert set(refs) == expected
    assert set(refs.values()) == {1}


def test_materials_are_deduplicated(merged: MergedForm) -> None:
    by_id = {m.id: m for m in merged.materials}
    id_card = next(m for m in merged.materials if "citizen_id" in m.evidences)
    assert set(id_card.forms) == {"hospital", "police"}
    assert id_card.kind == "original"  # the police asks for the original
    assert len(by_id) == 3


def test_disjoint_options_are_a_conflict_naming_both_fields() -> None:
    a = Form(id="a", fields=(Field(key="xb", label="性别", type="enum", options=(SEX_NUM[0],)),))
    b = Form(id="b", fields=(Field(key="sex", label="性别", type="enum", options=(SEX_TXT[1],)),))
    merged = merge([a, b])
    (conflict,) = merged.conflicts
    assert conflict.code == "disjoint-options"
    assert {str(s) for s in conflict.sources} == {"a:xb", "b:sex"}


def test_length_conflict_names_both_fields() -> None:
    a = Form(id="a", fields=(Field(key="xm", label="姓名", max_length=4),))
    b = Form(id="b", fields=(Field(key="name", label="姓名", min_length=6),))
    (conflict,) = merge([a, b]).conflicts
    assert conflict.code == "length-conflict"
    assert {str(s) for s in conflict.sources} == {"a:xm", "b:name"}


def test_json_schema_export(merged: MergedForm) -> None:
    schema = merged_to_json_schema(merged)
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["properties"]) == {f.id for f in merged.fields}
    assert "name@child" in schema["required"]
    sex = schema["properties"]["sex@child"]
    assert [o["const"] for o in sex["oneOf"]] == ["1", "2"]


def _signature(m: MergedForm) -> list[tuple[object, ...]]:
    return sorted(
        (f.item, f.role, f.required, f.max_length, tuple(o.code for o in f.options), len(f.sources))
        for f in m.fields
        if f.item is not None
    )


@settings(max_examples=25, deadline=None)
@given(st.permutations([HOSPITAL, POLICE]))
def test_merge_is_independent_of_form_order(forms: list[Form]) -> None:
    assert merge(forms).fields == merge([HOSPITAL, POLICE]).fields


def test_merging_a_merged_form_with_itself_changes_nothing(merged: MergedForm) -> None:
    as_form = merged_to_form(merged)
    twin = as_form.model_copy(update={"id": as_form.id + "-copy"})
    again = merge([as_form, twin])
    assert [(f.item, f.role) for f in again.fields if f.item] == [
        (f.item, f.role) for f in merged.fields if f.item
    ]
    assert [
        (f.required, f.max_length, tuple(o.code for o in f.options)) for f in again.fields if f.item
    ] == [
        (f.required, f.max_length, tuple(o.code for o in f.options))
        for f in merged.fields
        if f.item
    ]
    assert len(again.fields) == len(merged.fields)
    assert not again.conflicts


_BUNDLE_FORMS = [f for p in list_example_bundles() for f in load_bundle(p).forms]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(_BUNDLE_FORMS), min_size=1, max_size=5, unique_by=lambda f: f.id))
def test_every_source_field_is_in_the_lineage_exactly_once(forms: list[Form]) -> None:
    merged = merge(forms)
    refs = Counter(str(r) for f in merged.fields for r in f.sources)
    assert set(refs) == {f"{form.id}:{fld.path}" for form in forms for fld in form.fields}
    assert set(refs.values()) == {1}
    assert merge(list(reversed(forms))).fields == merged.fields


def test_the_same_form_twice_is_a_located_problem() -> None:
    with pytest.raises(FormError) as caught:
        merge([HOSPITAL, POLICE, HOSPITAL])
    assert [(p.code, p.location.form) for p in caught.value.problems] == [
        ("duplicate-form", HOSPITAL.id)
    ]


@pytest.mark.parametrize("part", ["label", "key"])
def test_a_huge_label_is_refused_quickly_with_a_located_problem(part: str) -> None:
    huge = Field(**{"key": "bz", "label": "备注", part: "备" * 1_000_000})
    form = Form(id="huge", fields=(Field(key="xm", label="姓名"), huge))
    started = time.perf_counter()
    with pytest.raises(FormError) as caught:
        merge([form])
    assert time.perf_counter() - started < 1
    assert [(p.code, p.location.form, p.location.field) for p in caught.value.problems] == [
        ("label-too-long", "huge", huge.path)
    ]


def test_a_label_at_the_limit_is_merged() -> None:
    field = Field(key="bz", label="备" * DEFAULT_MAX_LABEL_LENGTH)
    merged = merge([Form(id="long", fields=(field,))])
    assert [s.path for f in merged.fields for s in f.sources] == ["bz"]

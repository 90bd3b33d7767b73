"""Every value prefill offers fits its merged field and every department's form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.catalog import load_catalog
from formmerge.errors import Location
from formmerge.merging import merge_bundle
from formmerge.models import MergedForm
from formmerge.patterns import pattern_problem
from formmerge.prefill import prefill
from formmerge.prefill.fit import UNFIT_CODE
from formmerge.splitting import split

CATALOG = load_catalog()
BUNDLES = {path.name: merge_bundle(load_bundle(path)) for path in list_example_bundles()}


def _bindings() -> dict[str, MergedForm]:
    """Every example bundle unbound, and bound each way its identities allow one role at a
    time (the applicant is the mother, or the father; the guardian is the mother ...)."""
    out = dict(BUNDLES)
    for path in list_example_bundles():
        bundle = load_bundle(path)
        for role, others in bundle.identities.items():
            for other in others:
                out[f"{path.name} ({role}={other})"] = merge_bundle(bundle, binding={role: other})
    return out


FORMS = _bindings()
# a value the form holds at its own precision (minutes where the register has seconds) fits
NOT_ABOUT_VALUES = {"no-answer", "missing-required", "held-at-form-precision"}


@pytest.fixture(scope="module")
def con(demo_registers: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(demo_registers), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def people(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("SELECT citizen_id FROM population ORDER BY citizen_id").fetchall()
    return [r[0] for r in rows]


@pytest.fixture(scope="module")
def enterprises(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("SELECT uscc FROM enterprise ORDER BY uscc").fetchall()
    return [r[0] for r in rows]


def _merged_field_problems(merged: MergedForm, answers: dict[str, object]) -> list[str]:
    """Where an offered value breaks its merged field: not one of its options, not matching
    one of its patterns, longer than it allows."""
    out = []
    for field_id, value in answers.items():
        field = merged.field(field_id)
        text = str(value)
        if field.options and text not in {o.code for o in field.options}:
            out.append(f"{field_id}: {text!r} is not an option")
        for pattern in field.patterns:
            if pattern_problem(pattern, text, Location(field=field_id)) is not None:
                out.append(f"{field_id}: does not match {pattern!r}")
        if field.max_length is not None and isinstance(value, str) and len(text) > field.max_length:
            out.append(f"{field_id}: longer than {field.max_length}")
    return out


def _offered_problems(merged: MergedForm, con: duckdb.DuckDBPyConnection, key: str) -> list[str]:
    result = prefill(merged, key, connection=con, catalog=CATALOG)
    answers = result.as_answers()
    checked = split(merged, answers, CATALOG)
    problems = [str(p) for p in checked.problems if p.code not in NOT_ABOUT_VALUES]
    return problems + _merged_field_problems(merged, answers)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_offered_value_passes_every_departments_split(
    data: st.DataObject,
    con: duckdb.DuckDBPyConnection,
    people: list[str],
    enterprises: list[str],
) -> None:
    name = data.draw(st.sampled_from(sorted(FORMS)))
    merged = FORMS[name]
    organization = any(f.subject == "organization" for f in merged.forms)
    key = data.draw(st.sampled_from(enterprises if organization else people))
    assert _offered_problems(merged, con, key) == []


@pytest.mark.parametrize(("bundle", "field"), [("marriage-hukou", "marital_status@spouse")])
def test_a_value_the_form_rejects_is_withdrawn_with_a_problem(
    con: duckdb.DuckDBPyConnection, people: list[str], bundle: str, field: str
) -> None:
    merged = BUNDLES[bundle]
    assert field in {f.id for f in merged.fields}
    for key in people[:200]:
        result = prefill(merged, key, connection=con, catalog=CATALOG)
        unfit = [p for p in result.problems if p.code == UNFIT_CODE]
        if any(p.location.field == field for p in unfit):
            assert field not in result.values and field in result.to_type
            assert key not in " ".join(str(p) for p in unfit)
            return
    pytest.fail(f"no demo subject has an unfit {field}")


@pytest.mark.slow
def test_a_region_name_is_offered_as_its_code(
    con: duckdb.DuckDBPyConnection, people: list[str]
) -> None:
    # the medical insurance register holds 宜昌市 (or a county's name); the retirement
    # bundle's 参保统筹区 wants a six-digit GB/T 2260 code: the name is converted, not withdrawn
    merged = BUNDLES["retirement"]
    field = "medical_insurance_region@applicant"
    names = {c.label_zh: c.code for c in CATALOG.code_list("region").codes}
    seen = 0
    for key in people[:300]:
        result = prefill(merged, key, connection=con, catalog=CATALOG)
        assert not [p for p in result.problems if p.location.field == field]
        got = result.values.get(field)
        if got is None:
            continue
        row = con.execute(
            "SELECT medical_insurance_region FROM medical_insurance WHERE citizen_id = ?", [key]
        ).fetchone()
        assert row is not None and got.value == names[row[0]]
        seen += 1
    assert seen > 0


def test_codes_are_offered_through_the_code_list() -> None:
    from formmerge.models import Field, FieldRef, Form, MergedField, Option
    from formmerge.prefill.convert import canonical_prefilled
    from formmerge.prefill.result import PrefilledValue

    form = Form(
        id="f",
        fields=(
            Field(
                key="xb",
                label="性别",
                type="enum",
                options=(Option(code="M", label="男"), Option(code="F", label="女")),
            ),
            Field(key="qh", label="户籍地行政区划代码", format="region-code"),
            Field(key="bz", label="参保统筹区"),
        ),
    )
    merged = MergedForm(
        id="m",
        forms=(form,),
        fields=(
            MergedField(
                id="sex@applicant",
                label="性别",
                item="sex",
                role="applicant",
                type="enum",
                code_list="sex",
                options=(Option(code="1", label="男"), Option(code="2", label="女")),
                sources=(FieldRef(form="f", path="xb"),),
            ),
            MergedField(
                id="hukou_region_code@applicant",
                label="户籍地行政区划代码",
                item="hukou_region_code",
                role="applicant",
                format="region-code",
                sources=(FieldRef(form="f", path="qh"),),
            ),
            MergedField(
                id="medical_insurance_region@applicant",
                label="参保统筹区",
                item="medical_insurance_region",
                role="applicant",
                sources=(FieldRef(form="f", path="bz"),),
            ),
        ),
        matches=(),
    )

    def offered(value: object) -> PrefilledValue:
        return PrefilledValue(value, "s", "部门", None, "verified", True)

    values = {
        "sex@applicant": offered("女"),
        "hukou_region_code@applicant": offered("宜昌市点军区"),
        "medical_insurance_region@applicant": offered("宜昌市"),
    }
    got = {k: v.value for k, v in canonical_prefilled(merged, values, CATALOG).items()}
    # the field without a pattern or region format takes the name as it is
    assert got == {
        "sex@applicant": "2",
        "hukou_region_code@applicant": "420504",
        "medical_insurance_region@applicant": "宜昌市",
    }
    unknown = canonical_prefilled(merged, {"sex@applicant": offered("蓝色")}, CATALOG)
    assert unknown["sex@applicant"].value == "蓝色"  # names nothing: left for fit to withdraw


@pytest.mark.parametrize("value", ["abc", {"a": 1}, [1, 2], 1.7])
def test_a_value_split_cannot_convert_is_unfit_not_a_crash(value: object) -> None:
    from formmerge.models import Field, FieldRef, Form, MergedField
    from formmerge.prefill.fit import unfit_values
    from formmerge.prefill.result import PrefilledValue

    form = Form(id="f", fields=(Field(key="n", label="年龄", type="integer"),))
    merged = MergedForm(
        id="m",
        forms=(form,),
        fields=(
            MergedField(
                id="age@applicant",
                item="age",
                role="applicant",
                label="年龄",
                type="integer",
                sources=(FieldRef(form="f", path="n"),),
            ),
        ),
        matches=(),
    )
    offered = {"age@applicant": PrefilledValue(value, "s", "部门", None, "verified", True)}
    unfit = unfit_values(merged, offered, CATALOG)
    assert [p.code for p in unfit["age@applicant"]] == [UNFIT_CODE]
    assert unfit["age@applicant"][0].location.field == "age@applicant"

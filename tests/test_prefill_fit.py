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
from formmerge.merging import merge_bundle
from formmerge.models import MergedForm
from formmerge.prefill import prefill
from formmerge.prefill.fit import UNFIT_CODE
from formmerge.splitting import split

CATALOG = load_catalog()
BUNDLES = {path.name: merge_bundle(load_bundle(path)) for path in list_example_bundles()}
# a value the form holds at its own precision (minutes where the register has seconds) fits
NOT_ABOUT_VALUES = {"no-answer", "missing-required", "lossy-value"}


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


def _offered_problems(merged: MergedForm, con: duckdb.DuckDBPyConnection, key: str) -> list[str]:
    result = prefill(merged, key, connection=con, catalog=CATALOG)
    checked = split(merged, result.as_answers(), CATALOG)
    return [str(p) for p in checked.problems if p.code not in NOT_ABOUT_VALUES]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_offered_value_passes_every_departments_split(
    data: st.DataObject,
    con: duckdb.DuckDBPyConnection,
    people: list[str],
    enterprises: list[str],
) -> None:
    name = data.draw(st.sampled_from(sorted(BUNDLES)))
    merged = BUNDLES[name]
    organization = any(f.subject == "organization" for f in merged.forms)
    key = data.draw(st.sampled_from(enterprises if organization else people))
    assert _offered_problems(merged, con, key) == []


@pytest.mark.parametrize(
    ("bundle", "field"), [("retirement", "medical_insurance_region@applicant")]
)
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

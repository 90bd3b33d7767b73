"""Tests of batch prefill: same values as one-by-one, inputs, Parquet output, audit."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from formmerge.demodata import demo_subjects
from formmerge.models import MergedForm
from formmerge.prefill import AuditLog, prefill
from formmerge.prefill.api import subject_role
from formmerge.prefill.batch import prefill_batch

MakeForm = Callable[..., MergedForm]

PAIRS = [
    ("name", "applicant"),
    ("citizen_id", "applicant"),
    ("birth_date", "applicant"),
    ("sex", "applicant"),
    ("mobile", "applicant"),
    ("hukou_address", "applicant"),
    ("education_level", "applicant"),
    ("employer_name", "applicant"),
    ("pension_contribution_years", "applicant"),
    ("housing_fund_start_date", "applicant"),
    ("property_area", "applicant"),
    ("plate_number", "applicant"),
    ("disability_type", "applicant"),
    ("name", "spouse"),
    ("mobile", "spouse"),
    ("name", "child"),
    ("birth_time", "child"),
    ("birth_weight", "child"),
    ("name", "father"),
    ("name", "mother"),
    ("death_date", "deceased"),
]


@pytest.fixture(scope="module")
def con(demo_registers: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(demo_registers), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def sample(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Subjects of every kind, and a spread of ordinary people."""
    special = [key for kind, key in demo_subjects(con).items() if kind != "enterprise"]
    people = [r[0] for r in con.execute(
        "SELECT citizen_id FROM population USING SAMPLE reservoir(40 ROWS) REPEATABLE (3)"
    ).fetchall()]  # fmt: skip
    disabled = [r[0] for r in con.execute("SELECT zjhm FROM disability LIMIT 3").fetchall()]
    return special + people + disabled + ["000000000000000000"]


def _clean(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def test_batch_equals_one_by_one(
    con: duckdb.DuckDBPyConnection, sample: list[str], merged_form: MakeForm
) -> None:
    form = merged_form(PAIRS)
    frame = prefill_batch(form, sample, connection=con, progress=False)
    assert list(frame["row"]) == list(range(len(sample)))
    assert list(frame["applicant.citizen_id"]) == sample
    filled = 0
    for row, key in zip(frame.to_dict("records"), sample, strict=True):
        single = prefill(form, key, connection=con)
        for field in form.fields:
            expected = single.values.get(field.id)
            assert _clean(row[field.id]) == (expected.value if expected else None), (key, field.id)
            source = _clean(row[f"{field.id}:source"])
            assert source == (expected.source if expected else None)
            filled += expected is not None
        assert sorted(row["__disagreements"]) == sorted(d.field for d in single.disagreements)
    assert filled > len(sample) * 5


def test_enterprise_batch(con: duckdb.DuckDBPyConnection, merged_form: MakeForm) -> None:
    form = merged_form(
        [("enterprise_name", "organization"), ("name", "legal_representative"),
         ("name", "shareholder"), ("tax_credit_rating", "organization")],
        subject="organization",
    )  # fmt: skip
    codes = [
        r[0] for r in con.execute("SELECT uscc FROM enterprise ORDER BY uscc LIMIT 20").fetchall()
    ]
    frame = prefill_batch(form, codes, connection=con, progress=False)
    assert list(frame["organization.uscc"]) == codes
    for row, code in zip(frame.to_dict("records"), codes, strict=True):
        single = prefill(form, code, connection=con).as_answers()
        assert {k: v for k, v in row.items() if k in single} == single


def test_subject_tables_with_role_columns(
    con: duckdb.DuckDBPyConnection, merged_form: MakeForm
) -> None:
    form = merged_form([("name", "applicant"), ("gestational_weeks", "child")])
    rows = con.execute(
        """SELECT mother_citizen_id, certificate_number, gestational_weeks
           FROM birth_certificate ORDER BY certificate_number LIMIT 10"""
    ).fetchall()
    subjects = pd.DataFrame(
        {"applicant": [r[0] for r in rows], "child.birth_certificate_number": [r[1] for r in rows]}
    )
    frame = prefill_batch(form, subjects, connection=con, progress=False)
    assert list(frame["gestational_weeks@child"]) == [r[2] for r in rows]
    relation = con.sql("SELECT mother_citizen_id AS applicant FROM birth_certificate LIMIT 5")
    assert len(prefill_batch(form, relation, connection=con, progress=False)) == 5
    anonymous = pd.DataFrame({"whatever": [r[0] for r in rows]})
    frame = prefill_batch(form, anonymous, connection=con, progress=False, provenance=False)
    assert list(frame.columns) == [
        "row",
        "applicant.citizen_id",
        "name@applicant",
        "gestational_weeks@child",
    ]
    assert frame["name@applicant"].notna().all()


def test_parquet_output_and_audit(
    con: duckdb.DuckDBPyConnection, sample: list[str], merged_form: MakeForm, tmp_path: Path
) -> None:
    form = merged_form(PAIRS)
    log = AuditLog(salt="s")
    output = tmp_path / "result.parquet"
    summary = prefill_batch(
        form, sample, connection=con, progress=False, output=output, audit=log, matter="batch"
    )
    written = pd.read_parquet(output)
    direct = prefill_batch(form, sample, connection=con, progress=False)
    pd.testing.assert_frame_equal(
        written.drop(columns="__disagreements"),
        direct.drop(columns=["__disagreements", "__derived", "__problems"]),
        check_dtype=False,
    )
    assert list(summary["field"]) == [f.id for f in form.fields]
    assert (summary["subjects"] == len(sample)).all()
    assert (
        summary.set_index("field")["prefilled"].to_dict()
        == written[summary["field"]].notna().sum().to_dict()
    )
    records = log.to_frame()
    assert set(records["subjects"]) == {len(sample)}
    assert records["read_id"].nunique() == 1
    assert set(records["matter"]) == {"batch"}
    asked = set(PAIRS)
    for rec in log.records():
        if not rec.source.startswith("relation:"):
            assert {(i, rec.role) for i in rec.items} <= asked
    expanded = log.to_frame(expand_batches=True)
    assert len(expanded) == len(records) * len(sample)
    assert set(expanded["subject_hash"]) == {log.hash(k) for k in sample}


def test_work_tables_are_dropped(
    con: duckdb.DuckDBPyConnection, sample: list[str], merged_form: MakeForm
) -> None:
    prefill_batch(merged_form(PAIRS), sample[:3], connection=con, progress=False)
    leftovers = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__formmerge%'"
    ).fetchall()
    assert leftovers == []


def test_progress_bar_runs_and_restores_settings(
    con: duckdb.DuckDBPyConnection, sample: list[str], merged_form: MakeForm
) -> None:
    before = con.execute("SELECT current_setting('enable_progress_bar')").fetchall()
    frame = prefill_batch(merged_form(PAIRS), sample, connection=con, progress=True)
    assert len(frame) == len(sample)
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchall() == before


def test_organization_subject_from_the_forms(
    con: duckdb.DuckDBPyConnection, merged_form: MakeForm
) -> None:
    (code,) = con.execute("SELECT uscc FROM enterprise ORDER BY uscc LIMIT 1").fetchall()
    form = merged_form([("enterprise_name", "organization")], subject="organization")
    assert prefill(form, code[0], connection=con).values
    person_form = merged_form([("enterprise_name", "organization")])
    assert not prefill(person_form, code[0], connection=con).values


def test_a_bound_form_reads_the_bound_person_by_the_applicants_key(
    con: duckdb.DuckDBPyConnection, demo_registers: Path
) -> None:
    from formmerge.bundle import list_example_bundles, load_bundle
    from formmerge.merging import merge_bundle

    path = next(p for p in list_example_bundles() if p.name == "newborn-birth")
    merged = merge_bundle(load_bundle(path), binding={"applicant": "mother", "guardian": "mother"})
    mother = demo_subjects(demo_registers)["newborn_mother"]
    frame = prefill_batch(merged, [mother], connection=con, progress=False)
    single = prefill(merged, mother, connection=con)
    for field in ("name@mother", "citizen_id@mother", "mobile@mother"):
        assert frame.loc[0, field] == single.values[field].value
    assert frame.loc[0, "mother.citizen_id"] == mother


def _offered(frame: pd.DataFrame, row: int, field: str) -> tuple[object, object, object]:
    record = frame.iloc[row]
    value, source = _clean(record[field]), _clean(record[f"{field}:source"])
    return value, source, record["__derived"].get(field, "")


def test_every_example_bundle_batch_offers_what_single_prefill_offers(
    con: duckdb.DuckDBPyConnection, sample: list[str]
) -> None:
    """Batch rows are converted, checked and derived as single-subject prefill does: for every
    example bundle and many demo subjects, the same values, sources, derivations, problems."""
    from formmerge.bundle import list_example_bundles, load_bundle
    from formmerge.merging import merge_bundle

    derived = 0
    for path in list_example_bundles():
        merged = merge_bundle(load_bundle(path))
        keys = sample[:12]
        if subject_role(merged) == "organization":
            keys = [r[0] for r in con.execute("SELECT uscc FROM enterprise LIMIT 5").fetchall()]
        frame = prefill_batch(merged, keys, connection=con, progress=False)
        for row, key in enumerate(keys):
            single = prefill(merged, key, connection=con)
            for field in merged.fields:
                if field.id not in frame.columns:
                    assert field.id not in single.values, (path.name, key, field.id)
                    continue
                got = single.values.get(field.id)
                expected = (got.value, got.source, got.derived_from) if got else (None, None, "")
                assert _offered(frame, row, field.id) == expected, (path.name, key, field.id)
                derived += bool(got and got.derived_from)
            problems = [(p.code, p.location.field) for p in frame.iloc[row]["__problems"]]
            single_problems = [
                (p.code, p.location.field)
                for p in single.problems
                if p.code in {"source-value-unfit", "derived-value-conflict"}
            ]
            assert sorted(problems) == sorted(single_problems), (path.name, key)
    assert derived > 0

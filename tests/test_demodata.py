"""Tests of the synthetic demo registers: determinism, valid identifiers, consistent families."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formmerge.demodata as demodata
from formmerge.demodata import (
    TABLES,
    default_demo_path,
    demo_info,
    demo_subjects,
    ensure_demo_data,
    generate,
)
from formmerge.demodata.ids import citizen_ids, scramble, usccs, vins
from formmerge.demodata.schema import INDEXES, VIEWS, create_table_sql
from formmerge.demodata.subjects import SUBJECT_QUERIES
from formmerge.errors import FormmergeError
from formmerge.validators import (
    is_valid_citizen_id,
    is_valid_mobile,
    is_valid_phone,
    is_valid_plate,
    is_valid_uscc,
    is_valid_vin,
    parse_citizen_id,
)


@pytest.fixture(scope="module")
def con(demo_registers: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(demo_registers), read_only=True) as connection:
        yield connection


def _table_hash(path: Path, table: str) -> str:
    columns = ", ".join(f'"{c}"' for c in TABLES[table])
    sql = f"SELECT md5(string_agg(row_text, '|' ORDER BY row_text)) FROM (SELECT CAST(ROW({columns}) AS VARCHAR) AS row_text FROM \"{table}\")"  # noqa: E501
    with duckdb.connect(str(path), read_only=True) as c:
        row = c.execute(sql).fetchone()
    assert row is not None
    return str(row[0])


def _column(con: duckdb.DuckDBPyConnection, sql: str) -> list[object]:
    return [r[0] for r in con.execute(sql).fetchall()]


# ------------------------------------------------------------------------- determinism


def test_same_seed_and_size_give_identical_registers(tmp_path: Path) -> None:
    first = generate(tmp_path / "a.duckdb", 1_000, seed=3, progress=False)
    second = generate(tmp_path / "b.duckdb", 1_000, seed=3, progress=False)
    other = generate(tmp_path / "c.duckdb", 1_000, seed=4, progress=False)
    assert first.rows == second.rows
    for table in TABLES:
        assert _table_hash(first.path, table) == _table_hash(second.path, table), table
    assert _table_hash(first.path, "population") != _table_hash(other.path, "population")


def test_chunks_continue_sequences(tmp_path: Path) -> None:
    summary = generate(
        tmp_path / "chunks.duckdb", 3_000, seed=1, progress=False, chunk_persons=1_000
    )
    with duckdb.connect(str(summary.path), read_only=True) as c:
        for table, column in [
            ("population", "citizen_id"),
            ("birth_certificate", "certificate_number"),
            ("marriage", "certificate_number"),
            ("enterprise", "uscc"),
            ("household", "citizen_id"),
        ]:
            total, distinct = c.execute(
                f'SELECT count(*), count(DISTINCT "{column}") FROM "{table}"'
            ).fetchall()[0]
            assert total == distinct, (table, column)


def test_summary_counts_match_tables(demo_registers: Path, con: duckdb.DuckDBPyConnection) -> None:
    info = demo_info(demo_registers)
    assert info["persons"] == "2000" and info["seed"] == "7"
    for table in TABLES:
        count = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        assert count is not None and count[0] > 0, f"{table} is empty"


def test_schema_matches_declaration(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in TABLES.items():
        described = con.execute(f'DESCRIBE "{table}"').fetchall()
        assert [(r[0], r[1]) for r in described] == list(columns.items())
    indexes = set(con.execute("SELECT index_name FROM duckdb_indexes()").fetchall())
    assert {(f"{t}_{c}",) for t, c in INDEXES} <= indexes
    for view in VIEWS:
        assert con.execute(f'SELECT count(*) FROM "{view}"').fetchone() != (0,)


# ------------------------------------------------------------------------- identifiers


def test_citizen_ids_valid_unique_and_consistent(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT citizen_id, sex, birth_date FROM population").fetchall()
    assert len({r[0] for r in rows}) == len(rows)
    for citizen_id, sex, born in rows:
        info = parse_citizen_id(citizen_id)
        assert (info.sex, info.birth_date) == (sex, born)


@pytest.mark.parametrize(
    ("sql", "check"),
    [
        ("SELECT uscc FROM enterprise", is_valid_uscc),
        ("SELECT taxpayer_id FROM tax_registration", is_valid_uscc),
        ("SELECT vin FROM vehicle", is_valid_vin),
        ("SELECT plate_number FROM vehicle", is_valid_plate),
        ("SELECT mobile FROM population WHERE mobile IS NOT NULL", is_valid_mobile),
        ("SELECT phone FROM enterprise", is_valid_phone),
        ("SELECT student_number[2:] FROM student", is_valid_citizen_id),
        ("SELECT cjrzh[:18] FROM disability", is_valid_citizen_id),
    ],
)
def test_identifiers_pass_their_validators(
    con: duckdb.DuckDBPyConnection, sql: str, check: object
) -> None:
    values = _column(con, sql)
    assert values
    assert all(check(v) for v in values)  # type: ignore[operator]


def test_organization_codes_inside_usccs_are_valid(con: duckdb.DuckDBPyConnection) -> None:
    codes = _column(con, "SELECT uscc FROM enterprise")
    assert all(is_valid_uscc(c, check_organization_code=True) for c in codes)


@settings(max_examples=50, deadline=None)
@given(
    region=st.sampled_from([420502, 420528, 110105, 150105]),
    born=st.dates(date(1900, 1, 1), date(2026, 6, 30)),
    order=st.integers(0, 999),
)
def test_vectorised_citizen_ids_are_valid(region: int, born: date, order: int) -> None:
    value = citizen_ids(np.array([region]), np.array([born], "datetime64[D]"), np.array([order]))
    number = value[0].as_py()
    assert is_valid_citizen_id(number)
    assert parse_citizen_id(number).birth_date == born


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 31**6 - 1), min_size=1, max_size=20, unique=True))
def test_vectorised_usccs_are_valid_and_distinct(seq: list[int]) -> None:
    codes = usccs(np.array(seq), np.full(len(seq), 420500)).to_pylist()
    assert len(set(codes)) == len(codes)
    assert all(is_valid_uscc(c, check_organization_code=True) for c in codes)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(0, 1000))
def test_vectorised_vins_are_valid(seed: int, offset: int) -> None:
    rng = np.random.default_rng(seed)
    codes = vins([b"LSV", b"LGX"], rng, np.array([offset, offset + 1]), np.array([3, 15]))
    assert all(is_valid_vin(c) for c in codes.to_pylist())


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5_000), st.integers(0, 100))
def test_scramble_is_a_bijection(modulus: int, offset: int) -> None:
    values = scramble(np.arange(modulus), modulus, offset)
    assert sorted(values.tolist()) == list(range(modulus))


# ------------------------------------------------------------------------- families


@pytest.mark.parametrize(
    "sql",
    [
        # spouses are a man and a woman who are both in the population register
        """SELECT count(*) FROM marriage m
           LEFT JOIN population h ON h.citizen_id = m.husband_citizen_id AND h.sex = '1'
           LEFT JOIN population w ON w.citizen_id = m.wife_citizen_id AND w.sex = '2'
           WHERE h.citizen_id IS NULL OR w.citizen_id IS NULL""",
        # married people are recorded as married, and married after their legal age
        """SELECT count(*) FROM marriage_party m JOIN population p USING (citizen_id)
           WHERE m.status = '婚姻存续' AND p.marital_status <> '20'""",
        """SELECT count(*) FROM marriage m JOIN population h ON h.citizen_id = m.husband_citizen_id
           WHERE date_diff('year', h.birth_date, m.marriage_date) < 21""",
        "SELECT count(*) FROM marriage WHERE divorce_date < marriage_date",
        # mothers are between 20 and 46 when they give birth; parents are in the register
        """SELECT count(*) FROM birth_certificate b JOIN population m
             ON m.citizen_id = b.mother_citizen_id
           WHERE date_diff('year', m.birth_date, CAST(b.birth_time AS DATE))
                 NOT BETWEEN 20 AND 46""",
        """SELECT count(*) FROM birth_certificate b
           LEFT JOIN population f ON f.citizen_id = b.father_citizen_id
           WHERE f.citizen_id IS NULL""",
        # a registered child's birth date and sex match the certificate
        """SELECT count(*) FROM birth_certificate b JOIN population c
             ON c.citizen_id = b.child_citizen_id
           WHERE c.birth_date <> CAST(b.birth_time AS DATE) OR c.sex <> b.child_sex""",
        # the household head is in the household and the register
        """SELECT count(*) FROM household h LEFT JOIN population p
             ON p.citizen_id = h.head_citizen_id WHERE p.citizen_id IS NULL""",
        # everyone an enterprise names is a person in the register
        """SELECT count(*) FROM enterprise e LEFT JOIN population p
             ON p.citizen_id = e.legal_rep_citizen_id WHERE p.citizen_id IS NULL""",
        """SELECT count(*) FROM (SELECT uscc, sum(shareholding_ratio) AS total FROM shareholder
           GROUP BY uscc) WHERE abs(total - 1) > 1e-6""",
        # the dead are cancelled in the population register, and their spouses widowed
        """SELECT count(*) FROM death d JOIN population p USING (citizen_id)
           WHERE p.status <> '注销'""",
        # school children are between 6 and 17
        """SELECT count(*) FROM student s JOIN population p USING (citizen_id)
           WHERE date_diff('year', p.birth_date, DATE '2026-06-30') NOT BETWEEN 5 AND 18""",
    ],
)
def test_registers_are_consistent(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    assert con.execute(sql).fetchone() == (0,)


def test_newborns_some_not_yet_registered(con: duckdb.DuckDBPyConnection) -> None:
    newborns = con.execute(
        """SELECT count(*), count(child_citizen_id) FROM birth_certificate
           WHERE birth_time >= TIMESTAMP '2025-06-30'"""
    ).fetchone()
    assert newborns is not None
    total, registered = newborns
    assert total > 0
    assert 0 < registered <= total


def test_population_looks_real(con: duckdb.DuckDBPyConnection) -> None:
    shares = dict(
        con.execute(
            "SELECT sex, count(*) / sum(count(*)) OVER () FROM population GROUP BY sex"
        ).fetchall()
    )
    assert 0.45 < shares["1"] < 0.55
    han = con.execute("SELECT avg(CAST(ethnicity = '01' AS INT)) FROM population").fetchone()
    assert han is not None and han[0] > 0.8
    surnames = con.execute(
        "SELECT name[1], count(*) FROM population GROUP BY 1 ORDER BY 2 DESC LIMIT 5"
    ).fetchall()
    assert {s for s, _ in surnames} & {"王", "李", "张", "刘", "陈"}


# ------------------------------------------------------------------------- subjects and paths


def test_demo_subjects_exist(con: duckdb.DuckDBPyConnection, demo_registers: Path) -> None:
    subjects = demo_subjects(con)
    assert set(subjects) == set(SUBJECT_QUERIES)
    assert demo_subjects(demo_registers) == subjects
    for kind, key in subjects.items():
        table, column = (
            ("enterprise", "uscc") if kind == "enterprise" else ("population", "citizen_id")
        )
        found = con.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?', [key])
        assert found.fetchone() == (1,), kind


def test_demo_subjects_reports_missing_kinds() -> None:
    with duckdb.connect() as empty:
        for table in TABLES:
            empty.execute(create_table_sql(table))
        for view, body in VIEWS.items():
            empty.execute(f'CREATE VIEW "{view}" AS {body}')
        empty.execute(
            "CREATE TABLE demo_info AS SELECT 'reference_date' AS key, '2026-06-30' AS value"
        )
        with pytest.raises(FormmergeError) as caught:
            demo_subjects(empty)
    assert set(caught.value.codes) == {"no-demo-subject"}
    assert len(caught.value.problems) == len(SUBJECT_QUERIES)


def test_demo_subjects_rejects_other_databases() -> None:
    with duckdb.connect() as other, pytest.raises(FormmergeError, match="demo registers"):
        demo_subjects(other)


def test_default_path_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FORMMERGE_DEMO_DB", str(tmp_path / "x.duckdb"))
    assert default_demo_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("FORMMERGE_DEMO_DB")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_demo_path() == tmp_path / "cache" / "formmerge" / "demo.duckdb"


def test_ensure_demo_data_builds_once(tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    assert ensure_demo_data(path, persons=500, progress=False) == path
    built = os.stat(path).st_mtime_ns
    ensure_demo_data(path, persons=500, progress=False)
    assert os.stat(path).st_mtime_ns == built
    ensure_demo_data(path, persons=600, progress=False)
    assert demo_info(path)["persons"] == "600"
    assert not list(tmp_path.glob(".*partial*"))


def test_ensure_demo_data_never_overwrites_other_files(tmp_path: Path) -> None:
    path = tmp_path / "registers.duckdb"
    with duckdb.connect(str(path)) as c:
        c.execute("CREATE TABLE population AS SELECT 1 AS x")
    with pytest.raises(FormmergeError) as caught:
        ensure_demo_data(path, persons=500, progress=False)
    assert caught.value.codes == ["not-demo-data"]
    with duckdb.connect(str(path), read_only=True) as c:
        assert c.execute("SELECT x FROM population").fetchall() == [(1,)]


@pytest.mark.parametrize(("persons", "chunk"), [(10, 1_000), (10**9, 1_000), (1_000, 5)])
def test_generate_rejects_bad_sizes(tmp_path: Path, persons: int, chunk: int) -> None:
    with pytest.raises(FormmergeError):
        generate(tmp_path / "x.duckdb", persons, progress=False, chunk_persons=chunk)
    assert not (tmp_path / "x.duckdb").exists()


def test_exports() -> None:
    assert len(set(demodata.__all__)) == len(demodata.__all__)
    for name in demodata.__all__:
        assert hasattr(demodata, name)

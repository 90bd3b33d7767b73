"""Prefill and verification from the demo registers loaded into PostgreSQL, against DuckDB.

A fixture shared by the whole test run starts a private PostgreSQL cluster on a free loopback
port (as the ``postgres`` system user when run as root), copies the demo registers into it,
creates a role that may only SELECT, and stops the cluster at the end. Without the server
binaries or psycopg the tests are skipped, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.catalog import load_catalog
from formmerge.decisions import load_decisions
from formmerge.demodata import demo_subjects
from formmerge.demodata.postgres import (
    LocalCluster,
    find_postgres_bin,
    grant_read_only,
    load_registers,
)
from formmerge.errors import SourceError
from formmerge.merging import merge
from formmerge.models import MergedForm
from formmerge.prefill import AuditLog, load_sources, prefill, prefill_batch
from formmerge.prefill.postgres_audit import PostgresAuditLog
from formmerge.prefill.postgres_backend import PostgresBackend
from formmerge.prefill.sql import Query
from formmerge.rules import load_rules, verify, verify_batch

psycopg = pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg (the dev extra)")

if find_postgres_bin() is None:
    pytest.skip(
        "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql",
        allow_module_level=True,
    )

MakeForm = Callable[..., MergedForm]
READER, READER_PASSWORD = "formmerge_reader", "reader-secret"
SALT = "test-salt"
PAIRS = [
    ("name", "applicant"), ("citizen_id", "applicant"), ("birth_date", "applicant"),
    ("sex", "applicant"), ("mobile", "applicant"), ("hukou_address", "applicant"),
    ("education_level", "applicant"), ("employer_name", "applicant"),
    ("pension_contribution_years", "applicant"), ("housing_fund_start_date", "applicant"),
    ("housing_fund_balance", "applicant"), ("property_area", "applicant"),
    ("plate_number", "applicant"), ("disability_type", "applicant"),
    ("disability_level", "applicant"), ("name", "spouse"), ("mobile", "spouse"),
    ("name", "child"), ("birth_time", "child"), ("birth_weight", "child"),
    ("birth_date", "child"), ("name", "father"), ("name", "mother"), ("death_date", "deceased"),
]  # fmt: skip


@dataclass(frozen=True)
class Registers:
    """The demo registers in both databases."""

    duckdb_file: Path
    cluster: LocalCluster
    reader_dsn: str


@pytest.fixture(scope="session")
def registers(demo_registers: Path) -> Iterator[Registers]:
    with LocalCluster() as cluster:
        with psycopg.connect(cluster.dsn()) as admin:
            load_registers(demo_registers, admin)
            grant_read_only(admin, READER, READER_PASSWORD)
        yield Registers(demo_registers, cluster, cluster.dsn(READER, READER_PASSWORD))


@pytest.fixture(scope="module")
def pg(registers: Registers) -> Iterator[Any]:
    with psycopg.connect(registers.reader_dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def duck(registers: Registers) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(registers.duckdb_file), read_only=True) as connection:
        yield connection


def _fingerprint(dsn: str) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table and view of the registers."""
    with psycopg.connect(dsn) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchall()]  # fmt: skip
        out = {}
        for name in sorted(names):
            query = (
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f' FROM "{name}" AS t'
            )
            count, digest = con.execute(query).fetchone()  # type: ignore[misc]
            out[name] = (count, digest)
    return out


@pytest.fixture(scope="module")
def fingerprint(registers: Registers) -> dict[str, tuple[int, str]]:
    return _fingerprint(registers.cluster.dsn())


@pytest.fixture(autouse=True)
def unchanged(registers: Registers, fingerprint: dict[str, tuple[int, str]]) -> Iterator[None]:
    """Every test leaves the registers exactly as they were."""
    yield
    assert _fingerprint(registers.cluster.dsn()) == fingerprint


@pytest.fixture(scope="module")
def people(duck: duckdb.DuckDBPyConnection) -> list[str]:
    """Demo subjects of every kind, disabled people (text dates, mapped codes), others."""
    special = [key for kind, key in demo_subjects(duck).items() if kind != "enterprise"]
    disabled = [r[0] for r in duck.execute("SELECT zjhm FROM disability LIMIT 5").fetchall()]
    funded = [r[0] for r in duck.execute("SELECT zjhm FROM housing_fund LIMIT 5").fetchall()]
    others = [r[0] for r in duck.execute(
        "SELECT citizen_id FROM population ORDER BY hash(citizen_id) LIMIT 1000"
    ).fetchall()]  # fmt: skip
    return [*dict.fromkeys(special + disabled + funded + others), "000000000000000000"]


def _value_rows(result: Any) -> dict[str, tuple[Any, ...]]:
    return {
        field: (v.value, v.source, v.department, v.as_of, v.authority, v.read_only, v.item, v.role)
        for field, v in result.values.items()
    }


def _audit_rows(log: AuditLog) -> list[tuple[Any, ...]]:
    return [
        (r.matter, r.subject_hash, r.role, r.key_hash, r.source, r.items, r.found, r.subjects)
        for r in log.records()
    ]


def _same_single(
    form: MergedForm, key: str, pg: Any, duck: Any, reads: tuple[str, ...] = ()
) -> Any:
    logs = AuditLog(salt=SALT), AuditLog(salt=SALT)
    ours = prefill(form, key, connection=pg, audit=logs[0], matter="m", reads=reads)
    theirs = prefill(form, key, connection=duck, audit=logs[1], matter="m", reads=reads)
    assert _value_rows(ours) == _value_rows(theirs), key
    assert ours.to_type == theirs.to_type
    assert ours.disagreements == theirs.disagreements
    assert ours.roles == theirs.roles
    assert ours.problems == theirs.problems
    assert "source-failed" not in {p.code for p in ours.problems}
    assert _audit_rows(logs[0]) == _audit_rows(logs[1])
    return ours


def test_one_by_one_equals_duckdb(
    pg: Any, duck: Any, people: list[str], merged_form: MakeForm
) -> None:
    form = merged_form(PAIRS)
    filled = sum(len(_same_single(form, key, pg, duck).values) for key in people[:30])
    assert filled > 30 * 5


@pytest.mark.slow
def test_thousand_one_by_one_equal_duckdb(
    pg: Any, duck: Any, people: list[str], merged_form: MakeForm
) -> None:
    form = merged_form(PAIRS)
    assert len(people) >= 1_000
    for key in people[:1_000]:
        _same_single(form, key, pg, duck)


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype(object).where(frame.notna(), None)
    if "__disagreements" in out:
        out["__disagreements"] = [sorted(v) for v in out["__disagreements"]]
    return out


def _same_batch(form: MergedForm, subjects: Any, pg: Any, duck: Any) -> pd.DataFrame:
    logs = AuditLog(salt=SALT), AuditLog(salt=SALT)
    ours = prefill_batch(form, subjects, connection=pg, progress=False, audit=logs[0])
    theirs = prefill_batch(form, subjects, connection=duck, progress=False, audit=logs[1])
    assert list(ours.columns) == list(theirs.columns)
    pd.testing.assert_frame_equal(_clean(ours), _clean(theirs))
    strip = [(r.role, r.source, r.items, r.subjects) for r in logs[0].records()]
    assert strip == [(r.role, r.source, r.items, r.subjects) for r in logs[1].records()]
    expanded = [frame.sort_values(["source", "role", "subject_hash"])["subject_hash"].tolist()
                for frame in (log.to_frame(expand_batches=True) for log in logs)]  # fmt: skip
    assert expanded[0] == expanded[1]
    return ours


def test_batch_equals_duckdb(pg: Any, duck: Any, people: list[str], merged_form: MakeForm) -> None:
    frame = _same_batch(merged_form(PAIRS), people, pg, duck)
    assert frame["name@applicant"].notna().sum() > len(people) * 0.9


@pytest.mark.slow
def test_hundred_thousand_in_batch_equal_duckdb(
    pg: Any, duck: Any, people: list[str], merged_form: MakeForm
) -> None:
    everyone = [r[0] for r in duck.execute("SELECT citizen_id FROM population").fetchall()]
    unknown = [f"{n:018d}" for n in range(100_000 - len(everyone))]
    subjects = everyone + unknown  # every person on record, padded with keys on no record
    frame = _same_batch(merged_form(PAIRS), subjects, pg, duck)
    assert len(frame) == 100_000


def test_enterprise_batch_and_role_columns(pg: Any, duck: Any, merged_form: MakeForm) -> None:
    form = merged_form(
        [("enterprise_name", "organization"), ("name", "legal_representative"),
         ("name", "shareholder"), ("tax_credit_rating", "organization")],
        subject="organization",
    )  # fmt: skip
    codes = [r[0] for r in duck.execute("SELECT uscc FROM enterprise LIMIT 30").fetchall()]
    _same_batch(form, codes, pg, duck)
    rows = duck.execute(
        "SELECT mother_citizen_id, certificate_number FROM birth_certificate LIMIT 20"
    ).fetchall()
    subjects = pd.DataFrame(
        {"applicant": [r[0] for r in rows], "child.birth_certificate_number": [r[1] for r in rows]}
    )
    _same_batch(merged_form([("name", "applicant"), ("gestational_weeks", "child")]), subjects,
                pg, duck)  # fmt: skip


def _bundle_form(name: str) -> tuple[MergedForm, Path]:
    bundle = load_bundle(next(p for p in list_example_bundles() if p.name == name))
    assert bundle.source_dir is not None
    decisions = bundle.source_dir / "decisions.yaml"
    merged = merge(
        bundle.forms,
        load_catalog(),
        decisions=load_decisions(decisions) if decisions.is_file() else None,
        merged_id=bundle.id,
    )
    return merged, bundle.source_dir


@pytest.mark.parametrize("name", ["marriage-hukou", "newborn-birth", "retirement"])
def test_bundle_prefilled_and_verified_one_by_one_as_from_duckdb(
    name: str, pg: Any, duck: Any, people: list[str]
) -> None:
    merged, folder = _bundle_form(name)
    rules = load_rules(folder)
    reads = tuple(rules.reads)
    for key in people[:8]:
        ours = _same_single(merged, key, pg, duck, reads)
        theirs = prefill(merged, key, connection=duck, reads=reads)
        assert verify(ours, rules) == verify(theirs, rules)


@pytest.mark.parametrize("name", ["marriage-hukou", "retirement"])
def test_bundle_prefilled_and_verified_in_batch_as_from_duckdb(
    name: str, pg: Any, duck: Any, people: list[str]
) -> None:
    merged, folder = _bundle_form(name)
    rules = load_rules(folder)
    batches = [
        prefill_batch(merged, people, connection=c, progress=False, provenance=False)
        for c in (pg, duck)
    ]
    pd.testing.assert_frame_equal(_clean(batches[0]), _clean(batches[1]))
    columns = [c for c in batches[1].columns if "@" in c]
    outcomes = [verify_batch(b[columns], rules, fields=columns) for b in batches]
    pd.testing.assert_frame_equal(outcomes[0], outcomes[1])


def test_parquet_output(pg: Any, duck: Any, people: list[str], merged_form: MakeForm,
                        tmp_path: Path) -> None:  # fmt: skip
    form = merged_form(PAIRS)
    summaries = [
        prefill_batch(form, people[:50], connection=c, progress=False, output=tmp_path / f"{i}.pq")
        for i, c in enumerate((pg, duck))
    ]
    pd.testing.assert_frame_equal(summaries[0], summaries[1])
    written = [pd.read_parquet(tmp_path / f"{i}.pq") for i in range(2)]
    pd.testing.assert_frame_equal(_clean(written[0]), _clean(written[1]))


KEYS = st.text(st.characters(blacklist_categories=("C",)), min_size=1, max_size=40).filter(
    str.strip
)
HOSTILE_KEYS = [
    "' OR '1'='1",
    "x'); DELETE FROM population; --",
    "%(p0)s",
    "%s",
    "$p0",
    '"; DROP TABLE population; --',
    "\\'; SELECT pg_sleep(1); --",
    "420502' UNION SELECT name FROM population --",
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_hostile_subject_keys_find_nothing(key: str, pg: Any, merged_form: MakeForm) -> None:
    form = merged_form(PAIRS)
    result = prefill(form, key, connection=pg)
    assert result.values == {}
    assert [p.code for p in result.problems] == ["subject-not-found"]  # found nowhere, no error
    frame = prefill_batch(form, [key, key + "1"], connection=pg, progress=False)
    assert frame["name@applicant"].isna().all()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    key=st.text(st.characters(blacklist_categories=("C",)), min_size=1, max_size=40).filter(
        str.strip
    )
)
def test_any_key_is_a_value_never_sql(key: str, pg: Any, merged_form: MakeForm) -> None:
    form = merged_form([("name", "applicant"), ("name", "spouse")])
    assert {p.code for p in prefill(form, key, connection=pg).problems} <= {"subject-not-found"}
    frame = prefill_batch(form, [key], connection=pg, progress=False)
    assert len(frame) == 1


def test_hostile_configuration_values_stay_values(
    pg: Any, duck: Any, people: list[str], merged_form: MakeForm
) -> None:
    data = load_sources().to_dict()
    housing = next(s for s in data["sources"] if s["id"] == "housing_fund")
    housing["filter"] = {"zt": "正常'; DELETE FROM housing_fund; --"}
    housing["columns"]["housing_fund_start_date"] = {
        "column": "khrq", "transform": [{"date": "%Y%m%d'||pg_sleep(1)||'"}],
    }  # fmt: skip
    disability = next(s for s in data["sources"] if s["id"] == "disability")
    disability["columns"]["disability_type"] = {
        "column": "cjlb", "transform": [{"map": {"肢体'); DROP TABLE x; --": "4", "%s": "9"}}],
    }  # fmt: skip
    config = load_sources(data)
    form = merged_form(
        [
            ("housing_fund_balance", "applicant"),
            ("disability_type", "applicant"),
            ("name", "applicant"),
        ]
    )
    for c in (pg, duck):
        frame = prefill_batch(form, people, connection=c, sources=config, progress=False)
        assert frame["housing_fund_balance@applicant"].isna().all()
        assert frame["disability_type@applicant"].isna().all()
        assert frame["name@applicant"].notna().any()


def test_a_write_through_the_backend_fails(registers: Registers) -> None:
    statements = [
        Query("DELETE FROM population"),
        Query("INSERT INTO death (citizen_id) VALUES ($p0)", {"p0": "x"}),
        Query("CREATE TABLE stolen AS SELECT * FROM population"),
        Query("UPDATE population SET name = $p0", {"p0": "x"}),
    ]
    with PostgresBackend(dsn=registers.reader_dsn) as backend:
        for query in statements:
            with pytest.raises(SourceError, match=r"read-only|permission denied"):
                backend.rows(query, "writing")
    # even the superuser's own connection is read-only while formmerge uses it
    with psycopg.connect(registers.cluster.dsn()) as admin:
        admin.execute("SELECT 1")  # the caller's transaction is open
        with PostgresBackend(admin) as backend:
            for query in statements:
                with pytest.raises(SourceError, match="read-only"):
                    backend.rows(query, "writing")
            assert backend.rows(Query("SELECT count(*) FROM death"), "counting")[0][0] > 0
        assert admin.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        admin.rollback()


def test_errors_show_no_values(pg: Any, people: list[str], merged_form: MakeForm) -> None:
    data = load_sources().to_dict()
    population = next(s for s in data["sources"] if s["id"] == "population")
    population["columns"]["name"] = "no_such_column"
    config = load_sources(data)
    key = people[0]
    result = prefill(merged_form([("name", "applicant")]), key, connection=pg, sources=config)
    assert [p.code for p in result.problems] == ["source-failed"]
    assert key not in str(result.problems) and "no_such_column" in str(result.problems)
    with pytest.raises(SourceError) as caught:
        prefill_batch(merged_form([("name", "applicant")]), [key], connection=pg, sources=config,
                      progress=False)  # fmt: skip
    assert key not in str(caught.value)


def _config_file(tmp_path: Path, postgres: str) -> Path:
    text = (Path(load_sources().source_file or "")).read_text(encoding="utf-8")
    text = text.replace("database: null", postgres, 1)
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_dsn_from_the_environment_or_a_secrets_file(
    registers: Registers, people: list[str], merged_form: MakeForm, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    form = merged_form([("name", "applicant"), ("name", "spouse")])
    expected = prefill(form, people[0], connection=str(registers.duckdb_file)).as_answers()
    monkeypatch.setenv("TEST_REGISTERS_DSN", registers.reader_dsn)
    by_env = _config_file(tmp_path, "postgres: {dsn_env: TEST_REGISTERS_DSN}")
    assert prefill(form, people[0], sources=by_env).as_answers() == expected
    (tmp_path / "registers.dsn").write_text(registers.reader_dsn + "\n", encoding="utf-8")
    by_file = _config_file(tmp_path, "postgres: {dsn_file: registers.dsn}")
    assert prefill(form, people[0], sources=by_file).as_answers() == expected
    assert prefill(form, people[0], connection=registers.reader_dsn).as_answers() == expected
    frame = prefill_batch(form, people[:5], sources=by_file, progress=False)
    assert list(frame["name@applicant"].notna()) == [True] * 5


def test_missing_or_inline_dsn_is_a_located_problem(
    tmp_path: Path, merged_form: MakeForm, registers: Registers
) -> None:
    form = merged_form([("name", "applicant")])
    os.environ.pop("TEST_UNSET_DSN", None)
    unset = _config_file(tmp_path, "postgres: {dsn_env: TEST_UNSET_DSN}")
    with pytest.raises(SourceError) as caught:
        prefill(form, "420502199001011234", sources=unset)
    assert [p.code for p in caught.value.problems] == ["missing-database-dsn"]
    for inline in (
        f"database: {registers.reader_dsn}",
        f"postgres: {registers.reader_dsn}",
        f"postgres: {{dsn: '{registers.reader_dsn}'}}",
        "postgres: {dsn_env: X, password: hunter2}",
    ):
        path = _config_file(tmp_path, inline)
        with pytest.raises(SourceError) as caught:
            load_sources(path)
        (problem,) = caught.value.problems
        assert problem.code == "inline-database-secret"
        assert problem.location.file == str(path) and problem.location.line == 6
        assert READER_PASSWORD not in str(caught.value) and "hunter2" not in str(caught.value)


def test_bad_password_is_an_error_without_the_password(
    registers: Registers, merged_form: MakeForm
) -> None:
    form = merged_form([("name", "applicant")])
    wrong = registers.cluster.dsn(READER, "not-the-password")
    for attempt in (
        lambda: PostgresBackend(dsn=wrong),
        lambda: prefill(form, "1", connection=wrong),
    ):
        with pytest.raises(SourceError) as caught:
            attempt()
        assert [p.code for p in caught.value.problems] == ["unreadable-database"]
        assert "not-the-password" not in str(caught.value)


@pytest.fixture(scope="module")
def audit_db(registers: Registers) -> Iterator[Any]:
    """A database of its own for the audit trail, apart from the registers."""
    with psycopg.connect(registers.cluster.dsn(), autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS audit")
        admin.execute("CREATE DATABASE audit")
    with psycopg.connect(registers.cluster.dsn(dbname="audit"), autocommit=True) as connection:
        yield connection


def test_audit_kept_in_postgres_equals_duckdb(
    pg: Any, duck: Any, people: list[str], merged_form: MakeForm, audit_db: Any, tmp_path: Path
) -> None:
    form = merged_form(PAIRS)
    audit_db.execute("DROP TABLE IF EXISTS trail, trail_subject")
    kept, local = PostgresAuditLog(audit_db, salt=SALT, table="trail"), AuditLog(salt=SALT)
    for key in people[:5]:
        prefill(form, key, connection=pg, audit=kept, matter="m")
        prefill(form, key, connection=duck, audit=local, matter="m")
    prefill_batch(form, people[:20], connection=pg, audit=kept, progress=False)
    prefill_batch(form, people[:20], connection=duck, audit=local, progress=False)
    assert _audit_rows(kept) == _audit_rows(local)
    expanded = [
        log.to_frame(expand_batches=True)
        .drop(columns=["read_at", "read_id"])
        .pipe(lambda f: f.assign(items=f["items"].map(tuple)))
        .sort_values(["source", "role", "subject_hash"], na_position="first")
        .reset_index(drop=True)
        for log in (kept, local)
    ]
    pd.testing.assert_frame_equal(_clean(expanded[0]), _clean(expanded[1]))
    assert len(pd.read_parquet(kept.export(tmp_path / "trail.parquet"))) == len(kept.records())
    again = PostgresAuditLog(audit_db, salt=SALT, table="trail")  # the tables exist: appends
    assert len(again.records()) == len(kept.records())


def test_audit_store_failure_is_a_problem(registers: Registers, pg: Any) -> None:
    with pytest.raises(SourceError) as caught:
        PostgresAuditLog(pg, salt=SALT)  # the registers' role may not create tables
    assert caught.value.codes == ["audit-store-failed"]

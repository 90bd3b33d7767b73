"""Tests of the SQL builders, value conversion, and resistance to injection."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as parquet
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.demodata import TABLES
from formmerge.errors import SourceError
from formmerge.models import FieldType, MergedForm
from formmerge.prefill import load_sources, prefill
from formmerge.prefill.config import RelationSpec, SourceSpec
from formmerge.prefill.sql import (
    Query,
    quote_identifier,
    relation_lookup_sql,
    renamed_parameters,
    roles_sql,
    source_read_sql,
    union_rows_sql,
)

MakeForm = Callable[..., MergedForm]
INJECTIONS = [
    "'; DROP TABLE population; --",
    '"; DROP TABLE population; --',
    "420502199405150023' OR '1'='1",
    "x' UNION SELECT name FROM population --",
    "$p0",
    "?",
    "1; DELETE FROM household",
]


def _source(**columns: Any) -> SourceSpec:
    return SourceSpec.model_validate(
        {
            "id": "src",
            "relation": "t",
            "authority": "verified",
            "key": {"item": "citizen_id", "column": "k"},
            "columns": columns,
            "as_of": {"column": "d", "transform": [{"date": "%Y%m%d"}]},
        }
    )


@pytest.fixture
def table() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as con:
        con.execute(
            """CREATE TABLE t AS SELECT * FROM (VALUES
                 ('a', ' 男 ', '19900102', '2020-05-01 08:30:00', '3,300', 'x-12-y', 'true',
                  '20250101'),
                 ('a', '女', '19900103', '2021-05-01 08:30:00', '3100', '7', 'false',
                  '20240101'),
                 ('b', '其他', 'bad date', NULL, '', '', 'maybe', NULL)
               ) AS v(k, xb, csrq, sj, tz, code, flag, d)"""
        )
        yield con


@pytest.mark.parametrize(
    ("spec", "kind", "expected_a", "expected_b"),
    [
        ({"column": "xb", "transform": ["strip", {"map": {"男": "1", "女": "2"}}]}, "enum", "1",
         None),
        ({"column": "csrq", "transform": [{"date": "%Y%m%d"}]}, "date", "1990-01-02", None),
        ({"column": "sj"}, "datetime", "2020-05-01T08:30:00", None),
        ({"column": "sj"}, "date", "2020-05-01", None),
        ({"column": "tz", "transform": ["digits"]}, "integer", 3300, None),
        ({"column": "tz", "transform": ["digits", {"cast": "number"}]}, "number", 3300.0, None),
        ({"column": "code", "transform": ["digits"]}, "string", "12", None),
        ({"column": "code", "transform": ["upper"]}, "string", "X-12-Y", None),
        ({"column": "flag"}, "boolean", True, None),
        ({"column": "xb", "transform": [{"map": {"其他": True}}]}, "boolean", None, True),
    ],
)  # fmt: skip
def test_transforms_and_canonical_values(
    table: duckdb.DuckDBPyConnection,
    spec: dict[str, Any],
    kind: FieldType,
    expected_a: object,
    expected_b: object,
) -> None:
    source = _source(v=spec).model_copy(update={"unique_key": False})
    source = SourceSpec.model_validate({**source.model_dump(by_alias=True), "latest": "d"})
    query = source_read_sql(source, {"v": kind}, ["a", "b"])
    rows = {r[0]: r for r in table.execute(query.sql, query.params).fetchall()}
    assert rows["a"][1] == expected_a  # the latest of the two rows of key a
    assert rows["a"][2] == "2025-01-01"
    assert rows["b"][1] == expected_b


def test_item_limited_to_some_keys(table: duckdb.DuckDBPyConnection) -> None:
    source = _source(v="xb", w="csrq").model_copy(update={"unique_key": True})
    query = source_read_sql(source, {"v": "string", "w": "string"}, ["a", "b"], {"v": ["b"]})
    rows = table.execute(query.sql, query.params).fetchall()
    assert {r[0] for r in rows} == {"a", "b"}
    assert all(r[1] is None for r in rows if r[0] == "a")
    assert all(r[2] is not None for r in rows if r[0] == "a")


@pytest.mark.parametrize(
    ("name", "quoted"),
    [("population", '"population"'), ('a"b', '"a""b"'), ("name@role:source", '"name@role:source"')],
)
def test_quote_identifier(name: str, quoted: str) -> None:
    assert quote_identifier(name) == quoted


@settings(max_examples=50, deadline=None)
@given(keys=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4))
def test_values_never_reach_sql_text(keys: list[str]) -> None:
    source = _source(name="name").model_copy(update={"filter": {"zt": keys[0]}})
    query = source_read_sql(source, {"name": "string"}, keys)
    for key in keys:
        assert key in query.params.values()
    text = query.sql
    for key in keys:
        if len(key) > 3 and not key.isidentifier():
            assert key not in text
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t (k VARCHAR, name VARCHAR, d VARCHAR, zt VARCHAR)")
        con.execute("INSERT INTO t VALUES (?, 'n', '20250101', ?)", [keys[0], keys[0]])
        rows = con.execute(query.sql, query.params).fetchall()
        assert [r[0] for r in rows] == [keys[0]]
        assert con.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_relation_lookup_tries_entries_in_order() -> None:
    first = RelationSpec.model_validate(
        {"role": "spouse", "relation": "m", "key": {"item": "citizen_id", "column": "h"},
         "yields": {"citizen_id": "w"}, "latest": "d"}
    )  # fmt: skip
    second = RelationSpec.model_validate(
        {"role": "spouse", "relation": "m", "key": {"item": "citizen_id", "column": "w"},
         "yields": {"citizen_id": "h"}}
    )  # fmt: skip
    with duckdb.connect() as con:
        con.execute(
            "CREATE TABLE m AS FROM (VALUES ('a','b',1), ('a','c',2), ('d','a',3)) AS v(h, w, d)"
        )
        query = relation_lookup_sql([(first, "a"), (second, "a")], ["citizen_id"])
        assert con.execute(query.sql, query.params).fetchall() == [(0, "c")]
        query = relation_lookup_sql([(first, "x"), (second, "a")], ["citizen_id"])
        assert con.execute(query.sql, query.params).fetchall() == [(1, "d")]
        query = relation_lookup_sql([(first, "'; DROP TABLE m; --")], ["citizen_id"])
        assert con.execute(query.sql, query.params).fetchall() == []
        assert con.execute("SELECT count(*) FROM m").fetchone() == (3,)


# ------------------------------------------------------------------------- injection end to end


def _fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in TABLES:
        row = con.execute(f'SELECT count(*), sum(hash(COLUMNS(*))) FROM "{name}"').fetchone()
        out[name] = row
    return out


@pytest.fixture
def writable(demo_registers: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the registers: injection must fail even where writing is possible."""
    copy = tmp_path / "registers.duckdb"
    shutil.copy(demo_registers, copy)
    with duckdb.connect(str(copy)) as con:
        yield con


@pytest.mark.parametrize("key", INJECTIONS)
def test_subject_keys_are_only_data(
    writable: duckdb.DuckDBPyConnection, merged_form: MakeForm, key: str
) -> None:
    before = _fingerprint(writable)
    form = merged_form([("name", "applicant"), ("name", "spouse"), ("name", "child")])
    result = prefill(form, key, connection=writable)
    assert result.values == {}
    mapping = {"applicant": key, "child.birth_certificate_number": key}
    assert prefill(form, mapping, connection=writable).values == {}
    assert _fingerprint(writable) == before


@pytest.mark.parametrize("value", INJECTIONS)
def test_config_values_are_only_data(
    writable: duckdb.DuckDBPyConnection, merged_form: MakeForm, value: str
) -> None:
    before = _fingerprint(writable)
    key = writable.execute("SELECT zjhm FROM housing_fund LIMIT 1").fetchone()
    assert key is not None
    config = load_sources().model_dump(by_alias=True)
    fund = next(s for s in config["sources"] if s["id"] == "housing_fund")
    fund["filter"] = {"zt": value}
    fund["columns"]["housing_fund_start_date"]["transform"] = [{"date": value}]
    fund["columns"]["housing_fund_status"] = {
        "column": "zt",
        "transform": [{"map": {value: value}}],
    }
    form = merged_form(
        [("housing_fund_account", "applicant"), ("housing_fund_status", "applicant")]
    )
    result = prefill(form, str(key[0]), connection=writable, sources=load_sources(config))
    assert result.values == {}
    fund["filter"] = {}
    result = prefill(form, str(key[0]), connection=writable, sources=load_sources(config))
    assert "housing_fund_account@applicant" in result.values
    assert _fingerprint(writable) == before


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("sources", 0, "relation"), "population; DROP TABLE population"),
        (("sources", 0, "relation"), 'population"; DROP TABLE population; --'),
        (("sources", 0, "key", "column"), "citizen_id) OR (1=1"),
        (("sources", 0, "columns", "name"), "name FROM population; --"),
        (("sources", 0, "as_of"), "updated_at --"),
        (("relations", 0, "latest"), "marriage_date; DROP TABLE marriage"),
        (("sources", 0, "filter"), {"status = status OR 1": "x"}),
    ],
)
def test_identifiers_in_config_are_checked(path: tuple[Any, ...], value: object) -> None:
    config = load_sources().model_dump(by_alias=True)
    node = config
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(SourceError) as caught:
        load_sources(config)
    assert set(caught.value.codes) <= {"bad-identifier", "invalid-source-config"}


def test_registers_are_attached_read_only(demo_registers: Path, merged_form: MakeForm) -> None:
    before = demo_registers.stat().st_mtime_ns
    from formmerge.prefill.duckdb_backend import DuckDBBackend

    with DuckDBBackend(database=demo_registers) as backend, pytest.raises(duckdb.Error):
        backend.connection.execute("DELETE FROM population")
    prefill(merged_form([("name", "applicant")]), "x", connection=demo_registers)
    assert demo_registers.stat().st_mtime_ns == before


def test_dataframe_and_parquet_sources(
    demo_registers: Path, merged_form: MakeForm, tmp_path: Path
) -> None:
    with duckdb.connect(str(demo_registers), read_only=True) as con:
        people = con.sql(
            "SELECT citizen_id AS sfzh, name AS xm FROM population LIMIT 50"
        ).to_arrow_table()
    key, name = people.column("sfzh")[0].as_py(), people.column("xm")[0].as_py()
    config = {
        "sources": [
            {"id": "frame", "relation": "people_frame", "authority": "self-declared",
             "key": {"item": "citizen_id", "column": "sfzh"}, "columns": {"name": "xm"}},
        ]
    }  # fmt: skip
    form = merged_form([("name", "applicant")])
    with duckdb.connect() as con:
        con.register("people_frame", people.to_pandas())
        result = prefill(form, key, connection=con, sources=load_sources(config))
    assert result.values["name@applicant"].value == name
    assert not result.values["name@applicant"].read_only
    pq = tmp_path / "data" / "people.parquet"
    pq.parent.mkdir()
    parquet.write_table(people, pq)
    csv = tmp_path / "data" / "people.csv"
    pa_csv.write_csv(people, csv)
    for relation in ("parquet:data/people.parquet", "csv:data/people.csv"):
        config["sources"][0]["relation"] = relation
        file = tmp_path / "sources.yaml"
        file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        with duckdb.connect() as con:
            result = prefill(form, key, connection=con, sources=file)
        assert result.values["name@applicant"].value == name, relation


def test_roles_sql_finds_related_keys_for_every_subject() -> None:
    entries = [
        RelationSpec.model_validate(
            {
                "role": "spouse",
                "relation": "m",
                "key": {"item": "citizen_id", "column": col},
                "yields": {"citizen_id": other},
                "filter": {"status": "on"},
                "latest": "d",
            }
        )
        for col, other in (("h", "w"), ("w", "h"))
    ]
    with duckdb.connect() as con:
        con.execute(
            """CREATE TABLE m AS FROM (VALUES ('a', 'b', 1, 'on'), ('a', 'c', 2, 'on'),
               ('d', 'e', 3, 'off'), ('f', 'g', 4, 'on')) AS v(h, w, d, status)"""
        )
        con.register(
            "subjects",
            pa.table({"__row": [0, 1, 2, 3], "applicant.citizen_id": ["a", "d", "g", "'; --"]}),
        )
        query = roles_sql("subjects", [("spouse", entries)], {"spouse": ["citizen_id"]})
        rows = con.execute(query.sql + ' ORDER BY "__row"', query.params).fetchall()
    assert [r[2] for r in rows] == ["c", None, "f", None]
    assert "'on'" not in query.sql and "on" in query.params.values()


@pytest.mark.parametrize("name", ["$p0", "a$p1", "$x", "'$p0'"])
def test_renamed_parameters_leave_quoted_identifiers_and_text_alone(name: str) -> None:
    query = Query(
        f"SELECT {quote_identifier(name)}, '$p0 it''s $p1' FROM t WHERE k = $p0", {"p0": 1}
    )
    renamed = renamed_parameters(query, "q3_")
    assert renamed.sql == query.sql.replace("k = $p0", "k = $q3_p0")
    assert renamed.params == {"q3_p0": 1}


@given(keys=st.lists(st.sampled_from(["a", "b", "c", "x", "$p0"]), min_size=1, max_size=5))
@settings(max_examples=40, deadline=None)
def test_a_union_of_selects_gives_each_selects_rows(keys: list[str]) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('a', 1, 1.5), ('b', 2, NULL)) v(k, n, f)")
    con.execute(
        "CREATE TABLE u AS SELECT * FROM (VALUES ('a', DATE '2026-01-02'), ('c', NULL)) v(k, d)"
    )
    queries = [
        Query("SELECT k, n, f FROM t WHERE k = $p0", {"p0": key})
        if i % 2 == 0
        else Query(
            "SELECT k AS n, d, $p1 AS tag FROM u WHERE k IN ($p0, 'c')", {"p0": key, "p1": i}
        )
        for i, key in enumerate(keys)
    ]
    union = union_rows_sql(queries)
    found: list[list[tuple[Any, ...]]] = [[] for _ in queries]
    for row in con.execute(union.sql, union.params).fetchall():
        found[row[0]].append(tuple(row[1 + row[0]].values()))
    for query, rows in zip(queries, found, strict=True):
        assert sorted(rows, key=repr) == sorted(
            con.execute(query.sql, query.params).fetchall(), key=repr
        )

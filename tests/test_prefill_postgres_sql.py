"""The builders' statements transpiled to PostgreSQL (pure: no database)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formmerge.catalog import load_catalog
from formmerge.prefill import load_sources
from formmerge.prefill.config import ColumnSpec
from formmerge.prefill.postgres_sql import postgres_params, to_postgres
from formmerge.prefill.sql import (
    BatchField,
    BatchRead,
    batch_sql,
    relation_lookup_sql,
    source_read_sql,
)

pytest.importorskip("sqlglot")

CONFIG = load_sources()
CATALOG = load_catalog()
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _items(source_id: str) -> dict[str, str]:
    source = CONFIG.source(source_id)
    return {item: CATALOG.item(item).type for item in source.columns}


def _checked(sql: str, params: dict[str, object], tables: dict | None = None) -> str:
    statement = to_postgres(sql, {name: list(cols) for name, cols in (tables or {}).items()})
    values = postgres_params(statement, params, tables)
    assert not re.search(r"\$[A-Za-z_]", statement.sql)  # no DuckDB parameter left
    assert set(PLACEHOLDER.findall(statement.sql)) <= set(values)
    assert "%" not in PLACEHOLDER.sub("", statement.sql).replace("%%", "")
    for gone in ("QUALIFY", "ROW_NUMBER", "TRY_CAST", "TRY_STRPTIME", "LIST_FILTER"):
        assert gone not in statement.sql.upper()
    return statement.sql


@pytest.mark.parametrize("source", [s.id for s in CONFIG.sources])
def test_every_source_read_transpiles(source: str) -> None:
    query = source_read_sql(CONFIG.source(source), _items(source), ["a", "b"])
    _checked(query.sql, query.params)


def test_relation_lookups_transpile_with_aliased_subqueries() -> None:
    spouse = [r for r in CONFIG.relations if r.role == "spouse"]
    query = relation_lookup_sql([(r, "k") for r in spouse], list(spouse[0].yields))
    sql = _checked(query.sql, query.params)
    assert ") AS _sub" in sql


def test_batch_reads_the_subjects_from_bound_arrays() -> None:
    source = CONFIG.source("population")
    reads = [BatchRead(source, "applicant", {"name": "string", "birth_date": "date"})]
    fields = [BatchField("name@applicant", "name", "applicant", ["population"])]
    query = batch_sql("subjects", [], {}, ["applicant.citizen_id"], reads, fields)
    tables = {"subjects": {"__row": [0, 1], "applicant.citizen_id": ["a", None]}}
    sql = _checked(query.sql, query.params, tables)
    assert "UNNEST(" in sql.upper()
    statement = to_postgres(query.sql, {"subjects": ["__row", "applicant.citizen_id"]})
    values = postgres_params(statement, query.params, tables)
    assert ["a", None] in values.values()


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=4, unique=True))
def test_keys_are_parameters_never_sql(keys: list[str]) -> None:
    source = CONFIG.source("housing_fund")
    query = source_read_sql(source, _items("housing_fund"), keys)
    other = source_read_sql(source, _items("housing_fund"), [f"x{i}" for i in range(len(keys))])
    assert to_postgres(query.sql).sql == to_postgres(other.sql).sql


@pytest.mark.parametrize(
    ("fmt", "pg", "text", "matches"),
    [
        ("%Y%m%d", "YYYYMMDD", "20240131", True),
        ("%Y%m%d", "YYYYMMDD", "2024-01-31", False),
        ("%Y-%m-%dT%H:%M:%S", 'YYYY-MM-DD"T"HH24:MI:SS', "2024-01-31T10:00:00", True),
        ("%d/%m/%Y", "DD/MM/YYYY", "31/01/2024", True),
        ("%Y年%m月%d日", 'YYYY"年"MM"月"DD"日"', "2024年1月31日", True),
    ],
)
def test_strptime_formats_become_to_timestamp_formats_and_guards(
    fmt: str, pg: str, text: str, matches: bool
) -> None:
    as_of = ColumnSpec.model_validate({"column": "gxsj", "transform": [{"date": fmt}]})
    source = CONFIG.source("disability").model_copy(update={"as_of": as_of})
    query = source_read_sql(source, {"disability_type": "string"}, ["k"])
    statement = to_postgres(query.sql)
    values = postgres_params(statement, query.params)
    (name,) = statement.formats
    assert values[name + "__pg_format"] == pg
    assert bool(re.fullmatch(str(values[name + "__pg_shape"]), text)) == matches


def test_an_unsupported_strptime_directive_is_refused() -> None:
    source = CONFIG.source("housing_fund")
    query = source_read_sql(source, {"housing_fund_start_date": "date"}, ["k"])
    statement = to_postgres(query.sql)
    params = {**query.params, **dict.fromkeys(statement.formats, "%j")}
    with pytest.raises(ValueError, match="not supported"):
        postgres_params(statement, params)

"""The SQL text prefill and the rules share: one quoting, one type table."""

from __future__ import annotations

from typing import get_args

import duckdb
from hypothesis import given
from hypothesis import strategies as st

from formmerge import sql
from formmerge.models import FieldType
from formmerge.prefill import sql as prefill_sql
from formmerge.rules import sql as rules_sql
from formmerge.rules import values as rules_values


def test_prefill_and_rules_quote_and_type_with_the_same_functions() -> None:
    assert prefill_sql.quote_identifier is sql.quote_identifier
    assert rules_sql.quote_identifier is sql.quote_identifier
    assert rules_values.SQL_TYPES is sql.SQL_TYPES


def test_every_field_type_and_rule_type_has_an_sql_type() -> None:
    field_types = set(get_args(FieldType)) - {"enum"}  # an enum is its codes' text
    rule_types = {"string", "number", "date", "boolean", "file"}
    assert field_types <= set(sql.SQL_TYPES)
    assert rule_types <= set(sql.SQL_TYPES)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               min_size=1, max_size=30))  # fmt: skip
def test_any_name_quoted_is_one_identifier_in_duckdb(name: str) -> None:
    _CON.execute(f"CREATE OR REPLACE TABLE t ({sql.quote_identifier(name)} INTEGER)")
    assert [row[0] for row in _CON.execute("DESCRIBE t").fetchall()] == [name]


_CON = duckdb.connect()

"""SQL text shared by prefill and the eligibility rules: one identifier quoting, one type table.

Both :mod:`formmerge.prefill.sql` and :mod:`formmerge.rules.sql` build DuckDB-dialect statements
as pure functions, with every value a bound parameter and every identifier quoted here. The
SQL type of a value type is looked up here too, so that a date read by prefill and a date a rule
compares are the same SQL type.
"""

from __future__ import annotations

__all__ = ["SQL_TYPES", "quote_identifier"]

SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "file": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
}
"""The SQL type that holds each field type (:data:`formmerge.models.FieldType`) and each
rule-language type (``string``, ``number``, ``date``, ``boolean``, ``file``)."""


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier, any double quote inside it doubled."""
    return '"' + name.replace('"', '""') + '"'

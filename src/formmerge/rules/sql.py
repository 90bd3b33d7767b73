"""Compilation of folded conditions to DuckDB SQL, with every constant a bound parameter.

The functions here are pure: they return SQL text and the list of parameter values, and touch
no database. Identifiers come only from validated field ids (``item@role``, checked against
:data:`FIELD_ID_PATTERN`) and from the columns of the relation being verified, and are quoted;
function names come only from :data:`formmerge.rules.functions.FUNCTIONS`; every literal and
parameter of a rule is a ``$n`` placeholder. Rule text therefore never becomes SQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from formmerge.rules.functions import FUNCTIONS
from formmerge.rules.nodes import (
    Binary,
    Call,
    Compare,
    Constant,
    Expr,
    FieldRef,
    InList,
    Logical,
    Not,
    Param,
    Type,
    Value,
    field_refs,
)
from formmerge.rules.values import column_sql
from formmerge.sql import SQL_TYPES, quote_identifier

__all__ = [
    "FIELD_ID_PATTERN",
    "STATUS_TYPE",
    "SUBJECTS_TABLE",
    "Parameters",
    "batch_sql",
    "condition_sql",
    "quote_identifier",
    "status_sql",
]

FIELD_ID_PATTERN = r"[a-z][a-z0-9_]*@[a-z][a-z0-9_]*"
"""The shape of a merged field id a rule may read."""

SUBJECTS_TABLE = "formmerge_subjects"
"""The name under which the relation being verified is registered."""

STATUS_TYPE = "ENUM('pass', 'fail', 'unknown')"
"""The SQL type of a status column (a pandas categorical once fetched)."""

_FIELD_ID = re.compile(FIELD_ID_PATTERN)
_SUBJECT = "formmerge subject"
_DECIDED = "formmerge decided "
_SQL_OPERATORS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


@dataclass
class Parameters:
    """The bound parameters of a statement; equal values share one placeholder."""

    values: list[Value] = field(default_factory=list)
    _index: dict[tuple[str, Any], int] = field(default_factory=dict)

    def bind(self, value: Value) -> str:
        """The placeholder (``$n``) of ``value``, binding it if it is new."""
        key = (type(value).__name__, value)
        if key not in self._index:
            self.values.append(value)
            self._index[key] = len(self.values)
        return f"${self._index[key]}"


def _constant_sql(value: Value, type_: Type | None, params: Parameters) -> str:
    sql_type = SQL_TYPES.get(type_.name if type_ is not None else "", "")
    if not sql_type:
        sql_type = {bool: "BOOLEAN", float: "DOUBLE", str: "VARCHAR"}.get(type(value), "DATE")
    if isinstance(value, date):
        sql_type = "DATE"
    return f"CAST({params.bind(value)} AS {sql_type})"


def condition_sql(expr: Expr, params: Parameters) -> str:
    """SQL for a folded condition over columns named by field id (NULL where unknown)."""
    if isinstance(expr, Constant):
        if isinstance(expr.value, tuple):
            raise ValueError("a list is only allowed after 'in'")
        return _constant_sql(expr.value, expr.type, params)
    if isinstance(expr, FieldRef):
        return quote_identifier(expr.field_id)
    if isinstance(expr, Param):
        raise ValueError(f"parameter {expr.name!r} is not bound; fold the condition first")
    if isinstance(expr, Call):
        args = [condition_sql(a, params) for a in expr.args]
        return FUNCTIONS[expr.name].sql(args, params.bind)
    if isinstance(expr, Not):
        return f"(NOT {condition_sql(expr.operand, params)})"
    if isinstance(expr, Logical):
        keyword = expr.op.upper()
        return f"({condition_sql(expr.left, params)} {keyword} {condition_sql(expr.right, params)})"
    if isinstance(expr, Compare | Binary):
        op = _SQL_OPERATORS[expr.op] if isinstance(expr, Compare) else expr.op
        return f"({condition_sql(expr.left, params)} {op} {condition_sql(expr.right, params)})"
    return _in_sql(expr, params)


def _in_sql(expr: InList, params: Parameters) -> str:
    options = expr.options
    if isinstance(options, Param):
        raise ValueError(f"parameter {options.name!r} is not bound; fold the condition first")
    items: list[str] = []
    for option in options:
        if isinstance(option, Constant) and isinstance(option.value, tuple):
            element = option.type.element if option.type is not None else None
            items += [_constant_sql(v, element, params) for v in option.value]
        else:
            items.append(condition_sql(option, params))
    keyword = "NOT IN" if expr.negated else "IN"
    return f"({condition_sql(expr.needle, params)} {keyword} ({', '.join(items)}))"


def _status(condition: str) -> str:
    return (
        f"CAST(CASE WHEN {condition} THEN 'pass' WHEN NOT {condition} THEN 'fail'"
        f" ELSE 'unknown' END AS {STATUS_TYPE})"
    )


def status_sql(expr: Expr, params: Parameters) -> str:
    """``'pass'``, ``'fail'`` or ``'unknown'`` for a folded condition."""
    return _status(condition_sql(expr, params))


def batch_sql(
    conditions: Sequence[tuple[str, Expr]],
    columns: Mapping[str, str],
    *,
    id_column: str | None = None,
    table: str = SUBJECTS_TABLE,
) -> tuple[str, list[Value]]:
    """One query that verifies every subject (row) of ``table`` against every condition.

    The query first reads each field the conditions use as its rule-language type (the same
    reading as :func:`formmerge.rules.values.coerce`), then gives one status column per
    condition, named by the condition's key, after the id column if there is one.

    Args:
        conditions: ``(output column, folded condition)`` pairs.
        columns: the relation's columns and their DuckDB types.
        id_column: a column to copy to the output to identify the subject.
        table: the name the relation is registered under.

    Returns:
        The SQL text and its parameter values, in ``$n`` order.

    Raises:
        ValueError: a condition reads a field that is not a column, a field id has the wrong
            shape, or the id column is missing.
    """
    params = Parameters()
    types: dict[str, Type] = {}
    for _, expr in conditions:
        for ref in field_refs(expr):
            if ref.type is None:
                raise ValueError(f"{ref.field_id} is untyped; check the condition first")
            types[ref.field_id] = ref.type
    for field_id in types:
        if not _FIELD_ID.fullmatch(field_id):
            raise ValueError(f"{field_id!r} is not a field id of the form item@role")
        if field_id not in columns:
            raise ValueError(f"the subjects have no column {field_id!r}")
    if id_column is not None and id_column not in columns:
        raise ValueError(f"the subjects have no id column {id_column!r}")
    subject = quote_identifier(_SUBJECT)
    keep = [f"{quote_identifier(id_column)} AS {subject}"] if id_column is not None else []
    readings = [
        f"{column_sql(quote_identifier(f), columns[f], t, params.bind)} AS {quote_identifier(f)}"
        for f, t in sorted(types.items())
    ]
    decided = [
        f"{condition_sql(expr, params)} AS {quote_identifier(f'{_DECIDED}{i}')}"
        for i, (_, expr) in enumerate(conditions)
    ]
    statuses = [
        f"{_status(quote_identifier(f'{_DECIDED}{i}'))} AS {quote_identifier(name)}"
        for i, (name, _) in enumerate(conditions)
    ]
    carried = [subject] if id_column is not None else []
    output = [f"{subject} AS {quote_identifier(id_column)}"] if id_column is not None else []
    sql = (
        f"WITH typed AS (SELECT {', '.join(keep + readings) or '1 AS one'}"
        f" FROM {quote_identifier(table)}),\n"
        f"decided AS (SELECT {', '.join(carried + decided) or '1 AS one'} FROM typed)\n"
        f"SELECT {', '.join(output + statuses)} FROM decided"
    )
    return sql, params.values

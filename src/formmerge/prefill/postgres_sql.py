"""Prefill's statements in PostgreSQL's dialect: the builders' DuckDB SQL, transpiled once.

The pure builders of :mod:`formmerge.prefill.sql` write DuckDB SQL; :func:`to_postgres` turns a
statement into PostgreSQL SQL with sqlglot (cached, so a statement shape is transpiled once) and
:func:`postgres_params` gives the parameter values the transpiled statement expects. Parameters
stay parameters: DuckDB's ``$p0`` becomes psycopg's ``%(p0)s``, and a literal ``%`` is doubled.

What sqlglot cannot carry over on its own is rewritten here:

* ``TRY_CAST(x AS T)`` (NULL where DuckDB cannot convert) has no PostgreSQL counterpart before
  version 16; it becomes ``CASE WHEN CAST(x AS TEXT) ~ <shape of T> THEN CAST(x AS T) END``.
  A value of the right shape that still cannot be converted (``2023-02-30``, an integer beyond
  64 bits) fails the statement rather than becoming NULL: the source is then reported as
  ``source-failed`` and its items are left to type, never silently wrong.
* ``try_strptime(text, $format)``: the strptime format is a parameter, so it is converted when
  the parameters are bound (:func:`postgres_params`): to ``to_timestamp``'s format, and to a
  regular expression of the text's shape that guards the conversion.
* a subquery in ``FROM`` without an alias gets one (PostgreSQL 15 requires it).
* a table registered on the backend (a batch's subjects) is read from bound arrays with
  ``unnest``, so a batch needs no temporary table and every transaction stays read-only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp

__all__ = ["TRANSPILE_CACHE_SIZE", "PostgresStatement", "postgres_params", "to_postgres"]

TRANSPILE_CACHE_SIZE = 512
"""Statement shapes kept transpiled (one per source and form shape in practice)."""

_TYPE_SHAPES: dict[str, str] = {
    "BIGINT": r"^\s*[+-]?[0-9]+\s*$",
    "INT": r"^\s*[+-]?[0-9]+\s*$",
    "DOUBLE": (
        r"^\s*([+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(inf|infinity)|nan)\s*$"
    ),
    "BOOLEAN": r"^\s*(t|f|true|false|y|n|yes|no|on|off|1|0)\s*$",
    "DATE": r"^\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
    "TIMESTAMP": r"^\s*[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
}
"""The text shape a value must have for ``CAST`` to the type to be attempted."""
_STRPTIME: dict[str, tuple[str, str]] = {
    "%Y": ("YYYY", "[0-9]{4}"),
    "%m": ("MM", "[0-9]{1,2}"),
    "%d": ("DD", "[0-9]{1,2}"),
    "%H": ("HH24", "[0-9]{1,2}"),
    "%M": ("MI", "[0-9]{1,2}"),
    "%S": ("SS", "[0-9]{1,2}"),
    "%y": ("YY", "[0-9]{2}"),
    "%%": ("%", "%"),
}
"""strptime directives to ``to_timestamp`` patterns and the text they match."""
_FORMAT_SUFFIX, _SHAPE_SUFFIX = "__pg_format", "__pg_shape"
_ARRAY_PARAM = "__rows_{table}_{column}"
_LONE_PERCENT = re.compile(r"%(?!\(\w+\)s)")
_PG_ISO_DATETIME = ("'YYYY-MM-DDTHH24:MI:SS'", "'YYYY-MM-DD\"T\"HH24:MI:SS'")


@dataclass(frozen=True)
class PostgresStatement:
    """A statement in PostgreSQL SQL and what binding its parameters needs.

    Attributes:
        sql: the statement (psycopg's ``%(name)s`` parameters).
        formats: parameters holding strptime formats (their derived parameters are bound too).
        arrays: for each registered table read, its columns in order.
    """

    sql: str
    formats: tuple[str, ...] = ()
    arrays: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _try_cast(node: exp.TryCast) -> exp.Expr:
    target = node.to.sql("duckdb").upper()
    cast = exp.Cast(this=node.this.copy(), to=node.to.copy())
    shape = _TYPE_SHAPES.get(target)
    if shape is None:
        return cast
    text = exp.cast(node.this.copy(), "TEXT")
    matches = exp.RegexpILike(this=text, expression=exp.Literal.string(shape))
    return exp.Case(ifs=[exp.If(this=matches, true=cast)])


def _strptime(text: exp.Expr, fmt: exp.Expr, formats: list[str]) -> exp.Expr:
    if not isinstance(fmt, exp.Placeholder):
        raise ValueError("try_strptime needs its format as a parameter")
    name = str(fmt.this)
    formats.append(name)
    text = text.copy()
    parsed = exp.Anonymous(
        this="to_timestamp", expressions=[text, exp.Placeholder(this=name + _FORMAT_SUFFIX)]
    )
    timestamp = exp.Cast(this=parsed, to=exp.DataType.build("TIMESTAMP"))
    matches = exp.RegexpLike(
        this=text.copy(), expression=exp.Placeholder(this=name + _SHAPE_SUFFIX)
    )
    return exp.Case(ifs=[exp.If(this=matches, true=timestamp)])


def _registered(table: str, columns: Sequence[str], alias: str) -> exp.Expr:
    """A registered table read from bound arrays, one per column (``__row`` first)."""
    arrays = ", ".join(
        f"CAST(${_ARRAY_PARAM.format(table=table, column=i)} AS {'BIGINT' if i == 0 else 'TEXT'}[])"
        for i in range(len(columns))
    )
    names = ", ".join(exp.to_identifier(c, quoted=True).sql("postgres") for c in columns)
    quoted = exp.to_identifier(alias, quoted=True).sql("postgres")
    sql = f"SELECT * FROM (SELECT * FROM unnest({arrays}) AS {quoted}({names})) AS {quoted}"
    return sqlglot.parse_one(sql, read="duckdb").find(exp.Subquery) or exp.null()


def _distinct_on(select: exp.Select) -> None:
    """``QUALIFY row_number() OVER (PARTITION BY k ORDER BY o) = 1`` as ``DISTINCT ON (k)
    ... ORDER BY k, o``: the same rows, and PostgreSQL then knows the result has one row per
    ``k``, which keeps its row estimates (and so its join plans) sane."""
    qualify = select.args.get("qualify")
    condition = qualify.this if qualify is not None else None
    if not (
        isinstance(condition, exp.EQ)
        and isinstance(condition.this, exp.Window)
        and isinstance(condition.this.this, exp.RowNumber)
        and condition.expression == exp.Literal.number(1)
        and select.args.get("order") is None
    ):
        return
    window = condition.this
    parts = [p.copy() for p in window.args.get("partition_by") or []]
    order = window.args.get("order")
    ordered = [p.copy() for p in parts] + ([o.copy() for o in order.expressions] if order else [])
    select.set("qualify", None)
    select.set("distinct", exp.Distinct(on=exp.Tuple(expressions=parts)))
    select.set("order", exp.Order(expressions=ordered))


def _replacement(
    node: exp.Expr, tables: Mapping[str, tuple[str, ...]], formats: list[str]
) -> exp.Expr | None:
    if isinstance(node, exp.Select):
        _distinct_on(node)
        return None
    if isinstance(node, exp.TryCast):
        return _try_cast(node)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "try_strptime":
        text, fmt = node.expressions
        return _strptime(text, fmt, formats)
    if isinstance(node, exp.Table) and not node.db and node.name in tables:
        return _registered(node.name, tables[node.name], node.alias or node.name)
    in_from = isinstance(node.parent, exp.From | exp.Join)
    if isinstance(node, exp.Subquery) and in_from and not node.alias:
        node.set("alias", exp.TableAlias(this=exp.to_identifier("_sub")))
    return None


def _rewrite(tree: exp.Expr, tables: Mapping[str, tuple[str, ...]], formats: list[str]) -> exp.Expr:
    """Rewrite what PostgreSQL lacks, innermost first (a rewritten node copies its already
    rewritten arguments)."""
    for node in reversed(list(tree.walk(bfs=False))):
        new = _replacement(node, tables, formats)
        if new is not None:
            if node is tree:
                return new
            node.replace(new)
    return tree


@lru_cache(maxsize=TRANSPILE_CACHE_SIZE)
def _transpile(sql: str, tables: tuple[tuple[str, tuple[str, ...]], ...]) -> PostgresStatement:
    formats: list[str] = []
    tree = sqlglot.parse_one(sql, read="duckdb")
    tree = _rewrite(tree, dict(tables), formats)
    text = tree.sql(dialect="postgres")
    text = text.replace(*_PG_ISO_DATETIME)
    text = _LONE_PERCENT.sub("%%", text)
    return PostgresStatement(text, tuple(dict.fromkeys(formats)), tables)


def to_postgres(sql: str, tables: Mapping[str, Sequence[str]] | None = None) -> PostgresStatement:
    """The statement in PostgreSQL SQL.

    Args:
        sql: a statement of :mod:`formmerge.prefill.sql` (DuckDB SQL, ``$name`` parameters).
        tables: registered tables the statement may read and their columns (read from arrays).

    Raises:
        ValueError: the statement cannot be expressed in PostgreSQL (sqlglot's parse errors
            included).
    """
    used = {name: tuple(columns) for name, columns in (tables or {}).items() if name in sql}
    return _transpile(sql, tuple(sorted(used.items())))


def _strptime_parts(fmt: str) -> tuple[str, str]:
    """A strptime format as ``to_timestamp``'s format and a regular expression of its text."""
    pattern, shape, i = [], ["^\\s*"], 0
    while i < len(fmt):
        directive = fmt[i : i + 2]
        if directive in _STRPTIME:
            pg, regex = _STRPTIME[directive]
            pattern.append(pg)
            shape.append(regex)
            i += 2
            continue
        char = fmt[i]
        if char == "%":
            raise ValueError(f"strptime directive {directive!r} is not supported on PostgreSQL")
        pattern.append(f'"{char}"' if char.isalpha() else char)
        shape.append(re.escape(char))
        i += 1
    shape.append("\\s*$")
    return "".join(pattern), "".join(shape)


def postgres_params(
    statement: PostgresStatement,
    params: Mapping[str, object],
    tables: Mapping[str, Mapping[str, list[object]]] | None = None,
) -> dict[str, object]:
    """The parameter values of a transpiled statement.

    Args:
        statement: the statement (:func:`to_postgres`).
        params: the builder's parameter values.
        tables: the registered tables' columns, by table and column name.
    """
    out = dict(params)
    for name in statement.formats:
        pg, shape = _strptime_parts(str(params[name]))
        out[name + _FORMAT_SUFFIX], out[name + _SHAPE_SUFFIX] = pg, shape
    for table, columns in statement.arrays:
        data = (tables or {})[table]
        for i, column in enumerate(columns):
            out[_ARRAY_PARAM.format(table=table, column=i)] = data[column]
    return out

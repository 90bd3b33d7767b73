"""DuckDB statements translated to Spark SQL: the batch statements are built once, for both.

Prefill's batch statement (:func:`formmerge.prefill.sql.batch_sql`), the audit's subject hashes
and batch verification's statement (:func:`formmerge.rules.sql.batch_sql`) are written in
DuckDB's dialect by pure builders. :func:`to_spark` parses such a statement with sqlglot and
writes it in Spark's dialect; sqlglot handles most of the differences (quoting, ``QUALIFY``,
``list_filter`` and list literals, ``strftime`` formats with literal patterns, ``sha256``),
and the rewrites below handle the rest, each one a difference sqlglot cannot see:

* ``try_strptime(text, $format)`` becomes ``try_to_timestamp``; the format is a bound
  parameter, so its value is converted from strptime's ``%Y%m%d`` to Java's ``yyyyMMdd``.
* ``regexp_full_match(text, pattern)`` becomes ``regexp_like`` with the pattern anchored.
* A regular-expression replacement ``\\1`` becomes Java's ``$1``.
* ``date + to_months(n)`` becomes ``add_months(date, n)``.
* ``TRY_CAST(trunc(x) AS INTEGER)``: Spark's ``trunc`` is for dates; a cast to an integer
  truncates toward zero already, so the ``trunc`` goes.
* ``CAST((a - b) AS DOUBLE)`` of two dates (the rules' ``days_between``) becomes
  ``datediff``: Spark's difference of dates is an interval, DuckDB's a number of days.
* ``ENUM`` casts (the rules' status columns) become ``STRING``.
* Parameters: DuckDB's ``$p0`` and ``$1`` become Spark's named markers ``:p0`` and ``:v1``.

Everything stays pure: text in, text and parameter values out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark

from formmerge.prefill.sql import Query

__all__ = [
    "SPARK_DIALECT",
    "SparkQuery",
    "inserted_rows",
    "spark_time_format",
    "staged",
    "to_spark",
]

SPARK_DIALECT = "spark"
"""The sqlglot dialect statements are written in for Spark."""
_SOURCE_DIALECT = "duckdb"
_POSITIONAL_PREFIX = "v"
_GROUP_REFERENCE = re.compile(r"\\(\d)")
_TIME_PATTERNS: dict[str, str] = {
    k: v for k, v in Spark.INVERSE_TIME_MAPPING.items() if not k.endswith("strict")
}


@dataclass(frozen=True)
class SparkQuery:
    """A Spark SQL statement and the values of its named parameter markers (``:name``)."""

    sql: str
    args: dict[str, object]


def spark_time_format(strptime_format: str) -> str:
    """A strptime/strftime format (``%Y%m%d``) as a Java date-time pattern (``yyyyMMdd``);
    letters that are not directives are quoted (``%Y-%m-%dT%H`` is ``yyyy-MM-dd'T'HH``).

    Raises:
        ValueError: a directive Spark has no pattern for.
    """
    out: list[str] = []
    i = 0
    while i < len(strptime_format):
        char = strptime_format[i]
        if char == "%":
            directive = strptime_format[
                i : i + 3 if strptime_format[i + 1 : i + 2] == "-" else i + 2
            ]
            pattern = _TIME_PATTERNS.get(directive)
            if pattern is None:
                raise ValueError(f"the date format {strptime_format!r} has {directive!r}")
            out.append(pattern)
            i += len(directive)
            continue
        out.append("''" if char == "'" else f"'{char}'" if char.isalpha() else char)
        i += 1
    return "".join(out)


def _name(placeholder: exp.Placeholder) -> str:
    name = str(placeholder.this)
    return f"{_POSITIONAL_PREFIX}{name}" if name.isdigit() else name


class _Rewriter:
    """Rewrites one parsed statement for Spark; collects new and converted parameter values."""

    def __init__(self, args: dict[str, object]) -> None:
        self.args = args
        self._fresh = 0

    def bind(self, value: object) -> exp.Placeholder:
        name = f"s{self._fresh}"
        self._fresh += 1
        self.args[name] = value
        return exp.Placeholder(this=name)

    def converted(
        self, node: exp.Expression, convert: Callable[[object], object]
    ) -> exp.Expression:
        """A parameter whose value must change for Spark gets a new parameter of its own."""
        if isinstance(node, exp.Placeholder):
            return self.bind(convert(self.args[_name(node)]))
        return node

    def inner(self, node: exp.Expression) -> exp.Expression:
        """A part of a node this rewriter replaced, rewritten (sqlglot does not descend into
        a replacement)."""
        return node.transform(self, copy=False)

    def __call__(self, node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.TimeToStr) and isinstance(node.args.get("format"), exp.Literal):
            java = spark_time_format(str(node.args["format"].this))
            formatted = [self.inner(node.this), exp.Literal.string(java)]
            return exp.Anonymous(this="date_format", expressions=formatted)
        if isinstance(node, exp.Window) and not node.args.get("order"):
            keys = node.args.get("partition_by") or []
            if isinstance(node.this, exp.RowNumber) and keys:
                # Spark numbers rows only in an order; any row of the partition is as good
                node.set("order", exp.Order(expressions=[exp.Ordered(this=keys[0].copy())]))
            return node
        if isinstance(node, exp.Anonymous) and str(node.this).lower() == "try_strptime":
            text, fmt = node.expressions
            fmt = self.converted(fmt, lambda v: spark_time_format(str(v)))
            return exp.Anonymous(this="try_to_timestamp", expressions=[self.inner(text), fmt])
        if isinstance(node, exp.RegexpFullMatch):
            anchored = [exp.Literal.string("^(?:"), self.inner(node.expression), self.bind(")$")]
            pattern = exp.func("concat", *anchored)
            return exp.Anonymous(this="regexp_like", expressions=[self.inner(node.this), pattern])
        if isinstance(node, exp.RegexpReplace):
            replacement = node.args.get("replacement")
            if replacement is not None:
                node.set(
                    "replacement",
                    self.converted(replacement, lambda v: _GROUP_REFERENCE.sub(r"$\1", str(v))),
                )
            return node
        if isinstance(node, exp.Add):
            months = node.expression
            if isinstance(months, exp.Anonymous) and str(months.this).lower() == "to_months":
                added = [self.inner(e) for e in months.expressions]
                return exp.Anonymous(this="add_months", expressions=[self.inner(node.this), *added])
            return node
        if isinstance(node, exp.TryCast | exp.Cast):
            return self._cast(node)
        return node

    def _cast(self, node: exp.Cast) -> exp.Expression:
        target = node.to
        if target.this == exp.DataType.Type.ENUM:
            node.set("to", exp.DataType.build("STRING"))
            return node
        inner = node.this
        if isinstance(inner, exp.Trunc) and target.is_type(*exp.DataType.INTEGER_TYPES):
            node.set("this", inner.this)
            return node
        days = isinstance(inner, exp.Paren) and isinstance(inner.this, exp.Sub)
        if days and target.is_type(exp.DataType.Type.DOUBLE):
            sub = inner.this
            node.set("this", exp.func("datediff", sub.this, sub.expression))
        return node


def _placeholders(tree: exp.Expression) -> None:
    for placeholder in tree.find_all(exp.Placeholder):
        placeholder.set("this", _name(placeholder))


def to_spark(
    query: Query | str, params: Mapping[str, object] | Sequence[object] = ()
) -> SparkQuery:
    """A DuckDB statement in Spark SQL, with its parameters as Spark's named markers.

    Args:
        query: a :class:`~formmerge.prefill.sql.Query` (named ``$p0`` parameters), or SQL text
            with ``params``.
        params: for text: named values, or positional values of ``$1``, ``$2`` ... in order.

    Returns:
        The Spark statement and the values of its markers (``p0`` ..., ``v1`` ...).

    Raises:
        ValueError: the statement cannot be parsed or written for Spark.
    """
    if isinstance(query, Query):
        sql, given = query.sql, dict(query.params)
    elif isinstance(params, Mapping):
        sql, given = query, dict(params)
    else:
        sql = query
        given = {f"{_POSITIONAL_PREFIX}{i}": v for i, v in enumerate(params, start=1)}
    try:
        tree = sqlglot.parse_one(sql, read=_SOURCE_DIALECT)
    except sqlglot.errors.ParseError as exc:
        raise ValueError(f"cannot read the statement for Spark: {exc}") from None
    rewriter = _Rewriter(given)
    tree = tree.transform(rewriter)
    _placeholders(tree)
    try:
        text = tree.sql(dialect=SPARK_DIALECT, unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.UnsupportedError as exc:
        raise ValueError(f"cannot write the statement for Spark: {exc}") from None
    used = {p.name for p in tree.find_all(exp.Placeholder)}
    return SparkQuery(text, {k: v for k, v in rewriter.args.items() if k in used})


def inserted_rows(insert: Query, columns: Sequence[str]) -> Query:
    """The SELECT of an ``INSERT INTO ... SELECT`` statement, its columns named ``columns``
    (for Spark, which appends the rows to Parquet rather than inserting them into a table)."""
    tree = sqlglot.parse_one(insert.sql, read=_SOURCE_DIALECT)
    select = tree.expression
    if not isinstance(tree, exp.Insert) or not isinstance(select, exp.Select):
        raise ValueError("not an INSERT INTO ... SELECT statement")
    named = [
        exp.alias_(e.unalias(), name, quoted=True)
        for e, name in zip(select.expressions, columns, strict=True)
    ]
    select.set("expressions", named)
    return Query(select.sql(dialect=_SOURCE_DIALECT), dict(insert.params))


_STAGE = re.compile(r"stage[1-9][0-9]*")
"""The CTEs of the batch statement that extend the subjects with one related role each."""


def staged(query: SparkQuery, prefix: str) -> tuple[list[tuple[str, SparkQuery]], SparkQuery]:
    """The batch statement split where Spark would repeat work: one step per roles stage.

    DuckDB computes a CTE referenced several times once; Spark inlines it at every reference,
    and each roles stage refers to the one before three times, so a statement with five
    stages would compute the first 3⁵ times. Each stage is therefore a step of its own, whose
    result is kept (a cached view named ``<prefix>stageN``) and read by the steps after it.

    Returns:
        The steps (view name, statement), in order, and the final statement reading them.
    """
    tree = sqlglot.parse_one(query.sql, read=SPARK_DIALECT)
    if not isinstance(tree, exp.Select):
        raise ValueError("not a SELECT statement")
    ctes = list(tree.ctes)
    steps: list[tuple[str, SparkQuery]] = []
    pending: list[exp.CTE] = []
    for cte in ctes:
        if not _STAGE.fullmatch(cte.alias):
            pending.append(cte)
            continue
        view = f"{prefix}{cte.alias}"
        step = exp.select("*").from_(exp.to_identifier(cte.alias))
        step.set("with_", exp.With(expressions=[c.copy() for c in [*pending, cte]]))
        steps.append((view, _with_args(step, query.args)))
        for table in tree.find_all(exp.Table):
            if table.name == cte.alias and not table.db:
                table.set("this", exp.to_identifier(view, quoted=True))
        for done in [*pending, cte]:
            done.pop()
        pending = []
    if not tree.ctes and tree.args.get("with_") is not None:
        tree.set("with_", None)
    return steps, _with_args(tree, query.args)


def _with_args(tree: exp.Expression, args: Mapping[str, object]) -> SparkQuery:
    used = {p.name for p in tree.find_all(exp.Placeholder)}
    return SparkQuery(tree.sql(dialect=SPARK_DIALECT), {k: v for k, v in args.items() if k in used})

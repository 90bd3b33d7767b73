"""Pure functions that build every SQL statement prefill runs.

Each public ``*_sql`` function returns a :class:`Query`: SQL text with named parameters
(``$p0``, ``$p1`` ...) and the parameter values. Values (subject keys, filter values, code maps,
date formats, file paths) only ever appear in ``params``; identifiers come from validated
configuration and are always double-quoted by :func:`quote_identifier`. Nothing here touches a
database, so the statements can be read and tested on their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from formmerge.models import FieldType
from formmerge.prefill.config import ColumnSpec, FilterValue, RelationRef, RelationSpec, SourceSpec
from formmerge.sql import SQL_TYPES, quote_identifier

__all__ = [
    "AS_OF",
    "KEY",
    "ROW",
    "BatchField",
    "BatchRead",
    "Query",
    "audit_insert_sql",
    "audit_subjects_sql",
    "audit_table_sql",
    "batch_sql",
    "fill_counts_sql",
    "quote_identifier",
    "relation_lookup_sql",
    "renamed_parameters",
    "role_column",
    "roles_sql",
    "source_read_sql",
    "union_rows_sql",
]

KEY = "__key"
"""Column holding the key a source row was found by."""
AS_OF = "__as_of"
"""Column holding a row's as-of date (ISO text)."""
ROW = "__row"
"""Column numbering the subjects of a batch (0-based, in input order)."""
_ENTRY = "__entry"
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class Query:
    """An SQL statement and the values of its named parameters."""

    sql: str
    params: dict[str, object] = field(default_factory=dict)


class _Params:
    """Collects parameter values while a statement is built."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def __call__(self, value: object) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"

    def query(self, sql: str) -> Query:
        return Query(sql, dict(self.values))


_PARAMETER_OR_QUOTED = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'|\$(\w+)')
"""A quoted identifier or string (left alone), or a named parameter (``$name``)."""


def renamed_parameters(query: Query, prefix: str) -> Query:
    """The same statement with ``prefix`` before every parameter name, so that statements can
    be combined into one without their parameters colliding."""

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        return match.group(0) if name is None else f"${prefix}{name}"

    sql = _PARAMETER_OR_QUOTED.sub(rename, query.sql)
    return Query(sql, {f"{prefix}{name}": value for name, value in query.params.items()})


def union_rows_sql(queries: Sequence[Query]) -> Query:
    """Several SELECTs as one DuckDB statement (one round trip, one plan).

    Each result row has the index of the SELECT it came from in its first column and that
    SELECT's row, as a struct of its columns in order, in column ``1 + index``; the other
    columns are NULL. The SELECTs may have different columns (``UNION ALL BY NAME``).
    """
    parts, params = [], {}
    for index, query in enumerate(queries):
        renamed = renamed_parameters(query, f"q{index}_")
        params.update(renamed.params)
        parts.append(f'SELECT {index} AS "__q", t AS "__r{index}" FROM ({renamed.sql}) AS t')
    return Query(" UNION ALL BY NAME ".join(parts), params)


def role_column(role: str, item: str) -> str:
    """The column of a roles table holding ``role``'s key of kind ``item``."""
    return f"{role}.{item}"


def _relation(ref: RelationRef, p: _Params) -> str:
    if ref.file is None:
        return ".".join(quote_identifier(part) for part in ref.name)
    reader = "read_parquet" if ref.format == "parquet" else "read_csv"
    return f"{reader}({p(ref.file)})"


def _column(spec: ColumnSpec, alias: str, p: _Params) -> str:
    expr = f"{alias}.{quote_identifier(spec.column)}"
    for t in spec.transform:
        text = f"CAST({expr} AS VARCHAR)"
        if t.op == "strip":
            expr = f"trim({text})"
        elif t.op in ("upper", "lower"):
            expr = f"{t.op}({text})"
        elif t.op == "digits":
            expr = f"regexp_replace({text}, '[^0-9]', '', 'g')"
        elif t.op == "date":
            expr = f"CAST(try_strptime({text}, {p(t.format)}) AS DATE)"
        elif t.op == "datetime":
            expr = f"try_strptime({text}, {p(t.format)})"
        elif t.op == "map":
            mapping = t.mapping or {}
            cases = " ".join(f"WHEN {p(k)} THEN {p(_text(v))}" for k, v in mapping.items())
            expr = f"CASE {text} {cases} END"
        else:
            expr = f"TRY_CAST({expr} AS {SQL_TYPES[t.to or 'string']})"
    return expr


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _canonical(expr: str, kind: FieldType) -> str:
    """The expression converted to the canonical form of values of type ``kind``."""
    if kind == "date":
        return f"strftime(TRY_CAST({expr} AS DATE), '{ISO_DATE}')"
    if kind == "datetime":
        return f"strftime(TRY_CAST({expr} AS TIMESTAMP), '{ISO_DATETIME}')"
    if kind in ("integer", "number", "boolean"):
        return f"TRY_CAST({expr} AS {SQL_TYPES[kind]})"
    return f"NULLIF(CAST({expr} AS VARCHAR), '')"


def _filters(filters: Mapping[str, FilterValue], alias: str, p: _Params) -> list[str]:
    out = []
    for column, value in filters.items():
        ref = f"{alias}.{quote_identifier(column)}"
        out.append(f"{ref} IS NULL" if value is None else f"{ref} = {p(value)}")
    return out


def _as_of(source: SourceSpec, alias: str, p: _Params) -> str:
    if source.as_of is None:
        return "CAST(NULL AS VARCHAR)"
    return _canonical(_column(source.as_of, alias, p), "date")


def _latest(spec: ColumnSpec | None, alias: str, p: _Params) -> str:
    return "" if spec is None else f" ORDER BY {_column(spec, alias, p)} DESC NULLS LAST"


def _lookup(relation: str, alias: str, columns: Sequence[str], where: str, name: str) -> str:
    """A CTE that finds rows by key alone, so that DuckDB can answer from an index.

    DuckDB uses an index only for a scan whose sole filter is on the indexed column; further
    filters, ``ORDER BY ... LIMIT`` or ``QUALIFY`` on the same scan make it read the whole
    table. Materialising the key lookup first keeps point queries fast on large registers.
    """
    selected = ", ".join(f"{alias}.{quote_identifier(c)}" for c in dict.fromkeys(columns))
    return f"{name} AS MATERIALIZED (SELECT {selected} FROM {relation} AS {alias} WHERE {where})"


def _spec_columns(*specs: ColumnSpec | None) -> list[str]:
    return [spec.column for spec in specs if spec is not None]


def source_read_sql(
    source: SourceSpec,
    items: Mapping[str, FieldType],
    keys: Sequence[str],
    item_keys: Mapping[str, Sequence[str]] | None = None,
) -> Query:
    """Read items of one source for a few subjects (the single-subject prefill).

    Args:
        source: the source.
        items: the items to read and their types (canonical conversion).
        keys: every subject key looked up (bound as parameters, compared with ``IN``).
        item_keys: for an item asked only for some of the keys, those keys; the item is then
            returned for rows of those keys only (minimum necessary across roles).
    """
    p = _Params()
    key_refs = {k: p(k) for k in dict.fromkeys(keys)}
    key = f"s.{quote_identifier(source.key.column)}"
    columns = [f"CAST({key} AS VARCHAR) AS {quote_identifier(KEY)}"]
    for item, kind in items.items():
        expr = _canonical(_column(source.columns[item], "s", p), kind)
        subset = (item_keys or {}).get(item)
        if subset is not None and set(subset) != set(key_refs):
            expr = f"CASE WHEN {key} IN ({', '.join(key_refs[k] for k in subset)}) THEN {expr} END"
        columns.append(f"{expr} AS {quote_identifier(item)}")
    columns.append(f"{_as_of(source, 's', p)} AS {quote_identifier(AS_OF)}")
    refs = list(key_refs.values())
    found = f"{key} = {refs[0]}" if len(refs) == 1 else f"{key} IN ({', '.join(refs)})"
    relation = _relation(source.relation, p)
    if not source.filter and source.unique_key:
        return p.query(f"SELECT {', '.join(columns)} FROM {relation} AS s WHERE {found}")
    needed = [
        source.key.column,
        *_spec_columns(*(source.columns[i] for i in items), source.as_of, source.order_by),
        *source.filter,
    ]
    lookup = _lookup(relation, "s", needed, found, "hit")
    sql = f"WITH {lookup} SELECT {', '.join(columns)} FROM hit AS s"
    where = _filters(source.filter, "s", p)
    if where:
        sql += f" WHERE {' AND '.join(where)}"
    if not source.unique_key:
        order = _latest(source.order_by, "s", p)
        sql += f" QUALIFY row_number() OVER (PARTITION BY {key}{order}) = 1"
    return p.query(sql)


def _yields_present(relation: RelationSpec, alias: str) -> str:
    present = [f"{alias}.{quote_identifier(c)} IS NOT NULL" for c in relation.yields.values()]
    return "(" + " OR ".join(present) + ")"


def relation_lookup_sql(entries: Sequence[tuple[RelationSpec, str]], items: Sequence[str]) -> Query:
    """Find one related role's keys from another role's key (the single-subject prefill).

    Args:
        entries: the relation entries to try, in order, each with the key value to look up.
        items: the key items the result has (the union of the entries' ``yields``).

    The result has one row (or none): the first entry that finds a row, and within an entry the
    row with the greatest ``latest`` value.
    """
    p = _Params()
    parts = []
    for number, (relation, value) in enumerate(entries):
        selected = [f"{number} AS {quote_identifier(_ENTRY)}"]
        for item in items:
            column = relation.yields.get(item)
            expr = f"CAST(r.{quote_identifier(column)} AS VARCHAR)" if column else "NULL"
            selected.append(f"{expr} AS {quote_identifier(item)}")
        needed = [
            *relation.yields.values(),
            *relation.filter,
            *([relation.latest] if relation.latest else []),
        ]
        found = f"r.{quote_identifier(relation.key.column)} = {p(value)}"
        lookup = _lookup(_relation(relation.relation, p), "r", needed, found, f"hit{number}")
        where = [*_filters(relation.filter, "r", p), _yields_present(relation, "r")]
        order = (
            f" ORDER BY r.{quote_identifier(relation.latest)} DESC NULLS LAST"
            if relation.latest
            else ""
        )
        parts.append(
            f"(WITH {lookup} SELECT {', '.join(selected)} FROM hit{number} AS r"
            f" WHERE {' AND '.join(where)}{order} LIMIT 1)"
        )
    sql = f"SELECT * FROM ({' UNION ALL '.join(parts)}) ORDER BY {quote_identifier(_ENTRY)} LIMIT 1"
    return p.query(sql)


def _roles_ctes(
    p: _Params,
    subjects: str,
    stages: Sequence[tuple[str, Sequence[RelationSpec]]],
    columns: Mapping[str, Sequence[str]],
) -> tuple[list[str], str]:
    """CTEs extending the subjects with each found role's keys; returns them and the last."""
    ctes = [f"stage0 AS (SELECT * FROM {quote_identifier(subjects)})"]
    row = quote_identifier(ROW)
    for number, (role, entries) in enumerate(stages):
        previous, names = f"stage{number}", []
        for e, relation in enumerate(entries):
            name = f"s{number}e{e}"
            names.append(name)
            yielded = ", ".join(
                f"CAST(r.{quote_identifier(col)} AS VARCHAR) AS {quote_identifier(item)}"
                for item, col in relation.yields.items()
            )
            source_key = quote_identifier(role_column(relation.from_role, relation.key.item))
            where = [*_filters(relation.filter, "r", p), _yields_present(relation, "r")]
            order = (
                f" ORDER BY r.{quote_identifier(relation.latest)} DESC NULLS LAST"
                if relation.latest
                else ""
            )
            ctes.append(
                f"{name} AS (SELECT b.{row}, {yielded}"
                f" FROM {previous} AS b JOIN {_relation(relation.relation, p)} AS r"
                f" ON r.{quote_identifier(relation.key.column)} = b.{source_key}"
                f" WHERE {' AND '.join(where)}"
                f" QUALIFY row_number() OVER (PARTITION BY b.{row}{order}) = 1)"
            )
        found = []
        for item in columns[role]:
            cases = " ".join(
                f"WHEN {n}.{row} IS NOT NULL THEN "
                + (f"{n}.{quote_identifier(item)}" if item in relation.yields else "NULL")
                for n, relation in zip(names, entries, strict=True)
            )
            found.append(f"CASE {cases} END AS {quote_identifier(role_column(role, item))}")
        joins = " ".join(f"LEFT JOIN {n} ON {n}.{row} = b.{row}" for n in names)
        ctes.append(
            f"stage{number + 1} AS (SELECT b.*, {', '.join(found)} FROM {previous} AS b {joins})"
        )
    return ctes, f"stage{len(stages)}"


def roles_sql(
    subjects: str,
    stages: Sequence[tuple[str, Sequence[RelationSpec]]],
    columns: Mapping[str, Sequence[str]],
) -> Query:
    """Resolve related roles for every subject of a batch in one statement.

    Args:
        subjects: the table of subjects: ``__row`` and one column per given role key, named by
            :func:`role_column`.
        stages: roles to find, in dependency order, each with its relation entries (tried in
            order; a role's entries may only read roles of earlier stages or given ones).
        columns: for each role found, the key items it gets (the union of its entries' yields).

    Returns:
        A SELECT of the subjects table extended with one column per found role key.
    """
    p = _Params()
    ctes, last = _roles_ctes(p, subjects, stages, columns)
    return p.query(f"WITH {', '.join(ctes)} SELECT * FROM {last}")


@dataclass(frozen=True)
class BatchRead:
    """One source read for one role in a batch: the items asked and their types."""

    source: SourceSpec
    role: str
    items: Mapping[str, FieldType]


@dataclass(frozen=True)
class BatchField:
    """One output field of a batch and the sources that may fill it, most trusted first."""

    field: str
    item: str
    role: str
    sources: Sequence[str]


def _join_signature(read: BatchRead) -> tuple[object, ...]:
    """Reads that can share one join: same relation, key, filter, ordering and role."""
    s = read.source
    return (
        str(s.relation), s.key.column, tuple(sorted(s.filter.items(), key=str)), s.unique_key,
        s.order_by, read.role,
    )  # fmt: skip


def _read_join(reads: Sequence[BatchRead], alias: str, roles: str, p: _Params) -> str:
    """A LEFT JOIN of the roles with the rows of a relation for one role (raw columns).

    ``reads`` share a join signature: sources declared separately over the same relation (e.g.
    verified and self-declared columns of one register) are read by a single join.
    """
    source, role = reads[0].source, reads[0].role
    key = f"s.{quote_identifier(source.key.column)}"
    raw = dict.fromkeys(r.source.columns[item].column for r in reads for item in r.items)
    selected = [f"CAST({key} AS VARCHAR) AS {quote_identifier(KEY)}"]
    selected += [f"s.{quote_identifier(column)}" for column in raw]
    body = f"SELECT {', '.join(selected)} FROM {_relation(source.relation, p)} AS s"
    where = _filters(source.filter, "s", p)
    if where:
        body += f" WHERE {' AND '.join(where)}"
    if not source.unique_key:
        order = _latest(source.order_by, "s", p)
        body += f" QUALIFY row_number() OVER (PARTITION BY {key}{order}) = 1"
    role_key = quote_identifier(role_column(role, source.key.item))
    return f"LEFT JOIN ({body}) AS {alias} ON {alias}.{quote_identifier(KEY)} = {roles}.{role_key}"


def batch_sql(
    subjects: str,
    stages: Sequence[tuple[str, Sequence[RelationSpec]]],
    stage_columns: Mapping[str, Sequence[str]],
    subject_columns: Sequence[str],
    reads: Sequence[BatchRead],
    fields: Sequence[BatchField],
    provenance: bool = True,
) -> Query:
    """Prefill a merged form for every subject of a batch in one set-based statement.

    The statement finds related roles (:func:`roles_sql`), joins each source once per role it
    serves (reading only that role's columns), converts values to canonical form and settles
    each field by precedence. Output: ``row``, the subject columns, one column per field and,
    with ``provenance``, ``<field>:source`` and a ``__disagreements`` list; in input order.

    Args:
        subjects: the table of subjects (see :func:`roles_sql`).
        stages, stage_columns: the related roles to find (see :func:`roles_sql`).
        subject_columns: the subjects table's key columns, copied to the output.
        reads: the sources to read, one entry per (source, role).
        fields: the output fields.
        provenance: add the provenance columns.
    """
    p = _Params()
    ctes, last = _roles_ctes(p, subjects, stages, stage_columns)
    groups: dict[tuple[object, ...], list[BatchRead]] = {}
    for read in reads:
        groups.setdefault(_join_signature(read), []).append(read)
    alias = {
        (r.source.id, r.role): f"j{n}" for n, group in enumerate(groups.values()) for r in group
    }
    joins = [_read_join(g, f"j{n}", "r", p) for n, g in enumerate(groups.values())]
    by_pair = {(r.source.id, r.role): r for r in reads}
    row = quote_identifier(ROW)
    inner = [f"r.{row}"] + [f"r.{quote_identifier(c)}" for c in subject_columns]
    values: dict[tuple[str, str, str], str] = {}  # (source, role, item) -> inner column
    out = [f"{row} AS {quote_identifier('row')}"] + [quote_identifier(c) for c in subject_columns]
    disagreements = []
    for f in fields:
        refs, sources = [], []
        for sid in f.sources:
            candidate = by_pair.get((sid, f.role))
            if candidate is None:
                continue
            if (sid, f.role, f.item) not in values:
                name = f"__v{len(values)}"
                spec, kind = candidate.source.columns[f.item], candidate.items[f.item]
                expr = _canonical(_column(spec, alias[sid, f.role], p), kind)
                inner.append(f"{expr} AS {quote_identifier(name)}")
                values[sid, f.role, f.item] = name
            refs.append(quote_identifier(values[sid, f.role, f.item]))
            sources.append(sid)
        out.append(f"{_coalesce(refs) if refs else 'NULL'} AS {quote_identifier(f.field)}")
        if not provenance:
            continue
        cases = " ".join(
            f"WHEN {ref} IS NOT NULL THEN {p(sid)}" for ref, sid in zip(refs, sources, strict=True)
        )
        source = f"CASE {cases} END" if cases else "CAST(NULL AS VARCHAR)"
        out.append(f"{source} AS {quote_identifier(f.field + ':source')}")
        pairs = [f"{a} <> {b}" for i, a in enumerate(refs) for b in refs[i + 1 :]]
        if pairs:
            disagreements.append(f"CASE WHEN {' OR '.join(pairs)} THEN {p(f.field)} END")
    if provenance:
        listed = f"[{', '.join(disagreements)}]" if disagreements else "CAST([] AS VARCHAR[])"
        name = quote_identifier("__disagreements")
        out.append(f"list_filter({listed}, lambda x: x IS NOT NULL) AS {name}")
    sql = (
        f"WITH {', '.join(ctes)}, joined AS (SELECT {', '.join(inner)}"
        f" FROM {last} AS r {' '.join(joins)})"
        f" SELECT {', '.join(out)} FROM joined ORDER BY {row}"
    )
    return p.query(sql)


def fill_counts_sql(path: Path, fields: Sequence[str]) -> Query:
    """Count the rows of a batch result file, and the non-empty values of each field."""
    p = _Params()
    counts = "".join(f", count({quote_identifier(f)})" for f in fields)
    return p.query(f"SELECT count(*){counts} FROM read_parquet({p(str(path))})")


def _coalesce(refs: Sequence[str]) -> str:
    return refs[0] if len(refs) == 1 else f"COALESCE({', '.join(refs)})"


def audit_table_sql(table: str, subjects_table: str) -> list[Query]:
    """Create the audit tables if they do not exist (records, and subjects of batch reads)."""
    return [
        Query(
            f"CREATE TABLE IF NOT EXISTS {quote_identifier(table)} ("
            + ", ".join(f"{name} {kind}" for name, kind in _AUDIT_COLUMNS)
            + ")"
        ),
        Query(
            f"CREATE TABLE IF NOT EXISTS {quote_identifier(subjects_table)} ("
            "read_id VARCHAR, subject_hash VARCHAR)"
        ),
    ]


_AUDIT_COLUMNS = (
    ("read_at", "TIMESTAMP WITH TIME ZONE"),
    ("matter", "VARCHAR"),
    ("read_id", "VARCHAR"),
    ("subject_hash", "VARCHAR"),
    ("role", "VARCHAR"),
    ("key_hash", "VARCHAR"),
    ("source", "VARCHAR"),
    ("items", "VARCHAR[]"),
    ("found", "BIGINT"),
    ("subjects", "BIGINT"),
)


def audit_insert_sql(table: str, rows: Sequence[Sequence[object]]) -> Query:
    """Append audit records with one statement: one list parameter per column, unnested
    together (binding ten lists costs far less than ten values per record)."""
    p = _Params()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in _AUDIT_COLUMNS]
    selected = ", ".join(
        f"unnest(CAST({p(list(values))} AS {kind}[]))"
        for (_, kind), values in zip(_AUDIT_COLUMNS, columns, strict=True)
    )
    return p.query(f"INSERT INTO {quote_identifier(table)} SELECT {selected}")


def audit_subjects_sql(subjects_table: str, keys_relation: str, read_id: str, salt: str) -> Query:
    """Record the salted hash of every subject of a batch read under ``read_id``."""
    p = _Params()
    sql = (
        f"INSERT INTO {quote_identifier(subjects_table)}"
        f" SELECT {p(read_id)}, sha256({p(salt)} || CAST(k.{quote_identifier(KEY)} AS VARCHAR))"
        f" FROM {quote_identifier(keys_relation)} AS k"
    )
    return p.query(sql)

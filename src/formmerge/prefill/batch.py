"""Batch prefill: one merged form for many subjects, set-based.

The subjects become a table; one statement finds every related role for every subject (joins
with the relations); then one statement per source reads the items asked for every subject and
role (joins of the roles table with the source); a last statement combines the sources by
precedence, one row per subject in input order. No statement is run per subject.

Output (wide): ``row`` (0-based input position), the subject key columns (``applicant.citizen_id``
...), one column per merged field (canonical values, as single-subject prefill gives them), and
with ``provenance``, one ``<field>:source`` column naming the source of each value and a
``__disagreements`` list of the fields whose sources disagree. Each row is then offered as
single-subject prefill offers it (:func:`offered_frame`: converted, checked, derived), with
``__derived`` (field id to the field it is derived from) and ``__problems`` (the row's
``source-value-unfit`` and ``derived-value-conflict`` records). A Parquet ``output`` is
streamed from the statement: it holds the values as read, not converted, checked or derived.
"""

from __future__ import annotations

import secrets
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from rich.progress import Progress

from formmerge.errors import SourceError
from formmerge.models import Catalog, MergedForm
from formmerge.prefill.api import (
    Connection,
    field_requests,
    open_backend,
    resolve_config,
    subject_role,
)
from formmerge.prefill.audit import AuditLog, AuditRecord
from formmerge.prefill.backend import RegisterBackend
from formmerge.prefill.config import RelationSpec, SourceConfig
from formmerge.prefill.offer import offered_values
from formmerge.prefill.reader import relation_order, source_plan
from formmerge.prefill.result import PrefilledValue
from formmerge.prefill.sql import (
    ROW,
    BatchField,
    BatchRead,
    Query,
    batch_sql,
    fill_counts_sql,
    role_column,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PROGRESS_INTERVAL",
    "BatchPlan",
    "Subjects",
    "batch_audit_records",
    "offered_frame",
    "plan_batch",
    "prefill_batch",
    "subjects_table",
]

PROGRESS_INTERVAL = 0.2
"""Seconds between two updates of the progress bar."""

Subjects: TypeAlias = "pd.DataFrame | pa.Table | duckdb.DuckDBPyRelation | Sequence[str]"
"""Subjects of a batch: keys of the subject role, or a table with one column per role key."""


def _column_role(name: str, catalog: Catalog, config: SourceConfig) -> tuple[str, str] | None:
    role, _, item = name.partition(".")
    try:
        person = catalog.role(role).person
    except KeyError:
        return None
    keys = config.subject_keys
    return role, item or (keys.person if person else keys.organization)


def subjects_table(
    merged: MergedForm, subjects: Subjects, config: SourceConfig, catalog: Catalog
) -> pa.Table:
    """The subjects as an Arrow table: ``__row`` and one text column per role key.

    A DataFrame, Arrow table or DuckDB relation gives role keys by column name (``applicant``,
    ``spouse``, ``child.birth_certificate_number`` ...); if no column is named after a role, its
    first column holds the keys of the subject role. A list gives keys of the subject role.
    """
    if isinstance(subjects, duckdb.DuckDBPyRelation):
        subjects = subjects.to_arrow_table()
    pandas = sys.modules.get("pandas")  # a DataFrame given means pandas is loaded
    if pandas is not None and isinstance(subjects, pandas.DataFrame):
        subjects = pa.Table.from_pandas(subjects, preserve_index=False)
    if not isinstance(subjects, pa.Table):
        subjects = pa.table({subject_role(merged): pa.array(list(subjects), pa.string())})
    named = {
        name: found
        for name in subjects.column_names
        if (found := _column_role(name, catalog, config)) is not None
    }
    if not named:
        if subjects.num_columns == 0:
            raise SourceError("no subjects: the table has no columns")
        first = subjects.column_names[0]
        named = {first: _column_role(subject_role(merged), catalog, config)}  # type: ignore[dict-item]
    columns = {ROW: pa.array(range(subjects.num_rows), pa.int64())}
    for name, (role, item) in named.items():
        values = pc.utf8_trim_whitespace(pc.cast(subjects.column(name), pa.string()))
        columns[role_column(role, item)] = values
    return pa.table(columns)


def _stages(
    config: SourceConfig, roles: set[str], given: Mapping[str, set[str]]
) -> tuple[list[tuple[str, list[RelationSpec]]], dict[str, list[str]], dict[str, set[str]]]:
    known = {role: set(items) for role, items in given.items()}
    stages, columns = [], {}
    for role in relation_order(config, roles, known):
        usable = [
            r
            for r in config.relations
            if r.role == role and r.key.item in known.get(r.from_role, set())
        ]
        if not usable:
            continue
        items = list(dict.fromkeys(item for r in usable for item in r.yields))
        stages.append((role, usable))
        columns[role] = items
        known[role] = set(items)
    return stages, columns, known


@dataclass(frozen=True)
class BatchPlan:
    """What a batch reads: the subjects, the roles to find, the sources and the fields."""

    table: pa.Table
    """The subjects (see :func:`subjects_table`)."""
    stages: list[tuple[str, list[RelationSpec]]]
    stage_columns: dict[str, list[str]]
    sources: dict[str, dict[str, list[str]]]
    """Source id to role to the items read."""
    reads: list[BatchRead]
    fields: list[BatchField]

    def query(self, subjects: str, provenance: bool) -> Query:
        """The batch statement (DuckDB SQL) over the subjects registered as ``subjects``."""
        return batch_sql(
            subjects, self.stages, self.stage_columns, self.table.column_names[1:],
            self.reads, self.fields, provenance,
        )  # fmt: skip


def plan_batch(
    merged: MergedForm, subjects: Subjects, config: SourceConfig, cat: Catalog
) -> BatchPlan:
    """Plan a batch: the subjects table, the related roles, and each source's reads."""
    requests = field_requests(merged, cat)
    table = _bound_keys(merged, subjects_table(merged, subjects, config, cat))
    given: dict[str, set[str]] = {}
    for name in table.column_names[1:]:
        role, _, item = name.partition(".")
        given.setdefault(role, set()).add(item)
    wanted = set(requests.values())
    stages, stage_columns, known = _stages(config, {role for _, role in wanted}, given)
    plan = source_plan(config, sorted(wanted), {r: dict.fromkeys(i, "") for r, i in known.items()})
    reads = [
        BatchRead(config.source(sid), role, {item: cat.item(item).type for item in items})
        for sid, role_items in plan.items()
        for role, items in role_items.items()
    ]
    fields = [
        BatchField(field_id, item, role, [s.id for s in config.ranked_sources(item)])
        for field_id, (item, role) in requests.items()
    ]
    sources = {sid: {role: list(items) for role, items in ri.items()} for sid, ri in plan.items()}
    return BatchPlan(table, stages, stage_columns, sources, reads, fields)


def prefill_batch(
    merged: MergedForm,
    subjects: Subjects,
    *,
    sources: SourceConfig | Path | str | None = None,
    connection: Connection = None,
    matter: str | None = None,
    audit: AuditLog | None = None,
    catalog: Catalog | None = None,
    output: Path | str | None = None,
    progress: bool = True,
    provenance: bool = True,
) -> pd.DataFrame:
    """Prefill one merged form for many subjects with one set-based statement.

    Args:
        merged: the merged form; only the (item, role) pairs it asks for are read.
        subjects: the subjects (see :func:`subjects_table`).
        sources, connection, matter, catalog: as for :func:`~formmerge.prefill.prefill`.
        audit: the audit trail; a batch appends one record per source and role, and the hash
            of every subject once (see :class:`~formmerge.prefill.AuditLog`).
        output: a Parquet file to stream the result to instead of returning it.
        progress: show a progress bar of the statement.
        provenance: add the ``<field>:source`` and ``__disagreements`` columns.

    Returns:
        The result (see the module documentation), or with ``output``, a summary: one row per
        field with the number of subjects it was prefilled for.
    """
    from formmerge.catalog import catalog_for  # deferred: the catalog imports much

    config, cat = resolve_config(sources, catalog_for(merged, catalog))
    plan = plan_batch(merged, subjects, config, cat)
    table, fields = plan.table, plan.fields
    log = audit or AuditLog(salt_env=config.audit.salt_env)
    read_id = log.new_read_id()
    name = f"__formmerge_subjects_{secrets.token_hex(4)}"
    query = plan.query(name, provenance)
    full = plan.query(name, True)  # the values are checked and derived with their sources
    plain = set(table.column_names) | {"row"} | {f.field for f in fields}
    what = f"prefilling {table.num_rows:,} subjects from {len(plan.sources)} sources"
    with ExitStack() as stack:
        writes = [] if output is None else [str(output)]
        backend = stack.enter_context(open_backend(connection, config, writes=writes))
        backend.register(name, table)
        stack.callback(backend.unregister, name)
        stack.enter_context(_progress(backend, what, progress))
        if output is not None:
            backend.copy_to_parquet(query, Path(output), what)
            frame = _summary(Path(output), [f.field for f in fields])
        else:
            frame = offered_frame(merged, backend.arrow(full, what), config, cat)
            if not provenance:
                frame = frame[[c for c in frame.columns if c in plain]]
    log.record_batch_subjects(read_id, table.column(1))
    log.record(batch_audit_records(read_id, matter, log.now(), plan))
    return frame


def _read_values(
    merged: MergedForm, record: Mapping[str, object], config: SourceConfig, cat: Catalog
) -> dict[str, PrefilledValue]:
    """One result row's values as single-subject prefill holds them before they are offered."""
    requests = field_requests(merged, cat)
    values = {}
    for field_id, (item, role) in requests.items():
        value, source_id = record.get(field_id), record.get(f"{field_id}:source")
        if _missing(value) or not isinstance(source_id, str):
            continue
        source = config.source(source_id)
        values[field_id] = PrefilledValue(
            value=value,
            source=source.id,
            department=source.department,
            as_of=None,
            authority=source.authority,
            read_only=source.authority == "verified",
            item=item,
            role=role,
        )
    return values


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN


def offered_frame(
    merged: MergedForm, result: pa.Table, config: SourceConfig, cat: Catalog
) -> pd.DataFrame:
    """The batch ``result`` with each row's values offered as single-subject prefill offers them.

    Every row goes through :func:`~formmerge.prefill.offer.offered_values`, the steps
    single-subject prefill applies: values converted to their field's canonical form, values a
    form rejects withdrawn, derived values filled. Two columns are added: ``__derived`` (field
    id to the field it is derived from) and ``__problems`` (the row's problem records).
    """
    import pandas as pd

    requests = field_requests(merged, cat)
    records = []
    for record in result.to_pylist():  # Python values, as single-subject prefill reads them
        read = _read_values(merged, record, config, cat)
        values, problems = offered_values(merged, read, cat)
        for field_id in requests:
            got = values.get(field_id)
            record[field_id] = None if got is None else got.value
            record[f"{field_id}:source"] = None if got is None else got.source
        record["__derived"] = {k: v.derived_from for k, v in values.items() if v.derived_from}
        record["__problems"] = problems
        records.append(record)
    columns = [*result.column_names, "__derived", "__problems"]
    return pd.DataFrame.from_records(records, columns=columns)


def _bound_keys(merged: MergedForm, table: pa.Table) -> pa.Table:
    """The subjects table with each bound role's key columns copied to the role it is bound
    to (``applicant.citizen_id`` is ``mother.citizen_id`` when the applicant is the mother),
    as single-subject prefill shares them (see :mod:`formmerge.identities`)."""
    for role, person in merged.binding:
        for column in table.column_names[1:]:
            named, _, item = column.partition(".")
            if named == role and f"{person}.{item}" not in table.column_names:
                table = table.append_column(f"{person}.{item}", table.column(column))
    return table


@contextmanager
def _progress(backend: RegisterBackend, what: str, enabled: bool) -> Iterator[None]:
    """Show the progress of the running statement, polled from a thread."""
    if not enabled:
        yield
        return
    done = threading.Event()
    with Progress(transient=True) as bar, backend.reporting_progress():
        task = bar.add_task(what, total=100)

        def poll() -> None:
            while not done.wait(PROGRESS_INTERVAL):
                share = backend.progress()
                if share is not None and share >= 0:
                    bar.update(task, completed=share)

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        try:
            yield
        finally:
            done.set()
            watcher.join()
            bar.update(task, completed=100)


def _summary(path: Path, fields: list[str]) -> pd.DataFrame:
    import pandas as pd

    query = fill_counts_sql(path, fields)
    with duckdb.connect() as con:
        rows = con.execute(query.sql, query.params).fetchall()
    values = rows[0] if rows else (0,)
    return pd.DataFrame({"field": fields, "prefilled": list(values[1:]), "subjects": values[0]})


def batch_audit_records(
    read_id: str, matter: str | None, now: datetime, plan: BatchPlan
) -> list[AuditRecord]:
    """The audit records of a batch: one per relation role found and one per source and role
    read, each with the number of subjects."""
    n = plan.table.num_rows
    records = [
        AuditRecord(now, matter, read_id, None, role, None,
                    "relation:" + ",".join(dict.fromkeys(str(r.relation) for r in entries)),
                    tuple(dict.fromkeys(i for r in entries for i in r.yields)), None, n)
        for role, entries in plan.stages
    ]  # fmt: skip
    records += [
        AuditRecord(now, matter, read_id, None, role, None, source_id, tuple(items), None, n)
        for source_id, role_items in plan.sources.items()
        for role, items in role_items.items()
    ]
    return records

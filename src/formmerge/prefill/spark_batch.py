"""Batch prefill on Spark: the DuckDB batch statement, translated, over registers in Parquet.

:func:`prefill_batch_spark` plans a batch exactly as :func:`~formmerge.prefill.prefill_batch`
does (:func:`~formmerge.prefill.batch.plan_batch`), builds the same statement
(:func:`~formmerge.prefill.sql.batch_sql`), translates it to Spark SQL
(:func:`~formmerge.prefill.spark_sql.to_spark`) and runs it on a Spark session over the
registers as views (:class:`~formmerge.prefill.spark_session.SparkRegisters`). The result is the
same table as DuckDB gives, returned or written as Parquet; the audit trail is the same records,
kept by a :class:`SparkAuditLog` as Parquet (or by an :class:`~formmerge.prefill.AuditLog`).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from formmerge.errors import SourceError
from formmerge.models import Catalog, MergedForm
from formmerge.prefill.api import resolve_config
from formmerge.prefill.audit import DEFAULT_AUDIT_TABLE, DEFAULT_SALT_ENV, AuditLog, AuditRecord
from formmerge.prefill.batch import (
    BatchPlan,
    Subjects,
    batch_audit_records,
    offered_frame,
    plan_batch,
)
from formmerge.prefill.config import SourceConfig
from formmerge.prefill.spark_session import (
    SparkRegisters,
    run_spark,
    spark_session,
    temporary_view,
)
from formmerge.prefill.spark_sql import inserted_rows, staged, to_spark
from formmerge.prefill.sql import KEY, BatchRead, Query, audit_subjects_sql, quote_identifier

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "AUDIT_SCHEMA",
    "SparkAuditLog",
    "over_views",
    "prefill_batch_spark",
    "run_staged",
    "spark_frame",
]

AUDIT_SCHEMA = (
    "read_at TIMESTAMP, matter STRING, read_id STRING, subject_hash STRING, role STRING,"
    " key_hash STRING, source STRING, items ARRAY<STRING>, found BIGINT, subjects BIGINT"
)
"""The Spark schema of the audit records (the columns of :class:`AuditRecord`)."""
_SUBJECTS_SCHEMA = "read_id STRING, subject_hash STRING"
_SALT_BYTES = 16


def spark_frame(spark: SparkSession, table: pa.Table) -> DataFrame:
    """An Arrow table as a Spark DataFrame (sent in Arrow batches)."""
    return spark.createDataFrame(table)


def _to_pandas(frame: DataFrame) -> pd.DataFrame:
    """A Spark result as DuckDB's would be fetched: through Arrow."""
    table: pa.Table = frame.toArrow()
    result: pd.DataFrame = table.to_pandas()
    return result


class SparkAuditLog:
    """An append-only audit trail kept as Parquet by Spark, with the records of an
    :class:`~formmerge.prefill.AuditLog` (see there for the salt).

    Args:
        spark: the session that writes the records.
        folder: where the records go: ``<folder>/<table>`` (one row per read) and
            ``<folder>/<table>_subject`` (the hash of every subject of a batch), both Parquet
            folders appended to; a path Spark can write (local, HDFS, S3 ...).
        salt, salt_env: as for :class:`~formmerge.prefill.AuditLog`.
        table: the name of the records' folder.
    """

    def __init__(
        self,
        spark: SparkSession,
        folder: Path | str,
        *,
        salt: str | None = None,
        salt_env: str = DEFAULT_SALT_ENV,
        table: str = DEFAULT_AUDIT_TABLE,
    ) -> None:
        chosen = salt or os.environ.get(salt_env)
        self.salt_is_random = not chosen
        self._salt = chosen or secrets.token_hex(_SALT_BYTES)
        self.spark = spark
        # joined as text: a URL (hdfs://, s3a://) is not a local path
        base = str(folder).rstrip("/")
        self.records_path = f"{base}/{table}"
        self.subjects_path = f"{base}/{table}_subject"

    def hash(self, key: str) -> str:
        """The salted SHA-256 hash of a subject key (hex)."""
        return hashlib.sha256((self._salt + key).encode("utf-8")).hexdigest()

    new_read_id = staticmethod(AuditLog.new_read_id)

    @staticmethod
    def now() -> datetime:
        """The current time (UTC)."""
        return datetime.now(UTC)

    def record(self, records: list[AuditRecord]) -> None:
        """Append records."""
        if not records:
            return
        rows = [r.row() for r in records]
        frame = self.spark.createDataFrame(rows, AUDIT_SCHEMA).coalesce(1)
        frame.write.mode("append").parquet(self.records_path)

    def record_batch_subjects(self, read_id: str, keys_view: str) -> None:
        """Append the hash of every subject key (column ``__key`` of a view) under ``read_id``.

        The statement is the DuckDB audit's (:func:`~formmerge.prefill.sql.audit_subjects_sql`)
        without its INSERT: Spark appends the rows to Parquet instead.
        """
        insert = audit_subjects_sql("subjects", keys_view, read_id, self._salt)
        query = inserted_rows(insert, ["read_id", "subject_hash"])
        frame = run_spark(self.spark, query, "hashing the subjects")
        frame.write.mode("append").parquet(self.subjects_path)

    def to_frame(self, *, expand_batches: bool = False) -> pd.DataFrame:
        """The records as a DataFrame, oldest first (see :meth:`AuditLog.to_frame`)."""
        records = self.spark.read.schema(AUDIT_SCHEMA).parquet(self.records_path)
        if not expand_batches:
            return _to_pandas(records.orderBy("read_at"))
        subjects = self.spark.read.schema(_SUBJECTS_SCHEMA).parquet(self.subjects_path)
        joined = records.alias("a").join(
            subjects.alias("s"),
            (records["subject_hash"].isNull()) & (records["read_id"] == subjects["read_id"]),
            "left",
        )
        from pyspark.sql import functions as f

        columns = [
            f.coalesce(f.col("a.subject_hash"), f.col("s.subject_hash")).alias(c)
            if c == "subject_hash"
            else f.col(f"a.{c}")
            for c in records.columns
        ]
        return _to_pandas(joined.select(*columns).orderBy("read_at"))


def prefill_batch_spark(
    merged: MergedForm,
    subjects: Subjects,
    *,
    sources: SourceConfig | Path | str | None = None,
    spark: SparkSession | None = None,
    registers: Path | str | None = None,
    matter: str | None = None,
    audit: SparkAuditLog | AuditLog | None = None,
    catalog: Catalog | None = None,
    output: Path | str | None = None,
    provenance: bool = True,
) -> pd.DataFrame:
    """Prefill one merged form for many subjects on Spark, as
    :func:`~formmerge.prefill.prefill_batch` does on DuckDB.

    Args:
        merged, subjects, sources, matter, catalog, provenance: as for
            :func:`~formmerge.prefill.prefill_batch`.
        spark: the session; by default the one the configuration's ``spark:`` section makes.
        registers: a folder of ``<relation>.parquet`` files (default: ``spark.registers``).
        audit: where the reads are recorded (a :class:`SparkAuditLog` writes Parquet).
        output: a folder Spark writes the result to as Parquet (replaced if it exists).

    Returns:
        The result, the same as DuckDB's; with ``output``, one row per field with the number
        of subjects it was prefilled for.

    Raises:
        SourceError: a register is missing (``missing-register-file``), Spark is not
            available (``spark-unavailable``), or the statement fails.
    """
    config, cat = resolve_config(sources, catalog)
    plan = plan_batch(merged, subjects, config, cat)
    session = spark if spark is not None else spark_session(config.spark)
    what = f"prefilling {plan.table.num_rows:,} subjects from {len(plan.sources)} sources on Spark"
    from pyspark.sql import functions

    log = audit if audit is not None else AuditLog(salt_env=config.audit.salt_env)
    read_id = log.new_read_id()
    with SparkRegisters(session, config, registers) as views:
        table = spark_frame(session, plan.table)
        with temporary_view(session, table, "subjects") as name:
            # the returned values are checked and derived with their sources, as on DuckDB
            read = over_views(plan, config, views.config).query(name, provenance or output is None)
            with run_staged(session, read, f"{name}_", what) as result:
                if output is not None:
                    result.write.mode("overwrite").parquet(str(output))
                    frame = _summary(session, str(output), [f.field for f in plan.fields])
                else:
                    frame = offered_frame(merged, result.toArrow(), config, cat)
                    if not provenance:
                        plain = {*plan.table.column_names, "row", *(f.field for f in plan.fields)}
                        frame = frame[[c for c in frame.columns if c in plain]]
            if isinstance(log, SparkAuditLog):
                key = plan.table.column_names[1].replace("`", "``")
                keys = table.select(functions.col(f"`{key}`").alias(KEY))
                with temporary_view(session, keys, "keys") as keys_view:
                    log.record_batch_subjects(read_id, keys_view)
            else:
                log.record_batch_subjects(read_id, plan.table.column(1))
    # the records name the configured relations, not the views they were read through
    log.record(batch_audit_records(read_id, matter, log.now(), plan))
    return frame


@contextmanager
def run_staged(spark: SparkSession, query: Query, prefix: str, what: str) -> Iterator[DataFrame]:
    """The batch statement's result, its roles stages computed once each and kept while
    inside (see :func:`~formmerge.prefill.spark_sql.staged`)."""
    steps, final = staged(to_spark(query), prefix)
    kept: list[DataFrame] = []
    try:
        for view, step in steps:
            frame = run_spark(spark, step, what).localCheckpoint(eager=True)
            kept.append(frame)
            frame.createOrReplaceTempView(view)
        yield run_spark(spark, final, what)
    finally:
        for view, _ in steps:
            spark.catalog.dropTempView(view)
        for frame in kept:
            frame.unpersist()


def over_views(plan: BatchPlan, config: SourceConfig, views: SourceConfig) -> BatchPlan:
    """The plan with each relation and source replaced by its counterpart in ``views`` (the
    same configuration with other relation names)."""
    relation_of = {id(r): v for r, v in zip(config.relations, views.relations, strict=True)}
    stages = [(role, [relation_of[id(r)] for r in entries]) for role, entries in plan.stages]
    reads = [BatchRead(views.source(r.source.id), r.role, r.items) for r in plan.reads]
    return replace(plan, stages=stages, reads=reads)


def _summary(spark: SparkSession, path: str, fields: list[str]) -> pd.DataFrame:
    from pyspark.sql import functions as f

    written = spark.read.parquet(path)
    counts = written.select(
        f.count(f.lit(1)).alias("__n"),
        *(f.count(f.col(quote_identifier(c).replace('"', "`"))).alias(f"c{i}")
          for i, c in enumerate(fields)),
    ).first()  # fmt: skip
    if counts is None:
        raise SourceError(f"the result written to {path} cannot be read back")
    values = list(counts)
    return pd.DataFrame({"field": fields, "prefilled": values[1:], "subjects": values[0]})

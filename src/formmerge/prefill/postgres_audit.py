"""The audit trail kept in PostgreSQL: the same records as :class:`~formmerge.prefill.AuditLog`,
in tables of a PostgreSQL database reached through a psycopg connection.

The tables are those of the DuckDB audit log (``prefill_audit`` and ``prefill_audit_subject``,
created if missing with the same builder's statements, transpiled). Subject hashes are the same
salted SHA-256 hashes, computed here, so a trail kept in PostgreSQL and one kept in DuckDB with
the same salt agree record for record. Give the log a role that may INSERT into (and SELECT
from) its tables and nothing else, and a database or schema apart from the registers: the
registers' role stays SELECT-only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import sqlglot

from formmerge.errors import Location, Problem, SourceError
from formmerge.prefill.audit import (
    _EXPORT_FORMATS,
    DEFAULT_AUDIT_TABLE,
    DEFAULT_SALT_ENV,
    AuditLog,
    AuditRecord,
)
from formmerge.prefill.backend import clean_database_message
from formmerge.prefill.locking import connection_lock
from formmerge.prefill.sql import audit_table_sql, quote_identifier

__all__ = ["PostgresAuditLog"]

_COLUMNS = (
    "read_at", "matter", "read_id", "subject_hash", "role", "key_hash", "source", "items",
    "found", "subjects",
)  # fmt: skip


class PostgresAuditLog(AuditLog):
    """An append-only audit table in a PostgreSQL database.

    Args:
        connection: a psycopg connection allowed to create (once) and append to the tables;
            the caller keeps it open. Each write is committed on its own (a savepoint when the
            caller has a transaction open).
        salt, salt_env, table: as for :class:`~formmerge.prefill.AuditLog`.
    """

    def __init__(
        self,
        connection: Any,
        *,
        salt: str | None = None,
        salt_env: str = DEFAULT_SALT_ENV,
        table: str = DEFAULT_AUDIT_TABLE,
    ) -> None:
        self._name_and_salt(table, salt, salt_env)
        self._place = None
        self.connection = connection  # the psycopg connection, kept by the caller
        self._pg: Any = connection
        self._owned = False
        self._lock = connection_lock(connection)
        self._pending = threading.local()  # records held back by collecting(), per thread
        with self._writing("creating the audit tables") as cur:
            for query in audit_table_sql(self.table, self.subjects_table):
                cur.execute(sqlglot.transpile(query.sql, read="duckdb", write="postgres")[0])

    @contextmanager
    def _store(self, what: str) -> Iterator[None]:
        import psycopg

        try:
            yield
        except psycopg.Error as exc:
            detail = clean_database_message(str(exc).splitlines()[0] if str(exc) else "")
            problem = Problem(
                "audit-store-failed", f"{what} failed: {type(exc).__name__}: {detail}", Location()
            )
            raise SourceError("the audit trail cannot be written or read", [problem]) from None

    @contextmanager
    def _writing(self, what: str) -> Iterator[Any]:
        with (
            self._lock,
            self._store(what),
            self._pg.transaction(),
            self._pg.cursor() as cur,
        ):
            yield cur

    def _select(self, what: str, sql: str) -> tuple[list[tuple[Any, ...]], list[str]]:
        from psycopg.pq import TransactionStatus

        with self._lock, self._store(what):
            idle = self._pg.info.transaction_status == TransactionStatus.IDLE
            with self._pg.cursor() as cur:
                cur.execute(sql)
                rows = cur.fetchall()
                names = [c.name for c in cur.description or ()]
            if idle and not self._pg.autocommit:
                self._pg.rollback()  # end the reading transaction this SELECT opened
        return rows, names

    def record(self, records: Sequence[AuditRecord]) -> None:
        """Append records."""
        if not records:
            return
        rows = [r.row() for r in records]
        marks = ", ".join(["%s"] * len(_COLUMNS))
        sql = f"INSERT INTO {quote_identifier(self.table)} VALUES ({marks})"
        with self._writing("writing audit records") as cur:
            cur.executemany(sql, rows)

    def record_batch_subjects(self, read_id: str, keys: pa.Array) -> None:
        """Append the hash of every subject key of a batch under ``read_id``."""
        copy = f"COPY {quote_identifier(self.subjects_table)} (read_id, subject_hash) FROM STDIN"
        with self._writing("writing the batch's subject hashes") as cur, cur.copy(copy) as out:
            for key in keys.to_pylist():
                out.write_row((read_id, None if key is None else self.hash(str(key))))

    def to_frame(self, *, expand_batches: bool = False) -> pd.DataFrame:
        """The records as a DataFrame, oldest first (see :meth:`AuditLog.to_frame`)."""
        table, subjects = quote_identifier(self.table), quote_identifier(self.subjects_table)
        if expand_batches:
            columns = ", ".join(
                "coalesce(a.subject_hash, s.subject_hash) AS subject_hash"
                if c == "subject_hash"
                else f"a.{c}"
                for c in _COLUMNS
            )
            sql = (
                f"SELECT {columns} FROM {table} AS a LEFT JOIN {subjects} AS s"
                f" ON a.subject_hash IS NULL AND s.read_id = a.read_id ORDER BY a.read_at"
            )
        else:
            sql = f"SELECT * FROM {table} ORDER BY read_at"
        rows, names = self._select("reading the audit records", sql)
        return pd.DataFrame(rows, columns=names)

    def records(self) -> list[AuditRecord]:
        """The records, oldest first."""
        sql = f"SELECT * FROM {quote_identifier(self.table)} ORDER BY read_at"
        rows, _ = self._select("reading the audit records", sql)
        return [
            AuditRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], tuple(r[7]), r[8], r[9])
            for r in rows
        ]

    def export(self, path: Path | str) -> Path:
        """Write the records to a ``.csv`` or ``.parquet`` file."""
        target = Path(path)
        if target.suffix.lower() not in _EXPORT_FORMATS:
            raise SourceError(
                f"cannot export the audit trail as {target.suffix!r}; use .csv or .parquet"
            )
        frame = self.to_frame()
        if target.suffix.lower() == ".csv":
            frame.to_csv(target, index=False)
        else:
            frame.to_parquet(target, index=False)
        return target

    def close(self) -> None:
        """Nothing to close: the caller keeps the connection."""

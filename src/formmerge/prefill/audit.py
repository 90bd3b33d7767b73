"""The audit trail: who read which items of whom, for which matter.

Every read prefill makes (a source queried for some items of one role, or a relation followed to
find a related person) appends a record to a DuckDB table: the time, the matter, the salted
SHA-256 hash of the subject and of the key read, the role, the source and the items. A batch
read appends one record per source and role with the number of subjects, and the hash of every
subject of the batch once, under the batch's ``read_id``.

The salt comes from the ``salt`` argument, else from the environment variable named by the
source configuration (``FORMMERGE_AUDIT_SALT`` by default). Without either, a random salt is
drawn for the log's lifetime: hashes then link records within one log but cannot be matched
against anything later. Keep the salt secret: with it, a hash can be checked against a guessed
ID number.

An audit log may be shared between threads: every statement runs holding its connection's lock
(:mod:`formmerge.prefill.locking`). A failure of the audit store (a full disk, a read-only or
damaged file) is raised as a :class:`~formmerge.errors.SourceError` with the code
``audit-store-failed``, never as a raw database exception.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from formmerge.errors import Location, Problem, SourceError
from formmerge.prefill.backend import clean_database_message
from formmerge.prefill.config import IDENTIFIER
from formmerge.prefill.locking import connection_lock
from formmerge.prefill.sql import (
    KEY,
    audit_insert_sql,
    audit_subjects_sql,
    audit_table_sql,
    quote_identifier,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_AUDIT_TABLE",
    "DEFAULT_SALT_ENV",
    "AuditLog",
    "AuditRecord",
]

DEFAULT_AUDIT_TABLE = "prefill_audit"
DEFAULT_SALT_ENV = "FORMMERGE_AUDIT_SALT"
_SALT_BYTES = 16
_EXPORT_FORMATS = {".csv": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class AuditRecord:
    """One read."""

    read_at: datetime
    matter: str | None
    read_id: str
    """Shared by the records of one prefill call; the key of a batch's subject hashes."""
    subject_hash: str | None
    """Hash of the subject the prefill was for (None for a batch: see the subjects table)."""
    role: str
    key_hash: str | None
    """Hash of the key read (the subject's, or a related person's); None for a batch."""
    source: str
    """A source id, or ``relation:<relation>`` for a lookup of a related person."""
    items: tuple[str, ...]
    found: int | None
    """Rows found (0: nothing on record; None for a batch read)."""
    subjects: int = 1

    def row(self) -> tuple[object, ...]:
        """The record as a row of the audit table, in its column order."""
        return (
            self.read_at, self.matter, self.read_id, self.subject_hash, self.role,
            self.key_hash, self.source, list(self.items), self.found, self.subjects,
        )  # fmt: skip


class AuditLog:
    """An append-only audit table in a DuckDB database.

    Args:
        database: a connection, a DuckDB file (created if missing), or None for an in-memory
            database (read it back with :meth:`to_frame` before it goes away).
        salt: the salt of subject hashes (see the module documentation).
        salt_env: the environment variable to read the salt from when ``salt`` is not given.
        table: the audit table's name; the batch subjects go to ``<table>_subject``.
    """

    def __init__(
        self,
        database: duckdb.DuckDBPyConnection | Path | str | None = None,
        *,
        salt: str | None = None,
        salt_env: str = DEFAULT_SALT_ENV,
        table: str = DEFAULT_AUDIT_TABLE,
    ) -> None:
        self._name_and_salt(table, salt, salt_env)
        owned_file = database is not None and not isinstance(database, duckdb.DuckDBPyConnection)
        self._place = str(database) if owned_file else None
        if isinstance(database, duckdb.DuckDBPyConnection):
            self.connection, self._owned = database, False
        else:
            with self._store("opening the audit store"):
                target = ":memory:" if database is None else str(database)
                self.connection = duckdb.connect(target)
            self._owned = True
        self._lock = connection_lock(self.connection)
        self._pending = threading.local()  # records held back by collecting(), per thread
        for query in audit_table_sql(self.table, self.subjects_table):
            self._execute("creating the audit tables", query.sql)

    def _name_and_salt(self, table: str, salt: str | None, salt_env: str) -> None:
        """The audit tables' names (checked) and the salt of subject hashes."""
        if not IDENTIFIER.fullmatch(table):
            raise SourceError(f"audit table name {table!r} is not a plain identifier")
        chosen = salt or os.environ.get(salt_env)
        self.salt_is_random = not chosen
        self._salt = chosen or secrets.token_hex(_SALT_BYTES)
        self.table, self.subjects_table = table, f"{table}_subject"

    @contextmanager
    def _store(self, what: str) -> Iterator[None]:
        try:
            yield
        except duckdb.Error as exc:
            detail = clean_database_message(str(exc).splitlines()[0] if str(exc) else "")
            problem = Problem(
                "audit-store-failed",
                f"{what} failed: {type(exc).__name__}: {detail}",
                Location(file=self._place),
            )
            raise SourceError("the audit trail cannot be written or read", [problem]) from None

    def _execute(self, what: str, sql: str, params: object = None) -> duckdb.DuckDBPyConnection:
        with self._lock, self._store(what):
            return self.connection.execute(sql, params)

    def hash(self, key: str) -> str:
        """The salted SHA-256 hash of a subject key (hex)."""
        return hashlib.sha256((self._salt + key).encode("utf-8")).hexdigest()

    @staticmethod
    def new_read_id() -> str:
        """A fresh identifier for the records of one prefill call."""
        return secrets.token_hex(8)

    def record(self, records: Sequence[AuditRecord]) -> None:
        """Append records (inside :meth:`collecting`, when it ends)."""
        held: list[AuditRecord] | None = getattr(self._pending, "records", None)
        if held is not None:
            held.extend(records)
            return
        self._insert(records)

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """While inside, this thread's records are held back and then appended with one
        statement when the block ends (also when it ends with an error): one audit write per
        prefill call. Nested blocks write once, when the outermost ends."""
        if getattr(self._pending, "records", None) is not None:
            yield
            return
        held: list[AuditRecord] = []
        self._pending.records = held
        try:
            yield
        finally:
            self._pending.records = None
            self._insert(held)

    def _insert(self, records: Sequence[AuditRecord]) -> None:
        if not records:
            return
        query = audit_insert_sql(self.table, [r.row() for r in records])
        self._execute("writing audit records", query.sql, query.params)

    def record_batch_subjects(self, read_id: str, keys: pa.Array) -> None:
        """Append the hash of every subject key of a batch under ``read_id``."""
        name = f"__formmerge_audit_keys_{read_id}"
        with self._lock, self._store("writing the batch's subject hashes"):
            self.connection.register(name, pa.table({KEY: keys}))
            try:
                query = audit_subjects_sql(self.subjects_table, name, read_id, self._salt)
                self.connection.execute(query.sql, query.params)
            finally:
                self.connection.unregister(name)

    def to_frame(self, *, expand_batches: bool = False) -> pd.DataFrame:
        """The records as a DataFrame, oldest first.

        Args:
            expand_batches: give a batch read one row per subject (with its ``subject_hash``)
                instead of one row per source and role.
        """
        table, subjects = quote_identifier(self.table), quote_identifier(self.subjects_table)
        if expand_batches:
            sql = (
                f"SELECT a.* REPLACE (coalesce(a.subject_hash, s.subject_hash) AS subject_hash)"
                f" FROM {table} AS a LEFT JOIN {subjects} AS s"
                f" ON a.subject_hash IS NULL AND s.read_id = a.read_id ORDER BY a.read_at"
            )
        else:
            sql = f"SELECT * FROM {table} ORDER BY read_at"
        with self._lock, self._store("reading the audit records"):
            return self.connection.execute(sql).df()

    def records(self) -> list[AuditRecord]:
        """The records, oldest first."""
        sql = f"SELECT * FROM {quote_identifier(self.table)} ORDER BY read_at"
        with self._lock, self._store("reading the audit records"):
            rows = self.connection.execute(sql).fetchall()
        return [
            AuditRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], tuple(r[7]), r[8], r[9])
            for r in rows
        ]

    def export(self, path: Path | str) -> Path:
        """Write the records to a ``.csv`` or ``.parquet`` file."""
        target = Path(path)
        kind = _EXPORT_FORMATS.get(target.suffix.lower())
        if kind is None:
            raise SourceError(
                f"cannot export the audit trail as {target.suffix!r}; use .csv or .parquet"
            )
        table = quote_identifier(self.table)
        sql = f"COPY (SELECT * FROM {table} ORDER BY read_at) TO $path (FORMAT {kind})"
        self._execute(f"exporting the audit trail to {target}", sql, {"path": str(target)})
        return target

    def close(self) -> None:
        """Close the database if the log opened it."""
        if self._owned:
            with self._lock:
                self.connection.close()

    @staticmethod
    def now() -> datetime:
        """The current time (UTC), as records carry it."""
        return datetime.now(UTC)

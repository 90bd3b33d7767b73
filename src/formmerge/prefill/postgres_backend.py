"""The PostgreSQL backend: registers in a PostgreSQL database, read through psycopg 3.

Statements are the pure builders' DuckDB SQL transpiled to PostgreSQL
(:mod:`formmerge.prefill.postgres_sql`); every value is a bound parameter and a point lookup
runs in PostgreSQL against its indexes, so no table is copied to the client. A batch's subjects
are sent as bound arrays, so a batch needs no temporary table.

Nothing the backend runs can change the database:

* a connection the backend opens (from the DSN the configuration names, see
  :meth:`~formmerge.prefill.config.SourceConfig.postgres_dsn`) has
  ``default_transaction_read_only`` on, so every statement runs in a read-only transaction;
* on a caller's connection, every statement runs in a transaction (or savepoint) of its own
  that is made ``READ ONLY`` and then rolled back, leaving the caller's transaction as it was.

Give the backend a role with SELECT only on the registers as well: read-only transactions stop
writes, the role's grants stop reads of anything else.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot.errors

from formmerge.errors import Location, Problem, SourceError
from formmerge.prefill.backend import RegisterBackend, SourceQueryError, clean_database_message
from formmerge.prefill.config import SourceConfig
from formmerge.prefill.locking import connection_lock
from formmerge.prefill.postgres_sql import PostgresStatement, postgres_params, to_postgres
from formmerge.prefill.sql import Query

try:
    import psycopg
    from psycopg.pq import TransactionStatus
except ImportError:  # pragma: no cover - the optional extra is missing
    psycopg = None  # type: ignore[assignment]

__all__ = ["BATCH_SETTINGS", "READ_ONLY_OPTIONS", "PostgresBackend", "is_postgres_connection"]

READ_ONLY_OPTIONS = "-c default_transaction_read_only=on"
"""Server options of every connection the backend opens: all its transactions are read-only."""
BATCH_SETTINGS = {"enable_nestloop": "off", "jit": "off"}
"""Planner settings of a batch statement (set for its transaction only). PostgreSQL cannot
estimate the joins on computed keys of the set-based statement and, guessing huge row counts,
picks nested loops that take hours on a million subjects; hash joins are what the statement
is written for (as DuckDB runs it). JIT compilation of so large a statement costs more than
it saves."""
_ARROW_TYPES: dict[int, pa.DataType] = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int64(),
    23: pa.int64(),
    25: pa.string(),
    700: pa.float64(),
    701: pa.float64(),
    1043: pa.string(),
    1009: pa.list_(pa.string()),
    1015: pa.list_(pa.string()),
}
"""PostgreSQL type OIDs to the Arrow types DuckDB gives the same columns."""


def is_postgres_connection(connection: object) -> bool:
    """Whether ``connection`` is a psycopg 3 connection."""
    return psycopg is not None and isinstance(connection, psycopg.Connection)


def _require_psycopg() -> None:
    if psycopg is None:
        problem = Problem(
            "postgres-unavailable",
            "PostgreSQL sources need psycopg 3: pip install 'formmerge[postgres]'",
            Location(),
        )
        raise SourceError("cannot read a PostgreSQL database", [problem])


class PostgresBackend(RegisterBackend):
    """Runs prefill on PostgreSQL.

    Args:
        connection: a psycopg connection on which the configured relations resolve (the
            caller keeps it open); or
        dsn: a connection string to open one with (the backend then owns and closes it).
    """

    def __init__(
        self, connection: Any = None, *, dsn: str | None = None, where: str | None = None
    ) -> None:
        _require_psycopg()
        self.errors = (psycopg.Error, sqlglot.errors.SqlglotError, ValueError)
        if (connection is None) == (dsn is None):
            raise ValueError("give either a connection or a DSN")
        if connection is None:
            try:
                connection = psycopg.connect(dsn or "", autocommit=True, options=READ_ONLY_OPTIONS)
            except psycopg.Error as exc:
                detail = clean_database_message(str(exc).splitlines()[0] if str(exc) else "")
                problem = Problem(
                    "unreadable-database", f"{type(exc).__name__}: {detail}", Location(file=where)
                )
                raise SourceError("cannot connect to the PostgreSQL registers", [problem]) from None
            self._owned = True
        else:
            self._owned = False
        self.connection = connection
        self._lock = connection_lock(connection)
        self._tables: dict[str, pa.Table] = {}

    @classmethod
    def open(cls, connection: Any, config: SourceConfig) -> PostgresBackend:
        """A backend for a caller's psycopg connection, or (None) the configured database."""
        if connection is not None:
            return cls(connection)
        return cls(dsn=config.postgres_dsn(), where=config.source_file)

    def exclusive(self) -> threading.RLock:
        """The connection's lock (shared with every formmerge call on that connection)."""
        return self._lock

    def _statement(
        self, sql: str, params: dict[str, object]
    ) -> tuple[PostgresStatement, dict[str, object]]:
        columns = {name: tuple(table.column_names) for name, table in self._tables.items()}
        statement = to_postgres(sql, columns)
        data = {
            name: {c: table.column(c).to_pylist() for c in table.column_names}
            for name, table in self._tables.items()
            if any(name == used for used, _ in statement.arrays)
        }
        return statement, postgres_params(statement, params, data)

    def _execute(self, sql: str, params: dict[str, object]) -> tuple[list[tuple[Any, ...]], Any]:
        statement, values = self._statement(sql, params)
        batch = bool(statement.arrays)
        if self._owned and not batch:  # read-only by default_transaction_read_only
            with self.connection.cursor() as cur:
                cur.execute(statement.sql, values)
                return cur.fetchall(), cur.description
        status = self.connection.info.transaction_status
        if status == TransactionStatus.INERROR:
            raise psycopg.errors.InFailedSqlTransaction("the connection's transaction has failed")
        with self.connection.transaction(force_rollback=True), self.connection.cursor() as cur:
            cur.execute("SET TRANSACTION READ ONLY")
            if batch:
                for name, value in BATCH_SETTINGS.items():
                    cur.execute("SELECT set_config(%s, %s, true)", (name, value))
            cur.execute(statement.sql, values)
            return cur.fetchall(), cur.description

    def _rows(self, sql: str, params: dict[str, object]) -> list[tuple[Any, ...]]:
        return self._execute(sql, params)[0]

    def _arrow(self, sql: str, params: dict[str, object]) -> pa.Table:
        rows, description = self._execute(sql, params)
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in description]
        arrays = [
            pa.array(list(values), _ARROW_TYPES.get(column.type_code))
            for values, column in zip(columns, description, strict=True)
        ]
        return pa.table(arrays, names=[column.name for column in description])

    def _run(self, sql: str, params: dict[str, object]) -> None:
        self._execute(sql, params)

    def copy_to_parquet(self, query: Query, path: Path, what: str) -> None:
        """Write the result of a SELECT to a Parquet file (fetched, then written here)."""
        table = self.arrow(query, what)
        try:
            pq.write_table(table, path)
        except OSError as exc:
            raise SourceQueryError(what, query.sql, exc) from None

    def _register(self, name: str, table: pa.Table) -> None:
        self._tables[name] = table

    def _unregister(self, name: str) -> None:
        self._tables.pop(name, None)

    def close(self) -> None:
        """Close the connection if the backend opened it."""
        if self._owned:
            self.connection.close()

"""The DuckDB backend: registers in a DuckDB file (attached read-only) or on a caller's connection.

With a file, the backend opens an in-memory DuckDB, attaches the file ``(READ_ONLY)`` and makes
it the default catalog, so configured relation names resolve to its tables and views, and no
statement can change it. External access is then switched off except for the Parquet and CSV
files the configuration names (and a batch's output file), so a view stored in the registers
file cannot read other local files.

With a caller's connection, relation names resolve as the caller set them up (tables, views,
DataFrames or Arrow tables registered with ``connection.register``); the caller keeps the
connection open, and its settings (external access included) are the caller's. A caller's
connection may be shared between threads:
every statement runs holding the connection's lock (:mod:`formmerge.prefill.locking`), which
other formmerge calls on the same connection take as well.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from formmerge.errors import Location, Problem, SourceError
from formmerge.prefill.backend import RegisterBackend, SourceQueryError
from formmerge.prefill.config import SourceConfig
from formmerge.prefill.locking import connection_lock
from formmerge.prefill.sql import Query, union_rows_sql

__all__ = ["REGISTERS_CATALOG", "DuckDBBackend", "configured_files"]

REGISTERS_CATALOG = "registers"
"""The name under which a registers file is attached."""

_GLOB_CHARACTERS = "*?["


def configured_files(config: SourceConfig) -> list[str]:
    """The Parquet and CSV files (or glob patterns) the configuration's relations read."""
    refs = [s.relation for s in config.sources] + [r.relation for r in config.relations]
    return list(dict.fromkeys(ref.file for ref in refs if ref.file is not None))


def _access_lists(files: Iterable[str]) -> tuple[list[str], list[str]]:
    """DuckDB's ``allowed_paths`` and ``allowed_directories`` for these files: a plain path as
    given and made absolute; a glob by the folder before its first wildcard."""
    paths: list[str] = []
    folders: list[str] = []
    for file in files:
        cut = min((file.find(c) for c in _GLOB_CHARACTERS if c in file), default=-1)
        if cut < 0:
            paths += [file, str(Path(file).expanduser().resolve())]
            continue
        folder = Path(file[:cut]).expanduser()
        folder = folder if file[:cut].endswith(("/", "\\")) else folder.parent
        folders += [str(folder), str(folder.resolve())]
    return list(dict.fromkeys(paths)), [f.rstrip("/") + "/" for f in dict.fromkeys(folders)]


class DuckDBBackend(RegisterBackend):
    """Runs prefill on DuckDB.

    Args:
        connection: a connection on which the configured relations resolve; or
        database: a DuckDB file to attach read-only (the backend then owns its connection).
        files: with ``database``, the only files statements may read or write besides it
            (:func:`configured_files`, and a batch's output).
    """

    errors = (duckdb.Error,)

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection | None = None,
        *,
        database: Path | None = None,
        files: Iterable[str] = (),
    ) -> None:
        if (connection is None) == (database is None):
            raise ValueError("give either a connection or a database file")
        if connection is not None:
            self.connection, self._owned = connection, False
            self._lock = connection_lock(connection)
            return
        assert database is not None
        if not database.is_file():
            problem = Problem(
                "missing-database",
                "no such file; build the demo registers with `formmerge demo-data`, or set "
                "`database` in the source configuration",
                Location(file=str(database)),
            )
            raise SourceError("the registers database does not exist", [problem])
        self.connection, self._owned = duckdb.connect(), True
        self._lock = connection_lock(self.connection)
        self.connection.execute("SET enable_progress_bar = false")
        try:
            self.connection.execute(
                f"ATTACH $path AS {REGISTERS_CATALOG} (READ_ONLY)", {"path": str(database)}
            )
            self.connection.execute(f"USE {REGISTERS_CATALOG}")
            paths, folders = _access_lists(files)
            self.connection.execute("SET allowed_paths = $p", {"p": paths})
            self.connection.execute("SET allowed_directories = $d", {"d": folders})
            self.connection.execute("SET enable_external_access = false")
        except duckdb.Error as exc:
            self.connection.close()
            problem = Problem(
                "unreadable-database", type(exc).__name__, Location(file=str(database))
            )
            raise SourceError("cannot open the registers database", [problem]) from None

    @classmethod
    def open(
        cls,
        connection: duckdb.DuckDBPyConnection | Path | str | None,
        config: SourceConfig,
        *,
        writes: Iterable[str] = (),
    ) -> DuckDBBackend:
        """A backend for ``connection``: a connection, a file, or (None) the configured database.
        ``writes``: files a statement will write.

        Raises:
            SourceError: ``no-registers`` when neither names a database: formmerge never falls
                back to the demo registers on its own (pass them explicitly, as the demo does).
        """
        if isinstance(connection, duckdb.DuckDBPyConnection):
            return cls(connection)
        files = [*configured_files(config), *writes]
        if connection is not None:
            return cls(database=Path(connection), files=files)
        configured = config.database_path()
        if configured is not None:
            return cls(database=configured, files=files)
        problem = Problem(
            "no-registers",
            "no registers to read: pass connection= (a DuckDB connection or file) or set "
            "`database` in the source configuration",
            Location(file=config.source_file),
        )
        raise SourceError("prefill has no registers to read", [problem])

    def exclusive(self) -> threading.RLock:
        """The connection's lock (shared with every formmerge call on that connection)."""
        return self._lock

    def _rows(self, sql: str, params: dict[str, object]) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, params).fetchall()

    def rows_each(
        self, queries: Sequence[tuple[Query, str]]
    ) -> list[list[tuple[Any, ...]] | SourceQueryError]:
        """The SELECTs as one statement (:func:`~formmerge.prefill.sql.union_rows_sql`); if it
        fails, one by one, so that each failure is reported for its own SELECT."""
        if len(queries) < 2:
            return super().rows_each(queries)
        try:
            rows = self.rows(union_rows_sql([q for q, _ in queries]), "reading the sources")
        except SourceQueryError:
            return super().rows_each(queries)
        found: list[list[tuple[Any, ...]]] = [[] for _ in queries]
        for row in rows:
            index = row[0]
            found[index].append(tuple(row[1 + index].values()))
        return list(found)

    def _arrow(self, sql: str, params: dict[str, object]) -> pa.Table:
        return self.connection.sql(sql, params=params).to_arrow_table()

    def _run(self, sql: str, params: dict[str, object]) -> None:
        self.connection.execute(sql, params)

    def _register(self, name: str, table: pa.Table) -> None:
        self.connection.register(name, table)

    def _unregister(self, name: str) -> None:
        self.connection.unregister(name)

    def progress(self) -> float | None:
        """The running statement's progress in percent (-1 while DuckDB cannot tell)."""
        return float(self.connection.query_progress())

    @contextmanager
    def reporting_progress(self) -> Iterator[None]:
        """Switch DuckDB's progress tracking on (without its own printing), then restore it."""
        settings = ("enable_progress_bar", "enable_progress_bar_print")
        with self._lock:
            before = self._settings(settings)
            self.connection.execute("SET enable_progress_bar = true")
            self.connection.execute("SET enable_progress_bar_print = false")
        try:
            yield
        finally:
            with self._lock:
                for name, value in zip(settings, before, strict=True):
                    flag = "true" if value and value[0] else "false"
                    self.connection.execute(f"SET {name} = {flag}")

    def _settings(self, names: tuple[str, ...]) -> list[tuple[Any, ...]]:
        return [
            self.connection.execute("SELECT current_setting($s)", {"s": s}).fetchall()[0]
            for s in names
        ]

    def close(self) -> None:
        """Close the connection if the backend opened it."""
        if self._owned:
            self.connection.close()

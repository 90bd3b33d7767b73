"""The backend base class: every interaction with the database that holds the registers.

A backend supplies a handful of hooks (run a statement, fetch rows or Arrow, register a table);
the base class runs each of them holding the backend's lock (see :meth:`RegisterBackend.exclusive`)
and wraps every failure as a :class:`SourceQueryError` that carries the statement (never its
parameter values) and a message with any literal value removed.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Self, TypeVar

import pyarrow as pa

from formmerge.errors import SourceError
from formmerge.prefill.masking import redact
from formmerge.prefill.sql import Query

__all__ = ["RegisterBackend", "SourceQueryError", "clean_database_message"]

T = TypeVar("T")
_QUOTED_LITERAL = re.compile(r"'(?:[^']|'')*'")


def clean_database_message(message: str) -> str:
    """A database error message without literal values: quoted strings become ``'…'`` and
    anything shaped like an ID or mobile number is masked."""
    return redact(_QUOTED_LITERAL.sub("'…'", message))


class SourceQueryError(SourceError):
    """A query on a source failed. ``sql`` is the statement (its values were parameters)."""

    def __init__(self, what: str, sql: str, cause: BaseException) -> None:
        self.sql = sql
        detail = clean_database_message(str(cause).splitlines()[0] if str(cause) else "")
        super().__init__(f"{what} failed: {type(cause).__name__}: {detail}\nSQL: {sql}")


class RegisterBackend(ABC):
    """Runs prefill's statements on the database that holds the registers."""

    errors: tuple[type[BaseException], ...] = ()
    """Exception types of the database driver that mean a statement failed."""

    # --- hooks -------------------------------------------------------------------------------

    @abstractmethod
    def _rows(self, sql: str, params: dict[str, object]) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def _arrow(self, sql: str, params: dict[str, object]) -> pa.Table: ...

    @abstractmethod
    def _run(self, sql: str, params: dict[str, object]) -> None: ...

    @abstractmethod
    def _register(self, name: str, table: pa.Table) -> None: ...

    @abstractmethod
    def _unregister(self, name: str) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Release the connection if the backend opened it."""

    def exclusive(self) -> AbstractContextManager[object]:
        """While inside, no other thread runs statements through this backend's connection.

        Backends whose connection may be shared between threads return the connection's
        re-entrant lock (see :mod:`formmerge.prefill.locking`); the default is no lock.
        """
        return nullcontext()

    # --- what prefill calls ------------------------------------------------------------------

    def _call(self, what: str, sql: str, run: Callable[[], T]) -> T:
        try:
            with self.exclusive():
                return run()
        except self.errors as exc:
            raise SourceQueryError(what, sql, exc) from None

    def rows(self, query: Query, what: str) -> list[tuple[Any, ...]]:
        """The rows of a SELECT."""
        return self._call(what, query.sql, lambda: self._rows(query.sql, query.params))

    def rows_each(
        self, queries: Sequence[tuple[Query, str]]
    ) -> list[list[tuple[Any, ...]] | SourceQueryError]:
        """The rows of several independent SELECTs (each with what it does, for errors), in
        order; a SELECT that fails gives its :class:`SourceQueryError` in its place.

        The default runs them one by one; a backend may run them as one statement (DuckDB
        does), as long as each result and each failure is the same as on its own.
        """
        out: list[list[tuple[Any, ...]] | SourceQueryError] = []
        for query, what in queries:
            try:
                out.append(self.rows(query, what))
            except SourceQueryError as error:
                out.append(error)
        return out

    def arrow(self, query: Query, what: str) -> pa.Table:
        """The result of a SELECT as an Arrow table."""
        return self._call(what, query.sql, lambda: self._arrow(query.sql, query.params))

    def copy_to_parquet(self, query: Query, path: Path, what: str) -> None:
        """Write the result of a SELECT to a Parquet file, streaming."""
        sql = f"COPY ({query.sql}) TO $__output (FORMAT parquet)"
        params = {**query.params, "__output": str(path)}
        self._call(what, sql, lambda: self._run(sql, params))

    def register(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable under ``name`` for the backend's lifetime."""
        with self.exclusive():
            self._register(name, table)

    def unregister(self, name: str) -> None:
        """Forget a table made queryable by :meth:`register`."""
        with self.exclusive():
            self._unregister(name)

    def progress(self) -> float | None:
        """Percentage done of the running statement, if the database can tell (else None)."""
        return None

    @contextmanager
    def reporting_progress(self) -> Iterator[None]:
        """While inside, :meth:`progress` reports (backends may need to switch it on)."""
        yield

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

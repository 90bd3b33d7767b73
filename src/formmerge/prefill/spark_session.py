"""Spark sessions and the registers they read, for batch prefill and verification on Spark.

:func:`spark_session` makes (or finds) the session a configuration's ``spark:`` section
describes; a caller may pass a session of their own instead. :class:`SparkRegisters` makes the
relations a configuration names readable in that session: a relation named ``population`` is
the Parquet file (or folder of files) ``<registers>/population.parquet`` when the ``spark:``
section names a ``registers`` folder, else a table of the session's catalog; ``parquet:`` and
``csv:`` relations are read from their files. Each file is registered as a temporary view under
a private name, and the configuration handed to the SQL builders names those views, so the
statements are the same as on DuckDB. :func:`export_registers` writes a DuckDB registers file
(the demo registers) as such a folder.

pyspark is an optional dependency (the ``spark`` extra); it is imported when a session is made.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from formmerge.errors import Location, Problem, SourceError
from formmerge.prefill.backend import SourceQueryError
from formmerge.prefill.config import RelationRef, SourceConfig, SparkSettings
from formmerge.prefill.spark_sql import SparkQuery, to_spark
from formmerge.prefill.sql import Query, quote_identifier

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "LOCAL_SESSION_CONF",
    "PARQUET_SUFFIX",
    "SparkRegisters",
    "export_registers",
    "run_spark",
    "spark_errors",
    "spark_session",
]

PARQUET_SUFFIX = ".parquet"
"""The suffix of a relation's Parquet file (or folder of files) in a registers folder."""
LOCAL_SESSION_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
"""Settings of a session formmerge makes itself (the configuration's ``conf`` overrides)."""
_VIEW_PREFIX = "__formmerge_"


def _pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError:
        problem = Problem(
            "spark-unavailable",
            "pyspark is not installed; install formmerge's spark extra "
            "(pip install 'formmerge[spark]') and a Java runtime (17 or later)",
            Location(),
        )
        raise SourceError("Spark is not available", [problem]) from None
    return pyspark.sql


def spark_session(settings: SparkSettings | None = None) -> SparkSession:
    """The session ``settings`` describe (an active session with the same master is reused).

    Raises:
        SourceError: ``spark-unavailable`` when pyspark is missing or the session cannot start
            (no Java runtime, an unreachable master).
    """
    sql = _pyspark()
    settings = settings or SparkSettings()
    builder = sql.SparkSession.builder.appName(settings.app_name)
    if settings.master is not None:
        builder = builder.master(settings.master)
    for key, value in {**LOCAL_SESSION_CONF, **settings.conf}.items():
        builder = builder.config(key, value)
    try:
        session: SparkSession = builder.getOrCreate()
        return session
    except Exception as exc:  # py4j and pyspark raise plain exceptions when Java fails
        problem = Problem(
            "spark-unavailable",
            f"the Spark session cannot start ({type(exc).__name__}); check that a Java "
            "runtime (17 or later) is installed and the master URL is reachable",
            Location(),
        )
        raise SourceError("Spark is not available", [problem]) from None


def run_spark(spark: SparkSession, query: Query | SparkQuery, what: str) -> DataFrame:
    """A statement (DuckDB SQL, translated; or Spark SQL) as a DataFrame; failures are a
    :class:`SourceQueryError` whose message quotes no value."""
    spark_query = query if isinstance(query, SparkQuery) else to_spark(query)
    errors = spark_errors()
    try:
        return spark.sql(spark_query.sql, args=spark_query.args or None)
    except errors as exc:
        raise SourceQueryError(what, spark_query.sql, exc) from None


def spark_errors() -> tuple[type[BaseException], ...]:
    """The exception types of a failed Spark statement."""
    from pyspark.errors import PySparkException

    return (PySparkException,)


class SparkRegisters:
    """The relations of a configuration as views of a Spark session.

    Args:
        spark: the session.
        config: the configuration; ``registers`` overrides its ``spark.registers`` folder.
        registers: a folder of ``<relation>.parquet`` files.

    Use as a context manager: the views are dropped on leaving.
    """

    def __init__(
        self, spark: SparkSession, config: SourceConfig, registers: Path | str | None = None
    ) -> None:
        self.spark = spark
        self.folder = Path(registers) if registers is not None else config.spark_registers_path()
        self._token = secrets.token_hex(4)
        self._views: dict[str, str] = {}
        self.config = self._resolved(config)

    def _resolved(self, config: SourceConfig) -> SourceConfig:
        sources = [
            s.model_copy(update={"relation": self._view(s.relation)}) for s in config.sources
        ]
        relations = [
            r.model_copy(update={"relation": self._view(r.relation)}) for r in config.relations
        ]
        return config.model_copy(update={"sources": tuple(sources), "relations": tuple(relations)})

    def _view(self, ref: RelationRef) -> RelationRef:
        """The relation as the configuration handed to the SQL builders names it."""
        key = str(ref)
        if key in self._views:
            return RelationRef(name=(self._views[key],))
        path: Path | None = None
        if ref.file is not None:
            path = Path(ref.file)
        elif self.folder is not None and len(ref.name) == 1:
            candidate = self.folder / f"{ref.name[0]}{PARQUET_SUFFIX}"
            if candidate.exists() or not self.spark.catalog.tableExists(ref.name[0]):
                path = candidate
        if path is None:
            return ref
        if not path.exists() and not any(c in str(path) for c in "*?["):
            problem = Problem(
                "missing-register-file",
                f"no such file for relation {key!r}; export the registers to Parquet "
                "(formmerge.prefill.spark_session.export_registers) or correct the path",
                Location(file=str(path)),
            )
            raise SourceError("a register to read on Spark does not exist", [problem])
        name = f"{_VIEW_PREFIX}{self._token}_{len(self._views)}"
        reader = self.spark.read
        if ref.format == "csv":
            frame = reader.option("header", "true").option("inferSchema", "true").csv(str(path))
        else:
            frame = reader.parquet(str(path))
        frame.createOrReplaceTempView(name)
        self._views[key] = name
        return RelationRef(name=(name,))

    def close(self) -> None:
        """Drop the views."""
        for name in self._views.values():
            self.spark.catalog.dropTempView(name)
        self._views.clear()

    def __enter__(self) -> SparkRegisters:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def temporary_view(spark: SparkSession, frame: DataFrame, stem: str) -> Iterator[str]:
    """Register ``frame`` under a fresh private name while inside."""
    name = f"{_VIEW_PREFIX}{stem}_{secrets.token_hex(4)}"
    frame.createOrReplaceTempView(name)
    try:
        yield name
    finally:
        spark.catalog.dropTempView(name)


def export_registers(database: Path | str, folder: Path | str) -> list[str]:
    """Write every table and view of a DuckDB registers file to ``<folder>/<name>.parquet``.

    Returns:
        The relations written.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as con:
        names = [
            str(r[0])
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'main' ORDER BY table_name"
            ).fetchall()
        ]
        for name in names:
            path = target / f"{name}{PARQUET_SUFFIX}"
            if path.is_dir():
                shutil.rmtree(path)
            con.execute(
                f"COPY (SELECT * FROM {quote_identifier(name)}) TO $path (FORMAT parquet)",
                {"path": str(path)},
            )
    return names

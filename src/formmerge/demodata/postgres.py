"""The demo registers in PostgreSQL: copy a demo registers file into a database, and a
throwaway local cluster to copy it into.

:func:`load_registers` creates every demo table (with its indexes) and view in a PostgreSQL
database from a DuckDB demo registers file, and :func:`grant_read_only` makes a role that may
only read them. :class:`LocalCluster` runs a private PostgreSQL server on a free loopback port
from the server binaries (``initdb``, ``pg_ctl``) for trials, tests and benchmarks; run as root,
it runs the server as the ``postgres`` system user.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any, Self

import duckdb
import sqlglot

from formmerge.demodata.schema import INDEXES, TABLES, VIEWS
from formmerge.errors import FormmergeError

__all__ = [
    "POSTGRES_BIN_DIRS",
    "LocalCluster",
    "find_postgres_bin",
    "grant_read_only",
    "load_registers",
]

POSTGRES_BIN_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/bin")
"""Where the PostgreSQL server binaries are looked for (besides ``PATH``)."""
_PG_TYPES = {
    "VARCHAR": "text",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "INTEGER": "integer",
    "DOUBLE": "double precision",
    "BOOLEAN": "boolean",
}
_COPY_BLOCK = 1 << 20
_START_TIMEOUT = 60


def find_postgres_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl`` (newest version first), or None."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    for pattern in POSTGRES_BIN_DIRS:
        for folder in sorted(glob.glob(pattern), reverse=True):
            if (Path(folder) / "initdb").is_file():
                return Path(folder)
    return None


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalCluster:
    """A private PostgreSQL server in a temporary folder, listening on 127.0.0.1 only.

    Args:
        bin_dir: the server binaries (default: :func:`find_postgres_bin`).
        port: the port (default: a free one).
        settings: server settings (``{"shared_buffers": "512MB"}``), given at start.

    Use as a context manager; the folder is deleted when the server stops. The superuser is
    ``postgres`` with a random password (:attr:`password`).
    """

    def __init__(
        self,
        bin_dir: Path | None = None,
        port: int | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> None:
        found = bin_dir or find_postgres_bin()
        if found is None:
            raise FormmergeError("no PostgreSQL server binaries (initdb, pg_ctl) found")
        self.bin_dir, self.port = found, port or _free_port()
        self.password = secrets.token_hex(12)
        self.folder = Path(tempfile.mkdtemp(prefix="formmerge-pg-"))
        self.data = self.folder / "data"
        self._as_postgres = os.geteuid() == 0
        self.settings = dict(settings or {})

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin_dir / program), *args]
        return ["runuser", "-u", "postgres", "--", *command] if self._as_postgres else command

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            self._command(program, *args), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise FormmergeError(f"{program} failed: {result.stderr.strip()[-500:]}")

    def start(self) -> Self:
        """Create the cluster and start the server."""
        password_file = self.folder / "pw"
        password_file.write_text(self.password)
        if self._as_postgres:
            shutil.chown(self.folder, "postgres")
            shutil.chown(password_file, "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=scram-sha-256",
            f"--pwfile={password_file}", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        password_file.unlink()
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
            "-w", "-t", str(_START_TIMEOUT), "start",
        )  # fmt: skip
        return self

    def dsn(
        self, user: str = "postgres", password: str | None = None, dbname: str = "postgres"
    ) -> str:
        """A connection string for ``user`` (the superuser by default)."""
        secret = self.password if password is None else password
        return f"postgresql://{user}:{secret}@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        if self.data.exists():
            subprocess.run(
                self._command("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _copy_table(source: duckdb.DuckDBPyConnection, table: str, cur: Any, folder: Path) -> None:
    """Copy one table through a CSV file DuckDB writes (PostgreSQL's fastest input)."""
    from psycopg import sql

    columns = list(TABLES[table])
    path = folder / f"{table}.csv"
    source.execute(f"COPY \"{table}\" TO '{path}' (FORMAT csv, HEADER false, FORCE_QUOTE *)")
    copy = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
        sql.Identifier(table),
        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
    )
    with cur.copy(copy) as writer, path.open("rb") as data:
        while block := data.read(_COPY_BLOCK):
            writer.write(block)
    path.unlink()


def load_registers(registers: Path | str, connection: Any, *, schema: str = "public") -> None:
    """Copy a demo registers file into a PostgreSQL database: tables, indexes and views.

    Args:
        registers: a DuckDB demo registers file (see :func:`~formmerge.demodata.generate`).
        connection: a psycopg connection allowed to create tables in ``schema``.
        schema: the schema to create them in (it must exist).
    """
    from psycopg import sql

    with (
        duckdb.connect(str(registers), read_only=True) as source,
        connection.cursor() as cur,
        tempfile.TemporaryDirectory(prefix="formmerge-copy-") as scratch,
    ):
        folder = Path(scratch)
        cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        for table, columns in TABLES.items():
            body = sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_PG_TYPES[kind]))
                for name, kind in columns.items()
            )
            name = sql.Identifier(table)
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(name))
            cur.execute(sql.SQL("CREATE TABLE {} ({})").format(name, body))
            _copy_table(source, table, cur, folder)
        for table, column in INDEXES:
            cur.execute(
                sql.SQL("CREATE INDEX {} ON {} ({})").format(
                    sql.Identifier(f"{table}_{column}"),
                    sql.Identifier(table),
                    sql.Identifier(column),
                )
            )
        for view, definition in VIEWS.items():
            text = sqlglot.transpile(definition, read="duckdb", write="postgres")[0]
            cur.execute(sql.SQL("CREATE VIEW {} AS ").format(sql.Identifier(view)) + sql.SQL(text))
        cur.execute("ANALYZE")
    connection.commit()


def grant_read_only(connection: Any, role: str, password: str, *, schema: str = "public") -> None:
    """Create a login role that may only read the tables and views of ``schema``, and whose
    transactions are read-only by default."""
    from psycopg import sql

    name = sql.Identifier(role)
    with connection.cursor() as cur:
        cur.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(name, sql.Literal(password)))
        cur.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(name))
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), name))
        cur.execute(
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                sql.Identifier(schema), name
            )
        )
        cur.execute(
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(sql.Identifier(schema))
        )
        cur.execute(
            sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(
                sql.Identifier(connection.info.dbname)
            )
        )
    connection.commit()

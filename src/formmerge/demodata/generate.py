"""Write the demo registers to a DuckDB file, chunk by chunk.

People are made in chunks of :data:`DEFAULT_CHUNK_PERSONS`; each chunk's registers are built as
Arrow tables and appended to the DuckDB file, so memory stays flat from a thousand to ten million
people. Each chunk draws from its own random generator seeded with ``(seed, chunk number)``, and
the sequences that must stay unique (ID order numbers, certificate numbers) continue from chunk to
chunk, so the same seed and size always give the same file contents.

The file is written under a temporary name and moved into place when complete: an interrupted
run never leaves a half-written register behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from formmerge.demodata import registers_assets as assets
from formmerge.demodata import registers_business as business
from formmerge.demodata import registers_civil as civil
from formmerge.demodata import registers_services as services
from formmerge.demodata.chunk import Chunk, Counters
from formmerge.demodata.people import make_people
from formmerge.demodata.schema import INDEXES, TABLES, VIEWS, schema_sql
from formmerge.errors import FormmergeError

__all__ = [
    "DEFAULT_CHUNK_PERSONS",
    "DEFAULT_PERSONS",
    "DEFAULT_REFERENCE_DATE",
    "DEFAULT_SEED",
    "GENERATOR_VERSION",
    "MAX_PERSONS",
    "MIN_PERSONS",
    "DemoSummary",
    "generate",
    "main_generate",
]

DEFAULT_PERSONS = 20_000
DEFAULT_SEED = 42
DEFAULT_CHUNK_PERSONS = 250_000
"""People per chunk: large enough for vector speed, small enough to keep memory flat."""
DEFAULT_REFERENCE_DATE = date(2026, 6, 30)
"""The day the registers are "as of"; fixed so that the data does not change from day to day."""
MIN_PERSONS = 100
MAX_PERSONS = 20_000_000
GENERATOR_VERSION = 2
"""Bumped whenever the generated data changes, so that cached demo files are rebuilt."""
INFO_TABLE = "demo_info"


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate` wrote."""

    path: Path
    persons: int
    seed: int
    reference_date: date
    rows: dict[str, int] = field(default_factory=dict)
    """Rows per table."""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        data = asdict(self)
        data["path"] = str(self.path)
        data["reference_date"] = self.reference_date.isoformat()
        return data


def _chunk_tables(c: Chunk) -> dict[str, pa.Table]:
    firms = business.make_enterprises(c)
    jobs = services.make_employment(c, firms.name)
    properties, owners = assets.real_estate(c)
    return {
        "population": civil.population(c),
        "household": civil.household(c),
        "marriage": civil.marriage(c),
        "birth_certificate": civil.birth_certificate(c),
        "vaccination": civil.vaccination(c),
        "death": civil.death(c),
        "student": services.student(c),
        "degree": services.degree(c),
        "social_insurance": services.social_insurance(c, jobs),
        "medical_insurance": services.medical_insurance(c, jobs),
        "housing_fund": services.housing_fund(c, jobs),
        "disability": services.disability(c),
        "veteran": services.veteran(c),
        "real_estate": properties,
        "real_estate_owner": owners,
        "vehicle": assets.vehicle(c),
        "driving_licence": assets.driving_licence(c),
        "enterprise": business.enterprise(c, firms),
        "shareholder": business.shareholder(c, firms),
        "tax_registration": business.tax_registration(c, firms),
        "credit_status": business.credit_status(c, firms),
    }


def _chunks(people: int, seed: int, today: int, size: int) -> Iterator[dict[str, pa.Table]]:
    """The registers of each chunk in turn; the next chunk is made while the caller writes."""
    counters = Counters()

    def make(number: int) -> dict[str, pa.Table]:
        rng = np.random.default_rng([seed, number])
        folks, couples = make_people(rng, min(size, people - number * size), today)
        first = int(counters.take("person", len(folks))[0]) if len(folks) else 0
        return _chunk_tables(Chunk(rng, folks, couples, counters, today, first))

    count = -(-people // size)
    with ThreadPoolExecutor(max_workers=1) as worker:  # one worker: chunks stay in order
        pending = worker.submit(make, 0)
        for number in range(1, count + 1):
            ready = pending.result()
            if number < count:
                pending = worker.submit(make, number)
            yield ready


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, disable=not enabled, transient=False) as bar:
        yield bar


def _check_arguments(people: int, chunk_persons: int) -> None:
    if not MIN_PERSONS <= people <= MAX_PERSONS:
        raise FormmergeError(f"persons must be between {MIN_PERSONS:,} and {MAX_PERSONS:,}")
    if chunk_persons < MIN_PERSONS:
        raise FormmergeError(f"chunk_persons must be at least {MIN_PERSONS:,}")


def generate(
    path: Path | str,
    persons: int = DEFAULT_PERSONS,
    seed: int = DEFAULT_SEED,
    progress: bool = True,
    *,
    reference_date: date = DEFAULT_REFERENCE_DATE,
    chunk_persons: int = DEFAULT_CHUNK_PERSONS,
) -> DemoSummary:
    """Write a DuckDB file of consistent synthetic government registers.

    Args:
        path: the DuckDB file to write; an existing file is replaced.
        persons: about how many people to make (whole households are made, so the population
            register may hold a few less; newborns not yet registered have no row in it).
        seed: the random seed; the same seed and size give identical data.
        progress: show a progress bar on the terminal.
        reference_date: the day the registers are as of (ages, "newborn in the last year").
        chunk_persons: people made per chunk; changing it changes the data.

    Returns:
        The file written, the row count of every table and the time taken.

    Raises:
        FormmergeError: an argument is out of range.
    """
    _check_arguments(persons, chunk_persons)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    today = (np.datetime64(reference_date, "D") - np.datetime64(0, "D")).astype(int)
    rows = dict.fromkeys(TABLES, 0)
    con = duckdb.connect(str(partial))
    try:
        con.execute("SET enable_progress_bar = false")  # rich shows progress; DuckDB would too
        for statement in schema_sql():
            con.execute(statement)
        with _progress(progress) as bar:
            task = bar.add_task("people", total=persons)
            for tables in _chunks(persons, seed, int(today), chunk_persons):
                for name, table in tables.items():
                    con.register("chunk_rows", table)
                    con.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM chunk_rows')
                    con.unregister("chunk_rows")
                    rows[name] += table.num_rows
                bar.advance(task, tables["household"].num_rows or 1)
            bar.update(task, completed=persons)
            indexes = bar.add_task("indexes", total=len(INDEXES))
            for table, column in INDEXES:
                con.execute(f'CREATE INDEX "{table}_{column}" ON "{table}" ("{column}")')
                bar.advance(indexes)
        for view, body in VIEWS.items():
            con.execute(f'CREATE VIEW "{view}" AS {body}')
        _write_info(con, persons, seed, reference_date)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(partial, target)
    seconds = round(time.perf_counter() - started, 3)
    return DemoSummary(target, persons, seed, reference_date, rows, seconds)


def _write_info(
    con: duckdb.DuckDBPyConnection, people: int, seed: int, reference_date: date
) -> None:
    con.execute(f'CREATE TABLE "{INFO_TABLE}" (key VARCHAR, value VARCHAR)')
    info = {
        "persons": str(people),
        "seed": str(seed),
        "reference_date": reference_date.isoformat(),
        "generator_version": str(GENERATOR_VERSION),
    }
    con.executemany(f'INSERT INTO "{INFO_TABLE}" VALUES (?, ?)', list(info.items()))


def main_generate(
    path: Path | str, persons: int = DEFAULT_PERSONS, seed: int = DEFAULT_SEED
) -> DemoSummary:
    """Generate the demo registers with a progress bar and print a summary table.

    This is what ``formmerge demo-data`` runs.
    """
    summary = generate(path, persons, seed, progress=True)
    table = Table(title=f"demo registers in {summary.path} ({summary.seconds:.1f} s)")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in summary.rows.items():
        table.add_row(name, f"{count:,}")
    Console().print(table)
    return summary

"""Benchmark of data prefill from PostgreSQL, beside DuckDB on the same registers.

The demo registers of ``--persons`` people (built once and cached, as ``bench_prefill.py``
does) are copied into a private PostgreSQL cluster started for the run (``initdb`` on a free
loopback port) and read through a SELECT-only role, with the 40-field merged form of
``bench_prefill.py``:

* **single-subject latency**: ``prefill()`` for random people on an open psycopg connection,
  and on an open DuckDB connection, interleaved; median and 99th percentile of each.
* **batch prefill** of ``--subjects`` subjects with ``prefill_batch()`` on DuckDB and on
  PostgreSQL (the statement transpiled, run in PostgreSQL), interleaved, best of ``--repeat``;
  the two results are compared cell by cell.

Prints a table and writes JSON to ``benchmarks/results/postgres-<persons>.json``.

    python -m benchmarks.bench_postgres                       # 1,000,000 people
    python -m benchmarks.bench_postgres --persons 20000 --single 200 --repeat 1   # quick
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import psycopg
from rich.console import Console
from rich.table import Table

import formmerge
from benchmarks.bench_prefill import merged_form, registers, subject_keys
from formmerge.demodata.postgres import LocalCluster, grant_read_only, load_registers
from formmerge.prefill import AuditLog, load_sources, prefill, prefill_batch

RESULTS = Path(__file__).parent / "results"
READER = "bench_reader"
SERVER_SETTINGS = {
    "shared_buffers": "1GB",
    "work_mem": "256MB",
    "max_parallel_workers_per_gather": "2",
}
"""Server settings of the benchmark's cluster (the defaults are sized for a laptop's trial)."""
WARM_UP = 10


def _quantiles(timings: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(timings, n=100)
    return {
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
        "mean_ms": round(statistics.fmean(timings) * 1000, 2),
    }


def single_latency(db: Path, dsn: str, samples: int) -> dict[str, Any]:
    """Latencies of single-subject prefill on open connections, PostgreSQL and DuckDB."""
    form, config = merged_form(), load_sources()
    with (
        duckdb.connect(str(db), read_only=True) as duck,
        psycopg.connect(dsn, autocommit=True) as pg,
    ):
        keys = subject_keys(duck, samples)
        connections = {"postgres": pg, "duckdb": duck}
        logs = {name: AuditLog(salt="bench") for name in connections}
        timings: dict[str, list[float]] = {name: [] for name in connections}
        filled: dict[str, list[int]] = {name: [] for name in connections}
        for key in keys[:WARM_UP]:
            for name, con in connections.items():
                prefill(form, key, connection=con, sources=config, audit=logs[name])
        for key in keys:
            for name, con in connections.items():
                started = time.perf_counter()
                result = prefill(form, key, connection=con, sources=config, audit=logs[name])
                timings[name].append(time.perf_counter() - started)
                filled[name].append(len(result.values))
    assert filled["postgres"] == filled["duckdb"], "PostgreSQL and DuckDB filled differently"
    out: dict[str, Any] = {"samples": samples}
    for name in connections:
        out[name] = {**_quantiles(timings[name]), "fields_prefilled_mean": round(
            statistics.fmean(filled[name]), 1)}  # fmt: skip
    out["ratio_median"] = round(out["postgres"]["median_ms"] / out["duckdb"]["median_ms"], 2)
    return out


def _cells_differing(a: pd.DataFrame, b: pd.DataFrame) -> int:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return max(a.size, b.size)
    same = (a.astype(object) == b.astype(object)) | (a.isna() & b.isna())
    return int((~same).sum().sum())


def batch_comparison(db: Path, dsn: str, count: int, repeat: int) -> dict[str, Any]:
    """prefill_batch on DuckDB and on PostgreSQL, interleaved, best of ``repeat``."""
    form, config = merged_form(), load_sources()
    with (
        duckdb.connect(str(db), read_only=True) as duck,
        psycopg.connect(dsn, autocommit=True) as pg,
    ):
        keys = subject_keys(duck, count)
        connections = {"duckdb": duck, "postgres": pg}
        times: dict[str, list[float]] = {name: [] for name in connections}
        frames: dict[str, pd.DataFrame] = {}
        for _ in range(repeat):
            for name, con in connections.items():
                frames.pop(name, None)
                started = time.perf_counter()
                frames[name] = prefill_batch(
                    form, keys, connection=con, sources=config, progress=False,
                    provenance=False, audit=AuditLog(salt="bench"),
                )  # fmt: skip
                times[name].append(time.perf_counter() - started)
    best = {name: round(min(t), 2) for name, t in times.items()}
    return {
        "subjects": count,
        "best_s": best,
        "all_s": {name: [round(x, 2) for x in t] for name, t in times.items()},
        "ratio_best": round(best["postgres"] / best["duckdb"], 2),
        "cells_differing": _cells_differing(frames["postgres"], frames["duckdb"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000, help="size of the registers")
    parser.add_argument("--subjects", type=int, default=None, help="batch size (default: all)")
    parser.add_argument("--single", type=int, default=2_000, help="single-subject samples")
    parser.add_argument("--repeat", type=int, default=3, help="batch repetitions (best of)")
    parser.add_argument("--db", type=Path, default=None, help="registers file to use or build")
    args = parser.parse_args(argv)
    db, generated = registers(args.persons, args.db)
    with duckdb.connect(str(db), read_only=True) as con:
        population = int(con.execute("SELECT count(*) FROM population").fetchall()[0][0])
    count = min(args.subjects or population, population)
    with LocalCluster(settings=SERVER_SETTINGS) as cluster:
        started = time.perf_counter()
        with psycopg.connect(cluster.dsn()) as admin:
            load_registers(db, admin)
            grant_read_only(admin, READER, "bench")
            server = admin.execute("SHOW server_version").fetchone()
        loaded = round(time.perf_counter() - started, 1)
        dsn = cluster.dsn(READER, "bench")
        result: dict[str, Any] = {
            "persons": args.persons,
            "population_rows": population,
            "generation_s": generated,
            "load_into_postgres_s": loaded,
            "single": single_latency(db, dsn, args.single),
            "batch": batch_comparison(db, dsn, count, args.repeat),
            "environment": {
                "python": platform.python_version(),
                "duckdb": duckdb.__version__,
                "postgres": server[0] if server else None,
                "psycopg": psycopg.__version__,
                "formmerge": formmerge.__version__,
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "server_settings": SERVER_SETTINGS,
            },
            "command": " ".join(["python -m benchmarks.bench_postgres", *(argv or sys.argv[1:])]),
        }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"postgres-{args.persons}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    show(result, out)
    return 0


def show(result: dict[str, Any], out: Path) -> None:
    """Print the figures as a table."""
    table = Table(title=f"prefill from PostgreSQL and DuckDB, {result['population_rows']:,} people")
    for column in ("measure", "PostgreSQL", "DuckDB"):
        table.add_column(column, justify="right" if column != "measure" else "left")
    single, batch = result["single"], result["batch"]
    pg, duck = single["postgres"], single["duckdb"]
    table.add_row("single: median", f"{pg['median_ms']} ms", f"{duck['median_ms']} ms")
    table.add_row("single: p99", f"{pg['p99_ms']} ms", f"{duck['p99_ms']} ms")
    table.add_row("single: fields prefilled (mean)", str(pg["fields_prefilled_mean"]),
                  str(duck["fields_prefilled_mean"]))  # fmt: skip
    table.add_row(f"batch of {batch['subjects']:,} (best)", f"{batch['best_s']['postgres']} s",
                  f"{batch['best_s']['duckdb']} s")  # fmt: skip
    table.add_row("batch: ratio PostgreSQL / DuckDB", str(batch["ratio_best"]), "1")
    table.add_row("batch: cells differing", str(batch["cells_differing"]), "")
    table.add_row(
        "copying the registers into PostgreSQL", f"{result['load_into_postgres_s']} s", ""
    )
    Console().print(table)
    Console().print(f"written {out}")


if __name__ == "__main__":
    sys.exit(main())

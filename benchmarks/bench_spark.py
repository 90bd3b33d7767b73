"""Benchmark of batch prefill on Spark (local mode) beside DuckDB, and how Spark's time grows.

Two measurements on demo registers of ``--persons`` people (built once and cached; exported to
Parquet for Spark):

* **side by side**: ``prefill_batch()`` on DuckDB and ``prefill_batch_spark()`` on a local
  Spark session, the same form and ``--subjects`` subjects, in the same run, best of
  ``--repeat``; the results are compared cell by cell; the ratio Spark/DuckDB is reported.
* **growth**: Spark's time for each subject count of ``--steps`` (subjects beyond the
  population repeat its keys), to see how the time grows with the batch.

The result is written to Parquet by both engines (``output=``), so the time is the statement's
and not the transfer of the rows to Python. Prints a table and writes JSON to
``benchmarks/results/spark-<persons>.json``.

    python benchmarks/bench_spark.py                       # 1M people and subjects, 1M..10M
    python benchmarks/bench_spark.py --persons 20000 --subjects 20000 --steps 20000,80000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from rich.console import Console
from rich.table import Table

from benchmarks.bench_prefill import merged_form, registers, subject_keys
from formmerge.prefill.batch import prefill_batch
from formmerge.prefill.config import SparkSettings
from formmerge.prefill.spark_batch import prefill_batch_spark
from formmerge.prefill.spark_session import export_registers, spark_session

RESULTS = Path(__file__).parent / "results"
DEFAULT_PERSONS = 1_000_000
DEFAULT_STEPS = "1000000,2000000,5000000,10000000"


def keys_for(db: Path, count: int) -> list[str]:
    """``count`` subject keys: the population in a random order, repeated as needed."""
    with duckdb.connect(str(db), read_only=True) as con:
        people = subject_keys(con, count)
    return [people[i % len(people)] for i in range(count)]


def time_duckdb(db: Path, keys: list[str], out: Path) -> float:
    form = merged_form()
    start = time.perf_counter()
    with duckdb.connect(str(db), read_only=True) as con:
        prefill_batch(form, keys, connection=con, output=out / "duckdb.parquet", progress=False)
    return time.perf_counter() - start


def time_spark(spark: Any, parquet: Path, keys: list[str], out: Path) -> float:
    start = time.perf_counter()
    prefill_batch_spark(merged_form(), keys, spark=spark, registers=parquet, output=out / "spark")
    return time.perf_counter() - start


def differences(out: Path) -> int:
    """Cells where the two engines' written results differ."""
    duck = pd.read_parquet(out / "duckdb.parquet").sort_values("row", ignore_index=True)
    spark = pd.read_parquet(out / "spark").sort_values("row", ignore_index=True)
    bad = 0
    for column in duck.columns:
        if column == "__disagreements":
            left = [sorted(v) for v in duck[column]]
            right = [sorted(v) for v in spark[column]]
            bad += sum(a != b for a, b in zip(left, right, strict=True))
            continue
        same = (duck[column] == spark[column]) | (duck[column].isna() & spark[column].isna())
        bad += int((~same).sum())
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS)
    parser.add_argument("--subjects", type=int, default=None, help="default: --persons")
    parser.add_argument("--steps", default=DEFAULT_STEPS, help="subject counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--master", default="local[*]")
    parser.add_argument("--memory", default="4g", help="Spark driver memory")
    args = parser.parse_args(argv)
    subjects = args.subjects or args.persons
    steps = [int(s) for s in args.steps.split(",") if s]
    db, _ = registers(args.persons, None)
    parquet = db.with_suffix(".parquet.d")
    if not parquet.exists():
        export_registers(db, parquet)
    settings = SparkSettings(
        master=args.master,
        app_name="formmerge-bench",
        conf={"spark.driver.memory": args.memory, "spark.sql.shuffle.partitions": "8"},
    )
    spark = spark_session(settings)
    spark.sparkContext.setLogLevel("ERROR")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        keys = keys_for(db, subjects)
        time_spark(spark, parquet, keys[:1000], out)  # warm the JVM
        duck_times, spark_times = [], []
        for _ in range(args.repeat):
            duck_times.append(time_duckdb(db, keys, out))
            spark_times.append(time_spark(spark, parquet, keys, out))
        diff = differences(out)
        growth = []
        for count in steps:
            seconds = time_spark(spark, parquet, keys_for(db, count), out)
            growth.append({"subjects": count, "seconds": round(seconds, 2)})
    result = {
        "persons": args.persons,
        "subjects": subjects,
        "duckdb_seconds": round(min(duck_times), 2),
        "spark_seconds": round(min(spark_times), 2),
        "spark_over_duckdb": round(min(spark_times) / min(duck_times), 2),
        "differing_cells": diff,
        "growth": growth,
        "master": args.master,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "command": "python benchmarks/bench_spark.py " + " ".join(argv or sys.argv[1:]),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"spark-{args.persons}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    show(result, path)
    spark.stop()
    return 0


def show(result: dict[str, Any], path: Path) -> None:
    console = Console()
    table = Table(title=f"Batch prefill, {result['subjects']:,} subjects, "
                        f"{result['persons']:,} people")  # fmt: skip
    for column in ("engine", "seconds", "vs DuckDB"):
        table.add_column(column)
    table.add_row("DuckDB", f"{result['duckdb_seconds']:.2f}", "1.00")
    table.add_row(f"Spark {result['master']}", f"{result['spark_seconds']:.2f}",
                  f"{result['spark_over_duckdb']:.2f}")  # fmt: skip
    console.print(table)
    console.print(f"cells that differ: {result['differing_cells']}")
    growth = Table(title="Spark: time by batch size")
    growth.add_column("subjects")
    growth.add_column("seconds")
    for row in result["growth"]:
        growth.add_row(f"{row['subjects']:,}", f"{row['seconds']:.2f}")
    console.print(growth)
    console.print(f"written to {path}")


if __name__ == "__main__":
    raise SystemExit(main())

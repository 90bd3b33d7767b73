"""Throughput of condition verification: one DuckDB query per batch vs Python one by one.

For every example bundle, draws synthetic subjects for its rules (a mix of passing, failing and
missing values) in two layouts: ``typed`` columns (numbers, booleans, date-times, as a batch
prefill from typed registers gives them) and ``text`` columns (everything as text, as a CSV
export gives it, with 1% unreadable values). Verifies them all with
:func:`formmerge.rules.verify_batch` and times :func:`formmerge.rules.verify` on a sample, one
subject at a time. Prints a table and writes ``results/verify.json``.

Run from the repository root::

    python benchmarks/bench_verify.py                      # 100,000 and 1,000,000 subjects
    python benchmarks/bench_verify.py --sizes 100000 --sample 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from formmerge.bundle import list_example_bundles
from formmerge.rules import load_rules, verify, verify_batch
from formmerge.rules.synthetic import ID_COLUMN, synthetic_subjects

DEFAULT_SIZES = (100_000, 1_000_000)
DEFAULT_SAMPLE = 10_000
"""Subjects verified one by one in Python to measure its rate."""
DEFAULT_REPEAT = 3
"""Timings are the best of this many runs, to keep other load on the machine out of them."""
AS_OF = date(2026, 6, 1)
RESULTS = Path(__file__).parent / "results" / "verify.json"


def _best(repeat: int, action: Any) -> float:
    """The shortest of ``repeat`` runs of ``action``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _python_rate(frame: Any, rules: Any, sample: int, repeat: int) -> float:
    rows = frame.drop(columns=ID_COLUMN).head(sample).to_dict("records")

    def one_by_one() -> None:
        for values in rows:
            verify(values, rules)

    return len(rows) / _best(repeat, one_by_one)


def run(sizes: tuple[int, ...], sample: int, repeat: int) -> list[dict[str, Any]]:
    """Measure every example bundle at every size and layout; one result row for each."""
    results = []
    for path in list_example_bundles():
        rules = load_rules(path).bind(as_of=AS_OF)
        for size in sizes:
            for layout in ("typed", "text"):
                frame = synthetic_subjects(rules, size, seed=size, as_text=layout == "text")
                python_rate = _python_rate(frame, rules, min(sample, size), repeat)
                outcomes = verify_batch(frame, rules, id_column=ID_COLUMN)
                seconds = _best(repeat, partial(verify_batch, frame, rules, id_column=ID_COLUMN))
                counts = {
                    status: int(sum((outcomes[b.rule.id] == status).sum() for b in rules.rules))
                    for status in ("pass", "fail", "unknown")
                }
                results.append(
                    {
                        "bundle": path.name,
                        "layout": layout,
                        "rules": len(rules.rules),
                        "fields": len(rules.ruleset.fields),
                        "subjects": size,
                        "batch_seconds": round(seconds, 3),
                        "batch_subjects_per_second": round(size / seconds),
                        "python_sample": min(sample, size),
                        "python_subjects_per_second": round(python_rate),
                        "speedup": round(size / seconds / python_rate, 1),
                        "outcomes": counts,
                    }
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE)
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    args = parser.parse_args()
    results = run(tuple(args.sizes), args.sample, args.repeat)
    table = Table(title="condition verification throughput")
    for column in (
        "bundle",
        "layout",
        "rules",
        "subjects",
        "batch s",
        "batch subj/s",
        "python subj/s",
        "speed-up",
    ):
        table.add_column(column, justify="left" if column == "bundle" else "right")
    for r in results:
        table.add_row(
            r["bundle"],
            r["layout"],
            str(r["rules"]),
            f"{r['subjects']:,}",
            f"{r['batch_seconds']:.2f}",
            f"{r['batch_subjects_per_second']:,}",
            f"{r['python_subjects_per_second']:,}",
            f"{r['speedup']:.0f}x",
        )
    Console(width=120).print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    environment = {
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }
    RESULTS.write_text(
        json.dumps(
            {"environment": environment, "repeat": args.repeat, "results": results}, indent=2
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()

"""Benchmark of start-up: how long ``import formmerge`` and ``formmerge --help`` take.

Each command runs ``--runs`` times in a fresh interpreter (after ``--warmup`` runs that are not
counted), the way hyperfine times a command: wall time and the CPU time of the child process,
mean, median, min and max. A bare ``python -c pass`` is the peer in the same run, so the
table shows what formmerge adds to an interpreter's own start-up; and the libraries each
command loads are listed, so a heavy import that creeps back in is named.

Prints a table and writes JSON to ``benchmarks/results/startup.json``.

    python benchmarks/bench_startup.py                 # 20 runs of each
    python benchmarks/bench_startup.py --runs 5        # quick
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RESULTS = Path(__file__).parent / "results"
SRC = Path(__file__).resolve().parent.parent / "src"

COMMANDS: dict[str, str] = {
    "python -c pass": "pass",
    "import formmerge": "import formmerge",
    "formmerge --help": (
        "import sys\nfrom formmerge.cli import main\nsys.argv = ['formmerge', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    ),
    "import the matching verbs": (
        "from formmerge import load_catalog, load_form, match, merge, split"
    ),
}
"""What is timed: a label and the Python code a fresh interpreter runs."""

TARGETS = {"import formmerge": 0.3, "formmerge --help": 0.4}
"""Targets in seconds (issue 16), compared with the median wall time."""

WATCHED = ("pandas", "numpy", "pyarrow", "openpyxl", "jinja2", "docx", "duckdb", "rapidfuzz")
"""Libraries whose presence after a command the table reports."""


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src)}


def time_once(code: str, src: Path = SRC) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, of the child) of one fresh interpreter running code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code], check=True, env=_env(src), stdout=subprocess.DEVNULL
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def loaded_libraries(code: str, src: Path = SRC) -> list[str]:
    """The watched libraries in ``sys.modules`` after running code."""
    probe = f"{code}\nimport sys\nprint('LOADED', *(m for m in {WATCHED!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], check=True, env=_env(src), capture_output=True, text=True
    )
    return done.stdout.rsplit("LOADED", 1)[1].split()


def measure(runs: int, warmup: int, compare: Path | None = None) -> list[dict[str, Any]]:
    """Every command, interleaved run by run so that machine noise falls on all alike; with
    ``compare``, each formmerge command is also run on that source tree (another checkout)."""
    plan = [(label, code, SRC) for label, code in COMMANDS.items()]
    if compare is not None:
        plan += [(f"{label} (compared tree)", code, compare) for label, code in COMMANDS.items()][
            1:
        ]
    walls: dict[str, list[float]] = {label: [] for label, _, _ in plan}
    cpus: dict[str, list[float]] = {label: [] for label, _, _ in plan}
    for index in range(warmup + runs):
        for label, code, src in plan:
            wall, cpu = time_once(code, src)
            if index >= warmup:
                walls[label].append(wall)
                cpus[label].append(cpu)
    base = statistics.median(walls["python -c pass"])
    rows = []
    for label, code, src in plan:
        wall = walls[label]
        rows.append(
            {
                "command": label,
                "tree": "this" if src == SRC else "compared",
                "runs": runs,
                "wall_mean_s": statistics.fmean(wall),
                "wall_median_s": statistics.median(wall),
                "wall_min_s": min(wall),
                "wall_max_s": max(wall),
                "cpu_median_s": statistics.median(cpus[label]),
                "over_bare_python_s": statistics.median(wall) - base,
                "target_s": TARGETS.get(label),
                "libraries": loaded_libraries(code, src),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each command")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first")
    parser.add_argument("--output", type=Path, default=RESULTS / "startup.json")
    parser.add_argument(
        "--compare", type=Path, default=None, metavar="SRC",
        help="also time the commands on another checkout's src directory (e.g. before a change)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    rows = measure(args.runs, args.warmup, args.compare)

    table = Table(title=f"start-up, {args.runs} runs each (seconds)")
    for column in ("command", "median", "mean", "min", "max", "CPU", "+ python", "target"):
        table.add_column(column, justify="left" if column == "command" else "right")
    table.add_column("libraries loaded")
    for row in rows:
        target = row["target_s"]
        verdict = (
            ""
            if target is None
            else f"{target:.2f} " + ("ok" if row["wall_median_s"] <= target else "MISSED")
        )
        table.add_row(
            row["command"],
            *(
                f"{row[key]:.3f}"
                for key in (
                    "wall_median_s",
                    "wall_mean_s",
                    "wall_min_s",
                    "wall_max_s",
                    "cpu_median_s",
                    "over_bare_python_s",
                )
            ),
            verdict,
            " ".join(row["libraries"]) or "-",
        )
    Console(width=150).print(table)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {"python": platform.python_version(), "cpus": os.cpu_count(), "rows": rows}
    args.output.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark suite in one command: accuracy, speed, memory, merging, peers.

Usage::

    python -m benchmarks.run_suite                   # default size, about 10-15 minutes
    python -m benchmarks.run_suite --size small      # a minute; what the tests run
    python -m benchmarks.run_suite --size large      # adds 100,000 forms; an hour or more
    python -m benchmarks.run_suite --quick           # only: map >= 100,000 fields, print speed
    python -m benchmarks.run_suite --update-readme   # also refresh benchmarks/README.md

Writes ``suite.json`` and ``suite.md`` (``quick.json`` with ``--quick``) to ``--out``
(default ``benchmarks/results``, which git ignores).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from benchmarks.accuracy import default_mix_run, isolated_runs, merge_run
from benchmarks.catalog_view import CatalogView
from benchmarks.formsets import DEFAULT_SEED, FieldTruth, FormSet, generate
from benchmarks.peers import (
    FORMMERGE,
    PEER_MATCHERS,
    ROOT,
    ExactLabelMatcher,
    PeerResult,
    child_env,
    run_peer_process,
    valentine_available,
)
from benchmarks.report import render_markdown, update_readme
from formmerge.catalog import load_catalog

__all__ = ["SIZES", "SuiteSize", "run_quick", "run_suite"]

DEFAULT_OUT = Path("benchmarks/results")
README = Path(__file__).with_name("README.md")


@dataclass(frozen=True)
class SuiteSize:
    """How much of everything one run does."""

    accuracy_forms: int
    """Forms of the default-mix set (accuracy, merging, peers' sample)."""
    isolated_forms: int
    """Forms of each one-kind-alone set."""
    merge_bundles: int
    scaling: tuple[int, ...]
    """Form-set sizes of the speed and memory runs."""
    cluster_from: int
    """Scaling runs of at least this many forms also cluster their unmatched fields."""
    quick_fields: int
    """Fields of the mapping-throughput run."""
    peer_forms: int
    """Forms each peer may match (the first ones of the default-mix set)."""
    peer_budget: float
    """Seconds of matching each peer gets."""
    scaling_budget: float
    """Seconds for the scaling runs; a size predicted to overrun this is skipped and said so."""
    peers: tuple[str, ...] | None = None
    """Peers to run (None: all)."""


SIZES: dict[str, SuiteSize] = {
    "small": SuiteSize(40, 12, 4, (10, 100), 100, 1_000, 2, 10.0, 60.0, ("Coma",)),
    "default": SuiteSize(
        3_000, 300, 200, (10, 100, 1_000, 10_000, 100_000), 10_000, 100_000, 40, 60.0, 480.0
    ),
    "large": SuiteSize(
        10_000,
        1_000,
        1_000,
        (10, 100, 1_000, 10_000, 100_000),
        10_000,
        100_000,
        100,
        300.0,
        7_200.0,
    ),
}


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """Cores, processor, memory and versions of the machine running the suite."""
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = round(kib / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {
            p: _version(p) for p in ("formmerge", "rapidfuzz", "numpy", "pydantic", "valentine")
        },
    }


def _speed_worker(args: list[str], timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.speed", *args]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=child_env()
        )
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def scaling_runs(size: SuiteSize, seed: int) -> list[dict[str, Any]]:
    """One speed worker per set size, skipping sizes predicted to overrun the budget."""
    results: list[dict[str, Any]] = []
    spent = 0.0
    previous: dict[str, Any] | None = None
    for n in size.scaling:
        if previous is not None and "error" not in previous:
            per_form = (previous["generate_seconds"] + previous["match_seconds"]) / previous[
                "forms"
            ]
            predicted = per_form * n * 1.1 + 5
            if spent + predicted > size.scaling_budget:
                results.append({"forms": n, "skipped": f"predicted {predicted:.0f} s"})
                continue
        args = ["--forms", str(n), "--seed", str(seed), "--accuracy"]
        if n >= size.cluster_from:
            args.append("--cluster")
        start = time.perf_counter()
        result = _speed_worker(args, timeout=max(120.0, size.scaling_budget))
        spent += time.perf_counter() - start
        result.setdefault("forms", n)
        results.append(result)
        previous = result
    _growth(results)
    return results


def _growth(results: list[dict[str, Any]]) -> None:
    """Add the log-log slope of match time between successive sizes (1.0 is linear)."""
    done = [r for r in results if "match_seconds" in r]
    for a, b in itertools.pairwise(done):
        if a["match_seconds"] > 0 and b["fields"] > a["fields"]:
            b["growth_exponent"] = round(
                math.log(b["match_seconds"] / a["match_seconds"])
                / math.log(b["fields"] / a["fields"]),
                3,
            )


def run_quick(size: SuiteSize, seed: int) -> dict[str, Any]:
    """Map a generated set of at least ``size.quick_fields`` fields; speed and peak memory."""
    return _speed_worker(["--fields", str(size.quick_fields), "--seed", str(seed)], timeout=3600)


def _truths_by_form(fs: FormSet) -> dict[str, list[FieldTruth]]:
    out: dict[str, list[FieldTruth]] = {}
    for t in fs.truths:
        out.setdefault(t.form, []).append(t)
    return out


def peer_runs(
    fs: FormSet, size: SuiteSize, seed: int, work_dir: Path, batch_fps: float
) -> dict[str, Any]:
    """Every Valentine matcher and the exact-label baseline, each beside formmerge.

    ``batch_fps`` is formmerge's throughput on a whole set at once, for the batch ratio.
    """
    out: dict[str, Any] = {
        "valentine": valentine_available(),
        "formmerge_batch_fields_per_second": batch_fps,
        "peers": [],
    }
    sample = list(fs.forms[: size.peer_forms])
    truths = [t for t in fs.truths if t.form in {f.id for f in sample}]
    exact = ExactLabelMatcher(fs.catalog).run(sample)
    entries = [("exact label", exact, "")]
    if out["valentine"] is None:
        out["note"] = "valentine is not installed (pip install valentine): peers skipped"
    else:
        for spec in PEER_MATCHERS:
            if size.peers is not None and spec.name not in size.peers:
                continue
            result = run_peer_process(spec.name, size.peer_forms, seed, size.peer_budget, work_dir)
            entries.append((spec.name, result, spec.note))
    # formmerge runs once on the whole sample, in a fresh process like each peer, one form per
    # call; each peer is then compared with it on the forms that peer finished
    own = run_peer_process(FORMMERGE, size.peer_forms, seed, 600.0, work_dir)
    per_form = dict(zip(own.forms, own.form_seconds, strict=True))
    out["formmerge_per_form_error"] = own.error
    for name, result, note in entries:
        ours = None
        if result.forms and set(result.forms) <= set(per_form):
            spent = sum(per_form[f] for f in result.forms)
            ours = PeerResult(FORMMERGE, own.predictions, spent, list(result.forms))
        entry: dict[str, Any] = {"name": name, "note": note, **result.score(truths)}
        if ours is not None:
            theirs_fps = entry["fields_per_second"]
            mine = ours.score(truths)
            entry["formmerge"] = mine
            if theirs_fps:
                entry["throughput_ratio"] = round(mine["fields_per_second"] / theirs_fps, 2)
                entry["batch_throughput_ratio"] = round(batch_fps / theirs_fps, 2)
            entry["f1_difference"] = round(mine["mapping"]["f1"] - entry["mapping"]["f1"], 4)
        out["peers"].append(entry)
    return out


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured figure and whether it is met."""
    acc = result["accuracy"]
    rows: list[dict[str, Any]] = []

    def add(name: str, goal: str, value: Any, met: bool | None, note: str = "") -> None:
        rows.append({"target": name, "goal": goal, "measured": value, "met": met, "note": note})

    f1 = acc["overall"]["f1"]
    add("Mapping F1, default mix", ">= 0.97", f1, f1 >= 0.97, f"{f1 - 0.97:+.4f}")
    kinds = {k: v["f1"] for k, v in result["isolated"].items() if k not in ("clean", "decoy")}
    decoy = result["isolated"].get("decoy", {}).get("decoys_kept_unmatched")
    if decoy is not None:
        kinds["decoy (kept unmatched)"] = decoy
    worst = min(kinds, key=lambda k: kinds[k])
    add(
        "Every kind alone",
        ">= 0.90",
        f"{worst}: {kinds[worst]}",
        kinds[worst] >= 0.9,
        ", ".join(
            f"{k} {v:.3f}" for k, v in sorted(kinds.items(), key=lambda kv: kv[1]) if v < 0.9
        ),
    )
    quick = result.get("quick", {})
    if "fields_per_second" in quick:
        t100k = 100_000 / quick["fields_per_second"]
        add(
            "100,000 fields mapped",
            "< 10 s",
            f"{t100k:.1f} s",
            t100k < 10,
            f"{quick['fields_per_second']:.0f} fields/s",
        )
    growth = [r.get("growth_exponent") for r in result["scaling"] if r.get("growth_exponent")]
    if growth:
        add(
            "Cost grows linearly", "exponent ~1.0", growth[-1], growth[-1] <= 1.15, f"all: {growth}"
        )
    valentine = [
        p for p in result["peers"]["peers"] if p["name"] != "exact label" and p.get("fields")
    ]
    if valentine:
        fastest = max(valentine, key=lambda p: p["fields_per_second"] or 0)
        ratio = fastest.get("throughput_ratio")
        batch = fastest.get("batch_throughput_ratio")
        better = all(p.get("f1_difference", -1) > 0 for p in valentine)
        add(
            "Throughput vs fastest Valentine matcher",
            ">= 50x, higher F1",
            f"{ratio}x one form per call, {batch}x batched ({fastest['name']})",
            bool(ratio and ratio >= 50 and better),
            "F1 higher than every peer" if better else "F1 not higher than every peer",
        )
    total = result.get("total_seconds")
    if total is not None and result["size"] == "default":
        add("Suite at default size", "< 15 min", f"{total / 60:.1f} min", total < 900)
    return rows


def run_suite(size_name: str, seed: int, out_dir: Path) -> dict[str, Any]:
    """Run everything at one size; returns the result (also written to ``out_dir``)."""
    size = SIZES[size_name]
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result: dict[str, Any] = {
        "command": "python -m benchmarks.run_suite"
        + ("" if size_name == "default" else f" --size {size_name}"),
        "size": size_name,
        "seed": seed,
        "settings": asdict(size),
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    view = CatalogView.build(load_catalog())
    result["catalog"] = {
        "items": len(view.full.items),
        "aliases": sum(len(i.aliases) for i in view.full.items),
        "held_out_aliases": sum(len(i.aliases) for i in view.full.items)
        - sum(len(i.aliases) for i in view.visible.items),
        "holdout_share": view.share,
    }
    phases: dict[str, float] = {}

    def phase(name: str, start: float) -> None:
        phases[name] = round(time.perf_counter() - start, 1)
        print(f"[suite] {name}: {phases[name]} s", file=sys.stderr, flush=True)

    t = time.perf_counter()
    fs = generate(size.accuracy_forms, seed=seed, view=view)
    result["mix"] = fs.mix.to_dict()
    result["accuracy"] = default_mix_run(fs)
    phase("accuracy", t)
    t = time.perf_counter()
    result["isolated"] = isolated_runs(size.isolated_forms, seed, view)
    phase("isolated kinds", t)
    t = time.perf_counter()
    result["merge"] = merge_run(fs, size.merge_bundles)
    phase("merge", t)
    t = time.perf_counter()
    result["quick"] = run_quick(size, seed)
    phase("throughput", t)
    t = time.perf_counter()
    result["scaling"] = scaling_runs(size, seed)
    phase("scaling", t)
    t = time.perf_counter()
    batch_fps = result["quick"].get("fields_per_second") or result["accuracy"]["fields_per_second"]
    result["peers"] = peer_runs(fs, size, seed, out_dir, batch_fps)
    phase("peers", t)
    result["phases"] = phases
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    result["targets"] = targets(result)
    (out_dir / "suite.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    (out_dir / "suite.md").write_text(render_markdown(result))
    return result


def peers_only(size: SuiteSize, seed: int, out_dir: Path) -> dict[str, Any]:
    """The suite's peer phase alone (with the throughput run for the batch ratio): prints a
    table and writes ``peers.json``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    quick = run_quick(size, seed)
    fs = generate(size.peer_forms, seed=seed, view=CatalogView.build(load_catalog()))
    result = peer_runs(fs, size, seed, out_dir, quick.get("fields_per_second") or 0.0)
    result["machine"] = machine()
    (out_dir / "peers.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(
        "| matcher | forms | fields | F1 (item, role) | F1 item | fields/s | formmerge F1 |"
        " formmerge fields/s | formmerge / peer, per call | formmerge / peer, batched |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for p in result["peers"]:
        mine = p.get("formmerge") or {}

        def f1(score: dict[str, Any], key: str = "mapping") -> str:
            return f"{score[key]['f1']:.3f}" if score.get(key) else "-"

        print(
            f"| {p['name']} | {p['forms']} | {p['fields']} | {f1(p)} | {f1(p, 'item_only')} | "
            f"{p['fields_per_second'] or '-'} | {f1(mine)} | "
            f"{mine.get('fields_per_second', '-')} | "
            f"{p.get('throughput_ratio', '-')} | {p.get('batch_throughput_ratio', '-')} |"
            + (f" {p['error']}" if p.get("error") else "")
        )
    print(f"formmerge batched: {result['formmerge_batch_fields_per_second']:,.0f} fields/s")
    return result


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="default")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--quick", action="store_true", help="only the mapping-throughput run")
    parser.add_argument("--update-readme", action="store_true", help="refresh benchmarks/README.md")
    parser.add_argument("--peers", action="store_true", help="only the peer comparison")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    if args.peers:
        peers_only(size, args.seed, args.out)
        return
    if args.quick:
        args.out.mkdir(parents=True, exist_ok=True)
        quick = run_quick(size, args.seed)
        quick["machine"] = machine()
        (args.out / "quick.json").write_text(json.dumps(quick, indent=1))
        if "error" in quick:
            sys.exit(f"throughput run failed: {quick['error']}")
        print(
            f"{quick['fields']:,} fields of {quick['forms']:,} forms mapped in "
            f"{quick['match_seconds']:.2f} s: {quick['fields_per_second']:,.0f} fields/s; "
            f"peak memory {quick['peak_rss_mib']:,.0f} MiB "
            f"(+{quick['peak_increase_mib']:,.0f} MiB during matching); "
            f"{quick['machine']['cores']} cores"
        )
        return
    result = run_suite(args.size, args.seed, args.out)
    print(render_markdown(result))
    if args.update_readme:
        update_readme(README, result)


if __name__ == "__main__":
    main()

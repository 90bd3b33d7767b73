"""Load test of ``formmerge serve``: concurrent clients on prefill and submit, over loopback.

The service runs as its own process (``formmerge serve``, uvicorn, access log on) on demo
registers of ``--persons`` people with an audit file, as deployed; ``--clients`` concurrent
clients (asyncio, one keep-alive connection each) call one endpoint for ``--seconds`` seconds,
then the next:

* **prefill**: ``POST /v1/bundles/<bundle>/prefill`` for random people of the registers;
* **submit**: ``POST /v1/bundles/<bundle>/submit`` with a complete application (prefilled
  values plus sample answers; the service prefills again, checks tampering, splits);
* **healthz**: ``GET /healthz``, the same stack doing nothing, as the floor of the figures.

The peer, in the same run: the library's own ``prefill()`` of the same bundle for the same
people, in-process on one thread; the table gives the service's p50 as a multiple of its p50
(which with many clients is mostly queueing) and the service's requests per second as a
fraction of the library's calls per second on one thread (1 / its p50).
Prints a table and writes JSON to ``benchmarks/results/service-<clients>x<seconds>.json``.

    python -m benchmarks.bench_service                  # 32 clients, 30 s per endpoint
    python -m benchmarks.bench_service --quick          # 8 clients, 5 s per endpoint
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
import yaml
from rich.console import Console
from rich.table import Table

import formmerge
from benchmarks.answers import sample_answers
from formmerge.bundle import load_bundle
from formmerge.demodata import generate
from formmerge.merging import merge_bundle
from formmerge.prefill import prefill
from formmerge.resources import data_path
from formmerge.service import hash_key

RESULTS = Path(__file__).parent / "results"
EXAMPLES = data_path("examples")
KEY = "load-test-key"
SEED = 42
DEFAULT_CLIENTS = 32
DEFAULT_SECONDS = 30.0
QUICK_CLIENTS = 8
QUICK_SECONDS = 5.0
DEFAULT_PERSONS = 2_000
DEFAULT_BUNDLE = "school-enrolment"
SUBJECT_POOL = 200
SUBMIT_POOL = 20
LIBRARY_CALLS = 50
START_TIMEOUT_SECONDS = 60.0
REQUEST_TIMEOUT_SECONDS = 60.0
PURPOSE = "负载测试"


@dataclass
class Run:
    """What one endpoint's clients saw."""

    operation: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def row(self, library_p50: float | None) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        ok = self.statuses.get(200, 0)
        p50 = statistics.median(ordered) if ordered else float("nan")
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")
        return {
            "operation": self.operation,
            "requests": len(ordered),
            "ok": ok,
            "errors": len(ordered) - ok,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "requests_per_second": len(ordered) / self.seconds,
            "p50_ms": p50 * 1000,
            "p99_ms": p99 * 1000,
            "p50_vs_library": p50 / library_p50 if library_p50 else None,
            # the library's one-thread throughput is 1 / its p50
            "throughput_vs_library": len(ordered) / self.seconds * library_p50
            if library_p50
            else None,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(folder: Path, registers: Path, bundle: str) -> Path:
    config = {
        "bundles": [str(EXAMPLES / "bundles" / bundle)],
        "sources": str(EXAMPLES / "sources" / "demo.yaml"),
        "registers": str(registers),
        "audit": str(folder / "audit.duckdb"),
        "clients": [
            {
                "id": "load",
                "key_sha256": hash_key(KEY),
                "bundles": ["*"],
                "operations": ["schema", "prefill", "submit"],
            }
        ],
        # the rate limit is what a real portal would meet first; the load test measures past it
        "limits": {"requests_per_minute": 10**9},
    }
    path = folder / "service.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _start(config: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "formmerge.cli", "serve", "--config", str(config)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the service did not start")


async def _load(
    url: str,
    operation: str,
    bodies: list[dict[str, Any]],
    path: str,
    clients: int,
    seconds: float,
) -> Run:
    run = Run(operation, seconds)
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {KEY}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(n: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(SEED + n)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            if bodies:
                response = await http.post(path, json=rng.choice(bodies))
            else:
                response = await http.get(path)
            run.latencies.append(time.perf_counter() - started)
            run.statuses[response.status_code] = run.statuses.get(response.status_code, 0) + 1

    async with httpx.AsyncClient(
        base_url=url, headers=headers, limits=limits, timeout=REQUEST_TIMEOUT_SECONDS
    ) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    return run


def _subjects(registers: Path) -> list[str]:
    with duckdb.connect(str(registers), read_only=True) as con:
        rows = con.execute(
            "SELECT citizen_id FROM population ORDER BY hash(citizen_id) LIMIT ?", [SUBJECT_POOL]
        ).fetchall()
    return [r[0] for r in rows]


def _submissions(url: str, bundle: str, subjects: list[str], consent: str) -> list[dict[str, Any]]:
    """Complete applications the service accepts, one per subject (at most SUBMIT_POOL)."""
    headers = {"Authorization": f"Bearer {KEY}"}
    out = []
    with httpx.Client(base_url=url, headers=headers, timeout=REQUEST_TIMEOUT_SECONDS) as http:
        schema = http.get(f"/v1/bundles/{bundle}/schema").json()
        for subject in subjects:
            base = {"subject": subject, "purpose": PURPOSE, "consent": consent}
            filled = http.post(f"/v1/bundles/{bundle}/prefill", json=base).json()
            body = {**base, "answers": sample_answers(schema, filled["form_data"])}
            if http.post(f"/v1/bundles/{bundle}/submit", json=body).status_code == 200:
                out.append(body)
            if len(out) == SUBMIT_POOL:
                break
    if not out:
        raise RuntimeError(f"no sample application of {bundle} is accepted")
    return out


def _library_p50(registers: Path, bundle: str, subjects: list[str]) -> float:
    merged = merge_bundle(load_bundle(EXAMPLES / "bundles" / bundle))
    times = []
    with duckdb.connect(str(registers), read_only=True) as con:
        for subject in (subjects * LIBRARY_CALLS)[:LIBRARY_CALLS]:
            started = time.perf_counter()
            prefill(merged, subject, connection=con)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Run the load test; print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=DEFAULT_CLIENTS)
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS)
    parser.add_argument("--quick", action="store_true", help="8 clients, 5 s per endpoint")
    parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS)
    parser.add_argument("--bundle", default=DEFAULT_BUNDLE)
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.seconds = QUICK_CLIENTS, QUICK_SECONDS
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        registers = folder / "registers.duckdb"
        generate(registers, args.persons, seed=SEED, progress=False)
        subjects = _subjects(registers)
        library = _library_p50(registers, args.bundle, subjects)
        port = _free_port()
        server = _start(_config(folder, registers, args.bundle), port)
        url = f"http://127.0.0.1:{port}"
        try:
            headers = {"Authorization": f"Bearer {KEY}"}
            consent = httpx.get(f"{url}/v1/bundles/{args.bundle}/consent", headers=headers)
            notice = consent.json()["id"]
            submissions = _submissions(url, args.bundle, subjects, notice)
            prefills = [{"subject": s, "purpose": PURPOSE, "consent": notice} for s in subjects]
            api = f"/v1/bundles/{args.bundle}"
            runs = [
                asyncio.run(
                    _load(url, "prefill", prefills, f"{api}/prefill", args.clients, args.seconds)
                ),
                asyncio.run(
                    _load(url, "submit", submissions, f"{api}/submit", args.clients, args.seconds)
                ),
                asyncio.run(_load(url, "healthz", [], "/healthz", args.clients, args.seconds)),
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = [r.row(library if r.operation != "healthz" else None) for r in runs]
    table = Table(
        title=f"formmerge serve: {args.clients} clients x {args.seconds:g} s per endpoint, "
        f"{args.bundle}, {args.persons} people"
    )
    columns = (
        "endpoint",
        "requests",
        "errors",
        "req/s",
        "p50 ms",
        "p99 ms",
        "p50 / lib",
        "req/s / lib",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for row in rows:
        ratio, speed = row["p50_vs_library"], row["throughput_vs_library"]
        table.add_row(
            row["operation"],
            str(row["requests"]),
            str(row["errors"]),
            f"{row['requests_per_second']:.1f}",
            f"{row['p50_ms']:.1f}",
            f"{row['p99_ms']:.1f}",
            "" if ratio is None else f"{ratio:.1f}x",
            "" if speed is None else f"{speed:.2f}x",
        )
    console.print(table)
    console.print(f"library prefill() in-process, one thread: p50 {library * 1000:.1f} ms")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"service-{args.clients}x{args.seconds:g}.json"
    result = {
        "clients": args.clients,
        "seconds": args.seconds,
        "bundle": args.bundle,
        "persons": args.persons,
        "library_prefill_p50_ms": library * 1000,
        "runs": rows,
        "formmerge": formmerge.__version__,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    console.print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of data prefill on the synthetic registers.

Three measurements on demo registers of ``--persons`` people (built once and cached):

* **single-subject latency**: ``prefill()`` of a 40-field merged form (applicant, spouse,
  newborn child, father) for random people, on an open read-only connection, with an audit
  log; median and 99th percentile.
* **batch prefill** of ``--subjects`` subjects with ``prefill_batch()``, timed against one
  hand-written DuckDB query doing the same joins (the same relations and sources, the same
  precedence, rows in input order), in the same run, interleaved, best of ``--repeat``. The two
  results are compared cell by cell.
* **peak memory** (resident set size) of each batch variant, each in a fresh process.

Prints a table and writes JSON to ``benchmarks/results/prefill-<persons>.json``.

    python benchmarks/bench_prefill.py                          # 1,000,000 people
    python benchmarks/bench_prefill.py --persons 20000 --single 200 --repeat 1   # quick
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from rich.console import Console
from rich.table import Table

import formmerge
from formmerge.demodata import demo_info, generate
from formmerge.models import Field, FieldRef, Form, MergedField, MergedForm
from formmerge.prefill import AuditLog, load_sources, prefill
from formmerge.prefill.batch import prefill_batch

RESULTS = Path(__file__).parent / "results"
CACHE = Path.home() / ".cache" / "formmerge"
SEED = 42

FORM_FIELDS: list[tuple[str, str]] = [
    *[(item, "applicant") for item in (
        "name", "citizen_id", "sex", "ethnicity", "birth_date", "native_place", "hukou_address",
        "household_number", "relation_to_head", "hukou_type", "marital_status", "education_level",
        "mobile", "current_address", "marriage_date", "marriage_certificate_number",
        "social_security_number", "pension_insured_status", "employer_name",
        "medical_insurance_number", "medical_insurance_type", "housing_fund_account",
        "housing_fund_start_date", "property_address")],
    *[(item, "spouse") for item in (
        "name", "citizen_id", "ethnicity", "hukou_address", "mobile", "employer_name")],
    *[(item, "child") for item in (
        "name", "sex", "birth_time", "birth_weight", "birth_length", "gestational_weeks",
        "birth_institution", "birth_certificate_number", "vaccination_certificate_number")],
    ("name", "father"),
]  # fmt: skip
"""A birth-registration style merged form: 40 fields over 12 sources and 4 roles."""

# The same joins written by hand, as an analyst would for this one form: spouse and newborn
# through the marriage and birth registers, each register joined once per role, precedence as
# in examples/sources/demo.yaml, values in canonical form, rows in input order.
HAND_WRITTEN = """
WITH subjects AS (
    SELECT row_number() OVER () - 1 AS rn, citizen_id AS applicant_id FROM subject_keys
),
spouse AS (
    SELECT s.rn, COALESCE(h.wife_citizen_id, w.husband_citizen_id) AS spouse_id
    FROM subjects s
    LEFT JOIN (SELECT * FROM marriage WHERE status = '婚姻存续'
               QUALIFY row_number() OVER (PARTITION BY husband_citizen_id
                                          ORDER BY marriage_date DESC) = 1) h
           ON h.husband_citizen_id = s.applicant_id
    LEFT JOIN (SELECT * FROM marriage WHERE status = '婚姻存续'
               QUALIFY row_number() OVER (PARTITION BY wife_citizen_id
                                          ORDER BY marriage_date DESC) = 1) w
           ON w.wife_citizen_id = s.applicant_id
),
child AS (
    SELECT s.rn,
           CASE WHEN m.certificate_number IS NOT NULL THEN m.child_citizen_id
                ELSE f.child_citizen_id END AS child_id,
           COALESCE(m.certificate_number, f.certificate_number) AS child_bcn
    FROM subjects s
    LEFT JOIN (SELECT * FROM birth_certificate
               QUALIFY row_number() OVER (PARTITION BY mother_citizen_id
                                          ORDER BY birth_time DESC) = 1) m
           ON m.mother_citizen_id = s.applicant_id
    LEFT JOIN (SELECT * FROM birth_certificate
               QUALIFY row_number() OVER (PARTITION BY father_citizen_id
                                          ORDER BY birth_time DESC) = 1) f
           ON f.father_citizen_id = s.applicant_id
),
roles AS (
    SELECT s.rn, s.applicant_id, sp.spouse_id, c.child_id, c.child_bcn,
           COALESCE(cb.father_citizen_id, ab.father_citizen_id) AS father_id
    FROM subjects s
    JOIN spouse sp USING (rn)
    JOIN child c USING (rn)
    LEFT JOIN birth_certificate cb ON cb.certificate_number = c.child_bcn
    LEFT JOIN birth_certificate ab ON ab.child_citizen_id = s.applicant_id
)
SELECT r.rn AS "row", r.applicant_id AS "applicant.citizen_id",
    pa.name AS "name@applicant", pa.citizen_id AS "citizen_id@applicant",
    pa.sex AS "sex@applicant", pa.ethnicity AS "ethnicity@applicant",
    strftime(pa.birth_date, '%Y-%m-%d') AS "birth_date@applicant",
    pa.native_place AS "native_place@applicant",
    COALESCE(ha.hukou_address, pa.hukou_address) AS "hukou_address@applicant",
    ha.household_number AS "household_number@applicant",
    ha.relation_to_head AS "relation_to_head@applicant", ha.hukou_type AS "hukou_type@applicant",
    pa.marital_status AS "marital_status@applicant",
    COALESCE(da.education_level, pa.education_level) AS "education_level@applicant",
    COALESCE(pa.mobile, sa.mobile) AS "mobile@applicant",
    pa.current_address AS "current_address@applicant",
    strftime(ma.marriage_date, '%Y-%m-%d') AS "marriage_date@applicant",
    ma.certificate_number AS "marriage_certificate_number@applicant",
    sa.social_security_number AS "social_security_number@applicant",
    sa.insured_status AS "pension_insured_status@applicant",
    COALESCE(sa.employer_name, fa.dwmc) AS "employer_name@applicant",
    mia.medical_insurance_number AS "medical_insurance_number@applicant",
    mia.medical_insurance_type AS "medical_insurance_type@applicant",
    fa.gjjzh AS "housing_fund_account@applicant",
    strftime(strptime(fa.khrq, '%Y%m%d'), '%Y-%m-%d') AS "housing_fund_start_date@applicant",
    ra.address AS "property_address@applicant",
    ps.name AS "name@spouse", ps.citizen_id AS "citizen_id@spouse",
    ps.ethnicity AS "ethnicity@spouse",
    COALESCE(hs.hukou_address, ps.hukou_address) AS "hukou_address@spouse",
    COALESCE(ps.mobile, ss.mobile) AS "mobile@spouse",
    COALESCE(ss.employer_name, fs.dwmc) AS "employer_name@spouse",
    COALESCE(pc.name, bc.child_name) AS "name@child",
    COALESCE(pc.sex, bc.child_sex) AS "sex@child",
    strftime(bc.birth_time, '%Y-%m-%dT%H:%M:%S') AS "birth_time@child",
    CAST(bc.birth_weight AS DOUBLE) AS "birth_weight@child",
    bc.birth_length AS "birth_length@child",
    CAST(bc.gestational_weeks AS BIGINT) AS "gestational_weeks@child",
    bc.birth_institution AS "birth_institution@child",
    bc.certificate_number AS "birth_certificate_number@child",
    vc.certificate_number AS "vaccination_certificate_number@child",
    pf.name AS "name@father"
FROM roles r
LEFT JOIN population pa ON pa.citizen_id = r.applicant_id
LEFT JOIN household ha ON ha.citizen_id = r.applicant_id
LEFT JOIN degree da ON da.citizen_id = r.applicant_id
LEFT JOIN social_insurance sa ON sa.citizen_id = r.applicant_id
LEFT JOIN (SELECT * FROM housing_fund WHERE zt = '正常') fa ON fa.zjhm = r.applicant_id
LEFT JOIN medical_insurance mia ON mia.citizen_id = r.applicant_id
LEFT JOIN (SELECT * FROM marriage_party
           QUALIFY row_number() OVER (PARTITION BY citizen_id
                                      ORDER BY marriage_date DESC) = 1) ma
       ON ma.citizen_id = r.applicant_id
LEFT JOIN (SELECT * FROM real_estate_right
           QUALIFY row_number() OVER (PARTITION BY citizen_id
                                      ORDER BY registration_date DESC) = 1) ra
       ON ra.citizen_id = r.applicant_id
LEFT JOIN population ps ON ps.citizen_id = r.spouse_id
LEFT JOIN household hs ON hs.citizen_id = r.spouse_id
LEFT JOIN social_insurance ss ON ss.citizen_id = r.spouse_id
LEFT JOIN (SELECT * FROM housing_fund WHERE zt = '正常') fs ON fs.zjhm = r.spouse_id
LEFT JOIN population pc ON pc.citizen_id = r.child_id
LEFT JOIN birth_certificate bc ON bc.certificate_number = r.child_bcn
LEFT JOIN vaccination vc ON vc.birth_certificate_number = r.child_bcn
LEFT JOIN population pf ON pf.citizen_id = r.father_id
ORDER BY r.rn
"""


def merged_form() -> MergedForm:
    """The benchmark's merged form (built directly: the benchmark is about prefill)."""
    keys = [f"{item}_{role}" for item, role in FORM_FIELDS]
    form = Form(id="birth", fields=tuple(Field(key=k, label=k) for k in keys))
    fields = tuple(
        MergedField(
            id=f"{i}@{r}", item=i, role=r, label=k, sources=(FieldRef(form="birth", path=k),)
        )
        for (i, r), k in zip(FORM_FIELDS, keys, strict=True)
    )
    return MergedForm(id="birth", forms=(form,), fields=fields, matches=())


def registers(persons: int, path: Path | None) -> tuple[Path, float | None]:
    """The registers file for ``persons`` people, generated if missing (and how long it took)."""
    target = path or CACHE / f"bench-{persons}.duckdb"
    if target.exists() and demo_info(target).get("persons") == str(persons):
        return target, None
    return target, generate(target, persons, seed=SEED, progress=True).seconds


def subject_keys(con: duckdb.DuckDBPyConnection, count: int) -> list[str]:
    """``count`` citizen IDs of the population register, in a reproducible random order."""
    rows = con.execute(
        "SELECT citizen_id FROM population ORDER BY hash(citizen_id || $seed) LIMIT $n",
        {"seed": str(SEED), "n": count},
    ).fetchall()
    return [r[0] for r in rows]


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MiB.

    On Linux this is ``VmHWM`` of ``/proc/self/status``: ``getrusage`` would also count the
    parent's memory at the time of the fork, which Linux carries across ``exec``.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    per_mib = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / per_mib


# The single-subject peer: the same 13 lookups written by hand, as plain indexed SELECTs
# (``WHERE key = ?`` or ``IN``), with the filters, "latest" choices and precedence in Python.
# Three find the related people, ten read the sources; nothing is audited or checked.
_MARRIED = "婚姻存续"
HAND_RELATIONS = {
    "spouse": (
        "SELECT wife_citizen_id, status, marriage_date FROM marriage"
        " WHERE husband_citizen_id = $k UNION ALL"
        " SELECT husband_citizen_id, status, marriage_date FROM marriage"
        " WHERE wife_citizen_id = $k"
    ),
    "child": (
        "SELECT child_citizen_id, certificate_number, birth_time FROM birth_certificate"
        " WHERE mother_citizen_id = $k UNION ALL"
        " SELECT child_citizen_id, certificate_number, birth_time FROM birth_certificate"
        " WHERE father_citizen_id = $k"
    ),
    "father": (
        "SELECT father_citizen_id FROM birth_certificate WHERE certificate_number = $bcn"
        " UNION ALL SELECT father_citizen_id FROM birth_certificate WHERE child_citizen_id = $k"
    ),
}
HAND_SOURCES = {
    "population": "SELECT * FROM population WHERE citizen_id IN ($a, $s, $c, $f)",
    "household": "SELECT * FROM household WHERE citizen_id IN ($a, $s)",
    "degree": "SELECT * FROM degree WHERE citizen_id = $a",
    "social_insurance": "SELECT * FROM social_insurance WHERE citizen_id IN ($a, $s)",
    "housing_fund": "SELECT * FROM housing_fund WHERE zjhm IN ($a, $s)",
    "medical_insurance": "SELECT * FROM medical_insurance WHERE citizen_id = $a",
    "marriage_party": "SELECT * FROM marriage_party WHERE citizen_id = $a",
    "real_estate_right": "SELECT * FROM real_estate_right WHERE citizen_id = $a",
    "birth_certificate": "SELECT * FROM birth_certificate WHERE certificate_number = $bcn",
    "vaccination": "SELECT * FROM vaccination WHERE birth_certificate_number = $bcn",
}


def hand_written_single(con: duckdb.DuckDBPyConnection, applicant: str) -> dict[str, list[Any]]:
    """The benchmark form's lookups for one person, written by hand (the peer)."""
    none = "-"  # a key that matches nothing, for a role not found
    rows = con.execute(HAND_RELATIONS["spouse"], {"k": applicant}).fetchall()
    married = sorted((r for r in rows if r[1] == _MARRIED), key=lambda r: r[2], reverse=True)
    spouse = married[0][0] if married else none
    rows = con.execute(HAND_RELATIONS["child"], {"k": applicant}).fetchall()
    latest = max(rows, key=lambda r: r[2]) if rows else (none, none, None)
    child, bcn = latest[0] or none, latest[1] or none
    rows = con.execute(HAND_RELATIONS["father"], {"bcn": bcn, "k": applicant}).fetchall()
    father = next((r[0] for r in rows if r[0]), none)
    keys = {"a": applicant, "s": spouse, "c": child, "f": father, "bcn": bcn}
    found = {}
    for name, sql in HAND_SOURCES.items():
        params = {k: v for k, v in keys.items() if f"${k}" in sql}
        found[name] = con.execute(sql, params).fetchall()
    return found


def _latencies(timings: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(timings, n=100)
    return {
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
        "mean_ms": round(statistics.fmean(timings) * 1000, 2),
    }


def single_latency(db: Path, samples: int) -> dict[str, Any]:
    """Latencies of single-subject prefill on an open connection, and of the hand-written
    lookups for the same people, interleaved call by call (the same connection)."""
    form, config, log = merged_form(), load_sources(), AuditLog(salt="bench")
    with duckdb.connect(str(db), read_only=True) as con:
        keys = subject_keys(con, samples)
        for key in keys[:10]:  # warm-up: caches, first-touch of index pages
            prefill(form, key, connection=con, sources=config, audit=log)
            hand_written_single(con, key)
        timings, hand, cpu, hand_cpu, filled = [], [], [], [], []
        for key in keys:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = prefill(form, key, connection=con, sources=config, audit=log)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            filled.append(len(result.values))
            started, cpu_started = time.perf_counter(), time.process_time()
            hand_written_single(con, key)
            hand.append(time.perf_counter() - started)
            hand_cpu.append(time.process_time() - cpu_started)
    ours, peer = _latencies(timings), _latencies(hand)
    return {
        "samples": samples,
        **ours,
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 2),
        "hand_written": {**peer, "cpu_median_ms": round(statistics.median(hand_cpu) * 1000, 2)},
        "ratio_median": round(statistics.median(timings) / statistics.median(hand), 3),
        "ratio_cpu_median": round(statistics.median(cpu) / statistics.median(hand_cpu), 3),
        "fields_prefilled_mean": round(statistics.fmean(filled), 1),
        "audit_records": len(log.to_frame()),
    }


def run_batch(db: Path, count: int, provenance: bool) -> tuple[float, pd.DataFrame]:
    form, config = merged_form(), load_sources()
    with duckdb.connect(str(db), read_only=True) as con:
        keys = subject_keys(con, count)
        started = time.perf_counter()
        frame = prefill_batch(
            form, keys, connection=con, sources=config, progress=False, provenance=provenance,
            audit=AuditLog(salt="bench"),
        )  # fmt: skip
        return time.perf_counter() - started, frame


def run_hand_written(db: Path, count: int) -> tuple[float, pd.DataFrame]:
    with duckdb.connect(str(db), read_only=True) as con:
        keys = subject_keys(con, count)
        started = time.perf_counter()
        con.register("subject_keys", pa.table({"citizen_id": keys}))
        frame = con.sql(HAND_WRITTEN).to_arrow_table().to_pandas()  # as prefill_batch does
        return time.perf_counter() - started, frame


def differences(batch: pd.DataFrame, hand: pd.DataFrame) -> int:
    """Cells where the two results differ (missing values compare equal)."""
    columns = [c for c in hand.columns if c in batch.columns]
    left = batch[columns].astype(object).where(batch[columns].notna(), None)
    right = hand[columns].astype(object).where(hand[columns].notna(), None)
    return int((left.to_numpy() != right.to_numpy()).sum())


def memory_phase(phase: str, db: Path, count: int) -> None:
    """Run one batch variant and print its peak memory (run in a fresh process)."""
    if phase == "hand":
        seconds, frame = run_hand_written(db, count)
    else:
        seconds, frame = run_batch(db, count, provenance=phase == "batch-provenance")
    print(json.dumps({"seconds": seconds, "rows": len(frame), "peak_mb": peak_mb()}))


def batch_comparison(db: Path, count: int, repeat: int) -> dict[str, Any]:
    """Interleaved timings of batch prefill and the hand-written query."""
    runs: dict[str, list[float]] = {"batch": [], "batch-provenance": [], "hand": []}
    diff = None
    for _ in range(repeat):
        seconds, batch = run_batch(db, count, provenance=False)
        runs["batch"].append(seconds)
        seconds, hand = run_hand_written(db, count)
        runs["hand"].append(seconds)
        if diff is None:
            diff = differences(batch, hand)
        del batch, hand
        runs["batch-provenance"].append(run_batch(db, count, provenance=True)[0])
    best = {name: min(times) for name, times in runs.items()}
    return {
        "subjects": count,
        "runs": {name: [round(t, 3) for t in times] for name, times in runs.items()},
        "best_s": {name: round(t, 3) for name, t in best.items()},
        "ratio_best": round(best["batch"] / best["hand"], 3),
        "ratio_median": round(
            statistics.median(runs["batch"]) / statistics.median(runs["hand"]), 3
        ),
        "ratio_provenance_best": round(best["batch-provenance"] / best["hand"], 3),
        "cells_differing": diff,
    }


def memory(db: Path, count: int) -> dict[str, float]:
    out = {}
    for phase in ("batch", "batch-provenance", "hand"):
        command = [
            sys.executable,
            __file__,
            "--phase",
            phase,
            "--db",
            str(db),
            "--subjects",
            str(count),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        out[phase] = round(json.loads(done.stdout.strip().splitlines()[-1])["peak_mb"], 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000, help="size of the registers")
    parser.add_argument("--subjects", type=int, default=None, help="batch size (default: all)")
    parser.add_argument("--single", type=int, default=2_000, help="single-subject samples")
    parser.add_argument("--repeat", type=int, default=3, help="batch repetitions (best of)")
    parser.add_argument("--db", type=Path, default=None, help="registers file to use or build")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--no-batch", action="store_true", help="single subject only")
    parser.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        memory_phase(args.phase, args.db, args.subjects)
        return 0
    db, generated = registers(args.persons, args.db)
    with duckdb.connect(str(db), read_only=True) as con:
        population = int(con.execute("SELECT count(*) FROM population").fetchall()[0][0])
    count = min(args.subjects or population, population)
    result: dict[str, Any] = {
        "persons": args.persons,
        "population_rows": population,
        "generation_s": generated,
        "form_fields": len(FORM_FIELDS),
        "single": single_latency(db, args.single),
        "batch": None if args.no_batch else batch_comparison(db, count, args.repeat),
        "memory_peak_mb": {} if args.no_memory or args.no_batch else memory(db, count),
        "environment": {
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "formmerge": formmerge.__version__,
            "machine": platform.machine(),
            "cpus": __import__("os").cpu_count(),
        },
        "command": " ".join(["python", "benchmarks/bench_prefill.py", *(argv or sys.argv[1:])]),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"prefill-{args.persons}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    show(result, out)
    return 0


def show(result: dict[str, Any], out: Path) -> None:
    table = Table(
        title=f"prefill on {result['population_rows']:,} people ({result['form_fields']} fields)"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    single, batch = result["single"], result["batch"]
    hand = single["hand_written"]
    table.add_row("single: median latency", f"{single['median_ms']} ms")
    table.add_row("single: p99 latency", f"{single['p99_ms']} ms")
    table.add_row("single: median CPU time", f"{single['cpu_median_ms']} ms")
    peer = f"{hand['median_ms']} / {hand['p99_ms']} ms"
    table.add_row("  hand-written lookups: median / p99", peer)
    table.add_row("  hand-written lookups: median CPU time", f"{hand['cpu_median_ms']} ms")
    table.add_row(
        "  ratio to hand-written: median / CPU",
        f"{single['ratio_median']} / {single['ratio_cpu_median']} (target <= 1.3)",
    )
    table.add_row("single: fields prefilled (mean)", str(single["fields_prefilled_mean"]))
    if batch is None:
        Console().print(table)
        Console().print(f"written {out}")
        return
    table.add_row(f"batch of {batch['subjects']:,}: prefill_batch", f"{batch['best_s']['batch']} s")
    table.add_row("  with provenance", f"{batch['best_s']['batch-provenance']} s")
    table.add_row("  hand-written query", f"{batch['best_s']['hand']} s")
    table.add_row("  ratio (best / median)", f"{batch['ratio_best']} / {batch['ratio_median']}")
    table.add_row("  cells differing from hand-written", str(batch["cells_differing"]))
    for phase, mb in result["memory_peak_mb"].items():
        table.add_row(f"peak memory: {phase}", f"{mb:,} MiB")
    Console().print(table)
    Console().print(f"written {out}")


if __name__ == "__main__":
    sys.exit(main())

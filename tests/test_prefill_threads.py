"""Prefill from many threads on one shared connection gives what it gives one thread at a time.

A DuckDB connection runs one statement at a time and keeps one pending result: two threads
interleaving ``execute`` and ``fetchall`` on it fail or, worse, read each other's rows. These
tests share one connection between threads (as "pass your own connection" invites) and check
that every call returns its own subject's values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from formmerge.demodata import demo_subjects
from formmerge.models import MergedForm
from formmerge.prefill import AuditLog, AuditRecord, prefill, prefill_batch
from formmerge.prefill.locking import connection_lock

MakeForm = Callable[..., MergedForm]

THREADS = 16
CALLS_PER_THREAD = 4

PAIRS = [
    ("name", "applicant"),
    ("citizen_id", "applicant"),
    ("birth_date", "applicant"),
    ("hukou_address", "applicant"),
    ("mobile", "applicant"),
    ("name", "spouse"),
    ("citizen_id", "spouse"),
    ("name", "child"),
    ("name", "father"),
    ("name", "mother"),
]


@pytest.fixture(scope="module")
def con(demo_registers: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(demo_registers), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Distinct people with spouses, children and parents on record."""
    kinds = demo_subjects(con)
    people = [
        row[0] for row in con.execute("SELECT citizen_id FROM population LIMIT 24").fetchall()
    ]
    return list(dict.fromkeys([*kinds.values(), *people]))


def _values(con: duckdb.DuckDBPyConnection, merged: MergedForm, key: str) -> dict[str, object]:
    result = prefill(merged, key, connection=con)
    return {field_id: value.value for field_id, value in result.values.items()}


def _run_threads(call: Callable[[int], object], count: int) -> list[object]:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(call, range(count)))


def test_threads_sharing_a_connection_get_their_own_subjects(
    con: duckdb.DuckDBPyConnection, keys: list[str], merged_form: MakeForm
) -> None:
    merged = merged_form(PAIRS)
    sequential = {key: _values(con, merged, key) for key in keys}
    assert any(len(values) >= 5 for values in sequential.values())
    order = [keys[i % len(keys)] for i in range(THREADS * CALLS_PER_THREAD)]

    threaded = _run_threads(lambda i: _values(con, merged, order[i]), len(order))

    for key, values in zip(order, threaded, strict=True):
        assert values == sequential[key]


def _reads(records: list[AuditRecord]) -> list[tuple[object, ...]]:
    return sorted((r.role, r.key_hash, r.source, r.items, r.found) for r in records)


def test_a_shared_audit_log_records_every_threaded_read(
    con: duckdb.DuckDBPyConnection, keys: list[str], merged_form: MakeForm
) -> None:
    merged = merged_form(PAIRS)
    expected = {}
    for key in keys:
        alone = AuditLog(salt="pepper")
        prefill(merged, key, connection=con, audit=alone)
        expected[alone.hash(key)] = _reads(alone.records())
    log = AuditLog(salt="pepper")
    calls = THREADS * 2

    _run_threads(lambda i: prefill(merged, keys[i % len(keys)], connection=con, audit=log), calls)

    by_call: dict[str, list[AuditRecord]] = {}
    for record in log.records():
        by_call.setdefault(record.read_id, []).append(record)
    assert len(by_call) == calls
    for records in by_call.values():
        (subject_hash,) = {r.subject_hash for r in records}
        assert _reads(records) == expected[subject_hash]


def test_batch_beside_single_prefills_on_one_connection(
    con: duckdb.DuckDBPyConnection, keys: list[str], merged_form: MakeForm
) -> None:
    merged = merged_form(PAIRS)
    sequential = {key: _values(con, merged, key) for key in keys}
    expected_batch = prefill_batch(merged, keys, connection=con, progress=False)

    def work(i: int) -> object:
        if i % 4 == 0:
            return prefill_batch(merged, keys, connection=con, progress=False)
        return _values(con, merged, keys[i % len(keys)])

    results = _run_threads(work, THREADS * 2)

    for i, result in enumerate(results):
        if isinstance(result, pd.DataFrame):
            pd.testing.assert_frame_equal(result, expected_batch)
        else:
            assert result == sequential[keys[i % len(keys)]]


def test_one_lock_per_connection() -> None:
    first, second = duckdb.connect(), duckdb.connect()
    assert connection_lock(first) is connection_lock(first)
    assert connection_lock(first) is not connection_lock(second)
    with connection_lock(first), connection_lock(first):  # re-entrant in one thread
        pass
    first.close()
    second.close()

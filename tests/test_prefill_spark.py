"""Batch prefill and verification on Spark give DuckDB's values, provenance and audit.

Every test that starts Spark is slow (a local session takes ~20 s to start and each statement
several seconds on a small machine): run them with ``-m slow``.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from formmerge.bundle import list_example_bundles
from formmerge.demodata import generate
from formmerge.models import MergedForm
from formmerge.prefill import AuditLog
from formmerge.prefill.batch import prefill_batch
from formmerge.prefill.config import SparkSettings
from formmerge.prefill.spark_sql import spark_time_format, staged, to_spark
from formmerge.rules import load_rules, verify_batch
from formmerge.rules.synthetic import ID_COLUMN, synthetic_subjects

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")

if shutil.which("java") is None:
    pytest.skip("Spark tests need a Java runtime (apt-get install default-jre-headless)",
                allow_module_level=True)  # fmt: skip
pytest.importorskip("pyspark", reason="Spark tests need pyspark (pip install '.[spark]')")

from formmerge.prefill.spark_batch import SparkAuditLog, prefill_batch_spark  # noqa: E402
from formmerge.prefill.spark_session import export_registers, spark_session  # noqa: E402
from formmerge.rules.spark_batch import verify_batch_spark  # noqa: E402
from tests.test_prefill_batch import PAIRS  # noqa: E402

MakeForm = Callable[..., MergedForm]
SALT = "spark-test-salt"
AS_OF = date(2026, 6, 1)
EXPANDED_AUDIT_LIMIT = 1_000
"""Up to this many subjects the audit is also compared expanded (a row per subject and read)."""
TEST_SESSION = SparkSettings(
    master="local[2]",
    app_name="formmerge-tests",
    conf={
        "spark.sql.shuffle.partitions": "4",
        "spark.default.parallelism": "2",
        "spark.driver.memory": "2g",
    },
)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the whole test run."""
    session = spark_session(TEST_SESSION)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def parquet(demo_registers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parquet")
    export_registers(demo_registers, folder)
    return folder


def _clean(value: object) -> object:
    """A cell as plain data: every kind of missing value is None, a list is sorted."""
    if isinstance(value, np.ndarray | list):
        return sorted(value)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _same_frames(duck: pd.DataFrame, spark: pd.DataFrame) -> None:
    assert list(duck.columns) == list(spark.columns)
    assert len(duck) == len(spark)
    for column in duck.columns:
        left = [_clean(v) for v in duck[column]]
        right = [_clean(v) for v in spark[column]]
        assert left == right, column


def _compare(
    registers: Path, parquet: Path, form: MergedForm, keys: list[str], spark: Any, tmp: Path
) -> None:
    duck_log = AuditLog(salt=SALT)
    spark_log = SparkAuditLog(spark, tmp / "audit", salt=SALT)
    with duckdb.connect(str(registers), read_only=True) as con:
        duck = prefill_batch(form, keys, connection=con, audit=duck_log, progress=False)
    on_spark = prefill_batch_spark(form, keys, spark=spark, registers=parquet, audit=spark_log)
    _same_frames(duck, on_spark)
    filled = sum(duck[f.id].notna().sum() for f in form.fields)
    assert filled > len(keys) * 5
    columns = ["matter", "subject_hash", "role", "key_hash", "source", "found", "subjects"]
    left = _records(duck_log.to_frame()[columns])
    right = _records(spark_log.to_frame()[columns])
    assert left == right
    items_duck = sorted(tuple(i) for i in duck_log.to_frame()["items"])
    items_spark = sorted(tuple(i) for i in spark_log.to_frame()["items"])
    assert items_duck == items_spark
    hashes_duck = sorted(r[0] for r in duck_log.connection.execute(
        f"SELECT subject_hash FROM {duck_log.subjects_table}").fetchall())  # fmt: skip
    hashes_spark = sorted(pd.read_parquet(spark_log.subjects_path)["subject_hash"])
    assert hashes_duck == hashes_spark
    assert len(set(hashes_duck)) == len({k.strip() for k in keys})
    if len(keys) <= EXPANDED_AUDIT_LIMIT:
        expanded_duck = _records(duck_log.to_frame(expand_batches=True)[columns])
        assert expanded_duck == _records(spark_log.to_frame(expand_batches=True)[columns])


def _records(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    rows = [tuple(_clean(v) for v in row) for row in frame.itertuples(index=False)]
    return sorted(rows, key=str)


def _keys(registers: Path, n: int) -> list[str]:
    with duckdb.connect(str(registers), read_only=True) as con:
        people = [r[0] for r in con.execute(
            "SELECT citizen_id FROM population ORDER BY hash(citizen_id) LIMIT $n", {"n": n}
        ).fetchall()]  # fmt: skip
    return [*people, "000000000000000000", " " + people[0]][:n]


@pytest.mark.slow
def test_thousand_subjects_equal_duckdb(
    demo_registers: Path, parquet: Path, merged_form: MakeForm, spark: Any, tmp_path: Path
) -> None:
    keys = _keys(demo_registers, 1_000)
    _compare(demo_registers, parquet, merged_form(PAIRS), keys, spark, tmp_path)


@pytest.mark.slow
def test_hundred_thousand_subjects_equal_duckdb(
    merged_form: MakeForm, spark: Any, tmp_path: Path
) -> None:
    registers = tmp_path / "registers.duckdb"
    generate(registers, 100_000, seed=7, progress=False)
    folder = tmp_path / "parquet"
    export_registers(registers, folder)
    keys = _keys(registers, 100_000)
    _compare(registers, folder, merged_form(PAIRS), keys, spark, tmp_path)


@pytest.mark.slow
def test_result_written_as_parquet(
    demo_registers: Path, parquet: Path, merged_form: MakeForm, spark: Any, tmp_path: Path
) -> None:
    form = merged_form([("name", "applicant"), ("name", "spouse")])
    keys = _keys(demo_registers, 50)
    summary = prefill_batch_spark(
        form, keys, spark=spark, registers=parquet, output=tmp_path / "out"
    )
    written = pd.read_parquet(tmp_path / "out").sort_values("row", ignore_index=True)
    assert list(written["applicant.citizen_id"]) == keys
    assert list(summary["subjects"]) == [50, 50]
    assert list(summary["prefilled"]) == [int(written[f].notna().sum()) for f in summary["field"]]


@pytest.mark.slow
def test_missing_register_file_is_named(merged_form: MakeForm, spark: Any, tmp_path: Path) -> None:
    from formmerge.errors import SourceError

    with pytest.raises(SourceError) as caught:
        prefill_batch_spark(merged_form([("name", "applicant")]), ["1"], spark=spark,
                            registers=tmp_path)  # fmt: skip
    assert caught.value.problems[0].code == "missing-register-file"
    assert "population.parquet" in str(caught.value)


BUNDLES = [p.name for p in list_example_bundles()]


@pytest.mark.slow
@pytest.mark.parametrize("bundle", BUNDLES)
def test_verification_equals_duckdb(bundle: str, spark: Any) -> None:
    path = next(p for p in list_example_bundles() if p.name == bundle)
    rules = load_rules(path).bind(as_of=AS_OF)
    frame = synthetic_subjects(rules, 2_000, seed=7, as_text=bundle == "retirement")
    duck = verify_batch(frame, rules, id_column=ID_COLUMN)
    on_spark = verify_batch_spark(frame, rules, spark=spark, id_column=ID_COLUMN)
    assert on_spark is not None
    pd.testing.assert_frame_equal(duck, on_spark, check_dtype=False)


def test_time_formats_become_java_patterns() -> None:
    assert spark_time_format("%Y%m%d") == "yyyyMMdd"
    assert spark_time_format("%Y-%m-%dT%H:%M:%S") == "yyyy-MM-dd'T'HH:mm:ss"
    with pytest.raises(ValueError, match="%Q"):
        spark_time_format("%Q")


def test_parameters_stay_bound() -> None:
    query = to_spark("SELECT * FROM t WHERE a = $p0 AND b = $1", {"p0": "x'; DROP", "1": 2})
    assert "DROP" not in query.sql and ":p0" in query.sql
    assert query.args["p0"] == "x'; DROP"


def test_stages_are_split_once_each() -> None:
    sql = (
        "WITH stage0 AS (SELECT * FROM s), s0e0 AS (SELECT * FROM stage0 AS b),"
        " stage1 AS (SELECT b.* FROM stage0 AS b JOIN s0e0 ON TRUE),"
        " joined AS (SELECT * FROM stage1 AS r) SELECT * FROM joined"
    )
    steps, final = staged(to_spark(sql), "v_")
    assert [view for view, _ in steps] == ["v_stage1"]
    assert "`v_stage1`" in final.sql and "stage0" not in final.sql

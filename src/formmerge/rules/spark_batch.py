"""Batch verification on Spark: the DuckDB statement of :func:`~formmerge.rules.verify_batch`,
translated (:func:`~formmerge.prefill.spark_sql.to_spark`), over a Spark DataFrame.

The statement is built by :func:`formmerge.rules.sql.batch_sql` from the subjects' column types
(Spark's types named as DuckDB's), every constant a bound parameter; the outcomes are the same
as DuckDB's: one ``pass``/``fail``/``unknown`` column per rule, in input order.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from formmerge.errors import Location, Problem, RuleError
from formmerge.prefill.spark_session import spark_errors, spark_session
from formmerge.prefill.spark_sql import to_spark
from formmerge.rules.api import STATUSES, FieldsArg, RulesArg, _batch_conditions, _relation_table
from formmerge.rules.sql import batch_sql, quote_identifier

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["ORDER_COLUMN", "duckdb_type", "verify_batch_spark"]

ORDER_COLUMN = "__formmerge_order"
"""A column numbering the subjects (input order), added while verifying."""

_TYPES = {
    "string": "VARCHAR",
    "bigint": "BIGINT",
    "int": "INTEGER",
    "smallint": "SMALLINT",
    "tinyint": "TINYINT",
    "double": "DOUBLE",
    "float": "FLOAT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamp_ntz": "TIMESTAMP",
}


def duckdb_type(spark_type: str) -> str:
    """A Spark column type (``bigint``, ``decimal(10,2)`` ...) by its DuckDB name."""
    if spark_type.startswith("decimal"):
        return spark_type.upper()
    return _TYPES.get(spark_type, spark_type.upper())


def verify_batch_spark(
    subjects: Any,
    rules: RulesArg,
    *,
    spark: SparkSession | None = None,
    id_column: str | None = None,
    params: Mapping[str, Any] | None = None,
    as_of: date | None = None,
    fields: FieldsArg = None,
    output: Path | str | None = None,
) -> pd.DataFrame | None:
    """Check many subjects at once on Spark, as :func:`~formmerge.rules.verify_batch` does.

    Args:
        subjects: a Spark DataFrame, a pandas DataFrame or an Arrow table, one row per subject
            and one column per merged field id.
        rules, id_column, params, as_of, fields: as for :func:`~formmerge.rules.verify_batch`.
        spark: the session (default: a local one).
        output: a folder to write the outcomes to as Parquet instead of returning them.

    Returns:
        The outcomes (the same as DuckDB's, status columns ordered categoricals), or None with
        ``output``.
    """
    session = spark if spark is not None else spark_session()
    frame = subjects if hasattr(subjects, "sparkSession") else _spark_frame(session, subjects)
    from pyspark.sql import functions as f

    frame = frame.withColumn(ORDER_COLUMN, f.monotonically_increasing_id())
    columns = {name: duckdb_type(kind) for name, kind in frame.dtypes if name != ORDER_COLUMN}
    bound, conditions = _batch_conditions(rules, params, as_of, columns, fields, id_column)
    name = f"__formmerge_verify_{secrets.token_hex(4)}"
    sql, values = batch_sql(conditions, columns, id_column=id_column, table=name)
    # the input order travels through the statement as one more carried column
    order = quote_identifier(ORDER_COLUMN)
    sql = sql.replace(" FROM " + quote_identifier(name), f", {order} FROM {quote_identifier(name)}")
    sql = sql.replace(" FROM typed", f", {order} FROM typed", 1)
    sql = sql.replace(" FROM decided", f" FROM decided ORDER BY {order}", 1)
    query = to_spark(sql, values)
    frame.createOrReplaceTempView(name)
    try:
        result = session.sql(query.sql, args=query.args or None)
        if output is not None:
            result.write.mode("overwrite").parquet(str(output))
            return None
        table: pa.Table = result.toArrow()
    except spark_errors() as exc:
        problem = Problem("query-failed", f"{type(exc).__name__}", Location())
        error = RuleError(f"batch verification of {bound.ruleset.id!r} failed", [problem])
        error.sql = query.sql
        raise error from None
    finally:
        session.catalog.dropTempView(name)
    out: pd.DataFrame = table.to_pandas()
    for b in bound.rules:
        out[b.rule.id] = pd.Categorical(out[b.rule.id], categories=list(STATUSES), ordered=True)
    return out


def _spark_frame(spark: SparkSession, subjects: Any) -> DataFrame:
    table = _relation_table(subjects)
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    return spark.createDataFrame(table)

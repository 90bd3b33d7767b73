"""Reading application values as rule-language values, identically in Python and in SQL.

Values arrive as whatever prefill, a form or a data frame holds: ``"2019-05-01"``, a
``datetime.date``, ``15``, ``"15"``, ``True``, ``"是"``. :func:`coerce` reads one value as the
type a rule expects and :func:`column_sql` writes the same reading in DuckDB SQL for a column of
a given SQL type. The two follow one set of rules, so that batch and one-by-one evaluation agree:

* missing: ``None``, NaN, ``pd.NA``/``NaT`` and text that is empty after trimming :data:`BLANKS`;
* ``string``: text trimmed of :data:`BLANKS`; numbers, dates and date-times (to the second)
  written as text;
* ``number``: numbers, and text matching :data:`NUMBER_PATTERN`; never booleans;
* ``date``: dates (a date-time's date part), and text ``YYYY-MM-DD`` optionally followed by
  ``T`` or a space and a time;
* ``boolean``: booleans, the numbers 0 and 1 (also as text), and the words in
  :data:`TRUE_WORDS` / :data:`FALSE_WORDS` (any case).

A present value that cannot be read as the type counts as unknown, like a missing one; the
Python side says why (``invalid``) so that an outcome can explain itself.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from formmerge.rules.functions import Binder
from formmerge.rules.nodes import Type, Value
from formmerge.sql import SQL_TYPES

__all__ = [
    "BLANKS",
    "DATETIME_TEXT",
    "DATE_PATTERN",
    "FALSE_WORDS",
    "NUMBER_PATTERN",
    "SQL_TYPES",
    "TRUE_WORDS",
    "Reading",
    "as_text",
    "coerce",
    "column_sql",
    "is_missing",
]

BLANKS = " \t\r\n\u3000"
"""Characters trimmed from text values (ASCII blanks and the ideographic space)."""

NUMBER_PATTERN = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
"""Text read as a number (after trimming)."""

DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ].*)?"
"""Text read as a date (after trimming): ISO 8601, possibly with a time that is ignored."""

TRUE_WORDS: tuple[str, ...] = ("true", "t", "yes", "y", "1", "是")
"""Text read as true (compared in lower case)."""
FALSE_WORDS: tuple[str, ...] = ("false", "f", "no", "n", "0", "否")
"""Text read as false (compared in lower case)."""

DATETIME_TEXT = "%Y-%m-%d %H:%M:%S"
"""How a date-time reads as text (to the second)."""


_NUMBER = re.compile(NUMBER_PATTERN)
_DATE = re.compile(DATE_PATTERN)

Reading = tuple[Value | None, str | None]
"""A value read as a type: ``(value, None)``, ``(None, None)`` if missing, or
``(None, why)`` if present but unreadable."""


def is_missing(value: Any) -> bool:
    """True for ``None``, NaN, ``pd.NA``, ``NaT`` and blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip(BLANKS)
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pd.NA refuses to be a truth value
        return True


def _plain(value: Any) -> Any:
    """A numpy or pandas scalar as the plain Python value it holds."""
    if isinstance(value, Decimal):
        return float(value)
    if not isinstance(value, str | int | float | date) and hasattr(value, "item"):
        return value.item()
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip(BLANKS)
    if isinstance(value, datetime):
        return value.strftime(DATETIME_TEXT)
    return str(value)


def as_text(value: Any) -> str | None:
    """A value as the text that reads back as it does (``None`` if missing).

    ``coerce(as_text(v), t)`` equals ``coerce(v, t)`` for every type ``t``, so that a column
    of mixed Python values can be handed to SQL as text without changing any outcome.
    """
    if is_missing(value):
        return None
    return _text(_plain(value))


def coerce(value: Any, type_: Type) -> Reading:
    """Read ``value`` as a value of ``type_`` (the rules in the module docstring).

    Returns:
        ``(value, None)``; ``(None, None)`` when missing; ``(None, reason)`` when unreadable.
    """
    if is_missing(value):
        return None, None
    value = _plain(value)
    if isinstance(value, datetime) and type_.name not in ("string", "file"):
        value = value.date()  # pandas Timestamp included
    name = type_.name
    if name in ("string", "file"):
        return _text(value), None
    if name == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value), None
        if isinstance(value, str) and _NUMBER.fullmatch(text := value.strip(BLANKS)):
            return float(text), None
    elif name == "date":
        if isinstance(value, date):
            return value, None
        if isinstance(value, str) and _DATE.fullmatch(text := value.strip(BLANKS)):
            try:
                return date.fromisoformat(text[:10]), None
            except ValueError:
                return None, f"{value!r} is not a valid date"
    elif name == "boolean":
        if isinstance(value, bool):
            return value, None
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value), None
        if isinstance(value, str):
            word = value.strip(BLANKS).lower()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                return word in TRUE_WORDS, None
            if _NUMBER.fullmatch(word) and float(word) in (0, 1):
                return float(word) == 1, None
    return None, f"{value!r} cannot be read as a {name}"


# --------------------------------------------------------------------------- SQL

_INTEGER_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
)
_FLOAT_TYPES = ("FLOAT", "DOUBLE", "REAL")


def _sql_kind(sql_type: str) -> str:
    upper = sql_type.upper()
    if upper in _INTEGER_TYPES or upper.startswith("DECIMAL"):
        return "integer"
    if upper in _FLOAT_TYPES:
        return "float"
    if upper.startswith("TIMESTAMP") or upper == "DATETIME":
        return "timestamp"
    if upper in ("DATE", "BOOLEAN", "VARCHAR"):
        return upper.lower()
    return "other"


def column_sql(column: str, sql_type: str, type_: Type, bind: Binder) -> str:
    """SQL that reads a column of SQL type ``sql_type`` as ``type_``, like :func:`coerce`.

    Args:
        column: the column, already quoted as an identifier.
        sql_type: the column's DuckDB type (``VARCHAR``, ``BIGINT``, ``DATE`` ...).
        type_: the rule-language type wanted.
        bind: binds the constants the reading needs (patterns, words) as parameters.

    Returns:
        An SQL expression that is NULL where :func:`coerce` gives no value.
    """
    kind = _sql_kind(sql_type)
    if kind == "float":
        column = f"(CASE WHEN isnan({column}) THEN NULL ELSE {column} END)"
    if kind == "other":
        column, kind = f"CAST({column} AS VARCHAR)", "varchar"
    name = type_.name
    if kind == "varchar":
        return _text_sql(f"trim({column}, {bind(BLANKS)})", name, bind)
    if name in ("string", "file"):
        if kind == "timestamp":
            return f"strftime({column}, {bind(DATETIME_TEXT)})"
        if kind == "boolean":
            return f"(CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END)"
        return f"CAST({column} AS VARCHAR)"
    if name == "number" and kind in ("integer", "float"):
        return f"CAST({column} AS DOUBLE)"
    if name == "date" and kind == "date":
        return column
    if name == "date" and kind == "timestamp":
        return f"CAST({column} AS DATE)"
    if name == "boolean" and kind == "boolean":
        return column
    if name == "boolean" and kind in ("integer", "float"):
        return f"(CASE WHEN {column} = 1 THEN true WHEN {column} = 0 THEN false END)"
    return f"CAST(NULL AS {SQL_TYPES[name]})"


def _text_sql(trimmed: str, name: str, bind: Binder) -> str:
    """SQL reading trimmed text as the type called ``name``."""
    if name == "number":
        return (
            f"(CASE WHEN regexp_full_match({trimmed}, {bind(NUMBER_PATTERN)})"
            f" THEN TRY_CAST({trimmed} AS DOUBLE) END)"
        )
    if name == "date":
        return (
            f"(CASE WHEN regexp_full_match({trimmed}, {bind(DATE_PATTERN)})"
            f" THEN TRY_CAST(substr({trimmed}, 1, 10) AS DATE) END)"
        )
    if name == "boolean":
        lowered = f"lower({trimmed})"
        true_words = ", ".join(bind(w) for w in TRUE_WORDS)
        false_words = ", ".join(bind(w) for w in FALSE_WORDS)
        number = (
            f"(CASE WHEN regexp_full_match({trimmed}, {bind(NUMBER_PATTERN)})"
            f" THEN TRY_CAST({trimmed} AS DOUBLE) END)"
        )
        return (
            f"(CASE WHEN {lowered} IN ({true_words}) THEN true"
            f" WHEN {lowered} IN ({false_words}) THEN false"
            f" WHEN {number} = 1 THEN true WHEN {number} = 0 THEN false END)"
        )
    return f"nullif({trimmed}, '')"

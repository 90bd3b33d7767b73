"""The function table of the rule language: the only functions a rule can call.

Each :class:`Function` says how to type-check a call, how to compute it in Python and how to
write it in DuckDB SQL. The SQL builders receive the SQL of the already compiled arguments (which
are column references, bound parameters ``$n`` or other built-in expressions), so nothing from
the rule text ever reaches the SQL except through a bound parameter.

Unless a function says otherwise, it is *strict*: an unknown argument gives an unknown result.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from formmerge.rules.nodes import BOOLEAN, DATE, NUMBER, Type, Value

__all__ = [
    "FUNCTIONS",
    "REGION_PATTERN",
    "Binder",
    "Function",
    "add_months",
    "age_on",
    "region_prefix",
]

ArgType = Literal["string", "number", "boolean", "date", "any", "same"]

Binder = Callable[[Value], str]
"""Binds a constant as a query parameter and returns its placeholder (``$3``)."""

REGION_PATTERN = r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9})0*$"
"""An administrative division code (GB/T 2260, with 3+3 township and village digits) whose
significant prefix is the shortest of 2, 4, 6 or 9 digits followed by zeros only: ``420500``
(a city) covers ``4205xx``, ``420000`` (a province) ``42xxxx``."""

_REGION = re.compile(REGION_PATTERN)
_FIRST_GROUP = "\\1"  # the replacement that keeps the prefix


@dataclass(frozen=True)
class Function:
    """One function of the language.

    Attributes:
        name: the name rules call it by.
        params: the argument types; ``any`` accepts every type, ``same`` every type as long
            as all ``same`` arguments have one type.
        returns: the result type, or ``None`` for "the type of the ``same`` arguments".
        python: the Python implementation, called with known (non-``None``) arguments when the
            function is strict, with possibly unknown ones otherwise.
        sql: builds the SQL from the arguments' SQL and a binder for constants of its own.
        doc: one line for the documentation and for error messages.
        also: a second accepted list of argument types.
        variadic: the last parameter repeats (one or more arguments).
        strict: an unknown argument makes the result unknown.
        constant: the result depends on no value of the application (folded before evaluation).
    """

    name: str
    params: tuple[ArgType, ...]
    returns: Type | None
    python: Callable[..., Any]
    sql: Callable[[Sequence[str], Binder], str]
    doc: str
    also: tuple[ArgType, ...] | None = None
    variadic: bool = False
    strict: bool = True
    constant: bool = False

    @property
    def signature(self) -> str:
        """``name(type, ...) -> type`` for messages and documentation."""
        args = ", ".join(self.params) + (", ..." if self.variadic else "")
        returns = self.returns or self.params[0]
        return f"{self.name}({args}) -> {returns}"


def age_on(birth: date, on: date) -> float:
    """Completed years from ``birth`` to ``on`` (a person born on 29 February turns a year
    older on 1 March in common years)."""
    return float(on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)))


def add_months(start: date, months: float) -> date:
    """``start`` moved by whole ``months``; the day is clamped to the end of a shorter month."""
    index = start.month - 1 + int(months)
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def region_prefix(region: str) -> str:
    """The code prefix a region covers: ``420502`` → ``420502``, ``420500`` → ``4205``,
    ``420502001000`` → ``420502001``."""
    return _REGION.sub(_FIRST_GROUP, region)


def _make_date(*args: Any) -> date:
    if len(args) == 1:
        return date.fromisoformat(str(args[0]))
    year, month, day = (int(a) for a in args)
    if any(float(a) != int(a) for a in args):
        raise ValueError("date() needs whole numbers")
    return date(year, month, day)


def _count_true(*args: bool | None) -> float | None:
    if any(a is None for a in args):
        return None
    return float(sum(1 for a in args if a))


def _coalesce(*args: Value | None) -> Value | None:
    return next((a for a in args if a is not None), None)


def _age_sql(a: Sequence[str], bind: Binder) -> str:
    birth, on = a
    return (
        f"(year({on}) - year({birth}) - CASE WHEN month({on}) * 100 + day({on})"
        f" < month({birth}) * 100 + day({birth}) THEN 1 ELSE 0 END)"
    )


def _in_region_sql(a: Sequence[str], bind: Binder) -> str:
    prefix = f"regexp_replace({a[1]}, {bind(REGION_PATTERN)}, {bind(_FIRST_GROUP)})"
    return f"starts_with({a[0]}, {prefix})"


def _count_present_sql(a: Sequence[str], bind: Binder) -> str:
    return "(" + " + ".join(f"CASE WHEN {x} IS NULL THEN 0 ELSE 1 END" for x in a) + ")"


def _count_true_sql(a: Sequence[str], bind: Binder) -> str:
    unknown = " OR ".join(f"{x} IS NULL" for x in a)
    total = " + ".join(f"CASE WHEN {x} THEN 1 ELSE 0 END" for x in a)
    return f"(CASE WHEN {unknown} THEN NULL ELSE {total} END)"


def _in_calendar(date_sql: str) -> str:
    """NULL for a date beyond year 9999, which DuckDB can hold but Python cannot."""
    return f"(CASE WHEN year({date_sql}) BETWEEN 1 AND 9999 THEN {date_sql} END)"


def _whole(number_sql: str) -> str:
    """A number as a whole INTEGER, NULL if it does not fit (Python gives unknown too)."""
    return f"TRY_CAST(trunc({number_sql}) AS INTEGER)"


def _days_sql(a: Sequence[str], bind: Binder) -> str:
    return _in_calendar(f"({a[0]} + {_whole(a[1])})")


def _months_sql(a: Sequence[str], bind: Binder, factor: int = 1) -> str:
    months = _whole(a[1]) + (f" * {factor}" if factor != 1 else "")
    return _in_calendar(f"CAST({a[0]} + to_months({months}) AS DATE)")


_FUNCTIONS: tuple[Function, ...] = (
    Function(
        "age_on",
        ("date", "date"),
        NUMBER,
        age_on,
        _age_sql,
        "completed years from a birth date to a date: age_on(child.birth_date, date(2026, 8, 31))",
    ),
    Function(
        "years_between",
        ("date", "date"),
        NUMBER,
        age_on,
        _age_sql,
        "completed years from the first date to the second",
    ),
    Function(
        "days_between",
        ("date", "date"),
        NUMBER,
        lambda a, b: float((b - a).days),
        lambda a, bind: f"CAST(({a[1]} - {a[0]}) AS DOUBLE)",
        "days from the first date to the second (negative if the second is earlier)",
    ),
    Function(
        "add_days",
        ("date", "number"),
        DATE,
        lambda d, n: d + timedelta(days=int(n)),
        _days_sql,
        "the date moved by whole days",
    ),
    Function(
        "add_months",
        ("date", "number"),
        DATE,
        add_months,
        _months_sql,
        "the date moved by whole months, clamped to the month's end (31 Jan + 1 = 28/29 Feb)",
    ),
    Function(
        "add_years",
        ("date", "number"),
        DATE,
        lambda d, n: add_months(d, 12 * int(n)),
        lambda a, bind: _months_sql(a, bind, 12),
        "the date moved by whole years (29 Feb + 1 year = 28 Feb)",
    ),
    Function(
        "year",
        ("date",),
        NUMBER,
        lambda d: float(d.year),
        lambda a, bind: f"year({a[0]})",
        "the year of a date",
    ),
    Function(
        "month",
        ("date",),
        NUMBER,
        lambda d: float(d.month),
        lambda a, bind: f"month({a[0]})",
        "the month of a date, 1 to 12",
    ),
    Function(
        "day",
        ("date",),
        NUMBER,
        lambda d: float(d.day),
        lambda a, bind: f"day({a[0]})",
        "the day of the month of a date",
    ),
    Function(
        "date",
        ("number", "number", "number"),
        DATE,
        _make_date,
        lambda a, bind: f"make_date({a[0]}, {a[1]}, {a[2]})",
        'a date from year, month and day, or from "YYYY-MM-DD"; constant arguments only',
        also=("string",),
        constant=True,
    ),
    Function(
        "today",
        (),
        DATE,
        date.today,
        lambda a, bind: "current_date",
        "the date of evaluation (verify(..., as_of=...) sets it)",
        constant=True,
    ),
    Function(
        "in_region",
        ("string", "string"),
        BOOLEAN,
        lambda code, region: code.startswith(region_prefix(region)),
        _in_region_sql,
        'the region code lies in the region: in_region(applicant.hukou_region_code, "420500")',
    ),
    Function(
        "starts_with",
        ("string", "string"),
        BOOLEAN,
        lambda s, p: s.startswith(p),
        lambda a, bind: f"starts_with({a[0]}, {a[1]})",
        "the text starts with the prefix",
    ),
    Function(
        "contains",
        ("string", "string"),
        BOOLEAN,
        lambda s, p: p in s,
        lambda a, bind: f"contains({a[0]}, {a[1]})",
        "the text contains the other text",
    ),
    Function(
        "is_present",
        ("any",),
        BOOLEAN,
        lambda x: x is not None,
        lambda a, bind: f"({a[0]} IS NOT NULL)",
        "the value is known (never unknown itself)",
        strict=False,
    ),
    Function(
        "count_present",
        ("any",),
        NUMBER,
        lambda *xs: float(sum(1 for x in xs if x is not None)),
        _count_present_sql,
        "how many of the values are known (never unknown itself)",
        variadic=True,
        strict=False,
    ),
    Function(
        "count_true",
        ("boolean",),
        NUMBER,
        _count_true,
        _count_true_sql,
        "how many of the conditions hold; unknown if any of them is unknown",
        variadic=True,
        strict=False,
    ),
    Function(
        "coalesce",
        ("same",),
        None,
        _coalesce,
        lambda a, bind: f"coalesce({', '.join(a)})",
        "the first known value",
        variadic=True,
        strict=False,
    ),
)

FUNCTIONS: dict[str, Function] = {f.name: f for f in _FUNCTIONS}
"""Every function a rule may call, by name. Nothing outside this table is callable."""

"""Synthetic subjects for a rule set: a table to test and benchmark batch verification.

:func:`synthetic_subjects` draws, for every field the rules read, values around the
constants the rules compare that field with (so that conditions pass and fail in about equal
measure), plus unrelated values, missing ones and, on request, unreadable text. The values are
drawn from a small pool per field with numpy, so a million subjects take about a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from formmerge.rules.model import BoundRuleSet, RuleSet
from formmerge.rules.nodes import Constant, Expr, FieldRef, Type, children, field_refs

__all__ = [
    "DEFAULT_MISSING_RATE",
    "DEFAULT_POOL_SIZE",
    "DEFAULT_UNREADABLE_RATE",
    "ID_COLUMN",
    "synthetic_subjects",
]

DEFAULT_MISSING_RATE = 0.05
"""Share of values left missing, per field."""
DEFAULT_UNREADABLE_RATE = 0.01
"""Share of values replaced by text that cannot be read as the field's type (``as_text``)."""
DEFAULT_POOL_SIZE = 64
"""Distinct values drawn per field before they are spread over the subjects."""
ID_COLUMN = "subject_id"
"""The column that numbers the subjects."""

_EPOCH = date(1940, 1, 1)
_RECENT_DAYS = 365 * 15
_TEXT_POOL = 8  # unrelated text values per item, few enough that two roles' values often agree
_UNREADABLE = ("n/a", "unknown", "2026-02-30", "--", "1,5")


def _neighbours(node: Expr) -> Iterator[tuple[str, Any]]:
    """``(field id, constant)`` for every field compared with, or passed beside, a constant."""
    parts = list(children(node))
    fields = [p for p in parts if isinstance(p, FieldRef)]
    constants = [p.value for p in parts if isinstance(p, Constant)]
    for f in fields:
        for c in constants:
            yield f.field_id, c
    for p in parts:
        yield from _neighbours(p)


def _around(value: Any, rng: np.random.Generator) -> Any:
    """A value near ``value``, on either side of it."""
    if isinstance(value, tuple):
        return _around(value[int(rng.integers(len(value)))], rng) if value else None
    if isinstance(value, bool):
        return bool(rng.integers(2))
    if isinstance(value, float):
        return float(value + rng.integers(-5, 6))
    if isinstance(value, date):
        days = rng.integers(-60, 61) if rng.integers(2) else rng.integers(-365 * 12, 365)
        return value + timedelta(days=int(days))
    text = str(value)
    choice = int(rng.integers(4))
    if choice == 0:
        return text
    if choice == 1:
        return "湖北省宜昌市" + text + str(rng.integers(100))
    if choice == 2 and text:
        return text[:-1] + str(rng.integers(10))
    return text + str(rng.integers(10))


def _anything(t: Type, rng: np.random.Generator, as_of: date) -> Any:
    """An unrelated value of type ``t``: dates until a year after ``as_of``, half of them in
    the last fifteen years."""
    if t.name == "date":
        start = as_of - timedelta(days=_RECENT_DAYS) if rng.integers(2) else _EPOCH
        return start + timedelta(days=int(rng.integers((as_of - start).days + 365)))
    if t.name == "number":
        return float(rng.integers(0, 41))
    if t.name == "boolean":
        return bool(rng.integers(2))
    if t.codes:
        return sorted(t.codes)[int(rng.integers(len(t.codes)))]
    return f"{rng.integers(10**6):06d}"


def _pool(t: Type, near: list[Any], size: int, rng: np.random.Generator, as_of: date) -> list[Any]:
    pool = []
    for i in range(size):
        if near and i % 2 == 0:
            value = _around(near[i // 2 % len(near)], rng)
            if value is not None and not (t.name == "date" and not isinstance(value, date)):
                pool.append(value)
                continue
        pool.append(_anything(t, rng, as_of))
    return pool


def _column(
    t: Type, pool: list[Any], n: int, rng: np.random.Generator, missing: float, as_text: bool
) -> pd.Series:
    picks = rng.integers(len(pool), size=n)
    gone = rng.random(n) < missing
    if t.name == "date" and not as_text:
        stamps = pd.to_datetime(pd.Series([v.isoformat() for v in pool]))
        series = pd.Series(stamps.to_numpy()[picks])
        series[gone] = None
        return series
    if as_text or t.name in ("string", "file"):
        texts = np.array(
            [
                v.isoformat()
                if isinstance(v, date)
                else str(v).lower()
                if isinstance(v, bool)
                else f"{v:g}"
                if isinstance(v, float)
                else v
                for v in pool
            ],
            dtype=object,
        )
        values = texts[picks]
        values[gone] = None
        return pd.Series(values, dtype=object)
    if t.name == "boolean":
        series = pd.Series(np.array(pool, dtype=bool)[picks], dtype="boolean")
    else:
        series = pd.Series(np.array(pool, dtype=float)[picks])
    series[gone] = None
    return series


def synthetic_subjects(
    rules: RuleSet | BoundRuleSet,
    n: int,
    *,
    seed: int = 0,
    missing: float = DEFAULT_MISSING_RATE,
    unreadable: float = DEFAULT_UNREADABLE_RATE,
    as_text: bool = False,
    pool_size: int = DEFAULT_POOL_SIZE,
) -> pd.DataFrame:
    """A table of ``n`` synthetic subjects for the fields ``rules`` read.

    Args:
        rules: the rule set (bound with its defaults if it is not bound yet).
        n: how many subjects (rows).
        seed: the random seed; the same seed gives the same table.
        missing: the share of missing values per field.
        unreadable: with ``as_text``, the share of values that cannot be read as the field's
            type.
        as_text: every column as text (as a form or a CSV file gives it) instead of numbers,
            booleans and date-times.
        pool_size: distinct values per field.

    Returns:
        A DataFrame with :data:`ID_COLUMN` and one column per field id.
    """
    bound = rules if isinstance(rules, BoundRuleSet) else rules.bind()
    rng = np.random.default_rng(seed)
    near: dict[str, list[Any]] = {}
    for b in bound.rules:
        for field_id, constant in _neighbours(b.expression):
            near.setdefault(field_id, []).append(constant)
    refs = {r.field_id: r for b in bound.rules for r in field_refs(b.expression) if r.type}
    shared: dict[str, list[Any]] = {}  # one pool per item, so that roles' values can agree
    frame: dict[str, Any] = {ID_COLUMN: np.arange(n)}
    for field_id, ref in sorted(refs.items()):
        t = ref.type or Type("string")
        constants = near.get(field_id, [])
        if constants or t.name != "string" or t.codes:
            pool = _pool(t, constants, pool_size, rng, bound.as_of)
        else:
            pool = shared.setdefault(ref.item, _pool(t, [], _TEXT_POOL, rng, bound.as_of))
        column = _column(t, pool, n, rng, missing, as_text)
        if as_text and unreadable:
            junk = rng.random(n) < unreadable
            column[junk] = np.array(_UNREADABLE, dtype=object)[
                rng.integers(len(_UNREADABLE), size=int(junk.sum()))
            ]
        frame[field_id] = column
    return pd.DataFrame(frame)

"""Evaluation in Python: three-valued logic, the functions, reading values, explanations."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from formmerge.rules import parse_rules, verify
from formmerge.rules.functions import add_months, age_on, region_prefix
from formmerge.rules.nodes import BOOLEAN, DATE, FILE, NUMBER, STRING, Type
from formmerge.rules.values import coerce, is_missing

TRUTH = [True, False, None]


def _rules(*conditions: str, params: str = "") -> Any:
    rules = "\n".join(
        f"  - {{id: r{i}, condition: {c!r}, message: {{zh: 不符合, en: not met}}}}"
        for i, c in enumerate(conditions)
    )
    return parse_rules(f"id: t\n{params}rules:\n{rules}\n")


def _status(condition: str, values: dict[str, Any], **kwargs: Any) -> str:
    return verify(values, _rules(condition), **kwargs)[0].status


def _bool_value(v: bool | None) -> Any:
    return None if v is None else v


@pytest.mark.parametrize("a", TRUTH)
@pytest.mark.parametrize("b", TRUTH)
def test_kleene_and_or_not(a: bool | None, b: bool | None) -> None:
    values = {
        "abnormal_operation_listed@organization": _bool_value(a),
        "serious_dishonesty_listed@organization": _bool_value(b),
    }
    x, y = "organization.abnormal_operation_listed", "organization.serious_dishonesty_listed"
    expected_and = False if False in (a, b) else None if None in (a, b) else True
    expected_or = True if True in (a, b) else None if None in (a, b) else False
    name = {True: "pass", False: "fail", None: "unknown"}
    assert _status(f"{x} and {y}", values) == name[expected_and]
    assert _status(f"{x} or {y}", values) == name[expected_or]
    assert _status(f"not {x}", values) == name[None if a is None else not a]


@pytest.mark.parametrize(
    ("condition", "values", "status"),
    [
        ("applicant.pension_contribution_years >= 15", {}, "unknown"),
        (
            "applicant.pension_contribution_years >= 15",
            {"pension_contribution_years@applicant": 15},
            "pass",
        ),
        (
            "applicant.pension_contribution_years + 1 > 15",
            {"pension_contribution_years@applicant": 14.5},
            "pass",
        ),
        (
            "applicant.pension_contribution_years - 1 >= 15",
            {"pension_contribution_years@applicant": 15},
            "fail",
        ),
        (
            "-applicant.pension_contribution_years < 0",
            {"pension_contribution_years@applicant": 3},
            "pass",
        ),
        ('applicant.marital_status in ["20", "21"]', {"marital_status@applicant": "21"}, "pass"),
        (
            'applicant.marital_status not in ["20", "21"]',
            {"marital_status@applicant": "21"},
            "fail",
        ),
        ('applicant.marital_status not in ["20", "21"]', {}, "unknown"),
        ("is_present(applicant.marital_status)", {}, "fail"),
        ("is_present(applicant.marital_status)", {"marital_status@applicant": " "}, "fail"),
        ("is_present(applicant.photo)", {"photo@applicant": "scan.png"}, "pass"),
        (
            "count_present(father.citizen_id, mother.citizen_id) == 1",
            {"citizen_id@mother": "x"},
            "pass",
        ),
        ("count_true(father.age > 20, mother.age > 20) >= 1", {"age@father": 30}, "unknown"),
        (
            "count_true(father.age > 20, mother.age > 20) == 1",
            {"age@father": 30, "age@mother": 1},
            "pass",
        ),
        ("coalesce(father.age, mother.age) == 30", {"age@mother": 30}, "pass"),
        ("coalesce(father.age, mother.age) == 30", {}, "unknown"),
        (
            'in_region(applicant.hukou_region_code, "420500")',
            {"hukou_region_code@applicant": "420502"},
            "pass",
        ),
        (
            'in_region(applicant.hukou_region_code, "420502")',
            {"hukou_region_code@applicant": "420503"},
            "fail",
        ),
        (
            'in_region(applicant.hukou_region_code, "420000")',
            {"hukou_region_code@applicant": "421003"},
            "pass",
        ),
        (
            'starts_with(applicant.hukou_region_code, "42")',
            {"hukou_region_code@applicant": "110101"},
            "fail",
        ),
        (
            'contains(applicant.hukou_address, "西陵区")',
            {"hukou_address@applicant": "宜昌市西陵区x"},
            "pass",
        ),
        ("child.birth_date < today()", {"birth_date@child": "2026-01-01"}, "pass"),
        (
            "year(child.birth_date) == 2019 and month(child.birth_date) == 9"
            " and day(child.birth_date) == 1",
            {"birth_date@child": "2019-09-01"},
            "pass",
        ),
        (
            "days_between(child.birth_date, today()) == 30",
            {"birth_date@child": "2026-05-02"},
            "pass",
        ),
        (
            'add_days(child.birth_date, 30) == date("2026-06-01")',
            {"birth_date@child": "2026-05-02"},
            "pass",
        ),
        (
            'add_months(child.birth_date, 1) == date("2024-02-29")',
            {"birth_date@child": "2024-01-31"},
            "pass",
        ),
        (
            'add_years(child.birth_date, 1) == date("2025-02-28")',
            {"birth_date@child": "2024-02-29"},
            "pass",
        ),
        (
            "years_between(child.birth_date, today()) == 6",
            {"birth_date@child": "2020-06-01"},
            "pass",
        ),
        ("child.birth_date == child.birth_date", {"birth_date@child": "not a date"}, "unknown"),
    ],
)
def test_conditions(condition: str, values: dict[str, Any], status: str) -> None:
    assert _status(condition, values, as_of=date(2026, 6, 1)) == status


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2020, 8, 31), date(2026, 8, 31), 6),
        (date(2020, 9, 1), date(2026, 8, 31), 5),
        (date(2020, 2, 29), date(2026, 2, 28), 5),
        (date(2020, 2, 29), date(2026, 3, 1), 6),
        (date(2020, 2, 29), date(2024, 2, 29), 4),
        (date(2026, 1, 1), date(2025, 12, 31), -1),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@pytest.mark.parametrize(
    ("start", "months", "result"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2024, 1, 15), -13, date(2022, 12, 15)),
        (date(2024, 5, 1), 2.9, date(2024, 7, 1)),
    ],
)
def test_add_months(start: date, months: float, result: date) -> None:
    assert add_months(start, months) == result


@pytest.mark.parametrize(
    ("region", "prefix"),
    [("420502", "420502"), ("420500", "4205"), ("420000", "42"), ("420502001000", "420502001")],
)
def test_region_prefix(region: str, prefix: str) -> None:
    assert region_prefix(region) == prefix


_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(_DATES, _DATES)
def test_age_is_completed_years(birth: date, on: date) -> None:
    age = age_on(birth, on)
    if on >= birth:
        assert age >= 0
        assert add_months(birth, 12 * age) <= on
        assert add_months(birth, 12 * (age + 1)) > on or (birth.month, birth.day) == (2, 29)


# --------------------------------------------------------------------------- reading values


@pytest.mark.parametrize(
    ("value", "type_", "read", "unreadable"),
    [
        (None, STRING, None, False),
        ("  ", STRING, None, False),
        ("\u3000张三 ", STRING, "张三", False),
        (420502, STRING, "420502", False),
        (True, STRING, "true", False),
        (date(2026, 1, 2), STRING, "2026-01-02", False),
        (float("nan"), NUMBER, None, False),
        (pd.NA, NUMBER, None, False),
        (pd.NaT, DATE, None, False),
        ("15", NUMBER, 15.0, False),
        (" 1.5e1 ", NUMBER, 15.0, False),
        (np.int64(15), NUMBER, 15.0, False),
        (Decimal("15.5"), NUMBER, 15.5, False),
        ("15年", NUMBER, None, True),
        ("1_000", NUMBER, None, True),
        (True, NUMBER, None, True),
        ("2026-05-16", DATE, date(2026, 5, 16), False),
        ("2026-05-16T08:30:00", DATE, date(2026, 5, 16), False),
        ("2026-05-16 08:30", DATE, date(2026, 5, 16), False),
        (datetime(2026, 5, 16, 8, 30), DATE, date(2026, 5, 16), False),
        (pd.Timestamp("2026-05-16"), DATE, date(2026, 5, 16), False),
        ("2026-02-30", DATE, None, True),
        ("20260516", DATE, None, True),
        ("2026年5月16日", DATE, None, True),
        (15, DATE, None, True),
        (True, BOOLEAN, True, False),
        (np.bool_(False), BOOLEAN, False, False),
        (0, BOOLEAN, False, False),
        (1.0, BOOLEAN, True, False),
        (2, BOOLEAN, None, True),
        ("是", BOOLEAN, True, False),
        (" No ", BOOLEAN, False, False),
        ("maybe", BOOLEAN, None, True),
        ("scan.pdf", FILE, "scan.pdf", False),
    ],
)
def test_coerce(value: Any, type_: Type, read: Any, unreadable: bool) -> None:
    got, why = coerce(value, type_)
    assert got == read
    assert (why is not None) == unreadable


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, pd.NaT, "", " \t", np.float64("nan")])
def test_missing_values(value: Any) -> None:
    assert is_missing(value)


# --------------------------------------------------------------------------- outcomes


def test_outcome_explains_a_failure_with_the_values_compared() -> None:
    rules = _rules(
        "age_on(child.birth_date, date(year, 8, 31)) >= 6 and is_present(child.citizen_id)",
        params="params: {year: 2026}\n",
    )
    [outcome] = verify({"birth_date@child": "2020-09-01", "citizen_id@child": "x"}, rules)
    assert outcome.status == "fail"
    assert outcome.reason == ('age_on(child.birth_date, date("2026-08-31")) >= 6 is false (5 >= 6)')
    assert outcome.used == {
        "birth_date@child": (date(2020, 9, 1), None),
        "citizen_id@child": ("x", None),
    }
    assert (outcome.message_zh, outcome.message_en) == ("不符合", "not met")


def test_outcome_names_missing_and_unreadable_data() -> None:
    rules = _rules("child.birth_date < today() and applicant.pension_contribution_years > 1")
    [outcome] = verify({"pension_contribution_years@applicant": "many"}, rules)
    assert outcome.status == "unknown"
    assert "missing: birth_date@child" in outcome.reason
    assert (
        "unreadable: pension_contribution_years@applicant: 'many' cannot be read" in outcome.reason
    )
    assert outcome.used["pension_contribution_years@applicant"] == ("many", None)


def test_false_beats_unknown_in_a_conjunction() -> None:
    rules = _rules("child.birth_date < today() and applicant.pension_contribution_years > 20")
    [outcome] = verify({"pension_contribution_years@applicant": 3}, rules)
    assert outcome.status == "fail"
    assert outcome.reason == "applicant.pension_contribution_years > 20 is false (3 > 20)"

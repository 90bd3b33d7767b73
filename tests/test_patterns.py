"""Form patterns matched against applicant input within a time limit."""

from __future__ import annotations

import time

import pytest

from formmerge.errors import Location
from formmerge.patterns import pattern_problem

WHERE = Location(form="a", field="code")


@pytest.mark.parametrize(
    ("pattern", "value", "code"),
    [
        (r"^\d{6}$", "443000", None),
        (r"^\d{6}$", "44300", "pattern-mismatch"),
        ("^(a+)+$", "a" * 29 + "!", "pattern-mismatch"),
        ("(", "x", "invalid-pattern"),
    ],
)
def test_pattern_outcomes(pattern: str, value: str, code: str | None) -> None:
    problem = pattern_problem(pattern, value, WHERE)
    assert (problem.code if problem else None) == code
    if problem is not None:
        assert problem.location == WHERE


def test_a_match_that_runs_out_of_time_is_a_problem_not_a_hang() -> None:
    timeout = 0.05
    started = time.perf_counter()
    problem = pattern_problem("(a|aa)+$", "a" * 60 + "!", WHERE, timeout=timeout)
    assert time.perf_counter() - started < timeout + 1
    assert problem is not None and problem.code == "pattern-timeout"

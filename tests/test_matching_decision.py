"""The decision step on its own: default roles and statuses from score and lead."""

from __future__ import annotations

import pytest

from formmerge.catalog import load_catalog
from formmerge.matching import FieldMatcher
from formmerge.matching.decision import default_role


@pytest.mark.parametrize(
    ("subject", "form_default", "roles", "expected"),
    [
        ("person", None, ("applicant", "spouse"), "applicant"),
        ("organization", None, ("applicant", "organization"), "organization"),
        ("organization", None, ("applicant",), "applicant"),
        ("person", "child", ("applicant", "child"), "child"),
        ("person", "child", ("organization",), "organization"),
    ],
)
def test_default_role(
    subject: str, form_default: str | None, roles: tuple[str, ...], expected: str
) -> None:
    assert default_role(subject, form_default, roles) == expected


@pytest.mark.parametrize(
    ("score", "margin", "expected"),
    [
        (0.95, 0.2, "matched"),
        (0.95, 0.01, "review"),
        (0.8, 0.2, "review"),
        (0.5, 0.5, "unmatched"),
    ],
)
def test_status_from_score_and_lead(score: float, margin: float, expected: str) -> None:
    decider = FieldMatcher(load_catalog()).decider
    assert decider.status(score, margin) == expected

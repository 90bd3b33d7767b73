"""The report's inputs from other parts of formmerge: source coverage and the critical path."""

from __future__ import annotations

from collections.abc import Sequence

from formmerge.models import Form
from formmerge.ordering import critical_path
from formmerge.report.coverage import SourceCoverage

__all__ = ["critical_path_days", "default_coverage"]


def default_coverage() -> SourceCoverage:
    """The verified sources of the demo source configuration, per item."""
    return SourceCoverage(name="demo")


def critical_path_days(forms: Sequence[Form]) -> tuple[float, list[str]]:
    """Working days along the critical path of the forms' dependencies, and that path.

    Raises:
        BundleError: the forms depend on each other in a cycle.
    """
    days, chain = critical_path(forms)
    return float(days), chain

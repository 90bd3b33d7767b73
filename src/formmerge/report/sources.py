"""The report's inputs from other parts of formmerge: source coverage and the critical path."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from formmerge.models import Catalog, Form
from formmerge.ordering import critical_path
from formmerge.prefill.config import SourceConfig
from formmerge.prefill.loading import load_sources
from formmerge.report.coverage import SourceCoverage

__all__ = ["coverage_of", "critical_path_days", "default_coverage"]

DEMO_COVERAGE_NAME = "demo"
"""How reports name the demo source configuration."""


def coverage_of(
    sources: SourceConfig | SourceCoverage | str | Path | None, catalog: Catalog | None = None
) -> SourceCoverage:
    """The static coverage of a source configuration (a file, a loaded one, or a coverage).

    None gives the demo source configuration shipped with formmerge.
    """
    if isinstance(sources, SourceCoverage):
        return sources
    if sources is None:
        return default_coverage()
    config = load_sources(sources, catalog=catalog)
    # the file's name with its suffix: an explicit demo.yaml is not the built-in "demo"
    name = Path(config.source_file).name if config.source_file else "sources"
    return SourceCoverage.from_config(config, name=name)


@cache
def default_coverage() -> SourceCoverage:
    """The verified sources of the demo source configuration."""
    return SourceCoverage.from_config(load_sources(), name=DEMO_COVERAGE_NAME)


def critical_path_days(forms: Sequence[Form]) -> tuple[float, list[str]]:
    """Working days along the critical path of the forms' dependencies, and that path.

    Raises:
        BundleError: the forms depend on each other in a cycle.
    """
    days, chain = critical_path(forms)
    return float(days), chain

"""Reduction reports: fields, materials, applications, steps, trips and days, before and after.

:func:`bundle_report` reports one bundle and :func:`portfolio_report` many; both return
objects whose pandas DataFrames are the primary API and that write CSV, JSON, Markdown and a
self-contained HTML page, in Chinese by default or English; ``to_xlsx`` writes one worksheet per
table. :func:`cohort_report` batch-prefills a cohort and reports typed fields per subject.
:func:`to_png` screenshots the page (any length) and :func:`to_pdf` prints it, with headless
Chromium.
"""

from typing import TYPE_CHECKING

from formmerge._lazy import lazy_exports

if TYPE_CHECKING:
    from formmerge.report.browser import find_chromium, to_pdf, to_png
    from formmerge.report.cohort import CohortReport, cohort_report
    from formmerge.report.coverage import PrefillResult, RoleLink, SourceCoverage
    from formmerge.report.metrics import METRICS, BundleReport, bundle_report, change_pct
    from formmerge.report.portfolio import PortfolioReport, portfolio_report

_HOMES = {
    "find_chromium": "formmerge.report.browser",
    "to_png": "formmerge.report.browser",
    "to_pdf": "formmerge.report.browser",
    "CohortReport": "formmerge.report.cohort",
    "cohort_report": "formmerge.report.cohort",
    "PrefillResult": "formmerge.report.coverage",
    "RoleLink": "formmerge.report.coverage",
    "SourceCoverage": "formmerge.report.coverage",
    "METRICS": "formmerge.report.metrics",
    "BundleReport": "formmerge.report.metrics",
    "bundle_report": "formmerge.report.metrics",
    "change_pct": "formmerge.report.metrics",
    "PortfolioReport": "formmerge.report.portfolio",
    "portfolio_report": "formmerge.report.portfolio",
}
"""Where each public name lives; the report stack (pandas, jinja2) is imported on first use."""

__all__ = [
    "METRICS",
    "BundleReport",
    "CohortReport",
    "PortfolioReport",
    "PrefillResult",
    "RoleLink",
    "SourceCoverage",
    "bundle_report",
    "change_pct",
    "cohort_report",
    "find_chromium",
    "portfolio_report",
    "to_pdf",
    "to_png",
]

__getattr__, __dir__ = lazy_exports(__name__, globals(), _HOMES, __all__)

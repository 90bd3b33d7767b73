"""Reduction reports: fields, materials, applications, steps, trips and days, before and after.

:func:`bundle_report` reports one bundle and :func:`portfolio_report` many; both return
objects whose pandas DataFrames are the primary API and that write CSV, JSON, Markdown and a
self-contained HTML page, in Chinese by default or English; ``to_xlsx`` writes one worksheet per
table. :func:`cohort_report` batch-prefills a cohort and reports typed fields per subject.
:func:`to_png` screenshots the page (any length) and :func:`to_pdf` prints it, with headless
Chromium.
"""

from formmerge.report.browser import find_chromium, to_pdf, to_png
from formmerge.report.cohort import CohortReport, cohort_report
from formmerge.report.coverage import PrefillResult, RoleLink, SourceCoverage
from formmerge.report.metrics import METRICS, BundleReport, bundle_report, change_pct
from formmerge.report.portfolio import PortfolioReport, portfolio_report

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

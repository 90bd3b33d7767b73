"""Reduction reports: fields, materials, applications, steps, trips and days, before and after.

:func:`bundle_report` reports one bundle and :func:`portfolio_report` many; both return
objects whose pandas DataFrames are the primary API and that write CSV, JSON, Markdown and a
self-contained HTML page. :func:`to_png` screenshots that page with headless Chromium.
"""

from formmerge.report.browser import find_chromium, to_png
from formmerge.report.coverage import PrefillResult, RoleLink, SourceCoverage
from formmerge.report.metrics import METRICS, BundleReport, bundle_report, change_pct
from formmerge.report.portfolio import PortfolioReport, portfolio_report

__all__ = [
    "METRICS",
    "BundleReport",
    "PortfolioReport",
    "PrefillResult",
    "RoleLink",
    "SourceCoverage",
    "bundle_report",
    "change_pct",
    "find_chromium",
    "portfolio_report",
    "to_png",
]

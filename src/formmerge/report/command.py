"""The ``formmerge report`` subcommand: report bundles and write the chosen outputs.

::

    formmerge report BUNDLE_DIR... [--html report.html] [--csv DIR] [--json F] [--markdown F]
                                   [--png F] [--title TEXT]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from formmerge.report.metrics import BundleReport
    from formmerge.report.portfolio import PortfolioReport

__all__ = ["register_report_command", "run_report"]

console = Console()


def register_report_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``report`` subcommand to the ``formmerge`` parser's subparsers."""
    p = sub.add_parser(
        "report",
        help="reduction report of bundles: fields, materials, steps, trips and days",
        description="Report what merging and prefill save in one or more bundles.",
    )
    p.add_argument("bundles", nargs="+", metavar="BUNDLE_DIR", help="bundle directories")
    p.add_argument("--html", metavar="FILE", help="write the self-contained HTML report")
    p.add_argument("--csv", metavar="DIR", help="write every table as CSV into DIR")
    p.add_argument("--json", metavar="FILE", help="write every table as JSON")
    p.add_argument("--markdown", metavar="FILE", help="write the report as Markdown")
    p.add_argument("--png", metavar="FILE", help="screenshot the HTML report (needs Chromium)")
    p.add_argument("--title", default="", help="title of the HTML report")
    p.set_defaults(handler=run_report)


def _summary_table(report: BundleReport | PortfolioReport, title: str) -> Table:
    from formmerge.report.render import format_cell

    table = Table(title=title)
    for column in ("metric", "before", "after merge", "after prefill", "after", "change %"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for _, row in report.summary.iterrows():
        table.add_row(
            str(row["metric"]),
            *(format_cell(c, row[c]) for c in ("before", "after_merge", "after_prefill", "after")),
            format_cell("change_pct", row["change_pct"]),
        )
    return table


def run_report(args: argparse.Namespace) -> int:
    """Report the bundles named on the command line and write the requested outputs."""
    # The report stack (pandas, jinja2) is imported here, not when the parser is built.
    from formmerge.bundle import load_bundle
    from formmerge.report.browser import to_png
    from formmerge.report.metrics import bundle_report
    from formmerge.report.portfolio import PortfolioReport, portfolio_report

    bundles = [load_bundle(path) for path in args.bundles]
    report: BundleReport | PortfolioReport
    if len(bundles) == 1:
        report = bundle_report(bundles[0])
        title = args.title or report.title
    else:
        report = portfolio_report(bundles)
        title = args.title or f"Reduction report: {len(bundles)} bundles"
    console.print(_summary_table(report, title))
    written: list[Any] = []
    if args.csv:
        written += report.to_csv(args.csv)
    if args.json:
        written.append(report.to_json(args.json))
    if args.markdown:
        Path(args.markdown).write_text(report.to_markdown(), encoding="utf-8")
        written.append(args.markdown)
    html = args.html
    with tempfile.TemporaryDirectory(prefix="formmerge-report-") as scratch:
        if args.png and not html:
            html = str(Path(scratch) / "report.html")
        if html:
            if isinstance(report, PortfolioReport):
                report.to_html(html, title=title)
            else:
                report.to_html(html)
            if args.html:
                written.append(html)
        if args.png:
            written.append(to_png(html, args.png))
    for path in written:
        console.print(f"wrote {path}")
    return 0

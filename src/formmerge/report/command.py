"""The ``formmerge report`` subcommand: report bundles and write the chosen outputs.

::

    formmerge report BUNDLE_DIR... [--lang zh|en] [--sources CONFIG] [--registers DB]
                                   [--cohort NAME|FILE] [--html F] [--xlsx F] [--csv DIR]
                                   [--csv-headers words|ids] [--json F] [--markdown F]
                                   [--png F] [--pdf F]
                                   [--charts DIR] [--title TEXT]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from formmerge.errors import FormmergeError

if TYPE_CHECKING:
    from formmerge.bundle import Bundle
    from formmerge.report.cohort import CohortReport
    from formmerge.report.metrics import BundleReport
    from formmerge.report.portfolio import PortfolioReport

__all__ = ["register_report_command", "run_report"]

console = Console()


def register_report_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``report`` subcommand to the ``formmerge`` parser's subparsers."""
    from formmerge.report.cohort_queries import COHORT_QUERIES
    from formmerge.report.messages import LANGUAGES

    p = sub.add_parser(
        "report",
        help="reduction report of bundles: fields, materials, steps, trips and days",
        description="Report what merging and prefill save in one or more bundles.",
    )
    p.add_argument("bundles", nargs="+", metavar="BUNDLE_DIR", help="bundle directories")
    from formmerge.cli import _binding_options  # deferred: the CLI registers this command

    _binding_options(p, "default: every role is its own person")
    p.add_argument(
        "--lang", default="zh", choices=LANGUAGES, help="language of the report (default: zh)"
    )
    p.add_argument(
        "--sources",
        metavar="CONFIG",
        help="source configuration of the registers (default: the demo configuration, "
        "which the report then names as its basis)",
    )
    p.add_argument(
        "--registers",
        metavar="DB",
        help="DuckDB registers for --cohort (default: the configuration's `database`)",
    )
    p.add_argument(
        "--cohort",
        metavar="NAME|FILE",
        help="batch-prefill a cohort and report typed fields per subject: a file of subject "
        f"keys (one per line, or a CSV of role keys) or one of {', '.join(COHORT_QUERIES)}",
    )
    p.add_argument("--html", metavar="FILE", help="write the self-contained HTML report")
    p.add_argument("--xlsx", metavar="FILE", help="write every table as a sheet of a workbook")
    p.add_argument("--csv", metavar="DIR", help="write every table as CSV into DIR")
    p.add_argument(
        "--csv-headers",
        choices=("words", "ids"),
        default="words",
        help="CSV column headers: words in --lang (default) or the identifiers, for programs",
    )
    p.add_argument("--json", metavar="FILE", help="write every table as JSON")
    p.add_argument("--markdown", metavar="FILE", help="write the report as Markdown")
    p.add_argument("--png", metavar="FILE", help="screenshot the HTML report (needs Chromium)")
    p.add_argument("--pdf", metavar="FILE", help="print the HTML report to PDF (needs Chromium)")
    p.add_argument(
        "--charts", metavar="DIR", help="write the cohort histograms as SVG and PNG into DIR"
    )
    p.add_argument("--title", default="", help="title of the HTML report")
    p.set_defaults(handler=run_report)


def _summary_table(report: BundleReport | PortfolioReport, title: str, lang: str) -> Table:
    from formmerge.report.messages import header, metric_name
    from formmerge.report.render import format_cell

    table = Table(title=title)
    columns = ("metric", "before", "after_merge", "after_prefill", "after", "change_pct")
    for column in columns:
        table.add_column(header(column, lang), justify="left" if column == "metric" else "right")
    for _, row in report.summary.iterrows():
        table.add_row(
            metric_name(str(row["metric"]), lang),
            *(format_cell(c, row[c], lang) for c in columns[1:]),
        )
    return table


def _cohort_table(cohort: CohortReport, lang: str) -> Table:
    from formmerge.report.messages import cohort_label, header, text
    from formmerge.report.render import format_cell

    table = Table(title=text("cohort", lang, name=cohort_label(cohort.cohort, lang)))
    table.add_column(header("statistic", lang))
    table.add_column(header("value", lang), justify="right")
    for _, row in cohort.display_statistics(lang).iterrows():
        table.add_row(str(row["statistic"]), format_cell("value", row["value"], lang))
    return table


def _cohorts(
    args: argparse.Namespace,
    bundles: list[Bundle],
    reports: list[BundleReport],
    binding: dict[str, str] | None = None,
) -> list[CohortReport]:
    from formmerge.catalog import load_catalog
    from formmerge.errors import Problem
    from formmerge.report.cohort import cohort_report, cohort_subjects

    if not args.cohort:
        return []
    catalog = load_catalog()
    registers = args.registers
    if registers is None:
        from formmerge.prefill import load_sources

        configured = load_sources(args.sources, catalog=catalog).database_path()
        if configured is None:
            raise FormmergeError(
                "--cohort needs registers to read: pass --registers DB or set `database` in "
                "the source configuration (formmerge demo-data writes demo registers)",
                [Problem("no-registers", "no DuckDB file for the cohort")],
            )
        registers = str(configured)
    name, subjects = cohort_subjects(args.cohort, registers)
    from formmerge.merging import merge_bundle

    return [
        cohort_report(
            bundle,
            subjects,
            registers=registers,
            sources=args.sources,
            static=report,
            merged=merge_bundle(bundle, catalog, binding=binding) if binding else None,
            cohort=name,
            catalog=catalog,
        )
        for bundle, report in zip(bundles, reports, strict=True)
    ]


def _sheets(
    report: BundleReport | PortfolioReport, cohorts: list[CohortReport], lang: str
) -> dict[str, Any]:
    """The workbook's tables: the report's, then each cohort's (after its bundle's)."""
    from formmerge.report.portfolio import PortfolioReport

    sheets = report.sheets(lang)
    for cohort in cohorts:
        prefix = f"{cohort.bundle}." if isinstance(report, PortfolioReport) else ""
        tables = {**cohort.tables(), "cohort_statistics": cohort.display_statistics(lang)}
        sheets |= {f"{prefix}{k}": v for k, v in tables.items()}
    return sheets


def run_report(args: argparse.Namespace) -> int:
    """Report the bundles named on the command line and write the requested outputs."""
    from formmerge.bundle import load_bundle
    from formmerge.report.browser import svg_to_png, to_pdf, to_png
    from formmerge.report.messages import check_language, cohort_label, text
    from formmerge.report.metrics import bundle_report
    from formmerge.report.notes import DEMO_BASIS, basis_text
    from formmerge.report.portfolio import PortfolioReport, portfolio_report
    from formmerge.report.render import (
        column_headers,
        html_report,
        markdown_table,
        records,
        write_csv,
        write_json,
    )
    from formmerge.report.workbook import write_xlsx

    lang = check_language(args.lang)
    bundles = [load_bundle(path) for path in args.bundles]
    from formmerge.cli import _binding_of  # deferred: the CLI registers this command

    binding = _binding_of(args) if (args.as_role or args.bind) else None
    reports = [bundle_report(b, sources=args.sources, binding=binding) for b in bundles]
    report: BundleReport | PortfolioReport
    if len(bundles) == 1:
        report = reports[0]
        title = args.title or report.title
    else:
        report = portfolio_report(reports)
        reports = list(report.reports)
        title = (
            args.title or f"{text('report', lang)}: {text('bundles_count', lang, n=len(bundles))}"
        )
    basis = reports[0].basis
    console.print(_summary_table(report, title, lang))
    console.print(basis_text(basis, lang), style="yellow" if basis == DEMO_BASIS else "")
    cohorts = _cohorts(args, bundles, reports, binding)
    for cohort in cohorts:
        console.print(_cohort_table(cohort, lang))
    written: list[Any] = []
    if args.csv:
        csv_lang = lang if args.csv_headers == "words" else None
        written += report.to_csv(args.csv, lang=csv_lang)
        for cohort in cohorts:
            tables = {f"{cohort.bundle}.{k}": v for k, v in cohort.tables().items()}
            written += write_csv(tables, args.csv, lang=csv_lang)
    if args.json:
        data = report.to_dict()
        frames = [*report.tables().values(), *(f for r in reports for f in r.tables().values())]
        frames += [f for c in cohorts for f in c.tables().values()]
        data["headers"] = column_headers(frames, lang)
        if cohorts:
            data["cohorts"] = [
                {"bundle": c.bundle, "cohort": c.cohort, "sources": c.sources}
                | {k: records(v) for k, v in c.tables().items()}
                for c in cohorts
            ]
        written.append(write_json(data, args.json))
    if args.xlsx:
        written.append(write_xlsx(_sheets(report, cohorts, lang), args.xlsx, lang=lang))
    if args.markdown:
        parts = [report.to_markdown(lang=lang)]
        for cohort in cohorts:
            heading = text("cohort", lang, name=cohort_label(cohort.cohort, lang))
            parts.append(f"## {heading} ({cohort.bundle})\n")
            parts.append(markdown_table(cohort.display_statistics(lang), lang=lang))
            parts.append(markdown_table(cohort.histogram, lang=lang))
        Path(args.markdown).write_text("\n".join(parts), encoding="utf-8")
        written.append(args.markdown)
    if args.charts:
        out = Path(args.charts)
        out.mkdir(parents=True, exist_ok=True)
        for cohort in cohorts:
            path = out / f"{cohort.bundle}.cohort.svg"
            path.write_text(cohort.histogram_svg(lang), encoding="utf-8")
            written += [path, svg_to_png(path, path.with_suffix(".png"))]
    html = args.html
    extra = {c.bundle: [c.section(lang)] for c in cohorts}
    with tempfile.TemporaryDirectory(prefix="formmerge-report-") as scratch:
        if (args.png or args.pdf) and not html:
            html = str(Path(scratch) / "report.html")
        if html:
            portfolio = report if isinstance(report, PortfolioReport) else None
            html_report(reports, html, portfolio=portfolio, title=title, lang=lang, extra=extra)
            if args.html:
                written.append(html)
        if args.png:
            written.append(to_png(html, args.png))
        if args.pdf:
            written.append(to_pdf(html, args.pdf))
    for path in written:
        console.print(text("wrote", lang, path=path))
    return 0

"""Write reports out: CSV, JSON, Markdown and a self-contained HTML page.

The HTML page inlines its CSS and draws its charts as inline SVG (:mod:`.charts`); its only
script sorts tables on a header click and records the page height for screenshots. It loads
nothing from the network, so it opens offline and can be mailed as one file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from formmerge.report.charts import Series, bar_chart

if TYPE_CHECKING:
    from formmerge.report.metrics import BundleReport
    from formmerge.report.portfolio import PortfolioReport

__all__ = [
    "TEMPLATE",
    "bundle_markdown",
    "format_cell",
    "html_report",
    "markdown_table",
    "portfolio_markdown",
    "records",
    "write_csv",
    "write_json",
]

TEMPLATE = "report.html.j2"
"""The HTML template, shipped in ``formmerge/report/templates``."""

CSV_FLOAT_FORMAT = "%g"
"""Counts are written as ``64``, not ``64.0``; half days as ``0.5``."""

HEADLINE_METRICS: tuple[str, ...] = ("fields", "materials", "steps", "trips", "days")
"""The metrics shown as headline figures above each summary."""

GRID_CHART_WIDTH = 560
"""Width of the charts shown two to a row."""

WRAP_COLUMNS: frozenset[str] = frozenset(
    {
        "description",
        "title",
        "label",
        "labels",
        "fields",
        "roles",
        "name",
        "merged_name",
        "evidences",
        "eliminated_by",
        "not_covered",
        "holders",
        "prefill_sources",
        "matter",
        "department",
    }
)
"""Text columns that may wrap in HTML tables; all others stay on one line."""

TALL_ROWS = 25
"""Tables longer than this scroll inside a box in the HTML page."""

MARKDOWN_MATERIAL_COLUMNS: tuple[str, ...] = (
    "form",
    "name",
    "kind",
    "merged_into",
    "eliminated",
    "eliminated_by",
    "not_covered",
)
MARKDOWN_FORM_COLUMNS: tuple[str, ...] = (
    "form",
    "department",
    "fields_before",
    "fields_after_merge",
    "fields_typed",
    "materials_before",
    "materials_after_merge",
    "materials_after_prefill",
    "steps_before",
    "trips_before",
    "days_before",
)


# --------------------------------------------------------------------------- plain data


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records: NaN becomes None, numpy scalars Python ones."""
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def write_csv(tables: Mapping[str, pd.DataFrame], directory: str | Path) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8 with BOM, so spreadsheets read Chinese)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, encoding="utf-8-sig", float_format=CSV_FLOAT_FORMAT)
        paths.append(path)
    return paths


def write_json(data: Any, path: str | Path) -> Path:
    """Write ``data`` as indented UTF-8 JSON; returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


# --------------------------------------------------------------------------- cells


def format_cell(column: str, value: Any) -> str:
    """A cell as text: ``-`` for missing, counts without decimals, signed percentages."""
    value = _plain(value)
    if value is None or value == "":
        return "-" if value is None else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if column.endswith("change_pct"):
            return f"{value:+.1f}%".replace("-", "\u2212")
        if column == "change":
            return f"{value:+g}".replace("-", "\u2212")
        return f"{value:g}"
    return str(value)


def _is_number(frame: pd.DataFrame, column: str) -> bool:
    return pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
        frame[column]
    )


def markdown_table(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> str:
    """A DataFrame as a GitHub-flavoured Markdown table (numbers right-aligned)."""
    cols = list(columns or frame.columns)
    if frame.empty:
        return "_none_\n"
    head = "| " + " | ".join(cols) + " |"
    rule = "|" + "|".join("---:" if _is_number(frame, c) else "---" for c in cols) + "|"
    body = [
        "| " + " | ".join(format_cell(c, row[c]).replace("|", "\\|") for c in cols) + " |"
        for _, row in frame.iterrows()
    ]
    return "\n".join([head, rule, *body]) + "\n"


def _headline(summary: pd.DataFrame) -> str:
    s = summary.set_index("metric")
    return ", ".join(
        f"{m} {format_cell('change_pct', s.loc[m, 'change_pct'])}"
        for m in HEADLINE_METRICS
        if m in s.index
    )


# --------------------------------------------------------------------------- markdown


def bundle_markdown(report: BundleReport, level: int = 1) -> str:
    """One bundle's report as Markdown."""
    h = "#" * level
    title = f"{report.title} ({report.title_en})" if report.title_en else report.title
    parts = [
        f"{h} {title}\n",
        f"Bundle `{report.bundle}`; prefill basis: {report.basis}. {_headline(report.summary)}.\n",
        f"{h}# Summary\n",
        markdown_table(report.summary),
        f"{h}# By department\n",
        markdown_table(report.by_department),
        f"{h}# By form\n",
        markdown_table(report.by_form, MARKDOWN_FORM_COLUMNS),
        f"{h}# Materials\n",
        markdown_table(report.materials, MARKDOWN_MATERIAL_COLUMNS),
    ]
    return "\n".join(parts)


def portfolio_markdown(report: PortfolioReport) -> str:
    """The portfolio report as Markdown, with each bundle's report after it."""
    parts = [
        "# Reduction report\n",
        f"{len(report.reports)} bundles. {_headline(report.summary)}.\n",
        "## Summary\n",
        markdown_table(report.summary),
        "## Bundles\n",
        markdown_table(report.bundles),
        "## Most reused catalog items\n",
        markdown_table(report.item_reuse),
        "## Recurring uncatalogued fields (catalog candidates)\n",
        markdown_table(report.recurring_gaps),
        "## Most often eliminated materials\n",
        markdown_table(report.eliminated_materials),
    ]
    parts += [bundle_markdown(r, level=2) for r in report.reports]
    return "\n".join(parts)


# --------------------------------------------------------------------------- html


def _cell(column: str, value: Any, css: str) -> str:
    text = format_cell(column, value)
    # let lists of ids break between entries
    return text.replace(";", "; ") if css == "wrap" else text


def _table(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> dict[str, Any]:
    cols = list(columns or frame.columns)
    css = {c: "num" if _is_number(frame, c) else "wrap" if c in WRAP_COLUMNS else "" for c in cols}
    rows = [[(_cell(c, row[c], css[c]), css[c]) for c in cols] for _, row in frame.iterrows()]
    return {"columns": [(c, css[c]) for c in cols], "rows": rows, "tall": len(rows) > TALL_ROWS}


def _chain(row: pd.Series, metric: str, stages: Sequence[str]) -> str:
    return " \u2192 ".join(format_cell(metric, row[f"{metric}_{c}"]) for c in stages)


def _compact_bundles(bundles: pd.DataFrame) -> dict[str, Any]:
    """The bundles table for reading: ``before → after merge → after prefill`` in one cell."""
    rows = []
    for _, row in bundles.iterrows():
        cells = [(str(row["bundle"]), ""), (str(row["title"]), "wrap")]
        cells += [(format_cell("forms", row["forms"]), "num")]
        cells += [(format_cell("departments", row["departments"]), "num")]
        for metric in ("fields", "materials"):
            cells.append((_chain(row, metric, ("before", "after_merge", "after_prefill")), "num"))
            cells.append((format_cell("change_pct", row[f"{metric}_change_pct"]), "num"))
        for metric in ("steps", "trips", "days"):
            cells.append((_chain(row, metric, ("before", "after")), "num"))
            cells.append((format_cell("change_pct", row[f"{metric}_change_pct"]), "num"))
        cells.append((format_cell("days", row["days_critical_path"]), "num"))
        rows.append(cells)
    names = ["bundle", "title", "forms", "departments"]
    for metric in ("fields", "materials", "steps", "trips", "days"):
        names += [metric, f"{metric} %"]
    names.append("critical path days")
    columns = [(n, "" if n in ("bundle", "title") else "num") for n in names]
    return {"columns": columns, "rows": rows, "tall": False}


def _headlines(summary: pd.DataFrame) -> list[dict[str, str]]:
    s = summary.set_index("metric")
    return [
        {
            "metric": m,
            "change": format_cell("change_pct", s.loc[m, "change_pct"]),
            "detail": f"{format_cell('before', s.loc[m, 'before'])} \u2192 "
            f"{format_cell('after', s.loc[m, 'after'])}",
        }
        for m in HEADLINE_METRICS
        if m in s.index
    ]


def _three(frame: pd.DataFrame, prefix: str, after: str) -> list[Series]:
    return [
        Series("before", "before", frame[f"{prefix}_before"].astype(float).tolist()),
        Series("after_merge", "after merge", frame[f"{prefix}_after_merge"].astype(float).tolist()),
        Series("after_prefill", after, frame[f"{prefix}_{_AFTER[prefix]}"].astype(float).tolist()),
    ]


_AFTER = {"fields": "typed", "materials": "after_prefill"}


def _department_charts(report: BundleReport) -> list[str]:
    d = report.by_department
    names = d["department"].tolist()
    return [
        bar_chart("Fields per department", names, _three(d, "fields", "typed after prefill")),
        bar_chart("Materials per department", names, _three(d, "materials", "after elimination")),
    ]


def _bundle_charts(report: PortfolioReport) -> list[str]:
    b = report.bundles
    names = b["title"].tolist()
    charts = []
    for metric, after in (("fields", "typed after prefill"), ("materials", "after elimination")):
        series = [
            Series("before", "before", b[f"{metric}_before"].astype(float).tolist()),
            Series("after_merge", "after merge", b[f"{metric}_after_merge"].astype(float).tolist()),
            Series("after_prefill", after, b[f"{metric}_after_prefill"].astype(float).tolist()),
        ]
        charts.append(
            bar_chart(f"{metric.capitalize()} per bundle", names, series, width=GRID_CHART_WIDTH)
        )
    for metric in ("steps", "trips", "days"):
        series = [
            Series("before", "before", b[f"{metric}_before"].astype(float).tolist()),
            Series("after", "after", b[f"{metric}_after"].astype(float).tolist()),
        ]
        charts.append(
            bar_chart(f"{metric.capitalize()} per bundle", names, series, width=GRID_CHART_WIDTH)
        )
    return charts


def _bundle_context(report: BundleReport) -> dict[str, Any]:
    return {
        "id": report.bundle,
        "title": report.title,
        "title_en": report.title_en,
        "basis": report.basis,
        "headlines": _headlines(report.summary),
        "charts": _department_charts(report),
        "summary": _table(report.summary),
        "by_department": _table(report.by_department),
        "by_form": _table(report.by_form),
        "materials": _table(report.materials),
        "fields": _table(report.fields),
        "n_materials": len(report.materials),
        "n_fields": len(report.fields),
    }


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("formmerge.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html_report(
    reports: Sequence[BundleReport],
    path: str | Path | None = None,
    portfolio: PortfolioReport | None = None,
    title: str = "",
) -> str:
    """The HTML report of one or more bundles, with the portfolio section when given.

    Returns:
        The page; also written to ``path`` (UTF-8) when given.
    """
    context: dict[str, Any] = {
        "title": title or ("Reduction report" if portfolio is not None else reports[0].title),
        "generated": date.today().isoformat(),
        "bundles": [_bundle_context(r) for r in reports],
        "portfolio": None,
    }
    if portfolio is not None:
        context["portfolio"] = {
            "headlines": _headlines(portfolio.summary),
            "charts": _bundle_charts(portfolio),
            "summary": _table(portfolio.summary),
            "bundles": _compact_bundles(portfolio.bundles),
            "item_reuse": _table(portfolio.item_reuse),
            "recurring_gaps": _table(portfolio.recurring_gaps),
            "eliminated_materials": _table(portfolio.eliminated_materials),
        }
    page = _environment().get_template(TEMPLATE).render(**context)
    if path is not None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    return page

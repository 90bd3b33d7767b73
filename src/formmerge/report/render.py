"""Write reports out: CSV, JSON, Markdown and a self-contained HTML page.

The HTML page inlines its CSS and draws its charts as inline SVG (:mod:`.charts`); its only
script sorts tables on a header click and records the page height for screenshots. It loads
nothing from the network, so it opens offline and can be mailed as one file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from formmerge.report.charts import Series, bar_chart
from formmerge.report.messages import DEFAULT_LANGUAGE, header, metric_name, text, yes_no
from formmerge.report.notes import basis_text, department_note, summary_with_notes

if TYPE_CHECKING:
    from formmerge.report.metrics import BundleReport
    from formmerge.report.portfolio import PortfolioReport

__all__ = [
    "SUMMARY_DISPLAY_COLUMNS",
    "TEMPLATE",
    "bundle_markdown",
    "display_summary",
    "format_cell",
    "html_report",
    "html_table",
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
        "note",
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


def write_csv(
    tables: Mapping[str, pd.DataFrame], directory: str | Path, lang: str | None = None
) -> list[Path]:
    """Write each table as ``<name>.csv`` (UTF-8 with BOM, so spreadsheets read Chinese).

    Args:
        tables: the tables by file name.
        directory: where to write them (created if missing).
        lang: ``zh`` or ``en`` to head the columns with words, as the XLSX does; None keeps
            the identifiers (``fields_after_merge``), the stable names for programs.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        if lang is not None:
            frame = frame.rename(columns={c: header(str(c), lang) for c in frame.columns})
        frame.to_csv(path, index=False, encoding="utf-8-sig", float_format=CSV_FLOAT_FORMAT)
        paths.append(path)
    return paths


def column_headers(tables: Iterable[pd.DataFrame], lang: str) -> dict[str, str]:
    """The worded header of every column of ``tables`` in ``lang``, by identifier."""
    return {str(c): header(str(c), lang) for frame in tables for c in frame.columns}


def write_json(data: Any, path: str | Path) -> Path:
    """Write ``data`` as indented UTF-8 JSON; returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


# --------------------------------------------------------------------------- cells


def format_cell(column: str, value: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """A cell as text: ``-`` for missing, counts without decimals, signed percentages.

    Booleans read ``是``/``否`` (``yes``/``no`` in English) and metric identifiers their names.
    """
    value = _plain(value)
    if value is None or value == "":
        return "-" if value is None else ""
    if isinstance(value, bool):
        return yes_no(value, lang)
    if column == "metric":
        return metric_name(str(value), lang)
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


def markdown_table(
    frame: pd.DataFrame, columns: Sequence[str] | None = None, lang: str = DEFAULT_LANGUAGE
) -> str:
    """A DataFrame as a GitHub-flavoured Markdown table (numbers right-aligned, worded headers)."""
    cols = list(columns or frame.columns)
    if frame.empty:
        return "_none_\n" if lang == "en" else "_无_\n"
    head = "| " + " | ".join(header(c, lang) for c in cols) + " |"
    rule = "|" + "|".join("---:" if _is_number(frame, c) else "---" for c in cols) + "|"
    body = [
        "| " + " | ".join(format_cell(c, row[c], lang).replace("|", "\\|") for c in cols) + " |"
        for _, row in frame.iterrows()
    ]
    return "\n".join([head, rule, *body]) + "\n"


def _headline(summary: pd.DataFrame, lang: str) -> str:
    s = summary.set_index("metric")
    return ("，" if lang == "zh" else ", ").join(
        f"{metric_name(m, lang)} {format_cell('change_pct', s.loc[m, 'change_pct'])}"
        for m in HEADLINE_METRICS
        if m in s.index
    )


# --------------------------------------------------------------------------- markdown

SUMMARY_DISPLAY_COLUMNS: tuple[str, ...] = (
    "metric",
    "before",
    "after_merge",
    "after_prefill",
    "after",
    "change",
    "change_pct",
    "note",
)
"""The summary as a reader sees it: the metric's name stands for its description."""


def display_summary(summary: pd.DataFrame, report: BundleReport | None, lang: str) -> pd.DataFrame:
    """The summary with its ``note`` column, in :data:`SUMMARY_DISPLAY_COLUMNS`."""
    return summary_with_notes(summary, report, lang)[list(SUMMARY_DISPLAY_COLUMNS)]


def bundle_markdown(report: BundleReport, level: int = 1, lang: str = DEFAULT_LANGUAGE) -> str:
    """One bundle's report as Markdown."""
    h = "#" * level
    title = report.title
    if report.title_en and report.title_en != report.title:
        title = f"{title} ({report.title_en})"
    meta = text("bundle_meta", lang, id=f"`{report.bundle}`", basis=basis_text(report.basis, lang))
    parts = [
        f"{h} {title}\n",
        f"{meta}。{_headline(report.summary, lang)}。\n"
        if lang == "zh"
        else f"{meta}. {_headline(report.summary, lang)}.\n",
        f"{h}# {text('summary', lang)}\n",
        markdown_table(display_summary(report.summary, report, lang), lang=lang),
        f"{h}# {text('by_department', lang)}\n",
        department_note(lang) + "\n",
        markdown_table(report.by_department, lang=lang),
        f"{h}# {text('by_form', lang)}\n",
        markdown_table(report.by_form, MARKDOWN_FORM_COLUMNS, lang),
        f"{h}# {header('material', lang)}\n",
        markdown_table(report.materials, MARKDOWN_MATERIAL_COLUMNS, lang),
    ]
    return "\n".join(parts)


def portfolio_markdown(report: PortfolioReport, lang: str = DEFAULT_LANGUAGE) -> str:
    """The portfolio report as Markdown, with each bundle's report after it."""
    n = text("bundles_count", lang, n=len(report.reports))
    parts = [
        f"# {text('report', lang)}\n",
        f"{n}. {_headline(report.summary, lang)}.\n",
        f"## {text('summary', lang)}\n",
        markdown_table(display_summary(report.summary, None, lang), lang=lang),
        f"## {text('bundles', lang)}\n",
        markdown_table(report.bundles, lang=lang),
        f"## {text('item_reuse', lang)}\n",
        markdown_table(report.item_reuse, lang=lang),
        f"## {text('recurring_gaps', lang)}\n",
        markdown_table(report.recurring_gaps, lang=lang),
        f"## {text('eliminated_materials', lang)}\n",
        markdown_table(report.eliminated_materials, lang=lang),
    ]
    parts += [bundle_markdown(r, level=2, lang=lang) for r in report.reports]
    return "\n".join(parts)


# --------------------------------------------------------------------------- html


def _cell(column: str, value: Any, css: str, lang: str) -> str:
    text_ = format_cell(column, value, lang)
    # let lists of ids break between entries
    return text_.replace(";", "; ") if css == "wrap" else text_


def html_table(
    frame: pd.DataFrame, columns: Sequence[str] | None = None, lang: str = DEFAULT_LANGUAGE
) -> dict[str, Any]:
    """A DataFrame as the template's table: worded headers, formatted cells, CSS classes."""
    cols = list(columns or frame.columns)
    css = {c: "num" if _is_number(frame, c) else "wrap" if c in WRAP_COLUMNS else "" for c in cols}
    rows = [[(_cell(c, row[c], css[c], lang), css[c]) for c in cols] for _, row in frame.iterrows()]
    columns_ = [(header(c, lang), css[c]) for c in cols]
    return {"columns": columns_, "rows": rows, "tall": len(rows) > TALL_ROWS}


def _chain(row: pd.Series, metric: str, stages: Sequence[str]) -> str:
    return " \u2192 ".join(format_cell(metric, row[f"{metric}_{c}"]) for c in stages)


def _compact_bundles(bundles: pd.DataFrame, lang: str) -> dict[str, Any]:
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
    names = [header("bundle", lang), header("title", lang)]
    names += [header("forms", lang), header("departments", lang)]
    for metric in ("fields", "materials", "steps", "trips", "days"):
        names += [metric_name(metric, lang), header("change_pct", lang)]
    names.append(header("days_critical_path", lang))
    columns = [(n, "" if i < 2 else "num") for i, n in enumerate(names)]
    return {"columns": columns, "rows": rows, "tall": False}


def _headlines(summary: pd.DataFrame, lang: str) -> list[dict[str, str]]:
    s = summary.set_index("metric")
    return [
        {
            "metric": metric_name(m, lang),
            "change": format_cell("change_pct", s.loc[m, "change_pct"]),
            "detail": f"{format_cell('before', s.loc[m, 'before'])} \u2192 "
            f"{format_cell('after', s.loc[m, 'after'])}",
        }
        for m in HEADLINE_METRICS
        if m in s.index
    ]


_AFTER = {"fields": "typed", "materials": "after_prefill"}


def _three(frame: pd.DataFrame, prefix: str, after: str, lang: str) -> list[Series]:
    return [
        Series("before", header("before", lang), frame[f"{prefix}_before"].astype(float).tolist()),
        Series(
            "after_merge",
            header("after_merge", lang),
            frame[f"{prefix}_after_merge"].astype(float).tolist(),
        ),
        Series("after_prefill", after, frame[f"{prefix}_{_AFTER[prefix]}"].astype(float).tolist()),
    ]


def _department_charts(report: BundleReport, lang: str) -> list[str]:
    d = report.by_department
    names = d["department"].tolist()
    typed, kept = text("typed_after_prefill", lang), text("after_elimination", lang)
    return [
        bar_chart(text("chart_fields_department", lang), names, _three(d, "fields", typed, lang)),
        bar_chart(
            text("chart_materials_department", lang), names, _three(d, "materials", kept, lang)
        ),
    ]


def _bundle_charts(report: PortfolioReport, lang: str) -> list[str]:
    b = report.bundles
    names = b["title"].tolist()
    charts = []
    labels = {
        "fields": text("typed_after_prefill", lang),
        "materials": text("after_elimination", lang),
    }
    for metric, after in labels.items():
        series = [
            Series("before", header("before", lang), b[f"{metric}_before"].astype(float).tolist()),
            Series(
                "after_merge",
                header("after_merge", lang),
                b[f"{metric}_after_merge"].astype(float).tolist(),
            ),
            Series("after_prefill", after, b[f"{metric}_after_prefill"].astype(float).tolist()),
        ]
        title = text("chart_per_bundle", lang, metric=metric_name(metric, lang))
        charts.append(bar_chart(title, names, series, width=GRID_CHART_WIDTH))
    for metric in ("steps", "trips", "days"):
        series = [
            Series("before", header("before", lang), b[f"{metric}_before"].astype(float).tolist()),
            Series("after", header("after", lang), b[f"{metric}_after"].astype(float).tolist()),
        ]
        title = text("chart_per_bundle", lang, metric=metric_name(metric, lang))
        charts.append(bar_chart(title, names, series, width=GRID_CHART_WIDTH))
    return charts


def _bundle_context(report: BundleReport, lang: str) -> dict[str, Any]:
    return {
        "id": report.bundle,
        "title": report.title,
        "title_en": report.title_en,
        "meta": text("bundle_meta", lang, id=report.bundle, basis=basis_text(report.basis, lang)),
        "headlines": _headlines(report.summary, lang),
        "charts": _department_charts(report, lang),
        "summary": html_table(display_summary(report.summary, report, lang), lang=lang),
        "by_department": html_table(report.by_department, lang=lang),
        "department_note": department_note(lang),
        "by_form": html_table(report.by_form, lang=lang),
        "materials": html_table(report.materials, lang=lang),
        "fields": html_table(report.fields, lang=lang),
        "materials_title": text("materials_details", lang, n=len(report.materials)),
        "fields_title": text("fields_details", lang, n=len(report.fields)),
        "extra": [],
    }


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("formmerge.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _words(lang: str) -> dict[str, str]:
    keys: tuple[str, ...] = ("portfolio", "summary", "by_department", "by_form", "bundles")
    keys = (*keys, "item_reuse", "recurring_gaps", "eliminated_materials", "footer")
    return {k: text(k, lang) for k in keys}


def html_report(
    reports: Sequence[BundleReport],
    path: str | Path | None = None,
    portfolio: PortfolioReport | None = None,
    title: str = "",
    lang: str = DEFAULT_LANGUAGE,
    extra: Mapping[str, Sequence[dict[str, Any]]] | None = None,
) -> str:
    """The HTML report of one or more bundles, with the portfolio section when given.

    Args:
        reports: the bundles' reports.
        path: where to write the page.
        portfolio: the portfolio report, shown first.
        title: the page's title.
        lang: ``zh`` (default) or ``en``: the language of headers and interface text.
        extra: more sections per bundle id (e.g. a cohort's), each a dict with ``heading``,
            ``meta``, ``charts`` (SVG markup) and ``tables`` (pairs of a heading and a table).

    Returns:
        The page; also written to ``path`` (UTF-8) when given.
    """
    bundles = [_bundle_context(r, lang) for r in reports]
    for b in bundles:
        b["extra"] = list((extra or {}).get(str(b["id"]), ()))
    context: dict[str, Any] = {
        "lang": "zh-CN" if lang == "zh" else "en",
        "words": _words(lang),
        "intro": text("intro", lang, date=date.today().isoformat()),
        "title": title or (text("report", lang) if portfolio is not None else reports[0].title),
        "bundles": bundles,
        "portfolio": None,
    }
    if portfolio is not None:
        context["portfolio"] = {
            "count": text("bundles_count", lang, n=len(reports)),
            "headlines": _headlines(portfolio.summary, lang),
            "charts": _bundle_charts(portfolio, lang),
            "summary": html_table(display_summary(portfolio.summary, None, lang), lang=lang),
            "bundles": _compact_bundles(portfolio.bundles, lang),
            "item_reuse": html_table(portfolio.item_reuse, lang=lang),
            "recurring_gaps": html_table(portfolio.recurring_gaps, lang=lang),
            "eliminated_materials": html_table(portfolio.eliminated_materials, lang=lang),
        }
    page = _environment().get_template(TEMPLATE).render(**context)
    if path is not None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    return page

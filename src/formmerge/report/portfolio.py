"""Figures across many bundles: the portfolio table, item reuse, catalog gaps, eliminations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from formmerge.bundle import Bundle
from formmerge.catalog import load_catalog
from formmerge.clustering import cluster_labels
from formmerge.errors import FormmergeError
from formmerge.models import Catalog
from formmerge.prefill.config import SourceConfig
from formmerge.report.coverage import SourceCoverage
from formmerge.report.metrics import (
    METRICS,
    SUMMARY_COLUMNS,
    BundleReport,
    bundle_report,
    change_pct,
)
from formmerge.report.sources import coverage_of
from formmerge.report.tables import LIST_SEPARATOR

__all__ = [
    "BUNDLE_COLUMNS",
    "ELIMINATED_COLUMNS",
    "GAP_COLUMNS",
    "REUSE_COLUMNS",
    "PortfolioReport",
    "portfolio_report",
]

_PROCESS = ("steps", "trips", "days")

BUNDLE_COLUMNS: tuple[str, ...] = (
    "bundle",
    "title",
    "forms",
    "departments",
    *(
        f"{m}_{c}"
        for m in ("fields", "materials")
        for c in ("before", "after_merge", "after_prefill", "change_pct")
    ),
    *(f"{m}_{c}" for m in _PROCESS for c in ("before", "after", "change_pct")),
    "days_critical_path",
)
"""Columns of :attr:`PortfolioReport.bundles`, one row per bundle."""

REUSE_COLUMNS: tuple[str, ...] = (
    "item",
    "label",
    "label_en",
    "forms",
    "bundles",
    "departments",
    "fields",
    "roles",
)
"""Columns of :attr:`PortfolioReport.item_reuse`."""

GAP_COLUMNS: tuple[str, ...] = ("label", "forms", "bundles", "labels", "fields")
"""Columns of :attr:`PortfolioReport.recurring_gaps`."""

ELIMINATED_COLUMNS: tuple[str, ...] = (
    "material",
    "name",
    "eliminated",
    "asked",
    "bundles",
    "eliminated_by",
)
"""Columns of :attr:`PortfolioReport.eliminated_materials`."""

MIN_GAP_FORMS = 2
"""An uncatalogued field is a catalog candidate when this many forms ask it."""


@dataclass(frozen=True)
class PortfolioReport:
    """Reduction figures across bundles.

    Attributes:
        reports: the bundles' own reports, in the order given.
        summary: the bundles' figures added up, in the shape of a bundle summary.
        bundles: one row per bundle (:data:`BUNDLE_COLUMNS`).
        item_reuse: catalog items by the number of forms that ask them (:data:`REUSE_COLUMNS`).
        recurring_gaps: uncatalogued fields asked by several forms (:data:`GAP_COLUMNS`).
        eliminated_materials: materials by how often shared data eliminates them
            (:data:`ELIMINATED_COLUMNS`).
    """

    reports: tuple[BundleReport, ...]
    summary: pd.DataFrame
    bundles: pd.DataFrame
    item_reuse: pd.DataFrame
    recurring_gaps: pd.DataFrame
    eliminated_materials: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The portfolio's own DataFrames by name."""
        return {
            "summary": self.summary,
            "bundles": self.bundles,
            "item_reuse": self.item_reuse,
            "recurring_gaps": self.recurring_gaps,
            "eliminated_materials": self.eliminated_materials,
        }

    def to_csv(self, directory: str | Path, lang: str | None = None) -> list[Path]:
        """Write the portfolio tables (``portfolio.<table>.csv``) and every bundle's tables.

        ``lang`` (``zh``/``en``) heads the columns with words; None keeps the identifiers.
        """
        from formmerge.report.render import write_csv

        tables = {f"portfolio.{k}": v for k, v in self.tables().items()}
        paths = write_csv(tables, directory, lang=lang)
        for report in self.reports:
            paths.extend(report.to_csv(directory, lang=lang))
        return paths

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the portfolio tables and each bundle's report."""
        from formmerge.report.render import records

        return {
            **{k: records(v) for k, v in self.tables().items()},
            "reports": [r.to_dict() for r in self.reports],
        }

    def to_json(self, path: str | Path) -> Path:
        """Write :meth:`to_dict` as JSON to ``path``; returns the path."""
        from formmerge.report.render import write_json

        return write_json(self.to_dict(), path)

    def to_markdown(self, lang: str = "zh") -> str:
        """The portfolio as Markdown, followed by each bundle's report (``lang``: zh or en)."""
        from formmerge.report.render import portfolio_markdown

        return portfolio_markdown(self, lang=lang)

    def to_html(self, path: str | Path | None = None, title: str = "", lang: str = "zh") -> str:
        """The self-contained HTML report; also written to ``path`` when given."""
        from formmerge.report.render import html_report

        return html_report(list(self.reports), path=path, portfolio=self, title=title, lang=lang)

    def sheets(self, lang: str = "zh") -> dict[str, pd.DataFrame]:
        """Every table as a reader sees it: the portfolio's, then each bundle's, by sheet name."""
        from formmerge.report.render import display_summary

        out = {**self.tables(), "summary": display_summary(self.summary, None, lang)}
        for report in self.reports:
            out.update({f"{report.bundle}.{k}": v for k, v in report.sheets(lang).items()})
        return out

    def to_xlsx(self, path: str | Path, lang: str = "zh") -> Path:
        """Write one worksheet per table (portfolio and bundles) to ``path``; returns it."""
        from formmerge.report.workbook import write_xlsx

        return write_xlsx(self.sheets(lang), path, lang=lang)


# --------------------------------------------------------------------------- computing


def _summary(reports: list[BundleReport]) -> pd.DataFrame:
    stacked = pd.concat([r.summary for r in reports])
    sums = stacked.groupby("metric", sort=False)[
        ["before", "after_merge", "after_prefill", "after"]
    ].sum(min_count=1)
    out = sums.reindex(list(METRICS)).reset_index()
    out.insert(1, "description", out["metric"].map(METRICS))
    out["change"] = out["after"] - out["before"]
    out["change_pct"] = [change_pct(b, a) for b, a in zip(out["before"], out["after"], strict=True)]
    return out[list(SUMMARY_COLUMNS)]


def _bundle_row(report: BundleReport) -> dict[str, Any]:
    s = report.summary.set_index("metric")
    row: dict[str, Any] = {
        "bundle": report.bundle,
        "title": report.title,
        "forms": len(report.by_form),
        "departments": len(report.by_department),
    }
    for m in ("fields", "materials"):
        for c in ("before", "after_merge", "after_prefill", "change_pct"):
            row[f"{m}_{c}"] = s.loc[m, c]
    for m in _PROCESS:
        for c in ("before", "after", "change_pct"):
            row[f"{m}_{c}"] = s.loc[m, c]
    row["days_critical_path"] = s.loc["days_critical_path", "after"]
    return row


def _item_reuse(reports: list[BundleReport], catalog: Catalog) -> pd.DataFrame:
    frames = [r.fields.assign(bundle=r.bundle) for r in reports]
    fields = pd.concat(frames) if frames else pd.DataFrame(columns=["item"])
    fields = fields[fields["item"].notna()]
    if fields.empty:
        return pd.DataFrame(columns=list(REUSE_COLUMNS))
    fields = fields.assign(form_key=fields["bundle"] + "/" + fields["form"])
    grouped = fields.groupby("item")
    out = pd.DataFrame(
        {
            "forms": grouped["form_key"].nunique(),
            "bundles": grouped["bundle"].nunique(),
            "departments": grouped["department"].nunique(),
            "fields": grouped.size(),
            "roles": grouped["role"].agg(lambda r: LIST_SEPARATOR.join(sorted(set(r.dropna())))),
        }
    ).reset_index()
    labels = {i.id: (i.label_zh, i.label_en) for i in catalog.items}
    out["label"] = out["item"].map(lambda i: labels.get(i, ("", ""))[0])
    out["label_en"] = out["item"].map(lambda i: labels.get(i, ("", ""))[1])
    out = out.sort_values(["forms", "fields", "item"], ascending=[False, False, True])
    return out[list(REUSE_COLUMNS)].reset_index(drop=True)


def _recurring_gaps(reports: list[BundleReport]) -> pd.DataFrame:
    rows: list[tuple[str, str, str, str, str]] = [
        (r.bundle, str(row.form), str(row.path), str(row.label), str(row.type))
        for r in reports
        for row in r.fields[r.fields["item"].isna()].itertuples()
    ]
    clusters = cluster_labels([(f"{b}/{f}", label, t) for b, f, _, label, t in rows])
    out = []
    for cluster in clusters:
        members = [rows[i] for i in cluster]
        if len({(b, f) for b, f, *_ in members}) < MIN_GAP_FORMS:
            continue
        labels = pd.Series([m[3] for m in members])
        out.append(
            {
                "label": labels.mode().iloc[0],
                "forms": len({(b, f) for b, f, *_ in members}),
                "bundles": len({b for b, *_ in members}),
                "labels": LIST_SEPARATOR.join(dict.fromkeys(labels)),
                "fields": LIST_SEPARATOR.join(f"{b}/{f}:{p}" for b, f, p, *_ in members),
            }
        )
    frame = pd.DataFrame(out, columns=list(GAP_COLUMNS))
    return frame.sort_values(["forms", "label"], ascending=[False, True]).reset_index(drop=True)


def _eliminated_materials(reports: list[BundleReport]) -> pd.DataFrame:
    frames = [r.materials.assign(bundle=r.bundle) for r in reports]
    if not frames:
        return pd.DataFrame(columns=list(ELIMINATED_COLUMNS))
    materials = pd.concat(frames)
    out = []
    for material, group in materials.groupby("merged_into"):
        gone = group[group["eliminated"]]
        if gone.empty:
            continue
        by = sorted({s for cell in gone["eliminated_by"] for s in cell.split(LIST_SEPARATOR) if s})
        out.append(
            {
                "material": material,
                "name": group["merged_name"].iloc[0],
                "eliminated": len(gone),
                "asked": len(group),
                "bundles": gone["bundle"].nunique(),
                "eliminated_by": LIST_SEPARATOR.join(by),
            }
        )
    frame = pd.DataFrame(out, columns=list(ELIMINATED_COLUMNS))
    return frame.sort_values(["eliminated", "material"], ascending=[False, True]).reset_index(
        drop=True
    )


def portfolio_report(
    bundles: Iterable[Bundle | BundleReport],
    sources: SourceCoverage | SourceConfig | str | Path | None = None,
    *,
    catalog: Catalog | None = None,
) -> PortfolioReport:
    """The reduction report across bundles.

    Args:
        bundles: bundles (reported with :func:`bundle_report`) or their ready reports.
        sources: the source configuration for the bundles reported here (default: demo).
        catalog: the catalog (default: the shipped one).

    Returns:
        The portfolio report; its ``reports`` hold each bundle's own report.
    """
    catalog = catalog or load_catalog()
    coverage = coverage_of(sources, catalog)
    reports = [
        b if isinstance(b, BundleReport) else bundle_report(b, sources=coverage, catalog=catalog)
        for b in bundles
    ]
    if not reports:
        raise FormmergeError("a portfolio report needs at least one bundle; none was given")
    return PortfolioReport(
        reports=tuple(reports),
        summary=_summary(reports),
        bundles=pd.DataFrame([_bundle_row(r) for r in reports], columns=list(BUNDLE_COLUMNS)),
        item_reuse=_item_reuse(reports, catalog),
        recurring_gaps=_recurring_gaps(reports),
        eliminated_materials=_eliminated_materials(reports),
    )

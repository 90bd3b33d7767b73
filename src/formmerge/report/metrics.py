"""Reduction figures of one bundle: fields, materials, applications, steps, trips and days.

:func:`bundle_report` merges the bundle (unless given the merged form), decides which fields
shared data prefills and which materials it eliminates, and returns a :class:`BundleReport`
whose DataFrames are the primary API. Every figure of ``summary`` is a count over the
``fields`` and ``materials`` tables (one row per source field and source material), so each
number can be traced to the fields and documents behind it. docs/report.md defines each metric.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from formmerge.bundle import Bundle
from formmerge.catalog import load_catalog
from formmerge.derivations import derived_fields
from formmerge.identities import bind
from formmerge.merging import merge_bundle
from formmerge.models import Catalog, MergedForm
from formmerge.prefill.config import SourceConfig
from formmerge.report.coverage import PrefillResult, SourceCoverage
from formmerge.report.elimination import material_rows, material_verdicts
from formmerge.report.sources import coverage_of, critical_path_days
from formmerge.report.tables import field_rows

__all__ = [
    "DEPARTMENT_COLUMNS",
    "FORM_COLUMNS",
    "METRICS",
    "SUMMARY_COLUMNS",
    "BundleReport",
    "bundle_report",
    "change_pct",
]

METRICS: dict[str, str] = {
    "applications": "applications the applicant files (one per matter before)",
    "fields": "fields the applicant fills in",
    "materials": "supporting documents the applicant hands in",
    "steps": "process steps (办理环节)",
    "trips": "in-person trips (跑动次数)",
    "days": "time limit in working days, as declared (办理时限)",
    "days_critical_path": "working days along the critical path, departments acting in parallel",
}
"""The summary's metrics, in order, with a one-line description (docs/report.md has more)."""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "metric",
    "description",
    "before",
    "after_merge",
    "after_prefill",
    "after",
    "change",
    "change_pct",
)
"""Columns of :attr:`BundleReport.summary`."""

_GROUP_COLUMNS: tuple[str, ...] = (
    "forms",
    "fields_before",
    "fields_after_merge",
    "fields_shared",
    "fields_typed",
    "fields_typed_own",
    "fields_change_pct",
    "materials_before",
    "materials_after_merge",
    "materials_eliminated",
    "materials_after_prefill",
    "materials_change_pct",
    "steps_before",
    "trips_before",
    "days_before",
)

DEPARTMENT_COLUMNS: tuple[str, ...] = ("department", *_GROUP_COLUMNS)
"""Columns of :attr:`BundleReport.by_department`."""

FORM_COLUMNS: tuple[str, ...] = (
    "form",
    "title",
    "department",
    "matter",
    *_GROUP_COLUMNS[1:],
    "fields_catalogued",
    "fields_review",
    "fields_uncatalogued",
    "on_critical_path",
)
"""Columns of :attr:`BundleReport.by_form`."""

PCT_DECIMALS = 1
"""Percentages are rounded to this many decimals."""


def change_pct(before: float, after: float) -> float:
    """The change from ``before`` to ``after`` in percent (NaN when ``before`` is 0 or NaN)."""
    if pd.isna(before) or pd.isna(after) or before == 0:
        return float("nan")
    return round(100.0 * (after - before) / before, PCT_DECIMALS)


@dataclass(frozen=True)
class BundleReport:
    """The reduction report of one bundle.

    Attributes:
        bundle: the bundle id.
        title: the bundle's title (Chinese when it has one).
        title_en: the bundle's English title.
        basis: what prefill and elimination were computed from: ``static: <source config>``
            or ``prefill`` for one subject's prefill result.
        summary: one row per metric of :data:`METRICS` with :data:`SUMMARY_COLUMNS`.
        by_department: one row per department (:data:`DEPARTMENT_COLUMNS`).
        by_form: one row per source form (:data:`FORM_COLUMNS`).
        fields: one row per source field (see :data:`formmerge.report.tables.FIELD_COLUMNS`).
        materials: one row per source material
            (see :data:`formmerge.report.tables.MATERIAL_COLUMNS`).
    """

    bundle: str
    title: str
    title_en: str
    basis: str
    summary: pd.DataFrame
    by_department: pd.DataFrame
    by_form: pd.DataFrame
    fields: pd.DataFrame
    materials: pd.DataFrame
    saved_by_identities: int = 0
    """Merged fields the role binding saved: asked once of a person the unbound form asked
    under two roles (0 without a binding)."""
    saved_by_derivations: int = 0
    """Merged fields not typed because a catalog derivation fills them from another answer
    (and no source prefills them)."""

    def figure(self, metric: str, column: str = "after") -> float:
        """One figure of the summary, e.g. ``figure("materials", "before")``.

        Raises:
            KeyError: no such metric or column.
        """
        value: Any = self.summary.set_index("metric").at[metric, column]
        return float(value)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The report's DataFrames by name, in the order they are written out."""
        return {
            "summary": self.summary,
            "by_department": self.by_department,
            "by_form": self.by_form,
            "fields": self.fields,
            "materials": self.materials,
        }

    def to_csv(self, directory: str | Path, lang: str | None = None) -> list[Path]:
        """Write each table as ``<bundle>.<table>.csv`` into ``directory``; returns the paths.

        ``lang`` (``zh``/``en``) heads the columns with words; None keeps the identifiers.
        """
        from formmerge.report.render import write_csv

        tables = {f"{self.bundle}.{k}": v for k, v in self.tables().items()}
        return write_csv(tables, directory, lang=lang)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the bundle's identity and each table as a list of records."""
        from formmerge.report.render import records

        head = {"bundle": self.bundle, "title": self.title, "title_en": self.title_en}
        saved = {
            "saved_by_identities": self.saved_by_identities,
            "saved_by_derivations": self.saved_by_derivations,
        }
        tables = {k: records(v) for k, v in self.tables().items()}
        return {**head, "basis": self.basis, **saved, **tables}

    def to_json(self, path: str | Path) -> Path:
        """Write :meth:`to_dict` as JSON to ``path``; returns the path."""
        from formmerge.report.render import write_json

        return write_json(self.to_dict(), path)

    def to_markdown(self, lang: str = "zh") -> str:
        """The report as Markdown: summary, departments, forms and materials.

        ``lang``: ``zh`` (default) or ``en``, the language of headers and text.
        """
        from formmerge.report.render import bundle_markdown

        return bundle_markdown(self, lang=lang)

    def to_html(self, path: str | Path | None = None, lang: str = "zh") -> str:
        """The self-contained HTML report; also written to ``path`` when given."""
        from formmerge.report.render import html_report

        return html_report([self], path=path, title=self.title, lang=lang)

    def to_xlsx(self, path: str | Path, lang: str = "zh") -> Path:
        """Write one worksheet per table to the Excel workbook ``path``; returns the path."""
        from formmerge.report.workbook import write_xlsx

        return write_xlsx(self.sheets(lang), path, lang=lang)

    def sheets(self, lang: str = "zh") -> dict[str, pd.DataFrame]:
        """The tables as a reader sees them: the summary with its notes, by table name."""
        from formmerge.report.render import display_summary

        return {**self.tables(), "summary": display_summary(self.summary, self, lang)}


# --------------------------------------------------------------------------- computing


def _summary(
    bundle: Bundle, fields: pd.DataFrame, materials: pd.DataFrame, critical_days: float
) -> pd.DataFrame:
    before, after = bundle.process_before, bundle.process
    nan = float("nan")
    typed = fields.loc[fields["typed"], "merged_into"].nunique()
    kept = materials.loc[~materials["eliminated"], "merged_into"].nunique()
    rows: list[tuple[str, float, float, float, float]] = [
        ("applications", len(bundle.forms), 1, 1, 1),
        ("fields", len(fields), fields["merged_into"].nunique(), typed, typed),
        ("materials", len(materials), materials["merged_into"].nunique(), kept, kept),
        ("steps", before.steps, nan, nan, after.steps),
        ("trips", before.trips, nan, nan, after.trips),
        ("days", before.days, nan, nan, after.days),
        ("days_critical_path", before.days, nan, nan, critical_days),
    ]
    frame = pd.DataFrame(
        [
            {
                "metric": metric,
                "description": METRICS[metric],
                "before": float(b),
                "after_merge": float(m),
                "after_prefill": float(p),
                "after": float(a),
                "change": float(a) - float(b),
                "change_pct": change_pct(float(b), float(a)),
            }
            for metric, b, m, p, a in rows
        ],
        columns=list(SUMMARY_COLUMNS),
    )
    return frame


def _group(key: str, fields: pd.DataFrame, materials: pd.DataFrame, bundle: Bundle) -> pd.DataFrame:
    """Per-``key`` (form or department) counts over the fields and materials tables."""
    forms = pd.DataFrame(
        [
            {
                "form": f.id,
                "department": f.department,
                "steps": f.process.steps,
                "trips": f.process.trips,
                "days": f.process.days,
            }
            for f in bundle.forms
        ]
    )
    keys = list(dict.fromkeys(forms[key]))

    def count(frame: pd.DataFrame, fn: Callable[[pd.DataFrame], int]) -> pd.Series:
        return pd.Series({k: fn(frame[frame[key] == k]) for k in keys}, dtype="int64")

    def distinct(mask_col: str | None, negate: bool = False) -> Callable[[pd.DataFrame], int]:
        def fn(frame: pd.DataFrame) -> int:
            if mask_col is None:
                return int(frame["merged_into"].nunique())
            mask = frame[mask_col].astype(bool)
            return int(frame.loc[~mask if negate else mask, "merged_into"].nunique())

        return fn

    out = pd.DataFrame(index=pd.Index(keys, name=key))
    out["forms"] = forms.groupby(key, sort=False)["form"].count()
    out["fields_before"] = count(fields, len)
    out["fields_after_merge"] = count(fields, distinct(None))
    out["fields_shared"] = count(fields, distinct("shared"))
    out["fields_typed"] = count(fields, distinct("typed"))
    owners = fields.groupby("merged_into")[key].nunique()
    own = fields[fields["merged_into"].map(owners) == 1]
    out["fields_typed_own"] = count(own, distinct("typed"))
    out["fields_change_pct"] = [
        change_pct(b, a) for b, a in zip(out["fields_before"], out["fields_typed"], strict=True)
    ]
    out["materials_before"] = count(materials, len)
    out["materials_after_merge"] = count(materials, distinct(None))
    out["materials_eliminated"] = count(materials, distinct("eliminated"))
    out["materials_after_prefill"] = count(materials, distinct("eliminated", negate=True))
    out["materials_change_pct"] = [
        change_pct(b, a)
        for b, a in zip(out["materials_before"], out["materials_after_prefill"], strict=True)
    ]
    sums = forms.groupby(key, sort=False)[["steps", "trips", "days"]].sum()
    out["steps_before"] = sums["steps"]
    out["trips_before"] = sums["trips"]
    out["days_before"] = sums["days"].astype(float)
    return out.reset_index()


def _by_form(
    bundle: Bundle, fields: pd.DataFrame, materials: pd.DataFrame, chain: list[str]
) -> pd.DataFrame:
    out = _group("form", fields, materials, bundle).drop(columns=["forms"])
    meta = pd.DataFrame(
        [
            {"form": f.id, "title": f.title, "department": f.department, "matter": f.matter}
            for f in bundle.forms
        ]
    )
    status = fields.groupby("form")["status"]
    out = meta.merge(out, on="form", how="left")
    out["fields_catalogued"] = (
        out["form"]
        .map(fields[fields["item"].notna()].groupby("form").size())
        .fillna(0)
        .astype("int64")
    )
    out["fields_review"] = out["form"].map(status.apply(lambda s: int((s == "review").sum())))
    out["fields_uncatalogued"] = (
        out["form"]
        .map(fields[fields["item"].isna()].groupby("form").size())
        .fillna(0)
        .astype("int64")
    )
    out["fields_review"] = out["fields_review"].fillna(0).astype("int64")
    out["on_critical_path"] = out["form"].isin(chain)
    return out[list(FORM_COLUMNS)]


def bundle_report(
    bundle: Bundle,
    merged: MergedForm | None = None,
    prefill: PrefillResult | None = None,
    sources: SourceCoverage | SourceConfig | str | Path | None = None,
    *,
    catalog: Catalog | None = None,
    binding: Mapping[str, str] | None = None,
) -> BundleReport:
    """The reduction report of one bundle.

    Args:
        bundle: the bundle (see :func:`formmerge.bundle.load_bundle`).
        merged: its merged form. When not given, the bundle is merged here, applying the
            analysts' decisions the bundle ships (``decisions.yaml``) if there are any.
        prefill: one subject's prefill result. When given, a field counts as prefilled when
            the result holds a value for it, and a material is eliminated per subject (see
            :func:`formmerge.report.tables.material_verdicts`).
        sources: the source configuration for the static report (a YAML file, a loaded
            configuration or a :class:`SourceCoverage`); the demo configuration when not given.
        catalog: the catalog (default: the shipped one).
        binding: roles that are the same person in this application (see
            :func:`formmerge.identities.bind`), applied to the merged form; the fields it saves
            are :attr:`BundleReport.saved_by_identities`.

    Returns:
        The report, with every figure traceable to the ``fields`` and ``materials`` tables.
    """
    catalog = catalog or load_catalog()
    if merged is None:
        merged = merge_bundle(bundle, catalog)
    if binding:
        identities = tuple(bundle.identities.items())
        merged = merged.model_copy(update={"identities": merged.identities or identities})
    unbound = (
        len(merged.fields) if not merged.binding else len(merge_bundle(bundle, catalog).fields)
    )
    merged = bind(merged, binding, catalog)
    derived = frozenset(derived_fields(merged, catalog))
    coverage = coverage_of(sources, catalog)
    # The merged form keeps its forms sorted by id; report them in the bundle's order.
    order = {f.id: i for i, f in enumerate(bundle.forms)}
    merged = merged.model_copy(
        update={"forms": tuple(sorted(merged.forms, key=lambda f: order.get(f.id, len(order))))}
    )
    verdicts = material_verdicts(merged, catalog, coverage, prefill, bundle.subject)
    fields = field_rows(merged, coverage, prefill, bundle.subject, derived)
    materials = material_rows(merged, catalog, verdicts)
    critical_days, chain = critical_path_days(bundle.forms)
    basis = "prefill" if prefill is not None else f"static: {coverage.name or 'sources'}"
    return BundleReport(
        bundle=bundle.id,
        title=bundle.title,
        title_en=bundle.title_en,
        basis=basis,
        summary=_summary(bundle, fields, materials, critical_days),
        by_department=_group("department", fields, materials, bundle)[list(DEPARTMENT_COLUMNS)],
        by_form=_by_form(bundle, fields, materials, chain),
        fields=fields,
        materials=materials,
        saved_by_identities=unbound - len(merged.fields),
        saved_by_derivations=int(fields.loc[fields["derived"], "merged_into"].nunique()),
    )

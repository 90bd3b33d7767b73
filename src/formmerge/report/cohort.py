"""Cohort reports: batch prefill over many subjects, and how many fields each still types.

A static report estimates one figure for "the applicant"; what an analyst reports is a cohort
(all mothers of newborns, all enterprises ...), where each subject's registers hold more or less.
:func:`cohort_report` runs :func:`formmerge.prefill.prefill_batch` over the cohort and reports
the distribution of the fields each subject still types (median, 10th and 90th percentiles)
next to the static estimate, with a histogram. Subjects come from a named cohort query on the
registers (:data:`COHORT_QUERIES`, written for the demo registers' schema) or from a file of
subject keys (:func:`read_cohort_file`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from formmerge.bundle import Bundle
from formmerge.catalog import load_catalog
from formmerge.derivations import DerivedField, derivable_fields, derived_fields
from formmerge.errors import FormmergeError, Location, Problem
from formmerge.merging import merge_bundle
from formmerge.models import Catalog, MergedForm
from formmerge.prefill import SourceConfig, load_sources, prefill_batch
from formmerge.prefill.convert import canonical_prefilled
from formmerge.prefill.fit import unfit_values
from formmerge.prefill.masking import mask_safely
from formmerge.prefill.result import PrefilledValue
from formmerge.report.cohort_queries import COHORT_QUERIES
from formmerge.report.histogram import bins_of, histogram
from formmerge.report.messages import DEFAULT_LANGUAGE, cohort_label, header, text
from formmerge.report.metrics import BundleReport

__all__ = [
    "COHORT_QUERIES",
    "STATISTICS",
    "CohortReport",
    "cohort_report",
    "cohort_subjects",
    "read_cohort_file",
]


STATISTICS: tuple[str, ...] = (
    "subjects",
    "median",
    "p10",
    "p90",
    "mean",
    "min",
    "max",
    "static",
    "after_merge",
)
"""Rows of :attr:`CohortReport.statistics`, in order."""

MAX_LISTED_SUBJECTS = 20
"""The HTML report lists this many subjects; the XLSX, CSV and JSON all of them."""

_QUANTILES = {"p10": 0.1, "median": 0.5, "p90": 0.9}


@dataclass(frozen=True)
class CohortReport:
    """Typed fields per subject of a cohort, after batch prefill.

    Attributes:
        bundle: the bundle id.
        cohort: the cohort's name (a query of :data:`COHORT_QUERIES` or a file's name).
        sources: the source configuration's name.
        subjects: one row per subject, in input order: ``subject`` (the key, masked),
            ``typed_fields`` (merged fields
            left to type), ``prefilled_fields``.
        statistics: one row per :data:`STATISTICS` entry (``statistic``, ``value``); ``static``
            is the static report's estimate, ``after_merge`` the merged form's field count.
        histogram: one row per bin (``bin``, ``count``).
        by_field: one row per merged field: ``field``, ``label``, ``prefilled`` (subjects it
            was prefilled for), ``prefilled_pct``.
    """

    bundle: str
    cohort: str
    sources: str
    subjects: pd.DataFrame
    statistics: pd.DataFrame
    histogram: pd.DataFrame
    by_field: pd.DataFrame

    def figure(self, statistic: str) -> float:
        """One statistic, e.g. ``figure("median")``.

        Raises:
            KeyError: no such statistic.
        """
        value: Any = self.statistics.set_index("statistic").at[statistic, "value"]
        return float(value)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The cohort's DataFrames by name."""
        return {
            "cohort_statistics": self.statistics,
            "cohort_histogram": self.histogram,
            "cohort_fields": self.by_field,
            "cohort_subjects": self.subjects,
        }

    def histogram_svg(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The distribution of typed fields per subject as an SVG histogram."""
        markers = {
            f"{text(f'stat_{s}', lang)} {self.figure(s):g}": self.figure(s)
            for s in ("p10", "p90", "static", "median")
        }
        reach = [int(self.figure("static"))] if not math.isnan(self.figure("static")) else []
        bins = bins_of(self.subjects["typed_fields"].astype(int).tolist(), extent=reach)
        name = cohort_label(self.cohort, lang)
        title = f"{text('cohort_histogram', lang)}（{name}）"
        if lang != "zh":
            title = f"{text('cohort_histogram', lang)} ({name})"
        return histogram(title, bins, markers, x_label=header("typed_fields", lang))

    def display_statistics(self, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
        """The statistics with their names in ``lang``."""
        out = self.statistics.copy()
        out["statistic"] = [text(f"stat_{s}", lang) for s in out["statistic"]]
        return out

    def section(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """The cohort as an extra section of the HTML report (see ``html_report``)."""
        from formmerge.report.render import html_table

        shown = self.subjects.head(MAX_LISTED_SUBJECTS)
        return {
            "heading": text("cohort", lang, name=cohort_label(self.cohort, lang)),
            "meta": text(
                "cohort_meta",
                lang,
                n=len(self.subjects),
                sources=self.sources,
                static=self.figure("static"),
            ),
            "charts": [self.histogram_svg(lang)],
            "tables": [
                (
                    text("cohort_statistics", lang),
                    html_table(self.display_statistics(lang), lang=lang),
                ),
                (header("field", lang), html_table(self.by_field, lang=lang)),
                (
                    text("cohort_subjects", lang, n=len(shown)),
                    html_table(shown, lang=lang),
                ),
            ],
        }


def read_cohort_file(path: str | Path) -> pd.DataFrame | list[str]:
    """Subject keys from a file: a CSV with a header naming role keys, or one key per line.

    A ``.csv`` file gives a table whose columns name role keys (``applicant``,
    ``spouse.citizen_id`` ..., see :func:`formmerge.prefill.batch.subjects_table`); any other
    file one key of the subject role per line (blank lines and ``#`` comments skipped).

    Raises:
        FormmergeError: ``file-not-found``, or ``cohort-empty`` when it holds no key.
    """
    file = Path(path)
    if not file.is_file():
        raise FormmergeError(
            f"no cohort file at {file}",
            [Problem("file-not-found", "name a file of subject keys", Location(file=str(file)))],
        )
    if file.suffix.lower() == ".csv":
        table = pd.read_csv(file, dtype=str, encoding="utf-8-sig").dropna(how="all")
        keys: pd.DataFrame | list[str] = table
        empty = table.empty
    else:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
        keys = [s for line in lines if (s := line.split("#", 1)[0].strip())]
        empty = not keys
    if empty:
        raise FormmergeError(
            f"{file}: the cohort holds no subject",
            [Problem("cohort-empty", "the file lists no subject key", Location(file=str(file)))],
        )
    return keys


def cohort_subjects(cohort: str, registers: str | Path) -> tuple[str, pd.DataFrame | list[str]]:
    """The cohort's name and subjects: a file of keys, or a named query run on the registers.

    Raises:
        FormmergeError: ``unknown-cohort`` (neither a file nor a known name),
            ``cohort-query-failed`` (the registers lack the query's tables) or
            ``cohort-empty``.
    """
    if Path(cohort).is_file():
        return Path(cohort).name, read_cohort_file(cohort)
    if cohort not in COHORT_QUERIES:
        raise FormmergeError(
            f"no cohort {cohort!r}: name a file of subject keys or one of "
            + ", ".join(COHORT_QUERIES),
            [Problem("unknown-cohort", f"known cohorts: {', '.join(COHORT_QUERIES)}")],
        )
    try:
        with duckdb.connect(str(registers), read_only=True) as con:
            keys = [str(row[0]) for row in con.sql(COHORT_QUERIES[cohort]).fetchall()]
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise FormmergeError(
            f"cohort {cohort!r} cannot be read from {registers}: {first}",
            [Problem("cohort-query-failed", first, Location(file=str(registers)))],
        ) from None
    if not keys:
        raise FormmergeError(
            f"cohort {cohort!r} is empty in {registers}",
            [Problem("cohort-empty", "the query found no subject", Location(file=str(registers)))],
        )
    return cohort, keys


def _fitting(merged: MergedForm, values: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Which values a subject is offered: present, and fit for every form (as ``prefill``).

    Single-subject prefill withdraws a value some department's form would reject
    (:mod:`formmerge.prefill.fit`); the batch returns it, so it is withdrawn here, one split
    per subject, for the cohort's counts to equal the subjects' own prefill.
    """
    filled = values.notna().to_numpy()
    columns = [str(c) for c in values.columns]
    position = {c: j for j, c in enumerate(columns)}
    for i, row in enumerate(values.itertuples(index=False)):
        offered = {
            column: PrefilledValue(value, "", "", None, "verified", True)
            for column, value, ok in zip(columns, row, filled[i], strict=True)
            if ok
        }
        # converted first, as prefill offers them: a region's name becomes its code
        offered = canonical_prefilled(merged, offered, catalog)
        for column in unfit_values(merged, offered, catalog):
            filled[i, position[column]] = False
    return pd.DataFrame(filled, columns=columns, index=values.index)


def _origin(derivable: Mapping[str, DerivedField], field_id: str) -> str:
    while field_id in derivable:  # age from the birth date from the ID number: its ID number
        field_id = derivable[field_id].source
    return field_id


def _with_derived(merged: MergedForm, filled: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """``filled`` with each derivable field filled where the field it derives from is (as
    single-subject prefill derives from prefilled values)."""
    derivable = derivable_fields(merged, catalog)
    out = filled.copy()
    for field_id, derived in derivable.items():
        source = _origin(derivable, field_id)
        if derived.asked and source in out.columns:
            current = out[field_id] if field_id in out.columns else False
            out[field_id] = out[source] | current
    return out


def _pending(merged: MergedForm, filled: pd.DataFrame, catalog: Catalog) -> pd.Series:
    """Per subject, the derivable fields not filled: derived from a typed answer, not typed."""
    pending = list(derived_fields(merged, catalog))
    columns = [f for f in pending if f in filled.columns]
    empty = len(pending) - len(columns)  # never read at all: pending for every subject
    return (~filled[columns]).sum(axis=1).astype("int64") + empty


def _statistics(typed: pd.Series, static: float, after_merge: float) -> pd.DataFrame:
    values: dict[str, float] = {"subjects": float(len(typed))}
    values |= {name: float(typed.quantile(q)) for name, q in _QUANTILES.items()}
    values |= {
        "mean": round(float(typed.mean()), 1),
        "min": float(typed.min()),
        "max": float(typed.max()),
        "static": static,
        "after_merge": after_merge,
    }
    return pd.DataFrame({"statistic": list(STATISTICS), "value": [values[s] for s in STATISTICS]})


def cohort_report(
    bundle: Bundle,
    subjects: pd.DataFrame | Sequence[str],
    *,
    registers: str | Path | None = None,
    sources: SourceConfig | str | Path | None = None,
    static: BundleReport | None = None,
    merged: MergedForm | None = None,
    cohort: str = "cohort",
    catalog: Catalog | None = None,
) -> CohortReport:
    """Batch-prefill the bundle's merged form for every subject and count what each types.

    Args:
        bundle: the bundle.
        subjects: the subjects' keys, or a table of role keys (see :func:`cohort_subjects`).
        registers: the DuckDB registers; default: the source configuration's ``database``.
        sources: the source configuration (default: the demo configuration).
        static: the bundle's static report, whose estimate is shown next to the cohort's.
        merged: the merged form (default: the bundle merged with its decisions).
        cohort: the cohort's name, for headings.
        catalog: the catalog (default: the shipped one).

    Returns:
        The cohort report; a subject's typed fields equal ``len(prefill(...).to_type)``.
    """
    from formmerge.report.metrics import bundle_report

    merged = merged or merge_bundle(bundle, catalog)
    config = (
        sources if isinstance(sources, SourceConfig) else load_sources(sources, catalog=catalog)
    )
    static = static or bundle_report(bundle, merged, sources=config, catalog=catalog)
    frame = prefill_batch(
        merged,
        subjects,
        sources=config,
        connection=registers,
        catalog=catalog,
        progress=False,
        provenance=False,
    ).sort_values("row")
    ids = [f.id for f in merged.fields]
    present = [i for i in ids if i in frame.columns]
    cat = catalog or load_catalog()
    filled = _with_derived(merged, _fitting(merged, frame[present], cat), cat)
    prefilled = filled.sum(axis=1).astype("int64")
    # a derivable field is never typed: prefilled when its source is, else derived from the
    # source the applicant types (as ``prefill``'s ``to_type`` leaves it out)
    typed = len(ids) - prefilled - _pending(merged, filled, cat)
    keys = (
        subjects.iloc[:, 0].astype(str).tolist()
        if isinstance(subjects, pd.DataFrame)
        else list(subjects)
    )
    # a report is handed on: subject keys are masked as the catalog's sensitivity requires
    keys_item = (
        config.subject_keys.person
        if bundle.subject == "person"
        else config.subject_keys.organization
    )
    keys = [mask_safely(keys_item, key, catalog) for key in keys]
    table = pd.DataFrame(
        {
            "subject": keys,
            "typed_fields": typed.to_numpy(),
            "prefilled_fields": prefilled.to_numpy(),
        }
    )
    labels = {f.id: f.label for f in merged.fields}
    counts = filled.sum(axis=0)
    shown = [i for i in ids if i in filled.columns]  # read or derived from what was read
    by_field = pd.DataFrame(
        {
            "field": shown,
            "label": [labels.get(i, "") for i in shown],
            "prefilled": [int(counts[i]) for i in shown],
            "prefilled_pct": [round(100.0 * int(counts[i]) / max(1, len(table)), 1) for i in shown],
        }
    ).sort_values(["prefilled", "field"], ascending=[False, True], kind="stable")
    estimate = static.figure("fields", "after_prefill")
    bins = bins_of(table["typed_fields"].astype(int).tolist(), extent=[int(estimate)])
    name = "demo" if sources is None else Path(config.source_file or "sources").name
    return CohortReport(
        bundle=bundle.id,
        cohort=cohort,
        sources=name,
        subjects=table,
        statistics=_statistics(table["typed_fields"], estimate, len(ids)),
        histogram=pd.DataFrame({"bin": [b.label for b in bins], "count": [b.count for b in bins]}),
        by_field=by_field.reset_index(drop=True),
    )

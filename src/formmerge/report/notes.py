"""Explanations of figures a reader could misread, in the report's language.

Two figures invite a wrong reading: the critical path days, which can exceed the declared days
of the integrated process, and the per-department "after merge" count, which often equals
"before" because merging never reduces what a department receives. The summary gets a
``note`` column saying how to read each metric, and the per-department table a paragraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from formmerge.report.messages import DEFAULT_LANGUAGE, text

if TYPE_CHECKING:
    from formmerge.report.metrics import BundleReport

__all__ = [
    "DEMO_BASIS",
    "PREFILL_BASIS",
    "basis_text",
    "days_note",
    "department_note",
    "summary_with_notes",
]

PREFILL_BASIS = "prefill"
"""The basis of a report computed from one subject's prefill result."""

DEMO_BASIS = "static: demo"
"""The basis of a static report on the demo source configuration."""

_STATIC = "static: "


def basis_text(basis: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What a report's figures were computed from, said plainly (the demo named as such)."""
    if basis == PREFILL_BASIS:
        return text("basis_prefill", lang)
    if basis == DEMO_BASIS:
        return text("basis_demo", lang)
    return text("basis_static", lang, name=basis.removeprefix(_STATIC))


def days_note(declared: float, critical: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """How to read the critical path days against the declared days."""
    key = "note_days_over" if critical > declared else "note_days_under"
    return text(key, lang, critical=critical, declared=declared)


def _notes(report: BundleReport | None, summary: pd.DataFrame, lang: str) -> dict[str, str]:
    s = summary.set_index("metric")
    short = "static_short"
    if report is not None and report.basis == PREFILL_BASIS:
        short = "prefill_short"
    notes = {
        "fields": text("note_fields", lang, basis_short=text(short, lang)),
        "materials": text("note_materials", lang),
        "days": text("note_days", lang),
    }
    if "days_critical_path" in s.index and "days" in s.index:
        declared: Any = s.at["days", "after"]
        critical: Any = s.at["days_critical_path", "after"]
        notes["days_critical_path"] = days_note(float(declared), float(critical), lang)
    return notes


def summary_with_notes(
    summary: pd.DataFrame, report: BundleReport | None = None, lang: str = DEFAULT_LANGUAGE
) -> pd.DataFrame:
    """``summary`` with a ``note`` column explaining each figure that could be misread."""
    notes = _notes(report, summary, lang)
    out = summary.copy()
    out["note"] = [notes.get(str(m), "") for m in out["metric"]]
    return out


def department_note(lang: str = DEFAULT_LANGUAGE) -> str:
    """Why a department's "after merge" count can equal its "before"."""
    return text("department_note", lang)

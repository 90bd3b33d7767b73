"""The traceable rows behind the field figures: one row per field of a source form.

Every field count in a report is a count over this table (and every material count over the
materials table of :mod:`.elimination`), so an analyst can trace each number to the fields
behind it: *fields before* is the number of rows, *after merge* the number of distinct
``merged_into`` values, *typed after prefill* the number of distinct ``merged_into`` values
whose rows are ``typed``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import pandas as pd

from formmerge.models import FieldRef, MergedField, MergedForm
from formmerge.report.coverage import MAIN_ROLES, PrefillResult, SourceCoverage

__all__ = [
    "FIELD_COLUMNS",
    "LIST_SEPARATOR",
    "field_rows",
    "join_list",
    "main_role_of",
]

FIELD_COLUMNS: tuple[str, ...] = (
    "form",
    "department",
    "path",
    "label",
    "type",
    "item",
    "role",
    "status",
    "merged_into",
    "shared",
    "prefilled",
    "prefill_sources",
    "typed",
    "derived",
)
"""Columns of the fields table, one row per field of a source form."""

LIST_SEPARATOR = ";"
"""Joins several ids in one table cell (sources, evidences, holders)."""


def main_role_of(subject: str) -> str:
    """The role of the bundle's main subject: the applicant, or the organization."""
    return MAIN_ROLES.get(subject, "applicant")


def join_list(values: Iterable[str]) -> str:
    """Ids joined into one table cell with :data:`LIST_SEPARATOR`."""
    return LIST_SEPARATOR.join(values)


# --------------------------------------------------------------------------- fields


def _prefill_sources(
    field: MergedField | None,
    coverage: SourceCoverage,
    prefill: PrefillResult | None,
    role_keys: Mapping[str, frozenset[str]],
) -> tuple[str, ...]:
    """The sources a merged field is prefilled from (empty when the applicant types it)."""
    if field is None:
        return ()
    if prefill is not None:
        value = prefill.values.get(field.id)
        return (value.source,) if value is not None else ()
    return coverage.prefill_sources(field.item, field.role, role_keys)


def field_rows(
    merged: MergedForm,
    coverage: SourceCoverage,
    prefill: PrefillResult | None = None,
    subject: str = "person",
    derived: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """One row per source field: its match, the merged field it went into, and prefill.

    Args:
        merged: the merged form of the bundle.
        coverage: verified sources per item, used when ``prefill`` is None (static report).
        prefill: a subject's prefill result; a merged field counts as prefilled when it holds
            a value for it, whatever the source.
        subject: the bundle's subject (``person`` or ``organization``), whose key the static
            test starts from (see :meth:`SourceCoverage.role_keys`).
        derived: merged fields a catalog derivation fills from another answer (see
            :func:`formmerge.derivations.derived_fields`): not prefilled, they are not typed
            either.

    Returns:
        A DataFrame with :data:`FIELD_COLUMNS`, in source-form and field order.
    """
    into = {ref: f.id for f in merged.fields for ref in f.sources}
    by_id = {f.id: f for f in merged.fields}
    role_keys = coverage.role_keys(subject)
    forms_of: dict[str, set[str]] = defaultdict(set)
    for f in merged.fields:
        forms_of[f.id].update(ref.form for ref in f.sources)
    matches = {(m.form, m.path): m for m in merged.matches}
    rows = []
    for form in merged.forms:
        for fld in form.fields:
            match = matches.get((form.id, fld.path))
            target = into.get(FieldRef(form=form.id, path=fld.path), f"{form.id}:{fld.path}")
            sources = _prefill_sources(by_id.get(target), coverage, prefill, role_keys)
            rows.append(
                {
                    "form": form.id,
                    "department": form.department,
                    "path": fld.path,
                    "label": fld.label or fld.key,
                    "type": fld.type,
                    "item": match.item if match else None,
                    "role": match.role if match else None,
                    "status": match.status if match else "unmatched",
                    "merged_into": target,
                    "shared": len(forms_of.get(target, ())) > 1,
                    "prefilled": bool(sources),
                    "prefill_sources": join_list(sources),
                    "typed": not sources and target not in derived,
                    "derived": not sources and target in derived,
                }
            )
    return pd.DataFrame(rows, columns=list(FIELD_COLUMNS))

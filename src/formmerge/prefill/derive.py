"""Prefilled values derived from other prefilled values (see :mod:`formmerge.derivations`).

A register gives the mother's citizen ID number; the catalog's derivations then give her birth
date, sex, age on the application date, social security number and (for a resident identity
card) document number. Each derived value keeps the provenance of the value it comes from
(source, department, date, authority, read-only) and names that field in
:attr:`~formmerge.prefill.result.PrefilledValue.derived_from`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from formmerge.derivations import derive_values, derived_fields
from formmerge.errors import Problem
from formmerge.models import Catalog, MergedForm
from formmerge.prefill.result import PrefilledValue

__all__ = ["derive_prefilled", "pending_derived"]


def derive_prefilled(
    merged: MergedForm,
    values: Mapping[str, PrefilledValue],
    catalog: Catalog,
    on: date | None = None,
) -> tuple[dict[str, PrefilledValue], list[Problem]]:
    """The values derivations give from prefilled ``values``, with their provenance, and a
    ``derived-value-conflict`` problem wherever a register's value contradicts its source."""
    derived, problems = derive_values(
        merged, {k: v.value for k, v in values.items()}, catalog, on=on
    )
    out = {}
    for field_id, d in derived.items():
        origin = values[d.origin]
        item, _, role = field_id.partition("@")
        out[field_id] = replace(origin, value=d.value, item=item, role=role, derived_from=d.origin)
    return out, problems


def pending_derived(
    merged: MergedForm, values: Mapping[str, PrefilledValue], catalog: Catalog
) -> list[str]:
    """The derivable fields not prefilled: the applicant does not type them either, they are
    derived from the source the applicant types (in form order)."""
    derivable = derived_fields(merged, catalog)
    return [f.id for f in merged.fields if f.id in derivable and f.id not in values]

"""Prefilled values must fit their field: a value a department's form would reject is not offered.

A register can hold a value that the merged field cannot take (a region name where the form
wants a six-digit code, a marital-status code outside the field's options). Offered read-only,
such a value would leave the applicant stuck and the department rejecting the payload. So
every prefilled value is put through split, as the submission would be, and a value any
department's form rejects is withdrawn: the field stays to type, and a located problem
``source-value-unfit`` names the source and what the form expects (never the value).
"""

from __future__ import annotations

from collections.abc import Mapping

from formmerge.errors import Location, Problem
from formmerge.models import Catalog, MergedForm
from formmerge.prefill.result import PrefilledValue

__all__ = ["UNFIT_CODE", "unfit_values"]

UNFIT_CODE = "source-value-unfit"
_NOT_ABOUT_THE_VALUE = {"no-answer", "missing-required", "unknown-answer", "held-at-form-precision"}
"""Split problems that do not make a value unfit: an unanswered field, and a value the form
holds at its own precision (a time to the minute where the register has seconds)."""


def unfit_values(
    merged: MergedForm, values: Mapping[str, PrefilledValue], catalog: Catalog
) -> dict[str, list[Problem]]:
    """Field id to the problems of its prefilled value, for the values some form rejects."""
    known = {f.id for f in merged.fields}
    answers = {field_id: v.value for field_id, v in values.items() if field_id in known}
    lineage = {(r.form, r.path): mf.id for mf in merged.fields for r in mf.sources}
    out: dict[str, list[Problem]] = {}
    from formmerge.splitting import split  # deferred: splitting imports the catalog

    # split reports every value it cannot convert as a problem; it raises none
    for problem in split(merged, answers, catalog, derive=False).problems:
        if problem.code in _NOT_ABOUT_THE_VALUE:
            continue
        where = problem.location
        field_id = lineage.get((where.form or "", where.field or ""), where.field)
        if field_id is None or field_id not in values:
            continue
        value = values[field_id]
        form = f"form {where.form!r}" if where.form else "the merged form"
        shown = str(value.value)
        detail = problem.code if shown and shown in problem.message else problem.message
        message = (
            f"source {value.source!r} ({value.department or value.source}) holds a value that "
            f"{form} rejects ({detail}); it is not offered and the field is left to type"
        )
        out.setdefault(field_id, []).append(
            Problem(UNFIT_CODE, message, Location(form=where.form, field=field_id))
        )
    return out

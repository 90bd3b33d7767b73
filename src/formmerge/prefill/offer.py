"""What prefill offers: the values read, converted, checked against their fields, and derived.

One place for the steps single-subject and batch prefill share after the registers are read:

1. every value in its merged field's canonical form (:mod:`formmerge.prefill.convert`);
2. a value some department's form rejects is withdrawn with a ``source-value-unfit`` problem
   (:mod:`formmerge.prefill.fit`);
3. the catalog's derivations fill what follows from the values kept, with the provenance of
   their origin (:mod:`formmerge.prefill.derive`), and derived values are checked in turn.
"""

from __future__ import annotations

from collections.abc import Mapping

from formmerge.errors import Problem
from formmerge.models import Catalog, MergedForm
from formmerge.prefill.convert import canonical_prefilled
from formmerge.prefill.derive import derive_prefilled
from formmerge.prefill.fit import unfit_values
from formmerge.prefill.result import PrefilledValue

__all__ = ["offered_values"]


def offered_values(
    merged: MergedForm, read: Mapping[str, PrefilledValue], catalog: Catalog
) -> tuple[dict[str, PrefilledValue], list[Problem]]:
    """The values to offer for one subject from the values ``read``, and the problems found.

    Args:
        merged: the (bound) merged form.
        read: field id to the value precedence chose among the sources.
        catalog: the catalog (code lists, region codes, derivations).

    Returns:
        The values to offer (read and derived) and the ``source-value-unfit`` and
        ``derived-value-conflict`` problems.
    """
    problems: list[Problem] = []
    values = canonical_prefilled(merged, read, catalog)
    for field_id, unfit in unfit_values(merged, values, catalog).items():
        del values[field_id]
        problems.extend(unfit)
    derived, conflicts = derive_prefilled(merged, values, catalog)
    for field_id, unfit in (unfit_values(merged, derived, catalog) if derived else {}).items():
        del derived[field_id]
        problems.extend(unfit)
    values.update(derived)
    problems.extend(conflicts)
    return values, problems

"""Prefilled values in their field's canonical form, before they are checked and offered.

A register may spell a value otherwise than the merged field asks it: a code-list label where
the field takes the code (``已婚`` for ``"20"``, ``男`` for ``"1"``), or a region's name where
the forms want its GB/T 2260 code (``宜昌市`` for ``420500``, which the retirement bundle's
参保统筹区 pattern ``^\\d{6}$`` demands). Converted here, such a value fits; a value that
names nothing in the code list is left as read, and :mod:`formmerge.prefill.fit` then withdraws
it if a form rejects it.

- a field with a code list: any spelling the list knows becomes its code;
- an item with ``named_codes`` (the catalog's ``region`` list for region items): a name
  becomes its code when the field wants a code: its format is ``region-code``, or the name
  fails one of its patterns and the code passes them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from formmerge.catalog import code_for
from formmerge.errors import Location
from formmerge.models import Catalog, MergedField, MergedForm
from formmerge.patterns import pattern_problem
from formmerge.prefill.result import PrefilledValue

__all__ = ["canonical_prefilled"]

REGION_CODE_FORMAT = "region-code"
_NOWHERE = Location()


def _fits_patterns(field: MergedField, text: str) -> bool:
    return all(pattern_problem(p, text, _NOWHERE) is None for p in field.patterns)


def _wants_code(field: MergedField, name: str, code: str) -> bool:
    if field.format == REGION_CODE_FORMAT:
        return True
    return bool(field.patterns) and not _fits_patterns(field, name) and _fits_patterns(field, code)


def _canonical(field: MergedField, value: Any, catalog: Catalog) -> Any:
    if not isinstance(value, str | int) or isinstance(value, bool):
        return value
    if field.code_list is not None:
        return code_for(catalog, field.code_list, value) or value
    if field.item is None or not isinstance(value, str):
        return value
    try:
        named = catalog.item(field.item).named_codes
    except KeyError:
        return value
    if named is None or named not in {c.id for c in catalog.code_lists}:
        return value
    code = code_for(catalog, named, value)
    if code is None or code == value or not _wants_code(field, value, code):
        return value
    return code


def canonical_prefilled(
    merged: MergedForm, values: Mapping[str, PrefilledValue], catalog: Catalog
) -> dict[str, PrefilledValue]:
    """The prefilled values, each in its merged field's canonical form (see the module)."""
    fields = {f.id: f for f in merged.fields}
    out = {}
    for field_id, value in values.items():
        field = fields.get(field_id)
        converted = value.value if field is None else _canonical(field, value.value, catalog)
        out[field_id] = value if converted == value.value else replace(value, value=converted)
    return out

"""Masking of personal data for messages, logs and displays.

:func:`mask_value` masks by the catalog item's sensitivity: ``public`` and ``internal`` values
are shown as they are, ``sensitive`` values keep only the characters people use to recognise
them (the region and the last four digits of an ID number, the first three and last four digits
of a mobile number, the first and last character otherwise), and ``secret`` values are hidden.
:func:`redact` (from :mod:`formmerge.redaction`) masks anything in free text that looks like an
ID, mobile or landline number: every problem and error message goes through it.
"""

from __future__ import annotations

from formmerge.models import Catalog, CatalogItem
from formmerge.redaction import MASK, mask_citizen_id, mask_generic, mask_phone, redact

__all__ = [
    "MASK",
    "SECRET_MASK",
    "mask_citizen_id",
    "mask_generic",
    "mask_phone",
    "mask_safely",
    "mask_value",
    "redact",
]

SECRET_MASK = "******"


def mask_value(item: CatalogItem | str, value: object, catalog: Catalog | None = None) -> str:
    """The value as it may appear in a message or log, masked by the item's sensitivity.

    Args:
        item: the catalog item (or its id, looked up in ``catalog``).
        value: the value; ``None`` gives an empty string.
        catalog: the catalog to look ``item`` up in (the packaged one by default).
    """
    if value is None:
        return ""
    if isinstance(item, str):
        if catalog is None:
            from formmerge.catalog import load_catalog  # deferred: the catalog imports much

            catalog = load_catalog()
        item = catalog.item(item)
    text = str(value)
    if item.sensitivity in ("public", "internal"):
        return redact(text)
    if item.sensitivity == "secret":
        return SECRET_MASK
    if item.format == "citizen-id" or item.id in ("citizen_id", "id_document_number"):
        return mask_citizen_id(text)
    if item.format in ("mobile", "phone"):
        return mask_phone(text)
    return mask_generic(text)


def mask_safely(item: str, value: object, catalog: Catalog | None = None) -> str:
    """:func:`mask_value`, for a ``repr`` or a log line that must never fail: a value of an item
    the catalog does not know (or of no item) is masked as :func:`mask_generic` masks it."""
    if value is None:
        return ""
    try:
        return mask_value(item, value, catalog) if item else mask_generic(redact(str(value)))
    except KeyError:
        return mask_generic(redact(str(value)))

"""Masking of personal data for messages, logs and displays.

:func:`mask_value` masks by the catalog item's sensitivity: ``public`` and ``internal`` values
are shown as they are, ``sensitive`` values keep only the characters people use to recognise
them (the region and the last four digits of an ID number, the first three and last four digits
of a mobile number, the first and last character otherwise), and ``secret`` values are hidden.
:func:`redact` masks anything in free text that looks like an ID or mobile number: every error
message formmerge builds from database errors goes through it.
"""

from __future__ import annotations

import re

from formmerge.models import Catalog, CatalogItem

__all__ = [
    "MASK",
    "SECRET_MASK",
    "mask_citizen_id",
    "mask_generic",
    "mask_phone",
    "mask_value",
    "redact",
]

MASK = "*"
SECRET_MASK = "******"
_CITIZEN_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE_LIKE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_CITIZEN_ID_KEEP = (6, 4)
"""An ID number keeps its region (6 digits) and its last 4 characters."""
_PHONE_KEEP = (3, 4)


def _keep(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return mask_generic(text)
    return text[:head] + MASK * (len(text) - head - tail) + text[len(text) - tail :]


def mask_citizen_id(value: str) -> str:
    """``110105194912310021`` -> ``110105********0021``."""
    return _keep(str(value), *_CITIZEN_ID_KEEP)


def mask_phone(value: str) -> str:
    """``13912345678`` -> ``139****5678``; other numbers keep their last four digits."""
    text = str(value)
    if _MOBILE_LIKE.fullmatch(text):
        return _keep(text, *_PHONE_KEEP)
    return _keep(text, 0, 4)


def mask_generic(value: str) -> str:
    """Keep the first and last character (``张三丰`` -> ``张*丰``; ``张三`` -> ``张*``)."""
    text = str(value)
    if len(text) <= 1:
        return MASK
    if len(text) == 2:  # two characters: keep the first only
        return text[0] + MASK
    return text[0] + MASK * (len(text) - 2) + text[-1]


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


def redact(text: str) -> str:
    """Mask every ID-number-like and mobile-number-like sequence in free text."""
    text = _CITIZEN_ID_LIKE.sub(lambda m: mask_citizen_id(m.group(1)), text)
    return _MOBILE_LIKE.sub(lambda m: mask_phone(m.group(1)), text)

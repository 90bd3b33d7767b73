"""Masking ID and phone numbers in free text, with no dependency on the rest of formmerge.

Every :class:`~formmerge.errors.Problem` and :class:`~formmerge.errors.FormmergeError` message
goes through :func:`redact` (errors.py imports this module, so it may import nothing of
formmerge); :mod:`formmerge.prefill.masking` adds masking by a catalog item's sensitivity.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "mask_citizen_id", "mask_generic", "mask_phone", "redact"]

MASK = "*"
_CITIZEN_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE_LIKE = re.compile(r"(?<![\d+])((?:\+|00)?86[-\s]?)?(1[3-9]\d{9})(?!\d)")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE_LIKE = re.compile(
    r"(?<![\d*])(?:\(0\d{2,3}\)|0\d{2,3})[-\s]?[2-9]\d{2,3}[-\s]?\d{4}"  # area, local
    r"(?:\s*(?:-|转|分机|ext\.?|#)\s*\d{1,6})?(?!\d)",  # extension
    re.IGNORECASE,
)
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
    if _MOBILE.fullmatch(text):
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


def redact(text: str) -> str:
    """Mask every ID-number-like, mobile-number-like and landline-like sequence in free text.

    Example:
        >>> redact("ID 110105194912310021, tel 13912345678 or 0717-6221234")
        'ID 110105********0021, tel 139****5678 or ********1234'
    """
    text = _CITIZEN_ID_LIKE.sub(lambda m: mask_citizen_id(m.group(1)), text)
    text = _MOBILE_LIKE.sub(lambda m: (m.group(1) or "") + mask_phone(m.group(2)), text)
    return _LANDLINE_LIKE.sub(lambda m: mask_phone(m.group(0)), text)

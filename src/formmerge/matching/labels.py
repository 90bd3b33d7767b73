"""Label analysis: the parts of a label that are scored on their own.

A label often holds more than one way of saying what it asks:

- **bilingual** labels, a Chinese and an English part ("联系电话 TEL", "地址 ADDRESS"): each part
  is scored alone, and the better one counts, instead of the whole string against Chinese or
  English names;
- **alternatives** ("姓名或名称", "城市/地区", "name or title"): each alternative is scored, at
  ``alternative_weight`` of its score: an answer that can be either of two items is not either
  one for sure, so at best it goes to review, with the items as candidates, and stays whole;
- **English abbreviations** (Tel., No., D.O.B., Apt.) are spelled out as words before scoring.

Bilingual parts count in full. Role words have been removed before (:mod:`formmerge.roles`);
what is analysed here is the rest.
"""

from __future__ import annotations

import re
from functools import lru_cache

from formmerge.normalize import DEFAULT_CACHE_SIZE, has_cjk

__all__ = ["ENGLISH_ABBREVIATIONS", "expand_abbreviations", "label_alternatives", "label_parts"]

ENGLISH_ABBREVIATIONS: dict[str, str] = {
    "tel": "telephone",
    "ph": "phone",
    "no": "number",
    "nbr": "number",
    "num": "number",
    "dob": "date of birth",
    "d o b": "date of birth",
    "apt": "apartment",
    "addr": "address",
    "st": "street",
    "mi": "middle initial",
    "m i": "middle initial",
    "ssn": "social security number",
    "dept": "department",
    "org": "organization",
    "govt": "government",
    "e mail": "email",
}
"""Abbreviations of English forms, spelled out as the catalog's English names say them."""

_ALTERNATIVES_RE = re.compile(r"\s*(?:或者|或|/|／|\s+or\s+)\s*")
_TOKEN_SPLIT_RE = re.compile(r"[^a-z0-9]+")
_MIN_ASCII_PART = 2
"""An English part of a bilingual label needs at least this many letters ("TEL", not "A")."""


def expand_abbreviations(text: str) -> str:
    """An English label with its abbreviations spelled out: ``tel. no.`` -> ``telephone number``.

    Single letters joined by dots (``d.o.b.``) are read as one abbreviation.
    """
    if has_cjk(text) or not text:
        return text
    tokens = [t for t in _TOKEN_SPLIT_RE.split(text) if t]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in (3, 2, 1):
            joined = " ".join(tokens[i : i + n])
            if i + n <= len(tokens) and joined in ENGLISH_ABBREVIATIONS:
                out.append(ENGLISH_ABBREVIATIONS[joined])
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    expanded = " ".join(out)
    return expanded if expanded != " ".join(tokens) else text


@lru_cache(maxsize=DEFAULT_CACHE_SIZE)
def label_parts(label: str) -> tuple[str, ...]:
    """The parts of a normalised label scored on their own, the whole label first.

    Example:
        >>> label_parts("联系电话 tel")
        ('联系电话 tel', '联系电话', 'telephone')
        >>> label_parts("d.o.b")
        ('d.o.b', 'date of birth')
    """
    if not label:
        return (label,)
    parts = [label]
    words = label.split(" ")
    chinese = [w for w in words if has_cjk(w)]
    english = [w for w in words if w and not has_cjk(w) and sum(c.isalpha() for c in w) > 0]
    if chinese and english and sum(c.isalpha() for c in "".join(english)) >= _MIN_ASCII_PART:
        # a bilingual label, the two languages apart ("联系电话 tel"); "qq号码" is one word
        parts.extend(["".join(chinese), " ".join(english)])
    out = [parts[0], *(expand_abbreviations(p) for p in parts[1:])]
    out.append(expand_abbreviations(label))
    return tuple(dict.fromkeys(p for p in out if p))


@lru_cache(maxsize=DEFAULT_CACHE_SIZE)
def label_alternatives(label: str) -> tuple[str, ...]:
    """The alternatives of a normalised label ("姓名或名称" -> 姓名, 名称), or none.

    Example:
        >>> label_alternatives("城市/地区")
        ('城市', '地区')
    """
    pieces = tuple(p for p in _ALTERNATIVES_RE.split(label) if p)
    return tuple(expand_abbreviations(p) for p in pieces) if len(pieces) > 1 else ()

"""The value range (值域) of a data element: a code set a standard names, codes, or bounds.

A 数据元 list says what values a data item takes in one cell, written in several ways:

* a national or sector standard, ``见GB/T 2261.1``, ``GB/T 4761-2008``, ``GA/T 517``: resolved to
  the catalog's code list whose ``standard`` names the same standard number (the year and the
  ``/T`` of a recommended standard aside), so the field gets that code list's codes;
* codes written out, ``1=男;2=女``, ``1-男，2-女``, ``0，数据交换；1，在线填报``, or labels only,
  ``是、否``;
* a numeric range, ``0-150``, ``1～99``.

Anything else is free text, which stays in the field's description.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from formmerge.models import Catalog, CodeList

__all__ = [
    "STANDARD_PREFIXES",
    "CodeSetIndex",
    "StandardNumber",
    "ValueRange",
    "parse_value_range",
    "standard_numbers",
]

STANDARD_PREFIXES = (
    r"DB\d{2}",
    "GB",
    "GA",
    "JR",
    "WS",
    "MZ",
    "JY",
    "LD",
    "CJ",
    "HJ",
    "JT",
    "SL",
    "YY",
)
"""Prefixes (regular expressions) of Chinese national (GB), sector (GA public security, WS
health, MZ civil affairs ...) and local (DB and the province's code) standard numbers."""

MAX_LABEL_ONLY_OPTION_CHARS = 10
"""Longest part of a ``是、否`` list read as an option; longer parts are prose, not a code list."""

_STANDARD = re.compile(
    rf"(?<![A-Za-z])({'|'.join(STANDARD_PREFIXES)})\s*(?:/\s*[TZ])?\s*"
    r"(\d+(?:\.\d+)*)(?:\s*[-—–]\s*(?:19|20)\d\d)?"
)
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-|~|～|—|至|到)\s*(-?\d+(?:\.\d+)?)\s*$")
_PAIR = re.compile(r"^\s*([0-9A-Za-z]{1,6})\s*(?:=|:|：|-|—|–|\.|\s|，|,)\s*(\S.*?)\s*$")
_ITEM_SEPARATORS = re.compile(r"[;；\n]+")
_LIST_SEPARATORS = re.compile(r"[,，、|/]+")


@dataclass(frozen=True, order=True)
class StandardNumber:
    """A standard's number without its year: ``GB/T 2261.1-2003`` is ``("GB", "2261.1")``."""

    prefix: str
    number: str

    def __str__(self) -> str:
        return f"{self.prefix} {self.number}"

    def contains(self, other: StandardNumber) -> bool:
        """True if ``other`` is a part of this standard (``GB 2261`` holds ``GB 2261.1``)."""
        return self.prefix == other.prefix and other.number.startswith(self.number + ".")


def standard_numbers(text: str) -> list[StandardNumber]:
    """The standard numbers named in ``text``, in order."""
    return [StandardNumber(p, n) for p, n in _STANDARD.findall(text.upper())]


@dataclass(frozen=True)
class ValueRange:
    """What a value-range cell says: options, numeric bounds, standards named, or free text."""

    options: list[tuple[str, str]] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    standards: list[StandardNumber] = field(default_factory=list)
    text: str = ""
    """The cell's text when it is none of the above (free text for the description)."""


def parse_value_range(text: str) -> ValueRange:
    """Read a value-range (值域 / 代码集) cell."""
    standards = standard_numbers(text)
    if standards:
        return ValueRange(standards=standards)
    bounds = _RANGE.match(text)
    if bounds:
        return ValueRange(minimum=float(bounds.group(1)), maximum=float(bounds.group(2)))
    options = _coded_options(text)
    return ValueRange(options=options) if options else ValueRange(text=text)


def _coded_options(text: str) -> list[tuple[str, str]]:
    separated = _ITEM_SEPARATORS.search(text.strip())
    parts = [p.strip() for p in (_ITEM_SEPARATORS if separated else _LIST_SEPARATORS).split(text)]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return []
    pairs = [_PAIR.match(part) for part in parts]
    if all(pairs):
        return [(m.group(1), m.group(2)) for m in pairs if m]
    if not separated and all(len(p) <= MAX_LABEL_ONLY_OPTION_CHARS for p in parts):
        return [(part, part) for part in parts]
    return []


class CodeSetIndex:
    """The catalog's code lists by the standard each one follows.

    Args:
        catalog: the catalog whose code lists' ``standard`` texts are read.
    """

    def __init__(self, catalog: Catalog) -> None:
        self._by_number: dict[StandardNumber, list[CodeList]] = defaultdict(list)
        for code_list in catalog.code_lists:
            named = standard_numbers(code_list.standard)
            if named:  # the first standard a code list's text names is the one it follows
                self._by_number[named[0]].append(code_list)

    def resolve(self, number: StandardNumber) -> list[CodeList]:
        """The code lists of ``number``; of its parts if it names a family (``GB/T 2261``)."""
        if number in self._by_number:
            return list(self._by_number[number])
        parts = [n for n in sorted(self._by_number) if number.contains(n)]
        return [code_list for n in parts for code_list in self._by_number[n]]

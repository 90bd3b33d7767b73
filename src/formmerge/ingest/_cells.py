"""The cells of a form table, as the HTML and Word readers hand them to the layout analysis.

A reader turns each table of its document into :class:`Cell` records placed on a grid (row,
column, row span, column span). A cell's content is a sequence of text pieces and
:class:`Slot` records, the places where a value is written: a FreeMarker ``${code}``
placeholder, an ``<input>``, a ``<select>`` or a ``<textarea>``. Everything else in this module
reads text: how it looks once layout spaces are gone, the choice lists written with check
boxes (``□是 □否``), and keys made from a label when the form has no placeholders.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from formmerge.normalize import is_cjk
from formmerge.settings import DEFAULT_KEY_MAX_CHARS

__all__ = [
    "CHOICE_MARKERS",
    "FILLER_CHARS",
    "Cell",
    "KeyNumbering",
    "Segment",
    "Slot",
    "choice_parts",
    "clean_text",
    "is_filler",
    "key_from_text",
    "label_of",
    "placeholder_code",
]

CHOICE_MARKERS = "□☐○◯◻▢"
"""Characters that print a check box or a radio button in front of (or after) an option."""

FILLER_CHARS = frozenset("年月日时分秒至省市县区乡镇村路街巷号栋幢室楼层元万角个人份次岁")
"""Characters a form prints inside a value area (dates, addresses, amounts, counts)."""

_MARKER_RE = re.compile(f"[{CHOICE_MARKERS}]")
_SPACE_RE = re.compile(r"\s+")
_EDGE_PUNCT = " \t\n:：;；,，、/|*※★_＿.。"
_KEY_DROP_RE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Slot:
    """A place in a cell where the form writes a value.

    Attributes:
        key: the field key: the placeholder's variable (numbered ``code~2`` when repeated),
            or the ``name`` of an ``<input>``/``<select>``/``<textarea>``.
        raw: the slot as written, for messages (``${sqrxm!DefaultValue}``, ``<input name=x>``).
        kind: ``placeholder``, ``input``, ``select`` or ``textarea``.
        options: ``(code, label)`` pairs of a ``<select>`` or of a radio/checkbox input group.
        field_type: the value type the slot implies (``date`` for ``<input type=date>``).
    """

    key: str
    raw: str
    kind: str = "placeholder"
    options: tuple[tuple[str, str], ...] = ()
    field_type: str = "string"


Segment = str | Slot
"""A piece of a cell's content: printed text, or a slot."""


@dataclass(frozen=True)
class Cell:
    """One cell of a form table, placed on the table's grid (0-based rows and columns).

    Attributes:
        row: the grid row the cell starts on.
        col: the grid column the cell starts on.
        rowspan: how many grid rows it covers.
        colspan: how many grid columns it covers.
        segments: its content in document order.
        pointer: where it is in the file, for notes and problems (``table 1, row 3, cell 2``).
        line: the line it starts on, where the format has lines.
        prominence: how much it looks like a title: heading level, font size in points, bold.
    """

    row: int
    col: int
    rowspan: int
    colspan: int
    segments: tuple[Segment, ...]
    pointer: str
    line: int | None = None
    prominence: tuple[int, float, int] = (0, 0.0, 0)

    @property
    def slots(self) -> tuple[Slot, ...]:
        """The slots in the cell, in order."""
        return tuple(s for s in self.segments if isinstance(s, Slot))

    @property
    def text(self) -> str:
        """The printed text of the cell without its slots, layout spaces removed."""
        return clean_text("".join(s for s in self.segments if isinstance(s, str)))

    @property
    def end_col(self) -> int:
        """The first grid column right of the cell."""
        return self.col + self.colspan

    @property
    def end_row(self) -> int:
        """The first grid row below the cell."""
        return self.row + self.rowspan


class KeyNumbering:
    """Gives repeated keys of one form the suffixes ``~2``, ``~3``... in document order."""

    def __init__(self) -> None:
        self._seen: Counter[str] = Counter()

    def number(self, key: str) -> str:
        """``key`` the first time it is seen, then ``key~2``, ``key~3``..."""
        self._seen[key] += 1
        count = self._seen[key]
        return key if count == 1 else f"{key}~{count}"


def placeholder_code(expression: str) -> str:
    """The variable name of a FreeMarker interpolation's expression.

    Default and built-in suffixes go (``a.b!""`` and ``a.b?string`` are ``a.b``), as do the
    parentheses FreeMarker allows around the variable (``(a.b)!`` is ``a.b``).
    """
    name = expression.strip()
    for stop in ("!", "?"):
        name = name.split(stop, 1)[0]
    return name.strip().strip("()").strip()


def clean_text(text: str) -> str:
    """Text as a reader sees it: NFKC spaces folded, spaces between Chinese characters
    removed (``联 系 人`` is ``联系人``), single spaces between other words kept."""
    text = _SPACE_RE.sub(" ", text.replace("\u00a0", " ").replace("\u3000", " ")).strip()
    chars = list(text)
    kept = [
        ch
        for i, ch in enumerate(chars)
        if ch != " " or not (_joins_cjk(chars, i - 1) or _joins_cjk(chars, i + 1))
    ]
    return "".join(kept)


def label_of(text: str) -> str:
    """A label from a piece of cell text: check boxes, layout spaces, edge punctuation gone."""
    return clean_text(_MARKER_RE.sub("", text)).strip(_EDGE_PUNCT).strip()


def choice_parts(text: str) -> tuple[str, list[str]]:
    """Split text written as a check-box list into its lead text and its options.

    ``□是 □否`` and ``是□ 否□`` are the options 是 and 否; in ``资金用途：□屋面 □外墙`` the lead
    ``资金用途`` is the question. Text without a check box gives ``(label, [])``.
    """
    if not _MARKER_RE.search(text):
        return label_of(text), []
    stripped = text.strip()
    pieces = _MARKER_RE.split(stripped)
    if stripped[-1] in CHOICE_MARKERS and stripped[0] not in CHOICE_MARKERS:
        lead, options = "", pieces[:-1]  # the marker follows each option
    else:
        lead, options = pieces[0], pieces[1:]
    labels = [label_of(_first_line(o)) for o in options]
    return label_of(_last_line(lead)), [o for o in labels if o]


def is_filler(text: str) -> bool:
    """True for text printed inside a value area to guide the writing (``至``, ``年 月 日``,
    ``区 路（街） 号``, ``元``), not a label: every character is a filler or punctuation."""
    letters = [ch for ch in label_of(text) if ch.isalnum()]
    return bool(letters) and all(ch in FILLER_CHARS for ch in letters)


def key_from_text(text: str) -> str:
    """A field or group key made from a label (for forms that print no placeholders)."""
    key = _KEY_DROP_RE.sub("", unicodedata.normalize("NFKC", label_of(text)))
    return key[:DEFAULT_KEY_MAX_CHARS] or "field"


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def _last_line(text: str) -> str:
    return next((line for line in reversed(text.splitlines()) if line.strip()), "")


def _joins_cjk(chars: list[str], index: int) -> bool:
    return 0 <= index < len(chars) and (is_cjk(chars[index]) or chars[index] in "：（）、，")

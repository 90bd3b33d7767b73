"""What a cell of a form table is: a label, a value area, a check-box list, a heading.

Small pure tests on :class:`~formmerge.ingest._cells.Cell` records that the layout analysis
(:mod:`~formmerge.ingest._table_layout`) combines.
"""

from __future__ import annotations

import re

from formmerge.ingest._cells import FILLER_CHARS, Cell, choice_parts, is_filler, label_of
from formmerge.ingest._office_use import DECLARATION_WORDS, classify_part

__all__ = [
    "colon_labels",
    "covers",
    "group_label",
    "is_pledge",
    "is_value_area",
    "kind_of",
    "not_a_heading",
    "text_with_breaks",
    "under",
]

_BRACKETED_RE = re.compile(r"[（(][^（()）]*[)）]")
_HIDDEN_COLON = "\ufff0"


def kind_of(cell: Cell) -> str:
    """``value`` (nothing printed), ``choice`` (a check-box list) or ``text``."""
    text = cell.text
    if choice_parts(text)[1]:
        return "choice"
    return "text" if label_of(text) else "value"


def group_label(cell: Cell) -> str:
    """The label a heading cell gives its group (``□设立`` ticked as a part gives ``设立``)."""
    lead, options = choice_parts(cell.text)
    return lead or (options[0] if len(options) == 1 else label_of(cell.text))


def colon_labels(text: str) -> list[str]:
    """The labels of blanks written after colons in one cell: ``联系人：  电话：`` has two.

    The text after a colon up to the next label is the blank, with guiding characters printed
    in it (``人数：  人，微信号：``: the ``人`` belongs to the first blank)."""
    hidden = _BRACKETED_RE.sub(lambda m: m.group(0).replace("：", _HIDDEN_COLON), text)
    labels = []
    for part in re.split("[:：]", hidden)[:-1]:  # colons in brackets do not end a label
        label = label_of(part.replace(_HIDDEN_COLON, "："))
        while label and (label[0] in FILLER_CHARS or not label[0].isalnum()):
            label = label[1:]
        if label:
            labels.append(label)
    return labels


def covers(outer: Cell, inner: Cell) -> bool:
    """True if ``outer`` spans every column of ``inner`` (a header above a value cell)."""
    return outer.col <= inner.col and inner.end_col <= outer.end_col


def under(cell: Cell, headers: tuple[Cell, ...] | list[Cell]) -> bool:
    """True if one of ``headers`` spans every column of ``cell``."""
    return any(covers(h, cell) for h in headers)


def not_a_heading(cell: Cell) -> bool:
    """True for a cell that cannot head a column: a value, a slot, guiding characters, an
    office-use or signature box."""
    if kind_of(cell) != "text" or cell.slots or is_filler(cell.text):
        return True
    return classify_part(cell.text) is not None


def is_value_area(cell: Cell) -> bool:
    """A text cell that is a value area: where the applicant or the office signs, stamps or
    dates, or with only guiding characters printed in it (``年 月 日``, ``至``)."""
    return not cell.slots and (classify_part(cell.text) is not None or is_filler(cell.text))


def is_pledge(text: str) -> bool:
    """True for the text of a pledge (承诺, 声明): every slot in it is part of the pledge."""
    return any(word in text for word in DECLARATION_WORDS)


def text_with_breaks(cell: Cell) -> str:
    """The cell's text with a line break where each slot is (an option ends at its slot)."""
    return "".join(s if isinstance(s, str) else "\n" for s in cell.segments)

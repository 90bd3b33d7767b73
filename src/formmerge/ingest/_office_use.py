"""Which parts of a paper form the applicant does not fill in: office use and signatures.

Application forms end with boxes the office fills in (审核意见, 受理人, the office's 盖章 and
date) and with a declaration the applicant signs (承诺, 声明, 签字). Neither is data the
applicant gives, so the table readers keep them out of the fields and record them as notes.
The decision is made from the words of a cell, a label or a section title, never per form;
the word lists below are the whole rule.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "DECLARATION_WORDS",
    "OFFICE_ENDINGS",
    "OFFICE_WORDS",
    "SIGNATURE_WORDS",
    "OfficePart",
    "classify_part",
    "note_code",
]

OfficePart = Literal["office-use", "declaration"]
"""``office-use``: filled in by the office; ``declaration``: a pledge or a signature."""

OFFICE_WORDS: tuple[str, ...] = (
    "审核人",
    "审批人",
    "审查人",
    "批准人",
    "复核人",
    "承办人",
    "受理人",
    "受理日期",
    "受理时间",
    "受理编号",
    "受理号",
    "受理机关",
    "受理部门",
    "受理单位",
    "经办人签字",
    "以下由",
    "以下内容由",
    "机关填写",
    "部门填写",
    "窗口填写",
    "工作人员填写",
    "办理结果",
    "审批结果",
    "审核结果",
)
"""Words that mark a part filled in by the office wherever they stand in a text."""

OFFICE_ENDINGS: tuple[str, ...] = ("意见", "审核", "审批", "审查", "批准", "核准")
"""Endings of a label or section title that ask the office's opinion or decision
(``登记机关意见``; ``意见书`` does not end so and stays a field)."""

DECLARATION_WORDS: tuple[str, ...] = ("承诺", "声明")
"""Words of a pledge the applicant signs."""

SIGNATURE_WORDS: tuple[str, ...] = (
    "签字",
    "签名",
    "签章",
    "盖章",
    "印章",
    "公章",
    "（章）",
    "(章)",
    "手印",
)
"""Words that make a box a signature or a stamp, not a value."""

_BRACKETS_RE = re.compile(r"[（(][^（()）]*[)）]")
_TRAILING = " :：;；,，.。、*"


def classify_part(text: str) -> OfficePart | None:
    """Whether text marks an office-use part, a declaration or signature, or neither.

    Args:
        text: a label, a section title or a whole cell's text.
    """
    if not text:
        return None
    if any(word in text for word in OFFICE_WORDS):
        return "office-use"
    bare = _BRACKETS_RE.sub("", text).strip(_TRAILING)
    if bare.endswith(OFFICE_ENDINGS):
        return "office-use"
    if any(word in text for word in (*DECLARATION_WORDS, *SIGNATURE_WORDS)):
        return "declaration"
    return None


def note_code(part: OfficePart) -> str:
    """The note code of a skipped part: ``office-use-skipped`` or ``declaration-skipped``."""
    return f"{part}-skipped"

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

from formmerge.settings import DEFAULT_BANNER_MAX_CHARS

__all__ = [
    "DECLARATION_WORDS",
    "OFFICE_ENDINGS",
    "OFFICE_HANDOVER",
    "OFFICE_NOUNS",
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
    "机关填写",
    "部门填写",
    "窗口填写",
    "工作人员填写",
    "办理结果",
    "审批结果",
    "审核结果",
)
"""Words that mark a part filled in by the office wherever they stand in a text (a word
followed by 员 names the applicant's staff instead: 处方审核人员)."""

OFFICE_HANDOVER: tuple[str, ...] = ("以下由", "以下内容由", "此栏由", "本栏由")
"""Words that hand the rest of a form to someone; to the office when an office noun follows."""

OFFICE_NOUNS: tuple[str, ...] = (
    "机关",
    "局",
    "厅",
    "部门",
    "窗口",
    "受理",
    "审批",
    "工作人员",
    "政府",
)
"""Nouns that name the office (``以下由国土资源局填写``; ``以下由设计单位填写`` names a party
of the application, whose part is read)."""

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
    if any(_has_word(text, word) for word in OFFICE_WORDS):
        return "office-use"
    for handover in OFFICE_HANDOVER:
        _, found, rest = text.partition(handover)
        if found and any(noun in rest for noun in OFFICE_NOUNS):
            return "office-use"
    bare = _BRACKETS_RE.sub("", text).strip(_TRAILING)
    if len(bare) <= DEFAULT_BANNER_MAX_CHARS and bare.endswith(OFFICE_ENDINGS):
        return "office-use"  # a box's label; a long text ending so is a sentence
    if any(word in text for word in (*DECLARATION_WORDS, *SIGNATURE_WORDS)):
        return "declaration"
    return None


def _has_word(text: str, word: str) -> bool:
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not text.startswith("员", end):
            return True
        start = text.find(word, end)
    return False


def note_code(part: OfficePart) -> str:
    """The note code of a skipped part: ``office-use-skipped`` or ``declaration-skipped``."""
    return f"{part}-skipped"

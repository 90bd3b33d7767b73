"""Text normalisation of field labels and keys before matching.

Real forms write the same label in many ways: full-width or half-width characters, traditional
or simplified Chinese, with required markers (``*``, ``（必填）``), bullet numbers (``1.``,
``一、``, ``（一）``), units and notes in parentheses, and spaces used for layout
(``地  址``). Keys come as camelCase, kebab-case, dotted paths or pinyin initials (``sfzhm``).
The functions here reduce both to one canonical spelling. They are pure and cached, so calling
them once per field of thousands of forms stays cheap.

Normalising a label:

1. NFKC (full-width letters, digits and punctuation become half-width; ``①`` at the start is a
   bullet and is dropped first), typographic quotes and dashes become ASCII, zero-width
   characters go;
2. traditional Chinese becomes simplified (OpenCC ``t2s``);
3. Latin text is lower-cased;
4. required markers (``*``, ``※``, ``★``, ``必填``/``选填`` as a bracketed note or at either end)
   and bullet numbers at the start are removed;
5. notes in brackets (``出生体重（克）``) leave the label and are returned separately by
   :func:`split_note`, as is a trailing ``单位：万元``; a label made of a bracketed text only
   (``【申请人信息】``) keeps the text;
6. whitespace collapses to single spaces and disappears between Chinese characters
   (``联 系 人`` -> ``联系人``) while single spaces between Latin words stay;
7. punctuation and symbols at both ends go (``姓名：`` -> ``姓名``).

The steps repeat until the text no longer changes, so :func:`normalize_label` is idempotent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "has_cjk",
    "is_cjk",
    "key_tokens",
    "label_notes",
    "label_text",
    "normalize_key",
    "normalize_label",
    "pinyin_initials",
    "split_note",
]

DEFAULT_CACHE_SIZE = 1 << 16
"""Entries kept by each cached function (labels repeat heavily across forms)."""

_MAX_PASSES = 8
"""Upper bound on normalisation passes; real labels reach their fixpoint in two."""

_HAN = (
    "\u3400-\u4dbf"  # CJK Unified Ideographs Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U0003134f"  # Extensions B-G
)
_HAN_RE = re.compile(f"[{_HAN}]")
_CJK_PUNCT = "\u3000-\u303f"
_TIGHT = f"{_HAN}{_CJK_PUNCT}"

_CIRCLED_BULLET_RE = re.compile(r"^\s*[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]\s*")
_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u3010": "[",
        "\u3011": "]",
        "\u3014": "[",
        "\u3015": "]",
        "\u3016": "[",
        "\u3017": "]",
        "\u300a": None,
        "\u300b": None,
        "\u3008": None,
        "\u3009": None,
        "\u300c": None,
        "\u300d": None,
        "\u300e": None,
        "\u300f": None,
        '"': None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "*": None,
        "\u203b": None,  # ※
        "\u2605": None,  # ★
        "\u2606": None,  # ☆
    }
)
_OPEN = "(["
_CLOSE = ")]"

_MARKER_NOTES = frozenset(
    {"必填", "必填项", "选填", "选填项", "可选", "非必填", "required", "optional", ""}
)
_EDGE_MARKER_RE = re.compile(r"^(?:必填项?|选填项?)(?=[\s:]|$)[\s:]*|[\s:]*(?:必填项?|选填项?)$")
_CJK_NUM = "一二三四五六七八九十百零〇"
_BULLET_RE = re.compile(
    rf"""^(?:
        第[{_CJK_NUM}\d]+(?:部分|章|节|项|条|部)[、.:\s]?
      | \(\s*[{_CJK_NUM}]+\s*\)[、.\s]?
      | [{_CJK_NUM}]+[、.)]
      | \(\s*\d{{1,3}}[a-z]?\s*\)\.?
      | \d{{1,3}}(?:\.\d{{1,3}})*[a-z]?(?:[、)]|\.(?!\d))
      | \(\s*[a-z]\s*\)
      | (?:[a-z]|[ivx]{{1,4}})[.)](?=\s)
    )\s*""",
    re.VERBOSE,
)
_UNIT_RE = re.compile(r"^(.*?)[\s,;]*单位\s*:\s*(\S+)$")
_SPACE_RE = re.compile(r"\s+")
_TIGHT_SPACE_RE = re.compile(
    rf"(?<=[{_TIGHT}])\s+(?=[{_TIGHT}])"
    rf"|(?<=[{_TIGHT}])\s+(?=[^\w\s])"
    rf"|(?<=[^\w\s])\s+(?=[{_TIGHT}])"
)
_KEEP_AT_EDGE = frozenset("%$")

_converter: Any = None


def _t2s(text: str) -> str:
    """Traditional to simplified Chinese; the OpenCC converter is created on first use."""
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("t2s")
    return str(_converter.convert(text))


def _strip_edges(text: str) -> str:
    """Remove whitespace, punctuation and symbols at both ends."""

    def junk(ch: str) -> bool:
        if ch.isspace():
            return True
        cat = unicodedata.category(ch)
        return (cat[0] == "P" or cat in ("Sm", "Sk", "So")) and ch not in _KEEP_AT_EDGE

    start, end = 0, len(text)
    while start < end and junk(text[start]):
        start += 1
    while end > start and junk(text[end - 1]):
        end -= 1
    return text[start:end]


def _bracket_split(text: str) -> tuple[str, list[str]]:
    """Split text into what lies outside brackets and the top-level bracketed notes."""
    main: list[str] = []
    notes: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in _OPEN:
            if depth:
                current.append(" ")
            else:
                main.append(" ")
            depth += 1
        elif ch in _CLOSE:
            if depth == 1:
                notes.append("".join(current))
                current = []
            elif depth > 1:
                current.append(" ")
            depth = max(depth - 1, 0)
        elif depth:
            current.append(ch)
        else:
            main.append(ch)
    if current:
        notes.append("".join(current))
    return "".join(main), notes


def _clean(text: str) -> str:
    text = _SPACE_RE.sub(" ", text)
    text = _TIGHT_SPACE_RE.sub("", text)
    return _strip_edges(text)


def _pass(text: str) -> tuple[str, list[str]]:
    """One normalisation pass: the cleaned label and the notes it carried."""
    text = unicodedata.normalize("NFKC", _CIRCLED_BULLET_RE.sub("", text))
    text = text.translate(_CHAR_MAP)
    if not text.isascii():
        text = _t2s(text)
    text = _clean(_EDGE_MARKER_RE.sub("", _SPACE_RE.sub(" ", text.lower()).strip()))
    while True:
        stripped = _strip_edges(_BULLET_RE.sub("", text, count=1))
        if stripped == text:
            break
        text = stripped
    main, raw_notes = _bracket_split(text)
    notes = [n for n in (_clean(_EDGE_MARKER_RE.sub("", _clean(r))) for r in raw_notes)]
    notes = [n for n in notes if n not in _MARKER_NOTES]
    main = _clean(_EDGE_MARKER_RE.sub("", _clean(main)))
    unit = _UNIT_RE.match(main)
    if unit:
        main, notes = _clean(unit.group(1)), [*notes, _clean(unit.group(2))]
    if not main and raw_notes:
        # The label is a bracketed text only (a section title such as 【申请人信息】): keep it.
        unwrapped = _clean("".join(" " if ch in _OPEN + _CLOSE else ch for ch in text))
        main = _clean(_EDGE_MARKER_RE.sub("", unwrapped))
        notes = []
    return main, notes


@lru_cache(maxsize=DEFAULT_CACHE_SIZE)
def _split(text: str) -> tuple[str, tuple[str, ...]]:
    notes: list[str] = []
    for _ in range(_MAX_PASSES):
        main, found = _pass(text)
        notes.extend(found)
        if main == text:
            break
        text = main
    return text, tuple(n for n in notes if n)


def split_note(text: str) -> tuple[str, str]:
    """Normalise a label and separate the notes it carries in brackets.

    Args:
        text: a field label as written on a form.

    Returns:
        The normalised label without its notes, and the normalised notes joined by single
        spaces (``""`` when there are none). Units count as notes.

    Example:
        >>> split_note("出生体重（克）*")
        ('出生体重', '克')
    """
    main, notes = _split(text)
    return main, " ".join(notes)


def normalize_label(text: str) -> str:
    """The canonical spelling of a field label (see the module docstring for the steps).

    Example:
        >>> normalize_label("1. 聯繫電話（必填）：")
        '联系电话'
        >>> normalize_label("地  址")
        '地址'
    """
    return _split(text)[0]


def label_notes(text: str) -> tuple[str, ...]:
    """The normalised bracketed notes of a label, one entry per note."""
    return _split(text)[1]


def is_cjk(text: str) -> bool:
    """True if ``text`` has Chinese characters and no letters or digits of another script.

    Whitespace and punctuation are ignored: ``"姓名："`` is CJK, ``"QQ号码"`` is not.
    """
    seen = False
    for ch in text:
        if _HAN_RE.match(ch):
            seen = True
        elif ch.isalnum():
            return False
    return seen


def has_cjk(text: str) -> bool:
    """True if ``text`` contains at least one Chinese character."""
    return _HAN_RE.search(text) is not None


def _char_class(ch: str) -> str:
    if ch.isdigit():
        return "digit"
    if ch.isupper():
        return "upper"
    if ch.islower():
        return "lower"
    if ch.isalnum():
        return "other"
    return "sep"


@lru_cache(maxsize=DEFAULT_CACHE_SIZE)
def normalize_key(key: str) -> str:
    """A field key as lower snake_case tokens.

    Case changes (``spouseDateOfBirth``, ``IDNumber``), letter-digit changes (``line1``) and any
    non-alphanumeric character (``-``, ``.``, ``/``, space) separate tokens. Pinyin-initial keys
    such as ``sfzhm`` have no boundary and stay whole. Chinese keys are converted to
    simplified characters.

    Example:
        >>> normalize_key("applicant.idNo")
        'applicant_id_no'
        >>> normalize_key("ID-Number")
        'id_number'
    """
    text = unicodedata.normalize("NFKC", key)
    if has_cjk(text):
        text = _t2s(text)
    tokens: list[str] = []
    current: list[str] = []
    classes: list[str] = []
    for i, ch in enumerate(text):
        cls = _char_class(ch)
        if cls == "sep":
            if current:
                tokens.append("".join(current))
            current, classes = [], []
            continue
        if current:
            prev = classes[-1]
            nxt = _char_class(text[i + 1]) if i + 1 < len(text) else "sep"
            boundary = (
                (prev == "lower" and cls == "upper")
                or (prev == "upper" and cls == "upper" and nxt == "lower")
                or ((prev == "digit") != (cls == "digit"))
                or ((prev == "other") != (cls == "other"))
            )
            if boundary:
                tokens.append("".join(current))
                current, classes = [], []
        current.append(ch)
        classes.append(cls)
    if current:
        tokens.append("".join(current))
    return "_".join(t.lower() for t in tokens)


def key_tokens(key: str) -> tuple[str, ...]:
    """The tokens of :func:`normalize_key`: ``"spouseIdNo"`` -> ``("spouse", "id", "no")``."""
    normal = normalize_key(key)
    return tuple(normal.split("_")) if normal else ()


@lru_cache(maxsize=DEFAULT_CACHE_SIZE)
def pinyin_initials(text: str) -> str:
    """The pinyin first letters of a label, as Chinese systems abbreviate field names.

    The label is normalised first. Latin letters and digits pass through lower-cased; spaces
    and punctuation are dropped.

    Example:
        >>> pinyin_initials("身份證號碼")
        'sfzhm'
        >>> pinyin_initials("QQ号码")
        'qqhm'
    """
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(normalize_label(text), style=Style.FIRST_LETTER)
    return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())


def label_text(field_label: str, field_key: str) -> str:
    """The text to match a field on: its normalised label, or else its key as words.

    Example:
        >>> label_text("", "spouseDateOfBirth")
        'spouse date of birth'
    """
    label = normalize_label(field_label)
    return label if label else " ".join(key_tokens(field_key))

"""Column headers and cell values of CSV and XLSX field lists.

A field list has one row per field. Headers are matched case-insensitively, with spaces and
hyphens read as underscores, in English or in Chinese (``字段名称``, ``类型``, ``必填`` ...).
Cells are text as a person types it in a spreadsheet: ``是``/``否`` for yes and no,
``1=男;2=女`` for options, ``spouse/address`` for a group path.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

__all__ = [
    "COLUMN_ALIASES",
    "IGNORED_COLUMNS",
    "MATERIAL_COLUMN_ALIASES",
    "TYPE_ALIASES",
    "CellError",
    "cell_text",
    "column_attribute",
    "normalise_header",
    "parse_bool",
    "parse_cell",
    "parse_material_cell",
]

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "key": ("key", "字段名", "字段代码", "字段编码", "字段标识", "英文名"),
    "label": ("label", "字段名称", "标签", "中文名称", "名称"),
    "type": ("type", "类型", "数据类型", "字段类型"),
    "required": ("required", "必填", "是否必填"),
    "max_length": ("max_length", "maxlength", "长度", "最大长度"),
    "min_length": ("min_length", "minlength", "最小长度"),
    "pattern": ("pattern", "正则", "正则表达式"),
    "minimum": ("minimum", "min", "最小值"),
    "maximum": ("maximum", "max", "最大值"),
    "options": ("options", "选项", "可选值", "代码值"),
    "format": ("format", "格式"),
    "date_format": ("date_format", "日期格式"),
    "group": ("group", "分组"),
    "group_label": ("group_label", "分组名称"),
    "repeating": ("repeating", "重复", "可重复", "是否重复"),
    "description": ("description", "说明", "描述", "备注"),
    "examples": ("examples", "example", "示例"),
    "item": ("item", "catalog_item", "数据项"),
    "role": ("role", "角色"),
}
"""Field attribute (or table-only column) -> accepted headers."""

MATERIAL_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "材料名称", "名称", "材料"),
    "kind": ("kind", "形式", "材料形式"),
    "required": ("required", "必需", "是否必需", "必要"),
    "copies": ("copies", "份数"),
    "material_id": ("material_id", "材料类型", "材料编码"),
    "evidences": ("evidences", "证明事项"),
}
"""Material attribute -> accepted headers of the optional ``materials`` sheet."""

IGNORED_COLUMNS = ("序号", "no", "#")
"""Headers of row-number columns, which are skipped."""

TYPE_ALIASES: dict[str, str] = {
    "字符串": "string", "文本": "string", "字符": "string", "整数": "integer", "数字": "number",
    "数值": "number", "小数": "number", "布尔": "boolean", "是否": "boolean", "日期": "date",
    "日期时间": "datetime", "枚举": "enum", "代码": "enum", "单选": "enum", "选择": "enum",
    "文件": "file", "附件": "file",
}  # fmt: skip
"""Chinese names of field types accepted in a ``type`` cell."""

KIND_ALIASES = {"原件": "original", "复印件": "copy", "扫描件": "scan", "电子证照": "e-licence"}
"""Chinese names of material kinds accepted in a ``kind`` cell."""

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "必填", "必需", "✓", "✔", "√"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "选填", "非必填", "非必需", "✗", "×"})
LIST_SEPARATORS = re.compile(r"[;；\n]")
"""Separators between options or examples in one cell (``|`` too, for options without codes)."""


class CellError(ValueError):
    """A cell that cannot be read; ``code`` is the problem code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def normalise_header(header: str) -> str:
    """A header as matched against the aliases: lower case, blanks and hyphens as ``_``."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower()).rstrip("*")


def column_attribute(header: str, aliases: dict[str, tuple[str, ...]]) -> str | None:
    """The attribute a column header stands for, or None if it is not one of ``aliases``."""
    wanted = normalise_header(header)
    for attr, names in aliases.items():
        if wanted in names:
            return attr
    return None


def cell_text(value: Any) -> str:
    """The text of a CSV or spreadsheet cell; numbers, booleans and dates as a person reads them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_bool(text: str) -> bool:
    """A yes/no cell; raises :class:`CellError` for anything else."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        "invalid-boolean", f"{text!r} is not yes or no (是/否, Y/N, true/false, 1/0, ✓)"
    )


def parse_cell(attr: str, text: str) -> Any:
    """The value of a field attribute from its non-empty cell text."""
    if attr in ("required", "repeating"):
        return parse_bool(text)
    if attr in ("max_length", "min_length"):
        return _number(text, int)
    if attr in ("minimum", "maximum"):
        return _number(text, float)
    if attr == "type":
        return TYPE_ALIASES.get(text, text.lower() if text.isascii() else text)
    if attr == "options":
        return parse_options(text)
    if attr == "examples":
        return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
    return text


def parse_material_cell(attr: str, text: str) -> Any:
    """The value of a material attribute from its non-empty cell text."""
    if attr == "required":
        return parse_bool(text)
    if attr == "copies":
        return _number(text, int)
    if attr == "kind":
        return KIND_ALIASES.get(text, text)
    if attr == "evidences":
        return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
    return text


def parse_options(text: str) -> list[dict[str, str]]:
    """Options from ``1=男;2=女`` (code=label pairs) or ``男|女`` (each both code and label)."""
    parts = [p.strip() for p in LIST_SEPARATORS.split(text) if p.strip()]
    if len(parts) == 1 and "=" not in parts[0]:
        parts = [p.strip() for p in parts[0].split("|") if p.strip()]
    options = []
    for part in parts:
        code, equals, label = part.partition("=")
        code, label = code.strip(), label.strip()
        if equals and not code:
            raise CellError("invalid-options", f"option {part!r} has no code before '='")
        options.append({"code": code, "label": label if equals else code})
    return options


def _number(text: str, kind: type[int] | type[float]) -> int | float:
    try:
        number = float(text)
    except ValueError:
        raise CellError("invalid-number", f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise CellError("invalid-number", f"{text!r} is not a finite number")
    if kind is int:
        if not number.is_integer():
            raise CellError("invalid-number", f"{text!r} is not a whole number")
        return int(number)
    return number

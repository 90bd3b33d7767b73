"""Write report tables to an Excel workbook: one worksheet per table.

Analysts hand reports on as spreadsheets. Each table becomes a worksheet with worded headers
(in the report's language), a frozen header row and a filter; numbers stay numbers, booleans
read ``是``/``否``, metric identifiers their names. A first ``contents`` sheet lists every
sheet with the table it holds, since worksheet names are cut at Excel's 31 characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from formmerge.report.charts import text_width
from formmerge.report.messages import DEFAULT_LANGUAGE, header, metric_name, yes_no

__all__ = ["CONTENTS_SHEET", "MAX_SHEET_NAME", "sheet_names", "write_xlsx"]

MAX_SHEET_NAME = 31
"""Excel's limit on the length of a worksheet name."""

CONTENTS_SHEET: dict[str, str] = {"zh": "目录", "en": "contents"}
"""Name of the first sheet, which lists the others."""

MAX_COLUMN_WIDTH = 60
"""Widest column, in characters; longer text wraps."""

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEAD_FILL = PatternFill("solid", fgColor="F3F4F6")


def sheet_names(tables: Mapping[str, Any]) -> dict[str, str]:
    """A valid, unique worksheet name for each table name (cut to 31 characters)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for key in tables:
        base = _FORBIDDEN.sub("_", key)[:MAX_SHEET_NAME]
        name, n = base, 1
        while name.lower() in used:
            n += 1
            suffix = f"~{n}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        used.add(name.lower())
        names[key] = name
    return names


def _value(column: str, value: Any, lang: str) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return yes_no(value, lang)
    if column == "metric":
        return metric_name(str(value), lang)
    if isinstance(value, float) and value.is_integer() and not column.endswith("pct"):
        return int(value)
    return value


def _width(values: list[Any]) -> float:
    longest = max((text_width(str(v), 10) / 5.5 for v in values if v is not None), default=4)
    return min(MAX_COLUMN_WIDTH, max(6.0, longest + 2))


def write_xlsx(
    tables: Mapping[str, pd.DataFrame], path: str | Path, lang: str = DEFAULT_LANGUAGE
) -> Path:
    """Write each table as a worksheet of the workbook ``path``.

    Args:
        tables: table name to DataFrame, in sheet order.
        path: the ``.xlsx`` file to write.
        lang: the language of headers and cell words.

    Returns:
        The path written.
    """
    book = Workbook()
    contents = book.active
    assert contents is not None  # a new workbook has one sheet
    contents.title = CONTENTS_SHEET.get(lang, CONTENTS_SHEET["en"])
    contents.append([header("sheet", lang), header("table", lang), header("rows", lang)])
    names = sheet_names(tables)
    for key, frame in tables.items():
        sheet = book.create_sheet(names[key])
        contents.append([names[key], key, len(frame)])
        columns = [str(c) for c in frame.columns]
        sheet.append([header(c, lang) for c in columns])
        for row in frame.itertuples(index=False):
            sheet.append([_value(c, v, lang) for c, v in zip(columns, row, strict=True)])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        for i, column in enumerate(sheet.iter_cols(values_only=True), start=1):
            width = _width(list(column))
            sheet.column_dimensions[get_column_letter(i)].width = width
            if width >= MAX_COLUMN_WIDTH:
                for cell in sheet[get_column_letter(i)][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        if columns and len(frame):
            sheet.auto_filter.ref = sheet.dimensions
    for i in range(1, 4):
        contents.column_dimensions[get_column_letter(i)].width = 34
    contents["A1"].font = contents["B1"].font = contents["C1"].font = Font(bold=True)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target

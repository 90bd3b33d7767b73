"""Reading CSV files and workbooks into rows, and the sidecar of a table's form metadata.

The field lists of :mod:`.tabular` and the 数据元 lists of :mod:`.dataelements` are both tables;
this module reads them the same way, so that encodings, sheets, row numbers and the
``<stem>.meta.yaml`` sidecar behave alike in both.

CSV is read as UTF-8 (with or without a byte-order mark), else as GB 18030, the superset of
GBK that Chinese spreadsheet programs export. Rows are numbered from 1 by record, so the
header row of a CSV file is row 1 even if a quoted cell spans several lines.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formmerge.errors import FormError, Location, Problem
from formmerge.ingest._documents import Document, parse_text, read_text
from formmerge.ingest._problems import make_problem
from formmerge.ingest.native import normalise_materials

__all__ = [
    "CSV_ENCODINGS",
    "FIELDS_SHEET_NAMES",
    "MATERIALS_SHEET_NAMES",
    "META_SUFFIXES",
    "TABLE_SUFFIXES",
    "Sheet",
    "TableFile",
    "read_table",
    "sidecar_metadata",
]

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")
"""File extensions read as tables."""

META_SUFFIXES = (".meta.yaml", ".meta.yml")
"""Suffixes of the sidecar file holding a table's form metadata."""

CSV_ENCODINGS = ("utf-8-sig", "gb18030")
"""Encodings tried in turn for CSV files."""

FIELDS_SHEET_NAMES = ("fields", "字段", "数据项", "数据元")
"""Names of the sheet holding the fields, looked for in this order (else the first sheet)."""

MATERIALS_SHEET_NAMES = ("materials", "材料")


@dataclass
class Sheet:
    """The rows of a CSV file or a worksheet, each with its 1-based row number."""

    name: str | None
    rows: list[tuple[int, list[Any]]]

    def cell(self, row: int, column: int, header: str) -> str:
        """How a problem names a cell: by column for CSV, by reference too for a workbook."""
        if self.name is None:
            return f"column {header!r}"
        from openpyxl.utils import get_column_letter

        return f"{self.name}!{get_column_letter(column + 1)}{row} (column {header!r})"


@dataclass
class TableFile:
    """A table file as read: its fields sheet, its materials sheet, its sidecar."""

    file: str
    fields: Sheet
    materials: Sheet | None
    meta: Document | None


def read_table(path: Path, file: str) -> TableFile:
    """Read a CSV file or a workbook, and its sidecar if there is one.

    Args:
        path: the table file.
        file: the name used for it in problem locations.

    Raises:
        FormError: the file (or its sidecar) cannot be read.
    """
    if path.suffix.lower() == ".csv":
        fields, materials = _read_csv(path, file), None
    else:
        fields, materials = _read_xlsx(path, file)
    return TableFile(file, fields, materials, _read_meta(path, file))


def sidecar_metadata(
    meta: Document | None, default_id: str, problems: list[Problem]
) -> dict[str, Any]:
    """The form attributes a sidecar gives (``id`` defaulting to ``default_id``)."""
    if meta is None or meta.data is None:
        return {"id": default_id}
    if not isinstance(meta.data, dict):
        message = "a sidecar holds a mapping of form attributes (id, title, department ...)"
        problems.append(make_problem("not-a-mapping", message, Location(meta.file, 1)))
        return {"id": default_id}
    form = {"id": default_id} | meta.data
    for attr in ("fields", "sections"):
        if attr in form:
            del form[attr]
            pointer, line = meta.nearest("/" + attr)
            message = f"{attr} belong in the table, not in its sidecar"
            location = Location(meta.file, line, pointer)
            problems.append(make_problem("unknown-attribute", message, location))
    if "materials" in form:
        form["materials"] = normalise_materials(form["materials"])
    return form


def _read_csv(path: Path, file: str) -> Sheet:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise _error(file, "unreadable-file", f"cannot read the file: {e.strerror}", None) from e
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        message = f"the file is neither {' nor '.join(CSV_ENCODINGS)} text"
        raise _error(file, "encoding-error", message, None)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, list(cells)))
    except csv.Error as e:
        raise _error(file, "syntax-error", f"invalid CSV: {e}", len(rows) + 1) from e
    return Sheet(None, rows)


def _read_xlsx(path: Path, file: str) -> tuple[Sheet, Sheet | None]:
    import openpyxl  # imported when a workbook is read: it is slow to import

    # openpyxl warns about workbook features (data validation, styles) a field list ignores.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # a damaged workbook surfaces as many kinds of exception
            raise _error(file, "unreadable-file", f"cannot open the workbook: {e}", None) from e
        try:
            sheets = {name.strip().lower(): name for name in workbook.sheetnames}
            fields_name = next((sheets[n] for n in FIELDS_SHEET_NAMES if n in sheets), None)
            materials_name = next((sheets[n] for n in MATERIALS_SHEET_NAMES if n in sheets), None)
            fields = _sheet(workbook, fields_name or workbook.sheetnames[0])
            materials = _sheet(workbook, materials_name) if materials_name else None
        except Exception as e:  # as above: a damaged sheet
            raise _error(file, "unreadable-file", f"cannot read the workbook: {e}", None) from e
        finally:
            workbook.close()
    return fields, materials


def _sheet(workbook: Any, name: str) -> Sheet:
    worksheet = workbook[name]
    worksheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
    rows = [(n, list(values)) for n, values in enumerate(worksheet.iter_rows(values_only=True), 1)]
    return Sheet(name, rows)


def _read_meta(path: Path, file: str) -> Document | None:
    for suffix in META_SUFFIXES:
        sidecar = path.with_name(path.stem + suffix)
        if sidecar.is_file():
            name = os.path.join(os.path.dirname(file), sidecar.name)
            return parse_text(read_text(sidecar, name), name, json_syntax=False)
    return None


def _error(file: str, code: str, message: str, line: int | None) -> FormError:
    problem = make_problem(code, message, Location(file=file, line=line))
    return FormError(f"cannot read the form in {file}", [problem])

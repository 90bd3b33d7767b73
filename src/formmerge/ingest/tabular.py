"""Forms kept as field lists in CSV or XLSX: one row per field.

The header row names the columns (see :data:`~formmerge.ingest._columns.COLUMN_ALIASES`; it is
the first of the top rows that has a key or label column, so a title row above it is skipped).
Form metadata (id, title, department, matter, subject, language, process, materials, produces,
consumes) comes from an optional sidecar ``<stem>.meta.yaml`` next to the table; without one
the id is the file name's stem. A workbook's field list is the sheet named in
:data:`~formmerge.ingest._sheets.FIELDS_SHEET_NAMES`, else the first sheet; a sheet named
``materials`` or ``材料`` lists the materials.

Files are read by :mod:`._sheets` (UTF-8 or GB 18030 CSV, workbooks), as 数据元 lists are.
Problems are located by row: the header row of a CSV file is row 1 even if a quoted cell spans
several lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formmerge.errors import Location, Problem
from formmerge.ingest._build import build_form
from formmerge.ingest._columns import (
    COLUMN_ALIASES,
    IGNORED_COLUMNS,
    MATERIAL_COLUMN_ALIASES,
    CellError,
    cell_text,
    column_attribute,
    normalise_header,
    parse_cell,
    parse_material_cell,
)
from formmerge.ingest._documents import Document, join_pointer
from formmerge.ingest._problems import Loc, field_name, make_problem
from formmerge.ingest._sheets import (
    CSV_ENCODINGS,
    FIELDS_SHEET_NAMES,
    MATERIALS_SHEET_NAMES,
    META_SUFFIXES,
    TABLE_SUFFIXES,
    Sheet,
    TableFile,
    read_table,
    sidecar_metadata,
)
from formmerge.models import Form

__all__ = [
    "CSV_ENCODINGS",
    "DEFAULT_HEADER_SEARCH_ROWS",
    "FIELDS_SHEET_NAMES",
    "MATERIALS_SHEET_NAMES",
    "META_SUFFIXES",
    "TABLE_SUFFIXES",
    "form_from_table",
    "load_table",
]

DEFAULT_HEADER_SEARCH_ROWS = 10
"""How many top rows are searched for the header row."""


def load_table(path: Path, file: str) -> Form:
    """Read a CSV or XLSX field list (and its sidecar metadata) into a form.

    Args:
        path: the table file.
        file: the name used for it in problem locations.

    Raises:
        FormError: with every problem in the table and its sidecar.
    """
    return form_from_table(read_table(path, file), path.stem)


def form_from_table(table: TableFile, default_id: str) -> Form:
    """Build the form of a field list already read (see :func:`load_table`)."""
    return _TableReader(table.file, table.meta).form(table.fields, table.materials, default_id)


_Cells = tuple[int, dict[str, str]]
"""A row number and, for each attribute read from it, how its cell is named."""


class _TableReader:
    def __init__(self, file: str, meta: Document | None) -> None:
        self.file = file
        self.meta = meta
        self.problems: list[Problem] = list(meta.problems) if meta else []
        self.fields: list[dict[str, Any]] = []
        self.field_cells: list[_Cells] = []
        self.material_cells: list[_Cells] = []
        self.form_id: str | None = None

    def form(self, fields: Sheet, materials: Sheet | None, default_id: str) -> Form:
        form = sidecar_metadata(self.meta, default_id, self.problems)
        self.form_id = form["id"] if isinstance(form.get("id"), str) else None
        for row, data, cells in self._records(fields, COLUMN_ALIASES, parse_cell):
            self.fields.append(self._field(data, row, cells))
            self.field_cells.append((row, cells))
        form["fields"] = self.fields
        if materials is not None:
            records = list(self._records(materials, MATERIAL_COLUMN_ALIASES, parse_material_cell))
            if records and "materials" in form:
                message = "materials are listed both in the sidecar and in the materials sheet"
                self._problem("invalid-value", message, materials.rows[0][0], None)
            elif records:
                form["materials"] = [data for _, data, _ in records]
                self.material_cells = [(row, cells) for row, _, cells in records]
        return build_form(form, self.locate, self.file, self.problems)

    def locate(self, loc: Loc) -> Location:
        # Materials listed in the sidecar have no cells: they are located in the sidecar below.
        rows = {"fields": self.field_cells, "materials": self.material_cells}.get(
            str(loc[0]) if loc else ""
        )
        if rows and len(loc) >= 2 and isinstance(loc[1], int) and loc[1] < len(rows):
            row, cells = rows[loc[1]]
            attr = loc[2] if len(loc) > 2 else None
            if attr == "group" and len(loc) > 4:
                attr = "group_label" if loc[4] == "label" else loc[4]
            name = field_name(self.fields[loc[1]]) if loc[0] == "fields" else None
            cell = cells.get(attr) if isinstance(attr, str) else None
            return Location(self.file, row, cell, self.form_id, name)
        if self.meta is not None:
            pointer, line = self.meta.nearest(join_pointer("", *loc))
            return Location(self.meta.file, line, pointer or None, self.form_id)
        return Location(self.file, form=self.form_id)

    def _records(
        self, sheet: Sheet, aliases: dict[str, tuple[str, ...]], parse: Any
    ) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
        found = self._header(sheet, aliases)
        if found is None:
            return []
        position, columns, headers = found
        records = []
        for row, values in sheet.rows[position + 1 :]:
            texts = [cell_text(v) for v in values]
            if not any(texts):
                continue
            data: dict[str, Any] = {}
            cells: dict[str, str] = {}
            for column, text in enumerate(texts):
                if not text:
                    continue
                if column not in columns:
                    if column >= len(headers) or not headers[column]:
                        message = f"value {text!r} is in a column without a header"
                        self._problem("extra-cell", message, row, sheet.cell(row, column, ""))
                    continue
                attr = columns[column]
                cells[attr] = sheet.cell(row, column, headers[column])
                try:
                    data[attr] = parse(attr, text)
                except CellError as e:
                    self._problem(e.code, f"{headers[column]}: {e}", row, cells[attr])
            records.append((row, data, cells))
        return records

    def _header(
        self, sheet: Sheet, aliases: dict[str, tuple[str, ...]]
    ) -> tuple[int, dict[int, str], list[str]] | None:
        wanted = {"key", "label"} if aliases is COLUMN_ALIASES else {"name"}
        for position, (row, values) in enumerate(sheet.rows[:DEFAULT_HEADER_SEARCH_ROWS]):
            headers = [cell_text(v) for v in values]
            attrs = [column_attribute(h, aliases) for h in headers]
            if wanted & set(attrs):
                return position, self._columns(sheet, row, headers, attrs, aliases), headers
        names = " or ".join(repr(aliases[a][0]) for a in sorted(wanted))
        message = (
            f"no header row with a {names} column in the first {DEFAULT_HEADER_SEARCH_ROWS} rows"
        )
        first = sheet.rows[0][0] if sheet.rows else None
        self._problem("missing-column", message, first, sheet.name and f"sheet {sheet.name!r}")
        return None

    def _columns(
        self,
        sheet: Sheet,
        row: int,
        headers: list[str],
        attrs: list[str | None],
        aliases: dict[str, tuple[str, ...]],
    ) -> dict[int, str]:
        columns: dict[int, str] = {}
        for column, (header, attr) in enumerate(zip(headers, attrs, strict=True)):
            cell = sheet.cell(row, column, header)
            if not header or normalise_header(header) in IGNORED_COLUMNS:
                continue
            if attr is None:
                known = ", ".join(names[0] for names in aliases.values())
                self._problem(
                    "unknown-column", f"unknown column {header!r}; known: {known}", row, cell
                )
            elif attr in columns.values():
                self._problem("duplicate-column", f"a second {attr} column: {header!r}", row, cell)
            else:
                columns[column] = attr
        return columns

    def _field(self, data: dict[str, Any], row: int, cells: dict[str, str]) -> dict[str, Any]:
        if not data.get("key") and data.get("label"):
            data["key"] = data["label"]
        if "options" in data and "type" not in data:
            data["type"] = "enum"
        path, labels = data.pop("group", None), data.pop("group_label", None)
        repeating = data.pop("repeating", None)
        if path is None:
            if labels is not None or repeating is not None:
                message = "group_label and repeating need a group path in the group column"
                cell = cells.get("group_label", cells.get("repeating"))
                self._problem("invalid-group", message, row, cell)
            return data
        keys = [part.strip() for part in path.split("/")]
        if not all(keys):
            self._problem(
                "invalid-group", f"group path {path!r} has an empty part", row, cells["group"]
            )
        groups: list[dict[str, Any]] = [{"key": key} for key in keys if key]
        if labels is not None:
            parts = [part.strip() for part in labels.split("/")]
            if len(parts) != len(keys):
                message = f"group_label {labels!r} does not have a label for each part of {path!r}"
                self._problem("invalid-group", message, row, cells["group_label"])
            else:
                for group, label in zip(groups, parts, strict=False):
                    if label:
                        group["label"] = label
        if repeating is not None and groups:
            groups[-1]["repeating"] = repeating
        data["group"] = groups
        return data

    def _problem(self, code: str, message: str, row: int | None, cell: str | None) -> None:
        location = Location(self.file, row, cell, self.form_id)
        self.problems.append(make_problem(code, message, location))

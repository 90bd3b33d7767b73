"""数据元 field lists: the data-element tables analysts keep in CSV or XLSX.

A 数据元 (data element) list has one row per data item, with Chinese column headers such as
序号 / 数据项名称 / 数据项编码 (or 标识符) / 数据类型 / 长度 / 是否必填 / 值域 (or 代码集) / 说明.
It is told apart from formmerge's own field lists (:mod:`.tabular`) by its headers: a header
row with a name column and one of the headers only 数据元 lists have
(:data:`DATA_ELEMENT_MARKERS`). Both are read by :mod:`._sheets`, so encodings, sheets, row
numbers and the ``<stem>.meta.yaml`` sidecar work alike.

* 数据类型 is one of 字符型, 数值型, 整数型, 日期型, 日期时间型, 时间型, 代码型, 布尔型, 二进制
  (or C, N, D, DT, T, B, BY, or ``varchar(50)``-like names with a length);
* 值域 / 代码集 naming a standard (``见GB/T 2261.1``) gives the field the codes of the catalog's
  code list that follows that standard; codes written out (``1=男;2=女``) are the options; a
  numeric range (``0-150``) bounds a number; a code set the catalog lacks is a ``warning`` note
  ``unresolved-code-set`` and the field is read as text;
* 约束条件 M / O / C (必选 / 可选 / 条件必选), or 允许为空, say whether the field is required;
* 表示格式 such as ``an18``, ``c..50`` or ``YYYYMMDD`` gives lengths or the date format;
* columns with no field attribute (计量单位, 同义名称 ...) are kept in the description, with an
  ``info`` note.
"""

from __future__ import annotations

import re
from typing import Any

from formmerge.errors import FormError, Location, Problem
from formmerge.ingest._build import build_form
from formmerge.ingest._columns import CellError, cell_text, normalise_header, parse_bool
from formmerge.ingest._dataelement_columns import (
    DATA_ELEMENT_COLUMNS,
    DATA_ELEMENT_MARKERS,
    DATA_TYPES,
    DATE_TOKENS,
    IGNORED_COLUMNS,
    OBLIGATIONS,
)
from formmerge.ingest._problems import Loc, field_name, make_problem
from formmerge.ingest._sheets import Sheet, TableFile, sidecar_metadata
from formmerge.ingest._valueranges import CodeSetIndex, parse_value_range
from formmerge.models import Catalog, Form

__all__ = [
    "DATA_ELEMENT_COLUMNS",
    "DATA_ELEMENT_MARKERS",
    "DATA_TYPES",
    "form_from_table",
    "is_data_element_table",
]

DEFAULT_HEADER_SEARCH_ROWS = 10
"""How many top rows are searched for the header row."""

_SIZED_TYPE = re.compile(r"^(.*?)\s*[(（]\s*(\d+)\s*(?:[,，]\s*(\d+))?\s*[)）]$")
_REPRESENTATION = re.compile(r"^(a|n|an|c|anc|ans|b)\s*(\.\.)?\s*(\d+)(?:,(\d+))?$", re.I)
_LENGTH = re.compile(r"^(?:(\d+)\s*(?:\.\.|-|~|～))?\s*(?:≤|<=)?\s*(\d+)(?:\s*[,，.]\s*(\d+))?")


def is_data_element_table(sheet: Sheet) -> bool:
    """True if one of the top rows of ``sheet`` is a 数据元 header row."""
    return _header(sheet) is not None


def form_from_table(table: TableFile, default_id: str, catalog: Catalog | None = None) -> Form:
    """Build the form a 数据元 list describes.

    Args:
        table: the table as :func:`~formmerge.ingest._sheets.read_table` read it.
        default_id: the form id when the sidecar gives none (the file stem).
        catalog: whose code lists resolve the standards the value ranges name; the packaged
            catalog when None.

    Raises:
        FormError: with every problem, located by row and cell.
    """
    if catalog is None:
        from formmerge.catalog import load_catalog  # the catalog imports pandas: only if needed

        catalog = load_catalog()
    return _DataElementReader(table, CodeSetIndex(catalog)).read(default_id)


def _header(sheet: Sheet) -> tuple[int, list[str], dict[int, str]] | None:
    """The header row: its position, its headers and the column of each known attribute."""
    for position, (_, values) in enumerate(sheet.rows[:DEFAULT_HEADER_SEARCH_ROWS]):
        headers = [cell_text(v) for v in values]
        names = [normalise_header(h) for h in headers]
        known: dict[int, str] = {}
        for column, name in enumerate(names):  # a second column of one attribute (英文名称 and
            attr = _column(name)  # 标识符 both) is an extra column, kept in the description
            if attr and attr not in known.values():
                known[column] = attr
        if "label" in known.values() and DATA_ELEMENT_MARKERS & set(names):
            return position, headers, known
    return None


def _column(name: str) -> str:
    return next((attr for attr, names in DATA_ELEMENT_COLUMNS.items() if name in names), "")


class _DataElementReader:
    def __init__(self, table: TableFile, code_sets: CodeSetIndex) -> None:
        self.table = table
        self.code_sets = code_sets
        self.problems: list[Problem] = list(table.meta.problems) if table.meta else []
        self.fields: list[dict[str, Any]] = []
        self.cells: list[tuple[int, dict[str, str]]] = []
        self.notes: list[dict[str, Any]] = []
        self.form_id: str | None = None

    def read(self, default_id: str) -> Form:
        form = sidecar_metadata(self.table.meta, default_id, self.problems)
        self.form_id = form["id"] if isinstance(form.get("id"), str) else None
        sheet = self.table.fields
        found = _header(sheet)
        if found is None:
            message = (
                f"no 数据元 header row (数据项名称 with 数据项编码, 值域 ...) in the first "
                f"{DEFAULT_HEADER_SEARCH_ROWS} rows"
            )
            problem = make_problem("missing-column", message, Location(self.table.file, 1))
            raise FormError(f"cannot read the form in {self.table.file}", [problem])
        position, headers, columns = found
        header_row = sheet.rows[position][0]
        extra = self._extra_columns(sheet, header_row, headers, columns)
        for row, values in sheet.rows[position + 1 :]:
            texts = [cell_text(v) for v in values]
            if any(texts):
                self._row(sheet, row, texts, headers, columns, extra)
        data = {**form, "fields": self.fields, "notes": self.notes}
        return build_form(data, self.locate, self.table.file, self.problems)

    def locate(self, loc: Loc) -> Location:
        if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], int):
            row, cells = self.cells[loc[1]]
            attr = loc[2] if len(loc) > 2 and isinstance(loc[2], str) else None
            name = field_name(self.fields[loc[1]])
            return Location(self.table.file, row, cells.get(attr or ""), self.form_id, name)
        meta = self.table.meta
        if meta is not None:
            pointer, line = meta.nearest("/" + "/".join(str(part) for part in loc))
            return Location(meta.file, line, pointer or None, self.form_id)
        return Location(self.table.file, form=self.form_id)

    def _extra_columns(
        self, sheet: Sheet, row: int, headers: list[str], columns: dict[int, str]
    ) -> dict[int, str]:
        """Columns with no field attribute: kept in the description, each noted once."""
        extra: dict[int, str] = {}
        for column, header in enumerate(headers):
            if column in columns or not header or normalise_header(header) in IGNORED_COLUMNS:
                continue
            extra[column] = header
            message = (
                f"column {header!r} has no field attribute; its values are kept in the description"
            )
            self._note("kept-in-description", message, row, sheet.cell(row, column, header), "info")
        return extra

    def _row(
        self, sheet: Sheet, row: int, texts: list[str], headers: list[str],
        columns: dict[int, str], extra: dict[int, str],
    ) -> None:  # fmt: skip
        values: dict[str, str] = {}
        cells: dict[str, str] = {}
        for column, text in enumerate(texts):
            if not text:
                continue
            if column in columns:
                values[columns[column]] = text
                cells[columns[column]] = sheet.cell(row, column, headers[column])
            elif column not in extra and (column >= len(headers) or not headers[column]):
                cell = sheet.cell(row, column, "")
                self._problem(
                    "extra-cell", f"value {text!r} is in a column without a header", row, cell
                )
        kept = [f"{extra[c]}：{texts[c]}" for c in extra if c < len(texts) and texts[c]]
        field, attr_cells = _RowReader(self, row, values, cells).read(kept)
        self.fields.append(field)
        self.cells.append((row, attr_cells))

    def _note(self, code: str, message: str, row: int, cell: str, severity: str) -> None:
        self.notes.append(
            {"code": code, "message": message, "pointer": cell, "line": row, "severity": severity}
        )

    def _problem(self, code: str, message: str, row: int, cell: str | None) -> None:
        location = Location(self.table.file, row, cell, self.form_id)
        self.problems.append(make_problem(code, message, location))


class _RowReader:
    """Turns the cells of one 数据元 row into a field, reporting problems and notes."""

    def __init__(
        self, owner: _DataElementReader, row: int, values: dict[str, str], cells: dict[str, str]
    ) -> None:
        self.owner, self.row, self.values, self.cells = owner, row, values, cells
        self.data: dict[str, Any] = {}
        self.attr_cells: dict[str, str] = {}
        self.description: list[str] = []

    def _set(self, attr: str, value: Any, column: str) -> None:
        self.data[attr] = value
        self.attr_cells[attr] = self.cells[column]

    def read(self, kept: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
        """The field of the row, and the cell each attribute came from."""
        values = self.values
        for attr in ("label", "key", "description"):
            if attr in values:
                self._set(attr, values[attr], attr)
        if "key" not in self.data and "label" in self.data:
            self._set("key", values["label"], "label")
        self._type()
        self._precision()
        self._required()
        self._values()
        self._length()
        self._representation()
        if "examples" in values:
            examples = [p.strip() for p in re.split(r"[;；\n]", values["examples"]) if p.strip()]
            self._set("examples", examples, "examples")
        if "group" in values:
            self._set("group", [{"key": values["group"], "label": values["group"]}], "group")
        if self.data.get("type") == "enum" and not self.data.get("options"):
            self.data["type"] = "string"  # an unresolved code set: noted where it was read
        parts = [self.data.get("description", ""), *self.description, *kept]
        description = "\n".join(p for p in parts if p)
        if description:
            self.data["description"] = description
        return self.data, self.attr_cells

    def _type(self) -> None:
        text = self.values.get("type")
        if text is None:
            return
        name, size, scale = text.strip(), None, None
        sized = _SIZED_TYPE.match(name)
        if sized:
            name, size, scale = sized.group(1), sized.group(2), sized.group(3)
        representation = _REPRESENTATION.match(name)
        if representation:  # a type written as a representation: C..50, N8
            name = representation.group(1)
            size, scale = representation.group(3), representation.group(4)
            if not representation.group(2) and name.lower() != "n":
                self._set("min_length", int(size), "type")
        kind = DATA_TYPES.get(name.lower())
        if kind is None:
            known = "字符型, 数值型, 整数型, 日期型, 日期时间型, 时间型, 代码型, 布尔型, 二进制"
            message = f"数据类型 {text!r} is not one of {known}"
            self.owner._problem("unknown-type", message, self.row, self.cells["type"])
            return
        if kind == "number" and scale is not None and int(scale) == 0:
            kind = "integer"
        self._set("type", kind, "type")
        if size is not None and kind in ("string", "enum"):
            self._set("max_length", int(size), "type")
        elif size is not None:
            self.description.append(f"长度：{size}{f',{scale}' if scale else ''}")

    def _precision(self) -> None:
        text = self.values.get("precision")
        if text is None:
            return
        if text.strip() == "0" and self.data.get("type") == "number":
            self._set("type", "integer", "precision")  # no decimals: a whole number
        else:
            self.description.append(f"精度：{text}")

    def _required(self) -> None:
        for column, invert in (("required", False), ("nullable", True)):
            if column in self.values:
                try:
                    value = parse_bool(self.values[column])
                except CellError as e:
                    self.owner._problem(e.code, f"{column}: {e}", self.row, self.cells[column])
                    continue
                self._set("required", value != invert, column)
        text = self.values.get("obligation")
        if text is not None:
            word = text.strip().lower()
            if word in OBLIGATIONS:
                self._set("required", OBLIGATIONS[word], "obligation")
            elif word in ("c", "条件必选", "条件选"):
                self.description.append(f"约束条件：{text}")
            else:
                message = f"约束条件 {text!r} is not M, O or C (必选, 可选, 条件必选)"
                self.owner._problem("invalid-boolean", message, self.row, self.cells["obligation"])

    def _values(self) -> None:
        text = self.values.get("values")
        if text is None:
            return
        found = parse_value_range(text)
        kind = self.data.get("type")
        if found.standards:
            self._code_set(text, found.standards)
        elif found.options and kind in (None, "enum", "string", "integer", "number"):
            options = [{"code": code, "label": label} for code, label in found.options]
            self._set("options", options, "values")
            self._set("type", "enum", "values")
        elif found.minimum is not None and kind in (None, "number", "integer"):
            self._set("type", kind or "number", "values")
            self._set("minimum", found.minimum, "values")
            self._set("maximum", found.maximum, "values")
        else:
            self.description.append(f"值域：{text}")
            if kind == "enum":
                message = f"值域 {text!r} names no code set formmerge can read; read as text"
                self.owner._note(
                    "unresolved-code-set", message, self.row, self.cells["values"], "warning"
                )

    def _code_set(self, text: str, standards: list[Any]) -> None:
        code_lists = self.owner.code_sets.resolve(standards[0])
        cell = self.cells["values"]
        if len(code_lists) == 1:
            codes = code_lists[0].codes
            self._set("options", [{"code": c.code, "label": c.label_zh} for c in codes], "values")
            self._set("type", "enum", "values")
            return
        self.description.append(f"值域：{text}")
        if code_lists:
            names = ", ".join(c.id for c in code_lists)
            message = f"{text!r} fits several code lists of the catalog ({names}); name one"
        else:
            message = f"no code list of the catalog follows {text!r}; read as text"
        self.owner._note("unresolved-code-set", message, self.row, cell, "warning")

    def _length(self) -> None:
        text = self.values.get("length")
        if text is None:
            return
        length = _LENGTH.match(text.strip())
        if length is None:
            message = f"长度 {text!r} is not a number"
            self.owner._problem("invalid-number", message, self.row, self.cells["length"])
            return
        if self.data.get("type", "string") in ("string", "enum"):
            if length.group(1):
                self._set("min_length", int(length.group(1)), "length")
            self._set("max_length", int(length.group(2)), "length")
        else:
            self.description.append(f"长度：{text}")

    def _representation(self) -> None:
        text = self.values.get("representation")
        if text is None:
            return
        kind = self.data.get("type", "string")
        compact = _REPRESENTATION.match(text.strip())
        if kind in ("date", "datetime") and any(token in text for token, _ in DATE_TOKENS):
            date_format = text.strip()
            for token, directive in DATE_TOKENS:
                date_format = date_format.replace(token, directive)
            self._set("date_format", date_format, "representation")
        elif compact and kind in ("string", "enum"):
            size = int(compact.group(3))
            if not compact.group(2):
                self._set("min_length", size, "representation")
            self._set("max_length", size, "representation")
        else:
            self.description.append(f"表示格式：{text}")

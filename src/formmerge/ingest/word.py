"""Application forms kept as Word documents (``.docx``): the tables of a 申请表.

The document is opened with python-docx and read in body order. Each table becomes the same
cell grid the HTML reader builds (``w:gridSpan`` is the column span, a ``w:vMerge`` run of
cells is one cell spanning rows) and is read by :mod:`~formmerge.ingest._table_layout`, so a
Word form and its HTML rendering read to the same fields. ``${code}`` placeholders in the text
are slots as in HTML templates. The title is the most prominent paragraph before the first
table: a Title or Heading style, else the largest font, else bold text, else the first one.
Legacy ``.doc`` files are not read; save them as ``.docx``.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from formmerge.errors import FormError, Location
from formmerge.ingest._cells import Cell, KeyNumbering, Segment, Slot, label_of, placeholder_code
from formmerge.ingest._problems import make_problem
from formmerge.ingest._table_form import Block, build_table_form
from formmerge.models import Form

__all__ = ["WORD_SUFFIXES", "load_docx"]

WORD_SUFFIXES = (".docx",)
"""File extensions read as Word table forms."""

_PLACEHOLDER_RE = re.compile(r"\$\{([^{}]*)\}")
_HALF_POINTS_PER_POINT = 2

_W_NAMESPACE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def qn(tag: str) -> str:
    """The namespaced name of a ``w:`` tag, as :func:`docx.oxml.ns.qn` gives it."""
    return _W_NAMESPACE + tag.removeprefix("w:")


def load_docx(path: Path, file: str, *, strict: bool = False) -> Form:
    """Read a Word table form.

    Args:
        path: the ``.docx`` file.
        file: the name used for it in problem locations and ``Form.source_file``.
        strict: turn ``warning`` notes into errors.

    Raises:
        FormError: the file is not a readable ``.docx`` document, or holds no table.
    """
    import docx  # imported when a document is read: it is slow to import
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        message = f"not a readable .docx document: {e}".replace(str(path), file)
        problem = make_problem("unreadable-file", message, Location(file=file))
        raise FormError(f"cannot read the form in {file}", [problem]) from e
    reader = _BodyReader()
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            reader.table(element)
        elif element.tag == qn("w:p"):
            reader.paragraph(element)
    return build_table_form(reader.blocks, path.stem, file, strict=strict)


class _BodyReader:
    def __init__(self) -> None:
        self.keys = KeyNumbering()
        self.blocks: list[Block] = []
        self.tables = 0
        self.paragraphs = 0

    def paragraph(self, element: Any) -> None:
        segments = tuple(self._segments(_paragraph_text(element)))
        if not any(isinstance(s, Slot) or label_of(s) for s in segments):
            return
        self.paragraphs += 1
        pointer = f"paragraph {self.paragraphs}"
        cell = Cell(0, 0, 1, 1, segments, pointer, prominence=_prominence(element))
        self.blocks.append(Block(cell=cell))

    def table(self, element: Any) -> None:
        self.tables += 1
        number = self.tables
        cells: list[Cell] = []
        open_rows: dict[int, int] = {}  # grid column -> index in cells of a vMerge run
        for row_index, tr in enumerate(element.iterchildren(qn("w:tr"))):
            col = _grid_before(tr)
            for cell_index, tc in enumerate(tr.iterchildren(qn("w:tc"))):
                span = _grid_span(tc)
                merge = _vertical_merge(tc)
                if merge == "continue" and col in open_rows:
                    started = cells[open_rows[col]]
                    cells[open_rows[col]] = _grown(started, row_index)
                else:
                    pointer = f"table {number}, row {row_index + 1}, cell {cell_index + 1}"
                    paragraphs = list(tc.iterchildren(qn("w:p")))
                    text = "\n".join(_paragraph_text(p) for p in paragraphs)
                    segments = tuple(self._segments(text))
                    prominence = max(map(_prominence, paragraphs), default=(0, 0.0, 0))
                    cell = Cell(row_index, col, 1, span, segments, pointer, prominence=prominence)
                    cells.append(cell)
                    if merge == "restart":
                        open_rows[col] = len(cells) - 1
                    else:
                        open_rows.pop(col, None)
                col += span
        self.blocks.append(Block(cells=cells, table=number))

    def _segments(self, text: str) -> Iterator[Segment]:
        last = 0
        for match in _PLACEHOLDER_RE.finditer(text):
            yield text[last : match.start()]
            code = placeholder_code(match.group(1))
            yield Slot(self.keys.number(code or "value"), match.group(0))
            last = match.end()
        yield text[last:]


def _grown(cell: Cell, row: int) -> Cell:
    return dataclasses.replace(cell, rowspan=row - cell.row + 1)


def _paragraph_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _grid_span(tc: Any) -> int:
    span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    value = span.get(qn("w:val")) if span is not None else None
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def _grid_before(tr: Any) -> int:
    before = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    value = before.get(qn("w:val")) if before is not None else None
    return int(value) if value and value.isdigit() else 0


def _vertical_merge(tc: Any) -> str | None:
    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    if merge is None:
        return None
    return "restart" if merge.get(qn("w:val")) == "restart" else "continue"


def _prominence(p: Any) -> tuple[int, float, int]:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    name = style.get(qn("w:val")) if style is not None else ""
    heading = 0
    if name == "Title":
        heading = 7
    elif name.startswith("Heading") and name[7:].isdigit():
        heading = max(0, 7 - int(name[7:]))
    sizes = [
        int(s.get(qn("w:val"))) / _HALF_POINTS_PER_POINT
        for s in p.iter(qn("w:sz"))
        if (s.get(qn("w:val")) or "").isdigit()
    ]
    bold = any(True for _ in p.iter(qn("w:b")))
    return heading, max(sizes, default=0.0), int(bold)

"""Building the :class:`~formmerge.models.Form` of a table form from its tables and paragraphs.

The HTML and Word readers hand over the document as :class:`Block` records in document order:
a table (its cells) or a paragraph outside the tables (one cell). This module runs the layout
analysis on each, makes keys and group keys unique across the form, takes the title, and
builds the form with its notes. ``strict`` reading turns ``warning`` notes into errors;
``info`` notes (parts skipped by design) never are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from formmerge.errors import Location
from formmerge.ingest._build import build_form
from formmerge.ingest._cells import Cell, KeyNumbering, key_from_text, label_of
from formmerge.ingest._office_use import classify_part, note_code
from formmerge.ingest._problems import Loc, make_problem, raise_problems
from formmerge.ingest._table_layout import FieldDraft, TableLayout, analyse_table, field_data
from formmerge.models import Form, Note

__all__ = ["Block", "build_table_form"]


@dataclass(frozen=True)
class Block:
    """A table (``cells``) or a paragraph outside the tables (``cell``) of a document.

    Attributes:
        cells: the table's cells on its grid; ``None`` for a paragraph.
        cell: the paragraph as one cell; ``None`` for a table.
        table: the table's 1-based number in the document.
    """

    cells: list[Cell] | None = None
    cell: Cell | None = None
    table: int = 0


def build_table_form(blocks: list[Block], form_id: str, file: str, *, strict: bool) -> Form:
    """The form the blocks of one document describe.

    The title is the most prominent text (see ``Cell.prominence``) before the first field:
    a paragraph before the first table, a table of text alone above the form (a layout table
    holding the heading), or a cell alone across the first row of the first table.

    Args:
        blocks: the document's tables and paragraphs, in order.
        form_id: the form's id (the file's stem).
        file: the file name, for problem locations and ``Form.source_file``.
        strict: raise a :class:`~formmerge.errors.FormError` for every ``warning`` note.

    Raises:
        FormError: the document holds neither a table nor a slot, a built field is invalid,
            or ``strict`` is set and a note is a warning.
    """
    title_cell = max(_title_candidates(blocks), key=lambda c: c.prominence, default=None)
    title, notes = _title(title_cell)
    drafts: list[FieldDraft] = []
    template = any(c.slots for b in blocks for c in _cells_of(b))
    for block in blocks:
        if block.cell is not None and block.cell is title_cell:
            continue
        if block.cells is not None and title_cell in block.cells:
            block = Block(cells=[c for c in block.cells if c is not title_cell], table=block.table)
        layout = _layout(block, template)
        drafts += layout.fields
        notes += layout.notes
    if not drafts and not any(b.cells for b in blocks):
        message = "no table and no value slot found: nothing reads as a form"
        problem = make_problem("empty-file", message, Location(file=file))
        raise_problems(file, [problem])
    fields = _unique_fields(drafts)
    if strict:
        _refuse_warnings(notes, file, form_id)
    data: dict[str, Any] = {"id": form_id, "title": title, "fields": fields, "notes": notes}

    def locate(loc: Loc) -> Location:
        index = loc[1] if len(loc) > 1 and loc[0] == "fields" else None
        if not isinstance(index, int) or index >= len(drafts):
            return Location(file=file, form=form_id)
        cell = drafts[index].cell
        return Location(file, cell.line, cell.pointer, form_id, fields[index]["key"])

    return build_form(data, locate, file, [])


def _title_candidates(blocks: list[Block]) -> list[Cell]:
    candidates: list[Cell] = []
    for block in blocks:
        if block.cell is not None:
            candidates.append(block.cell)
            continue
        cells = block.cells or []
        if all(not c.slots and c.colspan == 1 and c.col == 0 for c in cells):
            candidates += [c for c in cells if label_of(c.text)]  # a layout table of text
            continue
        first_row = [c for c in cells if c.row == 0]
        width = max((c.end_col for c in cells), default=0)
        if len(first_row) == 1 and first_row[0].colspan == width and not first_row[0].slots:
            candidates.append(first_row[0])
        break
    return candidates


def _title(cell: Cell | None) -> tuple[str, list[Note]]:
    if cell is None:
        return "", []
    if cell.slots and not label_of(cell.text):
        raws = ", ".join(s.raw for s in cell.slots)
        message = f"the title is filled in by the template ({raws}); the form has no printed title"
        note = Note(
            code="title-placeholder",
            message=message,
            pointer=cell.pointer,
            line=cell.line,
            severity="info",
        )
        return "", [note]
    return label_of(cell.text), []


def _cells_of(block: Block) -> list[Cell]:
    if block.cells is not None:
        return block.cells
    return [block.cell] if block.cell is not None else []


def _layout(block: Block, template: bool) -> TableLayout:
    if block.cells is not None:
        return analyse_table(block.cells, block.table, slots_only=template)
    cell = block.cell
    assert cell is not None
    if cell.slots:
        return analyse_table([cell], 0, slots_only=template)
    part = classify_part(cell.text)
    if part is None:
        return TableLayout()
    what = "office-use part" if part == "office-use" else "declaration or signature"
    note = Note(
        code=note_code(part),
        message=f"{what} {cell.text[:30]!r} left out of the fields",
        pointer=cell.pointer,
        line=cell.line,
        severity="info",
    )
    return TableLayout(notes=[note])


def _unique_fields(drafts: list[FieldDraft]) -> list[dict[str, Any]]:
    """Field data with group keys unique per header cell and paths unique per form."""
    group_keys: dict[tuple[str, str, bool], str] = {}
    group_numbering = KeyNumbering()
    path_numbering = KeyNumbering()
    fields = []
    for draft in drafts:
        keys = []
        for group in draft.groups:
            cell = group.cell
            identity = (cell.pointer, group.label, group.repeating)
            if identity not in group_keys:
                base = key_from_text(group.label) if group.label else _position_key(cell)
                group_keys[identity] = group_numbering.number(base)
            keys.append(group_keys[identity])
        path = "/".join([*keys, draft.key])
        numbered = path_numbering.number(path)
        key = draft.key if numbered == path else draft.key + numbered[len(path) :]
        fields.append(field_data(draft, key, keys))
    return fields


def _position_key(cell: Cell) -> str:
    return key_from_text(cell.pointer.replace(",", "-"))


def _refuse_warnings(notes: list[Note], file: str, form_id: str) -> None:
    problems = [
        make_problem(n.code, n.message, Location(file, n.line, n.pointer, form_id))
        for n in notes
        if n.severity == "warning"
    ]
    raise_problems(file, problems)

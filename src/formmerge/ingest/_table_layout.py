"""Reading fields from the layout of a form table (shared by the HTML and Word readers).

A paper application form is a grid of label cells and value cells. The analysis walks the
grid row by row, top to bottom, left to right, and decides each cell's part:

- a **label** cell is followed in its row by **value** cells: empty cells, slots (``${code}``,
  ``<input>``...) or check-box lists (``□是 □否``, read as the options of an enum field);
  a label followed by two value cells under a header row (``原`` / ``现`` columns of a change
  table) gives one field per column, each in the column header's group;
- a text cell spanning several rows, with cells to its right on more than one of them, is a
  **section**: a group of every field to its right in those rows; so is a short text cell
  alone across the whole table (a **banner**) for the rows below it, up to the end of the
  section it sits in; the first of two text cells side by side is the group of its row;
- a row of text cells only, above rows of value cells that fit under them, is a **header
  row**: the value cells below take their labels from it; two or more like value rows make a
  **repeating group** (blank repeats of an entry are read once and noted);
- a slot inside a text cell (``文号：${wh}``) is a field labelled by the text just before it.

Fields whose label or group is an office-use or declaration part (see
:mod:`~formmerge.ingest._office_use`) are left out and recorded as ``info`` notes naming the
cell and the placeholders left out; a slot without any label is kept with a ``warning``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from formmerge.ingest._cell_kinds import (
    colon_labels,
    covers,
    group_label,
    is_pledge,
    is_value_area,
    kind_of,
    not_a_heading,
    text_with_breaks,
    under,
)
from formmerge.ingest._cells import Cell, Slot, choice_parts, key_from_text, label_of
from formmerge.ingest._office_use import classify_part, note_code
from formmerge.models import Note
from formmerge.settings import DEFAULT_BANNER_MAX_CHARS, DEFAULT_MIN_REPEATED_ROWS

__all__ = ["FieldDraft", "GroupDraft", "TableLayout", "analyse_table", "field_data"]

_COLONS = (":", "：")

Severity = Literal["info", "warning"]


@dataclass(frozen=True)
class GroupDraft:
    """A group a field sits in: the header cell it comes from, and whether it repeats."""

    cell: Cell
    label: str
    repeating: bool = False


@dataclass
class FieldDraft:
    """A field found in a table, before keys are made unique across the form."""

    key: str
    label: str
    cell: Cell
    groups: list[GroupDraft]
    type: str = "string"
    options: list[tuple[str, str]] = field(default_factory=list)
    from_slot: bool = False


@dataclass
class TableLayout:
    """What one table yields: its fields and its notes, in document order."""

    fields: list[FieldDraft] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class _Context:
    """A section, banner or header row, and the rows it governs (``start`` to ``end``)."""

    cell: Cell
    start: int
    end: int
    kind: str  # "section" | "banner" | "header"
    cells: tuple[Cell, ...] = ()


def analyse_table(cells: list[Cell], table: int, *, slots_only: bool = False) -> TableLayout:
    """Fields and notes of one table.

    Args:
        cells: the table's cells placed on the grid (see :class:`~formmerge.ingest._cells.Cell`).
        table: the table's 1-based number in its document, for group keys of repeating rows.
        slots_only: the document is a template whose slots are what gets filled in: a blank
            value cell or a check-box list without a slot is noted, not made a field.
    """
    return _Analysis(cells, table, slots_only).run()


def field_data(draft: FieldDraft, key: str, group_keys: list[str]) -> dict[str, Any]:
    """The plain data of a :class:`~formmerge.models.Field` for a draft, with unique keys."""
    data: dict[str, Any] = {"key": key, "label": draft.label, "type": draft.type}
    if draft.options:
        data["options"] = [{"code": code, "label": label} for code, label in draft.options]
    data["group"] = [
        {"key": gk, "label": g.label, "repeating": g.repeating}
        for gk, g in zip(group_keys, draft.groups, strict=True)
    ]
    return data


class _Analysis:
    def __init__(self, cells: list[Cell], table: int, slots_only: bool) -> None:
        self.table = table
        self.slots_only = slots_only
        self.height = max((c.end_row for c in cells), default=0)
        self.width = max((c.end_col for c in cells), default=0)
        self.rows: list[list[Cell]] = [[] for _ in range(self.height)]
        for cell in sorted(cells, key=lambda c: (c.row, c.col)):
            self.rows[cell.row].append(cell)
        self.contexts: list[_Context] = []
        self.repeating: dict[int, GroupDraft] = {}  # grid row -> its repeating group
        self.folded: set[int] = set()
        self.out = TableLayout()
        self._skipped: dict[tuple[str, str, str], tuple[Cell, list[str]]] = {}
        self._placed: list[tuple[tuple[int, int], Note]] = []
        self._consumed: set[str] = set()  # label cells some value cell took its label from

    def run(self) -> TableLayout:
        for row in range(self.height):
            self.contexts = [c for c in self.contexts if c.end > row]
            if row in self.folded:
                continue
            cells = [c for c in self.rows[row] if not self._starts_section(c)]
            for cell in self.rows[row]:
                if self._starts_section(cell):
                    self.contexts.append(_Context(cell, cell.row, cell.end_row, "section"))
            if cells and not self._banner(row, cells) and not self._header(row, cells):
                self._data_row(cells)
        for (code, text, _), (cell, raws) in self._skipped.items():
            self._note(code, cell, text, raws)
        self._placed.sort(key=lambda placed: placed[0])
        self.out.notes = [note for _, note in self._placed]
        return self.out

    # ------------------------------------------------------------------ structure

    def _starts_section(self, cell: Cell) -> bool:
        if cell.rowspan < 2 or kind_of(cell) != "text" or cell.slots:
            return False
        right = [
            c
            for r in range(cell.row, min(cell.end_row, self.height))
            for c in self.rows[r]
            if c.col >= cell.end_col
        ]
        # a tall cell beside text only is part of a header several rows high, not a section
        return len({c.row for c in right}) > 1 and any(not_a_heading(c) for c in right)

    def _scope_end(self, cell: Cell) -> int:
        ends = [
            c.end
            for c in self.contexts
            if c.kind == "section" and c.cell.end_col <= cell.col and c.start <= cell.row < c.end
        ]
        return min(ends, default=self.height)

    def _banner(self, row: int, cells: list[Cell]) -> bool:
        if len(cells) != 1 or cells[0].slots or cells[0].end_col < self.width:
            return False
        cell = cells[0]
        text = cell.text
        lead, options = choice_parts(text)
        ticked = kind_of(cell) == "choice" and len(options) == 1 and not lead
        if not ticked and (kind_of(cell) != "text" or text.endswith(_COLONS)):
            return False
        if len(text) > DEFAULT_BANNER_MAX_CHARS or classify_part(text) == "declaration":
            self._unused(cell)  # prose: an instruction, or a pledge to note
            return True
        self.contexts = [c for c in self.contexts if c.kind == "section" or c.cell.col < cell.col]
        if ticked:  # "□设立": the applicant ticks the part of the form that applies
            self._emit(cell, options[0], None, None, draft_type="boolean")
        self.contexts.append(_Context(cell, row + 1, self._scope_end(cell), "banner"))
        return True

    def _header(self, row: int, cells: list[Cell]) -> bool:
        if len(cells) < 2 or any(not_a_heading(c) for c in cells):
            return False
        heads, block_end = list(cells), max(c.end_row for c in cells)
        for below_row in range(row + 1, min(block_end, self.height)):  # a header rows high
            more = self._data_cells(below_row)
            if any(not_a_heading(c) for c in more):
                return False
            heads += more
            block_end = max(block_end, *(c.end_row for c in more))
        below = self._data_cells(block_end)
        values = [c for c in below if kind_of(c) != "text"]
        if not values or not all(under(c, heads) for c in values):
            return False
        over_values = {h.pointer for h in heads for v in values if covers(h, v)}
        if len(over_values) < 2 and len(values) < len(below):
            return False  # a label row with its own values, not the head of value columns
        self.folded.update(range(row + 1, block_end))
        end = self._scope_end(cells[0])
        header = _Context(cells[0], block_end, end, "header", tuple(heads))
        self.contexts = [c for c in self.contexts if c.kind != "header"]
        self.contexts.append(header)
        self._find_repeats(header)
        return True

    def _data_cells(self, row: int) -> list[Cell]:
        if row >= self.height:
            return []
        return [c for c in self.rows[row] if not self._starts_section(c)]

    def _find_repeats(self, header: _Context) -> None:
        run: list[int] = []
        shape: list[tuple[int, int]] | None = None
        for row in range(header.start, header.end):
            cells = self._data_cells(row)
            row_shape = [(c.col, c.colspan) for c in cells]
            plain = cells and all(kind_of(c) == "value" and under(c, header.cells) for c in cells)
            if not plain or (shape is not None and row_shape != shape):
                break
            shape = row_shape
            run.append(row)
        if len(run) < DEFAULT_MIN_REPEATED_ROWS:
            return
        group = self._repeating_group(header, run)
        for row in run:
            self.repeating[row] = group
        if not any(c.slots for row in run for c in self._data_cells(row)):
            self.folded.update(run[1:])
            first = self._data_cells(run[0])[0]
            repeats = f"row {run[1] + 1} is a blank repeat"
            if len(run) > 2:
                repeats = f"rows {run[1] + 1}-{run[-1] + 1} are blank repeats"
            named = f" {group.label!r}" if group.label else ""
            message = (
                f"{repeats} of row {run[0] + 1} in table {self.table}: "
                f"read once, as the repeating group{named}"
            )
            self._add_note("repeated-rows", message, first, "info")

    def _repeating_group(self, header: _Context, run: list[int]) -> GroupDraft:
        enclosing = [c for c in self.contexts if c.kind != "header" and c.end == run[-1] + 1]
        enclosing = [c for c in enclosing if c.cell.row >= header.start - 2]
        if enclosing:
            inner = enclosing[-1]
            return GroupDraft(inner.cell, group_label(inner.cell), repeating=True)
        return GroupDraft(header.cell, "", repeating=True)

    # ------------------------------------------------------------------ rows of data

    def _data_row(self, cells: list[Cell]) -> None:
        label: Cell | None = None
        row_group: Cell | None = None
        for index, cell in enumerate(cells):
            kind = kind_of(cell)
            follower = cells[index + 1] if index + 1 < len(cells) else None
            if kind == "text" and cell.slots:
                self._inline(cell, label, row_group)
                label = None
            elif kind == "text" and label is not None and is_value_area(cell):
                self._value(cell, label, row_group, kind="value")
                self._unused(cell)  # its own signature or office box, noted apart
            elif kind == "text":
                if label is not None and label is not row_group:
                    self._unused(label)
                label = cell
                if cell.text.endswith(_COLONS) and (
                    follower is None or kind_of(follower) == "text"
                ):
                    for part in colon_labels(cell.text):  # written in the cell itself
                        self._emit(cell, part, None, row_group)
                    label = None
                elif (
                    follower is not None
                    and kind_of(follower) == "text"
                    and index == 0
                    and not (follower.slots or is_value_area(follower))
                ):
                    row_group, label = cell, None
            else:
                self._value(cell, label, row_group, kind=kind)
        if label is not None and label is not row_group and not self._used_label(label):
            self._unused(label)

    def _used_label(self, cell: Cell) -> bool:
        return cell.pointer in self._consumed

    def _value(self, cell: Cell, label: Cell | None, row_group: Cell | None, kind: str) -> None:
        heads = self._headers_over(cell)
        header = heads[-1] if heads else None
        columns = tuple(heads[:-1])  # the upper cells of a header several rows high
        if label is not None:
            self._consumed.add(label.pointer)
            text = label.text
            if header is not None and header.text != text and not covers(header, label):
                columns = (*columns, header)  # a change table's 原 / 现 column
        else:
            text = header.text if header is not None else ""
            if columns and text.startswith(("(", "（")):  # a unit under its quantity: 压力 (MPa)
                text, columns = columns[-1].text + text, columns[:-1]
        if kind == "choice":
            self._choice(cell, text, row_group, columns)
            return
        slots = cell.slots
        if slots:
            for slot in slots:
                self._emit(cell, text, slot, row_group, columns)
        elif text:
            self._emit(cell, text, None, row_group, columns)

    def _choice(
        self, cell: Cell, label: str, row_group: Cell | None, columns: tuple[Cell, ...]
    ) -> None:
        lead, options = choice_parts(text_with_breaks(cell))
        question = lead or label
        if len(options) == 1 and not question:
            question, options = options[0], []
        draft_type = "enum" if options else "boolean"
        pairs = [(o, o) for o in dict.fromkeys(options)]
        self._emit(cell, question, None, row_group, columns, draft_type, pairs)
        if cell.slots:
            self._inline(cell, None, row_group)

    def _inline(self, cell: Cell, label: Cell | None, row_group: Cell | None) -> None:
        """Slots written inside a text cell, each labelled by the text just before it."""
        pledge = classify_part(cell.text) == "declaration" and is_pledge(cell.text)
        before = ""
        for segment in cell.segments:
            if isinstance(segment, str):
                before += segment
                continue
            lines = [line for line in before.splitlines() if label_of(line)]
            own = label_of(choice_parts(lines[-1])[0] or lines[-1]) if lines else ""
            header = self._header_over(cell)
            text = own or (label.text if label else header.text if header else "")
            if pledge:
                self._skip("declaration", cell, cell.text, [segment.raw])
            else:
                self._emit(cell, text, segment, row_group)
            before = ""
        if classify_part(before) is not None and not pledge:
            self._skip(classify_part(before) or "declaration", cell, label_of(before), [])

    def _header_over(self, cell: Cell) -> Cell | None:
        """The lowest header cell above the cell's columns, if a header row governs it."""
        heads = self._headers_over(cell)
        return heads[-1] if heads else None

    def _headers_over(self, cell: Cell) -> list[Cell]:
        """Every header cell above the cell's columns, top to bottom."""
        for context in reversed(self.contexts):
            if context.kind == "header" and context.start <= cell.row < context.end:
                return sorted((h for h in context.cells if covers(h, cell)), key=lambda h: h.row)
        return []

    # ------------------------------------------------------------------ output

    def _groups(self, cell: Cell, *extra: Cell | None) -> list[GroupDraft]:
        around = [
            c
            for c in self.contexts
            if c.kind != "header"
            and c.start <= cell.row < c.end
            and (c.cell.end_col <= cell.col if c.kind == "section" else c.cell.col <= cell.col)
        ]
        around.sort(key=lambda c: (c.cell.col, c.cell.row))
        repeating = self.repeating.get(cell.row)
        groups: list[GroupDraft] = []
        for context in around:
            repeats = repeating is not None and repeating.cell is context.cell
            groups.append(GroupDraft(context.cell, group_label(context.cell), repeats))
        if repeating is not None and not any(g.repeating for g in groups):
            groups.append(repeating)
        groups += [GroupDraft(c, group_label(c)) for c in extra if c is not None]
        return groups

    def _emit(
        self,
        cell: Cell,
        label: str,
        slot: Slot | None,
        row_group: Cell | None,
        columns: tuple[Cell, ...] = (),
        draft_type: str = "string",
        options: list[tuple[str, str]] | None = None,
    ) -> None:
        groups = self._groups(cell, row_group, *columns)
        label = label_of(label)
        raws = [slot.raw] if slot else []
        for text in (label, *(g.label for g in reversed(groups))):
            part = classify_part(text)
            if part is not None:
                self._skip(part, cell, text, raws)
                return
        if not label and not groups and slot is None:
            return
        if not label and groups:  # a tall label beside its value: 地址 | ${dz} over two rows
            label = groups[-1].label
        if slot is None and self.slots_only:
            what = "check-box list" if options or draft_type != "string" else "blank value cell"
            message = f"{what} {label!r} has no placeholder: the template does not fill it in"
            self._add_note("blank-cell-skipped", message, cell, "info")
            return
        if slot is not None:
            if slot.options:
                draft_type, options = "enum", list(slot.options)
            elif slot.field_type != "string":
                draft_type = slot.field_type
        key = slot.key if slot else key_from_text(label)
        draft = FieldDraft(key, label, cell, groups, draft_type, options or [], slot is not None)
        self.out.fields.append(draft)
        if slot is not None and not label:
            message = f"{slot.raw} has no label: no text before it, left of it or above it"
            self._add_note("unlabelled-field", message, cell, "warning")

    def _skip(self, part: str, cell: Cell, text: str, raws: list[str]) -> None:
        key = (note_code(part), text, cell.pointer)  # type: ignore[arg-type]
        self._skipped.setdefault(key, (cell, []))[1].extend(raws)

    def _unused(self, cell: Cell) -> None:
        part = classify_part(cell.text)
        if part is not None:
            self._skip(part, cell, cell.text, [s.raw for s in cell.slots])

    def _note(self, code: str, cell: Cell, text: str, raws: list[str]) -> None:
        what = "office-use part" if code.startswith("office") else "declaration or signature"
        shown = text if len(text) <= DEFAULT_BANNER_MAX_CHARS else text[:DEFAULT_BANNER_MAX_CHARS]
        message = f"{what} {shown!r} left out of the fields"
        if raws:
            message += f"; its placeholders: {', '.join(raws)}"
        self._add_note(code, message, cell, "info")

    def _add_note(self, code: str, message: str, cell: Cell, severity: Severity) -> None:
        note = Note(
            code=code,
            message=message,
            pointer=cell.pointer,
            line=cell.line,
            severity=severity,
        )
        self._placed.append(((cell.row, cell.col), note))

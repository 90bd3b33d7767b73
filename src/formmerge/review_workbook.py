"""The review queue as a workbook colleagues fill in, and their decisions read back.

:func:`write_review_workbook` writes one row per queued field on the ``queue`` sheet: form,
field, label, section, the proposal, the top candidates (``item@role score``), the deciding
reason and all reasons, then three columns to fill in:

- ``decision``: a candidate's ``item@role``, ``reject`` (the proposed item is wrong for the
  field), or any catalog item id; a drop-down lists these (from the hidden ``choices`` sheet);
- ``role``: the role the field is about, when the decision names an item without one (a
  drop-down of the catalog's roles, from the hidden ``roles`` sheet); it overrides the role of
  ``item@role``;
- ``note`` and ``decided by``: kept with the decision.

:func:`read_review_workbook` reads the filled rows back as
:class:`~formmerge.decisions.Decision` records. A workbook edited elsewhere need not honour the
drop-downs, so every value is checked again; each bad value is a problem located by sheet, row
and column (``queue!L7 (decision)``), all reported at once. :func:`apply_review_workbook` merges
the decisions into a decisions file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from formmerge.catalog import load_catalog
from formmerge.decisions import Decision, Decisions, load_decisions
from formmerge.errors import DecisionsError, Location, Problem
from formmerge.models import Catalog, Form
from formmerge.problem_codes import problem
from formmerge.review import ReviewQueue, check_decision_targets
from formmerge.role_nouns import is_open_role

__all__ = [
    "CHOICES_SHEET",
    "COLUMNS",
    "QUEUE_SHEET",
    "REJECT",
    "ROLES_SHEET",
    "apply_review_workbook",
    "read_review_workbook",
    "write_review_workbook",
]

QUEUE_SHEET = "queue"
CHOICES_SHEET = "choices"
"""Hidden: row ``n`` lists the choices of the queue's row ``n`` (candidates, reject, items)."""
ROLES_SHEET = "roles"
"""Hidden: the catalog's role ids, one a row."""
REJECT = "reject"
"""The decision that rules the proposed item out for the field."""

CANDIDATE_COLUMNS = 3
"""Candidates shown, one a column."""
COLUMNS: tuple[str, ...] = (
    "form",
    "field",
    "label",
    "section",
    "proposal",
    "score",
    *(f"candidate {n}" for n in range(1, CANDIDATE_COLUMNS + 1)),
    "deciding reason",
    "all reasons",
    "decision",
    "role",
    "note",
    "decided by",
)
"""The ``queue`` sheet's header row."""
_REQUIRED = ("form", "field", "proposal", "decision")
_WIDTHS = {"label": 24, "section": 20, "deciding reason": 40, "all reasons": 60, "decision": 28}


def _col(name: str) -> int:
    return COLUMNS.index(name) + 1


def write_review_workbook(
    queue: ReviewQueue, path: str | Path, catalog: Catalog | None = None
) -> Path:
    """Write the queue as an XLSX workbook with drop-downs for the decisions.

    Args:
        queue: the review queue.
        path: the workbook to write.
        catalog: the catalog whose items and roles the drop-downs offer (default: shipped).

    Returns:
        The path written.
    """
    catalog = catalog or load_catalog()
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = QUEUE_SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "D2"
    choices = book.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    roles = book.create_sheet(ROLES_SHEET)
    roles.sheet_state = "hidden"
    for role in catalog.roles:
        roles.append([role.id])
    item_ids = [i.id for i in catalog.items]
    decision_col = get_column_letter(_col("decision"))
    for row, entry in enumerate(queue.entries, start=2):
        candidates = [f"{c.target} {c.score:.2f}" for c in entry.candidates]
        candidates += [""] * (CANDIDATE_COLUMNS - len(candidates))
        sheet.append(
            [
                entry.form,
                entry.key,
                entry.label,
                entry.section,
                entry.proposal,
                entry.score,
                *candidates[:CANDIDATE_COLUMNS],
                entry.deciding,
                "\n".join(entry.reasons),
                None,
                None,
                None,
                None,
            ]
        )
        options = [c.target for c in entry.candidates] + [REJECT] + item_ids
        for col, value in enumerate(options, start=1):
            choices.cell(row=row, column=col, value=value)
        last = get_column_letter(len(options))
        validation = DataValidation(
            type="list",
            formula1=f"{CHOICES_SHEET}!$A${row}:${last}${row}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="not a choice",
            error="a candidate's item@role, reject, or a catalog item",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{decision_col}{row}")
    role_col = get_column_letter(_col("role"))
    if queue.entries:
        role_validation = DataValidation(
            type="list",
            formula1=f"{ROLES_SHEET}!$A$1:$A${len(catalog.roles)}",
            allow_blank=True,
        )
        sheet.add_data_validation(role_validation)
        role_validation.add(f"{role_col}2:{role_col}{len(queue.entries) + 1}")
    for name, width in _WIDTHS.items():
        sheet.column_dimensions[get_column_letter(_col(name))].width = width
    for row_cells in sheet.iter_rows(min_row=2, min_col=_col("all reasons")):
        row_cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    out = Path(path)
    book.save(out)
    return out


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


class _RowReader:
    """Turns the rows of a ``queue`` sheet into decisions, collecting located problems."""

    def __init__(self, file: str, sheet: Worksheet, catalog: Catalog) -> None:
        self.file = file
        self.sheet = sheet
        self.items = {i.id: i for i in catalog.items}
        self.roles = {r.id for r in catalog.roles}
        self.problems: list[Problem] = []
        self.columns: dict[str, int] = {}

    def where(self, row: int, column: str, form: str = "", field: str = "") -> Location:
        cell = f"{get_column_letter(self.columns[column])}{row}"
        pointer = f"sheet {self.sheet.title!r}, row {row}, column {column!r} ({cell})"
        return Location(file=self.file, pointer=pointer, form=form or None, field=field or None)

    def headers(self) -> bool:
        first = next(self.sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        self.columns = {_text(v): n for n, v in enumerate(first, start=1) if _text(v)}
        missing = [c for c in _REQUIRED if c not in self.columns]
        if missing:
            message = f"sheet {self.sheet.title!r} lacks the column(s) {', '.join(missing)}"
            where = Location(file=self.file, pointer=f"sheet {self.sheet.title!r}, row 1")
            self.problems.append(problem("bad-workbook", message, where))
        return not missing

    def decisions(self) -> list[Decision]:
        out: list[Decision] = []
        for row, values in enumerate(self.sheet.iter_rows(min_row=2, values_only=True), start=2):
            cells = {
                name: _text(values[n - 1]) if n - 1 < len(values) else ""
                for name, n in self.columns.items()
            }
            decision = self.row(row, cells)
            if decision is not None:
                out.append(decision)
        return out

    def row(self, row: int, cells: dict[str, str]) -> Decision | None:
        form, field, choice = cells["form"], cells["field"], cells["decision"]
        role = cells.get("role", "")
        if not choice:
            if role:
                message = "a role needs a decision: write the item (or item@role) too"
                self.problems.append(problem("invalid-decision", message, self.where(row, "role")))
            return None
        if not form or not field:
            message = "the row names no form and field: keep the columns as written"
            column = "form" if not form else "field"
            self.problems.append(problem("invalid-decision", message, self.where(row, column)))
            return None
        base = {
            "form": form,
            "field": field,
            "label": cells.get("label") or None,
            "note": cells.get("note", ""),
            "decided_by": cells.get("decided by", ""),
        }
        if choice.casefold() == REJECT:
            proposed = cells["proposal"].partition("@")[0]
            if proposed not in self.items:
                message = "nothing to reject: the row has no proposed item"
                where = self.where(row, "decision", form, field)
                self.problems.append(problem("invalid-decision", message, where))
                return None
            return Decision(**base, item=proposed, status="rejected")
        item, _, typed_role = choice.partition("@")
        item, role = item.strip(), (role or typed_role).strip()
        where = self.where(row, "decision", form, field)
        if item not in self.items:
            message = f"item {item!r} is not in the catalog (choose a candidate, reject or an item)"
            self.problems.append(problem("unknown-item", message, where))
            return None
        if role and role not in self.roles and not is_open_role(role):
            column = "role" if cells.get("role") else "decision"
            message = f"role {role!r} is not a catalog role"
            self.problems.append(
                problem("unknown-role", message, self.where(row, column, form, field))
            )
            return None
        allowed = self.items[item].roles
        if role and not is_open_role(role) and role not in allowed:
            column = "role" if cells.get("role") else "decision"
            message = f"{item} allows roles {', '.join(allowed)}, not {role}"
            self.problems.append(
                problem("role-not-allowed", message, self.where(row, column, form, field))
            )
            return None
        return Decision(**base, item=item, role=role or None)


def read_review_workbook(
    path: str | Path, catalog: Catalog | None = None, forms: Sequence[Form] | None = None
) -> list[Decision]:
    """The decisions filled into a review workbook, in row order (rows left blank give none).

    Args:
        path: the workbook :func:`write_review_workbook` wrote, filled in.
        catalog: the catalog decisions must name items and roles of (default: shipped).
        forms: if given, every decided row must name one of their fields.

    Raises:
        DecisionsError: the file is no workbook or lacks the ``queue`` sheet or a column, or
            rows hold values that are not decisions; every problem located by sheet, row and
            column.
    """
    file = str(path)
    catalog = catalog or load_catalog()
    try:
        book = load_workbook(path, data_only=True)
    except FileNotFoundError as exc:
        where = Location(file=file)
        raise DecisionsError(
            "cannot read the review workbook", [problem("file-not-found", "no such file", where)]
        ) from exc
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        where = Location(file=file)
        message = f"not an XLSX workbook ({type(exc).__name__})"
        raise DecisionsError(
            "cannot read the review workbook", [problem("bad-workbook", message, where)]
        ) from exc
    try:
        if QUEUE_SHEET not in book.sheetnames:
            message = f"no sheet {QUEUE_SHEET!r}; sheets: {', '.join(book.sheetnames)}"
            where = Location(file=file)
            raise DecisionsError(
                "cannot read the review workbook", [problem("bad-workbook", message, where)]
            )
        sheet = book[QUEUE_SHEET]
        if not isinstance(sheet, Worksheet):
            where = Location(file=file, pointer=f"sheet {QUEUE_SHEET!r}")
            raise DecisionsError(
                "cannot read the review workbook",
                [problem("bad-workbook", "the queue sheet is a chart, not a worksheet", where)],
            )
        reader = _RowReader(file, sheet, catalog)
        decisions = reader.decisions() if reader.headers() else []
    finally:
        book.close()
    if reader.problems:
        raise DecisionsError(
            "the review workbook holds values that are not decisions", reader.problems
        )
    if forms is not None:
        check_decision_targets(Decisions(decisions, source=file), forms)
    return decisions


def apply_review_workbook(
    path: str | Path,
    decisions_path: str | Path,
    *,
    forms: Sequence[Form] | None = None,
    catalog: Catalog | None = None,
) -> Decisions:
    """Merge a filled review workbook into a decisions file (created if missing).

    A decision about a field replaces an earlier one about the same field and item; the
    file's other entries (``same:``, ``roles:``) are kept.

    Returns:
        The decisions as written.

    Raises:
        DecisionsError: see :func:`read_review_workbook`; nothing is written then.
    """
    catalog = catalog or load_catalog()
    decided = read_review_workbook(path, catalog, forms)
    decisions = load_decisions(decisions_path, missing_ok=True)
    for decision in decided:
        decisions = decisions.record(decision)
    decisions.check_against(catalog)
    decisions.save(decisions_path)
    return decisions

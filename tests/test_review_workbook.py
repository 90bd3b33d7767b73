"""The review workbook: queue to XLSX, decisions typed in, read back, applied, re-merged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.catalog import load_catalog
from formmerge.cli import main
from formmerge.decisions import load_decisions
from formmerge.errors import DecisionsError
from formmerge.merging import merge
from formmerge.models import Form
from formmerge.review import ReviewQueue, review_queue
from formmerge.review_workbook import (
    CHOICES_SHEET,
    COLUMNS,
    QUEUE_SHEET,
    REJECT,
    ROLES_SHEET,
    apply_review_workbook,
    read_review_workbook,
    write_review_workbook,
)

NEWBORN = next(p for p in list_example_bundles() if p.name == "newborn-birth")
DECISION = COLUMNS.index("decision") + 1
ROLE = COLUMNS.index("role") + 1
NOTE = COLUMNS.index("note") + 1


@pytest.fixture(scope="module")
def forms() -> list[Form]:
    return load_bundle(NEWBORN).forms


@pytest.fixture(scope="module")
def queue(forms: list[Form]) -> ReviewQueue:
    found = review_queue(forms)
    assert len(found.entries) >= 3  # the round trip needs fields to decide
    return found


def _fill(path: Path, values: dict[int, tuple[str, str]]) -> None:
    """Type decisions (decision, role) into rows of the queue sheet, as a colleague would."""
    book = load_workbook(path)
    sheet = book[QUEUE_SHEET]
    for row, (decision, role) in values.items():
        sheet.cell(row=row, column=DECISION, value=decision or None)
        sheet.cell(row=row, column=ROLE, value=role or None)
    book.save(path)


def _row_of(path: Path, ref: str) -> int:
    sheet = load_workbook(path)[QUEUE_SHEET]
    for row in range(2, sheet.max_row + 1):
        if f"{sheet.cell(row, 1).value}:{sheet.cell(row, 2).value}" == ref:
            return row
    raise KeyError(ref)


def test_the_workbook_holds_the_queue_and_drop_downs(queue: ReviewQueue, tmp_path: Path) -> None:
    path = write_review_workbook(queue, tmp_path / "queue.xlsx")
    book = load_workbook(path)
    sheet = book[QUEUE_SHEET]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == len(queue.entries) + 1
    row = _row_of(path, "birth-medical-certificate:fq/zz")
    assert "hukou_address@father" in str(sheet.cell(row, COLUMNS.index("candidate 2") + 1).value)
    assert "close runner-up hukou_address" in str(sheet.cell(row, 10).value)
    assert book[CHOICES_SHEET].sheet_state == "hidden"
    choices = [c.value for c in book[CHOICES_SHEET][row] if c.value]
    assert choices[:3] == [
        c.target for c in queue.entry("birth-medical-certificate:fq/zz").candidates
    ]
    assert REJECT in choices and "citizen_id" in choices
    decision_cell = sheet.cell(row, DECISION).coordinate
    lists = [dv for dv in sheet.data_validations.dataValidation if decision_cell in dv.sqref]
    assert (
        len(lists) == 1 and lists[0].formula1 == f"{CHOICES_SHEET}!$A${row}:${_last(choices)}${row}"
    )


def _resolve(book: Workbook, formula: str) -> list[object]:
    """The values a list formula such as ``choices!$A$2:$F$2`` offers, read from its sheet."""
    name, _, ref = formula.partition("!")
    cells = book[name][ref.replace("$", "")]
    flat = [c for line in cells for c in line] if isinstance(cells[0], tuple) else list(cells)
    return [c.value for c in flat if c.value is not None]


def test_every_row_has_drop_downs_pointing_at_its_choices_and_the_roles(
    queue: ReviewQueue, tmp_path: Path
) -> None:
    path = write_review_workbook(queue, tmp_path / "queue.xlsx")
    book = load_workbook(path)
    sheet = book[QUEUE_SHEET]
    catalog = load_catalog()
    items = {i.id for i in catalog.items}
    roles = [r.id for r in catalog.roles]
    validations = sheet.data_validations.dataValidation
    assert all(dv.type == "list" for dv in validations)
    for row, entry in enumerate(queue.entries, start=2):
        decision = sheet.cell(row, DECISION).coordinate
        on_decision = [dv for dv in validations if decision in dv.sqref]
        assert len(on_decision) == 1, decision
        offered = _resolve(book, on_decision[0].formula1)
        assert offered[: len(entry.candidates)] == [c.target for c in entry.candidates]
        assert REJECT in offered and items <= set(offered)
        role = sheet.cell(row, ROLE).coordinate
        on_role = [dv for dv in validations if role in dv.sqref]
        assert len(on_role) == 1, role
        assert _resolve(book, on_role[0].formula1) == roles
    assert book[ROLES_SHEET].sheet_state == "hidden"


def _last(choices: list[object]) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(len(choices))


def test_round_trip_decided_fields_leave_the_queue(
    forms: list[Form], queue: ReviewQueue, tmp_path: Path
) -> None:
    path = write_review_workbook(queue, tmp_path / "queue.xlsx")
    father = _row_of(path, "birth-medical-certificate:fq/zz")
    mother = _row_of(path, "birth-medical-certificate:mq/zz")
    guardian = _row_of(path, "resident-medical-insurance:grdn/grdn_rlts")
    book = load_workbook(path)
    book[QUEUE_SHEET].cell(father, COLUMNS.index("decided by") + 1, "王芳")
    book[QUEUE_SHEET].cell(father, NOTE, "as on the identity card")
    book.save(path)
    _fill(
        path,
        {
            father: ("hukou_address@father", ""),
            mother: ("hukou_address", "mother"),
            guardian: (REJECT, ""),
        },
    )
    decisions_file = tmp_path / "decisions.yaml"
    decisions = apply_review_workbook(path, decisions_file, forms=forms)
    assert sorted((d.field, d.item, d.role, d.status) for d in decisions.items) == [
        ("fq/zz", "hukou_address", "father", "confirmed"),
        ("grdn/grdn_rlts", "relationship", None, "rejected"),
        ("mq/zz", "hukou_address", "mother", "confirmed"),
    ]
    reread = load_decisions(decisions_file)
    by_field = {d.field: d for d in reread.items}
    assert (by_field["fq/zz"].decided_by, by_field["fq/zz"].note) == (
        "王芳",
        "as on the identity card",
    )
    assert by_field["fq/zz"].label == "住址"
    after = review_queue(forms, decisions=reread)
    left = {e.ref for e in after.entries}
    assert not {"birth-medical-certificate:fq/zz", "birth-medical-certificate:mq/zz"} & left
    assert "resident-medical-insurance:grdn/grdn_rlts" not in left or (
        after.entry("resident-medical-insurance:grdn/grdn_rlts").item != "relationship"
    )
    merged = merge(forms, decisions=reread)
    ids = {f.id for f in merged.fields}
    assert {"hukou_address@father", "hukou_address@mother"} <= ids
    # applying again changes nothing: a decision replaces the one about the same field and item
    assert apply_review_workbook(path, decisions_file, forms=forms).items == reread.items


@pytest.mark.parametrize(
    ("decision", "role", "code", "column"),
    [
        ("hukou_adress@father", "", "unknown-item", "decision"),
        ("hukou_address", "dad", "unknown-role", "role"),
        ("uscc", "father", "role-not-allowed", "role"),
        ("", "father", "invalid-decision", "role"),
    ],
)
def test_bad_workbook_values_are_located_by_sheet_row_and_column(
    queue: ReviewQueue, tmp_path: Path, decision: str, role: str, code: str, column: str
) -> None:
    path = write_review_workbook(queue, tmp_path / "queue.xlsx")
    row = _row_of(path, "birth-medical-certificate:fq/zz")
    _fill(path, {row: (decision, role), 2 if row != 2 else 3: ("hukou_address@mother", "")})
    with pytest.raises(DecisionsError) as err:
        read_review_workbook(path)
    assert err.value.codes == [code]
    where = err.value.problems[0].location
    letter = "L" if column == "decision" else "M"
    assert where.pointer == f"sheet 'queue', row {row}, column '{column}' ({letter}{row})"
    assert where.file == str(path)


def test_a_row_pointing_at_a_missing_field_is_refused(
    forms: list[Form], queue: ReviewQueue, tmp_path: Path
) -> None:
    path = write_review_workbook(queue, tmp_path / "queue.xlsx")
    book = load_workbook(path)
    book[QUEUE_SHEET].cell(2, 2, "no/such/field")
    book[QUEUE_SHEET].cell(2, DECISION, "name@applicant")
    book.save(path)
    with pytest.raises(DecisionsError) as err:
        read_review_workbook(path, forms=forms)
    assert err.value.codes == ["unknown-field"]


def test_not_a_workbook_or_without_the_decision_column(queue: ReviewQueue, tmp_path: Path) -> None:
    text = tmp_path / "queue.xlsx"
    text.write_text("form,field\n", encoding="utf-8")
    with pytest.raises(DecisionsError) as err:
        read_review_workbook(text)
    assert err.value.codes == ["bad-workbook"]
    path = write_review_workbook(queue, tmp_path / "q2.xlsx")
    book = load_workbook(path)
    book[QUEUE_SHEET].cell(1, DECISION, "verdict")
    book.save(path)
    with pytest.raises(DecisionsError) as err:
        read_review_workbook(path)
    assert err.value.codes == ["bad-workbook"] and "decision" in err.value.problems[0].message


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_what_is_typed_is_what_is_read(
    queue: ReviewQueue, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    """Any mix of candidates, rejections, catalog items and blanks reads back row for row."""
    catalog = load_catalog()
    path = write_review_workbook(queue, tmp_path_factory.mktemp("wb") / "q.xlsx", catalog)
    typed: dict[int, tuple[str, str]] = {}
    expected = []
    for row, entry in enumerate(queue.entries, start=2):
        options = [c.target for c in entry.candidates] + [REJECT, "", "name"]
        choice = data.draw(st.sampled_from(options))
        typed[row] = (choice, "")
        if choice == REJECT:
            expected.append((entry.key, entry.item, None, "rejected"))
        elif choice:
            item, _, role = choice.partition("@")
            expected.append((entry.key, item, role or None, "confirmed"))
    _fill(path, typed)
    read = read_review_workbook(path, catalog)
    assert [(d.field, d.item, d.role, d.status) for d in read] == expected


def test_review_xlsx_and_apply_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "queue.xlsx"
    decisions = tmp_path / "decisions.yaml"
    forms = str(NEWBORN / "forms")
    assert main(["review", forms, "--decisions", str(decisions), "--xlsx", str(path)]) == 0
    row = _row_of(path, "birth-medical-certificate:fq/zz")
    _fill(path, {row: ("hukou_address@father", "")})
    assert main(["review", "--apply", str(path), "--decisions", str(decisions), forms]) == 0
    assert "hukou_address" in decisions.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["review", forms, "--decisions", str(decisions)]) == 0
    assert "fq/zz" not in capsys.readouterr().out
    _fill(path, {row: ("hukou_address@uncle", "")})
    assert main(["review", "--apply", str(path), "--decisions", str(decisions)]) == 2
    out = capsys.readouterr().out
    assert "unknown-role" in out and f"row {row}" in out

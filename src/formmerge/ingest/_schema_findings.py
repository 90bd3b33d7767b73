"""What a JSON Schema reading found besides fields: problems (errors) and notes (remarks).

A problem stops the form from loading; a note is a located remark on something read
leniently or left out, kept in :attr:`~formmerge.models.Form.notes`. A part of the schema that
is read several times (a definition many properties ``$ref``) gives its note once.
"""

from __future__ import annotations

from typing import Literal

from formmerge.errors import Location, Problem
from formmerge.ingest._documents import Document
from formmerge.ingest._problems import PROBLEM_CODES, make_problem
from formmerge.models import Note

__all__ = ["Findings", "Severity"]

Severity = Literal["info", "warning"]


class Findings:
    """Problems and notes of one document, each located by JSON pointer and line.

    Args:
        document: the schema document (for line numbers and the file name).
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = list(document.problems)
        self._notes: dict[tuple[str, str], Note] = {}
        self.form_id: str | None = None

    @property
    def notes(self) -> list[Note]:
        """The notes, in the order they were made."""
        return list(self._notes.values())

    def problem(self, code: str, message: str, pointer: str) -> None:
        """Record a problem at ``pointer``."""
        pointer, line = self.document.nearest(pointer)
        location = Location(self.document.file, line, pointer or None, self.form_id)
        self.problems.append(make_problem(code, message, location))

    def note(self, code: str, message: str, pointer: str, severity: Severity = "warning") -> None:
        """Record a note at ``pointer`` (once per code and place)."""
        if code not in PROBLEM_CODES:  # a strict reading turns the note into a problem
            raise ValueError(f"undocumented problem code {code!r}")
        if (code, pointer) in self._notes:
            return
        _, line = self.document.nearest(pointer)
        note = Note(code=code, message=message, pointer=pointer, line=line, severity=severity)
        self._notes[(code, pointer)] = note

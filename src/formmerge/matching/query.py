"""One field prepared for scoring: its role, the label and key left once the role words go,
and the form-level and layout evidence found on the way."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from formmerge.models import Field, Form

__all__ = ["Query"]


@dataclass(frozen=True)
class Query:
    """One field prepared for scoring.

    Attributes:
        form: the form the field belongs to.
        field: the field.
        role: the role named by the field's label, key, groups or layout context, if any.
        label: the normalised label without role words (what is compared with the catalog).
        full_label: the normalised label with its role words and bracketed notes.
        key: the compact key without its role prefix.
        role_evidence: why the role is what it is, quoted in the match reasons.
        subject: whom the form is about (declared or inferred).
        default_role: whom role-less fields are about (declared or inferred), if not the
            applicant.
        subject_reason: why the form's subject or default role is what it is.
        role_source: where ``role`` was found (``label``, ``key``, ``group`` or ``none``).
        context_role: the role the layout gives the field (the person named just before).
        context_evidence: which field named that person.
        stand_in: the standard role an open role (``other:抵押权人``) is scored as: ``applicant``
            for a person, ``organization`` for a body; otherwise None.
        context_stand_in: the same for ``context_role``.
        part_label: for a part of a composite whose label is only its key (``fullName/last``,
            ``address/street``), the part with its group's head noun ("last name", "street
            address"); else "".
        notes: evidence found on the way (options in a code list), quoted in the reasons.
    """

    form: Form
    field: Field
    role: str | None
    label: str
    full_label: str
    key: str
    role_evidence: str
    subject: str = "person"
    default_role: str | None = None
    subject_reason: str = ""
    role_source: str = "none"
    context_role: str | None = None
    context_evidence: str = ""
    stand_in: str | None = None
    context_stand_in: str | None = None
    part_label: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)

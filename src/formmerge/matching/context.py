"""Layout and sequence context: whose the bare fields after a person's field are.

Forms lay a person out as a run of cells: "负责人 | 电话 | 手机 | 联系人 | 电话 | 手机" in one table
row, or "经办人 [ ]  联系电话 [ ]" down a page. The field that names the person only ("负责人")
opens a run; the next fields of the same section that name no role of their own
(at most ``context_span`` of them) are that person's. A field that names a role closes the run,
and so does a new section. Group titles ("设计单位", "配偶信息") are handled by the role detector;
the run is closer to the field than the group's title, so it overrides the group's role.

The context role is soft: the decision gives it to a field only when the chosen item can be
about that role (a phone can be the contact's; a registered address cannot), and the reason says
which field named the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from formmerge.models import Field

__all__ = ["ContextRole", "FieldReading", "sequence_context"]


@dataclass(frozen=True)
class FieldReading:
    """What the role detector read from one field, as the context needs it.

    Attributes:
        role: the role found, or None.
        source: where it was found (``label``, ``key``, ``group`` or ``none``).
        opens_run: True when the field names the person only ("负责人", "联系人"), so that the
            next bare fields are that person's. A field that asks the person's name ("母亲姓名",
            "Name of mother") does not: the next field is as often the applicant's.
    """

    role: str | None
    source: str
    opens_run: bool


@dataclass(frozen=True)
class ContextRole:
    """The role the layout gives a field, and the field that named the person."""

    role: str
    evidence: str


def _section(field: Field) -> tuple[str, ...]:
    return tuple(g.key for g in field.group)


def sequence_context(
    fields: Sequence[Field], readings: Sequence[FieldReading], span: int
) -> list[ContextRole | None]:
    """The context role of each field of one form, in field order.

    Args:
        fields: the form's fields, in the form's order.
        readings: what the role detector read from each.
        span: how many bare fields after a person's field take that person's role.

    Returns:
        One entry per field: the context role, or None.
    """
    out: list[ContextRole | None] = []
    current: ContextRole | None = None
    section: tuple[str, ...] | None = None
    left = 0
    for field, reading in zip(fields, readings, strict=True):
        here = _section(field)
        if here != section:
            section, current = here, None
        if reading.role is not None and reading.source in ("label", "key"):
            current, left = None, 0
            if reading.opens_run:
                named = field.label or field.key
                current = ContextRole(reading.role, f"the field before names it ({named})")
                left = span
            out.append(None)
            continue
        if current is not None and left > 0:
            out.append(current)
            left -= 1
        else:
            out.append(None)
    return out

"""What prefill returns: values with provenance, fields left to type, disagreements; and the
tamper check run on the answers before submission."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from formmerge.errors import Location, Problem
from formmerge.models import Catalog
from formmerge.prefill.audit import AuditLog
from formmerge.prefill.config import Authority
from formmerge.prefill.masking import mask_safely, mask_value

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Disagreement", "Prefill", "PrefilledValue", "check_tampering"]

TAMPER_CODE = "verified-value-changed"
_NUMBER_TOLERANCE = 1e-9


@dataclass(frozen=True)
class PrefilledValue:
    """A value prefilled from a shared source, with where it came from."""

    value: Any
    """The canonical value (ISO date text, code-list code, number, boolean or text)."""
    source: str
    department: str
    as_of: str | None
    """The date of the source row (ISO), if the source dates its rows."""
    authority: Authority
    read_only: bool
    """True for values from verified sources: the applicant may not change them."""
    item: str = ""
    role: str = ""
    derived_from: str = ""
    """The prefilled field this value is derived from (``citizen_id@mother`` for her birth
    date), empty for a value read as such; the provenance is that field's."""

    def __repr__(self) -> str:
        # a repr ends up in logs and tracebacks: the value is masked by its item's sensitivity
        return (
            f"PrefilledValue(value={mask_safely(self.item, self.value)!r}, "
            f"source={self.source!r}, department={self.department!r}, as_of={self.as_of!r}, "
            f"authority={self.authority!r}, read_only={self.read_only!r}, "
            f"item={self.item!r}, role={self.role!r}, derived_from={self.derived_from!r})"
        )


@dataclass(frozen=True)
class Disagreement:
    """Sources that hold different values for one field, and the one precedence chose."""

    field: str
    item: str
    role: str
    chosen: str
    """The source whose value was prefilled."""
    values: dict[str, Any]
    """Source id to the value it holds, most trusted first."""

    def describe(self, catalog: Catalog | None = None) -> str:
        """A one-line description with the values masked by the item's sensitivity."""
        shown = ", ".join(
            f"{source}={mask_value(self.item, value, catalog)}"
            for source, value in self.values.items()
        )
        return f"{self.field}: sources disagree ({shown}); {self.chosen} takes precedence"

    def __repr__(self) -> str:
        values = {source: mask_safely(self.item, v) for source, v in self.values.items()}
        return (
            f"Disagreement(field={self.field!r}, item={self.item!r}, role={self.role!r}, "
            f"chosen={self.chosen!r}, values={values!r})"
        )


@dataclass
class Prefill:
    """The result of prefilling one merged form for one subject."""

    form: str
    values: dict[str, PrefilledValue]
    """Field id to its prefilled value."""
    to_type: list[str]
    """Ids of the fields the applicant still has to fill in, in form order."""
    disagreements: list[Disagreement] = field(default_factory=list)
    roles: tuple[str, ...] = ()
    """The roles whose keys were known or found (names only)."""
    audit: AuditLog | None = None
    """The audit trail the reads were recorded in."""
    problems: list[Problem] = field(default_factory=list)
    """Sources that could not be read (code ``source-failed``, the source in the location);
    their items are left to type."""
    derived: list[str] = field(default_factory=list)
    """Ids of the fields neither prefilled nor to type: derived at submission from a source
    the applicant types (see :mod:`formmerge.derivations`)."""

    def as_answers(self) -> dict[str, Any]:
        """Field id to value, as :func:`formmerge.splitting.split` takes answers."""
        return {field_id: v.value for field_id, v in self.values.items()}

    @property
    def read_only(self) -> list[str]:
        """Ids of the fields the applicant may not change."""
        return [field_id for field_id, v in self.values.items() if v.read_only]

    def to_frame(self) -> pd.DataFrame:
        """One row per field prefilled: value and provenance."""
        import pandas as pd

        rows = [{"field": field_id, **v.__dict__} for field_id, v in self.values.items()]
        return pd.DataFrame(rows, columns=["field", *PrefilledValue.__dataclass_fields__])

    def __repr__(self) -> str:
        return (
            f"Prefill(form={self.form!r}, prefilled={len(self.values)}, "
            f"to_type={len(self.to_type)}, disagreements={len(self.disagreements)}, "
            f"problems={len(self.problems)})"
        )


def _normal(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def same_value(prefilled: object, answer: object) -> bool:
    """True if an answer still holds the prefilled value (types and spellings aside)."""
    a, b = _normal(prefilled), _normal(answer)
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) or isinstance(b, int | float):
        try:
            return math.isclose(float(str(a)), float(str(b)), abs_tol=_NUMBER_TOLERANCE)
        except (TypeError, ValueError):
            return False
    return a == b


def check_tampering(
    prefill: Prefill, answers: Mapping[str, object], catalog: Catalog | None = None
) -> list[Problem]:
    """Report every read-only prefilled value that the answers change or drop.

    Args:
        prefill: what prefill returned.
        answers: the answers about to be submitted (field id to value).
        catalog: used to mask values in messages (the packaged one by default).

    Returns:
        One ``verified-value-changed`` problem per changed field (values masked).
    """
    problems = []
    for field_id, value in prefill.values.items():
        if not value.read_only:
            continue
        where = Location(form=prefill.form, field=field_id)
        origin = f"{value.source} ({value.department})" if value.department else value.source
        if field_id not in answers or answers[field_id] is None:
            message = f"the verified value from {origin} was removed; it cannot be changed"
            problems.append(Problem(TAMPER_CODE, message, where))
        elif not same_value(value.value, answers[field_id]):
            old = mask_value(value.item, value.value, catalog) if value.item else "…"
            new = mask_value(value.item, answers[field_id], catalog) if value.item else "…"
            message = f"changed from {old} to {new}; the value from {origin} is verified"
            problems.append(Problem(TAMPER_CODE, message, where))
    return problems

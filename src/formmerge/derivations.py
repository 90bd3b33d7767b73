"""Derived items: what an application need not ask because another answer already says it.

The catalog's ``derivations.yaml`` says which item follows from which (``age`` from
``birth_date``; ``birth_date``, ``sex``, ``birth_registration_region``,
``social_security_number`` and ``id_document_number`` from ``citizen_id``); this module holds
only the few *kinds* of rule. A derivation holds within one person: the mother's age from the
mother's birth date.

- :func:`derivable_fields`: the merged fields a derivation gives, because the form also holds
  their source for the same role. Such a field is not asked; it is filled from its source.
- :func:`derive_values`: given answers (typed or prefilled), the derived values and, for a
  derived field that was answered too, a ``derived-value-conflict`` problem where they
  disagree. A source that is not valid (an ID number with a wrong check digit) derives nothing;
  it is never an error here (split reports the invalid source in its own field).

Values are canonical, as answers are: ISO dates, code-list codes (``"1"``/``"2"`` for sex),
an integer age; split writes them in each form's own format.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from formmerge.errors import Location, Problem
from formmerge.models import Catalog, Derivation, DerivationRule, MergedForm
from formmerge.validators import parse_citizen_id, parse_date

__all__ = [
    "CONFLICT_CODE",
    "DerivedField",
    "DerivedValue",
    "derivable_fields",
    "derive_values",
    "derived_fields",
]

CONFLICT_CODE = "derived-value-conflict"


@dataclass(frozen=True)
class DerivedField:
    """A merged field a derivation fills, and the merged field it is derived from."""

    field: str
    source: str
    derivation: Derivation
    condition: str | None = None
    """The merged field the derivation's ``when`` tests, if the form asks it."""
    asked: bool = True
    """False for a source no field of the form asks, derived only to derive another."""


@dataclass(frozen=True)
class DerivedValue:
    """A value derived for one merged field, and from which field."""

    field: str
    value: Any
    source: str
    """The field (or item read along the way) it is derived from."""
    origin: str
    """The answered field it comes from in the end (``citizen_id@mother`` for an age
    derived through the birth date)."""


def _citizen_id(value: Any) -> Any:
    try:
        return parse_citizen_id(str(value))
    except ValueError:
        return None


def _birth_date(value: Any, on: date) -> Any:
    info = _citizen_id(value)
    return None if info is None else info.birth_date.isoformat()


def _sex(value: Any, on: date) -> Any:
    info = _citizen_id(value)
    return None if info is None else info.sex


def _region(value: Any, on: date) -> Any:
    info = _citizen_id(value)
    return None if info is None else info.region_code


def _same(value: Any, on: date) -> Any:
    info = _citizen_id(value)
    return None if info is None else info.number


def _age(value: Any, on: date) -> Any:
    born = parse_date(value) if isinstance(value, str) else value
    if not isinstance(born, date) or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


_RULES: dict[DerivationRule, Callable[[Any, date], Any]] = {
    "citizen_id_birth_date": _birth_date,
    "citizen_id_sex": _sex,
    "citizen_id_region": _region,
    "same_value": _same,
    "age_on_application_date": _age,
}
"""Each kind of rule: the source's canonical value and the application date to the derived
value, or None when the source says nothing (invalid, or in the future)."""


def derivable_fields(merged: MergedForm, catalog: Catalog) -> dict[str, DerivedField]:
    """What derivations give on this form: ``item@role`` to the ``item@role`` it comes from.

    A field is derivable when the form holds its derivation's source for the same role, or
    when that source is derivable itself: ``age@mother`` from ``birth_date@mother`` from
    ``citizen_id@mother`` although the form never asks the mother's birth date. Such a
    source that is no field of the form is in the result with ``asked=False``: it is read or
    derived along the way, never shown.
    """
    fields = {f.id for f in merged.fields}
    have: dict[tuple[str, str], str] = {
        (f.item, f.role): f.id for f in merged.fields if f.item is not None and f.role is not None
    }
    roles = {role for _, role in have}
    out: dict[str, DerivedField] = {}
    for _ in range(len(catalog.derivations) + 1):
        added = False
        for derivation in catalog.derivations:
            allowed = catalog.item(derivation.item).roles
            for role in sorted(roles & set(allowed)):
                target = f"{derivation.item}@{role}"
                source = have.get((derivation.source, role))
                if target in out or source is None or source == target:
                    continue
                condition = None
                if derivation.when is not None:
                    condition = have.get((derivation.when.item, role))
                    if condition is not None and condition in out:
                        condition = None  # a derived document type is no answer to test
                asked = target in fields
                out[target] = DerivedField(target, source, derivation, condition, asked)
                have.setdefault((derivation.item, role), target)
                added = True
        if not added:
            break
    return out


def derived_fields(merged: MergedForm, catalog: Catalog) -> dict[str, DerivedField]:
    """The fields of the form that derivations fill (they are not asked): :func:`derivable_fields`
    without the sources read along the way."""
    return {k: v for k, v in derivable_fields(merged, catalog).items() if v.asked}


def _same_answer(a: Any, b: Any) -> bool:
    return str(a).strip().upper() == str(b).strip().upper()


def derive_values(
    merged: MergedForm,
    answers: Mapping[str, Any],
    catalog: Catalog,
    *,
    on: date | None = None,
) -> tuple[dict[str, DerivedValue], list[Problem]]:
    """The values derivations give from ``answers``, and where an answer contradicts one.

    Args:
        merged: the merged form.
        answers: canonical answers (typed or prefilled) keyed by merged field id.
        catalog: the catalog with the derivations.
        on: the application date (default: today), for ages.

    Returns:
        Field id to its derived value, for derivable fields whose source is answered and
        valid (and whose condition holds); and a ``derived-value-conflict`` problem, located at
        the merged field, for every answered field its derivation contradicts. An answered
        field keeps its answer: it is not in the values.
    """
    on = on or date.today()
    fields = derivable_fields(merged, catalog)
    shown = {f.id for f in merged.fields}
    known: dict[str, Any] = {k: v for k, v in answers.items() if not _empty(v)}
    origins: dict[str, str] = {k: k for k in known}
    values: dict[str, DerivedValue] = {}
    problems: list[Problem] = []
    checked: set[str] = set()
    # derivations can chain (age from a birth date derived from the ID): repeat until still
    for _ in range(len(fields) + 1):
        added = False
        for field_id, derived in fields.items():
            if field_id in checked or derived.source not in known:
                continue
            rule = derived.derivation
            if derived.condition is not None and rule.when is not None:
                tested = known.get(derived.condition)
                if tested is not None and str(tested) != rule.when.equals:
                    continue
            value = _RULES[rule.rule](known[derived.source], on)
            if value is None:
                continue
            checked.add(field_id)
            if field_id in answers and not _empty(answers[field_id]):
                if not _same_answer(answers[field_id], value):
                    label = (
                        merged.field(derived.source).label
                        if derived.source in shown
                        else derived.source
                    )
                    message = (
                        f"the answer disagrees with what {label} ({derived.source}) gives; "
                        f"correct one of them ({rule.rule})"
                    )
                    problems.append(
                        Problem(CONFLICT_CODE, message, Location(form=merged.id, field=field_id))
                    )
                continue
            origins[field_id] = origins[derived.source]
            if derived.asked:
                values[field_id] = DerivedValue(field_id, value, derived.source, origins[field_id])
            known[field_id] = value
            added = True
        if not added:
            break
    return values, problems


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)

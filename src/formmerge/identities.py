"""Role identities: two roles of one application that are the same person.

A bundle says which roles *can* be the same person (``identities`` in ``bundle.yaml``): the
applicant of a birth is the mother or the father, the guardian is a parent, an enterprise's
contact may be its legal representative. Which one is true is known only when someone applies
(who logged in, or a one-question choice), so the application *binds* them at run time::

    {"applicant": "mother", "guardian": "mother"}

:func:`bind` rewrites a merged form under such a binding: every field of a bound role joins the
field of the same item for the role it is bound to (``name@applicant`` and ``name@mother``
become one ``name@mother`` whose sources are both forms' fields, constraints conjoined as in
any merge). The form then asks that person's data once, :func:`~formmerge.splitting.split`
fills every department's fields for each role from the one answer, and prefill reads the person
once. An item the target role cannot have (``relationship`` of the guardian) stays as it was.
Without a binding nothing changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from formmerge.errors import FormmergeError, Location, Problem
from formmerge.models import Catalog, MergedField, MergedForm

__all__ = [
    "BindingError",
    "Identities",
    "bind",
    "binding_problems",
    "identity_problems",
    "parse_binding",
]

Identities = Mapping[str, tuple[str, ...]]
"""A role to the roles it may be the same person as (``applicant: [mother, father]``)."""

DEFAULT_BOUND_ROLE = "applicant"
"""The role ``--as ROLE`` binds: the person who applies."""


class BindingError(FormmergeError):
    """A role binding names an unknown role or an identity its bundle does not declare."""


def identity_problems(identities: Identities, catalog: Catalog, file: str) -> list[Problem]:
    """Where a bundle's declared identities name roles the catalog lacks or a role itself."""
    roles = {r.id for r in catalog.roles}
    problems = []
    for role, others in identities.items():
        for name in (role, *others):
            if name not in roles:
                where = Location(file=file, pointer=f"/identities/{role}")
                message = f"role {name!r} is not a catalog role (roles: {', '.join(sorted(roles))})"
                problems.append(Problem("unknown-role", message, where))
        if role in others:
            where = Location(file=file, pointer=f"/identities/{role}")
            message = f"{role!r} is declared the same person as itself; list other roles"
            problems.append(Problem("identity-with-itself", message, where))
    return problems


def parse_binding(texts: list[str] | tuple[str, ...], as_role: str | None = None) -> dict[str, str]:
    """A binding from ``ROLE=ROLE`` texts (``guardian=mother``) and ``--as ROLE``.

    ``as_role`` binds the applicant: ``--as mother`` is ``applicant=mother``.

    Raises:
        BindingError: a text is not ``ROLE=ROLE``, or a role is bound twice to different roles.
    """
    pairs = [(DEFAULT_BOUND_ROLE, as_role)] if as_role else []
    problems = []
    for text in texts:
        role, sep, other = text.partition("=")
        if not sep or not role.strip() or not other.strip():
            where = Location(field=text)
            problems.append(Problem("bad-binding", "write a binding as ROLE=ROLE", where))
            continue
        pairs.append((role.strip(), other.strip()))
    out: dict[str, str] = {}
    for role, other in pairs:
        if out.setdefault(role, other) != other:
            message = f"{role!r} is bound to both {out[role]!r} and {other!r}; bind it once"
            problems.append(Problem("binding-repeated", message, Location(field=role)))
    if problems:
        raise BindingError("cannot read the role binding", problems)
    return out


def binding_problems(
    binding: Mapping[str, str], identities: Identities, catalog: Catalog, form: str
) -> list[Problem]:
    """Why a binding cannot apply to an application whose bundle declares ``identities``.

    Every bound role and its target must be catalog roles; the bundle must declare that the
    bound role can be the target; a target may not itself be bound (``applicant=mother`` and
    ``mother=father`` say nothing clear).
    """
    roles = {r.id for r in catalog.roles}
    problems = []
    for role, other in binding.items():
        where = Location(form=form, field=role)
        unknown = [name for name in (role, other) if name not in roles]
        if unknown:
            for name in unknown:
                message = f"{name!r} is not a catalog role"
                problems.append(Problem("unknown-role", message, where))
            continue
        allowed = identities.get(role, ())
        if other not in allowed:
            can = f"it can be {', '.join(allowed)}" if allowed else "it declares none for it"
            message = f"the bundle does not declare that the {role} can be the {other} ({can})"
            problems.append(Problem("identity-not-declared", message, where))
        elif other in binding:
            message = f"{other!r} is bound itself (to {binding[other]!r}); bind {role} to it"
            problems.append(Problem("binding-chain", message, where))
    return problems


def bind(
    merged: MergedForm, binding: Mapping[str, str] | None, catalog: Catalog | None = None
) -> MergedForm:
    """The merged form asking each bound person's data once.

    Args:
        merged: a merged form (it carries its bundle's declared identities).
        binding: bound role to the role it is (``{"applicant": "mother"}``); empty or None
            returns ``merged`` unchanged. A form already bound gets the new binding on top.
        catalog: the catalog (default: the shipped one).

    Returns:
        A merged form with one field per (item, role) after the binding, its lineage holding
        every department's field, and the binding recorded in :attr:`MergedForm.binding`.

    Raises:
        BindingError: the binding names an unknown role, an identity the bundle does not
            declare, or a chain; every problem names the role.
    """
    if not binding:
        return merged
    from formmerge.catalog import load_catalog  # deferred: the catalog imports much
    from formmerge.merging import _Builder, _display_order

    catalog = catalog or load_catalog()
    combined = {**dict(merged.binding), **dict(binding)}
    problems = binding_problems(combined, dict(merged.identities), catalog, merged.id)
    if problems:
        raise BindingError(f"cannot bind roles of {merged.id!r}", problems)
    groups: dict[str, list[MergedField]] = defaultdict(list)
    targets: dict[str, tuple[str, str]] = {}
    for f in merged.fields:
        key, target = f.id, None
        if f.item is not None and f.role in combined:
            other = combined[f.role]
            if other in catalog.item(f.item).roles:
                key, target = f"{f.item}@{other}", (f.item, other)
        groups[key].append(f)
        if target is not None:
            targets[key] = target
    builder = _Builder(catalog, merged.forms)
    fields: list[MergedField] = []
    rebuilt: set[str] = set()
    for key, members in groups.items():
        if key not in targets:
            fields.extend(members)
            continue
        rebuilt.update(f.id for f in members)
        refs = sorted({r for f in members for r in f.sources}, key=lambda r: (r.form, r.path))
        fields.append(builder.catalogued(*targets[key], refs))
    fields.sort(key=_display_order(catalog))
    conflicts = [c for c in merged.conflicts if c.field not in rebuilt] + builder.conflicts
    return merged.model_copy(
        update={
            "fields": tuple(fields),
            "conflicts": tuple(conflicts),
            "binding": tuple(sorted(combined.items())),
        }
    )


def saved_by_binding(unbound: MergedForm, bound: MergedForm) -> int:
    """How many fields the binding saved: fields asked unbound minus fields asked bound."""
    return len(unbound.fields) - len(bound.fields)

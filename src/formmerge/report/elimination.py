"""Which supporting documents shared data eliminates, and the traceable materials table.

A document (material) proves some catalog items (its ``evidences``). Once every one of those
items reaches the departments another way, the applicant no longer hands the document in:

- a **verified source** holds the item (the e-licence or the shared data replaces the paper);
- or **another form of the bundle produces it** (the birth registration produces the child's
  ID number; the business registration produces the new address), and the departments pass it
  on inside the one application.

A document that evidences no catalog item is never eliminated: nothing says what it proves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from formmerge.materials import identify_material, merge_materials
from formmerge.models import Catalog, Form, Material, MergedForm
from formmerge.report.coverage import PrefillResult, SourceCoverage
from formmerge.report.tables import join_list, main_role_of
from formmerge.roles import RoleDetector

__all__ = [
    "IN_BUNDLE_PREFIX",
    "MATERIAL_COLUMNS",
    "MaterialVerdict",
    "material_rows",
    "material_target",
    "material_verdicts",
]

MATERIAL_COLUMNS: tuple[str, ...] = (
    "form",
    "department",
    "name",
    "kind",
    "required",
    "material_type",
    "e_licence",
    "merged_into",
    "merged_name",
    "shared",
    "evidences",
    "holders",
    "eliminated",
    "eliminated_by",
    "not_covered",
)
"""Columns of the materials table, one row per material a source form asks for."""

IN_BUNDLE_PREFIX = "form:"
"""Marks, in ``eliminated_by``, a form of the bundle that produces an evidenced item."""


@dataclass(frozen=True)
class MaterialVerdict:
    """Whether one merged material is eliminated, and why.

    Attributes:
        eliminated: True when the application no longer asks for the document.
        sources: what supplies what it proves: verified source ids, and ``form:<id>`` for
            forms of the bundle that produce an evidenced item (empty when kept).
        not_covered: evidenced items that nothing supplies (why it is kept).
        holders: the roles whose document it is.
        not_prefilled: merged fields of the holders about evidenced items that the subject's
            prefill did not fill read-only (per-subject report only).
    """

    eliminated: bool
    sources: tuple[str, ...] = ()
    not_covered: tuple[str, ...] = ()
    holders: tuple[str, ...] = ()
    not_prefilled: tuple[str, ...] = ()


E_LICENCE_PREFIX = "e-licence:"
"""Marks a file item (a photo) supplied by the material's own electronic licence."""


def material_target(material: Material, form: Form, catalog: Catalog) -> str:
    """The id of the merged material a form's material goes into.

    Merging one material alone gives the id the full merge gives it, since materials are
    merged one by one through the catalog.
    """
    alone = form.model_copy(update={"materials": (material,)})
    return merge_materials([alone], catalog)[0].id


def _likeliest_holder(merged: MergedForm, evidences: tuple[str, ...], main_role: str) -> str:
    """The role the application asks the most of a document's evidenced items about."""
    counts: dict[str, int] = defaultdict(int)
    for f in merged.fields:
        if f.item in evidences and f.role:
            counts[f.role] += 1
    if not counts:
        return main_role
    return min(counts, key=lambda role: (-counts[role], role != main_role, role))


def _holders(merged: MergedForm, catalog: Catalog, subject: str) -> dict[str, tuple[str, ...]]:
    """The roles whose document each merged material is.

    The role named in the material's name as a form wrote it (``母亲有效身份证件``); when the
    name names none, the role the application asks the most evidenced items about (the birth
    medical certificate is the child's), the main role winning a tie or when none is asked.
    """
    detector = RoleDetector.from_catalog(catalog)
    by_id = {m.id: m for m in merged.materials}
    main_role = main_role_of(subject)
    found: dict[str, set[str]] = defaultdict(set)
    for form in merged.forms:
        for material in form.materials:
            target = material_target(material, form, catalog)
            role = detector.detect(material.name, "").role
            if role is None:
                evidences = by_id[target].evidences if target in by_id else ()
                role = _likeliest_holder(merged, evidences, main_role)
            found[target].add(role)
    return {mid: tuple(sorted(roles)) for mid, roles in found.items()}


def material_verdicts(
    merged: MergedForm,
    catalog: Catalog,
    coverage: SourceCoverage,
    prefill: PrefillResult | None = None,
    subject: str = "person",
) -> dict[str, MaterialVerdict]:
    """Decide, for each merged material, whether it is eliminated.

    Static (``prefill`` is None): a material is eliminated when it evidences at least one
    catalog item and each item it evidences is held by a verified source or produced by a
    form of the bundle that does not itself ask for the material.

    Per subject: the static test must pass and, in addition, every merged field the
    application asks about an evidenced item not produced in the bundle, *for the material's
    holder*, must have been prefilled read-only, and at least one such field must be asked
    (unless the bundle produces every evidenced item).
    The holder is the role named in the material's name as the form wrote it (``母亲有效身份
    证件`` is the mother's, ``法定代表人身份证件`` the legal representative's); when the name
    names none, the role the application asks the most evidenced items about (the birth
    medical certificate is the child's), the bundle's main role winning a tie or when none
    is asked.

    Returns:
        merged material id -> verdict.
    """
    holders = _holders(merged, catalog, subject)
    producers: dict[str, set[str]] = defaultdict(set)
    for form in merged.forms:
        for item in form.produces:
            producers[item].add(form.id)
    verdicts: dict[str, MaterialVerdict] = {}
    known = {m.id: m for m in catalog.materials}
    items = {i.id: i for i in catalog.items}
    for material in merged.materials:
        supply: dict[str, set[str]] = {}
        kind = known.get(material.id)
        for item in material.evidences:
            made = {
                IN_BUNDLE_PREFIX + f for f in producers.get(item, ()) if f not in material.forms
            }
            supply[item] = set(coverage.sources_for(item)) | made
            if kind is not None and kind.e_licence and item in items and items[item].type == "file":
                # an image (the ID card photo) is no register value: the e-licence carries it
                supply[item].add(E_LICENCE_PREFIX + material.id)
        not_covered = tuple(item for item, s in supply.items() if not s)
        sources = tuple(sorted({s for found in supply.values() for s in found}))
        owners = holders.get(material.id, ())
        ok = bool(material.evidences) and not not_covered
        missing: tuple[str, ...] = ()
        if prefill is not None and ok:
            from_sources = [i for i in material.evidences if i not in producers]
            asked = [
                f.id for f in merged.fields if f.item in from_sources and (f.role or "") in owners
            ]
            values = prefill.values
            missing = tuple(fid for fid in asked if fid not in values or not values[fid].read_only)
            ok = (bool(asked) or not from_sources) and not missing
            made = {s for s in sources if s.startswith(IN_BUNDLE_PREFIX)}
            sources = tuple(sorted({values[f].source for f in asked if f in values} | made))
        verdicts[material.id] = MaterialVerdict(
            eliminated=ok,
            sources=sources if ok else (),
            not_covered=not_covered,
            holders=owners,
            not_prefilled=missing,
        )
    return verdicts


def material_rows(
    merged: MergedForm, catalog: Catalog, verdicts: dict[str, MaterialVerdict]
) -> pd.DataFrame:
    """One row per material a source form asks for, with what it merged into and its fate.

    Returns:
        A DataFrame with :data:`MATERIAL_COLUMNS`, in source-form and material order.
    """
    by_id = {m.id: m for m in merged.materials}
    rows = []
    for form in merged.forms:
        for material in form.materials:
            mid = material_target(material, form, catalog)
            target = by_id.get(mid)
            known = identify_material(material, catalog)
            verdict = verdicts.get(mid, MaterialVerdict(eliminated=False))
            rows.append(
                {
                    "form": form.id,
                    "department": form.department,
                    "name": material.name,
                    "kind": material.kind,
                    "required": material.required,
                    "material_type": known.id if known else None,
                    "e_licence": bool(known and known.e_licence),
                    "merged_into": mid,
                    "merged_name": target.name if target else material.name,
                    "shared": bool(target and len(target.forms) > 1),
                    "evidences": join_list(target.evidences if target else ()),
                    "holders": join_list(verdict.holders),
                    "eliminated": verdict.eliminated,
                    "eliminated_by": join_list(verdict.sources),
                    "not_covered": join_list(verdict.not_covered),
                }
            )
    return pd.DataFrame(rows, columns=list(MATERIAL_COLUMNS))

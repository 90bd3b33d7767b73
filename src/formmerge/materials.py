"""Deduplicate the supporting documents of several forms through the catalog's material types."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from formmerge.models import Catalog, Form, Material, MaterialKind, MaterialType, MergedMaterial
from formmerge.normalize import normalize_label, pinyin_initials
from formmerge.settings import DEFAULT_MATERIAL_SIMILARITY

__all__ = ["identify_material", "merge_materials"]

# When forms ask for one document in different kinds, the merged application asks for the most
# demanding one: an original can serve where a copy is asked, not the other way round.
_KIND_STRENGTH: dict[str, int] = {"e-licence": 0, "scan": 1, "copy": 2, "original": 3}


def _names(material: MaterialType) -> list[str]:
    return [normalize_label(n) for n in (material.name_zh, material.name_en, *material.aliases)]


def identify_material(material: Material, catalog: Catalog) -> MaterialType | None:
    """The catalog material type a form's material is, by id, exact name or a close name."""
    if material.material_id is not None:
        return next((m for m in catalog.materials if m.id == material.material_id), None)
    name = normalize_label(material.name)
    choices = {n: m for m in catalog.materials for n in _names(m)}
    if name in choices:
        return choices[name]
    best = process.extractOne(name, list(choices), scorer=fuzz.ratio)
    if best is not None and best[1] >= DEFAULT_MATERIAL_SIMILARITY * 100:
        return choices[best[0]]
    return None


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", pinyin_initials(normalize_label(name))).strip("_")


def merge_materials(forms: Sequence[Form], catalog: Catalog) -> tuple[MergedMaterial, ...]:
    """One :class:`MergedMaterial` per distinct document, listing the forms that ask for it."""
    merged: dict[str, MergedMaterial] = {}
    for form in forms:
        for material in form.materials:
            known = identify_material(material, catalog)
            mid = known.id if known else f"other:{_slug(material.name)}"
            evidences = material.evidences or (known.evidences if known else ())
            prior = merged.get(mid)
            if prior is None:
                merged[mid] = MergedMaterial(
                    id=mid,
                    name=known.name_zh if known else material.name,
                    kind=material.kind,
                    evidences=tuple(evidences),
                    forms=(form.id,),
                )
                continue
            kind: MaterialKind = max(prior.kind, material.kind, key=_KIND_STRENGTH.__getitem__)
            merged[mid] = prior.model_copy(
                update={
                    "kind": kind,
                    "evidences": tuple(dict.fromkeys((*prior.evidences, *evidences))),
                    "forms": tuple(dict.fromkeys((*prior.forms, form.id))),
                }
            )
    return tuple(merged.values())

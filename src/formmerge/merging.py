"""Merge several forms into one application that asks each (item, role) once.

Fields matched to the same (item, role) become one :class:`~formmerge.models.MergedField` whose
constraints are the conjunction of the sources': required if any source requires it, the
tightest lengths and range, every pattern, and the options every source accepts (compared
through the item's code list, so ``1/2`` and ``男/女`` agree). When no value can satisfy all
sources the field records a :class:`~formmerge.models.Conflict` naming the source fields.

Uncatalogued fields that mean the same in several forms (similar normalised label, compatible
type, different forms) are merged too and reported as catalog-gap candidates. Every source field
is in exactly one merged field's ``sources``. Materials are merged the same way, through the
catalog's material types.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from formmerge.bundle import Bundle
from formmerge.catalog import code_for, load_catalog
from formmerge.clustering import cluster_labels
from formmerge.decisions import BUNDLE_DECISIONS, Decisions, load_decisions
from formmerge.form_checks import check_mergeable
from formmerge.identities import bind
from formmerge.matching import FieldMatcher
from formmerge.materials import merge_materials
from formmerge.models import (
    Catalog,
    Conflict,
    Field,
    FieldMatch,
    FieldRef,
    FieldType,
    Form,
    GapCandidate,
    MergedField,
    MergedForm,
    Option,
)
from formmerge.normalize import normalize_label, pinyin_initials
from formmerge.role_nouns import open_role_labels
from formmerge.roles import RoleDetector
from formmerge.settings import DEFAULT_MATCH_SETTINGS, MatchSettings

__all__ = ["merge", "merge_bundle"]

_NUMERIC = {"integer", "number"}


def _canonical_options(catalog: Catalog, code_list: str | None, field: Field) -> set[str]:
    """The field's options as canonical codes (its own codes when there is no code list)."""
    if code_list is None:
        return {normalize_label(o.label or o.code) for o in field.options}
    out = set()
    for o in field.options:
        code = code_for(catalog, code_list, o.code) or code_for(catalog, code_list, o.label)
        if code is not None:
            out.add(code)
    return out


class _Builder:
    def __init__(self, catalog: Catalog, forms: Sequence[Form]) -> None:
        self.catalog = catalog
        self.fields = {(f.id, fld.path): fld for f in forms for fld in f.fields}
        self.conflicts: list[Conflict] = []

    def catalogued(self, item_id: str, role: str, refs: list[FieldRef]) -> MergedField:
        item = self.catalog.item(item_id)
        role_zh, role_en = open_role_labels(self.catalog, role)
        fid = f"{item_id}@{role}"
        sources = [self.fields[(r.form, r.path)] for r in refs]
        label = item.label_zh if role == item.roles[0] else role_zh + item.label_zh
        label_en = item.label_en if role == item.roles[0] else f"{role_en}: {item.label_en}"
        merged = self._constrain(fid, item.type, item.code_list, sources, refs)
        return merged.model_copy(
            update={
                "item": item_id,
                "role": role,
                "label": label,
                "label_en": label_en,
                "format": item.format,
                "max_length": _min(merged.max_length, item.max_length),
            }
        )

    def uncatalogued(self, fid: str, refs: list[FieldRef]) -> MergedField:
        sources = [self.fields[(r.form, r.path)] for r in refs]
        first = sources[0]
        merged = self._constrain(fid, first.type, None, sources, refs)
        return merged.model_copy(update={"label": first.label or first.key, "format": first.format})

    def _constrain(
        self,
        fid: str,
        item_type: FieldType,
        code_list: str | None,
        sources: list[Field],
        refs: list[FieldRef],
    ) -> MergedField:
        max_length = _min(*(f.max_length for f in sources))
        min_length = _max(*(f.min_length for f in sources))
        minimum = _max(*(f.minimum for f in sources))
        maximum = _min(*(f.maximum for f in sources))
        patterns = tuple(dict.fromkeys(f.pattern for f in sources if f.pattern))
        if max_length is not None and min_length is not None and min_length > max_length:
            self._conflict(
                fid,
                "length-conflict",
                "no length fits every form",
                sources,
                refs,
                lambda f: f.max_length == max_length or f.min_length == min_length,
            )
        if minimum is not None and maximum is not None and minimum > maximum:
            self._conflict(
                fid,
                "range-conflict",
                "no number is in every form's range",
                sources,
                refs,
                lambda f: f.minimum == minimum or f.maximum == maximum,
            )
        types = {f.type for f in sources}
        if ("boolean" in types and types - {"boolean", "enum", "string"}) or (
            "file" in types and len(types) > 1
        ):
            self._conflict(
                fid,
                "type-conflict",
                f"types {sorted(types)} cannot hold one value",
                sources,
                refs,
                lambda f: True,
            )
        options = self._options(fid, code_list, sources, refs)
        out_type = item_type
        if options and item_type in ("string", "enum"):
            out_type = "enum"
        return MergedField(
            id=fid,
            item=None,
            role=None,
            label="",
            type=out_type,
            required=any(f.required for f in sources),
            max_length=max_length,
            min_length=min_length,
            patterns=patterns,
            minimum=minimum,
            maximum=maximum,
            options=options,
            code_list=code_list,
            sources=tuple(refs),
        )

    def _options(
        self, fid: str, code_list: str | None, sources: list[Field], refs: list[FieldRef]
    ) -> tuple[Option, ...]:
        with_options = [(f, r) for f, r in zip(sources, refs, strict=True) if f.options]
        if not with_options:
            return ()
        sets = [_canonical_options(self.catalog, code_list, f) for f, _ in with_options]
        common = set.intersection(*sets)
        if not common:
            a, b = _disjoint_pair(sets)
            pair = [with_options[a], with_options[b]]
            self._conflict(
                fid,
                "disjoint-options",
                "no option is accepted by every form",
                [f for f, _ in pair],
                [r for _, r in pair],
                lambda f: True,
            )
            return ()
        if code_list is None:
            first = with_options[0][0]
            return tuple(
                Option(code=o.code, label=o.label)
                for o in first.options
                if normalize_label(o.label or o.code) in common
            )
        codes = self.catalog.code_list(code_list).codes
        return tuple(Option(code=c.code, label=c.label_zh) for c in codes if c.code in common)

    def _conflict(self, fid, code, message, sources, refs, culprit) -> None:  # type: ignore[no-untyped-def]
        named = [r for f, r in zip(sources, refs, strict=True) if culprit(f)] or list(refs)
        names = ", ".join(str(r) for r in named)
        self.conflicts.append(
            Conflict(field=fid, code=code, message=f"{message}: {names}", sources=tuple(named))
        )


def _min(*values: int | float | None) -> int | float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _max(*values: int | float | None) -> int | float | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _disjoint_pair(sets: list[set[str]]) -> tuple[int, int]:
    for a in range(len(sets)):
        for b in range(a + 1, len(sets)):
            if not sets[a] & sets[b]:
                return a, b
    return 0, len(sets) - 1


def _join_decided(
    clusters: list[list[int]], refs: list[str], same: Sequence[Sequence[str]]
) -> list[list[int]]:
    """Join clusters that an analyst declared to ask the same question."""
    owner = {refs[i]: n for n, cluster in enumerate(clusters) for i in cluster}
    parent = list(range(len(clusters)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for group in same:
        present = [owner[r] for r in group if r in owner]
        for other in present[1:]:
            a, b = find(present[0]), find(other)
            parent[max(a, b)] = min(a, b)
    joined: dict[int, list[int]] = defaultdict(list)
    for n, cluster in enumerate(clusters):
        joined[find(n)].extend(cluster)
    return sorted((sorted(c) for c in joined.values()), key=min)


def _slug(label: str) -> str:
    text = normalize_label(label)
    return re.sub(r"[^0-9a-z]+", "_", pinyin_initials(text)).strip("_") or "field"


def _display_order(catalog: Catalog) -> Callable[[MergedField], tuple[int, int, int, str]]:
    """Sort key of merged fields: by role, then catalog domain, then item; uncatalogued last."""
    roles = {r.id: n for n, r in enumerate(catalog.roles)}
    domains = {d: n for n, d in enumerate(dict.fromkeys(i.domain for i in catalog.items))}
    items = {i.id: (domains[i.domain], n) for n, i in enumerate(catalog.items)}

    def key(field: MergedField) -> tuple[int, int, int, str]:
        if field.item is None:
            return (len(roles) + 1, 0, 0, field.id)
        domain, position = items[field.item]
        return (roles.get(field.role or "", len(roles)), domain, position, field.id)

    return key


def merge(
    forms: Sequence[Form],
    catalog: Catalog | None = None,
    *,
    matches: Sequence[FieldMatch] | None = None,
    decisions: Decisions | None = None,
    settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
    merged_id: str | None = None,
    title: str = "",
    identities: Mapping[str, Sequence[str]] | None = None,
    binding: Mapping[str, str] | None = None,
) -> MergedForm:
    """Merge forms into one :class:`MergedForm`.

    Args:
        forms: the departmental forms of one bundle.
        catalog: the catalog (default: the shipped one).
        matches: field matches from :func:`formmerge.match`; computed when not given.
        decisions: confirmed and rejected mappings used when matching.
        settings: matcher thresholds.
        merged_id: id of the merged form (default: the form ids joined by ``+``).
        title: title of the merged form.
        identities: the roles that can be the same person (a bundle's ``identities``).
        binding: the roles that are the same person in this application (see
            :func:`formmerge.identities.bind`); none: every role is its own person.

    Returns:
        The merged form, with lineage, conflicts, catalog gaps and merged materials.

    Raises:
        FormError: a form is given twice, or a label is too long to match (see
            :func:`formmerge.form_checks.mergeable_problems`).
        BindingError: the binding is not one the identities allow.
    """
    check_mergeable(forms)
    catalog = catalog or load_catalog()
    forms = sorted(forms, key=lambda f: f.id)
    if matches is None:
        matcher = FieldMatcher(catalog, settings, decisions)
        matches = matcher.match(forms)
        detector = matcher.roles
    else:
        detector = RoleDetector.from_catalog(catalog)
    builder = _Builder(catalog, forms)
    by_pair: dict[tuple[str, str], list[FieldRef]] = defaultdict(list)
    loose: list[FieldMatch] = []
    for m in sorted(matches, key=lambda m: (m.form, m.path)):
        # only confident or decided mappings merge; a review match stays its own field until
        # an analyst confirms it, so an uncertain guess never changes what a form asks
        if m.status == "matched" and m.item is not None and m.role is not None:
            by_pair[(m.item, m.role)].append(m.ref)
        else:
            loose.append(m)
    merged = [builder.catalogued(item, role, refs) for (item, role), refs in by_pair.items()]
    gaps: list[GapCandidate] = []
    labels = [builder.fields[(m.form, m.path)] for m in loose]
    roles = [detector.detect_field(f).role or "" for f in labels]
    clusters = cluster_labels(
        [(m.form, f.label or f.key, f.type) for m, f in zip(loose, labels, strict=True)],
        options=[frozenset(normalize_label(o.label or o.code) for o in f.options) for f in labels],
        roles=roles,
    )
    if decisions is not None and decisions.same:
        clusters = _join_decided(clusters, [str(m.ref) for m in loose], decisions.same)
    for cluster in clusters:
        refs = [loose[i].ref for i in cluster]
        if len(cluster) > 1:
            fid = f"gap:{_slug(labels[cluster[0]].label or labels[cluster[0]].key)}"
            while any(f.id == fid for f in merged):
                fid += "_"
            field = builder.uncatalogued(fid, refs)
            gaps.append(
                GapCandidate(field=fid, label=field.label, forms=len(refs), sources=tuple(refs))
            )
        else:
            field = builder.uncatalogued(str(refs[0]), refs)
        merged.append(field)
    merged.sort(key=_display_order(catalog))
    gaps.sort(key=lambda g: (-g.forms, g.field))
    unbound = MergedForm(
        id=merged_id or "+".join(f.id for f in forms),
        title=title,
        forms=tuple(forms),
        fields=tuple(merged),
        matches=tuple(sorted(matches, key=lambda m: (m.form, m.path))),
        materials=merge_materials(forms, catalog),
        conflicts=tuple(builder.conflicts),
        gaps=tuple(gaps),
        catalog=catalog.fingerprint,
        identities=tuple((role, tuple(others)) for role, others in (identities or {}).items()),
    )
    return bind(unbound, binding, catalog)


def merge_bundle(
    bundle: Bundle, catalog: Catalog | None = None, binding: Mapping[str, str] | None = None
) -> MergedForm:
    """Merge a bundle's forms with the analysts' decisions it ships (``decisions.yaml``).

    The merged form takes the bundle's id, title and declared identities; ``binding`` says
    which of those roles are the same person in this application (see
    :func:`formmerge.identities.bind`).
    """
    shipped = bundle.source_dir / BUNDLE_DECISIONS if bundle.source_dir is not None else None
    decisions = load_decisions(shipped) if shipped is not None and shipped.is_file() else None
    return merge(
        bundle.forms,
        catalog,
        decisions=decisions,
        merged_id=bundle.id,
        title=bundle.title,
        identities=bundle.identities,
        binding=binding,
    )

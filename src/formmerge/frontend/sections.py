"""How a merged application is laid out for a front end: sections by role, repeating groups.

A section holds the fields about one role (母亲, 配偶, 企业 ...), in the merged form's order;
fields no role claims go to a last section ``other``. Fields that sit in a repeating group of
their source form (several shareholders, several change items) are gathered, per source group,
into one :class:`RepeatingBlock` that a front end shows as an array of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from formmerge.models import Catalog, MergedField, MergedForm

__all__ = ["OTHER_SECTION", "RepeatingBlock", "Section", "sections"]

OTHER_SECTION = "other"
"""The section of fields without a role (uncatalogued fields)."""
_OTHER_TITLES = ("其他信息", "Other information")


@dataclass
class RepeatingBlock:
    """Fields answered once per row of a repeating group."""

    key: str
    title: str
    fields: list[MergedField] = field(default_factory=list)


@dataclass
class Section:
    """The fields about one role, in display order; repeating blocks sit where their first
    field would."""

    key: str
    title: str
    title_en: str
    entries: list[MergedField | RepeatingBlock] = field(default_factory=list)

    def fields(self) -> list[MergedField]:
        """Every field of the section, those of repeating blocks included."""
        out: list[MergedField] = []
        for entry in self.entries:
            out.extend(entry.fields if isinstance(entry, RepeatingBlock) else [entry])
        return out


def _repeating_group(merged: MergedForm, f: MergedField) -> tuple[str, str] | None:
    """The (key, title) of the repeating group the field's first source sits in, if any."""
    forms = {form.id: form for form in merged.forms}
    for ref in f.sources:
        form = forms.get(ref.form)
        if form is None:
            continue
        try:
            source = form.field(ref.path)
        except KeyError:
            continue
        for group in reversed(source.group):
            if group.repeating:
                return f"{form.id}.{group.key}", group.label or group.key
    return None


def _titles(role: str, catalog: Catalog) -> tuple[str, str]:
    if role == OTHER_SECTION:
        return _OTHER_TITLES
    try:
        known = catalog.role(role)
    except KeyError:
        return role, role
    return f"{known.label_zh}信息", f"{known.label_en} details"


def sections(merged: MergedForm, catalog: Catalog) -> list[Section]:
    """The merged form's sections (see the module documentation)."""
    by_key: dict[str, Section] = {}
    blocks: dict[str, RepeatingBlock] = {}
    for f in merged.fields:
        key = f.role or OTHER_SECTION
        if key not in by_key:
            by_key[key] = Section(key, *_titles(key, catalog))
        section = by_key[key]
        group = _repeating_group(merged, f)
        if group is None:
            section.entries.append(f)
            continue
        block_key = f"{key}|{group[0]}"
        if block_key not in blocks:
            blocks[block_key] = RepeatingBlock(group[0].replace(".", "_"), group[1])
            section.entries.append(blocks[block_key])
        blocks[block_key].fields.append(f)
    ordered = [s for k, s in by_key.items() if k != OTHER_SECTION]
    return ordered + ([by_key[OTHER_SECTION]] if OTHER_SECTION in by_key else [])

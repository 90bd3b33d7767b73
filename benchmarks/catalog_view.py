"""The catalog as the generator sees it: names per item split into seen and held-out ones.

Forms written from the catalog's own alias list would grade the catalog against itself. So
each item's aliases are split, deterministically by a hash of the item id and the alias, into
a **seen** part, which stays in the catalog the matcher gets, and a **held-out** part
(:data:`DEFAULT_HOLDOUT` of them), which is removed from that catalog and only used to write
form labels. A label written from a held-out alias is a phrasing the matcher has never seen;
canonical names and seen aliases measure the catalog's coverage, held-out aliases and
abbreviations its generalisation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from benchmarks.variants import add_homophone_source, looks_like_pinyin
from formmerge.catalog import alias_key
from formmerge.models import Catalog, CatalogItem, CodeList

__all__ = [
    "DEFAULT_HOLDOUT",
    "CatalogView",
    "ItemNames",
    "held_out",
    "visible_catalog",
]

DEFAULT_HOLDOUT = 0.3
"""Share of each item's aliases removed from the matcher's catalog and kept for form labels."""

_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_CAMEL_RE = re.compile(r"[a-z][A-Z]")


def held_out(item_id: str, alias: str, share: float = DEFAULT_HOLDOUT) -> bool:
    """True if ``alias`` of ``item_id`` is held out (a stable hash, not a random draw)."""
    digest = hashlib.sha1(f"{item_id}\x1f{alias}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 10_000 < share * 10_000


def visible_catalog(catalog: Catalog, share: float = DEFAULT_HOLDOUT) -> Catalog:
    """The catalog without its held-out aliases: what the matcher is given."""
    items = tuple(
        it.model_copy(
            update={"aliases": tuple(a for a in it.aliases if not held_out(it.id, a, share))}
        )
        for it in catalog.items
    )
    return Catalog(
        items=items, roles=catalog.roles, code_lists=catalog.code_lists, materials=catalog.materials
    )


def _kind_of(alias: str) -> str:
    """``zh`` (Chinese label), ``en`` (English label), ``pinyin`` or ``en_key`` (keys)."""
    if _HAN_RE.search(alias):
        return "zh"
    if " " in alias or (alias[:1].isupper() and not _CAMEL_RE.search(alias)) or "." in alias:
        return "en"
    if "_" in alias or _CAMEL_RE.search(alias):
        return "en_key"
    return "pinyin" if looks_like_pinyin(alias) else "en_key"


@dataclass(frozen=True)
class ItemNames:
    """One item's names by language, each split into seen and held-out."""

    item: CatalogItem
    seen: dict[str, tuple[str, ...]]
    """``zh``/``en``/``pinyin``/``en_key`` -> aliases the matcher's catalog keeps."""
    held: dict[str, tuple[str, ...]]
    """The same kinds -> aliases removed from the matcher's catalog."""
    visible_keys: frozenset[str]
    """:func:`~formmerge.catalog.alias_key` of every name the matcher sees for this item."""


@dataclass(frozen=True)
class CatalogView:
    """A catalog prepared for generating forms (see the module docstring)."""

    full: Catalog
    visible: Catalog
    share: float
    names: dict[str, ItemNames]
    all_keys: dict[str, frozenset[str]]
    """alias_key -> ids of the items with that name in the full catalog."""

    @classmethod
    def build(cls, catalog: Catalog, share: float = DEFAULT_HOLDOUT) -> CatalogView:
        """Split every item's aliases and index the names."""
        names: dict[str, ItemNames] = {}
        all_keys: dict[str, set[str]] = {}
        for it in catalog.items:
            seen: dict[str, list[str]] = {"zh": [], "en": [], "pinyin": [], "en_key": []}
            held: dict[str, list[str]] = {"zh": [], "en": [], "pinyin": [], "en_key": []}
            visible = {alias_key(it.label_zh), alias_key(it.label_en)}
            for a in it.aliases:
                bucket = held if held_out(it.id, a, share) else seen
                bucket[_kind_of(a)].append(a)
                if bucket is seen:
                    visible.add(alias_key(a))
            visible |= {alias_key(a) for a in it.shared_aliases}
            for n in (it.label_zh, it.label_en, *it.aliases, *it.shared_aliases):
                all_keys.setdefault(alias_key(n), set()).add(it.id)
            add_homophone_source(it.label_zh + "".join(seen["zh"]) + "".join(held["zh"]))
            names[it.id] = ItemNames(
                item=it,
                seen={k: tuple(v) for k, v in seen.items()},
                held={k: tuple(v) for k, v in held.items()},
                visible_keys=frozenset(visible),
            )
        return cls(
            full=catalog,
            visible=visible_catalog(catalog, share),
            share=share,
            names=names,
            all_keys={k: frozenset(v) for k, v in all_keys.items()},
        )

    def is_other_items_name(self, text: str, item_id: str) -> bool:
        """True if ``text`` is a name of another item (an abbreviation that changed meaning)."""
        owners = self.all_keys.get(alias_key(text), frozenset())
        return bool(owners - {item_id})

    def code_list(self, item: CatalogItem) -> CodeList | None:
        """The item's code list, or None when it has none or the catalog lacks it."""
        if item.code_list is None:
            return None
        try:
            return self.full.code_list(item.code_list)
        except KeyError:
            return None

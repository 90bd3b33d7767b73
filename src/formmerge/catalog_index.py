"""The catalog turned into arrays for vectorised matching.

Built once per catalog: every item's labels and aliases as normalised label texts, and every
key-like spelling (ASCII aliases, pinyin initials of the Chinese names) as compact key texts,
with the column-to-item layout that lets :func:`numpy.maximum.reduceat` fold alias scores into
item scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from formmerge.models import FIELD_TYPES, Catalog, CatalogItem
from formmerge.normalize import has_cjk, normalize_key, normalize_label, pinyin_initials

__all__ = ["CatalogIndex", "compact_key", "index_catalog", "label_with_notes"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_BRACKETS = re.compile(r"[()（）\[\]【】〔〕]")


def label_with_notes(text: str) -> str:
    """A normalised label that keeps its bracketed notes: ``姓名（拼音）`` -> ``姓名拼音``.

    Notes are dropped by :func:`normalize_label` (units, "必填"), but in a catalog name they can
    be what tells two items apart.
    """
    return normalize_label(_BRACKETS.sub(" ", text))


def compact_key(text: str) -> str:
    """A key reduced to lower-case letters and digits: ``ID_Number`` and ``idNumber`` agree."""
    return _NON_ALNUM.sub("", normalize_key(text).lower())


@dataclass(frozen=True)
class _Columns:
    texts: list[str]
    starts: npt.NDArray[np.intp]
    """Index of the first column of each item (columns are sorted by item)."""
    shared: npt.NDArray[np.bool_]
    """Columns that are only a shared alias of their item (a name two items claim)."""


@dataclass(frozen=True, eq=False)
class CatalogIndex:
    """Arrays derived from a catalog for the matcher (see module docstring)."""

    catalog: Catalog
    items: tuple[CatalogItem, ...]
    labels: _Columns
    keys: _Columns
    exact: dict[str, frozenset[int]]
    """Normalised label or compact key -> the items that claim it exactly."""
    item_type: npt.NDArray[np.intp]
    role_ids: tuple[str, ...]
    role_allowed: npt.NDArray[np.bool_]
    """``role_allowed[r, i]``: item ``i`` can be about role ``r``."""

    code_lists: tuple[str, ...]
    """The code lists items use, in a fixed order."""
    item_code_list: npt.NDArray[np.intp]
    """Position of each item's code list in ``code_lists``, or -1."""
    default_role: npt.NDArray[np.intp]
    """Row in ``role_ids`` of each item's default role (-1 if not a known role)."""
    organization_default: npt.NDArray[np.bool_]
    """Items whose default role is the organization (enterprise name, USCC ...)."""
    positions: dict[str, int]
    """Item id -> its column in the score matrices."""

    def role_row(self, role_id: str | None) -> int:
        """Row of a role in ``role_ids``, or -1."""
        return self.role_ids.index(role_id) if role_id in self.role_ids else -1

    def item_pos(self, item_id: str) -> int:
        """The column of an item in the score matrices."""
        return self.positions[item_id]


def _label_texts(item: CatalogItem, shared: bool = False) -> set[str]:
    own = [item.label_zh, item.label_en, *item.aliases]
    names = list(item.shared_aliases) if shared else own
    out = {label_with_notes(n) for n in names}
    # ASCII keys such as ``date_of_birth`` also read as words
    out |= {normalize_label(" ".join(normalize_key(n).split("_"))) for n in names if n.isascii()}
    return {t for t in out if t}


def _key_texts(item: CatalogItem, shared: bool = False) -> set[str]:
    own = [item.label_zh, item.label_en, *item.aliases]
    names = list(item.shared_aliases) if shared else own
    out = {compact_key(n) for n in names if n.isascii()}
    out |= {pinyin_initials(normalize_label(n)) for n in names if has_cjk(n)}
    return {t for t in out if t}


def _columns(per_item: list[set[str]], shared_per_item: list[set[str]]) -> _Columns:
    texts: list[str] = []
    starts: list[int] = []
    shared: list[bool] = []
    for own, also in zip(per_item, shared_per_item, strict=True):
        starts.append(len(texts))
        only_shared = sorted(also - own)
        # an item without texts still needs a column, or reduceat would misalign
        own_texts = sorted(own) or ([] if only_shared else ["\x00"])
        texts.extend(own_texts + only_shared)
        shared.extend([False] * len(own_texts) + [True] * len(only_shared))
    return _Columns(
        texts=texts,
        starts=np.asarray(starts, dtype=np.intp),
        shared=np.asarray(shared, dtype=np.bool_),
    )


@lru_cache(maxsize=8)
def index_catalog(catalog: Catalog) -> CatalogIndex:
    """Build (and cache) the matching index of a catalog."""
    items = catalog.items
    label_sets = [_label_texts(it) for it in items]
    key_sets = [_key_texts(it) for it in items]
    shared_labels = [_label_texts(it, shared=True) for it in items]
    shared_keys = [_key_texts(it, shared=True) for it in items]
    exact: dict[str, set[int]] = {}
    for i, texts in enumerate(label_sets):
        for t in texts | shared_labels[i]:
            exact.setdefault(t, set()).add(i)
    for i, texts in enumerate(key_sets):
        for t in texts | shared_keys[i]:
            exact.setdefault("key:" + t, set()).add(i)
    code_lists = tuple(sorted({it.code_list for it in items if it.code_list}))
    role_ids = tuple(r.id for r in catalog.roles)
    allowed = np.zeros((len(role_ids), len(items)), dtype=np.bool_)
    for i, it in enumerate(items):
        for role in it.roles:
            if role in role_ids:
                allowed[role_ids.index(role), i] = True
    return CatalogIndex(
        catalog=catalog,
        items=items,
        labels=_columns(label_sets, shared_labels),
        keys=_columns(key_sets, shared_keys),
        exact={k: frozenset(v) for k, v in exact.items()},
        item_type=np.asarray([FIELD_TYPES.index(it.type) for it in items], dtype=np.intp),
        role_ids=role_ids,
        role_allowed=allowed,
        code_lists=code_lists,
        item_code_list=np.asarray(
            [code_lists.index(it.code_list) if it.code_list else -1 for it in items],
            dtype=np.intp,
        ),
        default_role=np.asarray(
            [role_ids.index(it.roles[0]) if it.roles[0] in role_ids else -1 for it in items],
            dtype=np.intp,
        ),
        organization_default=np.asarray([it.roles[0] == "organization" for it in items]),
        positions={it.id: i for i, it in enumerate(items)},
    )

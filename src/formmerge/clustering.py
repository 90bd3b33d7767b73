"""Group uncatalogued fields of different forms that ask the same thing.

Labels are normalised and deduplicated first; similar distinct labels are then paired with one
:func:`rapidfuzz.process.cdist` call per block (fields whose labels share a first or a last
character and whose types are compatible), never over all pairs, and joined by union-find.
A label that is another plus a qualifier ("变更后", "变更后内容") joins it too. Two
enumerated fields whose labels are only fairly alike ("退休类别", "退休类型") are joined
when their option sets largely overlap.
Two fields of one form never end up in one group: they are different questions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from formmerge.normalize import normalize_label
from formmerge.settings import (
    DEFAULT_GAP_CONTAINED_MIN_CHARS,
    DEFAULT_GAP_CONTAINED_MIN_SHARE,
    DEFAULT_GAP_OPTION_OVERLAP,
    DEFAULT_GAP_SIMILARITY,
    DEFAULT_GAP_SIMILARITY_WITH_OPTIONS,
)

__all__ = ["cluster_labels"]


def _type_family(field_type: str) -> str:
    return field_type if field_type in ("file", "boolean") else "value"


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _blocks(labels: list[str], families: list[str]) -> list[list[int]]:
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, (label, family) in enumerate(zip(labels, families, strict=True)):
        if label:
            blocks[("first", label[0], family)].append(i)
            blocks[("last", label[-1], family)].append(i)
    return [b for b in blocks.values() if len(b) > 1]


def _containment(texts: list[str]) -> npt.NDArray[np.bool_]:
    """Upper-triangle pairs where one label is the other plus a qualifier ("变更后" and
    "变更后内容", "Date" and "Date Signed"): the shorter one long enough to mean something."""
    partial = process.cdist(texts, texts, scorer=fuzz.partial_ratio, workers=-1) >= 100
    lengths = np.asarray([len(t) for t in texts])
    shorter = np.minimum(lengths[:, None], lengths[None, :])
    longer = np.maximum(lengths[:, None], lengths[None, :])
    meaningful = (shorter >= DEFAULT_GAP_CONTAINED_MIN_CHARS) & (
        shorter >= DEFAULT_GAP_CONTAINED_MIN_SHARE * longer
    )
    return np.asarray(np.triu(partial & meaningful, k=1), dtype=np.bool_)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def cluster_labels(
    fields: Sequence[tuple[str, str, str]],
    threshold: float = DEFAULT_GAP_SIMILARITY,
    options: Sequence[frozenset[str]] | None = None,
    roles: Sequence[str] | None = None,
) -> list[list[int]]:
    """Cluster ``(form id, label, type)`` triples; returns lists of indices into ``fields``.

    Args:
        fields: one ``(form id, label, type)`` per field.
        threshold: label similarity at which two fields are the same question.
        options: each field's normalised option labels (empty when it has none).
        roles: whose each field is about (``""`` if unknown); fields of different roles never
            join ("contact person: prefix" is not "authorized representative: prefix").

    Every index is in exactly one cluster; clusters are ordered by their smallest index, and
    a cluster holds at most one field of each form.
    """
    opts = list(options) if options is not None else [frozenset()] * len(fields)
    whose = list(roles) if roles is not None else [""] * len(fields)
    keys = [
        (normalize_label(label), _type_family(t) + "|" + role, o)
        for (_, label, t), o, role in zip(fields, opts, whose, strict=True)
    ]
    distinct = list(dict.fromkeys(keys))
    position = {k: i for i, k in enumerate(distinct)}
    uf = _UnionFind(len(distinct))
    labels = [k[0] for k in distinct]
    for block in _blocks(labels, [k[1] for k in distinct]):
        texts = [labels[i] for i in block]
        sims = np.triu(process.cdist(texts, texts, scorer=fuzz.ratio, workers=-1), k=1)
        contained = _containment(texts)
        a, b = np.nonzero((sims >= DEFAULT_GAP_SIMILARITY_WITH_OPTIONS * 100) | contained)
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            same_label = sims[x, y] >= threshold * 100 or contained[x, y]
            same_options = (
                _overlap(distinct[block[x]][2], distinct[block[y]][2]) >= DEFAULT_GAP_OPTION_OVERLAP
            )
            if same_label or same_options:
                uf.union(block[x], block[y])
    groups: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        groups[uf.find(position[k])].append(i)
    clusters: list[list[int]] = []
    for members in groups.values():
        # the n-th field of each form goes to the n-th sub-cluster
        per_form: dict[str, int] = defaultdict(int)
        subs: dict[int, list[int]] = defaultdict(list)
        for i in members:
            form = fields[i][0]
            subs[per_form[form]].append(i)
            per_form[form] += 1
        clusters.extend(subs.values())
    return sorted(clusters, key=min)

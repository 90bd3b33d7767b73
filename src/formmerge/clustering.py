"""Group uncatalogued fields of different forms that ask the same thing.

Labels are normalised and deduplicated first; similar distinct labels are then paired with one
:func:`rapidfuzz.process.cdist` call per block (fields whose labels share a first or a last
character and whose types are compatible), never over all pairs, and joined by union-find.
Two fields of one form never end up in one group: they are different questions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from formmerge.normalize import normalize_label
from formmerge.settings import DEFAULT_GAP_SIMILARITY

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


def cluster_labels(
    fields: Sequence[tuple[str, str, str]], threshold: float = DEFAULT_GAP_SIMILARITY
) -> list[list[int]]:
    """Cluster ``(form id, label, type)`` triples; returns lists of indices into ``fields``.

    Every index is in exactly one cluster; clusters are ordered by their smallest index, and
    a cluster holds at most one field of each form.
    """
    keys = [(normalize_label(label), _type_family(t)) for _, label, t in fields]
    distinct = list(dict.fromkeys(keys))
    position = {k: i for i, k in enumerate(distinct)}
    uf = _UnionFind(len(distinct))
    labels = [k[0] for k in distinct]
    for block in _blocks(labels, [k[1] for k in distinct]):
        texts = [labels[i] for i in block]
        sims = process.cdist(texts, texts, scorer=fuzz.ratio, workers=-1)
        a, b = np.nonzero(np.triu(sims >= threshold * 100, k=1))
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
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

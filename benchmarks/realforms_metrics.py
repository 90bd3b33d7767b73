"""Scores of the real-forms benchmark, from hand annotations and what formmerge did.

A scored field is an annotated field that is not office-use. Each has a truth (its items, its
role, its pattern tags) and a prediction: the matcher's status, item and role, or nothing when
the field was missed (its form did not load, or the loaded form has no field with its key).

- **(item, role) accuracy** on catalog-covered fields (at least one item is a catalog item):
  right when the status is ``matched``, the item is one of the field's items (a field that
  asks two items in one answer is right with either) and the role is the annotated role.
  An ``other:<noun>`` role is right only when the prediction names the same ``other:<noun>``.
- **wrong-confident share**: covered fields ``matched`` to a wrong item or role.
- **review share**: scored fields sent to review (missed fields count in the denominator).
- **cross-form dedup**: pairwise precision/recall/F1 over pairs of scored fields of different
  forms (:func:`benchmarks.metrics.pairwise`). A pair is true when both fields have the same
  items and the same role (``other:`` nouns compared as written); predicted when the merge put
  both in one merged field, or, "with review accepted", when either the merge did or both
  were proposed the same (item, role) with status ``matched`` or ``review``. Missed fields
  predict no pair and lose every true pair they have.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.metrics import Prf, pairwise
from benchmarks.realforms_truth import AnnotatedField

__all__ = [
    "Prediction",
    "ScoredField",
    "accepted_clusters",
    "dedup_score",
    "mapping_scores",
    "pattern_scores",
]

Ref = tuple[str, str]
"""A field's place: (form id, annotation key)."""


@dataclass(frozen=True)
class Prediction:
    """What formmerge said of one field."""

    status: str
    item: str | None
    role: str | None


@dataclass(frozen=True)
class ScoredField:
    """One scored field: where it is, its truth, and formmerge's prediction (None: missed)."""

    form: str
    truth: AnnotatedField
    prediction: Prediction | None

    @property
    def ref(self) -> Ref:
        """(form id, annotation key)."""
        return (self.form, self.truth.key)

    @property
    def right(self) -> bool:
        """Matched with one of the field's items and its role."""
        p = self.prediction
        return (
            p is not None
            and p.status == "matched"
            and p.item in self.truth.items
            and p.role == self.truth.role
        )

    @property
    def wrong_confident(self) -> bool:
        """Matched, but to an item or role the field does not ask."""
        p = self.prediction
        return p is not None and p.status == "matched" and not self.right


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def mapping_scores(fields: Sequence[ScoredField]) -> dict[str, Any]:
    """Accuracy, wrong-confident, review and missed shares (see the module docstring)."""
    scored = [f for f in fields if f.truth.scored]
    covered = [f for f in scored if f.truth.covered]
    statuses = Counter(f.prediction.status if f.prediction else "missed" for f in scored)
    uncovered = [f for f in scored if not f.truth.covered]
    return {
        "fields": len(scored),
        "covered": len(covered),
        "accuracy": _share(sum(f.right for f in covered), len(covered)),
        "wrong_confident": _share(sum(f.wrong_confident for f in covered), len(covered)),
        "review": _share(statuses["review"], len(scored)),
        "missed": _share(statuses["missed"], len(scored)),
        "uncovered_given_an_item": _share(
            sum(f.prediction is not None and f.prediction.status == "matched" for f in uncovered),
            len(uncovered),
        ),
        "statuses": dict(sorted(statuses.items())),
    }


def pattern_scores(fields: Sequence[ScoredField]) -> dict[str, dict[str, Any]]:
    """:func:`mapping_scores` of the fields that carry each pattern tag."""
    tags = sorted({t for f in fields for t in f.truth.patterns})
    return {tag: mapping_scores([f for f in fields if tag in f.truth.patterns]) for tag in tags}


def dedup_score(clusters: Iterable[Iterable[Ref]], fields: Sequence[ScoredField]) -> Prf:
    """Pairwise cross-form dedup of predicted clusters, over the scored fields only.

    Args:
        clusters: predicted groups of field refs (refs of unscored or unannotated fields are
            ignored); a scored field in no cluster stands alone.
        fields: every scored field with its truth.
    """
    truth = {f.ref: f.truth.truth_label for f in fields if f.truth.scored}
    placed: set[Ref] = set()
    kept: list[list[Ref]] = []
    for cluster in clusters:
        members = [ref for ref in cluster if ref in truth and ref not in placed]
        placed.update(members)
        if members:
            kept.append(members)
    kept.extend([ref] for ref in truth if ref not in placed)
    return pairwise(kept, truth)


def accepted_clusters(
    clusters: Iterable[Iterable[Ref]], fields: Sequence[ScoredField]
) -> list[list[Ref]]:
    """The merge's clusters with every review proposal accepted.

    A field proposed ``(item, role)`` with status ``review`` joins the fields matched or
    proposed to the same pair (through whichever cluster holds them).
    """
    parent: dict[Any, Any] = {}

    def find(node: Any) -> Any:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: Any, b: Any) -> None:
        parent[find(a)] = find(b)

    for cluster in clusters:
        members = list(cluster)
        for ref in members:
            find(ref)
        for ref in members[1:]:
            union(ref, members[0])
    for f in fields:
        p = f.prediction
        if p is not None and p.status in ("matched", "review") and p.item and p.role:
            union(f.ref, ("proposal", p.item, p.role))
    groups: dict[Any, list[Ref]] = defaultdict(list)
    for node in list(parent):
        if not (isinstance(node, tuple) and node and node[0] == "proposal"):
            groups[find(node)].append(node)
    return list(groups.values())

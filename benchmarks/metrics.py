"""Accuracy measures: (item, role) mapping, cross-form merging, thresholds.

Mapping is scored per field. The truth is an ``(item, role)`` pair, or nothing for a decoy; the
prediction is the matcher's ``(item, role)`` or nothing. A right pair is a true positive; a
wrong pair is a false positive and, when the field had a truth, also a false negative; no
prediction for a catalogued field is a false negative; no prediction for a decoy counts nowhere.
So precision drops when decoys get matched and recall drops when fields go unmatched.

Merging is scored on pairs of fields from different forms: a pair is predicted when the two
fields ended up in one merged field and true when they ask for the same thing (same
``item@role``, or the same uncatalogued concept).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise as pairwise_bins
from typing import Any

from benchmarks.formsets import FieldTruth
from benchmarks.variants import KINDS
from formmerge.models import FieldMatch

__all__ = [
    "CALIBRATION_BINS",
    "PROPOSED",
    "Prf",
    "calibration",
    "cross_form_pairs",
    "mapping_report",
    "pairwise",
    "predicted_pair",
    "prf",
]

PROPOSED = ("matched", "review")
"""Statuses whose (item, role) count as the matcher's answer in the headline figures."""

CALIBRATION_BINS = (0.0, 0.5, 0.62, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001)
"""Score bin edges of the reliability table (the defaults' review and matched thresholds are
edges, so each bin lies on one side of them)."""

SWEEP = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
"""Thresholds of the threshold sweep (0.50 to 0.95)."""


@dataclass(frozen=True)
class Prf:
    """True positives, false positives, false negatives, and the ratios built from them."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Prf) -> Prf:
        return Prf(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict[str, float | int]:
        """Counts and rounded ratios."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def prf(pairs: Iterable[tuple[Hashable | None, Hashable | None]]) -> Prf:
    """Score ``(truth, prediction)`` pairs, None meaning "nothing" (see the module docstring)."""
    tp = fp = fn = 0
    for truth, pred in pairs:
        if pred is not None and pred == truth:
            tp += 1
            continue
        if pred is not None:
            fp += 1
        if truth is not None:
            fn += 1
    return Prf(tp, fp, fn)


def predicted_pair(m: FieldMatch, accept: Sequence[str] = PROPOSED) -> tuple[str, str] | None:
    """The match's ``(item, role)`` if its status is accepted, else None."""
    if m.status in accept and m.item is not None and m.role is not None:
        return (m.item, m.role)
    return None


def _top_item(m: FieldMatch) -> str | None:
    if m.item is not None:
        return m.item
    return m.candidates[0].item if m.candidates else None


def _aligned(
    truths: Sequence[FieldTruth], matches: Sequence[FieldMatch]
) -> list[tuple[FieldTruth, FieldMatch]]:
    by_ref = {(m.form, m.path): m for m in matches}
    missing = [f"{t.form}:{t.path}" for t in truths if (t.form, t.path) not in by_ref]
    if missing:
        raise ValueError(f"{len(missing)} fields have no match, e.g. {missing[:3]}")
    return [(t, by_ref[(t.form, t.path)]) for t in truths]


def calibration(rows: Sequence[tuple[FieldTruth, FieldMatch]]) -> dict[str, Any]:
    """How well scores and statuses predict correctness.

    Returns:
        ``by_status``: per status, its share and the precision of its (item, role);
        ``bins``: per score bin, how often the top candidate's item is the true item (decoys
        are never right), i.e. a reliability table; ``sweep``: item-level precision, recall and
        F1 if every field whose top score reaches a threshold were accepted.
    """
    n = len(rows) or 1
    by_status: dict[str, Any] = {}
    for status in ("matched", "review", "unmatched"):
        sub = [(t, m) for t, m in rows if m.status == status]
        entry: dict[str, Any] = {"count": len(sub), "share": round(len(sub) / n, 4)}
        if status != "unmatched":
            right = sum((m.item, m.role) == (t.item, t.role) for t, m in sub)
            entry["precision"] = round(right / len(sub), 4) if sub else None
        else:
            entry["decoys"] = sum(t.item is None for t, _ in sub)
            entry["missed_catalogued"] = sum(t.item is not None for t, _ in sub)
            entry["top_candidate_right"] = sum(
                t.item is not None and _top_item(m) == t.item for t, m in sub
            )
        by_status[status] = entry
    bins = []
    for lo, hi in pairwise_bins(CALIBRATION_BINS):
        sub = [(t, m) for t, m in rows if lo <= m.score < hi]
        right = sum(t.item is not None and _top_item(m) == t.item for t, m in sub)
        bins.append(
            {
                "from": lo,
                "to": min(hi, 1.0),
                "count": len(sub),
                "top_item_right": round(right / len(sub), 4) if sub else None,
            }
        )
    sweep = []
    for threshold in SWEEP:
        result = prf((t.item, _top_item(m) if m.score >= threshold else None) for t, m in rows)
        sweep.append({"threshold": threshold, **result.to_dict()})
    best = max(sweep, key=lambda r: (r["f1"], -abs(r["threshold"] - 0.7)))
    return {"by_status": by_status, "bins": bins, "sweep": sweep, "best_threshold": best}


def mapping_report(
    truths: Sequence[FieldTruth],
    matches: Sequence[FieldMatch],
    accept: Sequence[str] = PROPOSED,
) -> dict[str, Any]:
    """Every mapping figure of one run: overall, per kind, per label source, calibration."""
    rows = _aligned(truths, matches)

    def score(
        sub: Iterable[tuple[FieldTruth, FieldMatch]], statuses: Sequence[str] = accept
    ) -> Prf:
        return prf((t.pair, predicted_pair(m, statuses)) for t, m in sub)

    per_kind: dict[str, Any] = {}
    for kind in ("clean", *KINDS):
        sub = [(t, m) for t, m in rows if (kind in t.kinds if kind != "clean" else not t.kinds)]
        entry: dict[str, Any] = {"fields": len(sub), **score(sub).to_dict()}
        decoys = [m for t, m in sub if t.item is None]
        if decoys:
            entry["decoys_kept_unmatched"] = round(
                sum(predicted_pair(m, accept) is None for m in decoys) / len(decoys), 4
            )
        per_kind[kind] = entry
    per_source = {
        source: {"fields": len(sub), **score(sub).to_dict()}
        for source in sorted({t.source for t, _ in rows})
        for sub in [[(t, m) for t, m in rows if t.source == source]]
    }
    seen = [(t, m) for t, m in rows if t.seen]
    unseen = [(t, m) for t, m in rows if not t.seen and t.item is not None]
    item_only = prf((t.item, m.item if m.status in accept else None) for t, m in rows)
    statuses = Counter(m.status for _, m in rows)
    return {
        "fields": len(rows),
        "overall": score(rows).to_dict(),
        "auto_only": score(rows, ("matched",)).to_dict(),
        "item_only": item_only.to_dict(),
        "seen_labels": {"fields": len(seen), **score(seen).to_dict()},
        "unseen_labels": {"fields": len(unseen), **score(unseen).to_dict()},
        "per_kind": per_kind,
        "per_source": per_source,
        "review_share": round(statuses["review"] / (len(rows) or 1), 4),
        "statuses": dict(statuses),
        "calibration": calibration(rows),
    }


# --------------------------------------------------------------------------- merging


def cross_form_pairs(forms: Iterable[str]) -> int:
    """Number of pairs of members that come from different forms."""
    counts = Counter(forms)
    n = sum(counts.values())
    return n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in counts.values())


def pairwise(
    clusters: Iterable[Sequence[tuple[str, str]]], truth: Mapping[tuple[str, str], str]
) -> Prf:
    """Pairwise precision/recall of predicted clusters of ``(form, path)`` refs.

    Only pairs from different forms count. ``truth`` maps every ref of the clusters to its
    true cluster label; refs with the same label belong together.

    Returns:
        :class:`Prf` whose ``tp`` are right pairs, ``fp`` predicted but wrong pairs, ``fn``
        true pairs that were not predicted.
    """
    predicted = tp = 0
    true_groups: dict[str, list[str]] = defaultdict(list)
    for cluster in clusters:
        predicted += cross_form_pairs(form for form, _ in cluster)
        by_truth: dict[str, list[str]] = defaultdict(list)
        for ref in cluster:
            by_truth[truth[ref]].append(ref[0])
            true_groups[truth[ref]].append(ref[0])
        tp += sum(cross_form_pairs(forms) for forms in by_truth.values())
    actual = sum(cross_form_pairs(forms) for forms in true_groups.values())
    return Prf(tp, predicted - tp, actual - tp)

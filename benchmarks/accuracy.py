"""Accuracy runs: the default mix, each kind of variation alone, the full catalog, merging."""

from __future__ import annotations

import statistics
import time
from typing import Any

from benchmarks.catalog_view import CatalogView
from benchmarks.formsets import FormSet, generate
from benchmarks.metrics import mapping_report, pairwise, prf
from benchmarks.peers import ExactLabelMatcher
from benchmarks.variants import KINDS, NO_VARIATION
from formmerge.matching import FieldMatcher
from formmerge.merging import merge

__all__ = ["default_mix_run", "isolated_runs", "merge_run"]

ISOLATED_SEED_OFFSET = 1000
"""Seeds of the one-kind-alone sets are the suite's seed plus this plus the kind's index."""


def default_mix_run(fs: FormSet) -> dict[str, Any]:
    """Map the set with the catalog the generator held aliases out of, and with the full one."""
    start = time.perf_counter()
    matcher = FieldMatcher(fs.catalog)
    matches = matcher.match(list(fs.forms))
    seconds = time.perf_counter() - start
    report = mapping_report(fs.truths, matches)
    report["seconds"] = round(seconds, 2)
    report["fields_per_second"] = round(fs.n_fields / seconds, 1)
    full = FieldMatcher(fs.view.full).match(list(fs.forms))
    report["full_catalog"] = mapping_report(fs.truths, full)["overall"]
    exact = ExactLabelMatcher(fs.catalog).run(fs.forms)
    report["exact_label_baseline"] = exact.score(fs.truths)
    report["summary"] = fs.summary()
    return report


def isolated_runs(n_forms: int, seed: int, view: CatalogView) -> dict[str, Any]:
    """Each kind of variation alone (and none at all) on a fresh set of ``n_forms`` forms."""
    out: dict[str, Any] = {}
    matcher = FieldMatcher(view.visible)
    for i, kind in enumerate(("clean", *KINDS)):
        mix = NO_VARIATION if kind == "clean" else NO_VARIATION.only(kind)
        fs = generate(n_forms, seed=seed + ISOLATED_SEED_OFFSET + i, mix=mix, view=view)
        report = mapping_report(fs.truths, matcher.match(list(fs.forms)))
        entry = {"fields": report["fields"], **report["overall"]}
        entry["review_share"] = report["review_share"]
        if kind == "decoy":
            entry["decoys_kept_unmatched"] = report["per_kind"]["decoy"].get(
                "decoys_kept_unmatched"
            )
        if kind != "clean":
            entry["carrying_fields"] = report["per_kind"][kind]["fields"]
            entry["carrying_f1"] = report["per_kind"][kind]["f1"]
        out[kind] = entry
    return out


def merge_run(fs: FormSet, n_bundles: int) -> dict[str, Any]:
    """Merge the first ``n_bundles`` bundles; time each, score the pairs merged together."""
    seconds: list[float] = []
    total = prf([])
    catalogued = prf([])
    forms_per_bundle: list[int] = []
    fields_per_bundle: list[int] = []
    for b in range(min(n_bundles, len(fs.bundles))):
        forms = fs.bundle_forms(b)
        start = time.perf_counter()
        merged = merge(forms, fs.catalog)
        seconds.append(time.perf_counter() - start)
        clusters = [[(s.form, s.path) for s in f.sources] for f in merged.fields]
        truth = {
            (f.form, f.path): fs.truth(f.form, f.path).cluster
            for c in merged.fields
            for f in c.sources
        }
        total += pairwise(clusters, truth)
        catalogued += pairwise(
            ([r for r in c if fs.truth(*r).item is not None] for c in clusters), truth
        )
        forms_per_bundle.append(len(forms))
        fields_per_bundle.append(sum(len(f.fields) for f in forms))
    ordered = sorted(seconds)
    return {
        "bundles": len(seconds),
        "forms_per_bundle": round(statistics.mean(forms_per_bundle), 2) if seconds else 0,
        "fields_per_bundle": round(statistics.mean(fields_per_bundle), 1) if seconds else 0,
        "seconds_median": round(statistics.median(ordered), 4) if seconds else None,
        "seconds_p95": round(ordered[int(0.95 * (len(ordered) - 1))], 4) if seconds else None,
        "seconds_max": round(ordered[-1], 4) if seconds else None,
        "pairwise": total.to_dict(),
        "pairwise_catalogued_only": catalogued.to_dict(),
    }

"""Speed and memory of mapping one generated form set, in a process of its own.

Run by :mod:`benchmarks.run_suite` once per set size, so that each size's peak memory is its
own. Prints one JSON object::

    python -m benchmarks.speed --forms 10000 [--cluster] [--accuracy]
    python -m benchmarks.speed --fields 100000

Peak memory is the process's high-water mark of resident memory (``VmHWM``), reset after the
forms are generated and the matcher is built, so it covers the match call plus what was
already resident (the forms themselves); ``peak_increase_mib`` is the part the match call added.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.catalog_view import CatalogView
from benchmarks.formsets import DEFAULT_SEED, FieldTruth, iter_forms
from benchmarks.metrics import mapping_report, pairwise
from formmerge.catalog import load_catalog
from formmerge.clustering import cluster_labels
from formmerge.matching import FieldMatcher
from formmerge.models import Form

__all__ = ["cluster_uncatalogued", "measure", "peak_rss_mib", "reset_peak_rss"]

_STATUS = Path("/proc/self/status")


def _status_kib(name: str) -> int | None:
    try:
        m = re.search(rf"^{name}:\s+(\d+)\s+kB", _STATUS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(m.group(1)) if m else None


def reset_peak_rss() -> bool:
    """Reset the resident-memory high-water mark (Linux ``clear_refs``); False if unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mib() -> float:
    """Peak resident memory since the last reset (or since start), in MiB."""
    kib = _status_kib("VmHWM")
    if kib is None:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024


def _rss_mib() -> float:
    kib = _status_kib("VmRSS")
    return (kib or 0) / 1024


def cluster_uncatalogued(
    forms: list[Form], unmatched: set[tuple[str, str]], truths: dict[tuple[str, str], FieldTruth]
) -> dict[str, Any]:
    """Cluster the fields the matcher left unmatched across all forms; time and score it."""
    refs: list[tuple[str, str]] = []
    triples: list[tuple[str, str, str]] = []
    for form in forms:
        for f in form.fields:
            if (form.id, f.path) in unmatched:
                refs.append((form.id, f.path))
                triples.append((form.id, f.label or f.key, f.type))
    start = time.perf_counter()
    clusters = cluster_labels(triples)
    seconds = time.perf_counter() - start
    truth = {r: truths[r].cluster for r in refs}
    scored = pairwise(([refs[i] for i in c] for c in clusters), truth)
    decoys = pairwise(
        ([refs[i] for i in c if truths[refs[i]].item is None] for c in clusters), truth
    )
    return {
        "fields": len(refs),
        "decoy_fields": sum(truths[r].item is None for r in refs),
        "clusters": len(clusters),
        "multi_form_clusters": sum(len(c) > 1 for c in clusters),
        "seconds": round(seconds, 3),
        "pairwise": scored.to_dict(),
        "pairwise_decoys_only": decoys.to_dict(),
    }


def measure(
    n_forms: int | None = None,
    min_fields: int | None = None,
    seed: int = DEFAULT_SEED,
    cluster: bool = False,
    accuracy: bool = False,
) -> dict[str, Any]:
    """Generate a set (``n_forms`` forms, or enough forms for ``min_fields`` fields), map it."""
    start = time.perf_counter()
    view = CatalogView.build(load_catalog())
    forms: list[Form] = []
    truths: list[FieldTruth] = []
    limit = n_forms if n_forms is not None else 10**9
    for _, form, form_truths in iter_forms(limit, seed=seed, view=view):
        forms.append(form)
        truths.extend(form_truths)
        if min_fields is not None and len(truths) >= min_fields:
            break
    generate_seconds = time.perf_counter() - start
    start = time.perf_counter()
    matcher = FieldMatcher(view.visible)
    index_seconds = time.perf_counter() - start
    gc.collect()
    peak_resettable = reset_peak_rss()
    rss_before = _rss_mib()
    start = time.perf_counter()
    matches = matcher.match(forms)
    match_seconds = time.perf_counter() - start
    peak = peak_rss_mib()
    result: dict[str, Any] = {
        "forms": len(forms),
        "fields": len(truths),
        "generate_seconds": round(generate_seconds, 2),
        "index_seconds": round(index_seconds, 3),
        "match_seconds": round(match_seconds, 3),
        "fields_per_second": round(len(truths) / match_seconds, 1),
        "rss_before_mib": round(rss_before, 1),
        "peak_rss_mib": round(peak, 1),
        "peak_increase_mib": round(peak - rss_before, 1),
        "peak_is_match_only": peak_resettable,
    }
    if accuracy:
        report = mapping_report(truths, matches)
        result["accuracy"] = {
            "overall": report["overall"],
            "review_share": report["review_share"],
        }
    if cluster:
        by_ref = {(t.form, t.path): t for t in truths}
        unmatched = {(m.form, m.path) for m in matches if m.item is None}
        result["clustering"] = cluster_uncatalogued(forms, unmatched, by_ref)
    return result


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", type=int)
    parser.add_argument("--fields", type=int, help="generate forms until this many fields")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cluster", action="store_true", help="also cluster unmatched fields")
    parser.add_argument("--accuracy", action="store_true", help="also score the mapping")
    args = parser.parse_args(argv)
    if args.forms is None and args.fields is None:
        parser.error("give --forms or --fields")
    result = measure(args.forms, args.fields, args.seed, args.cluster, args.accuracy)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

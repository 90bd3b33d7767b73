"""The real-forms benchmark: formmerge on hand-annotated government forms nobody here wrote.

Usage::

    python -m benchmarks.realforms --split dev            # dev forms, Chinese and English
    python -m benchmarks.realforms --split held_out       # the third kept aside
    python -m benchmarks.realforms --split dev --errors   # also list each dev form's errors
    python -m benchmarks.realforms --split all --group en

Each language group's forms (``zh``: zhejiang; ``en``: va and us-grants-forms) are read,
matched and merged together, then scored against the annotations
(:mod:`benchmarks.realforms_metrics`). A form the reader cannot read yet is reported as not
loaded and all its fields count as missed. Writes ``realforms-<split>.json`` to ``--out``
(default ``benchmarks/results``).
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.peers import valentine_available
from benchmarks.realforms_metrics import (
    Prediction,
    Ref,
    ScoredField,
    accepted_clusters,
    dedup_score,
    mapping_scores,
    pattern_scores,
)
from benchmarks.realforms_paths import leaf_form
from benchmarks.realforms_peers import coma_predictions
from benchmarks.realforms_truth import LANGUAGE_GROUPS, AnnotatedForm, annotated_forms
from benchmarks.us_grants import annotation_key, read_us_grants_form
from formmerge import load_catalog, load_form, match, merge
from formmerge.models import Catalog, Field, Form

__all__ = ["GroupRun", "exact_label_clusters", "main", "run_group"]

DEFAULT_OUT = Path("benchmarks/results")
ERRORS_PER_KIND = 12
"""How many fields of each kind of error ``--errors`` lists per form."""

KEY_OF: dict[str, Callable[[Field], str]] = {
    # how an annotation names a field of the Form a reader gives (annotations README)
    "zhejiang": lambda f: f.key,
    "va": lambda f: f.path,
    "us-grants-forms": annotation_key,
}


READERS = ("formmerge", "benchmark")
"""``formmerge``: every form through formmerge.load_form (us-grants through its adapter);
``benchmark``: a va form formmerge cannot read is built from the benchmark's own leaf
listing instead (:func:`benchmarks.realforms_paths.leaf_form`), to measure the matcher alone."""


def _read(annotated: AnnotatedForm, reader: str = "formmerge") -> Form:
    if annotated.corpus == "us-grants-forms":
        return read_us_grants_form(annotated.path, annotated.form_id)
    try:
        form = load_form(annotated.path)
    except Exception:
        if reader != "benchmark" or annotated.corpus != "va":
            raise
        return leaf_form(annotated.path, annotated.form_id)
    return form.model_copy(update={"id": annotated.form_id})


def _why(exc: Exception, annotated: AnnotatedForm) -> str:
    """The reader's first complaint, naming the file but not where this machine keeps it."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = " ".join(lines[:2]).replace(str(annotated.path.parent) + "/", "")
    return f"{type(exc).__name__}: {text}"


@dataclass
class GroupRun:
    """Everything one language group and split gave: fields scored, clusters, problems."""

    group: str
    split: str
    forms: list[AnnotatedForm]
    not_annotated: list[str]
    reader: str = "formmerge"
    not_loaded: dict[str, str] = field(default_factory=dict)
    """form id -> why the reader failed."""
    scored: list[ScoredField] = field(default_factory=list)
    unannotated: dict[str, list[str]] = field(default_factory=dict)
    """form id -> keys of fields the reader gave that no annotation names."""
    merged: list[list[Ref]] = field(default_factory=list)
    labels: dict[Ref, str] = field(default_factory=dict)
    predicted: dict[Ref, Any] = field(default_factory=dict)
    seconds: float = 0.0
    coma: list[ScoredField] | None = None
    """The same fields as Valentine's Coma maps them (None: not run)."""
    coma_clusters: list[list[Ref]] = field(default_factory=list)
    coma_seconds: float = 0.0


def normalised_label(label: str) -> str:
    """A label compared as printed: NFKC, lower case, without spaces and punctuation."""
    text = unicodedata.normalize("NFKC", label).lower()
    return re.sub(r"[\W_]+", "", text)


def exact_label_clusters(labels: dict[Ref, str]) -> list[list[Ref]]:
    """The exact-labels baseline: fields whose normalised labels are equal are one field."""
    groups: dict[str, list[Ref]] = defaultdict(list)
    for ref, label in labels.items():
        text = normalised_label(label)
        groups[text or f"\0{ref}"].append(ref)
    return list(groups.values())


def _run_coma(
    run: GroupRun, forms: list[Form], paths: dict[str, dict[str, str]], catalog: Catalog
) -> None:
    """Valentine's Coma on the loaded forms; fields with the same (item, role) are one field."""
    result = coma_predictions(forms, catalog)
    run.coma_seconds = result.seconds
    by_pair: dict[tuple[str, str], list[Ref]] = defaultdict(list)
    predicted: dict[Ref, Prediction] = {}
    for (form_id, path), pair in result.predictions.items():
        ref = (form_id, paths[form_id][path])
        if pair is not None:
            by_pair[pair].append(ref)
            predicted[ref] = Prediction("matched", *pair)
        else:
            predicted[ref] = Prediction("unmatched", None, None)
    run.coma_clusters = list(by_pair.values())
    run.coma = [ScoredField(sf.form, sf.truth, predicted.get(sf.ref)) for sf in run.scored]


def run_group(
    group: str,
    split: str,
    catalog: Catalog | None = None,
    reader: str = "formmerge",
    coma: bool = False,
) -> GroupRun:
    """Read, match and merge the annotated forms of one group and split (see :data:`READERS`).

    With ``coma``, Valentine's Coma maps the same forms too (:mod:`benchmarks.realforms_peers`).
    """
    forms, absent = annotated_forms(split, group)
    run = GroupRun(group, split, forms, absent, reader)
    loaded: list[tuple[AnnotatedForm, Form, dict[str, str]]] = []
    for annotated in forms:
        try:
            form = _read(annotated, reader)
        except Exception as exc:  # a reader's failure is a figure, not a crash
            run.not_loaded[annotated.form_id] = _why(exc, annotated)
            continue
        key_of = KEY_OF[annotated.corpus]
        by_path: dict[str, str] = {}
        for f in form.fields:
            by_path.setdefault(f.path, key_of(f))
        loaded.append((annotated, form, by_path))
    start = time.perf_counter()
    catalog = catalog or load_catalog()
    matches = match([form for _, form, _ in loaded], catalog) if loaded else []
    merged = merge([form for _, form, _ in loaded], catalog, matches=matches) if loaded else None
    run.seconds = time.perf_counter() - start
    paths = {form.id: by_path for _, form, by_path in loaded}
    for m in matches:
        ref = (m.form, paths[m.form][m.path])
        run.predicted.setdefault(ref, Prediction(m.status, m.item, m.role))
        run.labels.setdefault(ref, m.label)
    if merged is not None:
        run.merged = [[(s.form, paths[s.form][s.path]) for s in mf.sources] for mf in merged.fields]
    for annotated in forms:
        fid = annotated.form_id
        keys = {f.key for f in annotated.fields}
        if fid in paths:
            extra = sorted(set(paths[fid].values()) - keys)
            if extra:
                run.unannotated[fid] = extra
        for truth in annotated.fields:
            if truth.scored:
                run.scored.append(ScoredField(fid, truth, run.predicted.get((fid, truth.key))))
    if coma and loaded:
        _run_coma(run, [form for _, form, _ in loaded], paths, catalog)
    return run


def _tagged_dedup(run: GroupRun, tag: str) -> dict[str, Any]:
    """Pairwise dedup over the pairs whose two fields both carry the pattern tag."""
    tagged = [sf for sf in run.scored if tag in sf.truth.patterns]
    return dedup_score(run.merged, tagged).to_dict()


def scores(run: GroupRun) -> dict[str, Any]:
    """Every figure of one group run."""
    by_corpus: dict[str, list[ScoredField]] = defaultdict(list)
    corpus_of = {f.form_id: f.corpus for f in run.forms}
    for sf in run.scored:
        by_corpus[corpus_of[sf.form]].append(sf)
    return {
        "group": run.group,
        "split": run.split,
        "reader": run.reader,
        "forms": len(run.forms),
        "forms_loaded": len(run.forms) - len(run.not_loaded),
        "not_loaded": run.not_loaded,
        "not_annotated": run.not_annotated,
        "fields_annotated": sum(len(f.fields) for f in run.forms),
        "fields_not_annotated": sum(len(v) for v in run.unannotated.values()),
        "match_and_merge_seconds": round(run.seconds, 3),
        "mapping": mapping_scores(run.scored),
        "per_corpus": {c: mapping_scores(rows) for c, rows in sorted(by_corpus.items())},
        "per_pattern": {
            tag: {**figures, "dedup_merged": _tagged_dedup(run, tag)}
            for tag, figures in pattern_scores(run.scored).items()
        },
        "dedup": {
            "merged": dedup_score(run.merged, run.scored).to_dict(),
            "review_accepted": dedup_score(
                accepted_clusters(run.merged, run.scored), run.scored
            ).to_dict(),
            "exact_labels": dedup_score(exact_label_clusters(run.labels), run.scored).to_dict(),
        },
        "valentine_coma": None
        if run.coma is None
        else {
            "mapping": mapping_scores(run.coma),
            "dedup": dedup_score(run.coma_clusters, run.coma).to_dict(),
            "seconds": round(run.coma_seconds, 2),
        },
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _prf(d: dict[str, Any]) -> str:
    precision = f"{d['precision']:.2f}" if d["tp"] + d["fp"] else "–"  # no pair predicted
    return f"{precision} / {d['recall']:.2f} / {d['f1']:.2f}"


def _coma_cell(coma: dict[str, Any] | None) -> str:
    if coma is None:
        return "not run"
    return f"{_pct(coma['mapping']['accuracy'])}, {_prf(coma['dedup'])}"


def render(results: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of the headline figures, then one per pattern tag."""
    lines = [
        "| split | group | forms (loaded) | scored fields | missed | (item, role) right "
        "| wrong-confident | review | dedup P / R / F1, merged | review accepted "
        "| exact labels | Coma: (item, role) right, dedup P / R / F1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        m, d = r["mapping"], r["dedup"]
        lines.append(
            f"| {r['split']} | {r['group']} | {r['forms']} ({r['forms_loaded']}) | {m['fields']} "
            f"| {_pct(m['missed'])} | {_pct(m['accuracy'])} | {_pct(m['wrong_confident'])} "
            f"| {_pct(m['review'])} | {_prf(d['merged'])} | {_prf(d['review_accepted'])} "
            f"| {_prf(d['exact_labels'])} | {_coma_cell(r['valentine_coma'])} |"
        )
    lines += [
        "",
        "| split | group | pattern | fields | (item, role) right | wrong-confident | review "
        "| dedup P / R / F1, merged |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for tag, m in r["per_pattern"].items():
            lines.append(
                f"| {r['split']} | {r['group']} | {tag} | {m['fields']} | {_pct(m['accuracy'])} "
                f"| {_pct(m['wrong_confident'])} | {_pct(m['review'])} "
                f"| {_prf(m['dedup_merged'])} |"
            )
    return "\n".join(lines)


def error_listing(run: GroupRun) -> str:
    """Per form: why it did not load, or its wrong, missed and unannotated fields (dev only)."""
    if run.split != "dev":
        raise ValueError("errors are listed for the dev split only")
    out: list[str] = []
    for annotated in run.forms:
        fid = annotated.form_id
        out.append(f"## {fid}")
        if fid in run.not_loaded:
            out.append(f"  not loaded: {run.not_loaded[fid]}")
            continue
        rows = [sf for sf in run.scored if sf.form == fid]
        kinds = {
            "wrong, matched": [sf for sf in rows if sf.wrong_confident],
            "wrong, review": [
                sf
                for sf in rows
                if sf.prediction and sf.prediction.status == "review" and sf.truth.covered
            ],
            "missed (no field with this key)": [sf for sf in rows if sf.prediction is None],
        }
        for kind, subset in kinds.items():
            for sf in subset[:ERRORS_PER_KIND]:
                p = sf.prediction
                said = f"{p.item}@{p.role} ({p.status})" if p else "-"
                label = f" {sf.truth.label!r}" if sf.truth.label else ""
                out.append(f"  {kind}: {sf.truth.key}{label} is {sf.truth.truth_label}, got {said}")
            if len(subset) > ERRORS_PER_KIND:
                out.append(f"  {kind}: ... {len(subset) - ERRORS_PER_KIND} more")
        extra = run.unannotated.get(fid, [])
        if extra:
            out.append(f"  not annotated: {', '.join(extra[:ERRORS_PER_KIND])}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """Command line: run the benchmark on one split, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "held_out", "all"), default="dev")
    parser.add_argument("--group", choices=(*LANGUAGE_GROUPS, "both"), default="both")
    parser.add_argument("--errors", action="store_true", help="list each dev form's errors")
    parser.add_argument(
        "--reader",
        choices=READERS,
        default="formmerge",
        help="benchmark: build the va forms formmerge cannot read from the leaf listing",
    )
    parser.add_argument(
        "--no-valentine", action="store_true", help="skip the Valentine Coma baseline"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if args.errors and args.split != "dev":
        parser.error("--errors lists the dev split only; held-out errors are not looked at")
    groups = list(LANGUAGE_GROUPS) if args.group == "both" else [args.group]
    splits = ["dev", "held_out"] if args.split == "all" else [args.split]
    catalog = load_catalog()
    coma = not args.no_valentine and valentine_available() is not None
    results = []
    for split in splits:
        for group in groups:
            try:
                run = run_group(group, split, catalog, args.reader, coma)
            except ValueError as exc:  # a malformed annotation, named by file and field
                parser.exit(2, f"annotation error: {exc}\n")
            if not run.forms:
                print(f"{split} {group}: no annotated forms yet")
                continue
            results.append(scores(run))
            if args.errors:
                print(error_listing(run))
    print(render(results))
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.reader == "formmerge" else f"-{args.reader}-reader"
    target = args.out / f"realforms-{args.split}{suffix}.json"
    target.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwritten {target}")


if __name__ == "__main__":
    main()

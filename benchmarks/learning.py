"""The learning loop: does a catalog that learns from other bundles' reviews shrink the queue?

Usage::

    python -m benchmarks.learning                     # example bundles and real forms (dev)
    python -m benchmarks.learning --only examples     # or: --only realforms

An analyst is simulated by the ground truth: for every field in a review queue, the analyst
confirms the true ``item@role`` (or rejects the proposed item when no catalog item is right;
a field that asks two items in one answer is left undecided). Those decisions are learned with
:func:`formmerge.catalog_learning.learn_catalog`, every proposal is applied to a catalog copy,
and the review share (fields in the queue / all fields) is measured on forms the decisions
were **not** about:

- **examples**: each example bundle, with a catalog learned from the other five bundles'
  queues (leave one bundle out; no bundle decisions file is used);
- **realforms**: the dev split of each language group, forms sorted by id and dealt into two
  halves; each half is measured with a catalog learned from the other half (held-out forms are
  never read).

Next to the review share, ``correct`` is the share of fields mapped to the true item@role, to
show that learning does not buy a shorter queue with wrong mappings. Writes
``learning.json`` to ``--out`` (default ``benchmarks/results``).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from benchmarks.realforms import KEY_OF, _read
from benchmarks.realforms_truth import AnnotatedForm, annotated_forms
from formmerge import load_catalog, match
from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.catalog_learning import LearningSource, apply_catalog_patch, learn_catalog
from formmerge.decisions import Decision, Decisions
from formmerge.models import Catalog, FieldMatch, Form

__all__ = ["Case", "main", "measure"]

DEFAULT_OUT = Path("benchmarks/results")
DEFAULT_MIN_COUNTS = (1, 2)
"""Thresholds measured: every proposal applied unread, or only those confirmed twice."""

Truth = dict[tuple[str, str], str | None]
"""(form, path) -> the true ``item@role``; None when no catalog item is right. A field with
no single answer (two items) is absent."""


@dataclass
class Case:
    """One measurement: forms measured with the shipped catalog and with a learned one."""

    suite: str
    measured: str
    learned_from: str
    min_count: int
    """Confirmations a proposal needed to be applied."""
    fields: int
    review_before: int
    review_after: int
    correct_before: float
    correct_after: float
    proposals: int
    decisions: int

    @property
    def share_before(self) -> float:
        return self.review_before / self.fields if self.fields else 0.0

    @property
    def share_after(self) -> float:
        return self.review_after / self.fields if self.fields else 0.0


def _correct(matches: Sequence[FieldMatch], truth: Truth) -> float:
    """The share of fields with a truth whose mapping is the true item@role."""
    judged = [m for m in matches if (m.form, m.path) in truth]
    if not judged:
        return 0.0
    return sum(_is_right(m, truth[(m.form, m.path)]) for m in judged) / len(judged)


def _is_right(m: FieldMatch, true: str | None) -> bool:
    """A matched field is right when its item (and the role, if the truth names one) is true;
    a field without a true item is right when it is not matched."""
    if m.status != "matched" or m.item is None:
        return true is None
    if true is None:
        return False
    item, _, role = true.partition("@")
    return m.item == item and (not role or m.role == role)


def analyst_decisions(
    forms: Sequence[Form], truth: Truth, catalog: Catalog, name: str
) -> Decisions:
    """What an analyst who knows the truth decides for the forms' review queue."""
    labels = {(f.id, x.path): x.label for f in forms for x in f.fields}
    decided = []
    for m in match(list(forms), catalog):
        if m.status != "review" or (m.form, m.path) not in truth:
            continue
        true = truth[(m.form, m.path)]
        base = {"form": m.form, "field": m.path, "label": labels[(m.form, m.path)] or None}
        if true is None:
            if m.item is not None:
                decided.append(Decision(**base, item=m.item, status="rejected"))
            continue
        item, _, role = true.partition("@")
        decided.append(Decision(**base, item=item, role=role or None))
    return Decisions(decided, source=name)


def measure(
    suite: str,
    measured: str,
    forms: Sequence[Form],
    truth: Truth,
    teachers: Sequence[tuple[str, Sequence[Form], Truth]],
    catalog: Catalog,
    work: Path,
    min_counts: Sequence[int] = DEFAULT_MIN_COUNTS,
) -> list[Case]:
    """Review share of ``forms`` before and after learning from the ``teachers``' queues, for
    each threshold of confirmations a proposal needs."""
    sources = [
        LearningSource(analyst_decisions(t_forms, t_truth, catalog, t_name), t_forms)
        for t_name, t_forms, t_truth in teachers
    ]
    before = match(list(forms), catalog)
    cases = []
    for min_count in min_counts:
        patch = learn_catalog(sources, catalog, min_count=min_count)
        name = f"{suite}-{measured}-{min_count}".replace("/", "_").replace(" ", "_")
        learned = apply_catalog_patch(patch, work / name)
        after = match(list(forms), learned)
        cases.append(
            Case(
                suite=suite,
                measured=measured,
                learned_from=", ".join(name for name, _, _ in teachers),
                min_count=min_count,
                fields=len(before),
                review_before=sum(m.status == "review" for m in before),
                review_after=sum(m.status == "review" for m in after),
                correct_before=_correct(before, truth),
                correct_after=_correct(after, truth),
                proposals=len(patch.proposals),
                decisions=sum(len(s.decisions) for s in sources),
            )
        )
    return cases


# ----------------------------------------------------------------------------- example bundles


def _bundle_truth(path: Path) -> Truth:
    data = yaml.safe_load((path / "expected.yaml").read_text(encoding="utf-8")) or {}
    return {
        (form, field): target
        for form, fields in (data.get("mapping") or {}).items()
        for field, target in (fields or {}).items()
    }


def example_cases(
    catalog: Catalog, work: Path, min_counts: Sequence[int] = DEFAULT_MIN_COUNTS
) -> list[Case]:
    """Each example bundle measured with a catalog learned from the other bundles."""
    bundles = [(p.name, load_bundle(p).forms, _bundle_truth(p)) for p in list_example_bundles()]
    cases = []
    for name, forms, truth in bundles:
        teachers = [b for b in bundles if b[0] != name]
        cases += measure("examples", name, forms, truth, teachers, catalog, work, min_counts)
    return cases


# ----------------------------------------------------------------------------- real forms


def _annotated_truth(annotated: AnnotatedForm, form: Form) -> Truth:
    key_of: Callable[..., str] = KEY_OF[annotated.corpus]
    by_key = {f.key: f for f in annotated.fields if f.scored}
    truth: Truth = {}
    for fld in form.fields:
        t = by_key.get(key_of(fld))
        if t is None:
            continue
        items = [i for i in t.items if not i.startswith("x:")]
        if not items:
            truth[(form.id, fld.path)] = None
        elif len(items) == 1 and len(t.items) == 1:
            truth[(form.id, fld.path)] = f"{items[0]}@{t.role or ''}".rstrip("@")
    return truth


def realform_cases(
    catalog: Catalog,
    work: Path,
    groups: Sequence[str] = ("zh", "en"),
    min_counts: Sequence[int] = DEFAULT_MIN_COUNTS,
) -> list[Case]:
    """Each half of each group's dev forms measured with a catalog learned from the other."""
    cases = []
    for group in groups:
        annotated, _ = annotated_forms("dev", group)
        loaded: list[tuple[Form, Truth]] = []
        for a in sorted(annotated, key=lambda x: x.form_id):
            try:
                form = _read(a)
            except Exception:
                continue
            loaded.append((form, _annotated_truth(a, form)))
        halves = [loaded[0::2], loaded[1::2]]
        for n, half in enumerate(halves):
            other = halves[1 - n]
            forms = [f for f, _ in half]
            truth = {k: v for _, t in half for k, v in t.items()}
            teacher_truth = {k: v for _, t in other for k, v in t.items()}
            teachers = [(f"{group} dev half {'BA'[n]}", [f for f, _ in other], teacher_truth)]
            measured = f"{group} dev half {'AB'[n]} ({len(forms)} forms)"
            cases += measure(
                "realforms", measured, forms, truth, teachers, catalog, work, min_counts
            )
    return cases


# ----------------------------------------------------------------------------- output


def render(cases: Sequence[Case]) -> str:
    """A Markdown table of the cases."""
    head = (
        "| suite | measured | min count | fields | review before | review after "
        "| correct before | correct after | decisions learned | proposals |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = [
        f"| {c.suite} | {c.measured} | {c.min_count} | {c.fields} "
        f"| {c.review_before} ({c.share_before:.1%}) "
        f"| {c.review_after} ({c.share_after:.1%}) | {c.correct_before:.1%} "
        f"| {c.correct_after:.1%} | {c.decisions} | {c.proposals} |"
        for c in cases
    ]
    for suite, min_count in sorted({(c.suite, c.min_count) for c in cases}):
        chosen = [c for c in cases if (c.suite, c.min_count) == (suite, min_count)]
        fields = sum(c.fields for c in chosen)
        before = sum(c.review_before for c in chosen)
        after = sum(c.review_after for c in chosen)
        right_before = sum(c.correct_before * c.fields for c in chosen) / fields
        right_after = sum(c.correct_after * c.fields for c in chosen) / fields
        rows.append(
            f"| **{suite}, all** | | {min_count} | {fields} | {before} ({before / fields:.1%}) "
            f"| {after} ({after / fields:.1%}) | {right_before:.1%} | {right_after:.1%} | | |"
        )
    return "\n".join([head, *rows])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("examples", "realforms"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--min-count",
        type=int,
        nargs="+",
        default=list(DEFAULT_MIN_COUNTS),
        help="confirmations a proposal needs to be applied (one run each)",
    )
    args = parser.parse_args(argv)
    catalog = load_catalog()
    cases: list[Case] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "examples"):
            cases += example_cases(catalog, Path(tmp), args.min_count)
        if args.only in (None, "realforms"):
            cases += realform_cases(catalog, Path(tmp), min_counts=args.min_count)
    print(render(cases))
    args.out.mkdir(parents=True, exist_ok=True)
    data = [
        {**asdict(c), "share_before": c.share_before, "share_after": c.share_after} for c in cases
    ]
    out = args.out / "learning.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

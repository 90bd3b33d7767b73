"""Snapshot of the matcher's output, to show that a speed change leaves the results as they were.

Maps a generated form set and the example bundles' forms, and writes one line per field:
form, path, item, role, status, score (rounded to 6 places) and the candidates. Compare two
snapshots with ``diff``::

    python -m benchmarks.match_snapshot --fields 5000 --out before.jsonl
    # ... change the matcher ...
    python -m benchmarks.match_snapshot --fields 5000 --out after.jsonl
    diff before.jsonl after.jsonl && echo identical
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

from benchmarks.catalog_view import CatalogView
from benchmarks.formsets import DEFAULT_SEED, iter_forms
from formmerge.catalog import load_catalog
from formmerge.ingest import load_forms
from formmerge.matching import FieldMatcher
from formmerge.models import FieldMatch, Form

__all__ = ["bundle_forms", "snapshot_lines", "synthetic_forms"]

_BUNDLES = Path(__file__).resolve().parent.parent / "examples" / "bundles"


def synthetic_forms(min_fields: int, seed: int = DEFAULT_SEED) -> tuple[CatalogView, list[Form]]:
    """Generated forms until at least ``min_fields`` fields, with the catalog view they use."""
    view = CatalogView.build(load_catalog())
    forms: list[Form] = []
    count = 0
    for _, form, _truths in iter_forms(10**9, seed=seed, view=view):
        forms.append(form)
        count += len(form.fields)
        if count >= min_fields:
            break
    return view, forms


def bundle_forms() -> list[Form]:
    """Every form file of the example bundles, in path order (side-car ``.meta.yaml`` left out)."""
    paths = sorted(
        p for p in _BUNDLES.glob("*/forms/*") if p.is_file() and not p.name.endswith(".meta.yaml")
    )
    return load_forms(paths)


def snapshot_lines(matches: list[FieldMatch], tag: str) -> Iterator[str]:
    """One JSON line per match: what a speed change must not alter."""
    for m in matches:
        yield json.dumps(
            [
                tag,
                m.form,
                m.path,
                m.item,
                m.role,
                str(m.status),
                round(m.score, 6),
                [(c.item, round(c.score, 6)) for c in m.candidates],
            ],
            ensure_ascii=False,
        )


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: write the snapshot."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fields", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    view, forms = synthetic_forms(args.fields, args.seed)
    lines = list(snapshot_lines(FieldMatcher(view.visible).match(forms), "synthetic"))
    lines += snapshot_lines(FieldMatcher().match(bundle_forms()), "bundles")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} matches written to {args.out}")


if __name__ == "__main__":
    main()

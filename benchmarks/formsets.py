"""Synthetic form sets drawn from the catalog, with the true (item, role) of every field.

A form set is a run of **bundles** (3 to 8 forms of one life or business event that share a
theme: a subject, one or two data domains, the people involved). Each form draws its fields
from the theme, writes every label with the variations of a :class:`VariationMix`, and records
a :class:`FieldTruth` per field. Everything is seeded: form ``i`` of seed ``s`` is the same
whatever the set's size, so a set of 10 forms is the start of the set of 100,000.

The matcher is given :attr:`FormSet.catalog`, the catalog without its held-out aliases (see
:mod:`benchmarks.catalog_view`).

Command line (prints a summary and a sample of forms)::

    python -m benchmarks.formsets --forms 20 --seed 1
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from benchmarks.catalog_view import DEFAULT_HOLDOUT, CatalogView
from benchmarks.decoys import DecoyPool, decoy_pool
from benchmarks.form_writer import FormWriter, Theme
from benchmarks.variants import DEFAULT_MIX, KINDS, VariationMix
from formmerge.catalog import load_catalog
from formmerge.models import Catalog, Form

__all__ = [
    "DEFAULT_SEED",
    "FieldTruth",
    "FormSet",
    "generate",
    "iter_forms",
]

DEFAULT_SEED = 20250516
"""The seed of the published figures."""

BUNDLE_SIZE = (3, 8)
"""Fewest and most forms in one bundle."""


@dataclass(frozen=True, slots=True)
class FieldTruth:
    """What one generated field really asks for, and how its label was written."""

    form: str
    path: str
    item: str | None
    """The catalog item, or None for a decoy."""
    role: str | None
    cluster: str
    """What the field must be merged with: ``item@role``, or ``gap:<concept>`` for a decoy."""
    kinds: frozenset[str]
    """The variation kinds the field carries (see :data:`benchmarks.variants.KINDS`)."""
    source: str
    """``canonical``, ``seen_alias``, ``held_out_alias``, ``abbreviation`` or ``decoy``."""
    seen: bool
    """True if the label (or key) without role words is literally a name the matcher's catalog
    has for the item, with no spelling change."""
    language: str

    @property
    def pair(self) -> tuple[str, str] | None:
        """``(item, role)``, or None for a decoy."""
        return None if self.item is None or self.role is None else (self.item, self.role)


@dataclass(frozen=True)
class FormSet:
    """Generated forms, the truth of each field, and the bundles they form."""

    forms: tuple[Form, ...]
    truths: tuple[FieldTruth, ...]
    """One per field, in form and field order (the order :func:`formmerge.match` returns)."""
    bundles: tuple[tuple[int, ...], ...]
    """Indices into :attr:`forms`, one tuple per bundle."""
    view: CatalogView
    seed: int
    mix: VariationMix
    _by_ref: dict[tuple[str, str], FieldTruth] = field(default_factory=dict, repr=False)

    @property
    def catalog(self) -> Catalog:
        """The catalog to give the matcher (held-out aliases removed)."""
        return self.view.visible

    @property
    def n_fields(self) -> int:
        """Number of fields over all forms."""
        return len(self.truths)

    def truth(self, form: str, path: str) -> FieldTruth:
        """The truth of one field."""
        if not self._by_ref:
            self._by_ref.update({(t.form, t.path): t for t in self.truths})
        return self._by_ref[(form, path)]

    def bundle_forms(self, bundle: int) -> list[Form]:
        """The forms of one bundle."""
        return [self.forms[i] for i in self.bundles[bundle]]

    def summary(self) -> dict[str, object]:
        """Counts of forms, fields, decoys, languages and kinds."""
        kinds = Counter(k for t in self.truths for k in t.kinds)
        return {
            "forms": len(self.forms),
            "fields": self.n_fields,
            "bundles": len(self.bundles),
            "decoys": sum(t.item is None for t in self.truths),
            "seen_labels": sum(t.seen for t in self.truths),
            "sources": dict(Counter(t.source for t in self.truths)),
            "kinds": {k: kinds.get(k, 0) for k in KINDS},
        }


def _bundles(seed: int, writer: FormWriter) -> Iterator[tuple[int, Theme, int]]:
    b = 0
    while True:
        rng = random.Random(f"{seed}/bundle/{b}")
        yield b, writer.theme(rng), rng.randint(*BUNDLE_SIZE)
        b += 1


def iter_forms(
    n_forms: int,
    *,
    seed: int = DEFAULT_SEED,
    mix: VariationMix = DEFAULT_MIX,
    view: CatalogView,
    decoys: DecoyPool | None = None,
) -> Iterator[tuple[int, Form, list[FieldTruth]]]:
    """Yield ``(bundle, form, truths)`` for the first ``n_forms`` forms, one at a time."""
    writer = FormWriter(view, mix, decoys or decoy_pool(view.full))
    index = 0
    for b, theme, size in _bundles(seed, writer):
        for _ in range(size):
            if index >= n_forms:
                return
            rng = random.Random(f"{seed}/form/{index}")
            form, specs = writer.form(f"F{index:06d}", theme, rng)
            truths = [
                FieldTruth(
                    form=form.id,
                    path=f.path,
                    item=s.item,
                    role=s.role,
                    cluster=s.cluster,
                    kinds=s.kinds,
                    source=s.source,
                    seen=s.seen,
                    language=s.language,
                )
                for f, s in zip(form.fields, specs, strict=True)
            ]
            yield b, form, truths
            index += 1


def generate(
    n_forms: int,
    *,
    seed: int = DEFAULT_SEED,
    mix: VariationMix = DEFAULT_MIX,
    catalog: Catalog | None = None,
    holdout: float = DEFAULT_HOLDOUT,
    view: CatalogView | None = None,
) -> FormSet:
    """Generate ``n_forms`` forms.

    Args:
        n_forms: how many forms (10 to 100,000 in the suite).
        seed: the seed; the same seed gives the same forms.
        mix: how often each kind of variation occurs.
        catalog: the full catalog (default: the shipped one).
        holdout: share of aliases held out of the matcher's catalog.
        view: a prepared :class:`CatalogView` (overrides ``catalog`` and ``holdout``).
    """
    view = view or CatalogView.build(catalog or load_catalog(), holdout)
    forms: list[Form] = []
    truths: list[FieldTruth] = []
    bundles: dict[int, list[int]] = {}
    for b, form, form_truths in iter_forms(n_forms, seed=seed, mix=mix, view=view):
        bundles.setdefault(b, []).append(len(forms))
        forms.append(form)
        truths.extend(form_truths)
    return FormSet(
        forms=tuple(forms),
        truths=tuple(truths),
        bundles=tuple(tuple(v) for _, v in sorted(bundles.items())),
        view=view,
        seed=seed,
        mix=mix,
    )


def main(argv: list[str] | None = None) -> None:
    """Print a summary of a generated set and its first forms."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", type=int, default=20)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--show", type=int, default=3, help="forms to print in full")
    args = parser.parse_args(argv)
    fs = generate(args.forms, seed=args.seed)
    print(fs.summary())
    for form in fs.forms[: args.show]:
        print(f"\n== {form.id} ({form.subject}, {form.language})")
        for f in form.fields:
            t = fs.truth(form.id, f.path)
            groups = "/".join(g.label or g.key for g in f.group)
            truth = f"{t.item}@{t.role}" if t.item else t.cluster
            print(f"  {f.path:<16} {groups:<14} {f.label!r:<28} -> {truth} {sorted(t.kinds)}")


if __name__ == "__main__":
    main()

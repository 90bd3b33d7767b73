"""The benchmark suite: its metrics, its form generator, and a small end-to-end run."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.catalog_view import CatalogView, held_out
from benchmarks.formsets import FieldTruth, generate
from benchmarks.metrics import (
    Prf,
    calibration,
    cross_form_pairs,
    mapping_report,
    pairwise,
    prf,
)
from benchmarks.peers import ExactLabelMatcher, catalog_frame, clear_caches, form_frame, item_names
from benchmarks.report import README_END, README_START, render_markdown, update_readme
from benchmarks.run_suite import run_suite
from benchmarks.variants import (
    KINDS,
    NO_VARIATION,
    TEXT_KINDS,
    abbreviate,
    english_key,
    looks_like_pinyin,
    pinyin_key,
    to_fullwidth,
    typo,
)
from formmerge.catalog import alias_key, load_catalog
from formmerge.models import Candidate, FieldMatch


def _truth(form: str, path: str, item: str | None, role: str | None, *kinds: str) -> FieldTruth:
    return FieldTruth(
        form=form,
        path=path,
        item=item,
        role=role,
        cluster=f"{item}@{role}" if item else f"gap:{path}",
        kinds=frozenset(kinds),
        source="canonical" if item else "decoy",
        seen=item is not None,
        language="zh",
    )


def _match(
    t: FieldTruth, item: str | None, role: str | None, status: str = "matched", score: float = 0.95
) -> FieldMatch:
    return FieldMatch(
        form=t.form,
        path=t.path,
        label=t.path,
        item=item,
        role=role,
        score=score,
        status=status,  # type: ignore[arg-type]
        candidates=(Candidate(item=item, score=score),) if item else (),
    )


TRUTHS = [
    _truth("A", "f1", "name", "applicant"),
    _truth("A", "f2", "citizen_id", "spouse", "role"),
    _truth("A", "f3", "mobile", "applicant", "typo"),
    _truth("B", "f1", "birth_date", "applicant", "alias"),
    _truth("B", "f2", None, None, "decoy"),
]


# --------------------------------------------------------------------------- metrics


def test_perfect_prediction_scores_one() -> None:
    matches = [
        _match(t, t.item, t.role) if t.item else _match(t, None, None, "unmatched", 0.2)
        for t in TRUTHS
    ]
    report = mapping_report(TRUTHS, matches)
    assert report["overall"]["f1"] == 1.0
    assert report["overall"]["precision"] == 1.0
    assert report["overall"]["recall"] == 1.0
    assert report["per_kind"]["decoy"]["decoys_kept_unmatched"] == 1.0
    assert report["per_kind"]["clean"]["fields"] == 1


def test_known_bad_prediction_gives_expected_figures() -> None:
    # right, wrong role, unmatched, right, decoy matched: tp 2, fp 2, fn 2
    matches = [
        _match(TRUTHS[0], "name", "applicant"),
        _match(TRUTHS[1], "citizen_id", "applicant"),
        _match(TRUTHS[2], None, None, "unmatched", 0.3),
        _match(TRUTHS[3], "birth_date", "applicant", "review", 0.7),
        _match(TRUTHS[4], "remarks", "applicant", "review", 0.65),
    ]
    report = mapping_report(TRUTHS, matches)
    assert report["overall"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "tp": 2,
        "fp": 2,
        "fn": 2,
    }
    # matched status only: tp 1 (name), fp 1 (citizen_id role), fn 3
    assert report["auto_only"]["tp"] == 1
    assert report["auto_only"]["fp"] == 1
    assert report["auto_only"]["fn"] == 3
    assert report["item_only"]["tp"] == 3  # the wrong role still names the right item
    assert report["review_share"] == 0.4
    assert report["per_kind"]["decoy"]["decoys_kept_unmatched"] == 0.0
    assert report["per_kind"]["role"]["f1"] == 0.0


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], Prf(0, 0, 0)),
        ([("a", "a"), ("b", "b")], Prf(2, 0, 0)),
        ([("a", "b")], Prf(0, 1, 1)),
        ([("a", None)], Prf(0, 0, 1)),
        ([(None, "a")], Prf(0, 1, 0)),
        ([(None, None)], Prf(0, 0, 0)),
    ],
)
def test_prf_counts(pairs: list[tuple[str | None, str | None]], expected: Prf) -> None:
    assert prf(pairs) == expected


def test_prf_ratios() -> None:
    assert Prf(3, 1, 2).precision == 0.75
    assert Prf(3, 1, 2).recall == 0.6
    assert Prf(3, 1, 2).f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Prf(0, 0, 0).f1 == 1.0
    assert Prf(0, 2, 2).f1 == 0.0


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        ([], 0),
        (["a"], 0),
        (["a", "a"], 0),
        (["a", "b"], 1),
        (["a", "a", "b"], 2),
        (["a", "b", "c"], 3),
    ],
)
def test_cross_form_pairs(forms: list[str], expected: int) -> None:
    assert cross_form_pairs(forms) == expected


def test_pairwise_merge_scores() -> None:
    truth = {
        ("A", "x"): "name",
        ("B", "x"): "name",
        ("C", "x"): "name",
        ("A", "y"): "gap:remarks",
        ("B", "y"): "gap:remarks",
    }
    perfect = [[("A", "x"), ("B", "x"), ("C", "x")], [("A", "y"), ("B", "y")]]
    assert pairwise(perfect, truth) == Prf(4, 0, 0)
    singletons = [[r] for r in truth]
    assert pairwise(singletons, truth) == Prf(0, 0, 4)
    lumped = [list(truth)]
    # 5 refs over 3 forms: A2 B2 C1 -> 10 - 2 = 8 cross-form pairs, 4 of them right
    assert pairwise(lumped, truth) == Prf(4, 4, 0)


def test_calibration_bins_cover_every_field() -> None:
    matches = [
        _match(t, t.item, t.role, score=s)
        for t, s in zip(TRUTHS, (0.99, 0.9, 0.7, 0.55, 0.1), strict=True)
    ]
    cal = calibration(list(zip(TRUTHS, matches, strict=True)))
    assert sum(b["count"] for b in cal["bins"]) == len(TRUTHS)
    assert cal["by_status"]["matched"]["precision"] == 1.0
    assert cal["sweep"][0]["threshold"] == 0.5


# --------------------------------------------------------------------------- text edits


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30))
def test_fullwidth_folds_back_under_nfkc(text: str) -> None:
    assert unicodedata.normalize("NFKC", to_fullwidth(text)) == text


@given(st.integers(min_value=0, max_value=10_000))
def test_typo_changes_a_chinese_label(seed: int) -> None:
    label = "公民身份号码"
    assert typo(label, random.Random(seed)) != label


@pytest.mark.parametrize(
    ("text", "expected"),
    [("身份证号码", "sfzhm"), ("出生日期", "csrq"), ("QQ号码", "qqhm")],
)
def test_pinyin_key(text: str, expected: str) -> None:
    assert pinyin_key(text) == expected


@pytest.mark.parametrize(
    ("token", "pinyin"),
    [
        ("sfzhm", True),
        ("xm", True),
        ("tyshxydm", True),
        ("gender", False),
        ("fname", False),
        ("Full", False),
    ],
)
def test_looks_like_pinyin(token: str, pinyin: bool) -> None:
    assert looks_like_pinyin(token) is pinyin


@pytest.mark.parametrize(
    ("label", "camel", "expected"),
    [("Spouse's Date of Birth", False, "spouse_date_of_birth"), ("ID No.", True, "idNo")],
)
def test_english_key(label: str, camel: bool, expected: str) -> None:
    assert english_key(label, camel) == expected


def test_abbreviations() -> None:
    rng = random.Random(0)
    assert abbreviate("医疗保险编号", rng) in {"医保编号", "医疗保险号"}
    assert abbreviate("Date of Birth", rng) == "DOB"
    assert abbreviate("姓名", rng) is None


# --------------------------------------------------------------------------- generator


@pytest.fixture(scope="module")
def view() -> CatalogView:
    return CatalogView.build(load_catalog())


def test_generation_is_deterministic_and_prefix_stable(view: CatalogView) -> None:
    a = generate(12, seed=5, view=view)
    b = generate(5, seed=5, view=view)
    assert a.forms[:5] == b.forms
    assert a.truths[: b.n_fields] == b.truths
    assert generate(12, seed=6, view=view).forms != a.forms


def test_every_field_has_a_consistent_truth(view: CatalogView) -> None:
    fs = generate(60, seed=1, view=view)
    assert fs.n_fields == sum(len(f.fields) for f in fs.forms)
    catalog_names = {
        alias_key(n) for it in view.full.items for n in (it.label_zh, it.label_en, *it.aliases)
    }
    for form in fs.forms:
        pairs = [fs.truth(form.id, f.path).pair for f in form.fields]
        assert len([p for p in pairs if p]) == len({p for p in pairs if p}), form.id
        for f in form.fields:
            t = fs.truth(form.id, f.path)
            if t.item is None:
                assert t.cluster.startswith("gap:")
                assert alias_key(f.label) not in catalog_names
            else:
                assert t.role in view.full.item(t.item).roles
                assert t.cluster == f"{t.item}@{t.role}"
            assert set(t.kinds) <= set(KINDS)
    assert sum(len(b) for b in fs.bundles) == len(fs.forms)


def test_held_out_aliases_are_missing_from_the_matchers_catalog(view: CatalogView) -> None:
    held = [(it.id, a) for it in view.full.items for a in it.aliases if held_out(it.id, a)]
    assert 0.2 < len(held) / sum(len(it.aliases) for it in view.full.items) < 0.4
    for item_id, alias in held:
        assert alias not in view.visible.item(item_id).aliases


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "shuffle"])
def test_a_kind_alone_is_the_only_kind(view: CatalogView, kind: str) -> None:
    fs = generate(20, seed=3, mix=NO_VARIATION.only(kind), view=view)
    carried = {k for t in fs.truths for k in t.kinds}
    assert kind in carried
    assert carried <= {kind}
    if kind in TEXT_KINDS:
        assert not any(t.seen for t in fs.truths if kind in t.kinds)


def test_clean_forms_are_canonical_and_exactly_matched(view: CatalogView) -> None:
    fs = generate(10, seed=2, mix=NO_VARIATION, view=view)
    assert all(not t.kinds and t.source == "canonical" for t in fs.truths)
    exact = ExactLabelMatcher(fs.catalog).run(fs.forms).score(fs.truths)
    assert exact["mapping"]["f1"] > 0.95


# --------------------------------------------------------------------------- end to end


@pytest.mark.slow
def test_small_suite_runs_end_to_end(tmp_path: Path) -> None:
    result = run_suite("small", 11, tmp_path)
    written = json.loads((tmp_path / "suite.json").read_text())
    assert written["accuracy"]["overall"] == result["accuracy"]["overall"]
    assert 0.5 < result["accuracy"]["overall"]["f1"] <= 1.0
    assert set(result["isolated"]) == {"clean", *KINDS}
    # the first size always runs; later ones may be skipped when the time budget would overrun
    # (a loaded machine), and then say so
    assert "fields_per_second" in result["scaling"][0]
    assert all("fields_per_second" in r or "skipped" in r for r in result["scaling"])
    assert result["quick"]["fields"] >= 1_000
    assert result["merge"]["bundles"] >= 1
    assert result["peers"]["peers"][0]["name"] == "exact label"
    markdown = (tmp_path / "suite.md").read_text()
    assert markdown.startswith("### Targets")
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nIntro.\n\n## Other\n\nKept.\n")
    update_readme(readme, result)
    update_readme(readme, result)
    text = readme.read_text()
    assert text.count(README_START) == 1 and text.count(README_END) == 1
    assert text.index(README_START) < text.index("## Other")
    assert text.endswith("## Other\n\nKept.\n")
    assert render_markdown(result) in text


def test_the_peer_gets_every_alias_and_the_distinct_labels() -> None:
    fs = generate(6, seed=7)
    table, ids = catalog_frame(fs.view, 7, values=False)
    assert len(set(ids)) == len(fs.view.visible.items)
    first_owner: dict[str, str] = {}
    for item in fs.view.visible.items:
        for name in item_names(item):  # every name leads to the first item that has it
            first_owner.setdefault(name, item.id)
        assert set(item.aliases) <= set(item_names(item))
    assert dict(zip(table.columns, ids, strict=True)) == first_owner
    form = max(fs.forms, key=lambda f: len(f.fields) - len({x.label or x.key for x in f.fields}))
    truths = [t for t in fs.truths if t.form == form.id]
    frame, paths = form_frame(form, truths, fs.view, 7, values=False)
    assert list(frame.columns) == list(dict.fromkeys(f.label or f.key for f in form.fields))
    assert sorted(p for ps in paths for p in ps) == sorted(f.path for f in form.fields)


def test_clear_caches_empties_formmerge_function_caches() -> None:
    from formmerge import normalize

    normalize.normalize_label("（必填）姓名")
    assert normalize._split.cache_info().currsize > 0
    clear_caches()
    assert normalize._split.cache_info().currsize == 0

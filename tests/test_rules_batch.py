"""Batch verification at scale gives the outcomes of one-by-one evaluation."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from formmerge.bundle import list_example_bundles
from formmerge.rules import BoundRuleSet, load_rules, verify, verify_batch
from formmerge.rules.synthetic import ID_COLUMN, synthetic_subjects

AS_OF = date(2026, 6, 1)
BUNDLES = [p.name for p in list_example_bundles()]


def _bound(bundle: str) -> BoundRuleSet:
    path = next(p for p in list_example_bundles() if p.name == bundle)
    return load_rules(path).bind(as_of=AS_OF)


def _compare(frame: pd.DataFrame, rules: BoundRuleSet, rows: np.ndarray) -> None:
    batch = verify_batch(frame, rules, id_column=ID_COLUMN).set_index(ID_COLUMN)
    picked = frame.iloc[rows]
    expected = batch.loc[picked[ID_COLUMN]].astype(str).to_dict("records")
    for values, statuses in zip(
        picked.drop(columns=ID_COLUMN).to_dict("records"), expected, strict=True
    ):
        got = {o.rule_id: o.status for o in verify(values, rules)}
        assert got == statuses, values


def _mix(frame: pd.DataFrame, rules: BoundRuleSet) -> dict[str, set[str]]:
    batch = verify_batch(frame, rules)
    return {b.rule.id: set(batch[b.rule.id].astype(str)) for b in rules.rules}


@pytest.mark.parametrize("as_text", [False, True], ids=["typed", "text"])
@pytest.mark.parametrize("bundle", BUNDLES)
def test_five_thousand_subjects_all_compared(bundle: str, as_text: bool) -> None:
    rules = _bound(bundle)
    frame = synthetic_subjects(rules, 5_000, seed=7, as_text=as_text)
    _compare(frame, rules, np.arange(len(frame)))


@pytest.mark.parametrize("bundle", BUNDLES)
def test_hundred_thousand_subjects_on_a_sample(bundle: str) -> None:
    rules = _bound(bundle)
    frame = synthetic_subjects(rules, 100_000, seed=11, as_text=bundle == "retirement")
    mix = _mix(frame, rules)
    assert all({"pass", "fail"} <= statuses for statuses in mix.values()), mix
    sample = np.random.default_rng(3).choice(len(frame), size=300, replace=False)
    _compare(frame, rules, sample)


@pytest.mark.slow
@pytest.mark.parametrize("bundle", BUNDLES)
def test_a_million_subjects_on_a_sample(bundle: str) -> None:
    rules = _bound(bundle)
    frame = synthetic_subjects(rules, 1_000_000, seed=13, as_text=True)
    sample = np.random.default_rng(5).choice(len(frame), size=500, replace=False)
    _compare(frame, rules, sample)


def test_synthetic_subjects_are_reproducible() -> None:
    rules = _bound("school-enrolment")
    first = synthetic_subjects(rules, 1000, seed=1)
    pd.testing.assert_frame_equal(first, synthetic_subjects(rules, 1000, seed=1))
    assert list(first.columns) == [ID_COLUMN, *sorted(rules.ruleset.fields)]
    missing = first.drop(columns=ID_COLUMN).isna().mean()
    assert ((missing > 0.02) & (missing < 0.09)).all(), missing

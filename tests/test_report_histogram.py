"""Histogram bins and SVG of typed fields per subject."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from formmerge.report.histogram import MAX_BINS, Bin, bins_of, histogram


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=300))
def test_bins_cover_every_value_once(values: list[int]) -> None:
    bins = bins_of(values)
    assert sum(b.count for b in bins) == len(values)
    assert len(bins) <= MAX_BINS
    assert bins[0].low == min(values) and bins[-1].high == max(values)
    for left, right in itertools.pairwise(bins):
        assert right.low == left.high + 1
    for b in bins:
        assert b.count == sum(b.low <= v <= b.high for v in values)


def test_bin_labels_and_svg() -> None:
    assert Bin(3, 3, 1).label == "3" and Bin(20, 24, 2).label == "20\u201324"
    svg = histogram("t", bins_of([1, 2, 2, 5]), {"median 2": 2.0, "static 1": 1.0})
    assert svg.count('class="bar"') == 5  # 1..5, empty bins too
    assert svg.count('class="marker"') == 2 and "median 2" in svg
    assert bins_of([]) == []


def test_bins_reach_an_estimate_outside_the_values() -> None:
    bins = bins_of([23, 23, 30], extent=[20])
    assert bins[0] == Bin(20, 20, 0) and bins[-1].high == 30
    assert sum(b.count for b in bins) == 3

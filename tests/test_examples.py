"""The example bundles: the matcher reproduces each hand-written expected mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from formmerge.bundle import list_example_bundles, load_bundle, load_expected
from formmerge.catalog import load_catalog
from formmerge.merging import merge_bundle
from formmerge.models import MergedForm

BUNDLES = list_example_bundles()


def _merged(path: Path) -> MergedForm:
    """The bundle merged with the analysts' decisions it ships, if any."""
    return merge_bundle(load_bundle(path), load_catalog())


def _mismatches(path: Path) -> list[str]:
    expected = load_expected(path)
    merged = _merged(path)
    out = []
    for m in merged.matches:
        want = expected.mapping[m.form][m.path]
        got = f"{m.item}@{m.role}" if m.status == "matched" else None
        if got != want:
            out.append(f"{m.form}:{m.path} {m.label!r}: expected {want}, got {got} ({m.status})")
    return out


@pytest.mark.parametrize("path", BUNDLES, ids=[p.name for p in BUNDLES])
def test_mapping_equals_the_expected_mapping(path: Path) -> None:
    mismatches = _mismatches(path)
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("path", BUNDLES, ids=[p.name for p in BUNDLES])
def test_merged_field_count_equals_the_expected_count(path: Path) -> None:
    merged = _merged(path)
    assert len(merged.fields) == load_expected(path).merged_fields


def test_there_are_at_least_five_bundles() -> None:
    assert len(BUNDLES) >= 5

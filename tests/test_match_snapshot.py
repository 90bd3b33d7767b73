"""The matcher snapshot: one line per field, the same for the same input."""

from __future__ import annotations

import json

from benchmarks.match_snapshot import bundle_forms, snapshot_lines, synthetic_forms
from benchmarks.peers import clear_caches
from formmerge.matching import FieldMatcher


def test_snapshot_has_one_line_per_field_and_repeats_exactly() -> None:
    view, forms = synthetic_forms(300)
    first = list(snapshot_lines(FieldMatcher(view.visible).match(forms), "synthetic"))
    clear_caches()
    again = list(snapshot_lines(FieldMatcher(view.visible).match(forms), "synthetic"))
    assert first == again
    assert len(first) == sum(len(f.fields) for f in forms)
    row = json.loads(first[0])
    assert row[:3] == ["synthetic", forms[0].id, forms[0].fields[0].path]


def test_bundle_forms_leave_out_side_car_metadata() -> None:
    forms = bundle_forms()
    assert forms
    assert len({f.id for f in forms}) == len(forms)

"""The public API: what ``import formmerge`` offers."""

from __future__ import annotations

import formmerge


def test_all_is_sorted_and_importable() -> None:
    assert formmerge.__all__ == sorted(formmerge.__all__)
    for name in formmerge.__all__:
        assert getattr(formmerge, name) is not None


def test_the_verbs_of_the_data_flow_are_exported() -> None:
    verbs = (
        "load_catalog",
        "load_form",
        "load_bundle",
        "match",
        "merge",
        "prefill_batch",
        "verify",
    )
    for verb in (*verbs, "split", "bundle_report", "portfolio_report"):
        assert callable(getattr(formmerge, verb))


def test_subpackages_are_not_shadowed_by_exports() -> None:
    import formmerge.prefill as prefill_package

    assert hasattr(prefill_package, "prefill")

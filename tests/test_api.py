"""The public API: what ``import formmerge`` offers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

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


HEAVY_LIBRARIES = ("pandas", "openpyxl", "jinja2", "docx", "pyarrow")


def _imported_after(code: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    listing = "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    script = f"{code}\nimport sys\n{listing}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    return set(done.stdout.split())


def test_import_formmerge_loads_no_heavy_library() -> None:
    loaded = _imported_after("import formmerge")
    assert loaded.isdisjoint(HEAVY_LIBRARIES), loaded & set(HEAVY_LIBRARIES)
    assert "formmerge" in loaded


def test_the_matching_verbs_load_no_dataframe_spreadsheet_or_template_library() -> None:
    code = "from formmerge import load_catalog, load_form, match, merge, split\nload_catalog()"
    loaded = _imported_after(code)
    assert loaded.isdisjoint(HEAVY_LIBRARIES), loaded & set(HEAVY_LIBRARIES)
    assert "rapidfuzz" in loaded  # the matcher did load


def test_an_export_is_imported_on_first_use_and_then_kept() -> None:
    loaded = _imported_after(
        "import formmerge\nassert 'portfolio_report' not in vars(formmerge)\n"
        "formmerge.portfolio_report\nassert 'portfolio_report' in vars(formmerge)"
    )
    assert "pandas" in loaded  # the report stack came with the report verb


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'no_such_verb'"):
        formmerge.no_such_verb  # noqa: B018
    assert set(formmerge.__all__) <= set(dir(formmerge))

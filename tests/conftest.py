"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from formmerge.catalog import load_catalog
from formmerge.demodata import generate
from formmerge.models import Field, FieldRef, FieldType, Form, MergedField, MergedForm

DEMO_TEST_PERSONS = 2_000
"""Size of the demo registers the tests share: big enough for every kind of demo subject."""


@pytest.fixture(scope="session")
def demo_registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo registers file of DEMO_TEST_PERSONS people, built once per test session."""
    path = tmp_path_factory.mktemp("demo") / "registers.duckdb"
    generate(path, DEMO_TEST_PERSONS, seed=7, progress=False)
    return path


def _field_type(item: str) -> FieldType:
    kind = load_catalog().item(item).type
    return "string" if kind in ("enum", "file") else kind


@pytest.fixture(scope="session")
def merged_form() -> Callable[..., MergedForm]:
    """Build a merged form asking for given (item, role) pairs, as the merge step would."""

    def build(
        pairs: Iterable[tuple[str, str]], subject: str = "person", extra: Iterable[str] = ()
    ) -> MergedForm:
        pairs = list(pairs)
        keys = [f"{item}_{role}" for item, role in pairs] + list(extra)
        # the item's type, so that prefilled values fit the form as they would a real one
        # (enums stay text: the fixture has no options to give them)
        kinds = {f"{item}_{role}": _field_type(item) for item, role in pairs}
        fields = tuple(Field(key=k, label=k, type=kinds.get(k, "string")) for k in keys)
        form = Form(id="form", subject=subject, fields=fields)
        fields = [
            MergedField(
                id=f"{item}@{role}",
                item=item,
                role=role,
                label=f"{item} {role}",
                type=kinds[f"{item}_{role}"],
                sources=(FieldRef(form="form", path=f"{item}_{role}"),),
            )
            for item, role in pairs
        ]
        fields += [
            MergedField(
                id=f"form:{k}",
                item=None,
                role=None,
                label=k,
                sources=(FieldRef(form="form", path=k),),
            )
            for k in extra
        ]
        return MergedForm(id="merged", forms=(form,), fields=tuple(fields), matches=())

    return build


@pytest.fixture(scope="session")
def chromium() -> str:
    """The headless Chromium the browser tests drive (Debian's package; .ci/run installs it)."""
    from formmerge.errors import FormmergeError
    from formmerge.report import find_chromium

    try:
        return find_chromium()
    except FormmergeError as exc:
        pytest.fail(f"headless Chromium is required for this test: {exc}")

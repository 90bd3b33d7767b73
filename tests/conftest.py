"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from formmerge.demodata import generate

DEMO_TEST_PERSONS = 2_000
"""Size of the demo registers the tests share: big enough for every kind of demo subject."""


@pytest.fixture(scope="session")
def demo_registers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo registers file of DEMO_TEST_PERSONS people, built once per test session."""
    path = tmp_path_factory.mktemp("demo") / "registers.duckdb"
    generate(path, DEMO_TEST_PERSONS, seed=7, progress=False)
    return path

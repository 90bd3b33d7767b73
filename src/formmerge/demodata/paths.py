"""Where the demo registers live, and building them on first use.

The file is a cache: it is rebuilt when missing or when it was made with another size, seed or
generator version. ``FORMMERGE_DEMO_DB`` names the file; otherwise it is ``demo.duckdb`` in the
user's cache directory (``$XDG_CACHE_HOME/formmerge``, ``~/.cache/formmerge``, or
``%LOCALAPPDATA%\\formmerge`` on Windows).
"""

from __future__ import annotations

import os
import sys
from contextlib import closing
from pathlib import Path

import duckdb

from formmerge.demodata.generate import (
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    GENERATOR_VERSION,
    INFO_TABLE,
    generate,
)
from formmerge.errors import FormmergeError, Location, Problem

__all__ = ["DEMO_DB_ENV", "default_demo_path", "demo_info", "ensure_demo_data"]

DEMO_DB_ENV = "FORMMERGE_DEMO_DB"
"""Environment variable naming the demo registers file."""
DEMO_FILE_NAME = "demo.duckdb"


def _cache_dir() -> Path:
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "formmerge"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "formmerge"


def default_demo_path() -> Path:
    """The demo registers file: ``$FORMMERGE_DEMO_DB``, or ``demo.duckdb`` in the cache dir."""
    configured = os.environ.get(DEMO_DB_ENV)
    return Path(configured).expanduser() if configured else _cache_dir() / DEMO_FILE_NAME


def demo_info(path: Path | str) -> dict[str, str]:
    """The generation parameters recorded in a demo file (empty if it is not one)."""
    try:
        with closing(duckdb.connect(str(path), read_only=True)) as con:
            rows = con.execute(f'SELECT key, value FROM "{INFO_TABLE}"').fetchall()
    except duckdb.Error:
        return {}
    return {str(key): str(value) for key, value in rows}


def ensure_demo_data(
    path: Path | str | None = None,
    persons: int = DEFAULT_PERSONS,
    seed: int = DEFAULT_SEED,
    progress: bool = True,
) -> Path:
    """Return the demo registers file, generating it first if it is missing or out of date.

    Args:
        path: the file; :func:`default_demo_path` if omitted.
        persons: the size wanted; a file made with another size is rebuilt.
        seed: the seed wanted; a file made with another seed is rebuilt.
        progress: show a progress bar while generating.

    Raises:
        FormmergeError: the file exists but is not demo data (it is never overwritten).
    """
    target = Path(path) if path is not None else default_demo_path()
    wanted = {
        "persons": str(persons),
        "seed": str(seed),
        "generator_version": str(GENERATOR_VERSION),
    }
    info = demo_info(target) if target.exists() else {}
    if target.exists() and not info:
        problem = Problem(
            "not-demo-data",
            "the file exists but was not made by formmerge's demo generator; it is left alone",
            Location(file=str(target)),
        )
        raise FormmergeError("refusing to overwrite a file with demo data", [problem])
    if any(info.get(key) != value for key, value in wanted.items()):
        generate(target, persons, seed, progress)
    return target

"""Locate the data directories that ship with formmerge (the field catalog, the examples).

A wheel carries them inside the package (``formmerge/field_catalog``), because the build
force-includes them; an editable install reads them from the repository root.
"""

from __future__ import annotations

from pathlib import Path

from formmerge.errors import FormmergeError, Location, Problem

__all__ = ["DATA_DIRECTORIES", "data_path"]

DATA_DIRECTORIES: tuple[str, ...] = ("field_catalog", "examples")
"""The packaged data directories :func:`data_path` knows about."""

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPOSITORY_ROOT = _PACKAGE_DIR.parents[1]


def data_path(name: str) -> Path:
    """The directory of packaged data called ``name``.

    Looks first inside the installed package, then at the repository root (editable install).

    Args:
        name: one of :data:`DATA_DIRECTORIES`, e.g. ``"field_catalog"``.

    Returns:
        The existing directory.

    Raises:
        FormmergeError: ``name`` is not a known data directory, or it is in neither place
            (a broken installation).
    """
    if name not in DATA_DIRECTORIES:
        known = ", ".join(DATA_DIRECTORIES)
        raise FormmergeError(f"unknown data directory {name!r}; known: {known}")
    candidates = (_PACKAGE_DIR / name, _REPOSITORY_ROOT / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    problems = [Problem("file-not-found", "not found", Location(file=str(c))) for c in candidates]
    raise FormmergeError(
        f"formmerge's {name!r} data directory is missing; reinstall formmerge", problems
    )

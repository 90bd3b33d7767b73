"""The registry of problem codes: every code a :class:`~formmerge.errors.Problem` can carry.

One failure has one code wherever it happens: a YAML syntax error is ``syntax-error`` in a form,
the catalog, a source configuration, decisions, a bundle or rules alike. Each code has a title,
a description of what it means and an example of the message it comes with (the examples are
what ``docs/errors.md`` shows). Codes are kebab-case and stable: tests and callers compare
codes, never message text.

:func:`problem` builds a record and refuses a code that is not registered here, so a new code
is documented before it can be used.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from formmerge.errors import Location, Problem
from formmerge.problem_codes import _bundles, _catalog, _forms, _reading, _service, _sources
from formmerge.problem_codes._model import ProblemCode

__all__ = ["PROBLEM_CODES", "ProblemCode", "problem"]

_PARTS = (_reading, _forms, _catalog, _bundles, _sources, _service)
"""The registry's parts, by area, in documentation order."""

PROBLEM_CODES: Mapping[str, ProblemCode] = MappingProxyType(
    {entry.code: entry for part in _PARTS for entry in part.CODES}
)
"""Every problem code, by code, in documentation order."""


def problem(code: str, message: str, location: Location | None = None) -> Problem:
    """A problem record whose code is registered.

    Raises:
        ValueError: ``code`` is not in :data:`PROBLEM_CODES` (a programming error: register
            and document the code first).
    """
    if code not in PROBLEM_CODES:
        raise ValueError(f"unregistered problem code {code!r}; add it to formmerge.problem_codes")
    return Problem(code, message, location or Location())

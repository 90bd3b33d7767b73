"""Matching applicant input against the patterns forms declare, with a time limit.

A form's ``pattern`` is written by whoever wrote the form; matched against what an applicant
types, a pattern that backtracks catastrophically (``(a|aa)+$``) would hang the caller. Patterns
are compiled with the `regex <https://pypi.org/project/regex/>`_ engine, which avoids the worst
backtracking of the standard library's (``^(a+)+$`` fails at once) and takes a ``timeout``: a
match that runs out of time is a ``pattern-timeout`` problem, never a hang.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from formmerge.errors import Location, Problem
from formmerge.settings import DEFAULT_PATTERN_TIMEOUT

__all__ = ["compile_pattern", "pattern_problem"]

_PATTERN_CACHE_SIZE = 1024


@lru_cache(maxsize=_PATTERN_CACHE_SIZE)
def compile_pattern(pattern: str) -> regex.Pattern[str] | None:
    """The compiled pattern, or ``None`` if it is not a valid regular expression."""
    try:
        return regex.compile(pattern)
    except (regex.error, ValueError, OverflowError, RecursionError):
        return None


def pattern_problem(
    pattern: str,
    value: str,
    location: Location,
    *,
    timeout: float = DEFAULT_PATTERN_TIMEOUT,
) -> Problem | None:
    """Check that ``value`` matches ``pattern`` in full, within ``timeout`` seconds.

    Args:
        pattern: the form's regular expression.
        value: the text to check.
        location: where to report a problem (form and field).
        timeout: seconds the match may take.

    Returns:
        ``None`` if the value matches; otherwise a problem: ``pattern-mismatch``,
        ``pattern-timeout`` (the match ran out of time: the pattern backtracks badly) or
        ``invalid-pattern`` (the pattern does not compile, so nothing can be checked).
    """
    compiled = compile_pattern(pattern)
    if compiled is None:
        return Problem("invalid-pattern", f"the form's pattern {pattern!r} is invalid", location)
    try:
        found = compiled.fullmatch(value, timeout=timeout)
    except TimeoutError:
        message = f"matching {pattern!r} took longer than {timeout:g} s; the value is unchecked"
        return Problem("pattern-timeout", message, location)
    if found is None:
        return Problem("pattern-mismatch", f"does not match {pattern!r}", location)
    return None

"""Checking a value against what its form field declares: options, lengths, pattern, range and
format; and checking the declarations themselves (a format nobody knows, a broken pattern).

A declaration formmerge cannot apply is reported, never skipped in silence: a field whose
``format`` is ``citizenid`` or ``mobil`` (no validator has that name) would otherwise accept
anything.
"""

from __future__ import annotations

from typing import Any

from formmerge.errors import Location, Problem
from formmerge.ingest.jsonschema import MULTI_SELECT_FORMAT
from formmerge.models import Field, Form
from formmerge.patterns import compile_pattern, pattern_problem
from formmerge.validators import VALIDATORS

__all__ = [
    "ANNOTATION_FORMATS",
    "SHAPE_FORMATS",
    "field_problems",
    "form_problems",
    "value_problems",
]

SHAPE_FORMATS = frozenset({MULTI_SELECT_FORMAT})
"""Formats that say what shape an answer has rather than how a value is written."""

ANNOTATION_FORMATS = frozenset(
    {
        "date-time", "time", "duration", "idn-email", "hostname", "idn-hostname", "ipv4",
        "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template",
        "json-pointer", "relative-json-pointer", "regex",
    }
)  # fmt: skip
"""JSON Schema 2020-12 formats that formmerge does not check. In JSON Schema a format is an
annotation unless a validator asserts it, so these are accepted without a problem; any other
name no validator has (``citizenid``, ``mobil``, a pattern written into ``format``) is a
typo or a misunderstanding and is reported."""


def field_problems(field: Field, location: Location) -> list[Problem]:
    """What formmerge cannot check about a field: an unknown format, a pattern that does not
    compile."""
    out = []
    checked = field.format in VALIDATORS or field.format in SHAPE_FORMATS | ANNOTATION_FORMATS
    if field.format and not checked:
        known = ", ".join(sorted(VALIDATORS))
        message = f"unknown format {field.format!r}; values are not checked (known: {known})"
        out.append(Problem("unknown-format", message, location))
    if field.pattern and compile_pattern(field.pattern) is None:
        message = f"the pattern {field.pattern!r} is invalid; values are not checked against it"
        out.append(Problem("invalid-pattern", message, location))
    return out


def form_problems(form: Form) -> list[Problem]:
    """:func:`field_problems` for every field of a form, located by form and field."""
    return [
        p
        for f in form.fields
        for p in field_problems(f, Location(form=form.id, field=f.path, file=form.source_file))
    ]


def value_problems(field: Field, raw: Any, location: Location) -> list[Problem]:
    """Every way a value (as the form holds it) breaks the field's declarations.

    An unknown format or an invalid pattern is not reported here (see :func:`field_problems`).
    """
    out = []
    text = raw if isinstance(raw, str) else str(raw)
    if field.options and text not in {o.code for o in field.options}:
        out.append(Problem("invalid-option", f"{text!r} is not an option of the form", location))
    if field.max_length is not None and len(text) > field.max_length:
        out.append(Problem("too-long", f"longer than {field.max_length} characters", location))
    if field.min_length is not None and len(text) < field.min_length:
        out.append(Problem("too-short", f"shorter than {field.min_length} characters", location))
    if field.pattern and compile_pattern(field.pattern) is not None:
        problem = pattern_problem(field.pattern, text, location)
        if problem is not None:
            out.append(problem)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if field.minimum is not None and raw < field.minimum:
            out.append(Problem("below-minimum", f"below the minimum {field.minimum}", location))
        if field.maximum is not None and raw > field.maximum:
            out.append(Problem("above-maximum", f"above the maximum {field.maximum}", location))
    validator = VALIDATORS.get(field.format or "")
    if validator is not None and not validator(text):
        out.append(Problem("invalid-format", f"not a valid {field.format}", location))
    return out

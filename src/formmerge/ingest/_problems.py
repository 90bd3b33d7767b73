"""Problem records for form ingest: the codes, and pydantic's errors turned into problems.

Every reader of a form format collects :class:`~formmerge.errors.Problem` records instead of
stopping at the first mistake. Each reader knows how to turn a place in the normalised form
(a pydantic ``loc`` such as ``("fields", 3, "type")``) into a place in its own file (a line, a
JSON pointer, a spreadsheet row); it hands that knowledge over as a :data:`Locate` callable.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from formmerge.errors import FormError, Location, Problem
from formmerge.models import Field, Form, Group, Material, Option, Process
from formmerge.problem_codes import PROBLEM_CODES as REGISTRY
from formmerge.problem_codes import problem

__all__ = [
    "PROBLEM_CODES",
    "Loc",
    "Locate",
    "field_name",
    "make_problem",
    "raise_problems",
    "validation_problems",
]

Loc = tuple[str | int, ...]
"""A place inside the normalised form data, as pydantic spells it: ``("fields", 3, "type")``."""

Locate = Callable[[Loc], Location]
"""Turns a place in the normalised form data into a place in the file it was read from."""

_FORM_CODES = (
    # reading the file
    "file-not-found",
    "unreadable-file",
    "file-too-large",
    "unknown-file-format",
    "encoding-error",
    "control-character",
    "syntax-error",
    "too-deep",
    "too-many-aliases",
    "recursive-alias",
    "number-too-large",
    "empty-file",
    "not-a-mapping",
    "duplicate-mapping-key",
    # the form's attributes
    "unknown-attribute",
    "missing-attribute",
    "invalid-value",
    "invalid-field",
    "invalid-form",
    # fields
    "empty-field",
    "unknown-type",
    "missing-options",
    "duplicate-option",
    "min-greater-than-max",
    "invalid-pattern",
    "duplicate-key",
    "invalid-group",
    "empty-group",
    "group-conflict",
    # JSON Schema
    "unresolved-ref",
    "ref-cycle",
    "unknown-required",
    "unsupported-schema",
    "schema-too-large",
    "conditional-fields",
    "conditional-required",
    "ignored-keyword",
    "unknown-keyword",
    "unnamed-properties",
    "empty-object",
    "ui-only",
    "lenient-type",
    "unusable-value",
    "unknown-dialect",
    # CSV and XLSX
    "missing-column",
    "unknown-column",
    "duplicate-column",
    "extra-cell",
    "invalid-boolean",
    "invalid-number",
    "invalid-options",
    "invalid-span",
    "office-use-skipped",
    "declaration-skipped",
    "repeated-rows",
    "blank-cell-skipped",
    "title-placeholder",
    "unlabelled-field",
    "skipped-layout",
    "skipped-logic",
    "unread-rule",
    "kept-in-description",
    "unresolved-code-set",
    # several files
    "duplicate-form-id",
)

PROBLEM_CODES: dict[str, str] = {code: REGISTRY[code].description for code in _FORM_CODES}
"""Every problem code form ingest reports, with what it means (from
:data:`formmerge.problem_codes.PROBLEM_CODES`, where every code of formmerge is registered)."""

_SUB_MODELS: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (Form, "fields"): Field,
    (Form, "materials"): Material,
    (Form, "process"): Process,
    (Field, "options"): Option,
    (Field, "group"): Group,
}


def make_problem(code: str, message: str, location: Location) -> Problem:
    """A problem record; ``code`` must be registered in :mod:`formmerge.problem_codes`."""
    return problem(code, message, location)


def field_name(data: Any) -> str | None:
    """The name a problem should give a field: its key, else its label, else nothing."""
    if not isinstance(data, dict):
        return None
    for attr in ("key", "label"):
        value = data.get(attr)
        if isinstance(value, str) and value.strip():
            return value
    return None


def raise_problems(file: str, problems: Iterable[Problem]) -> None:
    """Raise one :class:`FormError` carrying every problem, in file and line order, if any."""
    ordered = sorted(problems, key=lambda p: (p.location.file or "", p.location.line or 0))
    if ordered:
        raise FormError(f"cannot read the form in {file}", ordered)


def validation_problems(error: ValidationError, locate: Locate, covered: set[Loc]) -> list[Problem]:
    """Problem records for a pydantic ``ValidationError`` raised while building a :class:`Form`.

    Args:
        error: the error from ``Form.model_validate``.
        locate: maps each error's ``loc`` to a place in the source file.
        covered: places for which a more specific problem was already reported; pydantic's
            errors there are dropped so that one mistake is reported once.
    """
    problems: list[Problem] = []
    for detail in error.errors(include_url=False):
        loc: Loc = tuple(detail["loc"])
        if loc in covered:
            continue
        code, message = _describe(detail["type"], loc, detail["msg"], detail.get("input"))
        problems.append(make_problem(code, message, locate(loc)))
    return problems


def _describe(kind: str, loc: Loc, msg: str, value: Any) -> tuple[str, str]:
    name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "form")
    if kind == "extra_forbidden":
        allowed = sorted(_model_at(loc[:-1]).model_fields)
        allowed = [a for a in allowed if a != "source_file"]
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(allowed)}"
        return "unknown-attribute", f"unknown attribute {name!r}; {hint}"
    if kind == "missing":
        return "missing-attribute", f"{name!r} is required"
    if kind == "value_error":
        code = "invalid-field" if loc[:1] == ("fields",) else "invalid-form"
        return code, msg.removeprefix("Value error, ")
    shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
    return "invalid-value", f"{name}: {msg}{shown}"


def _model_at(loc: Loc) -> type[BaseModel]:
    model: type[BaseModel] = Form
    for part in loc:
        if isinstance(part, str):
            model = _SUB_MODELS.get((model, part), model)
    return model

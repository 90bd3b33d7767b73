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

PROBLEM_CODES: dict[str, str] = {
    # reading the file
    "file-not-found": "the path names no file",
    "unreadable-file": "the file exists but cannot be read (permissions, a damaged workbook)",
    "unknown-file-format": "the file extension is not one of the supported form formats",
    "encoding-error": "the text is not UTF-8 (or, for CSV, GB 18030)",
    "syntax-error": "the YAML, JSON or CSV syntax is broken",
    "empty-file": "the file holds no form",
    "not-a-mapping": "the top level of a YAML or JSON form is not a mapping",
    "duplicate-mapping-key": "a YAML or JSON mapping names the same key twice",
    # the form's attributes
    "unknown-attribute": "an attribute the format does not define (often a typo)",
    "missing-attribute": "a required attribute is absent",
    "invalid-value": "an attribute has a value of the wrong kind",
    "invalid-field": "a field is inconsistent in a way not covered by a more specific code",
    "invalid-form": "the form is inconsistent in a way not covered by a more specific code",
    # fields
    "empty-field": "a field has neither a key nor a label",
    "unknown-type": "a field type is not one of the types formmerge knows",
    "missing-options": "an enum field has no options",
    "duplicate-option": "two options of one field have the same code",
    "min-greater-than-max": "a lower bound (length or value) is above the upper bound",
    "invalid-pattern": "a pattern is not a valid regular expression",
    "duplicate-key": "two fields have the same key in the same group",
    "invalid-group": "a group path or a section is malformed",
    "group-conflict": "one group is given two different labels or repeating flags",
    # JSON Schema
    "unresolved-ref": "a $ref does not point to a definition in the same document",
    "ref-cycle": "a $ref leads back to a schema that contains it",
    "unknown-required": "required names a property that does not exist",
    "unsupported-schema": "a schema construct that has no form-field equivalent",
    # CSV and XLSX
    "missing-column": "the table has no key or label column",
    "unknown-column": "a column header is not one of the known field attributes",
    "duplicate-column": "two columns stand for the same field attribute",
    "extra-cell": "a row has a value in a column without a header",
    "invalid-boolean": "a yes/no cell holds something else",
    "invalid-number": "a number cell holds something else",
    "invalid-options": "an options cell cannot be read as code=label pairs",
    # notes: parts skipped by design or read leniently (Form.notes, not errors)
    "skipped-layout": "a layout part or widget that holds no data (a button, a text block)",
    "skipped-logic": "visibility, linkage or calculation rules, which a form field cannot hold",
    "unread-rule": "a validation rule with no field attribute to hold it (a custom function)",
    "kept-in-description": "a column with no field attribute, whose values join the description",
    "unresolved-code-set": "a code set a data element names is not one of the catalog's code lists",
    # several files
    "duplicate-form-id": "two loaded forms have the same id",
}
"""Every problem code form ingest reports, with what it means."""

_SUB_MODELS: dict[tuple[type[BaseModel], str], type[BaseModel]] = {
    (Form, "fields"): Field,
    (Form, "materials"): Material,
    (Form, "process"): Process,
    (Field, "options"): Option,
    (Field, "group"): Group,
}


def make_problem(code: str, message: str, location: Location) -> Problem:
    """A problem record; ``code`` must be one of :data:`PROBLEM_CODES`."""
    if code not in PROBLEM_CODES:
        raise ValueError(f"undocumented problem code {code!r}")
    return Problem(code, message, location)


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

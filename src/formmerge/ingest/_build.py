"""Checking a normalised form and building the :class:`~formmerge.models.Form`.

Each reader turns its format into the plain data of a :class:`Form` (the shape ``to_dict``
writes) and hands it here. The checks below report every mistake with its own problem code
before pydantic validates the data; pydantic then catches what is left (wrong value kinds,
unknown attributes). Everything ends in one :class:`~formmerge.errors.FormError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TypeGuard

from pydantic import ValidationError

from formmerge.errors import Problem
from formmerge.ingest._problems import (
    Loc,
    Locate,
    make_problem,
    raise_problems,
    validation_problems,
)
from formmerge.models import FIELD_TYPES, Form

__all__ = ["build_form"]

_GROUP_ATTRIBUTES = ("label", "repeating")

_Finding = tuple[Loc, str, str]
"""A problem found by a check: where (in the normalised data), its code, its message."""


def build_form(data: dict[str, Any], locate: Locate, file: str, problems: list[Problem]) -> Form:
    """Check ``data`` and build the form, or raise one FormError with every problem.

    Args:
        data: the form in the plain-data shape of :class:`Form`. Group entries may leave out
            ``label`` and ``repeating``; they are filled in from another field of the same group.
        locate: maps a place in ``data`` to a place in the source file.
        file: the file name used in messages; also stored as ``Form.source_file``.
        problems: problems the reader already found; they are reported together with these.
    """
    covered: set[Loc] = set()
    fields = data.get("fields")
    if isinstance(fields, list):
        findings = [*_resolve_groups(fields), *_check_fields(fields, locate)]
        for loc, code, message in findings:
            problems.append(make_problem(code, message, locate(loc)))
            covered.update({loc, loc[:2]})
            if code == "duplicate-key":
                covered.add(())
            if code == "empty-field":
                covered.add((*loc[:2], "key"))
    form: Form | None = None
    try:
        form = Form.model_validate({**data, "source_file": file})
    except ValidationError as e:
        problems.extend(validation_problems(e, locate, covered))
    raise_problems(file, problems)
    assert form is not None  # raise_problems raised otherwise
    return form


def _resolve_groups(fields: list[Any]) -> Iterator[_Finding]:
    """Give each group the label and repeating flag stated for it anywhere in the form."""
    known: dict[tuple[str, ...], dict[str, Any]] = {}
    for index, groups in _group_lists(fields):
        path: tuple[str, ...] = ()
        for depth, group in enumerate(groups):
            path = (*path, group["key"])
            stated = known.setdefault(path, {})
            for attr in _GROUP_ATTRIBUTES:
                if attr not in group:
                    continue
                if attr in stated and stated[attr] != group[attr]:
                    message = (
                        f"group {'/'.join(path)!r} has {attr} {group[attr]!r} here "
                        f"but {stated[attr]!r} at another field"
                    )
                    yield ("fields", index, "group", depth, attr), "group-conflict", message
                else:
                    stated.setdefault(attr, group[attr])
    for _, groups in _group_lists(fields):
        path = ()
        for group in groups:
            path = (*path, group["key"])
            for attr, value in known[path].items():
                group.setdefault(attr, value)


def _group_lists(fields: list[Any]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    for index, data in enumerate(fields):
        groups = data.get("group") if isinstance(data, dict) else None
        if isinstance(groups, list):
            usable = []
            for group in groups:
                if not isinstance(group, dict) or not isinstance(group.get("key"), str):
                    break
                usable.append(group)
            yield index, usable


def _check_fields(fields: list[Any], locate: Locate) -> Iterator[_Finding]:
    first_at: dict[str, int] = {}
    for index, data in enumerate(fields):
        if not isinstance(data, dict):
            continue
        yield from _check_field(("fields", index), data)
        path = _path(data)
        if path is None:
            continue
        if path in first_at:
            first = locate(("fields", first_at[path]))
            where = f"{first.file}:{first.line}" if first.line else f"field #{first_at[path] + 1}"
            message = f"field {path!r} is defined twice; the first definition is at {where}"
            yield ("fields", index, "key"), "duplicate-key", message
        else:
            first_at[path] = index


def _check_field(loc: Loc, data: dict[str, Any]) -> Iterator[_Finding]:
    if not _text(data.get("key")) and not _text(data.get("label")):
        yield loc, "empty-field", "a field needs a key or a label; both are empty"
    kind = data.get("type", "string")
    if isinstance(kind, str) and kind not in FIELD_TYPES:
        message = f"type {kind!r} is not one of {', '.join(FIELD_TYPES)}"
        yield (*loc, "type"), "unknown-type", message
    options = data.get("options")
    if kind == "enum" and not options:
        message = "an enum field needs options (a list of {code, label}, or a code: label mapping)"
        yield (*loc, "options"), "missing-options", message
    if isinstance(options, list):
        yield from _check_options((*loc, "options"), options)
    for low, high in (("min_length", "max_length"), ("minimum", "maximum")):
        lower, upper = data.get(low), data.get(high)
        if _number(lower) and _number(upper) and lower > upper:
            message = f"{low} {lower} is greater than {high} {upper}"
            yield (*loc, low), "min-greater-than-max", message
    pattern = data.get("pattern")
    if isinstance(pattern, str):
        try:
            re.compile(pattern)
        except re.error as e:
            yield (*loc, "pattern"), "invalid-pattern", f"pattern {pattern!r} is invalid: {e}"


def _check_options(loc: Loc, options: list[Any]) -> Iterator[_Finding]:
    seen: set[str] = set()
    for index, option in enumerate(options):
        code = option.get("code") if isinstance(option, dict) else None
        if isinstance(code, str):
            if code in seen:
                yield (*loc, index, "code"), "duplicate-option", f"option code {code!r} repeats"
            seen.add(code)


def _path(data: dict[str, Any]) -> str | None:
    key = data.get("key")
    groups = data.get("group", [])
    if not isinstance(key, str) or not isinstance(groups, list):
        return None
    keys = [g.get("key") if isinstance(g, dict) else None for g in groups]
    if not all(isinstance(k, str) for k in keys):
        return None
    return "/".join([*(str(k) for k in keys), key])


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)

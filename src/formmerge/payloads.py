"""Placing values in a form's payload and finding them again, by the field's group path.

A payload is nested as the form is: a group is an object, a repeating group a list of row
objects. A key that is absent is told apart from a key that holds ``None``: rows that a longer
sibling list created do not hold a value of a shorter one, and reading back does not pad the
shorter list with ``None``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from formmerge.models import Field, Form

__all__ = ["ABSENT", "get_value", "pointer", "put_value", "unknown_keys"]


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
"""What :func:`get_value` returns for a field the payload has no key for."""


def _rest(f: Field, depth: int) -> Field:
    return f.model_copy(update={"group": f.group[depth + 1 :]})


def put_value(payload: dict[str, Any], f: Field, value: Any) -> None:
    """Place a value at the field's group path; a repeating group takes a list, one per row.

    ``None`` for a field in a repeating group adds no row (the group is created empty).
    """
    node = payload
    for depth, g in enumerate(f.group):
        if g.repeating:
            rows = node.setdefault(g.key, [])
            if value is None:
                return
            values = value if isinstance(value, list) else [value]
            while len(rows) < len(values):
                rows.append({})
            for row, v in zip(rows, values, strict=False):
                put_value(row, _rest(f, depth), v)
            return
        node = node.setdefault(g.key, {})
    node[f.key] = value


def get_value(payload: Any, f: Field) -> Any:
    """The value at the field's group path, :data:`ABSENT` if there is none.

    A repeating group gives a list, one value per row; rows without the key at the end are
    other fields' rows and are left out, rows without it in the middle read as ``None``.
    """
    node: Any = payload
    for depth, g in enumerate(f.group):
        node = node.get(g.key, ABSENT) if isinstance(node, Mapping) else ABSENT
        if node is ABSENT:
            return ABSENT
        if g.repeating and isinstance(node, list):
            values = [get_value(row, _rest(f, depth)) for row in node]
            while values and values[-1] is ABSENT:
                values.pop()
            return [None if v is ABSENT else v for v in values] if values else ABSENT
    return node.get(f.key, ABSENT) if isinstance(node, Mapping) else ABSENT


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def pointer(f: Field, rows: tuple[int, ...] = ()) -> str:
    """The JSON pointer of a field's value in its payload, with the row numbers given."""
    parts: list[str] = []
    left = list(rows)
    for g in f.group:
        parts.append(_escape(g.key))
        if g.repeating and left:
            parts.append(str(left.pop(0)))
    parts.append(_escape(f.key))
    return "/" + "/".join(parts)


def _layout(form: Form) -> dict[str, Any]:
    """The payload's shape: key to ``None`` (a value) or to the layout of a group."""
    tree: dict[str, Any] = {}
    for f in form.fields:
        node = tree
        for g in f.group:
            node = node.setdefault(g.key, {})
            if node is None:  # a field and a group with one key: the form's problem
                break
        else:
            node.setdefault(f.key, None)
    return tree


def unknown_keys(payload: Any, form: Form) -> Iterator[tuple[str, str]]:
    """``(pointer, message)`` for every part of a payload that no field of the form reads."""
    yield from _walk(payload, _layout(form), "")


def _walk(node: Any, layout: dict[str, Any], at: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for i, row in enumerate(node):
            yield from _walk(row, layout, f"{at}/{i}")
        return
    if not isinstance(node, Mapping):
        if node is not None:
            yield at or "/", "a group holds a value instead of an object; nothing in it is read"
        return
    for key, value in node.items():
        where = f"{at}/{_escape(str(key))}"
        if key not in layout:
            yield where, "no field of the form has this key; its value is not read"
        elif layout[key] is not None:
            yield from _walk(value, layout[key], where)

"""The fields of a JSON Schema form as the real-forms annotations name them: leaf property paths.

The convention (benchmarks/realforms/annotations/README.md): a field is a leaf property,
named by the property names from the root joined by ``/``; ``$ref`` is followed, array items,
``oneOf`` / ``anyOf`` / ``allOf`` alternatives and UI-only ``view:`` properties are transparent
(a property several alternatives share is one field). An array of scalars is one field; an
object without properties, or an alternative that only adds constraints, is none.

This is the benchmark's own reading, independent of formmerge's JSON Schema reader, so that the
annotations can be checked against the file and the reader against the annotations.
:func:`leaf_form` builds a plain Form from it (label: the title, else the property name, as
formmerge's reader labels a field), for measuring the matcher on forms that reader cannot read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from formmerge.models import Field, FieldType, Form, Group, Option

__all__ = ["leaf_form", "leaf_paths"]

_TYPES: dict[str, FieldType] = {"integer": "integer", "number": "number", "boolean": "boolean"}
_FORMATS: dict[str, FieldType] = {"date": "date", "date-time": "datetime"}

_ALTERNATIVES = ("oneOf", "anyOf", "allOf")


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return {}
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _is_value(node: dict[str, Any]) -> bool:
    kind = node.get("type")
    if kind == "object":
        return False
    return kind is not None or any(k in node for k in ("enum", "format", "pattern", "const"))


def _walk(node: Any, root: dict[str, Any], path: list[str], out: dict[str, dict[str, Any]]) -> None:
    node = _resolve(node, root)
    if not isinstance(node, dict):
        return
    if node.get("type") == "array" or "items" in node:
        items = node.get("items")
        items = _resolve(items[0] if isinstance(items, list) and items else items, root)
        if isinstance(items, dict) and (
            "properties" in items or items.get("type") == "object" or _has_alternatives(items)
        ):
            _walk(items, root, path, out)
        elif path:
            out.setdefault("/".join(path), {"title": node.get("title", ""), "node": node})
        return
    properties = node.get("properties")
    if isinstance(properties, dict) or _has_alternatives(node):
        for name, sub in (properties or {}).items():
            _walk(sub, root, path if name.startswith("view:") else [*path, name], out)
        for kind in _ALTERNATIVES:
            for alternative in node.get(kind) or ():
                _walk(alternative, root, path, out)
        return
    if path and _is_value(node):
        out.setdefault("/".join(path), {"title": node.get("title", ""), "node": node})


def _has_alternatives(node: dict[str, Any]) -> bool:
    return any(node.get(kind) for kind in _ALTERNATIVES)


def leaf_paths(schema_file: Path) -> dict[str, dict[str, Any]]:
    """Every field of a JSON Schema form, by property path, in document order.

    Returns:
        path -> ``{"title": ..., "node": the resolved schema node}``.
    """
    root = json.loads(schema_file.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    _walk(root, root, [], out)
    return out


def _field(path: str, node: dict[str, Any]) -> Field:
    *outer, key = path.split("/")
    kind = node.get("type")
    kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
    values = node.get("enum") or ()
    options = tuple(Option(code=str(v), label=str(v)) for v in values if v is not None)
    field_type: FieldType = (
        "enum"
        if options
        else _FORMATS.get(str(node.get("format")), _TYPES.get(str(kind), "string"))
    )
    title = node.get("title")
    description = node.get("description")
    return Field(
        key=key,
        label=title if isinstance(title, str) and title else key,
        type=field_type,
        options=options,
        description=description if isinstance(description, str) else "",
        group=tuple(Group(key=part) for part in outer),
    )


def leaf_form(schema_file: Path, form_id: str) -> Form:
    """A plain Form with one field per leaf path (see the module docstring), in English."""
    root = json.loads(schema_file.read_text(encoding="utf-8"))
    title = root.get("title")
    fields = tuple(_field(path, leaf["node"]) for path, leaf in leaf_paths(schema_file).items())
    return Form(
        id=form_id,
        title=title if isinstance(title, str) else "",
        language="en",
        fields=fields,
        source_file=str(schema_file),
    )

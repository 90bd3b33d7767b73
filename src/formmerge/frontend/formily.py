"""The merged application as a Formily schema (``@formily/react`` with ``@formily/antd``).

Sections become ``type: void`` ``Card`` containers, repeating groups ``ArrayTable`` arrays,
enums ``Select`` with ``{label, value}`` options, booleans ``Radio.Group`` 是/否, dates
``DatePicker``; verified prefilled values get ``x-pattern: readPretty``.
"""

from __future__ import annotations

from typing import Any

from formmerge.frontend.jsonschema import FORMAT_PATTERNS, field_options, field_patterns
from formmerge.frontend.sections import RepeatingBlock, sections
from formmerge.frontend.uischema import BOOLEAN_LABELS
from formmerge.models import Catalog, MergedField, MergedForm
from formmerge.prefill.result import Prefill

__all__ = ["formily_schema"]

_COMPONENTS = {
    "string": "Input",
    "integer": "NumberPicker",
    "number": "NumberPicker",
    "date": "DatePicker",
    "datetime": "DatePicker",
    "file": "Upload",
}
_TYPES = {"integer": "number", "number": "number", "boolean": "boolean"}


def _validators(field: MergedField) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    rules += [{"pattern": p, "message": f"{field.label}格式不正确"} for p in field_patterns(field)]
    if field.max_length is not None:
        rules.append({"maxLength": field.max_length, "message": f"{field.label}过长"})
    if field.format in FORMAT_PATTERNS:
        rules.append({"format": field.format, "message": f"{field.label}校验位不正确"})
    return rules


def _field(field: MergedField, catalog: Catalog, locked: set[str]) -> dict[str, Any]:
    node: dict[str, Any] = {
        "type": _TYPES.get(field.type, "string"),
        "title": field.label,
        "required": field.required,
        "x-decorator": "FormItem",
    }
    options = field_options(field, catalog)
    if options:
        node["x-component"] = "Select"
        node["enum"] = [{"label": o.label or o.code, "value": o.code} for o in options]
    elif field.type == "boolean":
        node["x-component"] = "Radio.Group"
        node["enum"] = [
            {"label": BOOLEAN_LABELS[0], "value": True},
            {"label": BOOLEAN_LABELS[1], "value": False},
        ]
    else:
        node["x-component"] = _COMPONENTS.get(field.type, "Input")
    rules = _validators(field)
    if rules:
        node["x-validator"] = rules
    if field.id in locked:
        node["x-pattern"] = "readPretty"
    return node


def formily_schema(
    merged: MergedForm, catalog: Catalog | None = None, prefilled: Prefill | None = None
) -> dict[str, Any]:
    """The Formily schema (see the module documentation)."""
    from formmerge.catalog import catalog_for

    cat = catalog_for(merged, catalog)
    locked = set(prefilled.read_only) if prefilled is not None else set()
    properties: dict[str, Any] = {}
    for index, section in enumerate(sections(merged, cat)):
        children: dict[str, Any] = {}
        for entry in section.entries:
            if isinstance(entry, RepeatingBlock):
                children[entry.key] = {
                    "type": "array",
                    "title": entry.title,
                    "x-decorator": "FormItem",
                    "x-component": "ArrayTable",
                    "items": {
                        "type": "object",
                        "properties": {f.id: _field(f, cat, locked) for f in entry.fields},
                    },
                }
            else:
                children[entry.id] = _field(entry, cat, locked)
        properties[section.key] = {
            "type": "void",
            "title": section.title,
            "x-component": "Card",
            "x-component-props": {"title": section.title},
            "x-index": index,
            "properties": children,
        }
    return {"type": "object", "title": merged.title or merged.id, "properties": properties}

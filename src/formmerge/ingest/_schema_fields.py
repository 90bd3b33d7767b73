"""One JSON Schema property read into the attributes of a :class:`~formmerge.models.Field`.

Values a field cannot hold are never passed on: a keyword of the wrong kind
(``{"format": ["date"]}``) is a located problem; a number no bound can be (``Infinity``,
``NaN``, ``10**400``) and an option value that is not a scalar are left out with a located
note, so that a lenient reading still gives the rest of the form.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from formmerge.ingest._documents import join_pointer
from formmerge.ingest._schema_findings import Findings
from formmerge.ingest._schema_refs import SchemaNode

__all__ = [
    "EXTENSION_KEYWORD",
    "KEYWORD_ATTRIBUTES",
    "code_text",
    "field_attributes",
    "options_of",
    "union_options",
]

EXTENSION_KEYWORD = "x-formmerge"
"""The keyword holding formmerge attributes that JSON Schema has no keyword for."""

KEYWORD_ATTRIBUTES = {
    "maxLength": "max_length",
    "minLength": "min_length",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "description": "description",
}
"""JSON Schema keywords copied to a Field attribute (after a check of their kind)."""

_TEXT_KEYWORDS = ("pattern", "description", "format", "title")
_LENGTH_KEYWORDS = ("maxLength", "minLength")
_BOUND_KEYWORDS = ("minimum", "maximum")
_TYPE_OF_FORMAT = {"date": "date", "date-time": "datetime", "binary": "file"}

Options = list[dict[str, str]]
ResolveChoice = Callable[[SchemaNode, str, int], SchemaNode | None]
"""Resolves alternative ``index`` of the ``oneOf``/``anyOf`` keyword of a node."""


def field_attributes(
    name: str, node: SchemaNode, pointer: str, kind: str, findings: Findings
) -> tuple[dict[str, Any], dict[str, str]]:
    """The field attributes ``node`` states (all but options), and the pointer of each.

    Args:
        name: the property name (the field key).
        node: the property's merged schema.
        pointer: where the property is.
        kind: its JSON type (``string`` when the schema states none).
        findings: where problems and notes go.
    """
    keywords = node.keywords
    usable = {k: v for k, v in keywords.items() if _usable(node, k, v, pointer, findings)}
    title = usable.get("title")
    data: dict[str, Any] = {"key": name, "label": title if isinstance(title, str) else name}
    at = {"key": pointer, "label": node.pointer("title", pointer)}
    data.update(_type_and_format(kind, usable))
    at["type"] = at["format"] = node.pointer("format", node.pointer("type", pointer))
    for keyword, attr in KEYWORD_ATTRIBUTES.items():
        if keyword in usable:
            data[attr], at[attr] = usable[keyword], node.pointer(keyword, pointer)
    _exclusive_bounds(node, usable, data, at, pointer)
    examples = usable.get("examples")
    if isinstance(examples, list):
        texts = [code_text(x) for x in examples]
        data["examples"] = [t for t in texts if t is not None]
        at["examples"] = node.pointer("examples", pointer)
    extension = keywords.get(EXTENSION_KEYWORD, {})
    where = node.pointer(EXTENSION_KEYWORD, pointer)
    if isinstance(extension, dict):
        for attr, value in extension.items():
            data[str(attr)] = value
            at[str(attr)] = join_pointer(where, str(attr))
    else:
        findings.problem("invalid-value", f"{EXTENSION_KEYWORD} must be an object", where)
    return data, at


def options_of(
    node: SchemaNode, pointer: str, findings: Findings, choice: ResolveChoice
) -> Options | None:
    """The options ``node`` enumerates (``enum``, ``const``, ``oneOf``/``anyOf`` of constants).

    Returns None when the node does not enumerate its values.
    """
    keywords = node.keywords
    if "enum" in keywords:
        return _enum(node, pointer, findings)
    if "const" in keywords:
        code = _option_code(keywords["const"], node.pointer("const", pointer), findings)
        return [] if code is None else [{"code": code, "label": code}]
    for part in node.collected("oneOf", "anyOf"):
        if not isinstance(part.value, list):
            return None
        options: Options = []
        for index in range(len(part.value)):
            alternative = choice(node, part.keyword, index)
            if alternative is None or not _is_constant(alternative):
                return None
            where = join_pointer(part.pointer, index)
            if "const" not in alternative.keywords:  # a null alternative or an enum of one
                options += (
                    _enum(alternative, where, findings) if "enum" in alternative.keywords else []
                )
                continue
            code = _option_code(alternative.keywords["const"], where, findings)
            title = alternative.keywords.get("title")
            if code is not None:
                options.append({"code": code, "label": title if isinstance(title, str) else code})
        return options
    return None


def union_options(option_lists: list[Options]) -> Options:
    """The options of several definitions of one field: each code once, first label kept."""
    seen: dict[str, dict[str, str]] = {}
    for options in option_lists:
        for option in options:
            seen.setdefault(option["code"], option)
    return list(seen.values())


def code_text(value: Any) -> str | None:
    """An option code or example as text; None for values that are not one scalar."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        try:
            return str(value)
        except ValueError:  # an integer too long to print (Python's digit limit)
            return None
    return None


def _is_constant(node: SchemaNode) -> bool:
    keywords = node.keywords
    if "const" in keywords:
        return True
    if "enum" in keywords:
        return True
    return keywords.get("type") == "null" and not node.collected("properties")


def _enum(node: SchemaNode, pointer: str, findings: Findings) -> Options:
    values, names = node.keywords["enum"], node.keywords.get("enumNames")
    where = node.pointer("enum", pointer)
    if not isinstance(values, list):
        findings.problem("invalid-value", "enum must be a list of values", where)
        return []
    if names is not None and (not isinstance(names, list) or len(names) != len(values)):
        message = "enumNames must be a list as long as enum; the values are their own labels"
        findings.note("unusable-value", message, node.pointer("enumNames", pointer))
        names = None
    options: Options = []
    for index, value in enumerate(values):
        if value is None:
            continue  # "no answer" is not an option
        code = _option_code(value, join_pointer(where, index), findings)
        label = code_text(names[index]) if names is not None else code
        if code is not None:
            options.append({"code": code, "label": label if label is not None else code})
    return options


def _option_code(value: Any, pointer: str, findings: Findings) -> str | None:
    code = code_text(value)
    if code is None:
        message = f"an option value must be a text, number or boolean; {_kind_of(value)} left out"
        findings.note("unusable-value", message, pointer)
    return code


def _usable(node: SchemaNode, keyword: str, value: Any, pointer: str, findings: Findings) -> bool:
    """False (after a problem or a note) for a keyword value a field cannot hold."""
    where = node.pointer(keyword, pointer)
    if keyword in _TEXT_KEYWORDS and not isinstance(value, str):
        message = f"{keyword} must be a text (got {_kind_of(value)})"
        findings.problem("invalid-value", message, where)
        return False
    if keyword in _LENGTH_KEYWORDS:
        if isinstance(value, float) and value.is_integer():
            return True
        if not isinstance(value, int) or isinstance(value, bool):
            message = f"{keyword} must be a whole number (got {_kind_of(value)})"
            findings.problem("invalid-value", message, where)
            return False
    if keyword in (*_BOUND_KEYWORDS, "exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(value, bool):
            return keyword.startswith("exclusive")  # draft 04: a flag on minimum/maximum
        if not isinstance(value, int | float):
            findings.problem("invalid-value", f"{keyword} must be a number", where)
            return False
        if not _finite(value):
            message = f"{keyword} {_shown(value)} cannot bound a value; the bound is left out"
            findings.note("unusable-value", message, where)
            return False
    if keyword == "examples" and not isinstance(value, list):
        findings.problem("invalid-value", "examples must be a list", where)
        return False
    return True


def _exclusive_bounds(
    node: SchemaNode, usable: dict[str, Any], data: dict[str, Any], at: dict[str, str], pointer: str
) -> None:
    for keyword, attr, step in (
        ("exclusiveMinimum", "minimum", 1),
        ("exclusiveMaximum", "maximum", -1),
    ):
        value = usable.get(keyword)
        if value is True and attr in data:  # draft 04: minimum/maximum itself is excluded
            value = data[attr]
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        bound: float = value
        if data.get("type") == "integer":  # the nearest integer inside the open bound
            bound = math.floor(value) + 1 if step > 0 else math.ceil(value) - 1
        current = data.get(attr)
        if current is value or not isinstance(current, int | float) or (bound - current) * step > 0:
            data[attr], at[attr] = bound, node.pointer(keyword, pointer)


def _type_and_format(kind: str, keywords: dict[str, Any]) -> dict[str, Any]:
    value_format = keywords.get("format")
    if kind == "string":
        if value_format in _TYPE_OF_FORMAT:
            return {"type": _TYPE_OF_FORMAT[value_format]}
        if "contentMediaType" in keywords or "contentEncoding" in keywords:
            return {"type": "file"}
    return {"type": kind} | ({"format": value_format} if value_format is not None else {})


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer beyond the range of a float
        return False


def _shown(value: int | float) -> str:
    text = code_text(value)
    return text if text is not None and len(text) <= 20 else "(a number too large)"


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number" if isinstance(value, int | float) else f"{value!r}"

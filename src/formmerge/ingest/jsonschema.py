"""Forms described as JSON Schema (draft 2020-12; earlier drafts read alike).

The schema's ``title`` is the form title and its id comes from ``$id`` (the last path segment,
without extension) or the file name. Form metadata the schema has no keyword for (department,
matter, subject, language, process, materials, produces, consumes, or an explicit id) sits in an
``x-formmerge`` object at the top level; an ``x-formmerge`` object on a property sets
:class:`~formmerge.models.Field` attributes directly (``date_format``, ``format``, ...).

Each property becomes a field; see docs/forms.md for the full keyword mapping. Objects with
properties become groups, arrays of objects repeating groups, arrays of enumerated strings
multi-select enum fields (``format: multi-select``), and arrays of other values a repeating
group holding one field keyed ``item``. ``$ref`` is resolved inside the document
(``#/$defs/...``, ``#/definitions/...`` or any local pointer); ``allOf`` is merged.
"""

from __future__ import annotations

import math
import re
from typing import Any

from formmerge.errors import Location, Problem
from formmerge.ingest._build import build_form
from formmerge.ingest._documents import Document, join_pointer
from formmerge.ingest._problems import Loc, field_name, make_problem
from formmerge.ingest._schema_refs import SchemaNode, SchemaResolver
from formmerge.ingest.native import normalise_materials
from formmerge.models import Form

__all__ = [
    "ARRAY_ITEM_KEY",
    "EXTENSION_KEYWORD",
    "FORM_EXTENSION_ATTRIBUTES",
    "MULTI_SELECT_FORMAT",
    "form_from_document",
    "is_json_schema",
]

EXTENSION_KEYWORD = "x-formmerge"
"""The keyword holding formmerge attributes that JSON Schema has no keyword for."""

FORM_EXTENSION_ATTRIBUTES = (
    "id", "department", "matter", "subject", "default_role", "language", "process", "materials",
    "produces", "consumes",
)  # fmt: skip
"""Form attributes the top-level ``x-formmerge`` object may set."""

MULTI_SELECT_FORMAT = "multi-select"
"""``Field.format`` of an enum field read from an array of enumerated values."""

ARRAY_ITEM_KEY = "item"
"""Key of the one field inside the repeating group read from an array of plain values."""

KEYWORD_ATTRIBUTES = {
    "maxLength": "max_length",
    "minLength": "min_length",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "description": "description",
}
"""JSON Schema keywords copied to a Field attribute unchanged."""

_TYPE_OF_FORMAT = {"date": "date", "date-time": "datetime", "binary": "file"}
_JSON_TYPES = ("string", "integer", "number", "boolean", "object", "array", "null")


def is_json_schema(data: Any) -> bool:
    """True if ``data`` looks like a JSON Schema rather than a native form."""
    return isinstance(data, dict) and (
        "$schema" in data or "properties" in data or data.get("type") == "object"
    )


def form_from_document(document: Document, default_id: str | None = None) -> Form:
    """Build the form a JSON Schema document describes.

    Args:
        document: the parsed schema, with line numbers where known.
        default_id: the form id when neither ``$id`` nor ``x-formmerge.id`` gives one.

    Raises:
        FormError: with one problem (located by JSON pointer and line) for each mistake.
    """
    reader = _SchemaReader(document)
    form = reader.read(default_id)
    return build_form(form, reader.locate, document.file, reader.problems)


class _SchemaReader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = list(document.problems)
        self.fields: list[dict[str, Any]] = []
        self.field_at: list[tuple[str, dict[str, str]]] = []
        self.form_at: dict[str, str] = {}
        self.form_id: str | None = None
        self.resolver = SchemaResolver(document.data, self.problem)

    # ----------------------------------------------------------------- form level

    def read(self, default_id: str | None) -> dict[str, Any]:
        form: dict[str, Any] = {}
        root = self.resolver.resolve(self.document.data, "", ())
        if root is None:
            return form
        schema_id = root.keywords.get("$id")
        form_id = _id_from_uri(schema_id) if isinstance(schema_id, str) else None
        if form_id or default_id:
            form["id"] = form_id or default_id
            self.form_at["id"] = root.pointer("$id", "")
        if "title" in root.keywords:
            form["title"] = root.keywords["title"]
            self.form_at["title"] = root.pointer("title", "")
        form.update(self._form_extension(root))
        self.form_id = form["id"] if isinstance(form.get("id"), str) else None
        if self._type(root, "") != "object" or not root.properties:
            message = "the top level must be an object schema with properties (the form's fields)"
            self.problem("unsupported-schema", message, "")
        self._object(root, [])
        form["fields"] = self.fields
        return form

    def _form_extension(self, root: SchemaNode) -> dict[str, Any]:
        extension = root.keywords.get(EXTENSION_KEYWORD, {})
        pointer = root.pointer(EXTENSION_KEYWORD, "")
        if not isinstance(extension, dict):
            self.problem("invalid-value", f"{EXTENSION_KEYWORD} must be an object", pointer)
            return {}
        attributes: dict[str, Any] = {}
        for name, value in extension.items():
            if name in FORM_EXTENSION_ATTRIBUTES:
                attributes[name] = normalise_materials(value) if name == "materials" else value
                self.form_at[name] = join_pointer(pointer, name)
            else:
                allowed = ", ".join(FORM_EXTENSION_ATTRIBUTES)
                message = (
                    f"unknown {EXTENSION_KEYWORD} attribute {name!r}; expected one of {allowed}"
                )
                self.problem("unknown-attribute", message, join_pointer(pointer, name))
        return attributes

    def locate(self, loc: Loc) -> Location:
        name = None
        if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], int):
            base, at = self.field_at[loc[1]]
            name = field_name(self.fields[loc[1]])
            attr = loc[2] if len(loc) > 2 and isinstance(loc[2], str) else None
            pointer = join_pointer(at[attr], *loc[3:]) if attr in at else base
        elif loc and isinstance(loc[0], str) and loc[0] in self.form_at:
            pointer = join_pointer(self.form_at[loc[0]], *loc[1:])
        else:
            pointer = ""
        pointer, line = self.document.nearest(pointer)
        return Location(self.document.file, line, pointer or None, self.form_id, name)

    def problem(self, code: str, message: str, pointer: str) -> None:
        pointer, line = self.document.nearest(pointer)
        location = Location(self.document.file, line, pointer or None, self.form_id)
        self.problems.append(make_problem(code, message, location))

    # ----------------------------------------------------------------- fields

    def _object(self, node: SchemaNode, groups: list[dict[str, Any]]) -> None:
        required: dict[str, str] = {}
        for name, pointer in node.required:
            if isinstance(name, str) and name in node.properties:
                required[name] = pointer
            else:
                message = f"required names {name!r}, which is not a property of this object"
                self.problem("unknown-required", message, pointer)
        for name, (schema, pointer) in node.properties.items():
            child = self.resolver.resolve(schema, pointer, node.refs)
            if child is not None:
                self._property(name, child, pointer, groups, required.get(name))

    def _property(
        self,
        name: str,
        node: SchemaNode,
        pointer: str,
        groups: list[dict[str, Any]],
        required: str | None,
    ) -> None:
        kind = self._type(node, pointer)
        title = node.keywords.get("title")
        group: dict[str, Any] = {"key": name} | ({"label": title} if isinstance(title, str) else {})
        if kind == "object" and not _enumerated(node):
            if not node.properties:
                self.problem(
                    "unsupported-schema", "an object without properties has no fields", pointer
                )
            self._object(node, [*groups, group])
            return
        if kind != "array":
            self._field(name, node, pointer, groups, required, kind)
            return
        if "items" not in node.keywords:
            self.problem("unsupported-schema", "an array needs items to become fields", pointer)
            return
        item = self.resolver.resolve(
            node.keywords["items"], node.pointer("items", pointer), node.refs
        )
        if item is None:
            return
        item_kind = self._type(item, node.pointer("items", pointer))
        if _enumerated(item):
            self._field(name, node, pointer, groups, required, "string", options_from=item)
        elif item_kind == "object":
            self._object(item, [*groups, {**group, "repeating": True}])
        else:
            if isinstance(title, str) and "title" not in item.keywords:
                item.keywords["title"], item.at["title"] = title, node.at["title"]
            repeating = [*groups, {**group, "repeating": True}]
            self._field(
                ARRAY_ITEM_KEY, item, node.pointer("items", pointer), repeating, None, item_kind
            )

    def _field(
        self,
        name: str,
        node: SchemaNode,
        pointer: str,
        groups: list[dict[str, Any]],
        required: str | None,
        kind: str | None,
        options_from: SchemaNode | None = None,
    ) -> None:
        keywords = node.keywords
        title = keywords.get("title")
        data: dict[str, Any] = {"key": name, "label": title if isinstance(title, str) else name}
        at = {"key": pointer, "label": node.pointer("title", pointer)}
        options = self._options(options_from or node, pointer)
        if options is not None:
            data["type"], data["options"] = "enum", options
            at["type"] = at["options"] = pointer
            if options_from is not None:
                data["format"] = MULTI_SELECT_FORMAT
        else:
            data.update(_type_and_format(kind, keywords))
            at["type"] = at["format"] = node.pointer("format", node.pointer("type", pointer))
        if required is not None:
            data["required"], at["required"] = True, required
        for keyword, attr in KEYWORD_ATTRIBUTES.items():
            if keyword in keywords:
                data[attr], at[attr] = keywords[keyword], node.pointer(keyword, pointer)
        self._exclusive_bounds(node, data, at, pointer)
        examples = keywords.get("examples")
        if isinstance(examples, list):
            data["examples"] = [_text(x) for x in examples if not isinstance(x, dict | list)]
            at["examples"] = node.pointer("examples", pointer)
        if groups:
            data["group"] = [dict(g) for g in groups]
        extension = keywords.get(EXTENSION_KEYWORD, {})
        if isinstance(extension, dict):
            for attr, value in extension.items():
                data[attr] = value
                at[attr] = join_pointer(node.pointer(EXTENSION_KEYWORD, pointer), attr)
        else:
            self.problem("invalid-value", f"{EXTENSION_KEYWORD} must be an object", pointer)
        self.fields.append(data)
        self.field_at.append((pointer, at))

    def _exclusive_bounds(
        self, node: SchemaNode, data: dict[str, Any], at: dict[str, str], pointer: str
    ) -> None:
        for keyword, attr, step in (
            ("exclusiveMinimum", "minimum", 1),
            ("exclusiveMaximum", "maximum", -1),
        ):
            value = node.keywords.get(keyword)
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue  # draft-04 boolean form: nothing to add to minimum/maximum
            bound = value
            if data.get("type") == "integer":  # the nearest integer inside the open bound
                bound = math.floor(value) + 1 if step > 0 else math.ceil(value) - 1
            current = data.get(attr)
            if not isinstance(current, int | float) or (bound - current) * step > 0:
                data[attr], at[attr] = bound, node.pointer(keyword, pointer)

    def _options(self, node: SchemaNode, pointer: str) -> list[dict[str, str]] | None:
        keywords = node.keywords
        if "enum" in keywords:
            return self._enum(node, pointer)
        if "const" in keywords:
            code = _text(keywords["const"])
            return [{"code": code, "label": code}]
        for keyword in ("oneOf", "anyOf"):
            if keyword in keywords:
                return self._choices(node, keyword, pointer)
        return None

    def _enum(self, node: SchemaNode, pointer: str) -> list[dict[str, str]] | None:
        values, names = node.keywords["enum"], node.keywords.get("enumNames")
        where = node.pointer("enum", pointer)
        if not isinstance(values, list):
            self.problem("unsupported-schema", "enum must be a list of values", where)
            return None
        if names is not None and (not isinstance(names, list) or len(names) != len(values)):
            message = "enumNames must be a list as long as enum"
            self.problem("unsupported-schema", message, node.pointer("enumNames", pointer))
            names = None
        labels = names or values
        return [
            {"code": _text(value), "label": _text(label)}
            for value, label in zip(values, labels, strict=True)
            if value is not None
        ]

    def _choices(self, node: SchemaNode, keyword: str, pointer: str) -> list[dict[str, str]] | None:
        where = node.pointer(keyword, pointer)
        choices = node.keywords[keyword]
        options: list[dict[str, str]] = []
        for index, choice in enumerate(choices if isinstance(choices, list) else [None]):
            alternative = self.resolver.resolve(choice, join_pointer(where, index), node.refs)
            if alternative is None:
                return None
            keywords = alternative.keywords
            title = keywords.get("title")
            if "const" in keywords:
                code = _text(keywords["const"])
                options.append({"code": code, "label": title if isinstance(title, str) else code})
            elif keywords.get("type") != "null":
                message = f"{keyword} is read only as a list of {{const, title}} choices"
                self.problem("unsupported-schema", message, join_pointer(where, index))
                return None
        return options

    def _type(self, node: SchemaNode, pointer: str) -> str | None:
        kind = node.keywords.get("type")
        where = node.pointer("type", pointer)
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            if len(kinds) > 1:
                message = f"type {kind!r} allows several kinds of value; a field has one"
                self.problem("unsupported-schema", message, where)
                return None
            kind = kinds[0] if kinds else "null"
        if kind is None:
            if node.properties:
                return "object"
            return "array" if "items" in node.keywords else None
        if kind not in _JSON_TYPES or kind == "null":
            self.problem("unsupported-schema", f"type {kind!r} cannot be a form field", where)
            return None
        return str(kind)


def _enumerated(node: SchemaNode) -> bool:
    return any(k in node.keywords for k in ("enum", "const", "oneOf", "anyOf"))


def _type_and_format(kind: str | None, keywords: dict[str, Any]) -> dict[str, Any]:
    value_format = keywords.get("format")
    if kind in (None, "string"):
        if value_format in _TYPE_OF_FORMAT:
            return {"type": _TYPE_OF_FORMAT[value_format]}
        if "contentMediaType" in keywords or "contentEncoding" in keywords:
            return {"type": "file"}
        kind = "string"
    return {"type": kind} | ({"format": value_format} if value_format is not None else {})


def _id_from_uri(uri: str) -> str | None:
    last = re.split(r"[/:#]", uri.rstrip("/#"))[-1]
    stem = re.sub(r"(\.schema)?\.(json|ya?ml)$", "", last)
    return stem or None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)

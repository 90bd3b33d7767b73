"""form-render (XRender) schemas: a JSON Schema whose nodes name their ``widget``.

form-render, the Alibaba XRender form library, renders a schema such as ``{type: object,
displayType: row, column: 2, properties: {...}}``. Each property names its ``widget``
(``input``, ``select``, ``radio``, ``checkboxes``, ``datePicker``, ``upload`` ...; form-render
1.x wrote ``ui:widget``), its ``props`` (``ui:options`` in 1.x: ``placeholder``, ``options``),
options as ``props.options`` of ``{label, value}`` or as ``enum`` + ``enumNames``, ``required``
(``true`` on the field, or a list on its object) and ``rules`` in antd's style.

* ``type: object`` with properties is a group (``card``, ``collapse`` ... widgets are layout of
  the same group); ``type: void`` is layout, a group when it has a title, transparent otherwise.
* ``type: array`` (or ``list``) with object ``items`` is a repeating group (``cardList``,
  ``simpleList``, ``tableList`` ...); an array of options (``checkboxes``, ``multiSelect``) one
  enum field with ``format: multi-select``.
* Display-only parts (``type: html``, ``lineTitle``, ``divider``) are listed in an ``info``
  note; ``hidden``/``disabled`` expressions (``"{{ formData.x }}"``) in a ``skipped-logic`` note.
"""

from __future__ import annotations

from typing import Any

from formmerge.ingest._documents import Document, join_pointer
from formmerge.ingest._fieldtree import (
    ARRAY_ITEM_KEY,
    MULTI_SELECT_FORMAT,
    FieldCollector,
    Group,
    join_text,
    regex_text,
    scalar_text,
    walk_mappings,
)
from formmerge.ingest._rules import FormatNames, apply_format, apply_rule, option_list
from formmerge.models import Form

__all__ = ["FORMATS", "WIDGET_TYPES", "form_from_document", "is_formrender"]

WIDGET_TYPES: dict[str, str] = {
    "input": "string", "textArea": "string", "textarea": "string", "password": "string",
    "urlInput": "string", "color": "string", "timePicker": "string", "dateRange": "string",
    "timeRange": "string", "inputNumber": "number", "number": "number", "slider": "number",
    "rate": "number", "switch": "boolean", "checkbox": "boolean", "datePicker": "date",
    "date": "date", "upload": "file",
}  # fmt: skip
"""The field type each widget stands for (options make any widget an enum)."""

MULTI_SELECT_WIDGETS = ("multiSelect", "checkboxes")
"""Widgets whose value is a list of the options chosen."""

DISPLAY_WIDGETS = ("html", "lineTitle", "line", "divider", "text")
"""Widgets that show text or lines and hold no answer."""

ROOT_MARKERS = ("displayType", "column", "labelWidth")
"""Top-level keywords only form-render schemas have."""

FORMATS = FormatNames(
    names={},
    types={"date": "date", "dateTime": "datetime", "upload": "file"},
    ignored=frozenset({"textarea"}),
)
"""How form-render's ``format`` names read."""

LOGIC_KEYWORDS = (
    "hidden", "disabled", "readOnly", "required", "ui:hidden", "ui:disabled", "ui:readonly",
)  # fmt: skip
"""Keywords that may hold an expression (``"{{ formData.a > 1 }}"``) instead of a value
(``ui:`` ones are form-render 1.x's)."""

_KEYWORD_ATTRIBUTES = {
    "maxLength": "max_length", "minLength": "min_length", "pattern": "pattern",
    "minimum": "minimum", "maximum": "maximum", "description": "description",
}  # fmt: skip
_SCHEMA_TYPES = {
    "string": "string", "number": "number", "integer": "integer", "boolean": "boolean",
    "range": "string", "array": "string", "list": "string", "object": "string",
}  # fmt: skip


def is_formrender(data: Any) -> bool:
    """True for a schema with form-render's top-level keywords or a node naming a widget."""
    if isinstance(data, dict) and any(marker in data for marker in ROOT_MARKERS):
        return True
    nodes = walk_mappings(data, ("properties", "items"))
    return any("widget" in node or "ui:widget" in node for node in nodes)


def form_from_document(document: Document, default_id: str | None = None) -> Form:
    """Build the form a form-render schema describes.

    Args:
        document: the parsed schema, with line numbers where known.
        default_id: the form id when ``x-formmerge`` gives none (usually the file stem).

    Raises:
        FormError: with one problem, located by JSON pointer and line, for each mistake.
    """
    return _FormRenderReader(document).read(default_id)


class _FormRenderReader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.out = FieldCollector(document)

    def read(self, default_id: str | None) -> Form:
        data = self.document.data
        if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
            message = "a form-render schema is an object schema whose properties are the fields"
            self.out.problem("unsupported-schema", message, "")
            return self.out.build({"id": default_id} if default_id else {})
        form = self.out.form_metadata(data, "", default_id)
        self._properties(data, "", [])
        return self.out.build(form)

    def _properties(
        self, node: dict[str, Any], at: str, groups: list[Group],
        required: frozenset[str] = frozenset(),
    ) -> None:  # fmt: skip
        properties = node.get("properties")
        if not isinstance(properties, dict):
            message = "properties must be a mapping of names to schemas"
            self.out.problem("invalid-value", message, join_pointer(at, "properties"))
            return
        listed = node.get("required")
        if isinstance(listed, list):
            required = required | {name for name in listed if isinstance(name, str)}
        for name, child in properties.items():
            self._node(name, child, join_pointer(at, "properties", name), groups, required)

    def _node(
        self, name: str, node: Any, at: str, groups: list[Group], required: frozenset[str]
    ) -> None:
        if not isinstance(node, dict):
            self.out.problem("invalid-value", f"property {name!r} must be a schema object", at)
            return
        for keyword in LOGIC_KEYWORDS:
            if isinstance(node.get(keyword), str) and "{{" in node[keyword]:
                message = f"the {keyword} expression of {name!r} is not read; {name!r} is"
                self.out.note("skipped-logic", message, join_pointer(at, keyword), "info")
        kind, widget = node.get("type"), _widget(node)
        if kind == "html" or widget in DISPLAY_WIDGETS:
            message = f"display part {name!r} ({widget or kind}) holds no answer; it is not a field"
            self.out.note("skipped-layout", message, at, "info")
        elif kind == "void":
            self._void(name, node, at, groups, required)
        elif kind == "object" and isinstance(node.get("properties"), dict):
            group = {"key": name, "label": _text(node.get("title"))}
            self._container(node, at, name, [*groups, group], None)
        elif kind in ("array", "list") and not self._holds_one_value(node, widget):
            self._array(name, node, at, groups, name in required)
        else:
            self._field(name, node, at, groups, name in required)

    def _void(
        self, name: str, node: dict[str, Any], at: str, groups: list[Group],
        required: frozenset[str],
    ) -> None:  # fmt: skip
        if node.get("properties") in (None, {}):
            message = f"layout part {name!r} holds no data; it is not a field"
            self.out.note("skipped-layout", message, at, "info")
            return
        title = _text(node.get("title"))
        inner = [*groups, {"key": name, "label": title}] if title.strip() else groups
        self._properties(node, at, inner, required)

    def _array(
        self, name: str, node: dict[str, Any], at: str, groups: list[Group], required: bool
    ) -> None:
        group = {"key": name, "label": _text(node.get("title")), "repeating": True}
        items, items_at = node.get("items"), join_pointer(at, "items")
        if isinstance(items, dict) and isinstance(items.get("properties"), dict):
            self._container(items, items_at, name, [*groups, group], node)
        elif isinstance(items, dict):
            label = str(group["label"])
            self._field(ARRAY_ITEM_KEY, items, items_at, [*groups, group], False, label)
        else:
            message = f"list {name!r} has no items schema; it is read as one field"
            self.out.note("unsupported-schema", message, at, "warning")
            self._field(name, node, at, groups, required)

    def _container(
        self, node: dict[str, Any], at: str, name: str, groups: list[Group], whole: Any
    ) -> None:
        """The fields of an object (or a list's items); an empty one is kept as one field."""
        before = len(self.out.fields)
        self._properties(node, at, groups)
        if len(self.out.fields) == before and not self.out.problems:
            message = f"{name!r} holds no fields; it is read as one field"
            self.out.note("unsupported-schema", message, at, "warning")
            self._field(name, whole if whole is not None else node, at, groups[:-1], False)

    def _holds_one_value(self, node: dict[str, Any], widget: str) -> bool:
        """True for a list that is one answer: chosen options or uploaded files."""
        items = node.get("items")
        return (
            widget in MULTI_SELECT_WIDGETS
            or WIDGET_TYPES.get(widget) == "file"
            or "enum" in node
            or "options" in _props(node)
            or (isinstance(items, dict) and "enum" in items)
        )

    def _field(
        self, name: str, node: dict[str, Any], at: str, groups: list[Group], required: bool,
        default_label: str = "",
    ) -> None:  # fmt: skip
        props, widget = _props(node), _widget(node)
        field: dict[str, Any] = {"key": name, "label": default_label.strip() or name}
        attrs: dict[str, str] = {}
        if isinstance(node.get("title"), str) and node["title"].strip():
            field["label"], attrs["label"] = node["title"], join_pointer(at, "title")
        if groups:
            field["group"] = [dict(g) for g in groups]
        options, options_at = self._options(node, at, props)
        field["type"] = self._type(node, at, widget, options is not None)
        if options is not None:
            field["options"], attrs["options"] = options, options_at
            multiple = props.get("mode") in ("multiple", "tags")
            if node.get("type") in ("array", "list") or widget in MULTI_SELECT_WIDGETS or multiple:
                field["format"] = MULTI_SELECT_FORMAT
        if required or node.get("required") is True:
            field["required"], attrs["required"] = True, join_pointer(at, "required")
        for keyword, attr in _KEYWORD_ATTRIBUTES.items():
            if keyword in node:
                value = node[keyword]
                is_pattern = attr == "pattern" and isinstance(value, str)
                field[attr] = regex_text(value) if is_pattern else value
                attrs[attr] = join_pointer(at, keyword)
        for key in ("min", "max"):
            if key in node:
                apply_rule(self.out, key, node[key], field, attrs, join_pointer(at, key), FORMATS)
        if isinstance(node.get("format"), str):
            apply_format(node["format"], field, attrs, join_pointer(at, "format"), FORMATS)
        self._rules(node.get("rules"), join_pointer(at, "rules"), field, attrs)
        placeholder = props.get("placeholder", node.get("placeholder"))
        if join_text(field.get("description"), node.get("tooltip"), placeholder):
            field["description"] = join_text(
                field.get("description"), node.get("tooltip"), placeholder
            )
        self.out.field_extension(node, at, field, attrs)
        self.out.add_field(field, at, attrs)

    def _type(self, node: dict[str, Any], at: str, widget: str, has_options: bool) -> str:
        """The field type: options make an enum; then the format, the widget, the type."""
        kind = node.get("type")
        if not isinstance(kind, str):
            kind = None if kind is None else repr(kind)
        if kind is not None and kind not in _SCHEMA_TYPES:
            message = f"type {kind!r} is not a form-render type (string, number, object ...)"
            self.out.problem("unknown-type", message, join_pointer(at, "type"))
        if has_options:
            return "enum"
        by_widget = WIDGET_TYPES.get(widget, "")
        if by_widget == "date" and (
            node.get("format") == "dateTime" or _props(node).get("showTime")
        ):
            return "datetime"
        if by_widget in ("file", "date") or kind == "boolean":
            return by_widget or "boolean"
        if kind == "integer":
            return "integer"
        return by_widget or _SCHEMA_TYPES.get(kind or "", "string")

    def _options(
        self, node: dict[str, Any], at: str, props: dict[str, Any]
    ) -> tuple[list[dict[str, str]] | None, str]:
        """The field's options, if it has any, and where they are written."""
        if "options" in props:
            pointer = join_pointer(at, "props" if "props" in node else "ui:options", "options")
            if not isinstance(props["options"], list):
                self.out.problem("invalid-options", "props.options must be a list", pointer)
                return None, pointer
            return option_list(self.out, props["options"], pointer), pointer
        items = node.get("items")
        source, base = (items, join_pointer(at, "items")) if "enum" not in node else (node, at)
        at_enum = join_pointer(base, "enum")
        if not isinstance(source, dict) or "enum" not in source:
            return None, at_enum
        values, names = source["enum"], source.get("enumNames")
        if not isinstance(values, list):
            self.out.problem("invalid-options", "enum must be a list", at_enum)
            return None, at_enum
        if names is not None and (not isinstance(names, list) or len(names) != len(values)):
            message = "enumNames must be a list with one label for each enum value"
            self.out.problem("invalid-options", message, join_pointer(base, "enumNames"))
            return None, at_enum
        labels = names if names is not None else values
        options, bad = [], 0
        for index, (value, label) in enumerate(zip(values, labels, strict=True)):
            if isinstance(value, dict | list) or isinstance(label, dict | list):
                message = "an enum value and its enumNames label are plain values"
                self.out.problem("invalid-options", message, join_pointer(at_enum, index))
                bad += 1
            elif value is not None:  # a null choice is "no answer", not an option
                options.append({"code": scalar_text(value), "label": scalar_text(label)})
        return (None if bad and not options else options), at_enum

    def _rules(self, rules: Any, at: str, field: dict[str, Any], attrs: dict[str, str]) -> None:
        if rules is None:
            return
        if not isinstance(rules, list):
            self.out.problem("invalid-value", "rules must be a list of rule objects", at)
            return
        for index, rule in enumerate(rules):
            pointer = join_pointer(at, index)
            if not isinstance(rule, dict):
                message = "a rule is a mapping such as {required: true} or {pattern: ...}"
                self.out.problem("invalid-value", message, pointer)
                continue
            for key, value in rule.items():
                at_key = join_pointer(pointer, key)
                if key == "type" and value in ("email", "url"):
                    apply_format(value, field, attrs, at_key, FORMATS)
                elif key != "type" or value != "string":
                    apply_rule(self.out, key, value, field, attrs, at_key, FORMATS)


def _widget(node: dict[str, Any]) -> str:
    widget = node.get("widget", node.get("ui:widget"))
    return widget if isinstance(widget, str) else ""


def _props(node: dict[str, Any]) -> dict[str, Any]:
    props = node.get("props", node.get("ui:options"))
    return props if isinstance(props, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""

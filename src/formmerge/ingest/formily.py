"""Formily schemas (the JSON that ``@formily/react`` renders and Designable writes).

A Formily schema is a JSON Schema extended with ``x-`` keywords: ``x-component`` names the
input widget, ``x-decorator`` its wrapper (``FormItem``, whose label is the ``title``),
``x-validator`` the rules, ``x-component-props`` the widget's settings and ``x-reactions`` the
linkage between fields. The document is the schema itself or Designable's ``{form, schema}``.

* ``type: void`` nodes are layout (``FormLayout``, ``FormGrid``, ``Card``, ``FormTab``,
  ``FormCollapse`` ...): one with a title (``title``, or ``title``/``tab``/``header`` in its
  props) becomes a group keyed by its name; one without is transparent. An ``ArrayTable.Column``
  lends its title to the field inside. Void nodes without children (buttons, an index column)
  hold no data and are listed in an ``info`` note.
* ``type: object`` with properties is a group; ``type: array`` (``ArrayItems``, ``ArrayTable``,
  ``ArrayCards``) a repeating group of its ``items``; an array of options (``Checkbox.Group``,
  a multiple ``Select``) one enum field with ``format: multi-select``.
* ``enum`` lists ``{label, value}`` or plain values; ``required`` is ``true`` on the field (or a
  list on its object); ``x-validator`` is a format name, a rule or a list of rules
  (``required``, ``format``, ``pattern``, ``min``/``max``, ``len`` ...).
* a top-level ``x-formmerge`` object holds the form metadata (department, matter, process,
  materials ...); one on a field node sets :class:`~formmerge.models.Field` attributes directly.
* Formily 1.x's ``x-rules`` and ``x-props`` stand for ``x-validator`` and
  ``x-component-props``, and its UI ``type`` names (``date``, ``textarea``) for components.
* ``x-reactions`` is kept as an ``info`` note on the field; a rule with no field attribute to
  hold it (a custom ``validator`` function) as a ``warning`` note.
"""

from __future__ import annotations

import math
from typing import Any

from formmerge.ingest._documents import Document, join_pointer
from formmerge.ingest._fieldtree import (
    ARRAY_ITEM_KEY,
    EXTENSION_KEYWORD,
    MULTI_SELECT_FORMAT,
    FieldCollector,
    Group,
    is_number,
    join_text,
    regex_text,
    walk_mappings,
)
from formmerge.ingest._rules import FormatNames, apply_format, apply_rule, option_list
from formmerge.models import Form

__all__ = ["COMPONENT_TYPES", "FORMATS", "form_from_document", "is_formily"]

COMPONENT_TYPES: dict[str, str] = {
    "input": "string", "input.textarea": "string", "password": "string", "text": "string",
    "textarea": "string", "numberpicker": "number", "inputnumber": "number", "number": "number",
    "rating": "number", "range": "number", "switch": "boolean", "checkbox": "boolean",
    "datepicker": "date", "date": "date", "datepicker.rangepicker": "string",
    "daterange": "string", "timepicker": "string", "time": "string", "year": "string",
    "month": "string", "week": "string", "upload": "file", "upload.dragger": "file",
    "select": "", "radio": "", "radio.group": "", "checkbox.group": "", "cascader": "",
    "treeselect": "", "transfer": "",
}  # fmt: skip
"""The field type each input component stands for, by lower-case name; options make any of
them an enum, and choice components without options ("") keep the schema's type. Formily 1.x
names (``date``, ``textarea``, ``radio`` ...) are here too: 1.x also wrote them as the
``type``."""

MULTI_SELECT_COMPONENTS = ("checkbox.group", "transfer", "checkbox")
"""Components whose value, given options, is a list of the options chosen."""

LEGACY_KEYWORDS = {"x-validator": "x-rules", "x-component-props": "x-props"}
"""Formily 2 keywords and the Formily 1.x keywords read in their place."""

FORMATS = FormatNames(
    names={"phone": "mobile", "idcard": "citizen-id", "zip": "postal-code"},
    types={"date": "date", "integer": "integer", "number": "number"},
)
"""How Formily's format names (``x-validator`` formats, ``format``) read."""

CONTAINER_TITLE_PROPS = ("title", "tab", "header", "label")
"""Props of a layout component that hold its title, in the order they are looked at."""

_KEYWORD_ATTRIBUTES = {
    "maxLength": "max_length", "minLength": "min_length", "pattern": "pattern",
    "minimum": "minimum", "maximum": "maximum", "description": "description",
}  # fmt: skip
_SCHEMA_TYPES = {
    "string": "string", "number": "number", "integer": "integer", "boolean": "boolean",
    "array": "string", "object": "string",
}  # fmt: skip


def is_formily(data: Any) -> bool:
    """True if any schema node of ``data`` has an ``x-component`` or ``x-decorator``."""
    root = data.get("schema") if isinstance(data, dict) and "schema" in data else data
    markers = ("x-component", "x-decorator", *LEGACY_KEYWORDS.values())
    nodes = walk_mappings(root, ("properties", "items"))
    return any(any(marker in node for marker in markers) for node in nodes)


def form_from_document(document: Document, default_id: str | None = None) -> Form:
    """Build the form a Formily schema describes.

    Args:
        document: the parsed schema (or ``{form, schema}``), with line numbers where known.
        default_id: the form id when ``x-formmerge`` gives none (usually the file stem).

    Raises:
        FormError: with one problem, located by JSON pointer and line, for each mistake.
    """
    return _FormilyReader(document).read(default_id)


class _FormilyReader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.out = FieldCollector(document)

    def read(self, default_id: str | None) -> Form:
        data, at = self.document.data, ""
        wrapper: dict[str, Any] = {}
        if isinstance(data, dict) and isinstance(data.get("schema"), dict):
            wrapper, data, at = data, data["schema"], "/schema"
        if not isinstance(data, dict) or not isinstance(data.get("properties"), dict):
            message = "a Formily schema is an object schema whose properties are the form's fields"
            self.out.problem("unsupported-schema", message, at)
            return self.out.build({"id": default_id} if default_id else {})
        form = self.out.form_metadata(data, at, default_id)
        if EXTENSION_KEYWORD in wrapper:  # metadata beside the schema, as Designable keeps it
            form |= self.out.form_metadata(wrapper, "", None)
            self.out.form_id = form["id"] if isinstance(form.get("id"), str) else None
        self._properties(data, at, [], None)
        return self.out.build(form)

    def _properties(
        self, node: dict[str, Any], at: str, groups: list[Group], column: Any,
        required: frozenset[str] = frozenset(),
    ) -> None:  # fmt: skip
        """Read the properties of ``node``; ``required`` are names a data object above requires
        (layout nodes between an object and its fields are not part of the data)."""
        properties = node.get("properties")
        if not isinstance(properties, dict):
            message = "properties must be a mapping of names to schemas"
            self.out.problem("invalid-value", message, join_pointer(at, "properties"))
            return
        listed = node.get("required")
        if isinstance(listed, list):
            required = required | {name for name in listed if isinstance(name, str)}
        for name, child in _in_order(properties):
            pointer = join_pointer(at, "properties", name)
            self._node(name, child, pointer, groups, required, column)

    def _node(
        self, name: str, node: Any, at: str, groups: list[Group], required: frozenset[str],
        column: Any,
    ) -> None:  # fmt: skip
        if not isinstance(node, dict):
            self.out.problem("invalid-value", f"property {name!r} must be a schema object", at)
            return
        if "x-reactions" in node:
            message = f"the linkage rules (x-reactions) of {name!r} are not read; {name!r} is"
            self.out.note("skipped-logic", message, join_pointer(at, "x-reactions"), "info")
        kind, component = node.get("type"), _component(node)
        if kind == "void":
            self._void(name, node, at, groups, component, column, required)
        elif kind == "object" and isinstance(node.get("properties"), dict):
            group = {"key": name, "label": _text(node.get("title"))}
            self._container(node, at, name, [*groups, group], None)
        elif kind == "array" and not self._holds_one_value(node, component):
            self._array(name, node, at, groups, name in required)
            if isinstance(node.get("properties"), dict):  # the list's own buttons (Addition)
                self._properties(node, at, groups, column)
        else:
            self._field(name, node, at, groups, name in required, column)

    def _void(
        self, name: str, node: dict[str, Any], at: str, groups: list[Group], component: str,
        column: Any, required: frozenset[str],
    ) -> None:  # fmt: skip
        if node.get("properties") in (None, {}):
            what = f"{name!r} ({component})" if component else repr(name)
            message = f"layout part {what} holds no data; it is not a field"
            self.out.note("skipped-layout", message, at, "info")
            return
        title = _container_title(node)
        if component.endswith(".column"):  # a table column: its title labels the field in it
            self._properties(node, at, groups, title or column, required)
        elif title:
            inner = [*groups, {"key": name, "label": title}]
            self._properties(node, at, inner, column, required)
        else:
            self._properties(node, at, groups, column, required)

    def _array(
        self, name: str, node: dict[str, Any], at: str, groups: list[Group], required: bool
    ) -> None:
        group = {"key": name, "label": _text(node.get("title")), "repeating": True}
        for keyword in ("minItems", "maxItems"):
            if keyword in node:
                message = f"{keyword} of list {name!r} has no field attribute to hold it; not read"
                self.out.note("unread-rule", message, join_pointer(at, keyword), "warning")
        items, items_at = node.get("items"), join_pointer(at, "items")
        if isinstance(items, dict) and isinstance(items.get("properties"), dict):
            self._container(items, items_at, name, [*groups, group], node)
        elif isinstance(items, dict):
            inner = [*groups, group]
            self._node(ARRAY_ITEM_KEY, items, items_at, inner, frozenset(), group["label"])
        else:
            message = f"list {name!r} has no items schema; it is read as one field"
            self.out.note("unsupported-schema", message, at, "warning")
            self._field(name, node, at, groups, required, None)

    def _container(
        self, node: dict[str, Any], at: str, name: str, groups: list[Group], whole: Any
    ) -> None:
        """The fields of an object (or a list's items); an empty one is kept as one field."""
        if "x-reactions" in node and whole is not None:
            message = f"the linkage rules (x-reactions) of {name!r} are not read"
            self.out.note("skipped-logic", message, join_pointer(at, "x-reactions"), "info")
        before = len(self.out.fields)
        self._properties(node, at, groups, None)
        if len(self.out.fields) == before and not self.out.problems:
            message = f"{name!r} holds no fields; it is read as one field"
            self.out.note("unsupported-schema", message, at, "warning")
            self._field(name, whole if whole is not None else node, at, groups[:-1], False, None)

    def _holds_one_value(self, node: dict[str, Any], component: str) -> bool:
        """True for a list that is one answer: chosen options or uploaded files."""
        items = node.get("items")
        return (
            component in MULTI_SELECT_COMPONENTS
            or COMPONENT_TYPES.get(component) == "file"
            or "enum" in node
            or (isinstance(items, dict) and "enum" in items)
        )

    def _field(
        self, name: str, node: dict[str, Any], at: str, groups: list[Group], required: bool,
        column: Any,
    ) -> None:  # fmt: skip
        attrs: dict[str, str] = {}
        field: dict[str, Any] = {"key": name, "label": name}
        decorator = _props(node, "x-decorator-props")
        widget = _props(node, "x-component-props")
        component = _component(node)
        for label, pointer in (
            (node.get("title"), "title"),
            (decorator.get("label"), "x-decorator-props/label"),
            (column, None),
        ):
            if isinstance(label, str) and label.strip():
                field["label"] = label
                attrs["label"] = f"{at}/{pointer}" if pointer else at
                break
        if groups:
            field["group"] = [dict(g) for g in groups]
        options, options_at = self._options(node, at, widget)
        field["type"] = self._type(node, at, widget, options is not None)
        if options is not None:
            field["options"] = options
            attrs["options"] = options_at
            multiple = widget.get("mode") in ("multiple", "tags")
            if node.get("type") == "array" or multiple or component in MULTI_SELECT_COMPONENTS:
                field["format"] = MULTI_SELECT_FORMAT
        if required or node.get("required") is True:
            field["required"] = True
            attrs["required"] = join_pointer(at, "required")
        for keyword, attr in _KEYWORD_ATTRIBUTES.items():
            if keyword in node:
                value = node[keyword]
                field[attr] = (
                    regex_text(value) if attr == "pattern" and isinstance(value, str) else value
                )
                attrs[attr] = join_pointer(at, keyword)
        if isinstance(node.get("format"), str):
            apply_format(node["format"], field, attrs, join_pointer(at, "format"), FORMATS)
        rules = "x-validator" if "x-validator" in node else LEGACY_KEYWORDS["x-validator"]
        self._validators(node.get(rules), join_pointer(at, rules), field, attrs)
        hints = (field.get("description"), decorator.get("tooltip"), widget.get("placeholder"))
        if join_text(*hints):
            field["description"] = join_text(*hints)
        self.out.field_extension(node, at, field, attrs)
        self.out.add_field(field, at, attrs)

    def _type(
        self, node: dict[str, Any], at: str, widget: dict[str, Any], has_options: bool
    ) -> str:
        """The field type: options make an enum; then the component; then the schema type."""
        component, kind = _component(node), node.get("type")
        if not isinstance(kind, str):
            kind = None if kind is None else repr(kind)
        if kind is not None and kind not in _SCHEMA_TYPES and kind.lower() not in COMPONENT_TYPES:
            message = f"type {kind!r} is not a Formily schema type (string, number, boolean ...)"
            self.out.problem("unknown-type", message, join_pointer(at, "type"))
        if has_options:
            return "enum"
        by_component = COMPONENT_TYPES.get(component, "")
        if by_component == "date" and widget.get("showTime"):
            return "datetime"
        if by_component in ("file", "date") or kind == "boolean":
            return by_component or "boolean"
        if kind == "integer" or (by_component == "number" and widget.get("precision") == 0):
            return "integer"
        return by_component or _SCHEMA_TYPES.get(kind or "", "string")

    def _options(
        self, node: dict[str, Any], at: str, widget: dict[str, Any]
    ) -> tuple[list[dict[str, str]] | None, str]:
        """The field's options, if it has any, and where they are written."""
        items = node.get("items")
        item_enum = items.get("enum") if isinstance(items, dict) else None
        for value, pointer in (
            (node.get("enum"), join_pointer(at, "enum")),
            (item_enum, join_pointer(at, "items", "enum")),
            (widget.get("options"), join_pointer(at, _props_keyword(node), "options")),
        ):  # fmt: skip
            if value is None:
                continue
            if not isinstance(value, list):
                self.out.problem("invalid-options", "enum must be a list of options", pointer)
                return None, pointer
            return option_list(self.out, value, pointer, ("label", "title")), pointer
        return None, at

    def _validators(
        self, rules: Any, at: str, field: dict[str, Any], attrs: dict[str, str]
    ) -> None:
        if rules is None:
            return
        listed = rules if isinstance(rules, list) else [rules]
        for index, rule in enumerate(listed):
            pointer = join_pointer(at, index) if isinstance(rules, list) else at
            if rule == "required":  # the one rule name that is not a format
                field["required"], attrs["required"] = True, pointer
            elif isinstance(rule, str):
                apply_format(rule, field, attrs, pointer, FORMATS)
            elif isinstance(rule, dict):
                for key, value in rule.items():
                    at_key = join_pointer(pointer, key)
                    apply_rule(self.out, key, value, field, attrs, at_key, FORMATS)
            else:
                message = "an x-validator rule is a format name or a mapping ({required: true})"
                self.out.problem("invalid-value", message, pointer)


def _in_order(properties: dict[str, Any]) -> list[tuple[str, Any]]:
    """Properties in ``x-index`` order (the designer's), else in the order written."""

    def index(entry: tuple[int, tuple[str, Any]]) -> tuple[float, int]:
        position, (_, node) = entry
        value = node.get("x-index") if isinstance(node, dict) else None
        return (float(value) if is_number(value) else math.inf), position

    return [entry for _, entry in sorted(enumerate(properties.items()), key=index)]


def _container_title(node: dict[str, Any]) -> str:
    props = _props(node, "x-component-props")
    for value in (node.get("title"), *(props.get(p) for p in CONTAINER_TITLE_PROPS)):
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _component(node: dict[str, Any]) -> str:
    """The lower-case component name: ``x-component``, or a Formily 1.x UI ``type``."""
    component, kind = node.get("x-component"), node.get("type")
    if isinstance(component, str):
        return component.lower()
    if isinstance(kind, str) and kind.lower() in COMPONENT_TYPES:
        return kind.lower()
    return ""


def _props(node: dict[str, Any], keyword: str) -> dict[str, Any]:
    if keyword == "x-component-props":
        keyword = _props_keyword(node)
    value = node.get(keyword)
    return value if isinstance(value, dict) else {}


def _props_keyword(node: dict[str, Any]) -> str:
    legacy = LEGACY_KEYWORDS["x-component-props"]
    return legacy if legacy in node and "x-component-props" not in node else "x-component-props"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""

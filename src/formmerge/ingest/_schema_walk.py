"""Walking a JSON Schema's object tree into fields.

The properties of each object are gathered with those of its branches
(:mod:`._schema_collect`); each property then becomes a field, a group (an object) or a
repeating group (an array of objects), built from every definition of it. A property that
several branches define is one field: its attributes come from the unconditional definition
(else the first), its options are the union of theirs when every definition lists values. A
field that is not asked in every case says in which ones on the last line of its description
(``Only when: country = CAN; or country = MEX``); it is required only when it is required in
every case it can be asked in.
"""

from __future__ import annotations

from typing import Any

from formmerge.ingest._schema_cases import Properties, Scope, Variant, describe, fold
from formmerge.ingest._schema_collect import UI_ONLY_PREFIX, PropertyCollector
from formmerge.ingest._schema_fields import field_attributes, options_of, union_options
from formmerge.ingest._schema_findings import Findings
from formmerge.ingest._schema_keywords import note_keywords
from formmerge.ingest._schema_kinds import SchemaKinds
from formmerge.ingest._schema_refs import SchemaAt, SchemaNode, SchemaResolver
from formmerge.settings import MAX_SCHEMA_DEPTH, MAX_SCHEMA_FIELDS

__all__ = [
    "ARRAY_ITEM_KEY",
    "MULTI_SELECT_FORMAT",
    "ROOT_VALUE_KEY",
    "UI_ONLY_PREFIX",
    "WHEN_PREFIX",
    "SchemaWalker",
]

MULTI_SELECT_FORMAT = "multi-select"
"""``Field.format`` of an enum field read from an array of enumerated values."""

ARRAY_ITEM_KEY = "item"
"""Key of the one field inside the repeating group read from an array of plain values."""

ROOT_VALUE_KEY = "value"
"""Key of the one field read from a schema whose top level is a single value, not an object."""

WHEN_PREFIX = "Only when: "
"""Starts the line of a field's description naming the cases it is asked in."""

_Scalar = tuple[Variant, SchemaNode, str]
"""A definition of a field, its merged schema and its kind (a scalar type or multi-select)."""


class SchemaWalker:
    """Reads the fields of a schema's object tree.

    Args:
        resolver: resolves the document's references.
        findings: where problems and notes go.
    """

    def __init__(self, resolver: SchemaResolver, findings: Findings) -> None:
        self.resolver = resolver
        self.findings = findings
        self.kinds = SchemaKinds(resolver, findings)
        self.collector = PropertyCollector(resolver, self.kinds, findings)
        self.fields: list[dict[str, Any]] = []
        """The fields read, in the plain-data shape of :class:`~formmerge.models.Field`."""
        self.field_at: list[tuple[str, dict[str, str]]] = []
        """For each field, its pointer and the pointer each attribute came from."""
        self._too_large = False

    def read_root(self, root: SchemaNode) -> None:
        """Read the fields of the top-level object (or the one value a scalar schema asks)."""
        properties: Properties = {}
        if self.kinds.kind(root, "") not in (None, "object"):
            message = (
                f"the top level is a single value, not an object; read as one field "
                f"{ROOT_VALUE_KEY!r}"
            )
            self.findings.note("lenient-type", message, "")
            properties[ROOT_VALUE_KEY] = [Variant((self.resolver.root,), (), True, ())]
        else:
            self.collector.collect(root, Scope(properties))
        if not properties:
            message = "the top level must be an object schema with properties (the form's fields)"
            self.findings.problem("unsupported-schema", message, "")
        self._emit(properties, [], 0)

    def _emit(self, properties: Properties, groups: list[dict[str, Any]], depth: int) -> None:
        if self._too_large:
            return
        if depth > MAX_SCHEMA_DEPTH and properties:
            pointer = next(iter(properties.values()))[0].pointer
            message = f"objects nest deeper than {MAX_SCHEMA_DEPTH} levels"
            self.findings.problem("schema-too-large", message, pointer)
            return
        for name, variants in properties.items():
            self._property(name, variants, groups, depth)

    def _property(
        self, name: str, variants: list[Variant], groups: list[dict[str, Any]], depth: int
    ) -> None:
        objects: Properties = {}
        items: Properties = {}
        scalars: list[_Scalar] = []
        title: Any = None
        for variant in variants:
            node = self.resolver.resolve(variant.schemas, variant.refs)
            if node is None:
                continue
            title = title if isinstance(title, str) else node.keywords.get("title")
            kind = self.kinds.kind(node, variant.pointer)
            if kind == "object":
                self._object_variant(node, variant, objects)
            elif kind == "array":
                self._array_variant(node, variant, items, scalars)
            elif kind is not None:
                scalars.append((variant, node, kind))
        group: dict[str, Any] = {"key": name} | ({"label": title} if isinstance(title, str) else {})
        if objects and items:  # one group cannot both repeat and not
            message = f"{name} is a list in some cases and one object in others; read as a list"
            self.findings.note("lenient-type", message, variants[0].pointer)
            for key, found in objects.items():
                items.setdefault(key, []).extend(found)
            objects = {}
        if scalars:
            self._field(name, scalars, groups)
        if objects:
            self._emit(objects, [*groups, group], depth + 1)
        if items:
            self._emit(items, [*groups, {**group, "repeating": True}], depth + 1)

    def _object_variant(self, node: SchemaNode, variant: Variant, objects: Properties) -> None:
        before = sum(len(v) for v in objects.values())
        self.collector.collect(node, Scope(objects, variant.conditions))
        if sum(len(v) for v in objects.values()) == before:
            message = "an object without properties has no fields; left out"
            self.findings.note("empty-object", message, variant.pointer)

    def _array_variant(
        self, node: SchemaNode, variant: Variant, items: Properties, scalars: list[_Scalar]
    ) -> None:
        note_keywords(node, self.findings)
        raw = node.keywords.get("items")
        where = node.pointer("items", variant.pointer)
        if isinstance(raw, list):
            message = "an array of positional items (a tuple) has no field equivalent; left out"
            self.findings.note("ignored-keyword", message, where)
            return
        if raw is None:
            message = "an array without items is read as a list of text"
            self.findings.note("lenient-type", message, variant.pointer)
            schema = SchemaAt({}, variant.pointer, variant.schemas[0].resolver)
        else:
            schema = node.sub("items", raw)
        item = self.resolver.resolve([schema], variant.refs)
        if item is None:
            return
        if self._options(item, where) is not None:
            scalars.append((variant, node, MULTI_SELECT_FORMAT))
        elif (kind := self.kinds.kind(item, where)) == "object":
            self._object_variant(item, variant, items)
        elif kind is not None:
            title = node.keywords.get("title")
            label = title if isinstance(title, str) else None
            item_variant = Variant((schema,), variant.conditions, False, variant.refs, label)
            items.setdefault(ARRAY_ITEM_KEY, []).append(item_variant)

    def _field(self, name: str, scalars: list[_Scalar], groups: list[dict[str, Any]]) -> None:
        if len(self.fields) >= MAX_SCHEMA_FIELDS:
            if not self._too_large:
                message = f"the schema holds more than {MAX_SCHEMA_FIELDS} fields"
                self.findings.problem("schema-too-large", message, scalars[0][0].pointer)
            self._too_large = True
            return
        variant, node, kind = next((s for s in scalars if not s[0].conditions), scalars[0])
        multi = kind == MULTI_SELECT_FORMAT
        data, at = field_attributes(
            name, node, variant.pointer, "string" if multi else kind, self.findings
        )
        if variant.title is not None and "title" not in node.keywords:
            data["label"] = variant.title
        self._field_options(scalars, multi, data, at, variant.pointer)
        cases, required = fold([(v.conditions, v.required) for v, _, _ in scalars])
        if required:
            data["required"], at["required"] = True, variant.pointer
        if cases:
            when = WHEN_PREFIX + "; or ".join(describe(c) for c in cases)
            described = data.get("description")
            data["description"] = f"{described}\n{when}" if isinstance(described, str) else when
        if groups:
            data["group"] = [dict(g) for g in groups]
        self.fields.append(data)
        self.field_at.append((variant.pointer, at))
        note_keywords(node, self.findings)

    def _field_options(
        self,
        scalars: list[_Scalar],
        multi: bool,
        data: dict[str, Any],
        at: dict[str, str],
        pointer: str,
    ) -> None:
        """Make the field an enum when every definition lists its values."""
        listed = []
        for variant, node, kind in scalars:
            options = self._definition_options(node, variant.pointer, kind)
            for part in node.collected("oneOf", "anyOf") if options is None else []:
                message = (
                    f"the alternatives of {part.keyword} are read as one {kind} field; "
                    "what each alternative allows is not checked"
                )
                self.findings.note("lenient-type", message, part.pointer)
            listed.append(options)
        if any(options is None for options in listed):
            return
        options = union_options([o for o in listed if o is not None])
        if not options:
            message = "the listed values hold no usable option; read as text"
            self.findings.note("unusable-value", message, pointer)
            return
        data["type"], data["options"] = "enum", options
        at["type"] = at["options"] = pointer
        data.pop("format", None)
        if multi:
            data["format"] = MULTI_SELECT_FORMAT

    def _definition_options(
        self, node: SchemaNode, pointer: str, kind: str
    ) -> list[dict[str, str]] | None:
        if kind != MULTI_SELECT_FORMAT:
            return self._options(node, pointer)
        raw = node.keywords.get("items")
        item = self.resolver.resolve([node.sub("items", raw)], node.refs)
        return None if item is None else self._options(item, node.pointer("items", pointer))

    def _options(self, node: SchemaNode, pointer: str) -> list[dict[str, str]] | None:
        return options_of(node, pointer, self.findings, self.kinds.choice)

"""Walking a JSON Schema's objects into fields: alternatives, conditionals and UI wrappers.

An object's fields are the union of every property it may have: its own ``properties``, those
of each ``oneOf``/``anyOf`` alternative, of ``then`` and ``else``, of each ``dependentSchemas``
(or schema-valued ``dependencies``) entry, and those of ``view:`` objects, which are made
transparent. A property that several of these define is one field. A field that only some
branches define says so in its description (``Only when: country = CAN; or country = MEX``);
it is required only when required in every case it can be asked in.

Nothing is dropped without a word: parts with no field equivalent (``patternProperties``, a
rule such as ``not``) and everything read leniently give a located note.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from formmerge.ingest._documents import join_pointer
from formmerge.ingest._schema_fields import code_text, field_attributes, options_of
from formmerge.ingest._schema_findings import Findings
from formmerge.ingest._schema_keywords import note_keywords
from formmerge.ingest._schema_refs import Part, SchemaAt, SchemaNode, SchemaResolver
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

UI_ONLY_PREFIX = "view:"
"""Property names with this prefix are UI-only: never part of the submitted data."""

ROOT_VALUE_KEY = "value"
"""Key of the one field read from a schema whose top level is a single value, not an object."""

WHEN_PREFIX = "Only when: "
"""Starts the line of a field's description naming the branches it is asked in."""

_SCALARS = ("string", "integer", "number", "boolean")
_JSON_TYPES = (*_SCALARS, "object", "array", "null")
_NUMBERS = frozenset({"integer", "number"})


@dataclass(frozen=True)
class _Condition:
    label: str
    group: str | None = None
    """The pointer of the oneOf/anyOf this is an alternative of (None for other conditions)."""
    index: int = 0
    count: int = 0


@dataclass(frozen=True)
class _Variant:
    schemas: tuple[SchemaAt, ...]
    conditions: tuple[_Condition, ...]
    required: bool
    refs: tuple[str, ...]
    title: str | None = None
    """A label for a field that has no title of its own (an array's title, for its items)."""

    @property
    def pointer(self) -> str:
        return self.schemas[0].pointer


_Properties = dict[str, list[_Variant]]


class SchemaWalker:
    """Reads the fields of a schema's object tree.

    Args:
        resolver: resolves the document's references.
        findings: where problems and notes go.
    """

    def __init__(self, resolver: SchemaResolver, findings: Findings) -> None:
        self.resolver = resolver
        self.findings = findings
        self.fields: list[dict[str, Any]] = []
        self.field_at: list[tuple[str, dict[str, str]]] = []
        self._too_large = False

    def read_root(self, root: SchemaNode) -> None:
        """Read the fields of the top-level object (or the one value a scalar schema asks)."""
        properties: _Properties = {}
        kind = self._kind(root, "")
        if kind not in (None, "object"):
            message = (
                "the top level is a single value, not an object; "
                f"read as one field {ROOT_VALUE_KEY!r}"
            )
            self.findings.note("lenient-type", message, "")
            properties[ROOT_VALUE_KEY] = [_Variant((self.resolver.root,), (), True, ())]
        else:
            self._collect(root, (), properties)
        if not properties:
            message = "the top level must be an object schema with properties (the form's fields)"
            self.findings.problem("unsupported-schema", message, "")
        self._emit(properties, [], 0)

    # ----------------------------------------------------------------- collecting properties

    def _collect(
        self,
        node: SchemaNode,
        conditions: tuple[_Condition, ...],
        into: _Properties,
        required_above: frozenset[str] = frozenset(),
    ) -> None:
        """Gather the properties of ``node`` and of its branches into ``into``.

        ``required_above`` are the names the enclosing object requires whichever branch holds.
        """
        note_keywords(node, self.findings)
        required = required_above | {n for n, _ in node.required if isinstance(n, str)}
        for name, schemas in node.properties.items():
            if name.startswith(UI_ONLY_PREFIX):
                self._ui_only(name, schemas, node.refs, conditions, into)
                continue
            variant = _Variant(tuple(schemas), conditions, name in required, node.refs)
            into.setdefault(name, []).append(variant)
        for part in node.collected("oneOf", "anyOf"):
            self._alternatives(part, node, conditions, into, required)
        self._conditionals(node, conditions, into, required)
        self._unnamed(node)
        if conditions and node.required:
            names = ", ".join(str(n) for n, _ in node.required)
            message = f"{names} required only when {_when(conditions)}; read as optional"
            self.findings.note("conditional-required", message, node.required[0][1])
        for name, pointer in node.required:
            if not isinstance(name, str) or (
                name not in into and not name.startswith(UI_ONLY_PREFIX)
            ):
                message = f"required names {name!r}, which is not a property of this object"
                self.findings.note("unknown-required", message, pointer)

    def _ui_only(
        self,
        name: str,
        schemas: list[SchemaAt],
        refs: tuple[str, ...],
        conditions: tuple[_Condition, ...],
        into: _Properties,
    ) -> None:
        node = self.resolver.resolve(schemas, refs)
        if node is None:
            return
        pointer = schemas[0].pointer
        if self._is_object(node) and node.properties:
            message = f"{name} is a UI-only wrapper; its properties are read as this object's"
            self.findings.note("ui-only", message, pointer, "info")
            self._collect(node, conditions, into)
        else:
            message = f"{name} is UI-only (not part of the submitted data); left out"
            self.findings.note("ui-only", message, pointer, "info")

    def _alternatives(
        self,
        part: Part,
        node: SchemaNode,
        conditions: tuple[_Condition, ...],
        into: _Properties,
        required: frozenset[str],
    ) -> None:
        if not isinstance(part.value, list):
            self.findings.problem("invalid-value", f"{part.keyword} must be a list", part.pointer)
            return
        count = len(part.value)
        for index, raw in enumerate(part.value):
            alternative = self.resolver.resolve([part.sub(raw, index)], node.refs)
            if alternative is None:
                continue
            label = _alternative_label(alternative, part.keyword, index, count)
            condition = _Condition(label, part.pointer, index, count)
            self._collect(alternative, (*conditions, condition), into, required)
        message = (
            f"the {count} alternatives of {part.keyword} are read as one object holding the "
            "fields of all of them, each marked with the alternatives it belongs to"
        )
        self.findings.note("conditional-fields", message, part.pointer)

    def _conditionals(
        self,
        node: SchemaNode,
        conditions: tuple[_Condition, ...],
        into: _Properties,
        required: frozenset[str],
    ) -> None:
        branches: dict[str, dict[str, Part]] = {}
        for part in node.collected("if", "then", "else"):
            branches.setdefault(part.at.pointer, {})[part.keyword] = part
        for keywords in branches.values():
            test = keywords.get("if")
            for keyword in ("then", "else"):
                if keyword not in keywords:
                    continue
                part = keywords[keyword]
                if test is None:
                    message = f"{keyword} without if has no effect; left out"
                    self.findings.note("ignored-keyword", message, part.pointer)
                    continue
                label = _test_label(test)
                label = label if keyword == "then" else f"not ({label})"
                self._branch(part.sub(part.value), label, node, (conditions, into, required))
        for part in node.collected("dependentSchemas", "dependencies", "dependentRequired"):
            if not isinstance(part.value, dict):
                self.findings.problem(
                    "invalid-value", f"{part.keyword} must be an object", part.pointer
                )
                continue
            for name, value in part.value.items():
                if isinstance(value, list) or part.keyword == "dependentRequired":
                    names = ", ".join(str(v) for v in value) if isinstance(value, list) else value
                    message = f"{names} required only when {name} is given; read as optional"
                    self.findings.note(
                        "conditional-required", message, join_pointer(part.pointer, name)
                    )
                else:
                    where = (conditions, into, required)
                    self._branch(part.sub(value, name), f"{name} is given", node, where)

    def _branch(
        self,
        schema: SchemaAt,
        label: str,
        node: SchemaNode,
        where: tuple[tuple[_Condition, ...], _Properties, frozenset[str]],
    ) -> None:
        conditions, into, required = where
        branch = self.resolver.resolve([schema], node.refs)
        if branch is None:
            return
        message = f"fields here are asked only when {label}; read as optional fields"
        self.findings.note("conditional-fields", message, schema.pointer)
        self._collect(branch, (*conditions, _Condition(label)), into, required)

    def _unnamed(self, node: SchemaNode) -> None:
        for part in node.collected("patternProperties"):
            patterns = part.value if isinstance(part.value, dict) else {}
            for pattern in patterns:
                message = f"properties named like {pattern!r} have no fixed name; no field is read"
                self.findings.note(
                    "unnamed-properties", message, join_pointer(part.pointer, pattern)
                )
        for part in node.collected("additionalProperties"):
            if isinstance(part.value, dict) and part.value:
                message = "additional properties have no fixed name; no field is read for them"
                self.findings.note("unnamed-properties", message, part.pointer)

    # ----------------------------------------------------------------- emitting fields

    def _emit(self, properties: _Properties, groups: list[dict[str, Any]], depth: int) -> None:
        if depth > MAX_SCHEMA_DEPTH and properties:
            pointer = next(iter(properties.values()))[0].pointer
            message = f"objects nest deeper than {MAX_SCHEMA_DEPTH} levels"
            self.findings.problem("schema-too-large", message, pointer)
            return
        for name, variants in properties.items():
            self._property(name, variants, groups, depth)

    def _property(
        self, name: str, variants: list[_Variant], groups: list[dict[str, Any]], depth: int
    ) -> None:
        objects: _Properties = {}
        items: _Properties = {}
        scalars: list[tuple[_Variant, SchemaNode, str]] = []
        title: Any = None
        for variant in variants:
            node = self.resolver.resolve(variant.schemas, variant.refs)
            if node is None:
                continue
            title = title if isinstance(title, str) else node.keywords.get("title")
            kind = self._kind(node, variant.pointer)
            if kind == "object":
                self._object_variant(node, variant, objects)
            elif kind == "array":
                self._array_variant(node, variant, items, scalars)
            elif kind is not None:
                scalars.append((variant, node, kind))
        group: dict[str, Any] = {"key": name} | ({"label": title} if isinstance(title, str) else {})
        if objects and items:  # one group cannot both repeat and not
            message = (
                f"{name} is a list in some cases and a single object in others; read as a list"
            )
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

    def _object_variant(self, node: SchemaNode, variant: _Variant, objects: _Properties) -> None:
        before = sum(len(v) for v in objects.values())
        self._collect(node, variant.conditions, objects)
        if sum(len(v) for v in objects.values()) == before:
            message = "an object without properties has no fields; left out"
            self.findings.note("empty-object", message, variant.pointer)

    def _array_variant(
        self,
        node: SchemaNode,
        variant: _Variant,
        items: _Properties,
        scalars: list[tuple[_Variant, SchemaNode, str]],
    ) -> None:
        note_keywords(node, self.findings)
        raw = node.keywords.get("items")
        if isinstance(raw, list):
            message = "an array of positional items (a tuple) has no field equivalent; left out"
            self.findings.note("ignored-keyword", message, node.pointer("items", variant.pointer))
            return
        if raw is None:
            message = "an array without items is read as a list of text"
            self.findings.note("lenient-type", message, variant.pointer)
            item = SchemaNode()
        else:
            found = self.resolver.resolve([node.sub("items", raw)], variant.refs)
            if found is None:
                return
            item = found
        where = node.pointer("items", variant.pointer)
        item_kind = self._kind(item, where)
        if self._options(item, where) is not None:
            scalars.append((variant, node, "multi-select"))
        elif item_kind == "object":
            self._object_variant(
                item, _Variant(variant.schemas, variant.conditions, False, item.refs), items
            )
        elif item_kind is not None:
            title = node.keywords.get("title")
            schema = node.sub("items", raw) if "items" in node.keywords else variant.schemas[0]
            if "items" not in node.keywords:
                schema = SchemaAt({}, variant.pointer, schema.resolver)
            item_variant = _Variant(
                (schema,), variant.conditions, False, variant.refs,
                title if isinstance(title, str) else None,
            )  # fmt: skip
            items.setdefault(ARRAY_ITEM_KEY, []).append(item_variant)

    def _field(
        self,
        name: str,
        scalars: list[tuple[_Variant, SchemaNode, str]],
        groups: list[dict[str, Any]],
    ) -> None:
        if len(self.fields) >= MAX_SCHEMA_FIELDS:
            if not self._too_large:
                message = f"the schema holds more than {MAX_SCHEMA_FIELDS} fields"
                self.findings.problem("schema-too-large", message, scalars[0][0].pointer)
            self._too_large = True
            return
        base = next((s for s in scalars if not s[0].conditions), scalars[0])
        variant, node, kind = base
        multi = kind == "multi-select"
        data, at = field_attributes(
            name, node, variant.pointer, "string" if multi else kind, self.findings
        )
        if variant.title is not None and "title" not in node.keywords:
            data["label"] = variant.title
        all_options = [self._field_options(n, v.pointer, k) for v, n, k in scalars]
        for (_, scalar, kind_of), options in zip(scalars, all_options, strict=True):
            for part in scalar.collected("oneOf", "anyOf") if options is None else []:
                message = (
                    f"the alternatives of {part.keyword} are read as one {kind_of} field; "
                    "what each alternative allows is not checked"
                )
                self.findings.note("lenient-type", message, part.pointer)
        if all(o is not None for o in all_options):
            options = _union([o for o in all_options if o is not None])
            if options:
                data["type"], data["options"] = "enum", options
                at["type"] = at["options"] = variant.pointer
                data.pop("format", None)
                if multi:
                    data["format"] = "multi-select"
            else:
                message = "the listed values hold no usable option; read as text"
                self.findings.note("unusable-value", message, variant.pointer)
        conditions, required = _reduce([(v.conditions, v.required) for v, _, _ in scalars])
        if required:
            data["required"], at["required"] = True, variant.pointer
        if conditions:
            when = f"{WHEN_PREFIX}{'; or '.join(_when(c) for c in conditions)}"
            described = data.get("description")
            data["description"] = f"{described}\n{when}" if isinstance(described, str) else when
        if groups:
            data["group"] = [dict(g) for g in groups]
        self.fields.append(data)
        self.field_at.append((variant.pointer, at))
        note_keywords(node, self.findings)

    def _field_options(
        self, node: SchemaNode, pointer: str, kind: str
    ) -> list[dict[str, str]] | None:
        if kind != "multi-select":
            return self._options(node, pointer)
        raw = node.keywords.get("items")
        item = self.resolver.resolve([node.sub("items", raw)], node.refs)
        return None if item is None else self._options(item, node.pointer("items", pointer))

    def _options(self, node: SchemaNode, pointer: str) -> list[dict[str, str]] | None:
        return options_of(node, pointer, self.findings, self._choice)

    def _choice(self, node: SchemaNode, keyword: str, index: int) -> SchemaNode | None:
        part = node.collected(keyword)[0]
        return self.resolver.resolve([part.sub(part.value[index], index)], node.refs)

    # ----------------------------------------------------------------- kinds

    def _kind(self, node: SchemaNode, pointer: str) -> str | None:
        """The JSON type a property is read as: object, array, a scalar type, or None."""
        if node.never:
            message = "a property no value is valid for (schema false); left out"
            self.findings.note("empty-object", message, pointer, "info")
            return None
        declared = node.keywords.get("type")
        where = node.pointer("type", pointer)
        kinds = (
            declared if isinstance(declared, list) else [declared] if declared is not None else []
        )
        unknown = [k for k in kinds if k not in _JSON_TYPES]
        if unknown or (isinstance(declared, list) and not declared):
            message = f"type {declared!r} names no JSON type ({', '.join(_JSON_TYPES)})"
            self.findings.problem("unsupported-schema", message, where)
            return None
        kinds = [k for k in kinds if k != "null"]
        if not kinds and declared is not None:
            message = "a property that can only be null asks nothing; left out"
            self.findings.note("empty-object", message, where, "info")
            return None
        if "object" in kinds and (len(kinds) == 1 or self._is_object(node)):
            return "object"
        if "array" in kinds and (len(kinds) == 1 or "items" in node.keywords):
            return "array"
        if not kinds:
            if self._is_object(node):
                return "object"
            return "array" if "items" in node.keywords else self._alternative_kind(node, pointer)
        if len(kinds) == 1:
            return str(kinds[0])
        if set(kinds) <= _NUMBERS:
            return "number"
        message = f"type {declared!r} allows several kinds of value; read as text"
        self.findings.note("lenient-type", message, where)
        return "string"

    def _is_object(self, node: SchemaNode) -> bool:
        if node.keywords.get("type") == "object" or node.collected("properties"):
            return True
        for part in node.collected("oneOf", "anyOf"):
            for index in range(len(part.value) if isinstance(part.value, list) else 0):
                alternative = self._choice_in(part, index, node)
                if alternative is not None and self._is_object(alternative):
                    return True
        return False

    def _choice_in(self, part: Part, index: int, node: SchemaNode) -> SchemaNode | None:
        return self.resolver.resolve([part.sub(part.value[index], index)], node.refs)

    def _alternative_kind(self, node: SchemaNode, pointer: str) -> str:
        """The scalar type of an untyped property: that of its alternatives, else text."""
        kinds: set[str] = set()
        for part in node.collected("oneOf", "anyOf"):
            for index in range(len(part.value) if isinstance(part.value, list) else 0):
                alternative = self._choice_in(part, index, node)
                declared = alternative.keywords.get("type") if alternative else None
                if isinstance(declared, str) and declared != "null":
                    kinds.add(declared)
                elif alternative is not None and "const" not in alternative.keywords:
                    kinds.add("string")
        if len(kinds) == 1 and next(iter(kinds)) in _SCALARS:
            return next(iter(kinds))
        if kinds <= _NUMBERS and kinds:
            return "number"
        if len(kinds) > 1:
            message = "the alternatives allow several kinds of value; read as text"
            self.findings.note("lenient-type", message, pointer)
        return "string"


def _alternative_label(node: SchemaNode, keyword: str, index: int, count: int) -> str:
    title = node.keywords.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    fixed = _fixed_values(node)
    return fixed or f"{keyword} alternative {index + 1} of {count}"


def _test_label(test: Part) -> str:
    schema = test.value
    fixed = ""
    if isinstance(schema, dict):
        fixed = _fixed_values_of(schema.get("properties"))
        required = schema.get("required")
        if not fixed and isinstance(required, list) and required:
            fixed = " and ".join(f"{n} is given" for n in required if isinstance(n, str))
    return fixed or f"the condition at {test.pointer} holds"


def _fixed_values(node: SchemaNode) -> str:
    return ", ".join(
        text for part in node.collected("properties") if (text := _fixed_values_of(part.value))
    )


def _fixed_values_of(properties: Any) -> str:
    """``name = value`` for each property a schema pins to one value (const or enum of one)."""
    if not isinstance(properties, dict):
        return ""
    pinned = []
    for name, schema in properties.items():
        if not isinstance(schema, dict):
            continue
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        if isinstance(values, list) and len(values) == 1:
            text = code_text(values[0])
            if text is not None:
                pinned.append(f"{name} = {text}")
    return ", ".join(pinned)


def _when(conditions: tuple[_Condition, ...]) -> str:
    return " and ".join(c.label for c in conditions)


def _union(option_lists: list[list[dict[str, str]]]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for options in option_lists:
        for option in options:
            seen.setdefault(option["code"], option)
    return list(seen.values())


def _reduce(
    cases: list[tuple[tuple[_Condition, ...], bool]],
) -> tuple[list[tuple[_Condition, ...]], bool]:
    """The distinct conditions a field is asked under, with alternatives that cover a whole
    oneOf/anyOf folded away, and whether it is required whenever it is asked unconditionally."""
    current = list(dict.fromkeys(cases))
    changed = True
    while changed:
        changed = False
        by_group: dict[tuple[tuple[_Condition, ...], str], list[tuple[int, bool]]] = {}
        for conditions, required in current:
            last = conditions[-1] if conditions else None
            if last is not None and last.group is not None:
                key = (conditions[:-1], last.group)
                by_group.setdefault(key, []).append((last.index, required))
        for (prefix, group), members in by_group.items():
            count = next(c[-1].count for c, _ in current if c and c[-1].group == group)
            if len({index for index, _ in members}) == count:
                folded = (prefix, all(r for _, r in members))
                current = [
                    case for case in current
                    if not (case[0][:-1] == prefix and case[0] and case[0][-1].group == group)
                ] + [folded]  # fmt: skip
                current = list(dict.fromkeys(current))
                changed = True
                break
    if any(not conditions for conditions, _ in current):
        required = any(r for conditions, r in current if not conditions)
        return [], required
    return [c for c, _ in current], False

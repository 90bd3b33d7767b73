"""Which kind of JSON value a property holds: an object, an array, a scalar type, or none.

A ``type`` keyword decides when it names one type; ``null`` in a type list is dropped (an
optional answer), numbers of two kinds are a number, and other lists are read as text with a
note. Without ``type``, properties (or alternatives with properties) make an object, ``items``
an array, and alternatives of one scalar type that type.
"""

from __future__ import annotations

from formmerge.ingest._schema_findings import Findings
from formmerge.ingest._schema_refs import Part, SchemaNode, SchemaResolver
from formmerge.settings import MAX_SCHEMA_DEPTH

__all__ = ["JSON_TYPES", "SchemaKinds"]

JSON_TYPES = ("string", "integer", "number", "boolean", "object", "array", "null")
"""The types JSON Schema names."""

_SCALARS = frozenset({"string", "integer", "number", "boolean"})
_NUMBERS = frozenset({"integer", "number"})


class SchemaKinds:
    """Decides the kind of each property schema, noting what it reads leniently.

    Args:
        resolver: resolves the alternatives a kind may depend on.
        findings: where problems and notes go.
    """

    def __init__(self, resolver: SchemaResolver, findings: Findings) -> None:
        self.resolver = resolver
        self.findings = findings

    def kind(self, node: SchemaNode, pointer: str) -> str | None:
        """``object``, ``array``, a scalar type, or None for a property that asks nothing."""
        if node.never:
            message = "a property no value is valid for (schema false); left out"
            self.findings.note("empty-object", message, pointer, "info")
            return None
        declared = node.keywords.get("type")
        where = node.pointer("type", pointer)
        kinds = declared if isinstance(declared, list) else [] if declared is None else [declared]
        if any(k not in JSON_TYPES for k in kinds) or declared == []:
            message = f"type {declared!r} names no JSON type ({', '.join(JSON_TYPES)})"
            self.findings.problem("unsupported-schema", message, where)
            return None
        kinds = [k for k in kinds if k != "null"]
        if not kinds and declared is not None:
            message = "a property that can only be null asks nothing; left out"
            self.findings.note("empty-object", message, where, "info")
            return None
        if "object" in kinds and (len(kinds) == 1 or self.is_object(node)):
            return "object"
        if "array" in kinds and (len(kinds) == 1 or "items" in node.keywords):
            return "array"
        if not kinds:
            if self.is_object(node):
                return "object"
            return "array" if "items" in node.keywords else self._alternatives_kind(node, pointer)
        if len(kinds) == 1:
            return str(kinds[0])
        if set(kinds) <= _NUMBERS:
            return "number"
        message = f"type {declared!r} allows several kinds of value; read as text"
        self.findings.note("lenient-type", message, where)
        return "string"

    def is_object(self, node: SchemaNode, depth: int = 0) -> bool:
        """True for an object schema: typed so, with properties, or with object alternatives."""
        if node.keywords.get("type") == "object" or node.collected("properties"):
            return True
        return depth < MAX_SCHEMA_DEPTH and any(
            alternative is not None and self.is_object(alternative, depth + 1)
            for alternative in self._alternatives(node)
        )

    def alternative(self, node: SchemaNode, part: Part, index: int) -> SchemaNode | None:
        """Alternative ``index`` of the ``oneOf``/``anyOf`` occurrence ``part`` of ``node``."""
        return self.resolver.resolve([part.sub(part.value[index], index)], node.refs)

    def choice(self, node: SchemaNode, keyword: str, index: int) -> SchemaNode | None:
        """Alternative ``index`` of the first ``keyword`` (oneOf/anyOf) of ``node``."""
        return self.alternative(node, node.collected(keyword)[0], index)

    def _alternatives(self, node: SchemaNode) -> list[SchemaNode | None]:
        return [
            self.alternative(node, part, index)
            for part in node.collected("oneOf", "anyOf")
            for index in range(len(part.value) if isinstance(part.value, list) else 0)
        ]

    def _alternatives_kind(self, node: SchemaNode, pointer: str) -> str:
        """The scalar type of an untyped property: that of its alternatives, else text."""
        kinds: set[str] = set()
        for alternative in self._alternatives(node):
            declared = alternative.keywords.get("type") if alternative else None
            if isinstance(declared, str) and declared != "null":
                kinds.add(declared)
            elif alternative is not None and "const" not in alternative.keywords:
                kinds.add("string")
        if len(kinds) == 1 and kinds <= _SCALARS:
            return next(iter(kinds))
        if kinds and kinds <= _NUMBERS:
            return "number"
        if len(kinds) > 1:
            message = "the alternatives allow several kinds of value; read as text"
            self.findings.note("lenient-type", message, pointer)
        return "string"

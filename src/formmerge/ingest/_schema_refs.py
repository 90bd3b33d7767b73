"""Resolving ``$ref`` and ``allOf`` inside one JSON Schema document.

A property's schema is read as one flat :class:`SchemaNode`: its own keywords first, then
those of the definition its ``$ref`` names, then those of each ``allOf`` entry (the first to
state a keyword wins, so a ``title`` beside a ``$ref`` overrides the definition's). The node
remembers the JSON pointer each keyword came from, so problems point at the text to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from formmerge.ingest._documents import join_pointer

__all__ = ["Report", "SchemaNode", "SchemaResolver"]

Report = Callable[[str, str, str], None]
"""Records a problem: ``report(code, message, pointer)``."""

_STRUCTURE = ("$ref", "allOf", "properties", "required", "$defs", "definitions")
_MISSING = object()


@dataclass
class SchemaNode:
    """A schema with its ``$ref`` and ``allOf`` merged in, and where each keyword came from."""

    keywords: dict[str, Any] = field(default_factory=dict)
    at: dict[str, str] = field(default_factory=dict)
    """Keyword -> pointer of the schema object that supplied it."""
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    """Property name -> (its raw schema, its pointer)."""
    required: list[tuple[Any, str]] = field(default_factory=list)
    """Each entry of every ``required`` list merged in, with its pointer."""
    refs: tuple[str, ...] = ()
    """Pointers of the definitions expanded on the way here, to detect cycles."""

    def pointer(self, keyword: str, default: str) -> str:
        """The pointer of ``keyword`` in the document, or ``default`` if it is absent."""
        return join_pointer(self.at[keyword], keyword) if keyword in self.at else default


class SchemaResolver:
    """Reads schemas of one document with local references resolved.

    Args:
        root: the whole document (the target of ``#/...`` references).
        report: called for each problem (unresolved reference, cycle, malformed schema).
    """

    def __init__(self, root: Any, report: Report) -> None:
        self.root = root
        self.report = report

    def resolve(self, schema: Any, pointer: str, refs: tuple[str, ...]) -> SchemaNode | None:
        """The schema at ``pointer`` with references merged, or None after a problem.

        Args:
            schema: the raw schema object.
            pointer: where it is in the document.
            refs: the definitions expanded on the way to it (its parent node's ``refs``).
        """
        node = SchemaNode(refs=refs)
        return node if self._merge(node, schema, pointer, refs) else None

    def _merge(self, node: SchemaNode, schema: Any, pointer: str, chain: tuple[str, ...]) -> bool:
        if not isinstance(schema, dict):
            self.report("unsupported-schema", "expected a schema object here", pointer)
            return False
        for keyword, value in schema.items():
            if keyword not in _STRUCTURE and keyword not in node.keywords:
                node.keywords[keyword] = value
                node.at[keyword] = pointer
        properties = schema.get("properties", {})
        if isinstance(properties, dict):
            for name, sub in properties.items():
                node.properties.setdefault(name, (sub, join_pointer(pointer, "properties", name)))
        else:
            self.report("unsupported-schema", "properties must be an object", pointer)
        required = schema.get("required", [])
        if isinstance(required, list):
            node.required += [
                (n, join_pointer(pointer, "required", i)) for i, n in enumerate(required)
            ]
        ok = True
        if "$ref" in schema:
            ok = self._merge_ref(node, schema["$ref"], join_pointer(pointer, "$ref"), chain)
        all_of = schema.get("allOf", [])
        for index, sub in enumerate(all_of if isinstance(all_of, list) else []):
            ok = self._merge(node, sub, join_pointer(pointer, "allOf", index), chain) and ok
        return ok

    def _merge_ref(self, node: SchemaNode, ref: Any, pointer: str, chain: tuple[str, ...]) -> bool:
        if not isinstance(ref, str) or not ref.startswith("#"):
            message = f"$ref {ref!r} points outside this document; only #/... references are read"
            self.report("unresolved-ref", message, pointer)
            return False
        target = unquote(ref[1:])
        if target in chain:
            cycle = " -> ".join([*chain[chain.index(target) :], target])
            self.report("ref-cycle", f"$ref {ref!r} leads back to itself: {cycle}", pointer)
            return False
        schema = self._lookup(target)
        if schema is _MISSING:
            message = f"$ref {ref!r} does not resolve: nothing is at {target!r}"
            self.report("unresolved-ref", message, pointer)
            return False
        if target not in node.refs:
            node.refs = (*node.refs, target)
        return self._merge(node, schema, target, (*chain, target))

    def _lookup(self, pointer: str) -> Any:
        if pointer and not pointer.startswith("/"):
            return _MISSING
        value = self.root
        for raw in pointer.split("/")[1:]:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return _MISSING
        return value

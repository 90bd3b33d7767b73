"""Resolving ``$ref`` and ``allOf`` in one JSON Schema document, drafts 04 to 2020-12.

References go through a :mod:`referencing` registry built for the document's draft (its
``$schema``; 2020-12 when it names none), so ``#/definitions/...``, ``#/$defs/...``, any local
JSON pointer, ``$anchor`` names and subschemas with their own ``$id`` (``id`` in draft 04)
resolve as a validator would resolve them. References to other files or URLs are not
fetched. A reference that does not resolve, and a subschema that is not a schema object, are
read as the schema that allows anything (a text field), with a warning note: the property is
kept, and a strict reading refuses the form.

A schema is read as one flat :class:`SchemaNode`: its own keywords first, then those of the
definition its ``$ref`` names, then those of each ``allOf`` entry (the first to state a
keyword wins, so a ``title`` beside a ``$ref`` overrides the definition's). Keywords that may
legitimately appear in several of those pieces (``properties``, ``required``, ``oneOf``,
``if``...) are all kept, in :attr:`SchemaNode.parts`. The node remembers the JSON pointer each
keyword came from, so problems and notes point at the text to fix.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import referencing
import referencing.exceptions
import referencing.jsonschema
from referencing import Registry, Resource
from referencing._core import Resolver

from formmerge.ingest._documents import join_pointer
from formmerge.ingest._schema_findings import Findings
from formmerge.settings import MAX_SCHEMA_DEPTH

__all__ = [
    "COLLECTED_KEYWORDS",
    "DEFAULT_SPECIFICATION",
    "Part",
    "SchemaAt",
    "SchemaNode",
    "SchemaResolver",
]

COLLECTED_KEYWORDS = (
    "properties", "required", "oneOf", "anyOf", "if", "then", "else", "dependencies",
    "dependentSchemas", "dependentRequired", "patternProperties", "additionalProperties",
)  # fmt: skip
"""Keywords kept from every merged piece (:attr:`SchemaNode.parts`), not only the first."""

DEFAULT_SPECIFICATION = referencing.jsonschema.DRAFT202012
"""The draft a schema without ``$schema`` is read as."""

_MERGING = ("$ref", "allOf")


@dataclass(frozen=True)
class SchemaAt:
    """A raw subschema, where it is in the document, and the resolver for its references."""

    schema: Any
    pointer: str
    resolver: Resolver[Any]


@dataclass(frozen=True)
class Part:
    """One occurrence of a collected keyword: its value and the schema object holding it."""

    keyword: str
    value: Any
    at: SchemaAt

    @property
    def pointer(self) -> str:
        """The pointer of the keyword itself."""
        return join_pointer(self.at.pointer, self.keyword)

    def sub(self, value: Any, *segments: str | int) -> SchemaAt:
        """A subschema found inside this keyword's value."""
        return SchemaAt(value, join_pointer(self.pointer, *segments), self.at.resolver)


@dataclass
class SchemaNode:
    """A schema with its ``$ref`` and ``allOf`` merged in, and where each keyword came from."""

    keywords: dict[str, Any] = field(default_factory=dict)
    at: dict[str, str] = field(default_factory=dict)
    """Keyword -> pointer of the schema object that supplied it."""
    parts: list[Part] = field(default_factory=list)
    """Every occurrence of a :data:`COLLECTED_KEYWORDS` keyword, in reading order."""
    resolvers: dict[str, Resolver[Any]] = field(default_factory=dict)
    """Keyword -> the resolver of the schema object that supplied it."""
    refs: tuple[str, ...] = ()
    """Pointers of the definitions expanded on the way here, to detect cycles."""
    never: bool = False
    """The schema is ``false``: no value is valid."""

    def pointer(self, keyword: str, default: str) -> str:
        """The pointer of ``keyword`` in the document, or ``default`` if it is absent."""
        return join_pointer(self.at[keyword], keyword) if keyword in self.at else default

    def sub(self, keyword: str, value: Any, *segments: str | int) -> SchemaAt:
        """A subschema found inside the value of a first-wins ``keyword``."""
        pointer = join_pointer(self.pointer(keyword, ""), *segments)
        return SchemaAt(value, pointer, self.resolvers[keyword])

    def collected(self, *keywords: str) -> list[Part]:
        """The occurrences of ``keywords`` among the merged pieces."""
        return [p for p in self.parts if p.keyword in keywords]

    @property
    def properties(self) -> dict[str, list[SchemaAt]]:
        """Property name -> its schemas (one per merged piece that defines it)."""
        found: dict[str, list[SchemaAt]] = {}
        for part in self.collected("properties"):
            if isinstance(part.value, dict):
                for name, sub in part.value.items():
                    found.setdefault(str(name), []).append(part.sub(sub, str(name)))
        return found

    @property
    def required(self) -> list[tuple[Any, str]]:
        """Each entry of every ``required`` list merged in, with its pointer."""
        return [
            (name, join_pointer(part.pointer, index))
            for part in self.collected("required")
            if isinstance(part.value, list)
            for index, name in enumerate(part.value)
        ]


class SchemaResolver:
    """Reads the schemas of one document with references resolved.

    Args:
        root: the whole document.
        findings: where problems (a reference cycle) and notes (an unresolved reference, a
            malformed subschema) go.
    """

    def __init__(self, root: Any, findings: Findings) -> None:
        self.findings = findings
        self._pointers: dict[int, str] = {}
        _index(root, "", self._pointers)
        specification = _specification(root)
        self.dialect_known = specification is not None
        """False when ``$schema`` names a dialect of no known draft (read as 2020-12)."""
        self.specification = specification or DEFAULT_SPECIFICATION
        self.root = SchemaAt(root, "", _root_resolver(root, self.specification))

    def resolve(self, schemas: Iterable[SchemaAt], refs: tuple[str, ...]) -> SchemaNode | None:
        """The schemas, all of which a value must satisfy, merged; None after a problem.

        Args:
            schemas: the raw schemas (one, or several pieces of one property).
            refs: the definitions expanded on the way to them (the parent node's ``refs``).
        """
        node = SchemaNode(refs=refs)
        results = [self._merge(node, at, refs, 0) for at in schemas]
        return node if all(results) else None

    def _merge(self, node: SchemaNode, at: SchemaAt, chain: tuple[str, ...], depth: int) -> bool:
        schema = at.schema
        if depth > MAX_SCHEMA_DEPTH:
            message = f"$ref and allOf nest deeper than {MAX_SCHEMA_DEPTH} levels"
            self.findings.problem("schema-too-large", message, at.pointer)
            return False
        if isinstance(schema, bool):  # true: anything; false: nothing (drafts 06+)
            node.never = node.never or not schema
            return True
        if not isinstance(schema, dict):
            message = f"expected a schema object here, not {type(schema).__name__}; read as text"
            self.findings.note("unusable-value", message, at.pointer)
            return True
        at = self._enter(at)
        for keyword, value in schema.items():
            if keyword in COLLECTED_KEYWORDS:
                node.parts.append(Part(keyword, value, at))
            elif keyword not in _MERGING and keyword not in node.keywords:
                node.keywords[keyword] = value
                node.at[keyword] = at.pointer
                node.resolvers[keyword] = at.resolver
        ok = True
        if "$ref" in schema:
            ok = self._merge_ref(node, schema["$ref"], at, chain, depth)
        all_of = schema.get("allOf", [])
        if not isinstance(all_of, list):
            message = "allOf must be a list of schemas; left out"
            self.findings.note("unusable-value", message, join_pointer(at.pointer, "allOf"))
            return ok
        for index, sub in enumerate(all_of):
            piece = SchemaAt(sub, join_pointer(at.pointer, "allOf", index), at.resolver)
            ok = self._merge(node, piece, chain, depth + 1) and ok
        return ok

    def _enter(self, at: SchemaAt) -> SchemaAt:
        """The schema with the resolver of its own base URI, when it declares one."""
        identifier = self.specification.id_of(at.schema)
        if not isinstance(identifier, str) or at.pointer == "":
            return at
        try:
            resource = self.specification.create_resource(at.schema)
            return SchemaAt(at.schema, at.pointer, at.resolver.in_subresource(resource))
        except (TypeError, ValueError):  # an $id that is not a URI reference
            return at

    def _merge_ref(
        self, node: SchemaNode, ref: Any, at: SchemaAt, chain: tuple[str, ...], depth: int
    ) -> bool:
        pointer = join_pointer(at.pointer, "$ref")
        if not isinstance(ref, str):
            message = f"$ref must be a text, not {type(ref).__name__}; read as text"
            self.findings.note("unresolved-ref", message, pointer)
            return True
        try:
            resolved = at.resolver.lookup(ref)
        except referencing.exceptions.Unresolvable as e:
            message = _unresolved_message(ref, e) + "; read as text"
            self.findings.note("unresolved-ref", message, pointer)
            return True
        except (TypeError, ValueError, AttributeError) as e:  # a malformed URI, pointer or $id
            message = f"$ref {ref!r} cannot be read ({e}); read as text"
            self.findings.note("unresolved-ref", message, pointer)
            return True
        target = self._pointers.get(id(resolved.contents), ref)
        if target in chain:
            cycle = " -> ".join([*chain[chain.index(target) :], target])
            self.findings.problem(
                "ref-cycle", f"$ref {ref!r} leads back to itself: {cycle}", pointer
            )
            return False
        if target not in node.refs:
            node.refs = (*node.refs, target)
        piece = SchemaAt(resolved.contents, target, resolved.resolver)
        return self._merge(node, piece, (*chain, target), depth + 1)


def _specification(root: Any) -> referencing.Specification[Any] | None:
    """The draft the document's ``$schema`` names; None for a dialect no draft is known by."""
    dialect = root.get("$schema") if isinstance(root, dict) else None
    if not isinstance(dialect, str):
        return DEFAULT_SPECIFICATION
    try:
        return referencing.jsonschema.specification_with(dialect)
    except referencing.jsonschema.UnknownDialect:
        return None


def _root_resolver(root: Any, specification: referencing.Specification[Any]) -> Any:
    resource: Resource[Any] = specification.create_resource(root)
    identifier = specification.id_of(root) if isinstance(root, dict) else None
    uri = identifier.rstrip("#") if isinstance(identifier, str) else ""
    registry: Registry[Any] = Registry().with_resource(uri, resource)
    with contextlib.suppress(TypeError, ValueError, AttributeError):  # a malformed $id, $anchor
        registry = registry.crawl()  # learns embedded $id and $anchor names
    return registry.resolver(base_uri=uri)


def _unresolved_message(ref: str, error: Exception) -> str:
    if isinstance(
        error, referencing.exceptions.Unretrievable | referencing.exceptions.NoSuchResource
    ):
        return f"$ref {ref!r} points outside this document; only references inside it are read"
    target = ref.partition("#")[2] if ref.startswith("#") else ref
    return f"$ref {ref!r} does not resolve: nothing is at {unquote(target)!r}"


def _index(value: Any, pointer: str, pointers: dict[int, str]) -> None:
    """Map every schema object of the document to its JSON pointer."""
    if isinstance(value, dict):
        pointers.setdefault(id(value), pointer)
        for key, sub in value.items():
            _index(sub, join_pointer(pointer, str(key)), pointers)
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            _index(sub, join_pointer(pointer, index), pointers)

"""Gathering every property an object may have: its own, its branches', its UI wrappers'.

An object's properties are the union of its own ``properties``, those of each ``oneOf`` /
``anyOf`` alternative, of ``then`` and ``else``, of each ``dependentSchemas`` (or schema-valued
``dependencies``) entry, and those of ``view:`` objects, which are transparent. Each property
is kept with every definition of it (:class:`~._schema_cases.Variant`), so that one field is
built from all of them. Branches, conditional ``required`` lists and properties without a fixed
name are noted where they are.
"""

from __future__ import annotations

from formmerge.ingest._documents import join_pointer
from formmerge.ingest._schema_cases import (
    Condition,
    Scope,
    Variant,
    alternative_label,
    describe,
    test_label,
)
from formmerge.ingest._schema_findings import Findings
from formmerge.ingest._schema_keywords import note_keywords
from formmerge.ingest._schema_kinds import SchemaKinds
from formmerge.ingest._schema_refs import Part, SchemaAt, SchemaNode, SchemaResolver
from formmerge.settings import MAX_SCHEMA_DEPTH

__all__ = ["UI_ONLY_PREFIX", "PropertyCollector"]

UI_ONLY_PREFIX = "view:"
"""Property names with this prefix are UI-only: never part of the submitted data."""


class PropertyCollector:
    """Gathers the properties of objects and of their branches.

    Args:
        resolver: resolves the document's references.
        kinds: tells objects from other schemas.
        findings: where problems and notes go.
    """

    def __init__(self, resolver: SchemaResolver, kinds: SchemaKinds, findings: Findings) -> None:
        self.resolver = resolver
        self.kinds = kinds
        self.findings = findings

    def collect(self, node: SchemaNode, scope: Scope) -> None:
        """Add the properties of ``node`` and of its branches to ``scope.into``."""
        if scope.depth > MAX_SCHEMA_DEPTH:
            message = f"alternatives, branches or wrappers nest deeper than {MAX_SCHEMA_DEPTH}"
            self.findings.problem("schema-too-large", message, node.pointer("type", ""))
            return
        note_keywords(node, self.findings)
        required = scope.required | {n for n, _ in node.required if isinstance(n, str)}
        for name, schemas in node.properties.items():
            if name.startswith(UI_ONLY_PREFIX):
                self._ui_only(name, schemas, node, scope)
                continue
            variant = Variant(tuple(schemas), scope.conditions, name in required, node.refs)
            scope.into.setdefault(name, []).append(variant)
        for part in node.collected("oneOf", "anyOf"):
            self._alternatives(part, node, scope, required)
        self._conditionals(node, scope, required)
        self._dependencies(node, scope, required)
        self._unnamed(node)
        self._check_required(node, scope)

    def _check_required(self, node: SchemaNode, scope: Scope) -> None:
        if scope.conditions and node.required:
            names = ", ".join(str(n) for n, _ in node.required)
            message = f"{names} required only when {describe(scope.conditions)}; read as optional"
            self.findings.note("conditional-required", message, node.required[0][1])
        for name, pointer in node.required:
            known = isinstance(name, str) and (
                name in scope.into or name.startswith(UI_ONLY_PREFIX)
            )
            if not known:
                message = f"required names {name!r}, which is not a property of this object"
                self.findings.note("unknown-required", message, pointer)

    def _ui_only(
        self, name: str, schemas: list[SchemaAt], parent: SchemaNode, scope: Scope
    ) -> None:
        node = self.resolver.resolve(schemas, parent.refs)
        if node is None:
            return
        pointer = schemas[0].pointer
        if self.kinds.is_object(node) and node.properties:
            message = f"{name} is a UI-only wrapper; its properties are read as this object's"
            self.findings.note("ui-only", message, pointer, "info")
            self.collect(node, scope.inside())
        else:
            message = f"{name} is UI-only (not part of the submitted data); left out"
            self.findings.note("ui-only", message, pointer, "info")

    def _alternatives(
        self, part: Part, node: SchemaNode, scope: Scope, required: frozenset[str]
    ) -> None:
        if not isinstance(part.value, list):
            self.findings.problem("invalid-value", f"{part.keyword} must be a list", part.pointer)
            return
        count = len(part.value)
        for index in range(count):
            alternative = self.kinds.alternative(node, part, index)
            if alternative is None:
                continue
            label = alternative_label(alternative, part.keyword, index, count)
            condition = Condition(label, part.pointer, index, count)
            self.collect(alternative, scope.under(condition, required))
        message = (
            f"the {count} alternatives of {part.keyword} are read as one object holding the "
            "fields of all of them, each marked with the alternatives it belongs to"
        )
        self.findings.note("conditional-fields", message, part.pointer)

    def _conditionals(self, node: SchemaNode, scope: Scope, required: frozenset[str]) -> None:
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
                label = test_label(test) if keyword == "then" else f"not ({test_label(test)})"
                self._branch(
                    part.sub(part.value), label, node, scope.under(Condition(label), required)
                )

    def _dependencies(self, node: SchemaNode, scope: Scope, required: frozenset[str]) -> None:
        for part in node.collected("dependentSchemas", "dependencies", "dependentRequired"):
            if not isinstance(part.value, dict):
                message = f"{part.keyword} must be an object"
                self.findings.problem("invalid-value", message, part.pointer)
                continue
            for name, value in part.value.items():
                where = join_pointer(part.pointer, name)
                if isinstance(value, list) or part.keyword == "dependentRequired":
                    names = ", ".join(str(v) for v in value) if isinstance(value, list) else value
                    message = f"{names} required only when {name} is given; read as optional"
                    self.findings.note("conditional-required", message, where)
                else:
                    label = f"{name} is given"
                    branch = scope.under(Condition(label), required)
                    self._branch(part.sub(value, name), label, node, branch)

    def _branch(self, schema: SchemaAt, label: str, node: SchemaNode, scope: Scope) -> None:
        branch = self.resolver.resolve([schema], node.refs)
        if branch is None:
            return
        message = f"fields here are asked only when {label}; read as optional fields"
        self.findings.note("conditional-fields", message, schema.pointer)
        self.collect(branch, scope)

    def _unnamed(self, node: SchemaNode) -> None:
        for part in node.collected("patternProperties"):
            for pattern in part.value if isinstance(part.value, dict) else {}:
                message = f"properties named like {pattern!r} have no fixed name; no field is read"
                where = join_pointer(part.pointer, pattern)
                self.findings.note("unnamed-properties", message, where)
        for part in node.collected("additionalProperties"):
            if isinstance(part.value, dict) and part.value:
                message = "additional properties have no fixed name; no field is read for them"
                self.findings.note("unnamed-properties", message, part.pointer)

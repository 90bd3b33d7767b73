"""Which JSON Schema keywords the reader uses, and notes for those it cannot use.

Every keyword of a schema the reader visits is one of: read (it becomes part of a field, a
group or an option), structural (references, identifiers, comments), an annotation with no
field attribute (``default``, ``readOnly`` ...: an ``info`` note), or a validation rule with no
field equivalent (``not``, ``uniqueItems`` ...: a ``warning`` note, as is any keyword JSON
Schema does not define, which is often a misspelt one).
"""

from __future__ import annotations

from formmerge.ingest._schema_findings import Findings
from formmerge.ingest._schema_refs import COLLECTED_KEYWORDS, SchemaNode

__all__ = ["ANNOTATION_KEYWORDS", "READ_KEYWORDS", "UNMAPPED_KEYWORDS", "note_keywords"]

READ_KEYWORDS = frozenset({
    *COLLECTED_KEYWORDS, "type", "title", "description", "format", "enum", "enumNames", "const",
    "items", "maxLength", "minLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "examples", "contentMediaType", "contentEncoding", "x-formmerge",
})  # fmt: skip
"""Keywords that become fields, groups, options or field attributes."""

STRUCTURE_KEYWORDS = frozenset({
    "$schema", "$id", "id", "$ref", "allOf", "$defs", "definitions", "$comment", "$anchor",
    "$vocabulary", "$dynamicAnchor", "$recursiveAnchor",
})  # fmt: skip
"""Keywords that say how to read the schema rather than what a form asks."""

ANNOTATION_KEYWORDS = frozenset({
    "default", "readOnly", "writeOnly", "deprecated", "example", "nullable", "contentSchema",
})  # fmt: skip
"""Annotations that change nothing a form asks; left out with an ``info`` note."""

UNMAPPED_KEYWORDS = frozenset({
    "not", "contains", "minContains", "maxContains", "uniqueItems", "minItems", "maxItems",
    "multipleOf", "minProperties", "maxProperties", "propertyNames", "additionalItems",
    "prefixItems", "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef",
})  # fmt: skip
"""Validation rules with no field attribute; left out with a ``warning`` note."""


def note_keywords(node: SchemaNode, findings: Findings) -> None:
    """Note every keyword of ``node`` that the reader leaves out, at the keyword's pointer."""
    for keyword in node.keywords:
        if keyword in READ_KEYWORDS or keyword in STRUCTURE_KEYWORDS:
            continue
        where = node.pointer(keyword, "")
        if keyword in ANNOTATION_KEYWORDS or keyword.startswith("x-"):
            message = f"{keyword} is an annotation with no field attribute; left out"
            findings.note("ignored-keyword", message, where, "info")
        elif keyword in UNMAPPED_KEYWORDS:
            message = f"{keyword} has no field equivalent; the rule is not checked"
            findings.note("ignored-keyword", message, where)
        else:
            message = f"{keyword!r} is not a JSON Schema keyword (a misspelling?); left out"
            findings.note("unknown-keyword", message, where)

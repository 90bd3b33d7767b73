"""Forms described as JSON Schema, drafts 04 to 2020-12, as portals write them.

The schema's ``title`` is the form title and its id comes from ``$id`` (``id`` in draft 04; the
last path segment, without extension) or the file name. Form metadata the schema has no
keyword for (department, matter, subject, language, process, materials, produces, consumes, or
an explicit id) sits in an ``x-formmerge`` object at the top level; an ``x-formmerge`` object on
a property sets :class:`~formmerge.models.Field` attributes directly (``date_format``, ...).

Each leaf property becomes a field; see docs/forms.md for the full keyword mapping. Objects
become groups, arrays of objects repeating groups, arrays of enumerated values multi-select
enum fields, arrays of other values a repeating group holding one field keyed ``item``.
References resolve through :mod:`._schema_refs`; alternatives, conditionals and ``view:``
wrappers are read by :mod:`._schema_walk`. What has no field equivalent is a located
:class:`~formmerge.models.Note` on the form (reading strictly refuses the warnings).
"""

from __future__ import annotations

import re
from typing import Any

from formmerge.errors import Location
from formmerge.ingest._build import build_form
from formmerge.ingest._documents import Document, join_pointer
from formmerge.ingest._problems import Loc, field_name
from formmerge.ingest._schema_fields import EXTENSION_KEYWORD
from formmerge.ingest._schema_findings import Findings
from formmerge.ingest._schema_refs import SchemaNode, SchemaResolver
from formmerge.ingest._schema_walk import ARRAY_ITEM_KEY, MULTI_SELECT_FORMAT, SchemaWalker
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

FORM_EXTENSION_ATTRIBUTES = (
    "id", "department", "matter", "subject", "default_role", "language", "process", "materials",
    "produces", "consumes",
)  # fmt: skip
"""Form attributes the top-level ``x-formmerge`` object may set."""


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

    Returns:
        The form; :attr:`~formmerge.models.Form.notes` lists what was read leniently or left
        out, each with its JSON pointer.

    Raises:
        FormError: with one problem (located by JSON pointer and line) for each mistake.
    """
    reader = _SchemaReader(document)
    form = reader.read(default_id)
    return build_form(form, reader.locate, document.file, reader.findings.problems)


class _SchemaReader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.findings = Findings(document)
        self.resolver = SchemaResolver(document.data, self.findings)
        self.walker = SchemaWalker(self.resolver, self.findings)
        self.form_at: dict[str, str] = {}

    def read(self, default_id: str | None) -> dict[str, Any]:
        form: dict[str, Any] = {}
        root = self.resolver.resolve([self.resolver.root], ())
        if root is None:
            return form
        id_keyword = "$id" if "$id" in root.keywords else "id"
        schema_id = root.keywords.get(id_keyword)
        form_id = _id_from_uri(schema_id) if isinstance(schema_id, str) else None
        if form_id or default_id:
            form["id"] = form_id or default_id
            self.form_at["id"] = root.pointer(id_keyword, "")
        title = root.keywords.get("title")
        if title is not None:
            form["title"] = title
            self.form_at["title"] = root.pointer("title", "")
        form.update(self._form_extension(root))
        self.findings.form_id = form["id"] if isinstance(form.get("id"), str) else None
        if not self.resolver.dialect_known:
            message = (
                f"$schema {root.keywords.get('$schema')!r} names no known draft; read as 2020-12"
            )
            self.findings.note("unknown-dialect", message, "/$schema")
        self.walker.read_root(root)
        form["fields"] = self.walker.fields
        form["notes"] = [n.model_dump() for n in self.findings.notes]
        return form

    def _form_extension(self, root: SchemaNode) -> dict[str, Any]:
        extension = root.keywords.get(EXTENSION_KEYWORD, {})
        pointer = root.pointer(EXTENSION_KEYWORD, "")
        if not isinstance(extension, dict):
            self.findings.problem(
                "invalid-value", f"{EXTENSION_KEYWORD} must be an object", pointer
            )
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
                self.findings.problem("unknown-attribute", message, join_pointer(pointer, name))
        return attributes

    def locate(self, loc: Loc) -> Location:
        name = None
        fields, field_at = self.walker.fields, self.walker.field_at
        if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], int):
            base, at = field_at[loc[1]]
            name = field_name(fields[loc[1]])
            attr = loc[2] if len(loc) > 2 and isinstance(loc[2], str) else None
            pointer = join_pointer(at[attr], *loc[3:]) if attr in at else base
        elif loc and isinstance(loc[0], str) and loc[0] in self.form_at:
            pointer = join_pointer(self.form_at[loc[0]], *loc[1:])
        else:
            pointer = ""
        pointer, line = self.document.nearest(pointer)
        return Location(self.document.file, line, pointer or None, self.findings.form_id, name)


def _id_from_uri(uri: str) -> str | None:
    last = re.split(r"[/:#]", uri.rstrip("/#"))[-1]
    stem = re.sub(r"(\.schema)?\.(json|ya?ml)$", "", last)
    return stem or None

"""What the readers of nested UI schemas (Formily, form-render, SurveyJS) share.

Each of those formats describes a form as a tree of JSON objects: containers (layout boxes,
panels, pages), groups (objects, repeating lists) and input widgets. A reader walks its tree and
hands every field it finds to a :class:`FieldCollector`, together with the JSON pointer of the
widget and of the keyword each attribute came from. The collector turns a place in the built
form back into a place in the file, keeps the notes on what was skipped or read leniently, and
builds the :class:`~formmerge.models.Form`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, TypeGuard

from formmerge.errors import Location, Problem
from formmerge.ingest._build import build_form
from formmerge.ingest._documents import Document, join_pointer
from formmerge.ingest._problems import PROBLEM_CODES, Loc, field_name, make_problem
from formmerge.ingest.native import normalise_materials
from formmerge.models import Form

__all__ = [
    "ARRAY_ITEM_KEY",
    "EXTENSION_KEYWORD",
    "FORM_EXTENSION_ATTRIBUTES",
    "MULTI_SELECT_FORMAT",
    "FieldCollector",
    "Group",
    "is_number",
    "join_text",
    "regex_text",
    "scalar_text",
    "walk_mappings",
]

ARRAY_ITEM_KEY = "item"
"""Key of the one field inside the repeating group read from a list of plain values."""

MULTI_SELECT_FORMAT = "multi-select"
"""``Field.format`` of an enum field whose answer is several of its options."""

EXTENSION_KEYWORD = "x-formmerge"
"""The top-level object holding form metadata the UI format has no keyword for."""

FORM_EXTENSION_ATTRIBUTES = (
    "id", "department", "matter", "subject", "default_role", "language", "process", "materials",
    "produces", "consumes",
)  # fmt: skip
"""Form attributes the top-level ``x-formmerge`` object may set."""

MAX_DETECTION_NODES = 5000
"""How many objects of a document format detection looks at before it gives up looking."""

Group = dict[str, Any]
"""A group entry of a field's ``group`` path: ``{key, label, repeating}``."""

_REGEX_LITERAL = re.compile(r"^/(.*)/([a-z]*)$", re.S)


class FieldCollector:
    """Collects the fields, notes and problems of one document, each with its JSON pointer.

    Args:
        document: the parsed document; its parse problems are reported with the rest.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = list(document.problems)
        self.fields: list[dict[str, Any]] = []
        self.notes: list[dict[str, Any]] = []
        self.form_id: str | None = None
        self._origins: list[tuple[str, dict[str, str]]] = []
        self._form_at: dict[str, str] = {}

    def add_field(self, field: dict[str, Any], pointer: str, attrs: Mapping[str, str]) -> None:
        """Add a field read at ``pointer``; ``attrs`` maps attributes to their keyword's place."""
        self.fields.append(field)
        self._origins.append((pointer, dict(attrs)))

    def note(
        self, code: str, message: str, pointer: str, severity: Literal["info", "warning"]
    ) -> None:
        """Remark on a part skipped by design (``info``) or read leniently (``warning``)."""
        if code not in PROBLEM_CODES:
            raise ValueError(f"undocumented note code {code!r}")
        pointer, line = self.document.nearest(pointer)
        note = {"code": code, "message": message, "pointer": pointer or None, "line": line}
        self.notes.append({**note, "severity": severity})

    def problem(self, code: str, message: str, pointer: str) -> None:
        """Report a mistake at ``pointer``; the form is not built if there is any."""
        pointer, line = self.document.nearest(pointer)
        location = Location(self.document.file, line, pointer or None, self.form_id)
        self.problems.append(make_problem(code, message, location))

    def form_metadata(self, root: Mapping[str, Any], pointer: str, default_id: str | None) -> Any:
        """The form attributes of ``root``: ``title`` and the ``x-formmerge`` object's."""
        form: dict[str, Any] = {}
        if default_id:
            form["id"] = default_id
        if isinstance(root.get("title"), str):
            form["title"] = root["title"]
            self._form_at["title"] = join_pointer(pointer, "title")
        extension = root.get(EXTENSION_KEYWORD)
        at = join_pointer(pointer, EXTENSION_KEYWORD)
        if isinstance(extension, dict):
            for attr, value in extension.items():
                if attr not in FORM_EXTENSION_ATTRIBUTES:
                    known = ", ".join(FORM_EXTENSION_ATTRIBUTES)
                    message = f"unknown {EXTENSION_KEYWORD} attribute {attr!r}; known: {known}"
                    self.problem("unknown-attribute", message, join_pointer(at, attr))
                    continue
                form[attr] = normalise_materials(value) if attr == "materials" else value
                self._form_at[attr] = join_pointer(at, attr)
        elif extension is not None:
            self.problem("invalid-value", f"{EXTENSION_KEYWORD} must be a mapping", at)
        self.form_id = form["id"] if isinstance(form.get("id"), str) else None
        return form

    def field_extension(
        self, node: Mapping[str, Any], at: str, field: dict[str, Any], attrs: dict[str, str]
    ) -> None:
        """Apply a node's ``x-formmerge`` object: any Field attribute, set directly."""
        extension = node.get(EXTENSION_KEYWORD)
        at = join_pointer(at, EXTENSION_KEYWORD)
        if isinstance(extension, dict):
            for attr, value in extension.items():
                field[attr] = value
                attrs[str(attr)] = join_pointer(at, attr)
        elif extension is not None:
            self.problem("invalid-value", f"{EXTENSION_KEYWORD} must be a mapping", at)

    def build(self, form: dict[str, Any]) -> Form:
        """Check and build the form from ``form`` (its metadata) and the collected fields."""
        data = {**form, "fields": self.fields, "notes": self.notes}
        return build_form(data, self.locate, self.document.file, self.problems)

    def locate(self, loc: Loc) -> Location:
        """The place in the file of a place in the built form's data."""
        name = None
        if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], int):
            base, at = self._origins[loc[1]]
            name = field_name(self.fields[loc[1]])
            attr = loc[2] if len(loc) > 2 and isinstance(loc[2], str) else None
            pointer = at.get(attr, base) if attr else base
        elif loc and isinstance(loc[0], str) and loc[0] in self._form_at:
            pointer = join_pointer(self._form_at[loc[0]], *loc[1:])
        else:
            pointer = ""
        pointer, line = self.document.nearest(pointer)
        return Location(self.document.file, line, pointer or None, self.form_id, name)


def scalar_text(value: Any) -> str:
    """An option code or label as text: ``1`` -> ``"1"``, ``True`` -> ``"true"``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def is_number(value: Any) -> TypeGuard[int | float]:
    """True for an int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def regex_text(value: str) -> str:
    """A pattern as Python reads it: a JavaScript literal ``/^\\d+$/`` loses its slashes."""
    literal = _REGEX_LITERAL.match(value)
    if literal is None:
        return value
    flags = "".join(f for f in literal.group(2) if f in "ims")  # others have no Python twin
    return f"(?{flags}){literal.group(1)}" if flags else literal.group(1)


def join_text(*parts: Any) -> str:
    """The non-empty text parts, each once, one per line (a description and a placeholder)."""
    seen: list[str] = []
    for part in parts:
        if isinstance(part, str) and part.strip() and part.strip() not in seen:
            seen.append(part.strip())
    return "\n".join(seen)


def walk_mappings(data: Any, children: tuple[str, ...]) -> Any:
    """Yield the mappings of a UI tree, following only the keywords in ``children``.

    Lists and the values of mapping-valued children (``properties``) are followed too. At most
    :data:`MAX_DETECTION_NODES` mappings are yielded, so that detection stays cheap.
    """
    stack, seen = [data], 0
    while stack and seen < MAX_DETECTION_NODES:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            seen += 1
            yield node
            for keyword in children:
                child = node.get(keyword)
                if keyword == "properties" and isinstance(child, dict):
                    stack.extend(child.values())
                elif isinstance(child, dict | list):
                    stack.append(child)

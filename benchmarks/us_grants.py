"""Read a us-grants-forms extract (``key | title | type | shared $ref | enum`` lines) as a Form.

The files list a US federal grant form's JSON Schema properties one a line, then its local
definitions (after ``## local $defs``), then its UI sections (``SECTION ...`` lines). A field
is named by its key, dotted as the file writes it. The adapter expands what the file says a
property is made of, so that a field is one answer:

- a property whose ``$ref`` is a local definition (``contact_person_group``) becomes that
  definition's fields under the property's key (``project_director.name``);
- an ``array`` property without options holds the items of the one local definition that
  nothing references (Key Contacts' ``key_contacts`` -> ``key_contact_person``);
- a shared definition the header spells out (``ADDRESS_SHARED_V1:address = Street 1, ...``)
  becomes one field per part, keyed by the part's title in snake case
  (``applicant.street_1``, ``contact_person.first_name``);
- ``object`` properties only hold the dotted lines below them and are not fields.

Dotted keys become groups (for the matcher's context) and the last part is the field's key, so
the annotation key is ``Field.path`` with ``/`` read as ``.``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from formmerge.models import Field, Form, Group, Option

__all__ = ["annotation_key", "read_us_grants_form"]

_SHARED = re.compile(r"([A-Z0-9_]+:[a-z_]+) = ([^;(]+)")
_FORM_NAME = re.compile(r'"form_name":\s*"([^"]+)"')


@dataclass(frozen=True)
class _Line:
    key: str
    title: str
    type: str
    ref: str
    enum: tuple[str, ...]


def _parse(text: str) -> tuple[str, dict[str, list[str]], list[_Line], list[_Line]]:
    title = ""
    shared: dict[str, list[str]] = {}
    props: list[_Line] = []
    local: list[_Line] = []
    target = props
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("## local $defs"):
            target = local
        elif line.startswith("## UI schema sections"):
            target = []
        elif line.startswith("# FORM:"):
            found = _FORM_NAME.search(line)
            title = found.group(1) if found else ""
        elif line.startswith("# SHARED DEFS"):
            for name, parts in _SHARED.findall(line):
                shared[name] = [p.strip() for p in parts.split(",") if p.strip()]
        elif line and not line.startswith(("#", "SECTION")):
            cells = [c.strip() for c in line.split("|")]
            cells += [""] * (5 - len(cells))
            enum = tuple(e.strip() for e in cells[4].split(";") if e.strip())
            target.append(_Line(cells[0], cells[1], cells[2], cells[3], enum))
    return title, shared, props, local


def _snake(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


class _Builder:
    def __init__(self, shared: dict[str, list[str]], local: list[_Line]) -> None:
        self.shared = shared
        self.defs: dict[str, list[_Line]] = {}
        for line in local:
            name, _, rest = line.key.partition(".")
            self.defs.setdefault(name, []).append(
                _Line(rest, line.title, line.type, line.ref, line.enum)
            )
        self.titles: dict[str, str] = {}
        self.repeating: set[str] = set()
        self.fields: list[Field] = []

    def unreferenced(self, props: list[_Line]) -> list[str]:
        used = {line.ref for group in (props, *self.defs.values()) for line in group}
        return [name for name in self.defs if name not in used]

    def add(self, line: _Line, prefix: str, spare: list[str]) -> None:
        key = f"{prefix}{line.key}"
        if line.title:
            self.titles[key] = line.title
        if line.type == "object":
            return
        parts = self.defs.get(line.ref)
        if parts is None and line.type == "array" and not line.enum and len(spare) == 1:
            parts = self.defs[spare.pop()]
            self.repeating.add(key)
        if parts is not None:
            for part in parts:
                self.add(part, f"{key}.", spare)
            return
        if line.ref in self.shared:
            for title in self.shared[line.ref]:
                self.titles[f"{key}.{_snake(title)}"] = title
                self._field(f"{key}.{_snake(title)}", title, "string", ())
            return
        self._field(key, line.title, line.type, line.enum)

    def _field(self, key: str, label: str, kind: str, enum: tuple[str, ...]) -> None:
        *outer, last = key.split(".")
        groups = tuple(
            Group(
                key=part,
                label=self.titles.get(".".join(outer[: i + 1]), ""),
                repeating=".".join(outer[: i + 1]) in self.repeating,
            )
            for i, part in enumerate(outer)
        )
        options = tuple(Option(code=e.split(":")[0].strip(), label=e) for e in enum)
        types = {"boolean": "boolean", "integer": "integer", "number": "number"}
        field_type = "enum" if options else types.get(kind, "string")
        self.fields.append(
            Field(key=last, label=label, type=field_type, options=options, group=groups)
        )


def read_us_grants_form(path: Path, form_id: str | None = None) -> Form:
    """Build a native :class:`Form` from one us-grants-forms ``.txt`` file.

    Args:
        path: the file.
        form_id: the form's id (default: the file's stem).
    """
    title, shared, props, local = _parse(path.read_text(encoding="utf-8"))
    builder = _Builder(shared, local)
    spare = builder.unreferenced(props)
    for line in props:
        builder.add(line, "", spare)
    return Form(
        id=form_id or path.stem,
        title=title,
        language="en",
        fields=tuple(builder.fields),
        source_file=str(path),
    )


def annotation_key(field: Field) -> str:
    """The key an annotation gives this field: its path, dotted."""
    return field.path.replace("/", ".")

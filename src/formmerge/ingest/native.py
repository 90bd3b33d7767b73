"""formmerge's own form format, written in YAML or JSON.

The format is the plain data of :class:`~formmerge.models.Form` (what ``Form.to_dict`` writes),
with a few conveniences for people writing forms by hand:

* ``options`` may be a mapping ``{1: 男, 2: 女}`` (code: label) or a list of strings (each
  string is both code and label), besides the list of ``{code, label}`` mappings;
* ``group`` may be a path string ``"spouse/address"`` of group keys;
* a section ``{key, label, repeating, fields: [...]}`` puts its fields in one group, so that
  they need no ``group`` each. A section stands in a ``fields`` list, in its place in the
  form's order, or in a ``sections:`` list (at the top level or in a section), whose fields
  come after those of the ``fields`` list beside it. Sections nest;
* a group's ``label`` and ``repeating`` need to be stated at one field only;
* a field without ``key`` is keyed by its label;
* ``materials`` entries may be plain strings (the material's name);
* ``id`` defaults to the file name without its extension.
"""

from __future__ import annotations

from typing import Any

from formmerge.errors import FormError, Location, Problem
from formmerge.ingest._build import build_form
from formmerge.ingest._documents import Document, join_pointer
from formmerge.ingest._problems import Loc, Locate, field_name, make_problem
from formmerge.models import Form

__all__ = ["SECTION_ATTRIBUTES", "form_from_document", "normalise_materials", "option_list"]

SECTION_ATTRIBUTES = ("key", "label", "repeating", "fields", "sections")
"""The attributes a section of the ``sections:`` list may have."""


def form_from_document(document: Document, default_id: str | None = None) -> Form:
    """Build the form described by a native YAML or JSON document.

    Args:
        document: the parsed document, with line numbers where known.
        default_id: the form id to use when the document has none (usually the file stem).

    Raises:
        FormError: with one problem for each mistake in the document.
    """
    data = document.data
    if not isinstance(data, dict):
        kind = "nothing" if data is None else type(data).__name__
        code = "empty-file" if data is None else "not-a-mapping"
        message = f"a form file holds a mapping with id, title, fields ...; this one holds {kind}"
        problem = make_problem(code, message, Location(file=document.file, line=1))
        raise FormError(f"cannot read the form in {document.file}", [problem])
    problems = list(document.problems)
    reader = _Reader(document, problems)
    form = reader.form(data, default_id)
    return build_form(form, reader.locator(form), document.file, problems)


def option_list(value: Any) -> Any:
    """Options in the model's shape, from a ``code: label`` mapping or a list of strings.

    Values of other shapes are returned unchanged for validation to report.
    """
    if isinstance(value, dict):
        return [{"code": str(code), "label": _scalar_text(label)} for code, label in value.items()]
    if isinstance(value, list):
        return [_option(item) for item in value]
    return value


def normalise_materials(value: Any) -> Any:
    """Materials in the model's shape: a plain string stands for ``{name: <string>}``."""
    if isinstance(value, list):
        return [{"name": item} if isinstance(item, str) else item for item in value]
    return value


class _Reader:
    """Turns a native document into form data, remembering where each field came from."""

    def __init__(self, document: Document, problems: list[Problem]) -> None:
        self.document = document
        self.problems = problems
        self.fields: list[Any] = []
        self.origins: list[str] = []

    def form(self, data: dict[str, Any], default_id: str | None) -> dict[str, Any]:
        form = {k: v for k, v in data.items() if k not in ("fields", "sections")}
        if "id" not in form and default_id:
            form["id"] = default_id
        if "materials" in form:
            form["materials"] = normalise_materials(form["materials"])
        self._fields(data.get("fields", []), "/fields", [])
        sections = data.get("sections", [])
        if self._is_list(sections, "/sections", "sections"):
            for index, section in enumerate(sections):
                self._section(section, join_pointer("/sections", index), [])
        form["fields"] = self.fields
        return form

    def locator(self, form: dict[str, Any]) -> Locate:
        form_id = form.get("id") if isinstance(form.get("id"), str) else None

        def locate(loc: Loc) -> Location:
            base, rest, name = "", loc, None
            if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], int):
                base, rest, name = self.origins[loc[1]], loc[2:], field_name(self.fields[loc[1]])
            pointer, line = self.document.nearest(join_pointer(base, *rest))
            return Location(self.document.file, line, pointer or None, form_id, name)

        return locate

    def _fields(self, value: Any, pointer: str, groups: list[dict[str, Any]]) -> None:
        if not self._is_list(value, pointer, "fields"):
            return
        for index, data in enumerate(value):
            if isinstance(data, dict) and "fields" in data:
                self._section(data, join_pointer(pointer, index), groups)
            else:
                self.fields.append(self._field(data, join_pointer(pointer, index), groups))
                self.origins.append(join_pointer(pointer, index))

    def _section(self, data: Any, pointer: str, parents: list[dict[str, Any]]) -> None:
        if not isinstance(data, dict):
            self._problem(
                "invalid-group", "a section is a mapping with key, label and fields", pointer
            )
            return
        for attr in data:
            if attr not in SECTION_ATTRIBUTES:
                message = (
                    f"unknown section attribute {attr!r}; expected {', '.join(SECTION_ATTRIBUTES)}"
                )
                self._problem("unknown-attribute", message, join_pointer(pointer, attr))
        key = data.get("key")
        if not isinstance(key, str) or not key.strip():
            self._problem("invalid-group", "a section needs a key (the group key)", pointer)
            return
        group = {attr: data[attr] for attr in ("key", "label", "repeating") if attr in data}
        path = [*parents, group]
        counts = len(self.fields), len(self.problems)
        self._fields(data.get("fields", []), join_pointer(pointer, "fields"), path)
        sections = data.get("sections", [])
        if self._is_list(sections, join_pointer(pointer, "sections"), "sections"):
            for index, section in enumerate(sections):
                self._section(section, join_pointer(pointer, "sections", index), path)
        if (len(self.fields), len(self.problems)) == counts:
            # A group without fields would vanish from the form without a word.
            message = f"section {key!r} has no fields; add them or remove the section"
            self._problem("empty-group", message, join_pointer(pointer, "fields"))

    def _field(self, data: Any, pointer: str, parents: list[dict[str, Any]]) -> Any:
        if not isinstance(data, dict):
            return data
        field = dict(data)
        for attr in ("key", "label"):
            if isinstance(field.get(attr), int | float) and not isinstance(field[attr], bool):
                field[attr] = str(field[attr])
        if "key" not in field and isinstance(field.get("label"), str):
            field["key"] = field["label"]
        if "options" in field:
            field["options"] = option_list(field["options"])
        if isinstance(field.get("examples"), list):
            field["examples"] = [_scalar_text(x) for x in field["examples"]]
        own = self._group_path(field.get("group", []), join_pointer(pointer, "group"))
        if parents or "group" in field:
            field["group"] = [dict(g) for g in parents] + own if isinstance(own, list) else own
        return field

    def _group_path(self, value: Any, pointer: str) -> Any:
        if not isinstance(value, str):
            return (
                [dict(g) if isinstance(g, dict) else g for g in value]
                if isinstance(value, list)
                else value
            )
        keys = [part.strip() for part in value.split("/")]
        if not all(keys):
            self._problem("invalid-group", f"group path {value!r} has an empty part", pointer)
            return []
        return [{"key": key} for key in keys]

    def _is_list(self, value: Any, pointer: str, name: str) -> bool:
        if isinstance(value, list):
            return True
        self._problem(
            "invalid-value", f"{name} must be a list, not {type(value).__name__}", pointer
        )
        return False

    def _problem(self, code: str, message: str, pointer: str) -> None:
        pointer, line = self.document.nearest(pointer)
        location = Location(self.document.file, line, pointer or None)
        self.problems.append(make_problem(code, message, location))


def _option(item: Any) -> Any:
    if isinstance(item, dict):
        option = dict(item)
        for attr in ("code", "label"):
            if attr in option and not isinstance(option[attr], str | None):
                option[attr] = _scalar_text(option[attr])
        return option
    if isinstance(item, str | int | float | bool):
        text = _scalar_text(item)
        return {"code": text, "label": text}
    return item


def _scalar_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if value is None:
        return ""
    return value

"""Export a merged form as JSON Schema (draft 2020-12) for a portal's front end.

Properties are keyed by merged field id (``citizen_id@spouse``) so that the answers a front end
collects can be passed straight to :func:`formmerge.split`. Each property keeps its lineage under
``x-formmerge`` and the schema lists the sections (one per role) in display order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from formmerge.catalog import load_catalog
from formmerge.errors import FormError, Location, Problem
from formmerge.models import Catalog, Field, Form, MergedField, MergedForm, Option

__all__ = ["constraint_keywords", "merged_to_form", "merged_to_json_schema"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_JSON_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "date": "string",
    "datetime": "string",
    "enum": "string",
    "file": "string",
}


def constraint_keywords(field: MergedField, patterns: Sequence[str]) -> dict[str, Any]:
    """The JSON Schema keywords of a field's lengths, bounds and patterns (several patterns
    as an ``allOf``, since a value must match each)."""
    out: dict[str, Any] = {}
    for key, value in (
        ("maxLength", field.max_length),
        ("minLength", field.min_length),
        ("minimum", field.minimum),
        ("maximum", field.maximum),
    ):
        if value is not None:
            out[key] = value
    if len(patterns) == 1:
        out["pattern"] = patterns[0]
    elif patterns:
        out["allOf"] = [{"pattern": p} for p in patterns]
    return out


def _property(field: MergedField) -> dict[str, Any]:
    prop: dict[str, Any] = {"title": field.label, "type": _JSON_TYPES[field.type]}
    if field.label_en:
        prop["x-title-en"] = field.label_en
    if field.type == "date":
        prop["format"] = "date"
    elif field.type == "datetime":
        prop["format"] = "date-time"
    elif field.type == "file":
        prop["contentMediaType"] = "application/octet-stream"
    if field.options:
        prop["oneOf"] = [{"const": o.code, "title": o.label or o.code} for o in field.options]
    prop.update(constraint_keywords(field, field.patterns))
    prop["x-formmerge"] = {
        "item": field.item,
        "role": field.role,
        "format": field.format,
        "sources": [str(s) for s in field.sources],
    }
    return prop


def merged_to_json_schema(merged: MergedForm, catalog: Catalog | None = None) -> dict[str, Any]:
    """The merged form as a JSON Schema object whose properties are the merged fields.

    A field the catalog's derivations fill from another field of the form whatever is answered
    is ``readOnly``, not required, and names its source in ``x-formmerge.derived_from``; one
    derived only under a condition also names it (``derived_when``) and stays to answer.
    """
    from formmerge.catalog import catalog_for  # deferred: the catalog imports much
    from formmerge.derivations import derived_fields

    derived = derived_fields(merged, catalog_for(merged, catalog))
    properties = {f.id: _property(f) for f in merged.fields}
    for field_id, d in derived.items():
        meta = properties[field_id]["x-formmerge"]
        meta["derived_from"] = d.source
        if d.condition is None:
            properties[field_id]["readOnly"] = True
        else:
            meta["derived_when"] = d.condition
    unasked = {k for k, d in derived.items() if d.condition is None}
    sections: dict[str, list[str]] = {}
    for f in merged.fields:
        sections.setdefault(f.role or "other", []).append(f.id)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": merged.id,
        "title": merged.title or merged.id,
        "type": "object",
        "properties": properties,
        "required": [f.id for f in merged.fields if f.required and f.id not in unasked],
        "x-formmerge": {
            "forms": [f.id for f in merged.forms],
            "sections": [{"role": k, "fields": v} for k, v in sections.items()],
            "conflicts": [c.to_dict() for c in merged.conflicts],
        },
    }


def _one_pattern(patterns: tuple[str, ...]) -> str | None:
    """Several patterns as one regular expression that a value must match in full."""
    if len(patterns) <= 1:
        return patterns[0] if patterns else None
    return "".join(f"(?=(?:{p})\\Z)" for p in patterns) + ".*"


def _form_options(field: MergedField, catalog: Catalog | None) -> tuple[Option, ...]:
    """The choices of a merged field: its own, else its code list's (an enum field of a form
    needs them)."""
    if field.options or field.type != "enum" or field.code_list is None:
        return field.options
    catalog = catalog or load_catalog()
    codes = catalog.code_list(field.code_list).codes
    return tuple(Option(code=c.code, label=c.label_zh) for c in codes)


def merged_to_form(merged: MergedForm, catalog: Catalog | None = None) -> Form:
    """The merged application as a plain :class:`Form` whose fields declare their item and role.

    Useful to merge an application with further forms, or to hand it to anything that reads
    forms. An enumerated field whose sources list no options offers its code list's codes; one
    left without options by a ``disjoint-options`` conflict becomes a text field (the conflict
    stays in ``merged.conflicts``).

    Args:
        merged: the merged form.
        catalog: the catalog holding the fields' code lists (default: the shipped one).

    Raises:
        FormError: a field's constraints cannot all hold (a ``length-conflict`` or
            ``range-conflict`` of the merge); one ``unsatisfiable-field`` problem per field.
    """
    fields, problems = [], []
    for f in merged.fields:
        options = _form_options(f, catalog)
        try:
            field = Field(
                key=f.id,
                label=f.label,
                type=f.type if options or f.type != "enum" else "string",
                required=f.required,
                max_length=f.max_length,
                min_length=f.min_length,
                pattern=_one_pattern(f.patterns),
                minimum=f.minimum,
                maximum=f.maximum,
                options=options,
                format=f.format,
                item=f.item,
                role=f.role,
            )
        except ValidationError as e:  # constraints no value meets: see merged.conflicts
            where = Location(form=merged.id, field=f.id)
            problems += [Problem("unsatisfiable-field", err["msg"], where) for err in e.errors()]
            continue
        fields.append(field)
    if problems:
        raise FormError(f"the merged form {merged.id!r} is no valid form", problems)
    subjects = {form.subject for form in merged.forms}
    return Form(
        id=merged.id,
        title=merged.title,
        subject="organization" if subjects == {"organization"} else "person",
        fields=tuple(fields),
    )

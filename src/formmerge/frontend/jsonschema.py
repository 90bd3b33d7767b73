"""The merged application as JSON Schema 2020-12 that a form renderer shows right.

One object property per section (role), holding its fields keyed by merged field id; a
repeating group is an array of row objects. Every enum carries its options (from the code
list where the merged field names one), as ``enum`` with the labels in ``x-enumNames`` (and in
the uiSchema), not as ``oneOf``/``const`` alternatives that renderers pre-select. Checksummed
numbers carry a ``pattern`` for their shape and a named ``format`` (``citizen-id``, ``uscc``)
for the check the front end registers. Values prefilled from verified sources are ``readOnly``,
and so are fields derived from another answer (see :func:`application_schema`).
Required booleans are required through ``not: {not: {required: [...]}}`` rather than
``required``, which renderers answer with ``false`` by default.

The answers a renderer collects are nested the same way; :func:`flatten_answers` turns them
into the ``{field id: value}`` mapping :func:`formmerge.split` takes, and :func:`form_data`
does the reverse for prefilled values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from formmerge.derivations import DerivedField, derived_fields
from formmerge.export import _JSON_TYPES, SCHEMA_DIALECT, constraint_keywords
from formmerge.frontend.sections import RepeatingBlock, Section, sections
from formmerge.models import Catalog, MergedField, MergedForm, Option
from formmerge.prefill.result import Prefill

__all__ = [
    "FORMAT_PATTERNS",
    "SCHEMA_DIALECT",
    "application_schema",
    "field_options",
    "field_patterns",
    "flatten_answers",
    "form_data",
]

FORMAT_PATTERNS: dict[str, str] = {
    "citizen-id": r"^(\d{15}|\d{17}[\dXx])$",
    "uscc": r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    "mobile": r"^1[3-9]\d{9}$",
    "postal-code": r"^\d{6}$",
    "region-code": r"^\d{6}$",
    "vin": r"^[A-HJ-NPR-Z0-9]{17}$",
}
"""The shape of each checksummed or fixed-shape format, as a pattern browsers can check; the
check digit itself is the front end's ``format`` check (the reference page ships one)."""

_STRING_FORMATS = {"date": "date", "datetime": "date-time"}


def field_options(field: MergedField, catalog: Catalog) -> tuple[Option, ...]:
    """The field's options, from its code list when it has none of its own."""
    if field.options or field.code_list is None:
        return field.options
    try:
        codes = catalog.code_list(field.code_list).codes
    except KeyError:
        return ()
    return tuple(Option(code=c.code, label=c.label_zh) for c in codes)


def field_patterns(field: MergedField) -> tuple[str, ...]:
    """The field's own patterns, or the shape of its named format when it has none."""
    if field.patterns or field.format not in FORMAT_PATTERNS:
        return field.patterns
    return (FORMAT_PATTERNS[field.format],)


def _property(
    field: MergedField, catalog: Catalog, read_only: bool, derived: DerivedField | None = None
) -> dict[str, Any]:
    prop: dict[str, Any] = {"title": field.label, "type": _JSON_TYPES[field.type]}
    if field.label_en:
        prop["x-title-en"] = field.label_en
    if field.type in _STRING_FORMATS:
        prop["format"] = _STRING_FORMATS[field.type]
    elif field.format in FORMAT_PATTERNS:
        prop["format"] = field.format
    if field.type == "file":
        prop["contentMediaType"] = "application/octet-stream"
    options = field_options(field, catalog)
    if options:
        prop["type"] = "string"
        prop["enum"] = [o.code for o in options]
        prop["x-enumNames"] = [o.label or o.code for o in options]
    prop.update(constraint_keywords(field, field_patterns(field)))
    if read_only or (derived is not None and derived.condition is None):
        prop["readOnly"] = True
    prop["x-formmerge"] = {"item": field.item, "role": field.role, "format": field.format}
    if derived is not None:
        prop["x-formmerge"]["derived_from"] = derived.source
        if derived.condition is not None:
            prop["x-formmerge"]["derived_when"] = derived.condition
    return prop


def _required(
    schema: dict[str, Any], fields: list[MergedField], derived: Mapping[str, DerivedField]
) -> dict[str, Any]:
    """Add the required fields to an object schema.

    A renderer fills a required boolean nobody answered with ``false`` (react-jsonschema-form
    6 does, by default), so required booleans are required through ``not: {not: {required}}``,
    which validators enforce like ``required`` and renderers do not read for defaults. A field
    derived from another answer whatever is answered is never required: nobody types it.
    """
    fields = [f for f in fields if f.id not in derived or derived[f.id].condition is not None]
    schema["required"] = [f.id for f in fields if f.required and f.type != "boolean"]
    booleans = [f.id for f in fields if f.required and f.type == "boolean"]
    if booleans:
        schema["not"] = {"not": {"required": booleans}}
    return schema


def _block_schema(
    block: RepeatingBlock, catalog: Catalog, locked: set[str], derived: Mapping[str, DerivedField]
) -> dict[str, Any]:
    items = {
        "type": "object",
        "properties": {
            f.id: _property(f, catalog, f.id in locked, derived.get(f.id)) for f in block.fields
        },
    }
    return {
        "type": "array",
        "title": block.title,
        "items": _required(items, block.fields, derived),
    }


def _section_schema(
    section: Section, catalog: Catalog, locked: set[str], derived: Mapping[str, DerivedField]
) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    plain: list[MergedField] = []
    for entry in section.entries:
        if isinstance(entry, RepeatingBlock):
            properties[entry.key] = _block_schema(entry, catalog, locked, derived)
        else:
            properties[entry.id] = _property(
                entry, catalog, entry.id in locked, derived.get(entry.id)
            )
            plain.append(entry)
    schema = {
        "type": "object",
        "title": section.title,
        "x-title-en": section.title_en,
        "properties": properties,
    }
    return _required(schema, plain, derived)


def application_schema(
    merged: MergedForm, catalog: Catalog | None = None, prefilled: Prefill | None = None
) -> dict[str, Any]:
    """The merged application as a nested JSON Schema (see the module documentation).

    Args:
        merged: the merged form.
        catalog: for role titles and code lists (the packaged one by default).
        prefilled: a prefill result; its read-only values make their fields ``readOnly``.

    A field the catalog's derivations fill from another field of the form (the mother's age
    from her citizen ID) is ``readOnly`` and not required, with ``x-formmerge.derived_from``
    naming its source; one derived only under a condition (the document number when the
    document is the resident identity card) stays to answer and names the condition in
    ``x-formmerge.derived_when``.
    """
    from formmerge.catalog import catalog_for  # deferred: the catalog imports much

    cat = catalog_for(merged, catalog)
    locked = set(prefilled.read_only) if prefilled is not None else set()
    laid_out = sections(merged, cat)
    derived = derived_fields(merged, cat)
    properties = {s.key: _section_schema(s, cat, locked, derived) for s in laid_out}
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:formmerge:bundle:{merged.id}",
        "title": merged.title or merged.id,
        "type": "object",
        "properties": properties,
        # a section with required fields is itself required: a validator checks nothing in
        # a section the answers leave out, and renderers leave out sections nobody touched
        "required": [k for k, p in properties.items() if p["required"] or "not" in p],
        "x-formmerge": {
            "bundle": merged.id,
            "forms": [f.id for f in merged.forms],
            "conflicts": [c.to_dict() for c in merged.conflicts],
        },
    }


def form_data(
    merged: MergedForm, values: Mapping[str, Any], catalog: Catalog | None = None
) -> dict[str, Any]:
    """Answers keyed by field id (prefilled values, say) nested as the schema nests them.

    A repeating field's value is a list (one value per row).
    """
    from formmerge.catalog import catalog_for

    out: dict[str, Any] = {}
    for section in sections(merged, catalog_for(merged, catalog)):
        data: dict[str, Any] = {}
        for entry in section.entries:
            if isinstance(entry, RepeatingBlock):
                columns = {f.id: values[f.id] for f in entry.fields if f.id in values}
                rows = max((len(v) for v in columns.values() if isinstance(v, list)), default=0)
                if rows:
                    data[entry.key] = [
                        {k: v[i] for k, v in columns.items() if isinstance(v, list) and i < len(v)}
                        for i in range(rows)
                    ]
            elif entry.id in values:
                data[entry.id] = values[entry.id]
        if data:
            out[section.key] = data
    return out


def flatten_answers(
    merged: MergedForm, data: Mapping[str, Any], catalog: Catalog | None = None
) -> dict[str, Any]:
    """The renderer's nested answers as ``{field id: value}`` for :func:`formmerge.split`;
    a repeating group's rows become one list per field. Keys the schema does not have are
    kept as they are, so that split reports them rather than losing them."""
    from formmerge.catalog import catalog_for

    out: dict[str, Any] = {}
    known: set[str] = set()
    for section in sections(merged, catalog_for(merged, catalog)):
        known.add(section.key)
        given = data.get(section.key)
        if not isinstance(given, Mapping):
            if section.key in data:
                out[section.key] = given
            continue
        for entry in section.entries:
            key = entry.key if isinstance(entry, RepeatingBlock) else entry.id
            if key not in given:
                continue
            if isinstance(entry, RepeatingBlock) and isinstance(given[key], list):
                rows = [r for r in given[key] if isinstance(r, Mapping)]
                for f in entry.fields:
                    if any(f.id in row for row in rows):
                        out[f.id] = [row.get(f.id) for row in rows]
            else:
                out[key] = given[key]
        expected = {e.key if isinstance(e, RepeatingBlock) else e.id for e in section.entries}
        out.update({k: v for k, v in given.items() if k not in expected})
    out.update({k: v for k, v in data.items() if k not in known})
    return out

"""A react-jsonschema-form ``uiSchema`` for :func:`~formmerge.frontend.application_schema`.

It orders sections and fields as the merged form does, makes prefilled verified values
read-only with their source department as help text, gives enums their Chinese labels
(``ui:enumNames``) and a placeholder instead of a pre-selected first option, and shows
booleans as 是/否 radio buttons that start unanswered.
"""

from __future__ import annotations

from typing import Any

from formmerge.frontend.jsonschema import field_options
from formmerge.frontend.sections import RepeatingBlock, sections
from formmerge.models import Catalog, MergedField, MergedForm
from formmerge.prefill.result import Prefill

__all__ = ["BOOLEAN_LABELS", "CHOOSE_PLACEHOLDER", "rjsf_ui_schema"]

BOOLEAN_LABELS = ("是", "否")
CHOOSE_PLACEHOLDER = "请选择"
SUBMIT_TEXT = "提交"
_WIDGETS = {"date": "date", "datetime": "datetime", "file": "file"}


def _field_ui(field: MergedField, catalog: Catalog, prefilled: Prefill | None) -> dict[str, Any]:
    ui: dict[str, Any] = {}
    options = field_options(field, catalog)
    if options:
        ui["ui:enumNames"] = [o.label or o.code for o in options]
        ui["ui:placeholder"] = CHOOSE_PLACEHOLDER
    elif field.type == "boolean":
        ui["ui:widget"] = "radio"
        ui["ui:enumNames"] = list(BOOLEAN_LABELS)
    elif field.type in _WIDGETS:
        ui["ui:widget"] = _WIDGETS[field.type]
    value = prefilled.values.get(field.id) if prefilled is not None else None
    if value is not None:
        where = value.department or value.source
        if value.read_only:
            ui["ui:readonly"] = True
            ui["ui:help"] = f"已由{where}核验，不可修改"
        else:
            ui["ui:help"] = f"来自{where}，请核对"
    return ui


def rjsf_ui_schema(
    merged: MergedForm, catalog: Catalog | None = None, prefilled: Prefill | None = None
) -> dict[str, Any]:
    """The uiSchema (see the module documentation)."""
    from formmerge.catalog import catalog_for

    cat = catalog_for(merged, catalog)
    laid_out = sections(merged, cat)
    ui: dict[str, Any] = {
        "ui:order": [s.key for s in laid_out],
        "ui:submitButtonOptions": {"submitText": SUBMIT_TEXT},
    }
    for section in laid_out:
        part: dict[str, Any] = {"ui:order": []}
        for entry in section.entries:
            if isinstance(entry, RepeatingBlock):
                part["ui:order"].append(entry.key)
                part[entry.key] = {
                    "items": {
                        "ui:order": [f.id for f in entry.fields],
                        **{f.id: _field_ui(f, cat, prefilled) for f in entry.fields},
                    }
                }
            else:
                part["ui:order"].append(entry.id)
                part[entry.id] = _field_ui(entry, cat, prefilled)
        ui[section.key] = part
    return ui

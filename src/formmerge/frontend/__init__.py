"""Front-end exports of a merged application: nested JSON Schema, an RJSF uiSchema, Formily.

Answers a renderer collects come back nested by section; :func:`flatten_answers` gives the
``{field id: value}`` mapping that :func:`formmerge.split` takes.
"""

from formmerge.frontend.formily import formily_schema
from formmerge.frontend.jsonschema import application_schema, flatten_answers, form_data
from formmerge.frontend.sections import sections
from formmerge.frontend.uischema import rjsf_ui_schema

__all__ = [
    "application_schema",
    "flatten_answers",
    "form_data",
    "formily_schema",
    "rjsf_ui_schema",
    "sections",
]

"""formmerge: ask citizens and enterprises for each piece of data only once.

The verbs follow the data flow: :func:`load_catalog` and :func:`load_form` read the inputs,
:func:`match` maps fields to (catalog item, role), :func:`merge` builds the single application,
:func:`split` turns its answers back into each department's payload.
"""

from formmerge.bundle import Bundle, load_bundle
from formmerge.catalog import load_catalog
from formmerge.decisions import Decisions, load_decisions
from formmerge.errors import FormmergeError
from formmerge.export import merged_to_json_schema
from formmerge.ingest import load_form, load_forms
from formmerge.matching import FieldMatcher, match
from formmerge.merging import merge
from formmerge.models import (
    Catalog,
    CatalogItem,
    Field,
    FieldMatch,
    Form,
    Material,
    MergedField,
    MergedForm,
    Role,
)
from formmerge.settings import MatchSettings
from formmerge.splitting import SplitResult, read_back, split

__all__ = [
    "Bundle",
    "Catalog",
    "CatalogItem",
    "Decisions",
    "Field",
    "FieldMatch",
    "FieldMatcher",
    "Form",
    "FormmergeError",
    "MatchSettings",
    "Material",
    "MergedField",
    "MergedForm",
    "Role",
    "SplitResult",
    "load_bundle",
    "load_catalog",
    "load_decisions",
    "load_form",
    "load_forms",
    "match",
    "merge",
    "merged_to_json_schema",
    "read_back",
    "split",
]

__version__ = "0.1.0"

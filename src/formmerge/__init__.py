"""formmerge: ask citizens and enterprises for each piece of data only once.

The verbs follow the data flow: :func:`load_catalog` and :func:`load_form` read the inputs,
:func:`match` maps fields to (catalog item, role), :func:`merge` builds the single application,
:func:`formmerge.prefill.prefill` fills it from shared registers (the subpackage keeps
the name, so it is not re-exported here), :func:`verify` checks eligibility rules,
:func:`split` turns its answers back into each department's payload, and
:func:`bundle_report` / :func:`portfolio_report` measure what was saved.
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
from formmerge.prefill import Prefill, load_sources, prefill_batch
from formmerge.report import bundle_report, portfolio_report
from formmerge.rules import load_rules, verify, verify_batch
from formmerge.settings import MatchSettings
from formmerge.splitting import ReadBackResult, SplitResult, read_back, split

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
    "Prefill",
    "ReadBackResult",
    "Role",
    "SplitResult",
    "bundle_report",
    "load_bundle",
    "load_catalog",
    "load_decisions",
    "load_form",
    "load_forms",
    "load_rules",
    "load_sources",
    "match",
    "merge",
    "merged_to_json_schema",
    "portfolio_report",
    "prefill_batch",
    "read_back",
    "split",
    "verify",
    "verify_batch",
]

__version__ = "0.1.0"

"""formmerge: ask citizens and enterprises for each piece of data only once.

The verbs follow the data flow: :func:`load_catalog` and :func:`load_form` read the inputs,
:func:`match` maps fields to (catalog item, role), :func:`merge` builds the single application,
:func:`formmerge.prefill.prefill` fills it from shared registers (the subpackage keeps
the name, so it is not re-exported here), :func:`verify` checks eligibility rules,
:func:`split` turns its answers back into each department's payload, and
:func:`bundle_report` / :func:`portfolio_report` measure what was saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formmerge._lazy import lazy_exports

if TYPE_CHECKING:
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

_HOMES = {
    "Bundle": "formmerge.bundle",
    "load_bundle": "formmerge.bundle",
    "load_catalog": "formmerge.catalog",
    "Decisions": "formmerge.decisions",
    "load_decisions": "formmerge.decisions",
    "FormmergeError": "formmerge.errors",
    "merged_to_json_schema": "formmerge.export",
    "load_form": "formmerge.ingest",
    "load_forms": "formmerge.ingest",
    "FieldMatcher": "formmerge.matching",
    "match": "formmerge.matching",
    "merge": "formmerge.merging",
    "Catalog": "formmerge.models",
    "CatalogItem": "formmerge.models",
    "Field": "formmerge.models",
    "FieldMatch": "formmerge.models",
    "Form": "formmerge.models",
    "Material": "formmerge.models",
    "MergedField": "formmerge.models",
    "MergedForm": "formmerge.models",
    "Role": "formmerge.models",
    "Prefill": "formmerge.prefill",
    "load_sources": "formmerge.prefill",
    "prefill_batch": "formmerge.prefill",
    "bundle_report": "formmerge.report",
    "portfolio_report": "formmerge.report",
    "load_rules": "formmerge.rules",
    "verify": "formmerge.rules",
    "verify_batch": "formmerge.rules",
    "MatchSettings": "formmerge.settings",
    "ReadBackResult": "formmerge.splitting",
    "SplitResult": "formmerge.splitting",
    "read_back": "formmerge.splitting",
    "split": "formmerge.splitting",
}
"""Where each public name lives: the package imports a module the first time one of its
names is used, so ``import formmerge`` (and the command line's ``--help``) stays fast."""

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


__getattr__, __dir__ = lazy_exports(__name__, globals(), _HOMES, __all__)

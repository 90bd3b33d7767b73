"""Valentine's Coma on the real forms, with the same catalog knowledge formmerge has.

Coma matches two tables by their column names. The catalog side gets **one column per name of
an item** (its label and its aliases: for English forms those without Chinese characters,
English names and ASCII keys; for Chinese forms all of them), so Coma sees every alias
formmerge sees; a name two items share goes to the first (shared names are left out, as they
say nothing about which item is meant). Each form is one call, matched one-to-one (Hungarian)
against that table; the form's table has one column per distinct label, every field with that
label taking its answer (formmerge, too, scores each distinct label once). Coma cannot tell
roles apart: a field's role is the item's first role, or ``organization`` on a form the reader
marks as an organization's. Fields given the same (item, role) across forms form one cluster,
as a merge on Coma's answers would.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

import pandas as pd

from formmerge.models import Catalog, Form

__all__ = ["ComaResult", "alias_frame", "coma_predictions"]

_HAN = re.compile(r"[\u3400-\u9fff]")
ROWS = 3
"""Rows of the (empty) tables: Coma's schema matcher reads column names only."""


def _names(catalog: Catalog, language: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for item in catalog.items:
        label = item.label_en if language == "en" else item.label_zh
        for name in (label, *item.aliases):
            # English forms: names without Chinese characters (English names, ASCII keys);
            # Chinese forms: every name (Chinese names, pinyin keys, English spellings).
            if language != "en" or not _HAN.search(name):
                pairs.append((name, item.id))
    return pairs


def alias_frame(catalog: Catalog, language: str) -> tuple[pd.DataFrame, list[str]]:
    """The catalog as a table of one column per item name; returns it and each column's item."""
    columns: dict[str, list[str]] = {}
    items: list[str] = []
    for name, item_id in _names(catalog, language):
        if name not in columns:
            columns[name] = [""] * ROWS
            items.append(item_id)
    return pd.DataFrame(columns), items


def _form_frame(form: Form) -> tuple[pd.DataFrame, list[list[str]]]:
    """One column per distinct label (or key), as formmerge scores each distinct label once;
    returns the table and, per column, the paths of the fields with that label."""
    paths: dict[str, list[str]] = {}
    for f in form.fields:
        paths.setdefault(f.label or f.key, []).append(f.path)
    return pd.DataFrame({name: [""] * ROWS for name in paths}), list(paths.values())


def _role(catalog: Catalog, item_id: str, form: Form) -> str:
    roles = catalog.item(item_id).roles
    return (
        "organization" if form.subject == "organization" and "organization" in roles else roles[0]
    )


class ComaResult:
    """Coma's (item, role) per field, and the seconds spent in Valentine."""

    def __init__(self) -> None:
        self.predictions: dict[tuple[str, str], tuple[str, str] | None] = {}
        self.seconds = 0.0


def coma_predictions(forms: Sequence[Form], catalog: Catalog) -> ComaResult:
    """Match each form against the alias table with Coma (schema only).

    Returns:
        (form id, field path) -> (item, role) or None, for every field of the forms.
    """
    from valentine import valentine_match
    from valentine.algorithms import Coma

    result = ComaResult()
    tables: dict[str, Any] = {}
    for form in forms:
        language = "en" if form.language == "en" else "zh"
        if language not in tables:
            tables[language] = alias_frame(catalog, language)
        catalog_df, items = tables[language]
        form_df, paths = _form_frame(form)
        column_paths = dict(zip(form_df.columns, paths, strict=True))
        column_item = dict(zip(catalog_df.columns, items, strict=True))
        start = time.perf_counter()
        matches = valentine_match([form_df, catalog_df], Coma(), df_names=["form", "catalog"])
        selected = matches.one_to_one_hungarian()
        result.seconds += time.perf_counter() - start
        for field_paths in paths:
            for field_path in field_paths:
                result.predictions[(form.id, field_path)] = None
        for pair in selected:
            source, target = pair.source, pair.target
            if source[0] != "form":
                source, target = target, source
            item = column_item.get(target[1])
            for found in column_paths.get(source[1], []) if item is not None else []:
                result.predictions[(form.id, found)] = (item, _role(catalog, item, form))
    return result

"""The consent notice of a bundle: what prefill will read, about whom, from which department.

Before prefill the page shows this list; the applicant's consent names the notice by its id (a
hash of its content), so a consent given to one list of reads never covers another.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from formmerge.models import Catalog, MergedForm
from formmerge.prefill.api import field_requests
from formmerge.prefill.config import SourceConfig

__all__ = ["ConsentNotice", "consent_notice"]


@dataclass(frozen=True)
class ConsentNotice:
    """The reads one bundle's prefill makes, and the id a consent refers to."""

    id: str
    reads: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the API."""
        return {"id": self.id, "reads": list(self.reads)}


def consent_notice(
    merged: MergedForm, reads: tuple[str, ...], config: SourceConfig, catalog: Catalog
) -> ConsentNotice:
    """Every (item, role) prefill may read for this merged form and its rules, with the
    departments that hold it."""
    pairs = set(field_requests(merged, catalog).values())
    pairs |= {(r.partition("@")[0], r.partition("@")[2]) for r in reads}
    entries = []
    for item, role in sorted(pairs):
        holders = [s for s in config.ranked_sources(item) if s.roles is None or role in s.roles]
        if not holders:
            continue
        known = catalog.item(item)
        entries.append(
            {
                "item": item,
                "role": role,
                "label": known.label_zh,
                "label_en": known.label_en,
                "departments": list(dict.fromkeys(s.department or s.id for s in holders)),
            }
        )
    text = json.dumps(entries, ensure_ascii=False, sort_keys=True)
    return ConsentNotice(hashlib.sha256(text.encode("utf-8")).hexdigest()[:32], tuple(entries))

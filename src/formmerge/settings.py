"""Named defaults and thresholds, in one place.

Every number that changes what formmerge decides lives here with the reason for its value.
Callers override them per call (``match(..., settings=MatchSettings(review=0.5))``), never by
editing code.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_GAP_SIMILARITY",
    "DEFAULT_MATCH_SETTINGS",
    "MatchSettings",
]


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds and evidence weights of the matcher. Scores are in [0, 1]."""

    matched: float = 0.85
    """At or above this score a match is ``matched``: confident enough to merge unattended."""
    review: float = 0.62
    """At or above this (and below ``matched``) a match goes to ``review``; below, ``unmatched``."""
    ambiguity_margin: float = 0.03
    """A best item beating the runner-up by less than this is sent to review, however high."""
    both_agree_bonus: float = 0.05
    """Added when label and key evidence both point (>= 0.7) to the same item."""
    key_weight: float = 0.97
    """Key similarity counts slightly less than label similarity: keys are short and terse."""
    type_mismatch_penalty: float = 0.15
    """Taken off when the field's type cannot hold the item's values (a date for a name)."""
    options_bonus: float = 0.08
    """Added when the field's options map onto the item's code list (most of them)."""
    options_mismatch_penalty: float = 0.12
    """Taken off when an enum field's options map onto none of the item's codes."""
    examples_bonus: float = 0.08
    """Added when every example value passes the item's validator."""
    examples_penalty: float = 0.12
    """Taken off when an example value fails the item's validator."""
    role_mismatch_penalty: float = 0.25
    """Taken off when the field names a role that the item cannot be about."""
    rerank_candidates: int = 5
    """How many top candidates per field the per-field evidence (options, examples) re-ranks."""
    chunk_rows: int = 4096
    """Distinct query strings scored per ``cdist`` call, to bound memory on huge form sets."""


DEFAULT_MATCH_SETTINGS = MatchSettings()

DEFAULT_GAP_SIMILARITY = 0.86
"""Normalised-label similarity at which two uncatalogued fields of different forms are merged."""

DEFAULT_MATERIAL_SIMILARITY = 0.9
"""Similarity of a material's name to a catalog material type's name or alias to identify it."""

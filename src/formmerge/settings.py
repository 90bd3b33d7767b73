"""Named defaults and thresholds, in one place.

Every number that changes what formmerge decides lives here with the reason for its value.
Callers override them per call (``match(..., settings=MatchSettings(review=0.5))``), never by
editing code.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_BANNER_MAX_CHARS",
    "DEFAULT_DOCUMENT_LIMITS",
    "DEFAULT_GAP_SIMILARITY",
    "DEFAULT_KEY_MAX_CHARS",
    "DEFAULT_MATCH_SETTINGS",
    "DEFAULT_MAX_LABEL_LENGTH",
    "DEFAULT_MIN_REPEATED_ROWS",
    "DEFAULT_PATTERN_TIMEOUT",
    "MAX_SCHEMA_DEPTH",
    "MAX_SCHEMA_FIELDS",
    "DocumentLimits",
    "MatchSettings",
]


@dataclass(frozen=True)
class MatchSettings:
    """Thresholds and evidence weights of the matcher. Scores are in [0, 1]."""

    matched: float = 0.85
    """At or above this score a match is ``matched``: confident enough to merge unattended."""
    review: float = 0.7
    """At or above this (and below ``matched``) a match goes to ``review``; below, ``unmatched``."""
    ambiguity_margin: float = 0.03
    """A best item beating the runner-up by less than this is sent to review, however high."""
    shared_alias_weight: float = 0.96
    """Similarity to a name two items share counts this much: the item whose own name it is
    wins by the ambiguity margin unless other evidence (a format, a pattern) says otherwise."""
    both_agree_bonus: float = 0.05
    """Added when label and key evidence both point (>= 0.7) to the same item."""
    key_weight: float = 0.97
    """Weight of key similarity for a field with no label (its key is all there is)."""
    key_weight_with_label: float = 0.9
    """Weight of key similarity when the field has a label: where they disagree, the label wins."""
    label_floor_for_key: float = 0.5
    """Below this label similarity, the key is taken to contradict the label."""
    initials_key_label_floor: float = 0.7
    """Below this label similarity, a key that is only the label's pinyin initials (``zh``
    under 证号) is taken to contradict the label too."""
    contradicted_key_weight: float = 0.75
    """Key similarity is scaled by this where it contradicts the label: a proposal, no more."""
    role_fit_bonus: float = 0.04
    """Added to items whose default role is the role the field is about (named, or implied by
    the form): breaks ties between items that share a name."""
    subject_mismatch_penalty: float = 0.05
    """Taken off organization items for role-less fields of a person's form ("单位名称" there is
    the employer): enough to break a tie, not to overrule a clear label."""
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
    no_shared_word_weight: float = 0.85
    """An English label's score for an item whose English names share none of its words: the
    characters may be alike ("va file number", "mobile"), the meaning is not."""
    head_word_missing_weight: float = 0.85
    """An English label's score for an item that shares some of its words but not its head word
    ("military service number" and the service type, "country of birth" and the birth order):
    at most review, never matched on the shared modifier alone."""
    generic_word_items: int = 12
    """An English word in the names of more items than this ("number", "name", "date") is no
    evidence that a label and an item share meaning."""
    alternative_weight: float = 0.8
    """An alternative of a label ("用途" in "查询目的或用途") scores this share of its similarity:
    an answer that may be either of two things reaches review, not matched, on its own."""
    context_span: int = 3
    """How many fields without a role of their own, after a field that names a person
    ("负责人 | 电话 | 手机"), are that person's."""
    context_kept_items: tuple[str, ...] = (
        "postal_code",
        "mailing_address",
        "current_address",
        "street_address",
        "address_line_2",
        "city",
        "county_district",
        "province_state",
        "country",
        "website",
    )
    """Items the layout run never gives to the person named just before: an address or a
    postcode after "法定代表人 | 身份证号 | 通讯地址" belongs with the subject's address
    block, while the ID number and the phone are the person's."""
    short_key: int = 4
    """Keys shorter than this (``xm``, ``xb``, ``mz``) only count as evidence when equal."""
    rerank_candidates: int = 5
    """How many top candidates per field the per-field evidence (options, examples) re-ranks."""
    chunk_rows: int = 4096
    """Distinct query strings scored per ``cdist`` call, to bound memory on huge form sets."""


DEFAULT_MATCH_SETTINGS = MatchSettings()

DEFAULT_GAP_SIMILARITY = 0.85
"""Normalised-label similarity at which two uncatalogued fields of different forms are merged."""

DEFAULT_GAP_SIMILARITY_WITH_OPTIONS = 0.7
"""Lower label similarity that suffices when two enumerated fields' options overlap."""

DEFAULT_GAP_OPTION_OVERLAP = 0.6
"""Share of the smaller option set found in the other for the lower label similarity to do."""

DEFAULT_GAP_CONTAINED_MIN_CHARS = 3
"""A label contained in another joins it only if it has at least this many characters."""

DEFAULT_GAP_CONTAINED_MIN_SHARE = 0.35
"""... and is at least this share of the longer label's length."""

DEFAULT_MATERIAL_SIMILARITY = 0.9
"""Similarity of a material's name to a catalog material type's name or alias to identify it."""


@dataclass(frozen=True)
class DocumentLimits:
    """Bounds on what one YAML or JSON file may hold, so that no input can hang or exhaust a run.

    Every governing file (form, catalog, sources, decisions, bundle, rules) is read under these
    limits; a file beyond one is refused with a located problem, never read in part.
    """

    max_bytes: int = 16 * 1024 * 1024
    """Largest file read (16 MiB). The largest real form seen is under 1 MiB."""
    max_depth: int = 100
    """Deepest nesting of mappings and lists. Real forms and schemas stay under 20 levels;
    a bound far below Python's recursion limit keeps every later recursive walk safe."""
    max_aliases: int = 1_000
    """Most alias uses (``*name``) in one file."""
    max_alias_nodes: int = 10_000
    """Most values that aliases may add once expanded: a few-hundred-byte "billion laughs"
    document would otherwise expand to billions of values."""
    max_integer_digits: int = 100
    """Longest integer, in digits. Python refuses to convert more than 4,300 digits; nothing a
    form, a catalog or a rule holds comes near 100."""


DEFAULT_DOCUMENT_LIMITS = DocumentLimits()
MAX_SCHEMA_DEPTH = 64
"""Deepest nesting of objects a JSON Schema form may have. Real forms nest a handful of
levels; the limit turns a runaway (or hostile) schema into a located problem instead of a
crash of the interpreter's recursion."""

MAX_SCHEMA_FIELDS = 5_000
"""Most fields one JSON Schema may expand to. A form has a few hundred fields at most (the
largest of 110 real portal schemas has 327); the limit stops ``$ref`` chains that multiply (a
definition used twice in a definition used twice ...) within seconds, before they exhaust
memory."""
# --------------------------------------------------------------------------- table forms

DEFAULT_BANNER_MAX_CHARS = 30
"""A full-width text row of a form table longer than this is prose (an instruction, a
declaration), not a section title: section titles are short noun phrases."""

DEFAULT_MIN_REPEATED_ROWS = 2
"""Like value rows under one header row that make a repeating group (one row is one entry)."""

DEFAULT_KEY_MAX_CHARS = 40
"""Keys made from label text (forms without placeholders) are cut to this many characters."""
DEFAULT_PATTERN_TIMEOUT = 0.25
"""Seconds one form pattern may take to match one applicant value. A form's pattern is data
written by someone else: one that backtracks catastrophically (``(a|aa)+$``) must not hang a
portal; a match that runs out of time is a ``pattern-timeout`` problem."""

DEFAULT_MAX_LABEL_LENGTH = 1000
"""Labels (and keys) longer than this are refused before merging (``label-too-long``). A label
is a question; the longest on real forms are a few dozen characters, and scoring a huge one
against every alias costs time in proportion to its length (about 27 ms at this length, 0.9 s
at 100,000 characters)."""

# Words for the person who runs a business that may be a natural person's (an individual
# business's 经营者): a label of alternatives holding one ("法人代表/经营者") does not make the
# form an organization's.
INDIVIDUAL_BUSINESS_WORDS: tuple[str, ...] = ("经营者",)

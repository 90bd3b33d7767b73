"""The score matrix fields x items: text similarity, then structural and value evidence.

Everything here is a whole-matrix operation over the *distinct* strings of the fields
(:func:`rapidfuzz.process.cdist`), except the value evidence, which re-ranks each field's few
best candidates only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from formmerge.catalog import code_for
from formmerge.catalog_index import CatalogIndex
from formmerge.matching.labels import expand_abbreviations, label_alternatives, label_parts
from formmerge.matching.query import Query
from formmerge.models import FIELD_TYPES, Catalog, Option
from formmerge.normalize import (
    DEFAULT_CACHE_SIZE,
    has_cjk,
    key_tokens,
    normalize_key,
    normalize_label,
    pinyin_initials,
)
from formmerge.settings import MatchSettings
from formmerge.validators import FORMAT_SAMPLES, VALIDATORS

__all__ = ["Scorer"]

# Types that can hold one another's values: a date item on a string field is fine, a date
# field for a name item is not.
_COMPATIBLE: dict[str, set[str]] = {
    "string": {"string", "integer", "number", "date", "datetime", "enum", "boolean"},
    "integer": {"integer", "number", "string"},
    "number": {"integer", "number", "string"},
    "boolean": {"boolean", "enum"},
    "date": {"date", "datetime", "string"},
    "datetime": {"date", "datetime", "string"},
    "enum": {"enum", "string", "boolean"},
    "file": {"file"},
}
_TYPE_OK = np.array(
    [[item_t in _COMPATIBLE[field_t] for item_t in FIELD_TYPES] for field_t in FIELD_TYPES],
    dtype=np.bool_,
)

Scores = npt.NDArray[np.float32]


class Scorer:
    """Builds the score matrix of prepared fields against a catalog index.

    Args:
        catalog: the catalog (for code-list look-ups).
        index: its matching index.
        settings: evidence weights.
    """

    def __init__(self, catalog: Catalog, index: CatalogIndex, settings: MatchSettings) -> None:
        self.catalog = catalog
        self.index = index
        self.settings = settings
        self._codes: dict[tuple[str, str], str | None] = {}
        self._sharing: dict[str, npt.NDArray[np.intp] | None] = {}
        self.index_words: dict[str, set[int]] = {}
        self._item_words: dict[int, set[str]] = {}
        self._heads: dict[str, npt.NDArray[np.intp] | None] = {}
        for pos, item in enumerate(index.items):
            names = (item.id, item.label_en, *item.aliases, *item.shared_aliases)
            for name in names:
                if has_cjk(name):
                    continue
                for w in english_words(expand_abbreviations(" ".join(key_tokens(name)))):
                    self.index_words.setdefault(w, set()).add(pos)
                    self._item_words.setdefault(pos, set()).add(w)
        self._generic_words = frozenset(
            w for w, items in self.index_words.items() if len(items) > settings.generic_word_items
        )

    def scores(self, queries: list[Query]) -> Scores:
        """Text, structural and option evidence for every field against every item."""
        scores = self.text_scores(queries)
        self.structural(queries, scores)
        return scores

    # ------------------------------------------------------------------ text

    def _similarity(self, queries: list[str], columns_texts: list[str]) -> Scores:
        """Distinct query strings x alias columns, in [0, 1], chunked to bound memory."""
        out = np.zeros((len(queries), len(columns_texts)), dtype=np.float32)
        step = self.settings.chunk_rows
        for start in range(0, len(queries), step):
            block = process.cdist(
                queries[start : start + step],
                columns_texts,
                scorer=fuzz.ratio,
                dtype=np.uint8,
                workers=-1,
            )
            out[start : start + step] = block
        return out / np.float32(100.0)

    def fold(
        self,
        per_query: list[str],
        texts: list[str],
        starts: npt.NDArray[np.intp],
        shared: npt.NDArray[np.bool_],
        exact_below: int = 0,
    ) -> Any:
        """Per-field item scores: distinct queries x alias columns, folded to items.

        Strings shorter than ``exact_below`` on either side only count when equal: one edit
        turns one two-letter key (``xm``) into another (``xb``).
        """
        uniq, inverse = np.unique(np.asarray(per_query, dtype=object), return_inverse=True)
        queries = [str(u) for u in uniq]
        sims = self._similarity(queries, texts)
        # a name two items share says less than an item's own name ("联系电话" is the phone's
        # own label and only a shared alias of the mobile number)
        sims[:, shared] *= np.float32(self.settings.shared_alias_weight)
        if exact_below:
            short_q = np.asarray([len(q) < exact_below for q in queries])
            short_t = np.asarray([len(t) < exact_below for t in texts])
            short = short_q[:, None] | short_t[None, :]
            sims[short & (sims < 1.0)] = 0.0
        by_item = np.maximum.reduceat(sims, starts, axis=1)
        empty = np.asarray([u == "" for u in uniq])
        by_item[empty] = 0.0
        return by_item[inverse]

    def _parts_fold(self, per_query: list[str]) -> Any:
        """Label scores, each label's best part counting (:mod:`.labels`)."""
        labels = self.index.labels
        weight = np.float32(self.settings.alternative_weight)
        parts = [
            [(p, np.float32(1.0)) for p in label_parts(t)]
            + [(a, weight) for a in label_alternatives(t)]
            for t in per_query
        ]
        if all(len(p) == 1 for p in parts):
            return self.fold(per_query, labels.texts, labels.starts, labels.shared)
        flat = [text for ps in parts for text, _ in ps]
        weights = np.asarray([w for ps in parts for _, w in ps], dtype=np.float32)
        starts = np.cumsum([0] + [len(ps) for ps in parts[:-1]])
        scores = self.fold(flat, labels.texts, labels.starts, labels.shared) * weights[:, None]
        return np.maximum.reduceat(scores, starts, axis=0)

    def text_scores(self, queries: list[Query]) -> Scores:
        """Label and key similarity, the label deciding where both speak."""
        ix, s = self.index, self.settings
        labels = ix.labels
        label = self._parts_fold([q.label for q in queries])
        # the full label too, so that stripping a role word never loses an item ("企业名称")
        full = self.fold(
            [q.full_label for q in queries], labels.texts, labels.starts, labels.shared
        )
        label = np.maximum(label, full)
        if any(q.part_label for q in queries):
            # "last" in ``fullName`` is the last name: score the part with the group's noun
            part = self.fold(
                [q.part_label for q in queries], labels.texts, labels.starts, labels.shared
            )
            label = np.maximum(label, part)
        key = self.fold(
            [q.key for q in queries],
            ix.keys.texts,
            ix.keys.starts,
            ix.keys.shared,
            exact_below=s.short_key,
        )
        # a form's label says more than its key: the key decides only where the label is silent
        has_label = np.asarray([bool(q.field.label.strip()) for q in queries])
        key *= np.where(has_label, s.key_weight_with_label, s.key_weight)[:, None]
        # a key that contradicts the field's own label (备注 with key ``bz``, also 币种) is weak
        contradicted = has_label[:, None] & (label < s.label_floor_for_key)
        # a key that is the label's pinyin initials (``zh`` under 证号) says nothing the label
        # does not: where the label is unsure, so is the key (zh is 账号, 证号 and 住户 alike)
        initials = np.asarray([_key_is_initials(q.field.label, q.field.key) for q in queries])
        contradicted |= initials[:, None] & (label < s.initials_key_label_floor)
        key[contradicted] *= s.contradicted_key_weight
        scores = np.maximum(label, key)
        agree = (label >= 0.7) & (key >= 0.7)
        scores[agree] += s.both_agree_bonus
        self._english_words(queries, scores)
        return np.asarray(scores, dtype=np.float32)

    def _english_words(self, queries: list[Query], scores: Scores) -> None:
        """English is compared by words: an item that shares no word with the label is weak.

        Characters alone make "va file number" resemble "mobile" and "country of birth" birth
        order; an English label (or key read as words) scores an item whose English names share
        none of its words at ``no_shared_word_weight``. An item that shares words but not the
        label's head word (:func:`head_word`: "number" in "military service number", "country"
        in "country of birth") scores at ``head_word_missing_weight``: it names something else
        about the same thing (the service type, the birth order).
        """
        weight = np.float32(self.settings.no_shared_word_weight)
        head_weight = np.float32(self.settings.head_word_missing_weight)
        for i, q in enumerate(queries):
            text = q.part_label or q.label
            if not text or has_cjk(text) or not any(c.isalpha() for c in text):
                continue
            sharing = self._items_sharing(text)
            if sharing is None:
                continue
            keep = scores[i, sharing].copy()
            scores[i] *= weight
            scores[i, sharing] = keep
            # the field's own words name the head: "postal code" under ``address`` is a code
            lacking = self._items_lacking_head(q.label, sharing)
            if lacking is not None and len(lacking):
                scores[i, lacking] *= head_weight

    def _items_sharing(self, text: str) -> npt.NDArray[np.intp] | None:
        """Item positions whose English names share a word with ``text``; None: no words."""
        if text not in self._sharing:
            # words most items have ("number", "name", "date") tell nothing apart
            words = english_words(expand_abbreviations(text)) - self._generic_words
            found: set[int] = set()
            for w in words:
                found |= self.index_words.get(w, set())
            self._sharing[text] = np.asarray(sorted(found), dtype=np.intp) if words else None
        return self._sharing[text]

    def _items_lacking_head(
        self, text: str, sharing: npt.NDArray[np.intp]
    ) -> npt.NDArray[np.intp] | None:
        """Of the items sharing a word with ``text``, those whose names lack its head word."""
        if text not in self._heads:
            head = head_word(expand_abbreviations(text)) if text else None
            self._heads[text] = (
                None
                if head is None
                else np.asarray(
                    [p for p in sharing if head not in self._item_words.get(int(p), set())],
                    dtype=np.intp,
                )
            )
        return self._heads[text]

    # ------------------------------------------------------------------ structure

    def structural(self, queries: list[Query], scores: Scores) -> None:
        """Type, role, form subject and options evidence, in place."""
        ix, s = self.index, self.settings
        field_types = np.asarray([FIELD_TYPES.index(q.field.type) for q in queries])
        type_ok = _TYPE_OK[field_types][:, ix.item_type]
        scores[~type_ok] -= s.type_mismatch_penalty
        role_rows = np.asarray([ix.role_row(q.stand_in or q.role) for q in queries])
        has_role = role_rows >= 0
        if has_role.any():
            allowed = ix.role_allowed[role_rows[has_role]].copy()
            # on an organization's form the applicant is the organization (申请人名称, a group
            # 申请人 above 注册地址): the organization's items fit the applicant too
            org_row = ix.role_row("organization")
            if org_row >= 0:
                applicant_org = np.asarray(
                    [q.role == "applicant" and q.subject == "organization" for q in queries]
                )[has_role]
                allowed[applicant_org] |= ix.role_allowed[org_row]
            sub = scores[has_role]
            sub[~allowed] -= s.role_mismatch_penalty
            scores[has_role] = sub
        # an item whose default role is the role the field is about fits better: breaks ties
        # such as 单位地址 (registered, not mailing, address) or 出生时间 in a newborn section
        effective = np.asarray([ix.role_row(implied_role(q)) for q in queries])
        fits = (effective[:, None] >= 0) & (ix.default_role[None, :] == effective[:, None])
        scores[fits] += s.role_fit_bonus
        person_form = np.asarray([q.subject == "person" and q.role is None for q in queries])
        if person_form.any():
            sub = scores[person_form]
            sub[:, ix.organization_default] -= s.subject_mismatch_penalty
            scores[person_form] = sub
        self._option_evidence(queries, scores)
        # no upper clip yet: bonuses must still separate two items that both reach 1.0
        np.maximum(scores, 0.0, out=scores)

    def code(self, code_list: str, value: str) -> str | None:
        """:func:`~formmerge.catalog.code_for`, remembered: forms repeat the same options."""
        key = (code_list, value)
        if key not in self._codes:
            self._codes[key] = code_for(self.catalog, code_list, value)
        return self._codes[key]

    def _option_evidence(self, queries: list[Query], scores: Scores) -> None:
        """Options that map onto an item's code list raise it; none at all lower it.

        Computed per field and code list (a dozen lists), then spread to every item using the
        list, so an enum field is compared with all coded items, not only its best labels.
        """
        ix, s = self.index, self.settings
        lists = ix.code_lists
        if not lists:
            return
        shares: dict[tuple[Option, ...], npt.NDArray[np.float32]] = {}
        for i, q in enumerate(queries):
            options = q.field.options
            if not options:
                continue
            if options not in shares:
                shares[options] = np.asarray(
                    [
                        sum(1 for o in options if self.code(cl, o.code) or self.code(cl, o.label))
                        / len(options)
                        for cl in lists
                    ],
                    dtype=np.float32,
                )
            share = shares[options]
            per_item = np.where(ix.item_code_list >= 0, share[ix.item_code_list], -1.0)
            scores[i, per_item >= 0.5] += s.options_bonus
            scores[i, per_item == 0.0] -= s.options_mismatch_penalty
            q.notes.extend(
                f"{share[k] * len(options):.0f}/{len(options)} options in code list {cl}"
                for k, cl in enumerate(lists)
                if share[k] >= 0.5
            )

    # ------------------------------------------------------------------ values

    def value_evidence(self, q: Query, item_pos: int) -> tuple[float, list[str]]:
        """Example values, a pattern and a declared format against one candidate item."""
        s, item = self.settings, self.index.items[item_pos]
        delta, reasons = 0.0, []
        if item.format and item.format in VALIDATORS:
            check = VALIDATORS[item.format]
            if q.field.examples:
                if all(check(e) for e in q.field.examples):
                    delta += s.examples_bonus
                    reasons.append(f"examples pass {item.format}")
                else:
                    delta -= s.examples_penalty
                    reasons.append(f"an example fails {item.format}")
            samples = FORMAT_SAMPLES.get(item.format, ())
            if q.field.pattern and samples:
                if any(_fullmatch(q.field.pattern, v) for v in samples):
                    delta += s.examples_bonus / 2
                    reasons.append(f"the form's pattern accepts a {item.format}")
                else:
                    # a pattern no value of the format can match rules the item out
                    delta -= s.examples_penalty
                    reasons.append(f"the form's pattern rejects a {item.format}")
            if q.field.format == item.format:
                delta += s.examples_bonus
                reasons.append(f"declared format {item.format}")
        return delta, reasons


_STOP_WORDS = frozenset({"of", "the", "a", "an", "and", "or", "to", "for", "in", "on", "is", "no"})
"""Words too common to say two English names are about the same thing."""


def english_words(text: str) -> frozenset[str]:
    """The content words of an English text, plural -s dropped: "Dates of birth" -> date, birth.

    Example:
        >>> sorted(english_words("dates of birth"))
        ['birth', 'date']
    """
    words = set()
    for w in re.split(r"[^a-z0-9]+", text.lower()):
        if len(w) < 2 or w in _STOP_WORDS or w.isdigit():
            continue
        words.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return frozenset(words)


_PREPOSITION_RE = re.compile(r"\b(?:of|to|for|with|at|in|on|by|from)\b")
"""Words after which an English phrase qualifies its head ("country of birth")."""


def head_word(text: str) -> str | None:
    """The head word of an English label, as :func:`english_words` spells it, or None.

    The word a phrase is about: the last content word ("home phone" -> phone, "veteran
    service number" -> number), or the last one before a preposition ("country of birth" ->
    country, "relationship to veteran" -> relationship). A one-word label has no head to
    check (None).

    Example:
        >>> head_word("country of birth"), head_word("apartment number"), head_word("phone")
        ('country', 'number', None)
    """
    lowered = text.lower()
    before_of = _PREPOSITION_RE.split(lowered, maxsplit=1)
    words = [w for w in re.split(r"[^a-z0-9]+", lowered) if w]
    if len(english_words(lowered)) < 2 or not words:
        return None
    phrase = before_of[0] if len(before_of) > 1 and english_words(before_of[0]) else lowered
    content = [w for w in re.split(r"[^a-z0-9]+", phrase) if english_words(w)]
    return next(iter(english_words(content[-1]))) if content else None


@lru_cache(maxsize=DEFAULT_CACHE_SIZE)
def _key_is_initials(label: str, key: str) -> bool:
    """True if a Chinese label's pinyin initials are the field's key."""
    normal = normalize_label(label)
    return has_cjk(normal) and pinyin_initials(normal) == normalize_key(key).replace("_", "")


def implied_role(q: Query) -> str | None:
    """The role a field is about: named by it, else the form's default role, if any."""
    if q.role is not None:
        return q.role
    if q.default_role is not None:
        return q.default_role
    return "organization" if q.subject == "organization" else None


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _fullmatch(pattern: str, value: str) -> bool:
    compiled = _compiled(pattern)
    return compiled is not None and compiled.fullmatch(value) is not None

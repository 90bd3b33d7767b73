"""Spells one catalogued field: its base name, role marker, typo, language mix and key."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from benchmarks.catalog_view import CatalogView, ItemNames
from benchmarks.variants import (
    VariationMix,
    abbreviate,
    bilingual,
    english_key,
    looks_like_pinyin,
    pinyin_key,
    typo,
)
from formmerge.catalog import alias_key
from formmerge.models import Role

__all__ = ["LabelWriter", "Marker", "Written"]

ZH_MARKER_STYLES = (("prefix", 0.45), ("group", 0.35), ("suffix", 0.1), ("bare", 0.1))
EN_MARKER_STYLES = (("prefix", 0.45), ("group", 0.3), ("suffix", 0.15), ("bare", 0.1))
PINYIN_MARKER_STYLES = (("key", 0.75), ("group", 0.25))
ZH_GROUP_TITLES = ("{w}信息", "{w}情况", "{w}基本信息", "{w}")
EN_GROUP_TITLES = ("{W} Information", "{W}'s Details", "{W}")
BARE_ITEMS = {"organization": "enterprise_name"}
"""The item a bare role word (``法定代表人``) stands for: the person's name, or this."""


@dataclass(frozen=True)
class Marker:
    """How one section of a form says whose data its fields are."""

    role: Role
    style: str
    """``prefix``, ``suffix``, ``group``, ``bare`` (the name field is the role word alone) or
    ``key`` (a pinyin or English key prefix)."""
    word_zh: str
    word_en: str
    group_label: str = ""
    group_key: str = ""
    key_prefix: str = ""
    glued: bool = False
    possessive: bool = True


@dataclass
class Written:
    """A spelled field: label, explicit key (or the text to derive one from), provenance."""

    label: str
    key: str
    key_text: str
    source: str
    seen: bool
    kinds: set[str] = field(default_factory=set)


def _pick(rng: random.Random, styles: tuple[tuple[str, float], ...]) -> str:
    r, acc = rng.random(), 0.0
    for name, p in styles:
        acc += p
        if r < acc:
            return name
    return styles[-1][0]


def _role_word(rng: random.Random, words: tuple[str, ...], fallback: str) -> str:
    if not words:
        return fallback
    return rng.choice(words[:3]) if rng.random() < 0.7 else rng.choice(words)


def _title(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


class LabelWriter:
    """Spells labels and keys for one catalog view and variation mix."""

    def __init__(self, view: CatalogView, mix: VariationMix) -> None:
        self.view = view
        self.mix = mix
        self._visible_pinyin: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------------ markers

    def marker(self, role: Role, language: str, rng: random.Random, pinyin: bool = False) -> Marker:
        """A marker for one section about ``role``."""
        word_zh = _role_word(rng, role.words_zh, role.label_zh)
        word_en = _title(_role_word(rng, role.words_en, role.label_en))
        if pinyin:
            style = _pick(rng, PINYIN_MARKER_STYLES)
            prefixes = [p for p in role.key_prefixes if looks_like_pinyin(p)] or list(
                role.key_prefixes
            )
            prefix = rng.choice(prefixes) if prefixes else pinyin_key(role.label_zh)
            glued = looks_like_pinyin(prefix) and rng.random() < 0.5
            if style == "group":
                return Marker(role, "group", word_zh, word_en, group_key=prefix)
            return Marker(role, "key", word_zh, word_en, key_prefix=prefix, glued=glued)
        styles = EN_MARKER_STYLES if language == "en" else ZH_MARKER_STYLES
        style = _pick(rng, styles)
        group_label = ""
        if style == "group":
            if language == "en":
                group_label = rng.choice(EN_GROUP_TITLES).format(W=word_en)
            else:
                # a section is titled with a whole word (父亲信息), never a lone 父 or 夫
                words = tuple(w for w in role.words_zh if len(w) > 1)
                word_zh = _role_word(rng, words, role.label_zh)
                group_label = rng.choice(ZH_GROUP_TITLES).format(w=word_zh)
        return Marker(
            role, style, word_zh, word_en, group_label=group_label, possessive=rng.random() < 0.6
        )

    def mark(self, base: str, marker: Marker | None, language: str) -> str:
        """``base`` with the role words the marker adds to a label."""
        if marker is None or marker.style in ("group", "key"):
            return base
        if language == "en":
            if marker.style == "suffix":
                return f"{base} of {marker.word_en.lower()}"
            return f"{marker.word_en}'s {base}" if marker.possessive else f"{marker.word_en} {base}"
        if marker.style == "suffix":
            return f"{base}（{marker.word_zh}）"
        return marker.word_zh + base

    # ------------------------------------------------------------------ base names

    def _base(self, names: ItemNames, language: str, rng: random.Random) -> tuple[str, str, bool]:
        item = names.item
        canonical = item.label_en if language == "en" else item.label_zh
        if rng.random() >= self.mix.alias:
            return canonical, "canonical", True
        seen, held = names.seen[language], names.held[language]
        r = rng.random()
        if r < 0.4 and seen:
            return rng.choice(seen), "seen_alias", True
        if r < 0.75 and held:
            return rng.choice(held), "held_out_alias", False
        abbr = abbreviate(rng.choice([canonical, *seen, *held]), rng)
        if abbr and not self.view.is_other_items_name(abbr, item.id):
            return abbr, "abbreviation", alias_key(abbr) in names.visible_keys
        if held:
            return rng.choice(held), "held_out_alias", False
        if seen:
            return rng.choice(seen), "seen_alias", True
        return canonical, "canonical", True

    def _visible_pinyin_of(self, names: ItemNames) -> frozenset[str]:
        item = names.item
        if item.id not in self._visible_pinyin:
            keys = {pinyin_key(n) for n in (item.label_zh, *names.seen["zh"])}
            keys |= {alias_key(a) for a in names.seen["pinyin"]}
            self._visible_pinyin[item.id] = frozenset(keys)
        return self._visible_pinyin[item.id]

    def _pinyin_base(self, names: ItemNames, rng: random.Random) -> tuple[str, str, bool]:
        if rng.random() >= self.mix.alias:
            return pinyin_key(names.item.label_zh), "canonical", True
        options: list[tuple[str, str]] = [(a, "seen_alias") for a in names.seen["pinyin"]]
        options += [(a, "held_out_alias") for a in names.held["pinyin"]]
        options += [(pinyin_key(a), "seen_alias") for a in names.seen["zh"]]
        options += [(pinyin_key(a), "held_out_alias") for a in names.held["zh"]]
        options = [(k, s) for k, s in options if k]
        if not options:
            return pinyin_key(names.item.label_zh), "canonical", True
        key, source = rng.choice(options)
        key = key.lower()
        return key, source, key in self._visible_pinyin_of(names)

    # ------------------------------------------------------------------ fields

    def write(
        self,
        names: ItemNames,
        marker: Marker | None,
        language: str,
        pinyin: bool,
        bilingual_pattern: int | None,
        rng: random.Random,
    ) -> Written:
        """Spell one field of ``names.item``, about ``marker.role`` (or the main subject)."""
        if pinyin:
            key, source, seen = self._pinyin_base(names, rng)
            if marker is not None and marker.style == "key":
                key = f"{marker.key_prefix}{'' if marker.glued else '_'}{key}"
            kinds = {"alias"} if source != "canonical" else set()
            if marker is not None:
                kinds.add("role")
            return Written("", key, "", source, seen, kinds)
        bare_item = BARE_ITEMS.get(marker.role.id, "name") if marker else ""
        if marker is not None and marker.style == "bare" and names.item.id == bare_item:
            word = marker.word_en if language == "en" else marker.word_zh
            return Written(word, "", word, "bare_role", False, {"role"})
        base, source, seen = self._base(names, language, rng)
        kinds = {"alias"} if source != "canonical" else set()
        if marker is not None:
            kinds.add("role")
        if marker is not None and marker.style == "bare":
            marker = Marker(marker.role, "prefix", marker.word_zh, marker.word_en)
        clean = self.mark(base, marker, language)
        if rng.random() < self.mix.typo:
            base = typo(base, rng)
            kinds.add("typo")
        label = self.mark(base, marker, language)
        if bilingual_pattern is not None:
            en_base, _, _ = self._base(names, "en", rng)
            label = bilingual(label, self.mark(en_base, marker, "en"), bilingual_pattern)
        return Written(label, "", clean, source, seen, kinds)

    def pinyin_of(self, label: str) -> str:
        """A decoy's key on a pinyin form."""
        return pinyin_key(label) or "bz"

    @staticmethod
    def bilingual(zh: str, en: str, pattern: int) -> str:
        """A bilingual decoy label."""
        return bilingual(zh, en, pattern)

    @staticmethod
    def key_for(text: str, key_style: str, n: int) -> str:
        """The key of a labelled field: derived from its English text, or opaque."""
        if key_style in ("snake", "camel"):
            return english_key(text, camel=key_style == "camel")
        return key_style.format(n=n)

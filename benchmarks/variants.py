"""The kinds of label variation a synthetic form set can carry, and the text edits behind them.

Every edit is a pure function of its input text and a seeded :class:`random.Random`, so a form
set is the same on every run with the same seed. The generator applies the edits itself
(OpenCC for traditional characters, pypinyin for pinyin-initial keys, a character map for
full-width forms, seeded edits for typos) instead of borrowing formmerge's normalisation, so
that the benchmark does not grade the library with its own code.

Kinds (:data:`KINDS`) and what each does to a field:

``alias``
    the label is an alias or an abbreviation of the item's name instead of the canonical name.
``role``
    the form has sections about other people (spouse, father, legal representative ...),
    marked by a role word before or after the label, a section title, a bare role word or a
    key prefix.
``pinyin_key``
    the whole form comes as pinyin-initial keys without labels (``sfzhm``, ``po_xm``), as a
    database export does.
``typo``
    one typing error in the label: a homophone from a pinyin input method, a dropped, doubled
    or swapped character.
``fullwidth_space``
    full-width letters, digits and punctuation, and layout spaces inside the label
    (``姓　　名``, ``ＩＤ号码``).
``traditional``
    the form is written in traditional characters.
``mixed``
    the form is bilingual: Chinese and English in one label (``出生日期 Date of birth``).
``english``
    the form is in English.
``shuffle``
    the fields are in a random order instead of grouped by section.
``decoy``
    the form asks form-specific things that the catalog does not cover (``备注``, ``办理网点``,
    ``Project Title``); they must stay unmatched.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

__all__ = [
    "DEFAULT_MIX",
    "ISOLATION_RATES",
    "KINDS",
    "NO_VARIATION",
    "TEXT_KINDS",
    "VariationMix",
    "abbreviate",
    "add_homophone_source",
    "bilingual",
    "english_key",
    "looks_like_pinyin",
    "pinyin_key",
    "space_out",
    "to_fullwidth",
    "to_traditional",
    "typo",
]

KINDS: tuple[str, ...] = (
    "alias",
    "role",
    "pinyin_key",
    "typo",
    "fullwidth_space",
    "traditional",
    "mixed",
    "english",
    "shuffle",
    "decoy",
)
"""Every kind of variation, in report order."""

TEXT_KINDS = frozenset({"typo", "fullwidth_space", "traditional", "mixed"})
"""Kinds that change the spelling of a label (a label so changed is no longer a catalog name)."""


@dataclass(frozen=True)
class VariationMix:
    """How often each kind of variation occurs. All rates are probabilities in [0, 1].

    Per-field rates apply to each field on its own; per-form rates to a whole form.
    """

    alias: float = 0.45
    """Per field: named by an alias or an abbreviation instead of the canonical name."""
    role: float = 0.6
    """Per bundle: the forms have sections about other people than the main subject."""
    pinyin_key: float = 0.06
    """Per form: fields are pinyin-initial keys without labels."""
    typo: float = 0.04
    """Per field: one typing error."""
    fullwidth_space: float = 0.08
    """Per field: full-width characters or layout spaces."""
    traditional: float = 0.04
    """Per form: traditional characters."""
    mixed: float = 0.06
    """Per form: bilingual Chinese/English labels."""
    english: float = 0.08
    """Per form: an English form."""
    shuffle: float = 0.3
    """Per form: fields in random order."""
    decoy: float = 0.1
    """Per field slot: a form-specific field that no catalog item covers."""

    def only(self, kind: str, rate: float | None = None) -> VariationMix:
        """This kind alone, at ``rate`` (default: :data:`ISOLATION_RATES`), all others off."""
        if kind not in KINDS:
            raise ValueError(f"unknown variation kind {kind!r}; known: {', '.join(KINDS)}")
        off = {f.name: 0.0 for f in fields(self)}
        off[kind] = ISOLATION_RATES[kind] if rate is None else rate
        return VariationMix(**off)

    def without(self, kind: str) -> VariationMix:
        """The same mix with one kind switched off."""
        if kind not in KINDS:
            raise ValueError(f"unknown variation kind {kind!r}; known: {', '.join(KINDS)}")
        return replace(self, **{kind: 0.0})

    def to_dict(self) -> dict[str, float]:
        """The rates as plain data."""
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


DEFAULT_MIX = VariationMix()
"""The default mix: roughly what a province's form inventory looks like."""

NO_VARIATION = VariationMix(**{k: 0.0 for k in KINDS})
"""Clean forms: canonical Chinese labels, one subject, no decoys."""

ISOLATION_RATES: dict[str, float] = {
    "alias": 1.0,
    "role": 1.0,
    "pinyin_key": 1.0,
    "typo": 1.0,
    "fullwidth_space": 1.0,
    "traditional": 1.0,
    "mixed": 1.0,
    "english": 1.0,
    "shuffle": 1.0,
    "decoy": 0.3,
}
"""Rates used when one kind is measured alone: every field or form carries it."""

# --------------------------------------------------------------------------- width and spacing

_FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
_FULLWIDTH[0x20] = 0x3000


def to_fullwidth(text: str) -> str:
    """ASCII letters, digits, punctuation and spaces as their full-width forms."""
    return text.translate(_FULLWIDTH)


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def space_out(text: str, rng: random.Random) -> str:
    """Layout spaces inside a label, full-width ASCII, and the decorations forms add.

    Short Chinese labels are spread out (``姓　　名``), longer ones get one space (English
    labels keep their words whole); ASCII turns full-width; a trailing colon or a leading
    required mark may be added.
    """
    chars = list(text)
    han = [i for i, ch in enumerate(chars) if _is_han(ch)]
    if 2 <= len(han) <= 3 and len(han) == len(chars):
        gap = rng.choice([" ", "  ", "\u3000", "\u3000\u3000"])
        out = gap.join(chars)
    elif han and len(chars) > 1:
        at = rng.randrange(1, len(chars))
        out = "".join(chars[:at]) + rng.choice([" ", "\u3000"]) + "".join(chars[at:])
    else:
        out = text
    if any(ch.isascii() and ch.isalnum() for ch in out) or rng.random() < 0.5:
        out = to_fullwidth(out) if rng.random() < 0.8 else out
    decoration = rng.random()
    if decoration < 0.3:
        out += "："
    elif decoration < 0.45:
        out = "*" + out
    return out


# --------------------------------------------------------------------------- traditional


@lru_cache(maxsize=1)
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


@lru_cache(maxsize=1 << 16)
def to_traditional(text: str) -> str:
    """Simplified to traditional Chinese (OpenCC ``s2t``)."""
    return str(_s2t().convert(text))


# --------------------------------------------------------------------------- pinyin


@lru_cache(maxsize=1 << 16)
def pinyin_key(text: str) -> str:
    """The pinyin initials of a Chinese label, as government systems name columns."""
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for ch in "".join(parts).lower() if ch.isascii() and ch.isalnum())


@lru_cache(maxsize=1 << 16)
def _toneless(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return str(lazy_pinyin(ch, style=Style.NORMAL)[0])


_VOWELS = frozenset("aeiou")


def looks_like_pinyin(token: str) -> bool:
    """True for a lower-case token that reads as pinyin initials (``sfzhm``), not a word."""
    if not token.isascii() or not token.isalnum() or token != token.lower():
        return False
    vowels = sum(ch in _VOWELS for ch in token)
    return vowels / len(token) < 0.2


# --------------------------------------------------------------------------- typos

# Common characters that homophone typos are drawn from, besides the catalog's own characters.
_COMMON_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北"
    "造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打"
    "白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今"
    "集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近"
    "矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写"
    "存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听"
    "该铁价严龙飞吗码妈马麻骂姓性兴型幸籍级及急即集记己几纪寄技季既继际址只指纸至智治制质志职"
)


class _Homophones:
    """Characters grouped by toneless pinyin, for input-method typos."""

    def __init__(self) -> None:
        self._groups: dict[str, list[str]] = {}
        self._known: set[str] = set()

    def add(self, text: str) -> None:
        for ch in text:
            if _is_han(ch) and ch not in self._known:
                self._known.add(ch)
                self._groups.setdefault(_toneless(ch), []).append(ch)

    def others(self, ch: str) -> list[str]:
        if not self._groups:
            self.add(_COMMON_CHARS)
        self.add(ch)
        return [c for c in self._groups.get(_toneless(ch), []) if c != ch]


_HOMOPHONES = _Homophones()

_KEYBOARD_NEIGHBOURS = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip


def add_homophone_source(text: str) -> None:
    """Let typos draw homophones from the characters of ``text`` (e.g. all catalog labels)."""
    _HOMOPHONES.add(text)


def _typo_han(text: str, rng: random.Random) -> str:
    chars = list(text)
    han = [i for i, ch in enumerate(chars) if _is_han(ch)]
    edit = rng.random()
    if edit < 0.6:
        for i in rng.sample(han, len(han)):
            others = _HOMOPHONES.others(chars[i])
            if others:
                chars[i] = rng.choice(others)
                return "".join(chars)
    if edit < 0.75 and len(han) >= 4:
        del chars[rng.choice(han[1:])]
        return "".join(chars)
    if edit < 0.9 and len(chars) >= 3:
        i = rng.randrange(len(chars) - 1)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
        return "".join(chars)
    i = rng.choice(han)
    chars.insert(i, chars[i])
    return "".join(chars)


def _typo_latin(text: str, rng: random.Random) -> str:
    words = [m for m in re.finditer(r"[A-Za-z]{4,}", text)]
    if not words:
        return text + text[-1:] if text else text
    m = rng.choice(words)
    w = list(m.group())
    i = rng.randrange(1, len(w))
    edit = rng.random()
    if edit < 0.4:
        near = _KEYBOARD_NEIGHBOURS.get(w[i].lower(), "e")
        w[i] = rng.choice(near)
    elif edit < 0.65:
        del w[i]
    elif edit < 0.85 and i < len(w) - 1:
        w[i], w[i + 1] = w[i + 1], w[i]
    else:
        w.insert(i, w[i])
    return text[: m.start()] + "".join(w) + text[m.end() :]


def typo(text: str, rng: random.Random) -> str:
    """One typing error: a homophone, a dropped, swapped or doubled character."""
    if any(_is_han(ch) for ch in text):
        return _typo_han(text, rng)
    return _typo_latin(text, rng)


# --------------------------------------------------------------------------- abbreviations

_ZH_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("号码", "号"),
    ("统一社会信用代码", "社会信用代码"),
    ("统一社会信用代码", "信用代码"),
    ("电子邮箱", "邮箱"),
    ("电子邮件", "邮件"),
    ("联系电话", "电话"),
    ("手机号码", "手机"),
    ("医疗保险", "医保"),
    ("社会保障", "社保"),
    ("住房公积金", "公积金"),
    ("出生医学证明", "出生证"),
    ("驾驶证", "驾照"),
    ("注册资本", "注册资金"),
    ("机动车", "车辆"),
    ("名称", "名"),
    ("登记日期", "登记日"),
    ("证明编号", "证明号"),
    ("证书编号", "证书号"),
    ("编号", "号"),
)
_EN_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("date of birth", "DOB"),
    ("vehicle identification number", "VIN"),
    ("social security", "SS"),
    ("identification", "ID"),
    ("number", "No."),
    ("telephone", "Tel."),
    ("address", "Addr."),
    ("registration", "Reg."),
    ("certificate", "Cert."),
    ("organization", "Org."),
    ("information", "Info"),
    ("department", "Dept."),
    ("insurance", "Ins."),
    ("account", "Acct."),
    ("postal code", "Postcode"),
    ("e-mail", "Email"),
    ("mobile phone", "Mobile"),
    ("phone number", "Phone"),
)


def abbreviate(text: str, rng: random.Random) -> str | None:
    """A shortened spelling of a label, or None when no rule applies.

    Chinese labels lose a common suffix or compound (``号码`` -> ``号``, ``医疗保险`` ->
    ``医保``); English ones use the usual abbreviations (``Number`` -> ``No.``).
    """
    if any(_is_han(ch) for ch in text):
        # an abbreviation keeps at least two characters: 名称 never becomes 名
        options = [
            (a, b) for a, b in _ZH_ABBREVIATIONS if a in text and len(text) - len(a) + len(b) >= 2
        ]
        if not options:
            return None
        a, b = rng.choice(options)
        return text.replace(a, b, 1)
    lower = text.lower()
    options = [(a, b) for a, b in _EN_ABBREVIATIONS if a in lower and (" " in a or lower != a)]
    if not options:
        return None
    a, b = rng.choice(options)
    at = lower.index(a)
    return text[:at] + b + text[at + len(a) :]


# --------------------------------------------------------------------------- language mixes


def bilingual(zh: str, en: str, pattern: int) -> str:
    """A bilingual label in one of four layouts that forms use (``pattern`` modulo 4)."""
    layouts = ("{zh}/{en}", "{zh} {en}", "{zh}（{en}）", "{en} {zh}")
    return layouts[pattern % len(layouts)].format(zh=zh, en=en)


_WORD_RE = re.compile(r"[A-Za-z0-9]+")


def english_key(label: str, camel: bool) -> str:
    """A JSON-style key from an English label: ``date_of_birth`` or ``dateOfBirth``."""
    words: list[str] = [w.lower() for w in _WORD_RE.findall(label.replace("'s ", " "))]
    if not words:
        return "field"
    if camel:
        return words[0] + "".join(w.capitalize() for w in words[1:])
    return "_".join(words)

"""Role detection: whose data a field is about, and what is left once the role words go.

"配偶身份证号码", "Spouse's NRIC" and a key ``po_sfzhm`` all ask for the spouse's ID number.
:class:`RoleDetector` finds the role (``spouse``) and returns the rest (``身份证号码``,
``nric``, ``sfzhm``) so that the matcher can look the item up without the role words.

Where a role is found, in order of priority:

1. the field's **label**: role words at the start (``配偶身份证号码``, ``Spouse's date of birth``,
   ``Father - ID number``), possibly chained, the last one winning (``申请人配偶姓名`` and
   ``Applicant's spouse name`` are the spouse; ``企业法定代表人姓名`` is the legal
   representative); a separated segment or bracketed note made of role words only
   (``身份证号码（配偶）``, ``ID number - father``); an English ``of`` phrase at the end
   (``Name of deceased``, ``Date of birth of the child``);
2. the field's **key**: a role prefix as whole tokens (``spouse_id``, ``fatherName``,
   ``legal_rep.name``, ``po_sfzhm``), pinyin initials glued to the rest (``fqxm``, ``frdbxm``,
   ``fddbrsfzjhm``), or a trailing ``_of_<role>``;
3. the field's **groups**, innermost first, label before key; a group title may name the role
   anywhere (``Applicant/Recipient Point of Contact``, ``key_contact_person``).

Choices, each pinned by a test:

- A role word counts only where it marks the role, never inside an item name: ``联系电话`` is
  the phone item (no role) while ``联系人电话`` is the contact's phone; ``户主姓名`` and
  ``与申请人关系`` have no role; ``民族`` (key ``mz``) is not the mother.
- Compounds that begin with a role word but mean something else are listed in
  :data:`NOT_ROLE_WORDS` (``父母``, ``夫妻``, ``母语``, ``子女数`` ...) and keys that look
  role-prefixed but are items in :data:`NOT_ROLE_KEYS` (``gddh`` 固定电话). The catalog's own
  item keys can be passed as ``item_keys`` for the same purpose.
- Glued pinyin prefixes are stripped only when the prefix is the initials of one of the role's
  Chinese words and the remainder has at least :data:`DEFAULT_MIN_GLUED_REST` letters and looks
  like pinyin initials (no ``i``/``u``/``v``, at most one of ``a``/``e``/``o``): ``sqrq``
  (申请日期) keeps its meaning, ``postcode`` is not the spouse's ``stcode``. English stems are
  never stripped without a boundary (``childcare`` stays whole).
- Organization words are stripped like any other: ``企业名称`` -> (organization, ``名称``),
  ``单位地址`` -> (organization, ``地址``). The catalog therefore carries generic aliases
  (``名称``, ``类型``, ``name``) on the organization's items.
- A label made of role words only (``法定代表人``, ``联系人``, ``Contact Person``) gives an
  empty rest and ``bare=True``: the field holds the role's name (``name``, or
  ``enterprise_name`` for the organization).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from typing import TYPE_CHECKING, Literal

from formmerge.errors import CatalogError, Location, Problem
from formmerge.normalize import (
    DEFAULT_CACHE_SIZE,
    has_cjk,
    label_notes,
    normalize_key,
    normalize_label,
    pinyin_initials,
)
from formmerge.role_nouns import RoleNounFinder, group_key_title, is_open_role, open_role_noun

if TYPE_CHECKING:
    from formmerge.models import Catalog, Field, Role, RoleNoun

__all__ = [
    "DEFAULT_MIN_GLUED_REST",
    "NOT_ROLE_KEYS",
    "NOT_ROLE_WORDS",
    "RoleDetector",
    "RoleHit",
    "RoleSource",
]

RoleSource = Literal["label", "key", "group", "none"]

DEFAULT_MIN_GLUED_REST = 2
"""Shortest remainder after a glued pinyin prefix (``fqxm`` -> ``xm``; ``sqrq`` stays whole)."""

NOT_ROLE_WORDS: tuple[str, ...] = (
    "父母",
    "夫妻",
    "夫妇",
    "母婴",
    "母语",
    "母乳",
    "母公司",
    "子女数",
    "子女人数",
    "子女个数",
    "子女数量",
    "工作单位",
    "所在单位",
    "医疗机构",
    "parent company",
    "student number",
    "student id",
    "student no",
)
"""Compounds that begin with (or contain) a role word without naming the role."""

NOT_ROLE_KEYS: tuple[str, ...] = ("gddh", "gdzc", "mother_tongue", "parent_company", "from", "post")
"""Key starts that look role-prefixed but are items (``gddh`` 固定电话, ``gdzc`` 固定资产) or
English words that glued pinyin initials would split (``from`` is not 法人 + ``om``, ``post``
not 配偶 + ``st``)."""

_JOINERS = frozenset(" -:/|·,;、.的'")
_SEGMENT_SEP_RE = re.compile(r"\s*[-:/|·,;、]\s*")
_OF_RE = re.compile(r"(?:^|\s)of\s+(?:the\s+)?")
_DETERMINERS = ("the ", "his ", "her ", "their ", "your ", "my ", "its ")
"""Words before a role word that do not change it ("his mother's first name")."""
_ALTERNATIVE_START_RE = re.compile(r"\s*(?:或者|或|/|\s+or\s+)\s*")
_MULTI_SPACE_RE = re.compile(r" {2,}")
_ALTERNATIVE_RE = re.compile(r"或者|或|\s+or\s+")
_PINYIN_LETTERS_RE = re.compile(r"[a-z0-9]+")
_ZERO_INITIALS = frozenset("aeo")
_NEVER_INITIALS = frozenset("iuv")


@dataclass(frozen=True)
class RoleHit:
    """The role of a field and the label and key without the role words.

    Attributes:
        role: the role id, or None when no role word was found (the caller then uses the
            matched item's default role).
        rest_label: the normalised label without the role words (``配偶身份证号码`` ->
            ``身份证号码``); the whole normalised label when the role came from elsewhere.
        rest_key: the normalised key without its role prefix (``po_sfzhm`` -> ``sfzhm``).
        source: where the role was found.
        evidence: the role words or prefix that decided, e.g. ``配偶`` or ``fq``.
        bare: True when the text the role came from names the role only (``法定代表人``): the
            field holds the role's name.
    """

    role: str | None
    rest_label: str
    rest_key: str
    source: RoleSource
    evidence: str = ""
    bare: bool = False


@dataclass(frozen=True)
class _Found:
    role: str
    rest: str
    evidence: str
    bare: bool


_Lookup = Callable[[str], "_Found | None"]


def _trim(text: str) -> str:
    text = _MULTI_SPACE_RE.sub(" ", text)
    start, end = 0, len(text)
    while start < end and text[start] in _JOINERS:
        start += 1
    while end > start and text[end - 1] in _JOINERS:
        end -= 1
    return text[start:end]


@lru_cache(maxsize=DEFAULT_CACHE_SIZE)
def _initials_of(label: str, key: str) -> bool:
    """True if a Chinese label's pinyin initials are the key: the key only abbreviates it."""
    normal = normalize_label(label)
    return has_cjk(normal) and pinyin_initials(normal) == normalize_key(key).replace("_", "")


def _words(noun: str) -> str:
    """An open role's noun as words again: ``authorized_official`` -> ``authorized official``."""
    return noun if has_cjk(noun) else noun.replace("_", " ")


def _looks_like_initials(text: str) -> bool:
    """True if ``text`` could be pinyin initials: a syllable's first letter is never i/u/v."""
    if not _PINYIN_LETTERS_RE.fullmatch(text):
        return False
    if any(ch in _NEVER_INITIALS for ch in text):
        return False
    return sum(ch in _ZERO_INITIALS for ch in text) <= 1


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class RoleDetector:
    """Find the role of a field from its label, key and group context.

    Args:
        roles: the catalog's roles.
        item_keys: keys of catalog items (pinyin aliases such as ``gddh``) that must never be
            read as a role prefix plus a rest.
        min_glued_rest: shortest remainder after a glued pinyin prefix.
        nouns: nouns of people and bodies without a standard role (抵押权人, 施工单位), which
            give a qualified role ``other:<noun>`` (see :mod:`formmerge.role_nouns`).
        item_names: names of catalog items, what may follow such a noun in a label.

    Raises:
        CatalogError: two roles share a word or a key prefix.
    """

    def __init__(
        self,
        roles: Sequence[Role],
        item_keys: Iterable[str] = (),
        min_glued_rest: int = DEFAULT_MIN_GLUED_REST,
        nouns: Sequence[RoleNoun] = (),
        item_names: Iterable[str] = (),
    ) -> None:
        self._open = RoleNounFinder(nouns, item_names) if nouns else None
        self._qualified = frozenset(r.id for r in roles if r.modifiers_qualify)
        self._words: dict[str, str] = {}
        self._prefixes: dict[tuple[str, ...], str] = {}
        self._glued: list[tuple[str, str]] = []
        self._min_glued_rest = min_glued_rest
        self._blocked_keys = frozenset(normalize_key(k) for k in item_keys)
        self._build(roles)
        self._by_first: dict[str, list[tuple[str, str]]] = {}
        self._longest_first = sorted(self._words.items(), key=lambda wr: -len(wr[0]))
        for word, role in self._longest_first:
            self._by_first.setdefault(word[0], []).append((word, role))
        self._not_role = tuple(sorted({normalize_label(w) for w in NOT_ROLE_WORDS}, key=len))
        self._max_prefix = max((len(p) for p in self._prefixes), default=0)
        cached = lru_cache(DEFAULT_CACHE_SIZE)
        self._label_cached: _Lookup = cached(self._from_label)
        self._open_cached: _Lookup = cached(self._from_open_label)
        self._key_cached: _Lookup = cached(self._from_key)
        self._group_label_cached: _Lookup = cached(self._from_group_label)
        self._group_key_cached: _Lookup = cached(self._from_group_key)
        self._group_title_cached: _Lookup = cached(self._from_group_key_title)

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> RoleDetector:
        """A detector for the catalog's roles that never splits one of its items' keys."""
        keys = [a for item in catalog.items for a in (item.id, *item.aliases) if a.isascii()]
        names = {
            normalize_label(n)
            for item in catalog.items
            for n in (item.label_zh, item.label_en, *item.aliases, *item.shared_aliases)
        }
        return cls(catalog.roles, item_keys=keys, nouns=catalog.role_nouns, item_names=names)

    def _build(self, roles: Sequence[Role]) -> None:
        problems: list[Problem] = []
        for i, role in enumerate(roles):
            initials = {pinyin_initials(w) for w in role.words_zh}
            entries = [("words_zh", w, normalize_label(w)) for w in role.words_zh]
            entries += [("words_en", w, normalize_label(w)) for w in role.words_en]
            for attr, raw, word in entries:
                other = self._words.setdefault(word, role.id) if word else role.id
                if other != role.id:
                    problems.append(_conflict(i, attr, raw, role.id, other))
            for raw in role.key_prefixes:
                tokens = tuple(normalize_key(raw).split("_"))
                other = self._prefixes.setdefault(tokens, role.id)
                if other != role.id:
                    problems.append(_conflict(i, "key_prefixes", raw, role.id, other))
                if len(tokens) == 1 and tokens[0] in initials:
                    self._glued.append((tokens[0], role.id))
        if problems:
            raise CatalogError("roles share words or key prefixes", problems)
        self._glued.sort(key=lambda pr: -len(pr[0]))

    # ------------------------------------------------------------------ public API

    def detect(
        self,
        label: str,
        key: str,
        group_labels: Sequence[str] = (),
        group_keys: Sequence[str] = (),
    ) -> RoleHit:
        """The role of one field.

        Args:
            label: the field's label as written.
            key: the field's key as written.
            group_labels: labels of the groups the field sits in, outermost first.
            group_keys: keys of those groups, outermost first.

        Returns:
            The role (or None), the label and key without role words, and the evidence.
        """
        from_label = self._label_cached(label)
        from_key = self._key_cached(key)
        if from_key is not None and from_label is None and _initials_of(label, key):
            # ``mqzy`` under "目前职业" is the label's initials, not 母亲 + 职业
            from_key = None
        rest_label = from_label.rest if from_label else normalize_label(label)
        rest_key = from_key.rest if from_key else normalize_key(key)
        if from_label and from_label.role == "organization" and self._open is not None:
            # "单位名称" under a "施工单位" header is the construction company's name: the
            # header names which body the generic word is
            body = self._group_role(group_labels, group_keys)
            if body is not None and is_open_role(body.role) and self.open_is_body(body.role):
                return RoleHit(body.role, rest_label, rest_key, "group", body.evidence)
        if from_label:
            return RoleHit(
                from_label.role, rest_label, rest_key, "label", from_label.evidence, from_label.bare
            )
        # a person noun the label names beats a key's initials: `jbr` under "项目联系人姓名"
        from_noun = self._open_cached(label)
        if from_noun:
            noun = from_noun
            return RoleHit(noun.role, noun.rest, rest_key, "label", noun.evidence, noun.bare)
        if from_key:
            return RoleHit(
                from_key.role, rest_label, rest_key, "key", from_key.evidence, from_key.bare
            )
        found = self._group_role(group_labels, group_keys)
        if found:
            return RoleHit(found.role, rest_label, rest_key, "group", found.evidence)
        return RoleHit(None, rest_label, rest_key, "none")

    def _group_role(self, group_labels: Sequence[str], group_keys: Sequence[str]) -> _Found | None:
        levels = list(zip_longest(group_labels, group_keys, fillvalue=""))
        for group_label, group_key in reversed(levels):
            found = self._group_label_cached(group_label) or self._group_key_cached(group_key)
            if found is None and not group_label.strip():
                found = self._group_title_cached(group_key)
            if found:
                return found
        return None

    def detect_field(self, field: Field) -> RoleHit:
        """The role of a form field, using its label, key and groups."""
        return self.detect(
            field.label,
            field.key,
            [g.label for g in field.group],
            [g.key for g in field.group],
        )

    # ------------------------------------------------------------------ words

    def _word_at(self, text: str, pos: int, min_cjk: int = 1) -> tuple[str, str] | None:
        """The longest role word at ``pos`` that is a whole word and not part of a compound."""
        for word, role in self._by_first.get(text[pos], ()):
            if not text.startswith(word, pos):
                continue
            end = pos + len(word)
            if _is_word_char(word[-1]) and end < len(text) and _is_word_char(text[end]):
                continue
            if _is_word_char(word[0]) and pos > 0 and _is_word_char(text[pos - 1]):
                continue
            if not _is_word_char(word[0]) and len(word) < min_cjk:
                continue
            if any(len(b) > len(word) and text.startswith(b, pos) for b in self._not_role):
                return None
            return word, role
        return None

    def _chain(self, text: str, pos: int = 0) -> tuple[str, int, list[str]] | None:
        """Role words chained from ``pos`` and where the rest begins.

        The last word of a chain wins ("申请人配偶" is the spouse), except for alternatives
        ("法定代表人/负责人", "法人代表或负责人"): the first one named is the role asked.
        """
        determiner = next((d for d in _DETERMINERS if text.startswith(d, pos)), None)
        if determiner:
            pos += len(determiner)
        role: str | None = None
        words: list[str] = []
        alternative = False
        while pos < len(text):
            found = self._word_at(text, pos)
            if found is None:
                break
            word, found_role = found
            if not alternative or role is None:
                role = found_role
            words.append(word)
            pos += len(word)
            alternative = False
            while pos < len(text):
                if text.startswith("'s", pos) and not text[pos + 2 : pos + 3].isalnum():
                    pos += 2
                    continue
                marker = _ALTERNATIVE_START_RE.match(text, pos)
                if marker and self._word_at(text, marker.end()) is not None:
                    alternative = True
                    pos = marker.end()
                    break
                if text[pos] in _JOINERS:
                    pos += 1
                else:
                    break
        return (role, pos, words) if role else None

    def _from_text(self, text: str, notes: Sequence[str] = ()) -> _Found | None:
        """Role words in a normalised label, by the strict rules for field labels."""
        if not text:
            return None
        chain = self._chain(text)
        if chain:
            role, end, words = chain
            rest = _trim(text[end:])
            return _Found(role, rest, "+".join(words), not rest)
        for sep in _SEGMENT_SEP_RE.finditer(text):
            nxt = _SEGMENT_SEP_RE.search(text, sep.end())
            seg_end = nxt.start() if nxt else len(text)
            chain = self._chain(text[:seg_end], sep.end())
            if chain and chain[1] >= seg_end:
                rest = _trim(text[: sep.start()] + text[seg_end:])
                return _Found(chain[0], rest, "+".join(chain[2]), not rest)
        for of in _OF_RE.finditer(text):
            chain = self._chain(text, of.end())
            if chain and chain[1] == len(text) and of.start() > 0:
                return _Found(chain[0], _trim(text[: of.start()]), "+".join(chain[2]), False)
        for note in notes:
            chain = self._chain(note)
            if chain and chain[1] == len(note):
                return _Found(chain[0], text, "+".join(chain[2]), False)
        return None

    def _from_label(self, label: str) -> _Found | None:
        return self._from_text(normalize_label(label), label_notes(label))

    def _from_open_label(self, label: str) -> _Found | None:
        """A noun of someone without a standard role ("抵押权人身份证号码"), if any."""
        if self._open is None:
            return None
        found = self._open.in_label(normalize_label(label))
        if found is None:
            return None
        noun = _words(open_role_noun(found.role))
        standard = self._standard_suffix(noun)
        if standard is not None:
            return _Found(standard, found.rest, noun, found.bare)
        return _Found(found.role, found.rest, noun, found.bare)

    def _standard_suffix(self, noun: str) -> str | None:
        """The standard role a modified role word still is ("查询申请人" -> applicant), if any."""
        for word, role in self._longest_first:
            if noun.endswith(word) and len(noun) > len(word):
                return None if role in self._qualified else role
        return None

    def may_file(self, role: str) -> bool:
        """True if a qualified role names someone who may be the form's filer (a veteran)."""
        return self._open is not None and self._open.may_file(role)

    def open_is_body(self, role: str) -> bool:
        """True if a qualified role names a body (施工单位), not a person."""
        if self._open is None:
            return False
        noun = self._open.noun(role.removeprefix("other:"))
        return noun is not None and not noun.person

    # ------------------------------------------------------------------ keys

    def _token_chain(self, tokens: Sequence[str], start: int) -> tuple[str, int, list[str]] | None:
        role: str | None = None
        used: list[str] = []
        i = start
        while i < len(tokens):
            for n in range(min(self._max_prefix, len(tokens) - i), 0, -1):
                hit = self._prefixes.get(tuple(tokens[i : i + n]))
                if hit:
                    role = hit
                    used.append("_".join(tokens[i : i + n]))
                    i += n
                    break
            else:
                break
        return (role, i, used) if role else None

    def _glued_prefix(self, token: str) -> tuple[str, str, str] | None:
        for prefix, role in self._glued:
            rest = token[len(prefix) :]
            if (
                token.startswith(prefix)
                and len(rest) >= self._min_glued_rest
                and _looks_like_initials(rest)
            ):
                return role, prefix, rest
        return None

    def _is_item_key(self, normal: str) -> bool:
        return normal in self._blocked_keys or normal.startswith(NOT_ROLE_KEYS)

    def _from_key(self, key: str) -> _Found | None:
        if has_cjk(key):
            found = self._from_text(normalize_label(key))
            return found and _Found(
                found.role, normalize_key(found.rest), found.evidence, found.bare
            )
        normal = normalize_key(key)
        if not normal or self._is_item_key(normal):
            return None
        tokens = normal.split("_")
        chain = self._token_chain(tokens, 0)
        if chain:
            rest = "_".join(tokens[chain[1] :])
            return _Found(chain[0], rest, "+".join(chain[2]), not rest)
        glued = self._glued_prefix(tokens[0])
        if glued:
            return _Found(glued[0], "_".join([glued[2], *tokens[1:]]), glued[1], False)
        for j, token in enumerate(tokens[1:], start=1):
            chain = self._token_chain(tokens, j + 1) if token == "of" else None
            if chain and chain[1] == len(tokens):
                return _Found(chain[0], "_".join(tokens[:j]), "+".join(chain[2]), False)
        return None

    # ------------------------------------------------------------------ groups

    def _scan(self, text: str) -> _Found | None:
        """The last role word anywhere in a section title (the head of the noun phrase)."""
        last: tuple[str, str] | None = None
        pos = 0
        while pos < len(text):
            blocked = next((b for b in self._not_role if text.startswith(b, pos)), None)
            hit = None if blocked else self._word_at(text, pos, min_cjk=2)
            if hit:
                last = hit
            pos += len(blocked or (hit[0] if hit else text[pos]))
        return _Found(last[1], text, last[0], False) if last else None

    def _from_group_label(self, label: str) -> _Found | None:
        text = normalize_label(label)
        # "法定代表人或单位负责人", "father or guardian": the first alternative is the role asked
        text = _ALTERNATIVE_RE.split(text, maxsplit=1)[0] or text
        noun = self._open.in_title(text) if self._open is not None else None
        core = _words(open_role_noun(noun.role)) if noun is not None else ""
        chain = self._chain(core) if core else None
        if noun is not None and not (chain and chain[1] >= len(core)):
            # a title that is a noun of someone without a standard role ("施工单位信息") is
            # theirs, though it ends with an organization word, unless a note names a standard
            # role ("新增共有人（申请人）", "被投靠人（配偶）")
            named = next((f for f in map(self._scan, label_notes(label)) if f), None)
            standard = self._standard_suffix(core)
            if named is None and standard is not None:
                named = _Found(standard, text, core, False)
            return named or _Found(noun.role, text, core, False)
        for of in _OF_RE.finditer(text):
            chain = self._chain(text, of.end())
            if chain and chain[1] == len(text) and of.start() > 0:
                # "Spouse of the applicant" is about the spouse, "Details of spouse" too.
                head = self._scan(text[: of.start()])
                return head or _Found(chain[0], text, "+".join(chain[2]), False)
        found = self._scan(text)
        for note in label_notes(label):
            found = found or self._scan(note)
        return found

    def _from_group_key(self, key: str) -> _Found | None:
        found = self._key_cached(key)
        if found or has_cjk(key):
            return found
        normal = normalize_key(key)
        if not normal or self._is_item_key(normal):
            return None
        tokens = normal.split("_")
        last: _Found | None = None
        i = 1
        while i < len(tokens):
            chain = self._token_chain(tokens, i)
            if chain:
                last = _Found(chain[0], normal, "+".join(chain[2]), False)
                i = chain[1]
            else:
                i += 1
        return last

    def _from_group_key_title(self, key: str) -> _Found | None:
        """An untitled group's English key read as its title.

        ``secondaryContact``, ``hospitalAddress`` (the hospital's), ``preparerIdentification``:
        the key is the title in camel case. A group with a title of its own is read by it.
        """
        normal = normalize_key(key)
        tokens = normal.split("_")
        if not normal or self._is_item_key(normal) or not all(t.isalpha() for t in tokens):
            return None
        found = self._from_group_label(group_key_title(" ".join(tokens)))
        return _Found(found.role, normal, found.evidence, False) if found else None


def _conflict(index: int, attr: str, word: str, role: str, other: str) -> Problem:
    return Problem(
        "role-word-conflict",
        f"role {role!r} lists {word!r} in {attr}, which role {other!r} already uses; "
        "keep it in one role only",
        Location(pointer=f"/roles/{index}/{attr}"),
    )

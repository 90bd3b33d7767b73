"""Open roles: people and bodies that no standard role covers.

"抵押权人身份证号码", "转让方名称", "项目负责人电话", "施工单位" and "Partner's name" are
about someone who is neither the applicant nor one of roles.yaml's roles.
:class:`RoleNounFinder` reads the noun from the catalog's ``role_nouns.yaml`` and gives a
qualified role ``other:<noun>``:

- in a label, where the rest is the exact name of a catalog item ("抵押权人" + "身份证号码",
  "partner's" + "name", "name of" + "partner") or nothing ("抵押权人", a bare noun: its name);
- in a section title that is the noun alone, with an "信息" / "details" tail ("施工单位信息").

The noun must end with one of the catalog's role nouns; an ending that is no noun by itself (人,
方) needs a modifier before it, and the nouns listed as exceptions (本人, 工作单位) are none.
Standard role words are looked for first (:class:`~formmerge.roles.RoleDetector`), so
"企业负责人" is the principal and only "项目负责人" is a role of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from formmerge.models import Catalog, RoleNoun
from formmerge.normalize import has_cjk, normalize_label

__all__ = [
    "GROUP_KEY_TAILS",
    "OPEN_ROLE_PREFIX",
    "OpenRole",
    "RoleNounFinder",
    "group_key_title",
    "is_open_role",
    "open_role_id",
    "open_role_labels",
    "open_role_noun",
]

OPEN_ROLE_PREFIX = "other:"
"""Prefix of a qualified role id: ``other:抵押权人``."""

SECTION_TAILS: tuple[str, ...] = (
    "基本信息",
    "基本情况",
    "信息",
    "情况",
    "概况",
    "资料",
    " details",
    " information",
    " info",
)
"""Words that end a section title without changing whom it is about ("施工单位信息")."""

_JOIN = " -:/|·,;、.的'"
_MAX_CHINESE_CHARS = 8
"""A Chinese noun of someone is at most this long (食品安全管理员, 船舶所有人)."""
_PUNCTUATION_RE = re.compile(r"[,，。;；:：!?、\s]")
_PREPOSITIONS = ("与", "和", "同", "跟", "对", "向")
_MAX_ENGLISH_WORDS = 3
"""An English noun of someone has fewer words than this ("general business partner")."""
_ENGLISH_PHRASE_RE = re.compile(r" (?:of|to|with|for|from|by|at|in|on) ")
"""Prepositions that make English words a phrase, not a noun of someone."""
_POSSESSIVE_RE = re.compile(r"(?:'s|s')$")
_OF_RE = re.compile(r"^(?P<rest>.+)\s+of\s+(?:the\s+)?(?P<noun>[a-z][a-z ]*)$")


GROUP_KEY_TAILS: tuple[str, ...] = (
    "contact information",
    "information",
    "info",
    "identification",
    "details",
    "data",
    "mailing address",
    "address",
    "full name",
    "current name",
    "name",
)
"""Words that end an English group key without changing whom it is about: ``hospitalAddress``,
``patientFullName`` and ``veteranInformation`` are the hospital's, the patient's and the
veteran's."""


def open_role_id(noun: str) -> str:
    """The qualified role id of a noun: ``other:抵押权人``, ``other:project_director``.

    English nouns are written in snake case, as keys spell them, so that "Project Director" in a
    label and ``project_director`` in a key are one role.
    """
    if not has_cjk(noun):
        noun = "_".join(noun.replace("_", " ").split())
    return OPEN_ROLE_PREFIX + noun


def group_key_title(words: str) -> str:
    """An English group key's words without the tails of :data:`GROUP_KEY_TAILS`.

    Example:
        >>> group_key_title("hospital address")
        'hospital'
        >>> group_key_title("provider facility address")
        'provider facility'
    """
    text = words
    for tail in GROUP_KEY_TAILS:
        if text.endswith(" " + tail):
            return text[: -len(tail) - 1]
    return text


def is_open_role(role_id: str | None) -> bool:
    """True for a qualified role id (``other:...``)."""
    return role_id is not None and role_id.startswith(OPEN_ROLE_PREFIX)


def open_role_noun(role_id: str) -> str:
    """The noun of a qualified role id: ``other:抵押权人`` -> ``抵押权人``."""
    return role_id[len(OPEN_ROLE_PREFIX) :]


def open_role_labels(catalog: Catalog, role_id: str) -> tuple[str, str]:
    """Chinese and English labels of a standard or qualified role."""
    if is_open_role(role_id):
        noun = open_role_noun(role_id)
        return noun, noun
    role = catalog.role(role_id)
    return role.label_zh, role.label_en


@dataclass(frozen=True)
class OpenRole:
    """A noun found in a label or title.

    Attributes:
        role: the qualified role id.
        rest: the label without the noun (empty for a bare noun).
        person: False for a body (施工单位).
        bare: True when the text is the noun alone.
    """

    role: str
    rest: str
    person: bool
    bare: bool


def _trim(text: str) -> str:
    return text.strip(_JOIN)


class RoleNounFinder:
    """Finds nouns of people and bodies without a standard role in labels and titles.

    Args:
        nouns: the catalog's role nouns.
        item_names: normalised names of catalog items (labels and aliases): what may follow a
            noun in a label.
    """

    def __init__(self, nouns: Sequence[RoleNoun], item_names: Iterable[str]) -> None:
        self._nouns = sorted(
            ((normalize_label(n.word), n) for n in nouns), key=lambda wn: -len(wn[0])
        )
        self._exceptions = {normalize_label(e) for n in nouns for e in n.exceptions}
        self._names = frozenset(t for t in item_names if t)

    def may_file(self, role_id: str) -> bool:
        """True if an open role's noun may be the one filing the form (``filer`` in the data)."""
        noun = self.noun(open_role_noun(role_id)) if is_open_role(role_id) else None
        return noun is not None and noun.filer

    def noun(self, text: str) -> RoleNoun | None:
        """The role noun ``text`` is, if it is one as a whole."""
        text = _trim(_POSSESSIVE_RE.sub("", text.strip()))
        if not has_cjk(text):
            text = text.replace("_", " ")
        if not text or text in self._exceptions:
            return None
        if not has_cjk(text) and (
            _ENGLISH_PHRASE_RE.search(f" {text} ") or text.count(" ") >= _MAX_ENGLISH_WORDS
        ):
            return None  # "name of partner", "relationship to veteran" are phrases, not nouns
        if has_cjk(text) and (len(text) > _MAX_CHINESE_CHARS or _PUNCTUATION_RE.search(text)):
            return None  # a sentence that happens to end with 方 or 人 is no noun
        if text.startswith(_PREPOSITIONS):
            return None  # "与出生人关系" is a relation to someone, not their data
        for word, noun in self._nouns:
            if not text.endswith(word):
                continue
            head_start = len(text) - len(word)
            if not has_cjk(word) and head_start > 0 and text[head_start - 1] != " ":
                continue  # "copartner" is no "partner"
            if head_start == 0 and not noun.alone:
                continue
            if has_cjk(text) != has_cjk(word):
                continue
            return noun
        return None

    def in_label(self, label: str) -> OpenRole | None:
        """The open role of a normalised label whose rest names an item, or that is a noun."""
        if not label or label in self._names:
            return None
        whole = self.noun(label)
        if whole is not None:
            return OpenRole(open_role_id(_trim(label)), "", whole.person, True)
        of = _OF_RE.match(label)
        if of and of["rest"] in self._names:
            noun = self.noun(of["noun"])
            if noun is not None:
                return OpenRole(open_role_id(of["noun"].strip()), of["rest"], noun.person, False)
        for cut in range(1, len(label)):
            rest = _trim(label[cut:])
            if rest not in self._names or (not has_cjk(label) and label[cut - 1] not in _JOIN):
                continue
            head = _trim(_POSSESSIVE_RE.sub("", _trim(label[:cut])))
            noun = self.noun(head)
            if noun is not None:
                return OpenRole(open_role_id(head), rest, noun.person, False)
        return None

    def in_title(self, title: str) -> OpenRole | None:
        """The open role of a normalised section title that is a noun (with an "信息" tail)."""
        core = title
        for tail in SECTION_TAILS:
            if core.endswith(tail) and len(core) > len(tail):
                core = _trim(core[: -len(tail)])
                break
        noun = self.noun(core)
        return OpenRole(open_role_id(core), "", noun.person, True) if noun else None

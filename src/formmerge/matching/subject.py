"""Form subject inference: whom a form is about when it does not say.

A form declares ``subject`` (person or organization) and ``default_role`` (whom role-less fields
are about) or leaves both out. A declared subject or default role is final; otherwise both are
inferred from the catalog's roles data
(``form_title_words`` and ``form_fields`` in roles.yaml):

- the **title**: a role's title words found in it (丧葬 -> deceased, 企业 -> organization,
  职工 -> applicant); Chinese words anywhere, longest first, English words as whole words;
- the **fields**: a role's item sets, all asked on the form by fields that name no other role
  (统一社会信用代码 + 单位名称 -> organization, 死亡日期 -> deceased); an organization's sets
  count the applicant's fields too (申请人名称 + 统一社会信用代码: the applicant is an enterprise);
- the **roles** named: a role's ``form_roles`` asked on the form (a 法定代表人 -> organization).

When several roles are found, a person's role beats the organization (an organization word in a
person's title is a modifier: 企业职工养老保险待遇申领表 is the employee's form) and a person other
than the applicant beats the applicant (死亡人员 on a funeral claim). The reason is kept and shown
in the match reasons of the fields whose role it decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from formmerge.catalog_index import CatalogIndex, compact_key, label_with_notes
from formmerge.matching.labels import label_alternatives
from formmerge.models import Catalog, Field, Form
from formmerge.normalize import has_cjk, normalize_label
from formmerge.roles import RoleDetector
from formmerge.settings import INDIVIDUAL_BUSINESS_WORDS

__all__ = ["FormSubject", "SubjectInferrer"]

_ENGLISH_WORD_RE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class FormSubject:
    """Whom a form is about.

    Attributes:
        subject: ``person`` or ``organization``.
        default_role: whom fields that name no role are about, when not the applicant.
        reason: how this was decided, for the match reasons ("" when nothing was inferred and
            nothing declared).
    """

    subject: str
    default_role: str | None
    reason: str


class SubjectInferrer:
    """Infers a form's subject and default role from its title and fields.

    Args:
        catalog: the catalog whose roles carry the cues.
        index: the catalog's matching index (exact names of items).
        detector: the role detector, to leave out fields that name another role.
    """

    def __init__(self, catalog: Catalog, index: CatalogIndex, detector: RoleDetector) -> None:
        self.index = index
        self.detector = detector
        self.roles = {r.id: r for r in catalog.roles}
        self._order = [r.id for r in catalog.roles]
        zh: list[tuple[str, str]] = []
        self._english: dict[str, str] = {}
        for role in catalog.roles:
            for word in role.form_title_words:
                text = normalize_label(word)
                if has_cjk(text):
                    zh.append((text, role.id))
                else:
                    self._english[text] = role.id
        self._chinese = sorted(zh, key=lambda wr: -len(wr[0]))
        self._cues = [(r.id, [frozenset(c) for c in r.form_fields]) for r in catalog.roles]
        self._role_cues = [(r.id, r.form_roles) for r in catalog.roles if r.form_roles]

    def infer(self, form: Form) -> FormSubject:
        """The form's subject and default role: declared, else inferred, with the reason."""
        if form.default_role is not None or "subject" in form.model_fields_set:
            # the author's word is final: a declared person's form without a default role is
            # the applicant's
            reason = f"the form declares subject {form.default_role or form.subject}"
            return FormSubject(form.subject, form.default_role, reason)
        found = self._from_fields(form) + self._from_title(form.title)
        chosen = self._choose([role for role, _ in found])
        if chosen is None:
            return FormSubject(form.subject, None, "")
        role = self.roles[chosen]
        why = "; ".join(evidence for r, evidence in found if r == chosen)
        reason = f"form subject {chosen} inferred from {why}"
        if not role.person:
            return FormSubject("organization", None, reason)
        return FormSubject("person", None if chosen == "applicant" else chosen, reason)

    def _choose(self, found: list[str]) -> str | None:
        """A person other than the applicant, then the applicant, then a non-person subject."""
        if not found:
            return None

        def rank(role_id: str) -> tuple[int, int]:
            role = self.roles[role_id]
            tier = 2 if not role.person else (1 if role_id == "applicant" else 0)
            return tier, self._order.index(role_id)

        return min(found, key=rank)

    def _from_title(self, title: str) -> list[tuple[str, str]]:
        text = normalize_label(title)
        found: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            hit = next(((w, r) for w, r in self._chinese if text.startswith(w, pos)), None)
            if hit:
                found.append((hit[1], f"the title word {hit[0]!r}"))
                pos += len(hit[0])
            else:
                pos += 1
        for word in _ENGLISH_WORD_RE.findall(text):
            # a plural counts as its singular: "educational institutions"
            singular = word[:-1] if word.endswith("s") and word[:-1] in self._english else word
            if singular in self._english:
                found.append((self._english[singular], f"the title word {word!r}"))
        return found

    def _from_fields(self, form: Form) -> list[tuple[str, str]]:
        named: dict[tuple[str, str | None], str] = {}
        present: dict[str, str] = {}
        for field in form.fields:
            role, items = self._items_named(field)
            for item in items:
                named.setdefault((item, role), field.label or field.key)
            if role is not None and self._names_role(field, role):
                present.setdefault(role, field.label)
        found = []
        for role_id, cue_roles in self._role_cues:
            hit = next((r for r in cue_roles if r in present), None)
            if hit is not None:
                found.append((role_id, f"the field {present[hit]!r} (a {hit})"))
        for role_id, cues in self._cues:
            # a field counts for a cue if it names no role or the cue's own role; for a body,
            # the applicant's too: "申请人名称" + "统一社会信用代码" is an enterprise applying
            person = self.roles[role_id].person
            counted = (None, role_id) if person else (None, role_id, "applicant")
            own = {item: label for (item, r), label in named.items() if r in counted}
            for cue in cues:
                if cue and cue <= own.keys():
                    labels = ", ".join(repr(own[i]) for i in sorted(cue))
                    found.append((role_id, f"the fields {labels}"))
                    break
        return found

    def _names_role(self, field: Field, role: str) -> bool:
        """True if the field's own label names ``role`` alone (not a key prefix, not a group).

        A label of alternatives names ``role`` when one alternative does and every other
        alternative names a role too, none of them by a word a natural person's business uses
        (``INDIVIDUAL_BUSINESS_WORDS``): "法定代表人或负责人" names a 法定代表人, while
        "法人代表/经营者" names someone an individual business can be too: no cue.
        """
        alternatives = label_alternatives(normalize_label(field.label))
        if not alternatives:
            return self.detector.detect(field.label, "").role == role
        if any(word in alt for alt in alternatives for word in INDIVIDUAL_BUSINESS_WORDS):
            return False
        roles = [self.detector.detect(alt, "").role for alt in alternatives]
        return role in roles and None not in roles

    def _items_named(self, field: Field) -> tuple[str | None, set[str]]:
        """The role a field names and the items it names exactly."""
        hit = self.detector.detect_field(field)
        exact = self.index.exact
        texts = [normalize_label(hit.rest_label), label_with_notes(field.label)]
        keys = ["key:" + compact_key(field.key)] if field.key else []
        positions: set[int] = set()
        for text in texts + keys:
            positions |= exact.get(text, frozenset())
        return hit.role, {self.index.items[p].id for p in positions}

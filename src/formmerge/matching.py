"""Map every form field to a (catalog item, role), with a score and the evidence behind it.

How a field is scored, for all fields of all forms at once:

1. **Role.** :class:`~formmerge.roles.RoleDetector` finds role words in the label, the key or
   the enclosing groups ("配偶身份证号码" -> spouse) and strips them, so that the rest
   ("身份证号码") is what is compared with the catalog.
2. **Text evidence.** The distinct normalised labels are scored against every item's labels and
   aliases, and the distinct compact keys against every item's key spellings (ASCII aliases and
   pinyin initials such as ``sfzhm``), each with one :func:`rapidfuzz.process.cdist` call per
   chunk; alias scores fold into item scores with :func:`numpy.maximum.reduceat`.
3. **Structural evidence**, as whole-matrix adjustments: the field's type against the item's
   type, and the detected role against the roles the item can be about.
4. **Value evidence** re-ranks each field's few best candidates: options that map onto the
   item's code list, example values that pass the item's validator, a declared format.
5. **Status** from the thresholds in :class:`~formmerge.settings.MatchSettings`; a narrow lead
   over the runner-up goes to review. Within one form, two fields of one section never take the
   same (item, role): the weaker one falls back to its next candidate.

Decisions recorded by analysts (:mod:`formmerge.decisions`) and explicit ``item``/``role`` hints
on a field override all of this.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from formmerge.catalog import code_for, load_catalog
from formmerge.catalog_index import CatalogIndex, compact_key, index_catalog, label_with_notes
from formmerge.decisions import Decisions
from formmerge.models import (
    FIELD_TYPES,
    Candidate,
    Catalog,
    Field,
    FieldMatch,
    Form,
    MatchStatus,
    Option,
)
from formmerge.normalize import label_text, normalize_label
from formmerge.roles import RoleDetector
from formmerge.settings import DEFAULT_MATCH_SETTINGS, MatchSettings
from formmerge.validators import FORMAT_SAMPLES, VALIDATORS

__all__ = ["FieldMatcher", "match"]

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
_BARE_ROLE_ITEM_LABEL = {"person": "姓名", "organization": "名称"}
"""What a field labelled only with a role word ("法定代表人", "Contact Person") asks for."""

_TYPE_OK = np.array(
    [[item_t in _COMPATIBLE[field_t] for item_t in FIELD_TYPES] for field_t in FIELD_TYPES],
    dtype=np.bool_,
)


@dataclass(frozen=True)
class _Query:
    """One field prepared for scoring."""

    form: Form
    field: Field
    role: str | None
    label: str
    full_label: str
    key: str
    role_evidence: str
    notes: list[str] = dataclasses.field(default_factory=list)
    """Evidence found on the way (options in a code list), quoted in the reasons."""


class FieldMatcher:
    """Scores fields against a catalog. Build once, call :meth:`match` on any forms.

    Args:
        catalog: the catalog to map onto (default: the shipped one).
        settings: thresholds and evidence weights.
        decisions: analysts' confirmed and rejected mappings, which override the scores.
    """

    def __init__(
        self,
        catalog: Catalog | None = None,
        settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
        decisions: Decisions | None = None,
    ) -> None:
        self.catalog = catalog or load_catalog()
        self.settings = settings
        self.decisions = decisions or Decisions()
        self.decisions.check_against(self.catalog)
        self.index: CatalogIndex = index_catalog(self.catalog)
        self.roles = RoleDetector.from_catalog(self.catalog)
        self._codes: dict[tuple[str, str], str | None] = {}
        self._prepared: dict[tuple[object, ...], tuple[str | None, str, str, str, str]] = {}
        self._decided: dict[tuple[object, ...], FieldMatch] = {}

    # ------------------------------------------------------------------ public

    def match(self, forms: Sequence[Form]) -> list[FieldMatch]:
        """Match every field of every form; one :class:`FieldMatch` per field, in form order."""
        queries = [self._prepare(form, f) for form in forms for f in form.fields]
        if not queries:
            return []
        scores = self._text_scores(queries)
        self._structural(queries, scores)
        self._apply_rejections(queries, scores)
        matches = [self._decide(q, scores[i]) for i, q in enumerate(queries)]
        return self._one_per_section(queries, scores, matches)

    # ------------------------------------------------------------------ preparation

    def _prepare(self, form: Form, field: Field) -> _Query:
        signature = (
            field.label,
            field.key,
            tuple((g.key, g.label) for g in field.group),
            form.subject,
        )
        if signature not in self._prepared:
            self._prepared[signature] = self._read_field(form, field)
        role, label, full_label, key, evidence = self._prepared[signature]
        return _Query(form, field, role, label, full_label, key, evidence)

    def _read_field(self, form: Form, field: Field) -> tuple[str | None, str, str, str, str]:
        """Role, role-less label, full label, compact key and role evidence of a field."""
        hit = self.roles.detect(
            field.label,
            field.key,
            group_labels=[g.label for g in field.group],
            group_keys=[g.key for g in field.group],
        )
        if hit.role == "organization" and form.subject == "person":
            # "单位名称" on a person's form is the person's employer, not a second subject
            hit = replace(hit, role=None, rest_label=field.label, rest_key=field.key)
        label = normalize_label(label_text(hit.rest_label, hit.rest_key))
        if hit.bare and hit.role is not None:
            # the label only names the person or body ("法定代表人"): the field holds its name
            label = _BARE_ROLE_ITEM_LABEL[
                "organization" if hit.role == "organization" else "person"
            ]
        evidence = f"role {hit.role} from {hit.source} ({hit.evidence})" if hit.role else ""
        full_label = label_with_notes(label_text(field.label, field.key))
        return hit.role, label, full_label, compact_key(hit.rest_key), evidence

    # ------------------------------------------------------------------ scoring

    def _similarity(self, queries: list[str], columns_texts: list[str]) -> npt.NDArray[np.float32]:
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

    def _fold(
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

    def _text_scores(self, queries: list[_Query]) -> npt.NDArray[np.float32]:
        ix, s = self.index, self.settings
        label = self._fold(
            [q.label for q in queries], ix.labels.texts, ix.labels.starts, ix.labels.shared
        )
        # the full label too, so that stripping a role word never loses an item ("企业名称")
        full = self._fold(
            [q.full_label for q in queries], ix.labels.texts, ix.labels.starts, ix.labels.shared
        )
        label = np.maximum(label, full)
        key = self._fold(
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
        key[contradicted] *= s.contradicted_key_weight
        scores = np.maximum(label, key)
        agree = (label >= 0.7) & (key >= 0.7)
        scores[agree] += s.both_agree_bonus
        return np.asarray(scores, dtype=np.float32)

    def _structural(self, queries: list[_Query], scores: npt.NDArray[np.float32]) -> None:
        ix, s = self.index, self.settings
        field_types = np.asarray([FIELD_TYPES.index(q.field.type) for q in queries])
        type_ok = _TYPE_OK[field_types][:, ix.item_type]
        scores[~type_ok] -= s.type_mismatch_penalty
        role_rows = np.asarray([ix.role_ids.index(q.role) if q.role else -1 for q in queries])
        has_role = role_rows >= 0
        if has_role.any():
            allowed = ix.role_allowed[role_rows[has_role]]
            sub = scores[has_role]
            sub[~allowed] -= s.role_mismatch_penalty
            scores[has_role] = sub
        # an item whose default role is the role the field is about fits better: breaks ties
        # such as 单位地址 (registered, not mailing, address) or 出生时间 in a newborn section
        effective = np.asarray([ix.role_row(self._implied_role(q)) for q in queries])
        fits = (effective[:, None] >= 0) & (ix.default_role[None, :] == effective[:, None])
        scores[fits] += s.role_fit_bonus
        person_form = np.asarray([q.form.subject == "person" and q.role is None for q in queries])
        if person_form.any():
            sub = scores[person_form]
            sub[:, ix.organization_default] -= s.subject_mismatch_penalty
            scores[person_form] = sub
        self._option_evidence(queries, scores)
        # no upper clip yet: bonuses must still separate two items that both reach 1.0
        np.maximum(scores, 0.0, out=scores)

    def _code(self, code_list: str, value: str) -> str | None:
        """:func:`~formmerge.catalog.code_for`, remembered: forms repeat the same options."""
        key = (code_list, value)
        if key not in self._codes:
            self._codes[key] = code_for(self.catalog, code_list, value)
        return self._codes[key]

    @staticmethod
    def _implied_role(q: _Query) -> str | None:
        if q.role is not None:
            return q.role
        if q.form.default_role is not None:
            return q.form.default_role
        return "organization" if q.form.subject == "organization" else None

    def _option_evidence(self, queries: list[_Query], scores: npt.NDArray[np.float32]) -> None:
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
                        sum(1 for o in options if self._code(cl, o.code) or self._code(cl, o.label))
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

    def _apply_rejections(self, queries: list[_Query], scores: npt.NDArray[np.float32]) -> None:
        for i, q in enumerate(queries):
            for item in self.decisions.rejected_items(q.form.id, q.field.path, q.field.label):
                if item in self.index.positions:
                    scores[i, self.index.item_pos(item)] = 0.0

    # ------------------------------------------------------------------ per-field decision

    def _value_evidence(self, q: _Query, item_pos: int) -> tuple[float, list[str]]:
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

    def _ranked(
        self, q: _Query, row: npt.NDArray[np.float32]
    ) -> list[tuple[float, int, list[str]]]:
        k = min(self.settings.rerank_candidates, row.shape[0])
        top = np.argpartition(-row, k - 1)[:k]
        ranked = []
        for pos in top:
            delta, reasons = self._value_evidence(q, int(pos))
            ranked.append((max(float(row[pos]) + delta, 0.0), int(pos), reasons))
        ranked.sort(key=lambda t: (-t[0], t[1]))
        return ranked

    def _status(self, score: float, margin: float) -> MatchStatus:
        s = self.settings
        if score >= s.matched and margin >= s.ambiguity_margin:
            return "matched"
        if score >= s.review:
            return "review"
        return "unmatched"

    def _decide(
        self, q: _Query, row: npt.NDArray[np.float32], skip: Iterable[int] = ()
    ) -> FieldMatch:
        fixed = self._fixed(q)
        if fixed is not None:
            return fixed
        skipped = frozenset(skip)
        # fields alike in everything the score depends on get the same decision: on a
        # province's forms most fields repeat, so decide each kind once
        f = q.field
        signature = (
            q.label,
            q.full_label,
            q.key,
            q.role,
            f.type,
            f.options,
            f.examples,
            f.pattern,
            f.format,
            q.form.subject,
            q.form.default_role,
            skipped,
            frozenset(self.decisions.rejected_items(q.form.id, f.path, f.label)),
        )
        decided = self._decided.get(signature)
        if decided is None:
            decided = self._decide_once(q, row, skipped)
            self._decided[signature] = decided
        return decided.model_copy(update={"form": q.form.id, "path": f.path, "label": f.label})

    def _decide_once(
        self, q: _Query, row: npt.NDArray[np.float32], skipped: frozenset[int]
    ) -> FieldMatch:
        ranked = [r for r in self._ranked(q, row) if r[1] not in skipped]
        if not ranked:
            return self._unmatched(q, ())
        best, pos, value_reasons = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        status = self._status(best, best - runner_up)
        candidates = tuple(
            Candidate(item=self.index.items[p].id, score=round(min(sc, 1.0), 4))
            for sc, p, _ in ranked[:3]
        )
        if status == "unmatched":
            return self._unmatched(q, candidates)
        item = self.index.items[pos]
        role = q.role or self._default_role(q.form, item.roles)
        if (
            role == "applicant"
            and q.form.subject == "organization"
            and "organization" in item.roles
        ):
            # an enterprise's application: the applicant's address is the organization's
            role = "organization"
        item_list = item.code_list or ""
        reasons = self._text_reasons(q, pos) + value_reasons
        reasons += [n for n in q.notes if n.endswith(f"code list {item_list}")]
        if q.role_evidence:
            reasons.append(q.role_evidence)
        else:
            reasons.append(f"role {role}: the item's default")
        if best - runner_up < self.settings.ambiguity_margin:
            reasons.append(f"close runner-up {candidates[1].item} ({runner_up:.2f})")
        return FieldMatch(
            form=q.form.id,
            path=q.field.path,
            label=q.field.label,
            item=item.id,
            role=role,
            score=round(min(best, 1.0), 4),
            status=status,
            reasons=tuple(reasons),
            candidates=candidates,
        )

    def _text_reasons(self, q: _Query, pos: int) -> list[str]:
        ix = self.index
        if pos in ix.exact.get(q.label, ()):
            return [f"label {q.label!r} is a catalog name of {ix.items[pos].id}"]
        if q.key and pos in ix.exact.get("key:" + q.key, ()):
            return [f"key {q.key!r} is a catalog key of {ix.items[pos].id}"]
        return [f"label {q.label!r} / key {q.key!r} resemble {ix.items[pos].id}"]

    @staticmethod
    def _default_role(form: Form, roles: Sequence[str]) -> str:
        if form.subject == "organization" and "organization" in roles:
            return "organization"
        if form.default_role is not None and form.default_role in roles:
            return form.default_role
        return roles[0]

    def _unmatched(self, q: _Query, candidates: tuple[Candidate, ...]) -> FieldMatch:
        return FieldMatch(
            form=q.form.id,
            path=q.field.path,
            label=q.field.label,
            item=None,
            role=None,
            score=candidates[0].score if candidates else 0.0,
            status="unmatched",
            reasons=("no catalog item scores above the review threshold",),
            candidates=candidates,
        )

    def _fixed(self, q: _Query) -> FieldMatch | None:
        """A mapping fixed by a field hint or a confirmed decision, if any."""
        if q.field.item is not None:
            item, role, why = q.field.item, q.field.role, "the form declares it"
        else:
            decision = self.decisions.confirmed(q.form.id, q.field.path, q.field.label)
            if decision is None:
                return None
            item, role, why = decision.item, decision.role, "a confirmed decision"
        if item not in self.index.positions:
            return None
        role = role or q.role or self._default_role(q.form, self.catalog.item(item).roles)
        return FieldMatch(
            form=q.form.id,
            path=q.field.path,
            label=q.field.label,
            item=item,
            role=role,
            score=1.0,
            status="matched",
            reasons=(f"{item}@{role} fixed by {why}",),
            decided=True,
        )

    # ------------------------------------------------------------------ uniqueness

    def _one_per_section(
        self, queries: list[_Query], scores: npt.NDArray[np.float32], matches: list[FieldMatch]
    ) -> list[FieldMatch]:
        """Within one section of one form, give each (item, role) to its best field only.

        The weaker field falls back to its next candidate (at most ``review``), repeatedly, until
        no section holds an (item, role) twice.
        """
        skipped: dict[int, set[int]] = {}
        for _ in range(self.settings.rerank_candidates + 1):
            holders: dict[tuple[str, str, str | None, str | None], int] = {}
            clashes: list[tuple[int, int]] = []
            order = sorted(
                range(len(matches)),
                key=lambda i: (-int(matches[i].decided), -matches[i].score, i),
            )
            for i in order:
                m = matches[i]
                if m.item is None:
                    continue
                section = "/".join(g.key for g in queries[i].field.group)
                key = (m.form, section, m.item, m.role)
                if key in holders:
                    clashes.append((i, holders[key]))
                else:
                    holders[key] = i
            if not clashes:
                break
            for i, holder in clashes:
                lost = matches[i]
                assert lost.item is not None
                skipped.setdefault(i, set()).add(self.index.item_pos(lost.item))
                retry = self._decide(queries[i], scores[i], skip=skipped[i])
                note = f"{lost.item}@{lost.role} is taken by {matches[holder].path} in this section"
                matches[i] = retry.model_copy(
                    update={
                        "reasons": (*retry.reasons, note),
                        "status": "review" if retry.status == "matched" else retry.status,
                    }
                )
        return matches


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _fullmatch(pattern: str, value: str) -> bool:
    compiled = _compiled(pattern)
    return compiled is not None and compiled.fullmatch(value) is not None


def match(
    forms: Form | Sequence[Form],
    catalog: Catalog | None = None,
    *,
    settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
    decisions: Decisions | None = None,
) -> list[FieldMatch]:
    """Map every field of the given forms to a (catalog item, role).

    Args:
        forms: one form or several.
        catalog: the catalog (default: the shipped one).
        settings: thresholds and weights.
        decisions: confirmed and rejected mappings that override the matcher.

    Returns:
        One :class:`FieldMatch` per field, in form and field order.
    """
    form_list = [forms] if isinstance(forms, Form) else list(forms)
    return FieldMatcher(catalog, settings, decisions).match(form_list)

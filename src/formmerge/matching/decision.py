"""From a field's row of scores to a :class:`~formmerge.models.FieldMatch`: ranking, status,
role, the reasons quoted to a reviewer, and one (item, role) per section of a form."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from formmerge.catalog_index import CatalogIndex
from formmerge.decisions import Decisions
from formmerge.matching.query import Query
from formmerge.matching.scoring import Scorer
from formmerge.models import Candidate, Catalog, FieldMatch, MatchStatus
from formmerge.role_nouns import is_open_role
from formmerge.settings import MatchSettings

__all__ = ["Decider", "deciding_reason", "default_role"]

_CANDIDATES_SHOWN = 3
"""Candidates kept on a match for a reviewer to choose from."""


def default_role(subject: str, form_default: str | None, roles: Sequence[str]) -> str:
    """The role of a field that names none: the form's subject's, if the item allows it.

    Args:
        subject: whom the form is about (``person`` or ``organization``).
        form_default: the form's declared or inferred default role, if any.
        roles: the roles the item can be about, its default first.
    """
    if subject == "organization" and "organization" in roles:
        return "organization"
    if form_default is not None and form_default in roles:
        return form_default
    return roles[0]


def _allows(item_roles: Sequence[str], role: str, stand_in: str | None) -> bool:
    """True if an item can be about ``role``; an open role counts as its stand-in."""
    return role in item_roles or (is_open_role(role) and (stand_in or "applicant") in item_roles)


_DOUBT_MARKERS = ("close runner-up", "is taken by", "second instance", "fails", "rejects")


def deciding_reason(match: FieldMatch) -> str:
    """The reason a reviewer reads first: why the match is in doubt, else what decided it.

    A narrow lead, a lost (item, role) or failed value evidence is the doubt; otherwise the text
    evidence (the first reason) decided.
    """
    doubts = [r for r in match.reasons if any(m in r for m in _DOUBT_MARKERS)]
    if doubts:
        return "; ".join(doubts)
    return match.reasons[0] if match.reasons else ""


class Decider:
    """Turns score rows into matches. Fields alike in everything are decided once.

    Args:
        catalog: the catalog.
        index: its matching index.
        settings: thresholds.
        decisions: analysts' decisions (confirmed mappings are taken as given).
        scorer: the scorer, for per-candidate value evidence.
    """

    def __init__(
        self,
        catalog: Catalog,
        index: CatalogIndex,
        settings: MatchSettings,
        decisions: Decisions,
        scorer: Scorer,
    ) -> None:
        self.catalog = catalog
        self.index = index
        self.settings = settings
        self.decisions = decisions
        self.scorer = scorer
        self._decided: dict[tuple[object, ...], FieldMatch] = {}

    def apply_rejections(self, queries: list[Query], scores: npt.NDArray[np.float32]) -> None:
        """Zero the items an analyst rejected for a field."""
        for i, q in enumerate(queries):
            for item in self.decisions.rejected_items(q.form.id, q.field.path, q.field.label):
                if item in self.index.positions:
                    scores[i, self.index.item_pos(item)] = 0.0

    def ranked(self, q: Query, row: npt.NDArray[np.float32]) -> list[tuple[float, int, list[str]]]:
        """The best candidates after value evidence: (score, item position, reasons)."""
        k = min(self.settings.rerank_candidates, row.shape[0])
        top = np.argpartition(-row, k - 1)[:k]
        ranked = []
        for pos in top:
            delta, reasons = self.scorer.value_evidence(q, int(pos))
            ranked.append((max(float(row[pos]) + delta, 0.0), int(pos), reasons))
        ranked.sort(key=lambda t: (-t[0], t[1]))
        return ranked

    def status(self, score: float, margin: float) -> MatchStatus:
        """``matched``, ``review`` or ``unmatched`` from the score and the lead."""
        s = self.settings
        if score >= s.matched and margin >= s.ambiguity_margin:
            return "matched"
        if score >= s.review:
            return "review"
        return "unmatched"

    def decide(
        self, q: Query, row: npt.NDArray[np.float32], skip: Iterable[int] = ()
    ) -> FieldMatch:
        """The match of one field, its items at ``skip`` excluded."""
        fixed = self.fixed(q)
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
            q.role_evidence,
            q.role_source,
            q.context_role,
            q.context_evidence,
            q.stand_in,
            q.context_stand_in,
            q.part_label,
            f.type,
            f.options,
            f.examples,
            f.pattern,
            f.format,
            q.subject,
            q.default_role,
            q.subject_reason,
            skipped,
            frozenset(self.decisions.rejected_items(q.form.id, f.path, f.label)),
        )
        decided = self._decided.get(signature)
        if decided is None:
            decided = self._decide_once(q, row, skipped)
            self._decided[signature] = decided
        update: dict[str, object] = {"form": q.form.id, "path": f.path, "label": f.label}
        mapped = self.decisions.role_for(q.form.id, decided.role) if decided.role else None
        if mapped is not None:
            # an analyst said whom the open role is: the field merges with that role's
            update["role"] = mapped.maps_to
            note = f"{mapped.role} is {mapped.maps_to} by a decision"
            update["reasons"] = (*decided.reasons, note)
        return decided.model_copy(update=update)

    def _decide_once(
        self, q: Query, row: npt.NDArray[np.float32], skipped: frozenset[int]
    ) -> FieldMatch:
        ranked = [r for r in self.ranked(q, row) if r[1] not in skipped]
        if not ranked:
            return self.unmatched(q, ())
        best, pos, value_reasons = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        status = self.status(best, best - runner_up)
        candidates = tuple(
            Candidate(item=self.index.items[p].id, score=round(min(sc, 1.0), 4))
            for sc, p, _ in ranked[:_CANDIDATES_SHOWN]
        )
        if status == "unmatched":
            return self.unmatched(q, candidates)
        item = self.index.items[pos]
        role, role_reason = self.role_of(q, item.roles, item.id)
        item_list = item.code_list or ""
        reasons = self.text_reasons(q, pos) + value_reasons
        reasons += [n for n in q.notes if n.endswith(f"code list {item_list}")]
        reasons.append(role_reason)
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

    def role_of(self, q: Query, item_roles: Sequence[str], item_id: str = "") -> tuple[str, str]:
        """The field's role for an item it matched, and the reason.

        The field's own words (label, key) decide first; then the person the layout names just
        before, if the item can be about that person and is not an address
        (``context_kept_items``); then the field's groups; then the form's
        subject and default role; then the item's default.
        """
        own = q.role if q.role_source in ("label", "key") else None
        if own is not None:
            role, reason = own, q.role_evidence
        elif (
            q.context_role is not None
            and item_id not in self.settings.context_kept_items
            and _allows(item_roles, q.context_role, q.context_stand_in)
        ):
            role, reason = q.context_role, f"role {q.context_role}: {q.context_evidence}"
        elif q.role is not None:
            role, reason = q.role, q.role_evidence
        else:
            role = default_role(q.subject, q.default_role, item_roles)
            reason = f"role {role}: the item's default"
            if q.subject_reason and role != item_roles[0]:
                reason = f"role {role}: {q.subject_reason}"
        if role == "applicant" and q.subject == "organization" and "organization" in item_roles:
            # an enterprise's application: the applicant's address is the organization's
            role = "organization"
            if q.subject_reason:
                reason += f"; the applicant is the organization ({q.subject_reason})"
        return role, reason

    def text_reasons(self, q: Query, pos: int) -> list[str]:
        """Why the label or key points to the item at ``pos``."""
        ix = self.index
        if pos in ix.exact.get(q.label, ()):
            return [f"label {q.label!r} is a catalog name of {ix.items[pos].id}"]
        if q.key and pos in ix.exact.get("key:" + q.key, ()):
            return [f"key {q.key!r} is a catalog key of {ix.items[pos].id}"]
        return [f"label {q.label!r} / key {q.key!r} resemble {ix.items[pos].id}"]

    def unmatched(self, q: Query, candidates: tuple[Candidate, ...]) -> FieldMatch:
        """A field no item scores high enough for, with the candidates it had."""
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

    def fixed(self, q: Query) -> FieldMatch | None:
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
        item_roles = self.catalog.item(item).roles
        role = role or self.role_of(q, item_roles, item)[0]
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

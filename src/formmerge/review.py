"""The review queue as data: every field the matcher left for an analyst, with its evidence.

A :class:`ReviewEntry` names the field (form, key, label, section), the mapping the matcher
proposes, the top candidates as (item, role, score) and *all* the reasons, the deciding one
(why the field is in doubt, e.g. ``close runner-up hukou_address (0.96)``) first. The CLI table,
the workbook (:mod:`formmerge.review_workbook`) and the interactive review read this one model.

Decisions that name a form or a field the forms do not have are refused with a located
problem (:func:`check_decision_targets`): a decision that can never apply is a typo, not a
no-op.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from formmerge.catalog import load_catalog
from formmerge.decisions import Decisions
from formmerge.errors import DecisionsError, Location, Problem
from formmerge.matching import deciding_reason, match
from formmerge.models import Catalog, FieldMatch, Form
from formmerge.problem_codes import problem
from formmerge.settings import DEFAULT_MATCH_SETTINGS, MatchSettings

__all__ = [
    "ReviewCandidate",
    "ReviewEntry",
    "ReviewQueue",
    "check_decision_targets",
    "review_entry",
    "review_queue",
]


class ReviewCandidate(BaseModel):
    """One item a reviewer can choose for a field, with the role it would take."""

    model_config = ConfigDict(frozen=True)

    item: str
    role: str
    score: float

    @property
    def target(self) -> str:
        """``item@role``, as a decision names it."""
        return f"{self.item}@{self.role}"


class ReviewEntry(BaseModel):
    """One field in the review queue."""

    model_config = ConfigDict(frozen=True)

    form: str
    key: str
    """The field's path in its form (``fq/zz``)."""
    label: str
    section: str = ""
    """The groups the field sits in, outermost first, joined with `` > ``."""
    item: str | None = None
    """The item the matcher proposes."""
    role: str | None = None
    score: float = 0.0
    candidates: tuple[ReviewCandidate, ...] = ()
    deciding: str = ""
    """Why the field is in doubt (or, failing a doubt, what decided the proposal)."""
    reasons: tuple[str, ...] = ()
    """Every reason the matcher gave, in its order."""

    @property
    def ref(self) -> str:
        """``form:path``, as decisions and ``same:`` groups name a field."""
        return f"{self.form}:{self.key}"

    @property
    def proposal(self) -> str:
        """``item@role`` of the matcher's proposal, or ``-`` when it has none."""
        return f"{self.item}@{self.role}" if self.item else "-"


class ReviewQueue(BaseModel):
    """The fields to review among all fields of some forms."""

    model_config = ConfigDict(frozen=True)

    entries: tuple[ReviewEntry, ...]
    fields: int
    """How many fields the forms have in all."""

    @property
    def share(self) -> float:
        """The share of fields that need review (0 when there are no fields)."""
        return len(self.entries) / self.fields if self.fields else 0.0

    def entry(self, ref: str) -> ReviewEntry:
        """The entry of field ``form:path``. Raises KeyError if it is not queued."""
        for e in self.entries:
            if e.ref == ref:
                return e
        raise KeyError(ref)


def _candidate_role(m: FieldMatch, item_roles: Sequence[str]) -> str:
    """The role a candidate takes: the field's own if the item allows it, else its default."""
    if m.role is not None and m.role in item_roles:
        return m.role
    return item_roles[0]


def _deciding(m: FieldMatch, settings: MatchSettings) -> str:
    """Why the field is in doubt: a low score is named as such, before the evidence."""
    reason = deciding_reason(m)
    if m.score < settings.matched:
        low = f"score {m.score:.2f} is below {settings.matched:.2f}"
        return f"{low}; {reason}" if reason else low
    return reason


def review_entry(
    m: FieldMatch,
    form: Form,
    catalog: Catalog,
    settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
) -> ReviewEntry:
    """The review entry of one match of a field of ``form``."""
    field = form.field(m.path)
    section = " > ".join(g.label or g.key for g in field.group)
    ids = {i.id for i in catalog.items}
    candidates = tuple(
        ReviewCandidate(
            item=c.item,
            role=m.role
            if c.item == m.item and m.role
            else _candidate_role(m, catalog.item(c.item).roles),
            score=c.score,
        )
        for c in m.candidates
        if c.item in ids
    )
    return ReviewEntry(
        form=m.form,
        key=m.path,
        label=m.label,
        section=section,
        item=m.item,
        role=m.role,
        score=m.score,
        candidates=candidates,
        deciding=_deciding(m, settings),
        reasons=m.reasons,
    )


def review_queue(
    forms: Sequence[Form],
    catalog: Catalog | None = None,
    *,
    decisions: Decisions | None = None,
    settings: MatchSettings = DEFAULT_MATCH_SETTINGS,
    matches: Sequence[FieldMatch] | None = None,
) -> ReviewQueue:
    """The review queue of some forms, after the decisions.

    Args:
        forms: the forms.
        catalog: the catalog (default: the shipped one).
        decisions: analysts' decisions; each must name forms and fields that exist.
        settings: thresholds of the matcher.
        matches: the forms' matches if already computed (with the same decisions).

    Raises:
        DecisionsError: a decision names a form or a field the forms do not have.
    """
    catalog = catalog or load_catalog()
    if decisions is not None:
        check_decision_targets(decisions, forms)
    if matches is None:
        matches = match(list(forms), catalog, settings=settings, decisions=decisions)
    by_id = {f.id: f for f in forms}
    entries = tuple(
        review_entry(m, by_id[m.form], catalog, settings) for m in matches if m.status == "review"
    )
    return ReviewQueue(entries=entries, fields=len(matches))


def _hint(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_decision_targets(decisions: Decisions, forms: Sequence[Form]) -> None:
    """Refuse decisions that name a form or field the forms do not have.

    A decision without ``form`` must name a field path that some form has; label decisions
    match by label and are not checked. ``same:`` groups and ``roles:`` entries are checked too.

    Raises:
        DecisionsError: every such decision, each located by file, line and pointer.
    """
    paths = {f.id: {fld.path for fld in f.fields} for f in forms}
    every_path = sorted({p for ps in paths.values() for p in ps})
    found: list[Problem] = []

    def target(form: str | None, path: str | None, where: Location) -> None:
        if form is not None and form not in paths:
            message = f"no form {form!r} among the forms reviewed{_hint(form, sorted(paths))}"
            found.append(problem("unknown-form", message, where))
        elif path is not None and form is not None and path not in paths[form]:
            hint = _hint(path, sorted(paths[form]))
            found.append(
                problem("unknown-field", f"form {form!r} has no field {path!r}{hint}", where)
            )
        elif path is not None and form is None and path not in every_path:
            message = f"no form has a field {path!r}{_hint(path, every_path)}"
            found.append(problem("unknown-field", message, where))

    file = decisions.source
    for n, d in enumerate(decisions.items):
        line = decisions.line_of(n)
        target(d.form, d.field, Location(file=file, line=line, pointer=f"/decisions/{n}"))
    for g, group in enumerate(decisions.same):
        for r, ref in enumerate(group):
            form, _, path = ref.partition(":")
            target(form, path, Location(file=file, pointer=f"/same/{g}/{r}"))
    for n, role in enumerate(decisions.roles):
        target(role.form, None, Location(file=file, pointer=f"/roles/{n}"))
    if found:
        raise DecisionsError("the decisions name forms or fields that do not exist", found)

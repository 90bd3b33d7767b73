"""The matcher: prepares every field (role, label, context), scores all at once, decides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from formmerge.catalog import load_catalog
from formmerge.catalog_index import CatalogIndex, compact_key, index_catalog, label_with_notes
from formmerge.decisions import Decisions
from formmerge.matching.context import FieldReading, sequence_context
from formmerge.matching.decision import Decider
from formmerge.matching.query import Query
from formmerge.matching.scoring import Scorer
from formmerge.matching.subject import SubjectInferrer
from formmerge.matching.uniqueness import one_per_section
from formmerge.models import Catalog, Field, FieldMatch, Form
from formmerge.normalize import has_cjk, key_tokens, label_text, normalize_key, normalize_label
from formmerge.role_nouns import is_open_role
from formmerge.roles import RoleDetector
from formmerge.settings import DEFAULT_MATCH_SETTINGS, MatchSettings

__all__ = ["COMPOSITE_HEADS", "FieldMatcher", "match", "part_label"]

COMPOSITE_HEADS = frozenset({"name", "address"})
"""Last words of a group key that make its fields parts of a composite: ``fullName``,
``mailingAddress``."""

_GENERIC_NAMES = frozenset({"name", "名称", "姓名"})
"""What a body's field asks when it says only "name": the body's name."""

_BARE_ROLE_ITEM_LABEL = {"person": "姓名", "organization": "名称"}
"""What a field labelled only with a role word ("法定代表人", "Contact Person") asks for."""


@dataclass(frozen=True)
class _Reading:
    """What a field's label, key and groups say, before any form-level context."""

    role: str | None
    label: str
    full_label: str
    key: str
    evidence: str
    context: FieldReading
    stand_in: str | None
    part_label: str = ""


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
        self.decisions = decisions if decisions is not None else Decisions()
        self.decisions.check_against(self.catalog)
        self.index: CatalogIndex = index_catalog(self.catalog)
        self.roles = RoleDetector.from_catalog(self.catalog)
        self.subjects = SubjectInferrer(self.catalog, self.index, self.roles)
        self.scorer = Scorer(self.catalog, self.index, settings)
        self.decider = Decider(self.catalog, self.index, settings, self.decisions, self.scorer)
        self._prepared: dict[tuple[object, ...], _Reading] = {}

    def match(self, forms: Sequence[Form]) -> list[FieldMatch]:
        """Match every field of every form; one :class:`FieldMatch` per field, in form order."""
        queries = [q for form in forms for q in self._prepare_form(form)]
        if not queries:
            return []
        scores = self.scorer.scores(queries)
        self.decider.apply_rejections(queries, scores)
        matches = [self.decider.decide(q, scores[i]) for i, q in enumerate(queries)]
        return one_per_section(self.decider, queries, scores, matches)

    # ------------------------------------------------------------------ preparation

    def _prepare_form(self, form: Form) -> list[Query]:
        about = self.subjects.infer(form)
        readings = self._filers([self._reading(about.subject, f) for f in form.fields])
        context = sequence_context(
            form.fields, [r.context for r in readings], self.settings.context_span
        )
        return [
            Query(
                form,
                field,
                r.role,
                r.label,
                r.full_label,
                r.key,
                r.evidence,
                subject=about.subject,
                default_role=about.default_role,
                subject_reason=about.reason,
                role_source=r.context.source,
                context_role=c.role if c else None,
                context_evidence=c.evidence if c else "",
                stand_in=r.stand_in,
                context_stand_in=self._stand_in(c.role) if c else None,
                part_label=r.part_label,
            )
            for field, r, c in zip(form.fields, readings, context, strict=True)
        ]

    def _reading(self, subject: str, field: Field) -> _Reading:
        signature = (
            field.label,
            field.key,
            tuple((g.key, g.label) for g in field.group),
            subject,
        )
        if signature not in self._prepared:
            self._prepared[signature] = self._read_field(subject, field)
        return self._prepared[signature]

    def _read_field(self, subject: str, field: Field) -> _Reading:
        """Role, role-less label, full label, compact key and role evidence of a field."""
        written = _label_as_written(field)
        hit = self.roles.detect(
            written,
            field.key,
            group_labels=[g.label for g in field.group],
            group_keys=[g.key for g in field.group],
        )
        if hit.role == "organization" and subject == "person":
            # "单位名称" on a person's form is the person's employer, not a second subject
            hit = replace(hit, role=None, rest_label=written, rest_key=field.key, source="none")
        label = normalize_label(label_text(hit.rest_label, hit.rest_key))
        stand_in = self._stand_in(hit.role)
        if stand_in == "organization" and label in _GENERIC_NAMES:
            # "Name of hospital", ``employerName``: a body's name is an organization's name
            label = _BARE_ROLE_ITEM_LABEL["organization"]
        derived = written != field.label
        if derived and hit.bare:
            # a key that is only a noun (``firstSponsor``, ``selectedVeteran``) is no label
            # that asks the person's name, nor a row that opens a run
            hit = replace(hit, bare=False)
        if hit.bare and hit.role is not None:
            # the label only names the person or body ("法定代表人"): the field holds its name
            body = "organization" in (hit.role, stand_in)
            label = _BARE_ROLE_ITEM_LABEL["organization" if body else "person"]
        evidence = f"role {hit.role} from {hit.source} ({hit.evidence})" if hit.role else ""
        full_label = label_with_notes(label_text(written, field.key))
        context = FieldReading(hit.role, hit.source, hit.bare)
        key = compact_key(hit.rest_key)
        part = part_label(field, label, written)
        return _Reading(hit.role, label, full_label, key, evidence, context, stand_in, part)

    def _filers(self, readings: list[_Reading]) -> list[_Reading]:
        """A noun that may be the filer (a veteran) is the applicant where no one else is.

        On a form that names a claimant or an applicant besides, the veteran is someone else
        and keeps the open role; otherwise the veteran is the one filing.
        """
        if any(r.role == "applicant" for r in readings):
            return readings
        out = []
        for r in readings:
            if r.role is not None and self.roles.may_file(r.role):
                evidence = f"{r.evidence}; the form names no other applicant"
                r = replace(
                    r,
                    role="applicant",
                    evidence=evidence.replace(f"role {r.role}", "role applicant", 1),
                    stand_in=None,
                    context=replace(r.context, role="applicant"),
                )
            out.append(r)
        return out

    def _stand_in(self, role: str | None) -> str | None:
        """The standard role an open role is scored as: a body as the organization."""
        if not is_open_role(role):
            return None
        assert role is not None
        return "organization" if self.roles.open_is_body(role) else "applicant"


def _label_as_written(field: Field) -> str:
    """The label, or the key's words where the label is only the key (``hospitalName``).

    JSON Schema readers label an untitled property with its name; read as one word,
    "childsocialsecuritynumber" would be compared with the catalog character by character.
    """
    label = field.label
    if label and not has_cjk(label) and normalize_label(label) == normalize_label(field.key):
        return " ".join(key_tokens(field.key))
    return label


def part_label(field: Field, label: str, written: str | None = None) -> str:
    """A composite's part named only by its key, with the group's head noun: "last name".

    ``fullName/last`` and ``address/street`` say "last" and "street"; the object they sit in says
    what kind of part (:data:`COMPOSITE_HEADS`). Returns "" for any other field.

    Example:
        >>> from formmerge.models import Field, Group
        >>> part_label(Field(key="last", group=(Group(key="fullName"),)), "last")
        'last name'
    """
    if not field.group or has_cjk(label):
        return ""
    written = field.label if written is None else written
    if written and normalize_label(written) != " ".join(key_tokens(field.key)):
        return ""
    head = normalize_key(field.group[-1].key).rsplit("_", 1)[-1]
    if head not in COMPOSITE_HEADS or head in label.split():
        return ""
    return f"{label} {head}"


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

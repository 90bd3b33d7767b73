"""Analysts' decisions: confirmed and rejected mappings that override the matcher.

A decisions file is YAML::

    decisions:
      - form: hukou-birth          # optional: without it the decision holds in every form
        field: fq/sfzhm            # a field path, or
        # label: 父亲身份证号       # a label (compared after normalisation)
        item: citizen_id
        role: father
        status: confirmed          # or: rejected (this item must not be chosen for the field)
        note: checked against the paper form
    same:                          # uncatalogued fields that ask the same question
      - [company-change:zzlqfs, tax-change:wssdfs]
    roles:                         # an open role is a standard one (optionally in one form)
      - {role: "other:项目负责人", maps_to: principal, form: construction-permit}

Re-running the matcher with the same decisions gives the same mapping, so the work in the review
queue is kept. Confirmed labels can be exported as new catalog aliases.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from formmerge.documents import join_pointer, read_document
from formmerge.errors import DecisionsError, Location, Problem
from formmerge.models import Catalog
from formmerge.normalize import normalize_label
from formmerge.role_nouns import OPEN_ROLE_PREFIX, is_open_role

__all__ = ["BUNDLE_DECISIONS", "Decision", "Decisions", "RoleDecision", "load_decisions"]

BUNDLE_DECISIONS = "decisions.yaml"
"""The decisions file a bundle directory may ship next to its ``bundle.yaml``."""


class Decision(BaseModel):
    """One analyst decision about one field (or every field with one label)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    form: str | None = None
    field: str | None = None
    label: str | None = None
    item: str
    role: str | None = None
    status: Literal["confirmed", "rejected"] = "confirmed"
    note: str = ""
    decided_by: str = ""
    decided_on: date | None = None

    @model_validator(mode="after")
    def _target(self) -> Decision:
        if not self.field and not self.label:
            raise ValueError("a decision needs `field` (a field path) or `label`")
        return self

    def applies(self, form: str, path: str, label: str) -> bool:
        """True if this decision is about the given field."""
        if self.form is not None and self.form != form:
            return False
        if self.field is not None:
            return self.field == path
        return self.label is not None and normalize_label(self.label) == normalize_label(label)


class RoleDecision(BaseModel):
    """An analyst's word that an open role (``other:<noun>``) is a standard role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: str
    """The open role, as the matcher gives it: ``other:项目负责人``."""
    maps_to: str
    """The standard role it is: ``principal``."""
    form: str | None = None
    """Only in this form (default: in every form)."""
    note: str = ""

    @model_validator(mode="after")
    def _open(self) -> RoleDecision:
        if not is_open_role(self.role):
            raise ValueError(f"`role` must be an open role ({OPEN_ROLE_PREFIX}<noun>)")
        return self


class Decisions:
    """A set of decisions, in file order; later decisions override earlier ones."""

    def __init__(
        self,
        decisions: Iterable[Decision] = (),
        source: str | None = None,
        same: Iterable[Iterable[str]] = (),
        roles: Iterable[RoleDecision] = (),
    ) -> None:
        self.items: list[Decision] = list(decisions)
        self.source = source
        self.same: list[tuple[str, ...]] = [tuple(group) for group in same]
        """Groups of ``form:path`` references to uncatalogued fields that mean the same."""
        self.roles: list[RoleDecision] = list(roles)
        """Open roles mapped onto standard roles."""
        self._lines: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.items)

    def line_of(self, index: int) -> int | None:
        """The line of the file the decision at ``index`` was read from, if known."""
        return self._lines.get(index)

    def confirmed(self, form: str, path: str, label: str) -> Decision | None:
        """The confirmed mapping of a field, if any (a field decision beats a label one)."""
        if not self.items:
            return None
        hits = [d for d in self.items if d.status == "confirmed" and d.applies(form, path, label)]
        if not hits:
            return None
        by_field = [d for d in hits if d.field is not None]
        return (by_field or hits)[-1]

    def role_for(self, form: str, role: str) -> RoleDecision | None:
        """The standard role an analyst mapped an open role to in a form, if any."""
        hits = [r for r in self.roles if r.role == role and r.form in (None, form)]
        by_form = [r for r in hits if r.form is not None]
        return (by_form or hits)[-1] if hits else None

    def rejected_items(self, form: str, path: str, label: str) -> set[str]:
        """Items that analysts ruled out for a field."""
        if not self.items:
            return set()
        return {
            d.item for d in self.items if d.status == "rejected" and d.applies(form, path, label)
        }

    def record(self, decision: Decision) -> Decisions:
        """A new set with ``decision`` added (replacing an earlier one about the same field)."""
        kept = [
            d
            for d in self.items
            if (d.form, d.field, d.label, d.item)
            != (
                decision.form,
                decision.field,
                decision.label,
                decision.item,
            )
        ]
        return Decisions([*kept, decision], self.source, self.same, self.roles)

    def check_against(self, catalog: Catalog) -> None:
        """Raise :class:`DecisionsError` listing every decision naming an unknown item or role."""
        items = {i.id for i in catalog.items}
        roles = {r.id for r in catalog.roles}
        problems = []
        for n, d in enumerate(self.items):
            loc = Location(file=self.source, line=self._lines.get(n), form=d.form, field=d.field)
            if d.item not in items:
                problems.append(
                    Problem("unknown-item", f"item {d.item!r} is not in the catalog", loc)
                )
            if d.role is not None and d.role not in roles and not is_open_role(d.role):
                problems.append(
                    Problem("unknown-role", f"role {d.role!r} is not a catalog role", loc)
                )
        for n, r in enumerate(self.roles):
            if r.maps_to not in roles:
                loc = Location(file=self.source, pointer=f"/roles/{n}", form=r.form)
                message = f"role {r.maps_to!r} is not a catalog role"
                problems.append(Problem("unknown-role", message, loc))
        if problems:
            raise DecisionsError("the decisions name unknown catalog entries", problems)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for writing back to YAML."""
        data: dict[str, Any] = {
            "decisions": [d.model_dump(mode="json", exclude_defaults=True) for d in self.items]
        }
        if self.same:
            data["same"] = [list(group) for group in self.same]
        if self.roles:
            data["roles"] = [r.model_dump(mode="json", exclude_defaults=True) for r in self.roles]
        return data

    def save(self, path: str | Path) -> None:
        """Write the decisions to a YAML file.

        An existing file is edited, not reformatted: its comments and the lines of unchanged
        entries stay as they are (see :mod:`formmerge.decisions_text`).
        """
        from formmerge.decisions_text import edit_decisions_text

        p = Path(path)
        data = self.to_dict()
        text = None
        if p.is_file():
            text = edit_decisions_text(p.read_text(encoding="utf-8"), data)
        if text is None:
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        p.write_text(text, encoding="utf-8")

    def alias_suggestions(self, catalog: Catalog) -> dict[str, list[str]]:
        """Confirmed labels that are not yet names of their item: candidates for new aliases."""
        out: dict[str, list[str]] = {}
        for d in self.items:
            if d.status != "confirmed" or not d.label:
                continue
            item = catalog.item(d.item)
            known = {normalize_label(x) for x in (item.label_zh, item.label_en, *item.aliases)}
            if normalize_label(d.label) not in known and d.label not in out.get(d.item, []):
                out.setdefault(d.item, []).append(d.label)
        return out


_FILE_KEYS = ("decisions", "same", "roles")
"""The top-level keys of a decisions file."""


def load_decisions(path: str | Path, *, missing_ok: bool = False) -> Decisions:
    """Read a decisions file. Every malformed entry is reported in one :class:`DecisionsError`.

    Args:
        path: the decisions file.
        missing_ok: return an empty set (remembering ``path`` for :meth:`Decisions.save`) when
            the file does not exist, instead of raising. For tools that create the file.

    Raises:
        DecisionsError: the file is missing (unless ``missing_ok``), unreadable or malformed:
            an unknown top-level key (a typo such as ``decision:``), a key written twice, an
            entry that is not a decision.
    """
    p = Path(path)
    file = str(p)
    if missing_ok and not p.exists():
        return Decisions(source=file)
    document = read_document(p, file=file, error=DecisionsError)
    data = {} if document.data is None else document.data
    if not isinstance(data, Mapping):
        loc = Location(file=file, line=1)
        problem = Problem("not-a-mapping", "expected a mapping with a `decisions:` list", loc)
        raise DecisionsError("cannot read the decisions file", [problem])
    problems = list(document.problems)
    for key in data:
        if key not in _FILE_KEYS:
            close = difflib.get_close_matches(str(key), _FILE_KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "expected decisions, same or roles"
            message = f"unknown top-level key {key!r}; {hint}"
            where = Location(file=file, line=document.line([key]), pointer=join_pointer("", key))
            problems.append(Problem("unknown-attribute", message, where))
    entries = data.get("decisions", [])
    same = data.get("same", [])
    if not isinstance(same, list) or not all(
        isinstance(g, list) and all(isinstance(r, str) and ":" in r for r in g) for g in same
    ):
        loc = Location(file=file, line=document.line(["same"]), pointer="/same")
        problems.append(
            Problem("bad-file-structure", "`same:` must be a list of lists of 'form:path'", loc)
        )
    if not isinstance(entries, list):
        loc = Location(file=file, line=document.line(["decisions"]), pointer="/decisions")
        problems.append(Problem("bad-file-structure", "`decisions:` must be a list", loc))
        entries = []
    role_entries = data.get("roles", [])
    if not isinstance(role_entries, list):
        loc = Location(file=file, line=document.line(["roles"]), pointer="/roles")
        problems.append(
            Problem("bad-file-structure", "`roles:` must be a list of {role, maps_to}", loc)
        )
        role_entries = []
    role_decisions = []
    for n, entry in enumerate(role_entries):
        try:
            role_decisions.append(RoleDecision.model_validate(entry))
        except ValidationError as e:
            for err in e.errors():
                field_path = ".".join(str(x) for x in err["loc"]) or "entry"
                loc = Location(file=file, line=document.line(["roles", n]), pointer=f"/roles/{n}")
                problems.append(Problem("invalid-decision", f"{field_path}: {err['msg']}", loc))
    lines: dict[int, int] = {}
    decisions = []
    for n, entry in enumerate(entries):
        line = document.line(["decisions", n])
        if line is not None:
            lines[n] = line
        try:
            decisions.append(Decision.model_validate(entry))
        except ValidationError as e:
            for err in e.errors():
                part = ".".join(str(x) for x in err["loc"]) or "entry"
                loc = Location(file=file, line=line, pointer=f"/decisions/{n}")
                problems.append(Problem("invalid-decision", f"{part}: {err['msg']}", loc))
    if problems:
        raise DecisionsError("the decisions file is malformed", problems)
    out = Decisions(decisions, source=file, same=same, roles=role_decisions)
    out._lines = lines
    return out

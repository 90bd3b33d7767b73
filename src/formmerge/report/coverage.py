"""What shared data can replace: verified sources per item, and a subject's prefill result.

The report counts a field as *prefilled* and a material as *eliminated* in one of two ways:

- **static** (no particular applicant): a :class:`SourceCoverage`, read from a source
  configuration, says which sources hold which items and how the keys of related people are
  found. A field is prefillable when a source holds its item (verified or self-declared: either
  way the applicant does not type it) and the key of the field's role can be known: the main
  subject's key comes from the login, another role's key from a relation of the configuration
  (a spouse from the marriage register, the legal representative from the enterprise
  register). A material is eliminated only when *verified* sources hold every item it
  evidences.
- **per subject**: a prefill result (anything shaped like :class:`PrefillResult`, such as
  :class:`formmerge.prefill.result.Prefill`) says which merged fields were actually filled, from
  which source, and whether the value is read-only (verified).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from formmerge.prefill.config import SourceConfig

__all__ = [
    "DEFAULT_SUBJECT_KEYS",
    "MAIN_ROLES",
    "CoveredSource",
    "PrefillResult",
    "PrefilledValueLike",
    "RoleLink",
    "SourceCoverage",
]

MAIN_ROLES: dict[str, str] = {"person": "applicant", "organization": "organization"}
"""The role of the subject who logs in, by the bundle's subject: its key is known."""

DEFAULT_SUBJECT_KEYS: dict[str, str] = {"person": "citizen_id", "organization": "uscc"}
"""The item that identifies a person and an organization."""


class PrefilledValueLike(Protocol):
    """The part of a prefilled value the report reads."""

    @property
    def source(self) -> str:
        """The id of the source the value came from."""
        ...

    @property
    def read_only(self) -> bool:
        """True when the value comes from a verified government source."""
        ...


class PrefillResult(Protocol):
    """The part of a prefill result the report reads: the prefilled merged fields by id."""

    @property
    def values(self) -> Mapping[str, PrefilledValueLike]:
        """Prefilled values keyed by merged field id (``item@role``)."""
        ...


@dataclass(frozen=True)
class CoveredSource:
    """A source: the items it holds, the key item its rows are found by."""

    id: str
    key: str
    items: frozenset[str]
    roles: frozenset[str] | None = None
    """Serve only these roles (None: every role whose key is of the key item)."""
    verified: bool = True
    """False for self-declared data: it prefills fields but replaces no document."""


@dataclass(frozen=True)
class RoleLink:
    """A relation that finds the keys of ``role`` from a key of ``from_role``."""

    role: str
    from_role: str
    key: str
    """The item of ``from_role``'s key that is looked up."""
    yields: frozenset[str]
    """The key items found for ``role``."""


@dataclass(frozen=True)
class SourceCoverage:
    """Which sources hold which items, and whose keys can be found, for any subject.

    Attributes:
        sources: the sources, verified and self-declared.
        links: how the keys of related roles are found.
        subject_keys: the key item of a person and of an organization.
        name: a short name of the source configuration, shown in reports.
    """

    sources: tuple[CoveredSource, ...] = ()
    links: tuple[RoleLink, ...] = ()
    subject_keys: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SUBJECT_KEYS))
    name: str = ""

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[str, str]],
        name: str = "",
        key: str = "citizen_id",
        links: Iterable[RoleLink] = (),
        self_declared: Iterable[str] = (),
    ) -> SourceCoverage:
        """Coverage from ``(source id, item id)`` pairs of sources keyed by ``key``.

        Sources are verified unless named in ``self_declared``.
        """
        by_source: dict[str, set[str]] = {}
        for source, item in pairs:
            by_source.setdefault(source, set()).add(item)
        declared = set(self_declared)
        sources = tuple(
            CoveredSource(s, key, frozenset(i), verified=s not in declared)
            for s, i in sorted(by_source.items())
        )
        return cls(sources, tuple(links), name=name)

    @classmethod
    def from_config(cls, config: SourceConfig, name: str = "") -> SourceCoverage:
        """Coverage from a source configuration (see :func:`formmerge.prefill.load_sources`)."""
        sources = tuple(
            CoveredSource(
                id=s.id,
                key=s.key.item,
                items=frozenset(s.columns),
                roles=frozenset(s.roles) if s.roles is not None else None,
                verified=s.authority == "verified",
            )
            for s in config.sources
        )
        links = tuple(
            RoleLink(r.role, r.from_role, r.key.item, frozenset(r.yields)) for r in config.relations
        )
        keys = {
            "person": config.subject_keys.person,
            "organization": config.subject_keys.organization,
        }
        return cls(sources, links, keys, name)

    def sources_for(self, item: str | None) -> tuple[str, ...]:
        """The verified sources that hold ``item``, for whichever role (empty for None)."""
        return tuple(s.id for s in self.sources if s.verified and item in s.items)

    def covers(self, item: str | None) -> bool:
        """True if some verified source holds ``item``."""
        return bool(self.sources_for(item))

    def role_keys(self, subject: str) -> dict[str, frozenset[str]]:
        """The key items known for each role, starting from the main subject's login.

        Args:
            subject: the bundle's subject, ``person`` or ``organization``.
        """
        main = MAIN_ROLES.get(subject, "applicant")
        known: dict[str, set[str]] = {main: {self.subject_keys.get(subject, "citizen_id")}}
        changed = True
        while changed:
            changed = False
            for link in self.links:
                if link.key in known.get(link.from_role, ()):
                    found = known.setdefault(link.role, set())
                    if not link.yields <= found:
                        found |= link.yields
                        changed = True
        return {role: frozenset(keys) for role, keys in known.items()}

    def prefill_sources(
        self, item: str | None, role: str | None, role_keys: Mapping[str, frozenset[str]]
    ) -> tuple[str, ...]:
        """The sources (verified or not) that can prefill ``item@role`` for any subject.

        Args:
            item: the field's catalog item (None for an uncatalogued field).
            role: the field's role.
            role_keys: from :meth:`role_keys`.
        """
        if item is None or role is None:
            return ()
        keys = role_keys.get(role, frozenset())
        return tuple(
            s.id
            for s in self.sources
            if item in s.items and s.key in keys and (s.roles is None or role in s.roles)
        )

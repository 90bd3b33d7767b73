"""What shared data can replace: verified sources per item, and a subject's prefill result.

The report counts a field as *prefilled* and a material as *eliminated* in one of two ways:

- **static** (no particular applicant): a :class:`SourceCoverage` says which verified sources
  hold each catalog item. A field is prefillable when a verified source holds its item; a
  material is eliminated when a verified source holds every item it evidences.
- **per subject**: a prefill result (anything shaped like :class:`PrefillResult`, such as
  :class:`formmerge.prefill.Prefill`) says which merged fields were actually filled, from which
  source, and whether the value is read-only (verified).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "PrefillResult",
    "PrefilledValueLike",
    "SourceCoverage",
]


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
class SourceCoverage:
    """Which verified sources hold which catalog items, independent of any applicant.

    Attributes:
        items: catalog item id -> ids of the verified sources that hold it (sorted).
        name: a short name of the source configuration the coverage was read from.
        keys: items the sources look a subject up by (``citizen_id``, ``uscc``). The main
            subject's key is known from the login; another person's key (a spouse's ID
            number) is typed by the applicant, and the rest of that person's data is read.
    """

    items: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    name: str = ""
    keys: frozenset[str] = frozenset()

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, str]], name: str = "", keys: Iterable[str] = ()
    ) -> SourceCoverage:
        """Coverage from ``(source id, item id)`` pairs of verified sources."""
        by_item: dict[str, set[str]] = {}
        for source, item in pairs:
            by_item.setdefault(item, set()).add(source)
        items = {item: tuple(sorted(s)) for item, s in sorted(by_item.items())}
        return cls(items, name, frozenset(keys))

    def sources_for(self, item: str | None) -> tuple[str, ...]:
        """The verified sources that hold ``item`` (empty for None or an uncovered item)."""
        if item is None:
            return ()
        return tuple(self.items.get(item, ()))

    def covers(self, item: str | None) -> bool:
        """True if some verified source holds ``item``."""
        return bool(self.sources_for(item))

    def prefill_sources(
        self, item: str | None, role: str | None, main_role: str
    ) -> tuple[str, ...]:
        """The sources that can prefill the field ``item@role`` without a particular subject.

        A verified source must hold the item; a lookup key is prefilled only for the main
        role (the logged-in applicant or organization), since another person's key is what
        the applicant types to find that person.
        """
        if item in self.keys and (role or main_role) != main_role:
            return ()
        return self.sources_for(item)

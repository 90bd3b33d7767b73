"""Reading shared data for one subject, limited to what a form asks for.

A :class:`RegisterReader` is made for one merged form: it knows the (item, role) pairs the form
asks for and refuses to read anything else (:class:`~formmerge.errors.AccessDeniedError`). It
finds related people by following the configured relations, reads each source with one query
for every role at once, and appends every read to the audit trail, including the reads made
before a failure. A source (or relation) whose query fails is left out with a located problem
(``source-failed``) in :attr:`RegisterReader.problems`, and the other sources are still read:
the applicant then types what that source would have given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from formmerge.errors import AccessDeniedError, Location, Problem
from formmerge.models import Catalog, FieldType
from formmerge.prefill.audit import AuditLog, AuditRecord
from formmerge.prefill.backend import RegisterBackend, SourceQueryError
from formmerge.prefill.config import RelationSpec, SourceConfig, SourceSpec
from formmerge.prefill.sql import AS_OF, KEY, Query, relation_lookup_sql, source_read_sql

__all__ = [
    "Candidate",
    "RegisterReader",
    "RoleKeys",
    "relation_order",
    "source_plan",
]

RoleKeys = dict[str, dict[str, str]]
"""Role to the keys known for it: key item (``citizen_id``, ``uscc`` ...) to value."""


@dataclass(frozen=True)
class Candidate:
    """A value one source holds for one (item, role)."""

    value: object
    source: str
    as_of: str | None


def relation_order(config: SourceConfig, roles: Iterable[str], known: Iterable[str]) -> list[str]:
    """The roles to look up, in dependency order, to find ``roles`` from the ``known`` ones.

    A role's relation entries may start from other roles; those are looked up first (even when
    the form does not ask for them, e.g. the child when the form asks for the newborn's father).
    """
    given = set(known)
    entries: dict[str, list[RelationSpec]] = {}
    for relation in config.relations:
        entries.setdefault(relation.role, []).append(relation)
    order: list[str] = []

    def visit(role: str, path: tuple[str, ...]) -> None:
        if role in given or role in order or role in path:
            return
        for relation in entries.get(role, ()):
            visit(relation.from_role, (*path, role))
        if role in entries:
            order.append(role)

    for role in sorted(set(roles)):
        visit(role, ())
    return order


def source_plan(
    config: SourceConfig,
    requests: Iterable[tuple[str, str]],
    role_keys: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, list[str]]]:
    """Which source to read for which (item, role): source id to role to items.

    A source serves a role if the role has a key of the source's key item (and the source is not
    limited to other roles). Every source holding an item is read, so disagreements show.
    """
    plan: dict[str, dict[str, list[str]]] = {}
    for item, role in requests:
        for source in config.sources:
            if item not in source.columns or source.key.item not in role_keys.get(role, {}):
                continue
            if source.roles is not None and role not in source.roles:
                continue
            plan.setdefault(source.id, {}).setdefault(role, []).append(item)
    return plan


class RegisterReader:
    """Reads the shared data one merged form asks for, and nothing else.

    Args:
        backend: the database holding the registers.
        config: the source configuration.
        catalog: the catalog (item types).
        allowed: the (item, role) pairs the form asks for.
        audit: where every read is recorded.
        matter: the matter the reads are for (recorded).
        subject: the subject key the prefill is for (recorded hashed).
    """

    def __init__(
        self,
        backend: RegisterBackend,
        config: SourceConfig,
        catalog: Catalog,
        allowed: Iterable[tuple[str, str]],
        *,
        audit: AuditLog,
        matter: str | None,
        subject: str,
    ) -> None:
        self.backend, self.config, self.catalog = backend, config, catalog
        self.allowed = frozenset(allowed)
        self.audit, self.matter = audit, matter
        self.subject_hash = audit.hash(subject)
        self.read_id = audit.new_read_id()
        self.problems: list[Problem] = []
        """Sources or relations that could not be read, one located problem each."""

    def _failed(self, what: str, source: str, error: SourceQueryError) -> None:
        detail = error.summary.split("\nSQL:", 1)[0]
        message = f"{what} failed, its items are left to type: {detail}"
        self.problems.append(Problem("source-failed", message, Location(field=source)))

    def check_allowed(self, requests: Iterable[tuple[str, str]]) -> None:
        """Raise AccessDeniedError naming every requested (item, role) the form does not ask."""
        denied = sorted({r for r in requests if r not in self.allowed})
        if denied:
            problems = [
                Problem(
                    "item-not-asked",
                    f"the form does not ask for {item!r} of the {role or 'default'} role; "
                    "prefill reads only what the form asks (minimum necessary)",
                    Location(field=f"{item}@{role}"),
                )
                for item, role in denied
            ]
            names = ", ".join(f"{item}@{role}" for item, role in denied)
            raise AccessDeniedError(f"read refused: {names} not asked by the form", problems)

    def _record(
        self, role: str, key: str | None, source: str, items: Iterable[str], found: int
    ) -> AuditRecord:
        return AuditRecord(
            read_at=self.audit.now(),
            matter=self.matter,
            read_id=self.read_id,
            subject_hash=self.subject_hash,
            role=role,
            key_hash=self.audit.hash(key) if key is not None else None,
            source=source,
            items=tuple(items),
            found=found,
        )

    def resolve_roles(self, given: RoleKeys, roles: Iterable[str]) -> RoleKeys:
        """The keys of ``roles`` found through the configured relations, added to ``given``."""
        known: RoleKeys = {role: dict(keys) for role, keys in given.items()}
        records: list[AuditRecord] = []
        try:
            for role in relation_order(self.config, roles, known):
                self._resolve_role(role, known, records)
        finally:
            self.audit.record(records)
        return known

    def _resolve_role(self, role: str, known: RoleKeys, records: list[AuditRecord]) -> None:
        usable = [
            (relation, known[relation.from_role][relation.key.item])
            for relation in self.config.relations
            if relation.role == role and relation.key.item in known.get(relation.from_role, {})
        ]
        if not usable:
            return
        items = list(dict.fromkeys(i for relation, _ in usable for i in relation.yields))
        names = ",".join(dict.fromkeys(str(relation.relation) for relation, _ in usable))
        what = f"finding the {role} through relations"
        try:
            rows = self.backend.rows(relation_lookup_sql(usable, items), what)
        except SourceQueryError as error:
            self._failed(what, f"relation:{names}", error)
            return
        records.append(self._record(role, usable[0][1], f"relation:{names}", items, len(rows)))
        if rows:
            found = {item: str(v) for item, v in zip(items, rows[0][1:], strict=True) if v}
            if found:
                known[role] = found

    def read(
        self, role_keys: Mapping[str, Mapping[str, str]], requests: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], list[Candidate]]:
        """Read the requested (item, role) pairs from every source that holds them.

        Raises:
            AccessDeniedError: a requested pair is not asked by the form.
            SourceError: the audit trail cannot be written (a failed source is not raised: it
                is left out with a problem in :attr:`problems`).
        """
        wanted = list(dict.fromkeys(requests))
        self.check_allowed(wanted)
        found: dict[tuple[str, str], list[Candidate]] = {}
        records: list[AuditRecord] = []
        plan = [
            (self.config.source(source_id), role_items)
            for source_id, role_items in source_plan(self.config, wanted, role_keys).items()
        ]
        queries = [self._source_query(source, items, role_keys) for source, items in plan]
        whats = [f"reading source {source.id!r}" for source, _ in plan]
        try:
            # Every source in one call: the backend may answer them all with one statement.
            jobs = [(query, what) for (query, _), what in zip(queries, whats, strict=True)]
            results = self.backend.rows_each(jobs)
            for (source, role_items), (_, names), what, result in zip(
                plan, queries, whats, results, strict=True
            ):
                if isinstance(result, SourceQueryError):
                    self._failed(what, source.id, result)
                    continue
                rows = {str(r[0]): dict(zip(names, r, strict=True)) for r in result}
                for role, items in role_items.items():
                    key = role_keys[role][source.key.item]
                    row = rows.get(key)
                    records.append(self._record(role, key, source.id, items, int(row is not None)))
                    if row is not None:
                        self._collect(found, source.id, role, items, row)
        finally:
            self.audit.record(records)
        return found

    @staticmethod
    def _collect(
        found: dict[tuple[str, str], list[Candidate]],
        source: str,
        role: str,
        items: list[str],
        row: Mapping[str, object],
    ) -> None:
        as_of = None if row[AS_OF] is None else str(row[AS_OF])
        for item in items:
            if row[item] is not None:
                found.setdefault((item, role), []).append(Candidate(row[item], source, as_of))

    def _types(self, items: Iterable[str]) -> dict[str, FieldType]:
        return {item: self.catalog.item(item).type for item in items}

    def _source_query(
        self,
        source: SourceSpec,
        role_items: Mapping[str, list[str]],
        role_keys: Mapping[str, Mapping[str, str]],
    ) -> tuple[Query, list[str]]:
        """The statement reading one source for its roles, and the names of its columns."""
        keys = {role: role_keys[role][source.key.item] for role in role_items}
        items = self._types(i for its in role_items.values() for i in its)
        item_keys = {
            item: [keys[role] for role, its in role_items.items() if item in its] for item in items
        }
        query = source_read_sql(source, items, list(keys.values()), item_keys)
        return query, [KEY, *items, AS_OF]

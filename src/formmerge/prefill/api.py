"""Prefill one merged form for one subject from the shared registers (数据预填)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import duckdb

from formmerge.errors import Location, Problem, SourceError
from formmerge.identities import bind
from formmerge.models import Catalog, MergedForm
from formmerge.prefill.audit import AuditLog
from formmerge.prefill.backend import RegisterBackend
from formmerge.prefill.config import SourceConfig
from formmerge.prefill.derive import pending_derived
from formmerge.prefill.duckdb_backend import DuckDBBackend
from formmerge.prefill.loading import load_sources
from formmerge.prefill.offer import offered_values
from formmerge.prefill.reader import Candidate, RegisterReader, RoleKeys
from formmerge.prefill.result import Disagreement, Prefill, PrefilledValue

__all__ = [
    "MAX_KEY_LENGTH",
    "extra_reads",
    "field_requests",
    "open_backend",
    "prefill",
    "resolve_config",
    "subject_role",
    "subject_role_keys",
]

MAX_KEY_LENGTH = 64
"""Longer subject keys are rejected before any query (no register key is that long)."""

if TYPE_CHECKING:
    from psycopg import Connection as PostgresConnection

Connection: TypeAlias = "duckdb.DuckDBPyConnection | PostgresConnection[Any] | Path | str | None"
"""The registers: a DuckDB connection or file, a psycopg connection or a PostgreSQL DSN
(``postgresql://...``), or None for the configuration's ``database`` or ``postgres``."""


_DSN_PREFIXES = ("postgres://", "postgresql://")


def _is_postgres(connection: object, config: SourceConfig) -> bool:
    if connection is None:
        return config.postgres is not None
    if isinstance(connection, str):
        return connection.lower().startswith(_DSN_PREFIXES)
    return type(connection).__module__.startswith("psycopg")


def resolve_config(
    sources: SourceConfig | Path | str | None, catalog: Catalog | None
) -> tuple[SourceConfig, Catalog]:
    """The source configuration (loaded and checked) and the catalog."""
    from formmerge.catalog import load_catalog  # deferred: the catalog imports much

    cat = catalog or load_catalog()
    config = sources if isinstance(sources, SourceConfig) else load_sources(sources, catalog=cat)
    return config, cat


@contextmanager
def open_backend(
    connection: Connection, config: SourceConfig, *, writes: Iterable[str] = ()
) -> Iterator[RegisterBackend]:
    """The backend for ``connection`` (see :meth:`DuckDBBackend.open` and
    :meth:`~formmerge.prefill.postgres_backend.PostgresBackend.open`), closed afterwards if it
    was opened here. While inside, the backend's connection is this thread's alone: other
    threads sharing it wait (see :mod:`formmerge.prefill.locking`)."""
    backend: RegisterBackend
    if _is_postgres(connection, config):
        from formmerge.prefill.postgres_backend import PostgresBackend  # the optional extra

        if isinstance(connection, str):  # a DSN given by the program, not written in a file
            backend = PostgresBackend(dsn=connection)
        else:
            backend = PostgresBackend.open(connection, config)
    else:
        backend = DuckDBBackend.open(connection, config, writes=writes)  # type: ignore[arg-type]
    try:
        with backend.exclusive():
            yield backend
    finally:
        backend.close()


def field_requests(merged: MergedForm, catalog: Catalog) -> dict[str, tuple[str, str]]:
    """Field id to the (item, role) it asks for; a field without a role gets the item's default.

    Fields without a catalog item (recurring uncatalogued fields) are not prefillable and left
    out; so are items the catalog does not know.
    """
    out = {}
    for f in merged.fields:
        if f.item is None:
            continue
        try:
            item = catalog.item(f.item)
        except KeyError:
            continue
        out[f.id] = (f.item, f.role or item.roles[0])
    return out


def extra_reads(
    merged: MergedForm, reads: Iterable[str], catalog: Catalog, asked: set[tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """The ``item@role`` reads an application declares beyond its fields (the rules' reads),
    checked: the item is in the catalog, the role is one the item can have, and the role is
    one the merged form asks about (or the subject role). Prefill never reads data about a
    person the application does not concern.

    Raises:
        SourceError: with a ``bad-read`` problem for every read refused.
    """
    roles = {role for _, role in asked} | {subject_role(merged)}
    out, problems = {}, []
    for field_id in reads:
        item, _, role = str(field_id).partition("@")
        try:
            known = catalog.item(item)
        except KeyError:
            known = None
        if known is None or not role:
            reason = "expected 'item@role' of a catalog item"
        elif role not in known.roles:
            reason = f"{item!r} is not data a {role!r} has (roles: {', '.join(known.roles)})"
        elif role not in roles:
            reason = f"the form asks nothing about the {role!r} role"
        else:
            out[field_id] = (item, role)
            continue
        problems.append(Problem("bad-read", f"cannot read {field_id!r}: {reason}",
                                Location(field=str(field_id))))  # fmt: skip
    if problems:
        raise SourceError("prefill refused reads the application does not need", problems)
    return out


def subject_role(merged: MergedForm) -> str:
    """The role a subject given as one string is: ``organization`` when one of the merged forms
    is about an organization, else ``applicant``."""
    return "organization" if any(f.subject == "organization" for f in merged.forms) else "applicant"


def _bad_key(key: object) -> str | None:
    if not isinstance(key, str):
        return "is not text"
    if not key.strip():
        return "is empty"
    if len(key) > MAX_KEY_LENGTH:
        return f"is longer than {MAX_KEY_LENGTH} characters"
    if any(unicodedata.category(c).startswith("C") for c in key):
        return "contains control characters"
    return None


def subject_role_keys(
    merged: MergedForm, subject: str | Mapping[str, str], config: SourceConfig, catalog: Catalog
) -> RoleKeys:
    """The role keys a subject gives: ``"<key>"`` for the subject role, or a mapping of role
    (``"applicant"``) or role and key item (``"child.birth_certificate_number"``) to key.

    Raises:
        SourceError: a role is unknown or a key is unusable (the message never shows the key).
    """
    given = {subject_role(merged): subject} if isinstance(subject, str) else dict(subject)
    keys: RoleKeys = {}
    problems = []
    for name, key in given.items():
        role, _, item = str(name).partition(".")
        try:
            is_person = catalog.role(role).person
        except KeyError:
            problems.append(
                Problem("unknown-role", f"{role!r} is not a role", Location(field=name))
            )
            continue
        item = item or (
            config.subject_keys.person if is_person else config.subject_keys.organization
        )
        reason = _bad_key(key)
        if reason:
            message = f"the subject key for {name!r} {reason}"
            problems.append(Problem("bad-subject-key", message, Location(field=name)))
            continue
        keys.setdefault(role, {})[item] = key.strip()
    if problems:
        raise SourceError("cannot prefill for this subject", problems)
    return keys


def _choose(
    config: SourceConfig, field_id: str, item: str, role: str, candidates: list[Candidate]
) -> tuple[PrefilledValue, Disagreement | None]:
    rank = {s.id: i for i, s in enumerate(config.ranked_sources(item))}
    ordered = sorted(candidates, key=lambda c: rank.get(c.source, len(rank)))
    best = ordered[0]
    source = config.source(best.source)
    value = PrefilledValue(
        value=best.value,
        source=source.id,
        department=source.department,
        as_of=best.as_of,
        authority=source.authority,
        read_only=source.authority == "verified",
        item=item,
        role=role,
    )
    distinct = {repr(c.value) for c in ordered}
    if len(distinct) == 1:
        return value, None
    values = {c.source: c.value for c in ordered}
    return value, Disagreement(field_id, item, role, source.id, values)


def _not_found(
    given: RoleKeys, found: Mapping[tuple[str, str], list[Candidate]], wanted: set[tuple[str, str]]
) -> list[Problem]:
    """A ``subject-not-found`` problem for every key given of which no register holds anything
    although the form asks about its role: usually a mistyped key, never a silent blank. Roles
    given the same key (bound roles: the applicant who is the mother) make one problem."""
    asked = {role for _, role in wanted}
    held = {role for (_, role), candidates in found.items() if candidates}
    by_key: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for role, keys in given.items():
        if role in asked:
            by_key.setdefault(tuple(sorted(keys.items())), []).append(role)
    return [
        Problem(
            "subject-not-found",
            f"no register holds any data on the {' / '.join(roles)} under the key given: "
            "nothing was prefilled for them; check the key",
            Location(field=roles[0]),
        )
        for roles in by_key.values()
        if not held & set(roles)
    ]


def prefill(
    merged: MergedForm,
    subject: str | Mapping[str, str],
    *,
    sources: SourceConfig | Path | str | None = None,
    connection: Connection = None,
    matter: str | None = None,
    audit: AuditLog | None = None,
    catalog: Catalog | None = None,
    reads: Iterable[str] = (),
    binding: Mapping[str, str] | None = None,
) -> Prefill:
    """Fill in what the shared registers know about a subject, for one merged form.

    Args:
        merged: the merged form; prefill reads only the (item, role) pairs it asks for.
        subject: the subject's key (a citizen ID, or a USCC for an enterprise form), or a
            mapping of roles to keys (see :func:`subject_role_keys`).
        sources: the source configuration (default: the demo registers' configuration).
        connection: a DuckDB connection on which the configured relations resolve, a DuckDB
            file to attach read-only, or a psycopg connection or DSN of a PostgreSQL database
            (default: the configuration's ``database`` or ``postgres``; never the demo
            registers).
        matter: the matter the data is read for (recorded in the audit trail).
        audit: the audit trail (default: a new in-memory one, returned in the result).
        catalog: the catalog (default: the packaged one).
        reads: further ``item@role`` values the application declares it needs although no
            form asks them (the eligibility rules' ``reads``); they are read, audited and
            returned like fields, and nothing else is.
        binding: roles that are the same person (see :func:`formmerge.identities.bind`),
            applied to ``merged`` first; a bound role's key is its person's key, read once.

    Returns:
        The prefilled values with provenance, the fields left to type and any disagreements.

    Raises:
        SourceError: the configuration, the subject or a query is unusable.
    """
    from formmerge.catalog import catalog_for  # deferred: the catalog imports much

    config, cat = resolve_config(sources, catalog_for(merged, catalog))
    merged = bind(merged, binding, cat)
    requests = field_requests(merged, cat)
    requests.update(extra_reads(merged, reads, cat, set(requests.values())))
    given = subject_role_keys(merged, subject, config, cat)
    for role, person in merged.binding:
        if role in given:
            given.setdefault(person, given[role])
    primary = subject if isinstance(subject, str) else next(iter(subject.values()), "")
    log = audit or AuditLog(salt_env=config.audit.salt_env)
    wanted = set(requests.values())
    with log.collecting(), open_backend(connection, config) as backend:  # one audit write
        reader = RegisterReader(
            backend, config, cat, wanted, audit=log, matter=matter, subject=str(primary)
        )
        roles = reader.resolve_roles(given, {role for _, role in wanted})
        found = reader.read(roles, sorted(wanted))
    problems = list(reader.problems)
    if not problems:  # with a source unread, "no register holds them" would not be known
        problems += _not_found(given, found, wanted)
    values, disagreements = {}, []
    for field_id, (item, role) in requests.items():
        candidates = found.get((item, role))
        if not candidates:
            continue
        value, disagreement = _choose(config, field_id, item, role, candidates)
        values[field_id] = value
        if disagreement is not None:
            disagreements.append(disagreement)
    values, offer_problems = offered_values(merged, values, cat)
    problems.extend(offer_problems)
    pending = pending_derived(merged, values, cat)
    to_type = [f.id for f in merged.fields if f.id not in values and f.id not in pending]
    return Prefill(
        merged.id, values, to_type, disagreements, tuple(sorted(roles)), log, problems, pending
    )

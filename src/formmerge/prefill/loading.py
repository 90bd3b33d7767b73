"""Read a source configuration file and check it against the catalog.

Every problem is collected (YAML syntax, shapes, identifiers, unknown items, roles and sources,
relations that go round in a circle) and raised together as one
:class:`~formmerge.errors.SourceError` whose problems name the file and line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from formmerge.documents import read_document
from formmerge.errors import Location, Problem, SourceError
from formmerge.models import Catalog
from formmerge.prefill.config import SourceConfig

__all__ = ["DEMO_SOURCES", "check_config", "load_sources"]

DEMO_SOURCES = Path("sources") / "demo.yaml"
"""The default configuration (for the demo registers), inside the packaged examples."""
_UNSUPPORTED_TYPES = frozenset({"file"})
_DSN_PREFIXES = ("postgres://", "postgresql://")
_SECRET_KEYS = ("dsn", "url", "conninfo", "password", "connection")
_CACHE_SIZE = 16
_CACHE: dict[tuple[str, int, int], SourceConfig] = {}
"""Configurations read from files, by path, modification time and catalog: a file is read
once however many times prefill is called with it."""


class _Lines:
    """Line numbers of the nodes of a YAML document, looked up by path."""

    def __init__(self, file: str | None, node: yaml.Node | None) -> None:
        self.file, self.node = file, node

    def at(self, path: Sequence[str | int]) -> Location:
        """The line of the deepest node along ``path`` (keys and indexes)."""
        node = self.node
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return Location(file=self.file, line=node.start_mark.line + 1 if node else None)

    def key(self, path: Sequence[str | int]) -> Location:
        """The line of the mapping key at the end of ``path`` (where an unknown id is written)."""
        parent = self.at(path[:-1])
        node = self.node
        for part in path[:-1]:
            node = _child(node, part)
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                if getattr(key, "value", None) == str(path[-1]):
                    return Location(file=self.file, line=key.start_mark.line + 1)
        return parent


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        return node.value[part] if 0 <= part < len(node.value) else None
    return None


def _read(path: Path) -> tuple[Any, _Lines, list[Problem]]:
    """The data, its lines and the keys written twice (reported with the other problems)."""
    document = read_document(path, file=str(path), error=SourceError)
    return document.data, _Lines(document.file, document.root), document.problems


def _shape_problems(exc: ValidationError, lines: _Lines) -> Iterator[Problem]:
    for error in exc.errors():
        loc = [p for p in error["loc"] if isinstance(p, str | int)]
        where = ".".join(str(p) for p in loc) or "configuration"
        message = str(error["msg"]).removeprefix("Value error, ")
        code = "bad-identifier" if "identifier" in message else "invalid-source-config"
        yield Problem(code, f"{where}: {message}", lines.at(loc))


def _inline_secrets(data: Mapping[str, Any], lines: _Lines) -> Iterator[Problem]:
    """A DSN or password written into the configuration instead of named by it."""
    advice = "name it instead: postgres: {dsn_env: VARIABLE} or postgres: {dsn_file: path}"
    database = data.get("database")
    if isinstance(database, str) and database.strip().lower().startswith(_DSN_PREFIXES):
        message = f"database: a PostgreSQL DSN (with its password) is written inline; {advice}"
        yield Problem("inline-database-secret", message, lines.at(["database"]))
    settings = data.get("postgres")
    if isinstance(settings, str):
        message = f"postgres: a DSN is written inline; {advice}"
        yield Problem("inline-database-secret", message, lines.at(["postgres"]))
    elif isinstance(settings, Mapping):
        for key in settings:
            if str(key).lower() in _SECRET_KEYS:
                message = f"postgres.{key}: a secret is written inline; {advice}"
                yield Problem("inline-database-secret", message, lines.key(["postgres", key]))


def check_config(
    config: SourceConfig, catalog: Catalog, lines: _Lines | None = None
) -> list[Problem]:
    """Problems of a well-formed configuration against the catalog (empty if it is sound)."""
    at = lines or _Lines(config.source_file, None)
    problems: list[Problem] = []
    items = {i.id: i for i in catalog.items}
    roles = {r.id for r in catalog.roles}

    def item(item_id: str, path: list[str | int]) -> None:
        if item_id not in items:
            problems.append(
                Problem("unknown-item", f"{item_id!r} is not a catalog item", at.key(path))
            )
        elif items[item_id].type in _UNSUPPORTED_TYPES:
            message = f"{item_id!r} is a {items[item_id].type} item; it cannot be prefilled"
            problems.append(Problem("unsupported-item", message, at.key(path)))

    def role(role_id: str, path: list[str | int]) -> None:
        if role_id not in roles:
            problems.append(
                Problem("unknown-role", f"{role_id!r} is not a catalog role", at.at(path))
            )

    seen: set[str] = set()
    for i, source in enumerate(config.sources):
        if source.id in seen:
            message = f"source id {source.id!r} is used twice"
            problems.append(Problem("duplicate-source", message, at.at(["sources", i, "id"])))
        seen.add(source.id)
        item(source.key.item, ["sources", i, "key", "item"])
        for item_id in source.columns:
            item(item_id, ["sources", i, "columns", item_id])
        for j, role_id in enumerate(source.roles or ()):
            role(role_id, ["sources", i, "roles", j])
    for i, relation in enumerate(config.relations):
        role(relation.role, ["relations", i, "role"])
        role(relation.from_role, ["relations", i, "from"])
        item(relation.key.item, ["relations", i, "key", "item"])
        for item_id in relation.yields:
            item(item_id, ["relations", i, "yields", item_id])
    for item_id, ranked in config.precedence.items():
        item(item_id, ["precedence", item_id])
        for j, source_id in enumerate(ranked):
            holders = {s.id for s in config.sources if item_id in s.columns}
            if source_id not in holders:
                message = f"source {source_id!r} does not provide {item_id!r}"
                problems.append(
                    Problem("unknown-source", message, at.at(["precedence", item_id, j]))
                )
    for name in (config.subject_keys.person, config.subject_keys.organization):
        item(name, ["subject_keys"])
    problems.extend(_cycles(config, at))
    return problems


def _cycles(config: SourceConfig, at: _Lines) -> Iterator[Problem]:
    edges: dict[str, set[str]] = {}
    for relation in config.relations:
        edges.setdefault(relation.role, set()).add(relation.from_role)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for parent in sorted(edges.get(node, ())):
            if state.get(parent) == 1:
                return [*trail, node, parent]
            if parent not in state and (found := visit(parent, [*trail, node])):
                return found
        state[node] = 2
        return None

    for role in sorted(edges):
        if role not in state and (cycle := visit(role, [])):
            index = next(i for i, r in enumerate(config.relations) if r.role == cycle[0])
            message = "relations go round in a circle: " + " <- ".join(cycle)
            yield Problem("relation-cycle", message, at.at(["relations", index]))
            return


def load_sources(
    source: SourceConfig | Path | str | Mapping[str, Any] | None = None,
    *,
    catalog: Catalog | None = None,
) -> SourceConfig:
    """Read and check a source configuration.

    Args:
        source: a YAML file, an already parsed mapping, a :class:`SourceConfig` (checked again
            against ``catalog``), or None for the packaged configuration of the demo registers.
        catalog: the catalog to check item and role ids against (the packaged one by default).

    Raises:
        SourceError: the configuration is unreadable or has problems; all of them are listed.
    """
    from formmerge.catalog import load_catalog  # deferred: the catalog imports much
    from formmerge.resources import data_path

    if source is None:
        source = data_path("examples") / DEMO_SOURCES
    cat = catalog or load_catalog()
    if isinstance(source, str | Path):
        try:
            path = Path(source).resolve()
            mtime = path.stat().st_mtime_ns if path.exists() else -1
        except (OSError, ValueError):  # a NUL in the path: reading it reports the problem
            path, mtime = Path(source), -1
        stamp = (str(path), mtime, id(cat))
        cached = _CACHE.get(stamp)
        if cached is None:
            cached = _load(path, cat)
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[stamp] = cached
        return cached
    return _load(source, cat)


def _load(source: SourceConfig | Path | Mapping[str, Any], catalog: Catalog) -> SourceConfig:
    lines = _Lines(None, None)
    duplicates: list[Problem] = []
    if isinstance(source, SourceConfig):
        config = source
        lines = _Lines(config.source_file, None)
    else:
        if isinstance(source, Mapping):
            data: Any = dict(source)
            file = None
        else:
            data, lines, duplicates = _read(source)
            file = str(source)
        if not isinstance(data, dict):
            problem = Problem("not-a-mapping", "expected a mapping", Location(file=file, line=1))
            raise SourceError("the source configuration is not a mapping", [problem])
        secrets = list(_inline_secrets(data, lines))
        if secrets:
            raise SourceError("the source configuration holds a database secret", secrets)
        try:
            config = SourceConfig.model_validate({**data, "source_file": file})
        except ValidationError as exc:
            problems = duplicates + list(_shape_problems(exc, lines))
            raise SourceError("the source configuration is invalid", problems) from None
    problems = duplicates + check_config(config, catalog, lines)
    if problems:
        raise SourceError("the source configuration does not fit the catalog", problems)
    return _with_absolute_paths(config)


def _with_absolute_paths(config: SourceConfig) -> SourceConfig:
    """File relations made absolute against the configuration file's folder."""
    if config.source_file is None:
        return config
    base = Path(config.source_file).parent
    sources = tuple(
        s.model_copy(update={"relation": s.relation.resolved(base)}) for s in config.sources
    )
    relations = tuple(
        r.model_copy(update={"relation": r.relation.resolved(base)}) for r in config.relations
    )
    return config.model_copy(update={"sources": sources, "relations": relations})

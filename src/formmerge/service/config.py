"""The service's configuration: which bundles it serves, from which registers, to which clients.

One YAML file::

    bundles: [examples/bundles/newborn-birth, examples/bundles/retirement]
    sources: examples/sources/demo.yaml     # the source configuration (prefill.md)
    registers: registers.duckdb             # a DuckDB file, attached read-only per request
    audit: audit.duckdb                     # where every read and every request is recorded
    clients:
      - id: portal
        key_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
        bundles: [newborn-birth]            # or ["*"]
        operations: [schema, prefill, verify, submit]
      - id: auditor
        key_sha256: ...
        operations: [audit]
    limits: {max_body_bytes: 262144, requests_per_minute: 600}
    page: {client: page, purpose: 在线办理}   # the reference application page (optional)

Client keys are stored only as SHA-256 hashes (``formmerge serve --hash-key`` prints one).
The page's client needs no key: the page gets a short-lived session cookie that acts with
that client's scope, which may not include the audit trail. Relative paths are read against
the configuration file's folder. Nothing falls back to the demo data: every path is named.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from formmerge.errors import FormmergeError, Location, Problem

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_PAGE_PURPOSE",
    "DEFAULT_PAGE_SESSION_MINUTES",
    "DEFAULT_REQUESTS_PER_MINUTE",
    "OPERATIONS",
    "ClientConfig",
    "Limits",
    "Operation",
    "PageConfig",
    "ServiceConfig",
    "ServiceConfigError",
    "hash_key",
    "load_service_config",
]

Operation = Literal["schema", "prefill", "verify", "submit", "audit"]
OPERATIONS: tuple[str, ...] = Operation.__args__  # type: ignore[attr-defined]

DEFAULT_MAX_BODY_BYTES = 256 * 1024
"""Largest request body accepted; an application's answers are a few kilobytes."""
DEFAULT_REQUESTS_PER_MINUTE = 600
"""Requests one client may make in a minute before it is told to slow down (429)."""
DEFAULT_PAGE_SESSION_MINUTES = 30
"""How long a session of the reference page lasts before the page must be loaded again."""
DEFAULT_PAGE_PURPOSE = "在线办理"
"""The purpose the reference page states for its reads when the configuration names none."""
_SHA256_HEX = 64


class ServiceConfigError(FormmergeError):
    """The service configuration is unreadable or invalid."""


def hash_key(key: str) -> str:
    """The SHA-256 hash (hex) under which a client key is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientConfig(_Model):
    """One client of the service (a portal, an auditor)."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    key_sha256: str | None = None
    """The SHA-256 hash (hex) of the client's key; the key itself is never stored. Only the
    page's client may have none (it is then reachable through page sessions alone)."""
    bundles: tuple[str, ...] = ()
    """Bundle ids the client may use (``*``: every bundle)."""
    operations: tuple[Operation, ...] = ()
    """What the client may do; ``audit`` reads the audit trail."""

    @field_validator("key_sha256")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if len(value) != _SHA256_HEX or any(c not in "0123456789abcdef" for c in value):
            raise ValueError("must be the 64 hex digits of a SHA-256 hash")
        return value

    def may(self, operation: str, bundle: str | None = None) -> bool:
        """True if the client may do ``operation`` (on ``bundle``)."""
        if operation not in self.operations:
            return False
        return bundle is None or "*" in self.bundles or bundle in self.bundles


class Limits(_Model):
    """Request limits."""

    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, gt=0)
    requests_per_minute: int = Field(default=DEFAULT_REQUESTS_PER_MINUTE, gt=0)


class PageConfig(_Model):
    """The reference application page (``GET /app``)."""

    client: str = Field(min_length=1)
    """The id of the client in ``clients`` whose scope the page acts with."""
    purpose: str = Field(default=DEFAULT_PAGE_PURPOSE, min_length=1, max_length=200)
    """The purpose the page states for the reads it makes (recorded in the audit trail)."""
    session_minutes: int = Field(default=DEFAULT_PAGE_SESSION_MINUTES, gt=0, le=24 * 60)
    """How long a page session lasts."""


class ServiceConfig(_Model):
    """The whole service configuration (see the module documentation)."""

    bundles: tuple[Path, ...] = Field(min_length=1)
    sources: Path
    registers: Path
    audit: Path | None = None
    """The audit database file; None keeps the trail in memory (tests only)."""
    clients: tuple[ClientConfig, ...] = Field(min_length=1)
    limits: Limits = Limits()
    audit_salt_env: str = "FORMMERGE_AUDIT_SALT"
    page: PageConfig | None = None
    """The reference application page; None serves no page."""

    @model_validator(mode="after")
    def _page_client(self) -> ServiceConfig:
        page_client = self.page.client if self.page is not None else None
        if self.page is not None:
            found = [c for c in self.clients if c.id == page_client]
            if not found:
                raise ValueError(f"page.client {page_client!r} is not one of the clients")
            if "audit" in found[0].operations:
                raise ValueError(
                    f"page.client {page_client!r} may not read the audit trail: anyone who "
                    "can load the page acts with its scope"
                )
        for client in self.clients:
            if client.key_sha256 is None and client.id != page_client:
                raise ValueError(f"client {client.id!r} needs a key_sha256")
        return self

    def page_client(self) -> ClientConfig | None:
        """The client the reference page acts as, if the page is served."""
        if self.page is None:
            return None
        return next(c for c in self.clients if c.id == self.page.client)

    def client_for(self, key: str) -> ClientConfig | None:
        """The client whose key this is, compared by hash."""
        import hmac

        digest = hash_key(key)
        found = None
        for client in self.clients:
            if client.key_sha256 is not None and hmac.compare_digest(client.key_sha256, digest):
                found = client
        return found


def _resolve(data: Mapping[str, Any], base: Path) -> dict[str, Any]:
    out = dict(data)

    def absolute(value: Any) -> Any:
        return (
            str(base / value) if isinstance(value, str) and not Path(value).is_absolute() else value
        )

    for key in ("sources", "registers", "audit"):
        if key in out:
            out[key] = absolute(out[key])
    if isinstance(out.get("bundles"), list):
        out["bundles"] = [absolute(b) for b in out["bundles"]]
    return out


def load_service_config(path: str | Path) -> ServiceConfig:
    """Read and check a service configuration file.

    Raises:
        ServiceConfigError: the file is missing or unreadable, or its content is invalid;
            every problem is listed with its place.
    """
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problem = Problem(
            "unreadable-file", f"{type(exc).__name__}: {exc}", Location(file=str(file))
        )
        raise ServiceConfigError("cannot read the service configuration", [problem]) from None
    if not isinstance(data, Mapping):
        problem = Problem(
            "not-a-mapping", "expected a mapping at the top", Location(file=str(file))
        )
        raise ServiceConfigError("invalid service configuration", [problem])
    try:
        config = ServiceConfig.model_validate(_resolve(data, file.parent))
    except ValidationError as exc:
        problems = [
            Problem(
                "invalid-service-config",
                error["msg"],
                Location(file=str(file), pointer="/" + "/".join(str(p) for p in error["loc"])),
            )
            for error in exc.errors()
        ]
        raise ServiceConfigError("invalid service configuration", problems) from None
    missing = [
        Problem("file-not-found", "no such file or folder", Location(file=str(p)))
        for p in (*config.bundles, config.sources, config.registers)
        if not p.exists()
    ]
    if missing:
        raise ServiceConfigError("the service configuration names missing files", missing)
    return config

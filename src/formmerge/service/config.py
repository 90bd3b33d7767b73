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

Client keys are stored only as SHA-256 hashes (``formmerge serve --hash-key`` prints one).
Relative paths are read against the configuration file's folder. Nothing falls back to the demo
data: every path is named.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from formmerge.errors import FormmergeError, Location, Problem

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_REQUESTS_PER_MINUTE",
    "OPERATIONS",
    "ClientConfig",
    "Limits",
    "Operation",
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
    key_sha256: str
    """The SHA-256 hash (hex) of the client's key; the key itself is never stored."""
    bundles: tuple[str, ...] = ()
    """Bundle ids the client may use (``*``: every bundle)."""
    operations: tuple[Operation, ...] = ()
    """What the client may do; ``audit`` reads the audit trail."""

    @field_validator("key_sha256")
    @classmethod
    def _hex(cls, value: str) -> str:
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

    def client_for(self, key: str) -> ClientConfig | None:
        """The client whose key this is, compared by hash."""
        import hmac

        digest = hash_key(key)
        found = None
        for client in self.clients:
            if hmac.compare_digest(client.key_sha256, digest):
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

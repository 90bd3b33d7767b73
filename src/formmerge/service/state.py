"""What the service keeps between requests: the merged bundles, the audit trail, the limits.

Bundles are merged once at start-up (merging is pure); every request that reads registers
opens its own read-only connection to the registers file, so requests never share a
connection. A request that binds roles (``{"applicant": "mother"}``) uses the bundle's form
bound that way, bound once per (bundle, binding) and kept (:meth:`ServiceState.merged_for`).
The audit log is one DuckDB database, shared and locked per statement.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from formmerge.bundle import Bundle, load_bundle
from formmerge.catalog import load_catalog
from formmerge.identities import bind
from formmerge.merging import merge_bundle
from formmerge.models import Catalog, MergedForm
from formmerge.prefill import AuditLog, load_sources
from formmerge.prefill.config import SourceConfig
from formmerge.prefill.locking import connection_lock
from formmerge.rules import RuleSet, load_rules
from formmerge.service.config import ServiceConfig
from formmerge.service.notice import ConsentNotice, consent_notice
from formmerge.service.session import PageSessions

__all__ = ["ACCESS_TABLE", "BundleEntry", "RateLimiter", "ServiceState"]

ACCESS_TABLE = "service_access"
"""The table of every request that touched a subject's data, allowed or refused."""
_RATE_WINDOW_SECONDS = 60.0
_RULES_FILE = "rules.yaml"


@dataclass(frozen=True)
class BundleEntry:
    """One served bundle, merged once."""

    bundle: Bundle
    merged: MergedForm
    rules: RuleSet | None
    notice: ConsentNotice

    @property
    def reads(self) -> tuple[str, ...]:
        """The rules' reads (data the eligibility check needs beyond the fields)."""
        return tuple(self.rules.reads) if self.rules is not None else ()


class RateLimiter:
    """At most ``per_minute`` requests per client in any sliding minute."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Count a request of ``client``; False if it is over the limit."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(client, deque())
            while seen and now - seen[0] > _RATE_WINDOW_SECONDS:
                seen.popleft()
            if len(seen) >= self.per_minute:
                return False
            seen.append(now)
            return True


class ServiceState:
    """Everything the routes share (see the module documentation)."""

    def __init__(self, config: ServiceConfig, catalog: Catalog | None = None) -> None:
        self.config = config
        self.catalog = catalog or load_catalog()
        self.sources: SourceConfig = load_sources(config.sources, catalog=self.catalog)
        self.bundles: dict[str, BundleEntry] = {}
        for path in config.bundles:
            entry = self._entry(path)
            self.bundles[entry.bundle.id] = entry
        self.audit = AuditLog(
            None if config.audit is None else str(config.audit), salt_env=config.audit_salt_env
        )
        self._lock = connection_lock(self.audit.connection)
        with self._lock:
            self.audit.connection.execute(
                f"CREATE TABLE IF NOT EXISTS {ACCESS_TABLE} (requested_at TIMESTAMPTZ, "
                "client TEXT, operation TEXT, bundle TEXT, subject_hash TEXT, purpose TEXT, "
                "consent TEXT, status INTEGER, code TEXT)"
            )
        self.limiter = RateLimiter(config.limits.requests_per_minute)
        self._bound: dict[tuple[str, tuple[tuple[str, str], ...]], MergedForm] = {}
        self._bound_lock = threading.Lock()
        self.page_sessions: PageSessions | None = None
        """Set when the reference page is served (:mod:`formmerge.service.page`)."""

    def _entry(self, path: Path) -> BundleEntry:
        bundle = load_bundle(path)
        merged = merge_bundle(bundle, self.catalog)
        rules_file = path / _RULES_FILE
        rules = load_rules(rules_file, self.catalog) if rules_file.is_file() else None
        reads = tuple(rules.reads) if rules is not None else ()
        notice = consent_notice(merged, reads, self.sources, self.catalog)
        return BundleEntry(bundle, merged, rules, notice)

    def merged_for(self, entry: BundleEntry, binding: Mapping[str, str] | None) -> MergedForm:
        """The bundle's merged form under ``binding`` (none or empty: the form as merged).

        Raises:
            BindingError: the binding is not one the bundle's identities allow.
        """
        if not binding:
            return entry.merged
        key = (entry.bundle.id, tuple(sorted(binding.items())))
        with self._bound_lock:
            found = self._bound.get(key)
        if found is not None:
            return found
        # binding is pure: two requests binding at once get equal forms, and one is kept
        bound = bind(entry.merged, binding, self.catalog)
        with self._bound_lock:
            return self._bound.setdefault(key, bound)

    def record_access(
        self,
        *,
        client: str,
        operation: str,
        bundle: str | None,
        subject: str | None,
        purpose: str | None,
        consent: str | None,
        status: int,
        code: str | None = None,
    ) -> None:
        """Record one request that touched (or tried to touch) a subject's data."""
        row = (
            datetime.now(UTC),
            client,
            operation,
            bundle,
            None if subject is None else self.audit.hash(subject),
            purpose,
            consent,
            status,
            code,
        )
        with self._lock:
            self.audit.connection.execute(
                f"INSERT INTO {ACCESS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row)
            )

    def access_records(self, limit: int) -> list[dict[str, Any]]:
        """The newest access records, newest first."""
        with self._lock:
            frame = self.audit.connection.execute(
                f"SELECT * FROM {ACCESS_TABLE} ORDER BY requested_at DESC LIMIT ?", [limit]
            ).df()
        frame["requested_at"] = frame["requested_at"].astype(str)
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        return [{str(k): v for k, v in r.items()} for r in records]

    def close(self) -> None:
        """Close the audit database."""
        self.audit.close()

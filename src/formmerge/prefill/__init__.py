"""Data prefill (数据预填): fill in a merged form from shared government registers.

:func:`prefill` reads, for one subject, exactly the (item, role) pairs a merged form asks for
from the sources a :class:`SourceConfig` describes, finds related people (spouse, child, parents,
legal representative ...) through configured relations, settles disagreements by precedence and
records every read in an :class:`AuditLog`. :func:`prefill_batch` does the same for many subjects
with one set-based query per source. :func:`check_tampering` reports verified values an applicant
changed. See ``docs/prefill.md``.
"""

from __future__ import annotations

from formmerge.prefill.api import prefill
from formmerge.prefill.audit import AuditLog, AuditRecord
from formmerge.prefill.backend import RegisterBackend, SourceQueryError
from formmerge.prefill.batch import prefill_batch
from formmerge.prefill.config import SourceConfig, SourceSpec
from formmerge.prefill.duckdb_backend import DuckDBBackend
from formmerge.prefill.loading import load_sources
from formmerge.prefill.masking import mask_citizen_id, mask_phone, mask_value, redact
from formmerge.prefill.reader import RegisterReader
from formmerge.prefill.result import Disagreement, Prefill, PrefilledValue, check_tampering

__all__ = [
    "AuditLog",
    "AuditRecord",
    "Disagreement",
    "DuckDBBackend",
    "Prefill",
    "PrefilledValue",
    "RegisterBackend",
    "RegisterReader",
    "SourceConfig",
    "SourceQueryError",
    "SourceSpec",
    "check_tampering",
    "load_sources",
    "mask_citizen_id",
    "mask_phone",
    "mask_value",
    "prefill",
    "prefill_batch",
    "redact",
]

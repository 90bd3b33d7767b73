"""Errors as RFC 9457 problem details (``application/problem+json``) carrying formmerge's codes.

A response body::

    {"type": "https://formmerge.dev/problems/consent-required", "title": "consent required",
     "status": 403, "detail": "...", "code": "consent-required",
     "problems": [{"code": "...", "message": "...", "location": {...}}]}

``problems`` lists the located data problems behind the error (a split's missing answers, a
changed verified value); messages never hold an ID or phone number (they are masked).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.responses import JSONResponse

from formmerge.errors import FormmergeError, Problem
from formmerge.prefill.masking import redact

__all__ = ["PROBLEM_MEDIA_TYPE", "PROBLEM_TYPE_BASE", "ServiceProblem", "problem_response"]

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://formmerge.dev/problems/"
"""Problem ``type`` URIs are this base plus the code; docs/service.md lists every code."""


class ServiceProblem(Exception):
    """An error the service answers with a problem-details response."""

    def __init__(
        self, status: int, code: str, detail: str, problems: Sequence[Problem] = ()
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.problems = list(problems)

    @classmethod
    def from_error(cls, status: int, code: str, error: FormmergeError) -> ServiceProblem:
        """A problem for a formmerge error, keeping its located problems."""
        return cls(status, code, error.summary, error.problems)


def problem_response(problem: ServiceProblem) -> JSONResponse:
    """The ``application/problem+json`` response for a problem (values masked)."""
    body = {
        "type": PROBLEM_TYPE_BASE + problem.code,
        "title": problem.code.replace("-", " "),
        "status": problem.status,
        "detail": redact(problem.detail),
        "code": problem.code,
        "problems": [{**p.to_dict(), "message": redact(p.message)} for p in problem.problems],
    }
    headers = {"Retry-After": "60"} if problem.status == 429 else None
    return JSONResponse(
        body, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )

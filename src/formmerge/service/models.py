"""Request and response bodies of the service (their JSON Schemas are in the OpenAPI)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BundleSummary",
    "PrefillResponse",
    "PrefilledValueOut",
    "SubjectRequest",
    "SubmitRequest",
    "SubmitResponse",
    "VerifyRequest",
]

MAX_PURPOSE_LENGTH = 200
MAX_ANSWERS = 2_000
MAX_BOUND_ROLES = 16


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BundleSummary(_Body):
    """One bundle the client may use."""

    id: str
    title: str
    title_en: str = ""
    forms: int
    fields_before: int
    fields_after: int
    operations: list[str]


class SubjectRequest(_Body):
    """A request about one subject, with the stated purpose and the applicant's consent."""

    subject: str | dict[str, str] = Field(
        description="the subject's key (citizen ID or credit code), or role to key"
    )
    purpose: str = Field(min_length=1, max_length=MAX_PURPOSE_LENGTH)
    consent: str = Field(
        min_length=1,
        max_length=64,
        description="the id of the consent notice the applicant accepted",
    )
    binding: dict[str, str] = Field(
        default_factory=dict,
        max_length=MAX_BOUND_ROLES,
        description=(
            "roles that are the same person, as the bundle's identities allow "
            '(``{"applicant": "mother"}``: the mother applies); empty: every role is its own'
        ),
    )


class VerifyRequest(SubjectRequest):
    """Verify eligibility; ``answers`` are what the applicant typed (field id to value)."""

    answers: dict[str, Any] = Field(default_factory=dict, max_length=MAX_ANSWERS)


class SubmitRequest(SubjectRequest):
    """Submit the application: every answer, prefilled ones included, keyed by field id or
    nested by section as the application schema nests them."""

    answers: dict[str, Any] = Field(max_length=MAX_ANSWERS)


class PrefilledValueOut(_Body):
    """A prefilled value and where it came from."""

    value: Any
    source: str
    department: str
    as_of: str | None
    authority: str
    read_only: bool


class PrefillResponse(_Body):
    """What prefill found, what is left to type, and the sources that could not be read."""

    bundle: str
    values: dict[str, PrefilledValueOut]
    form_data: dict[str, Any] = Field(
        description="the prefilled values nested as the application schema nests them"
    )
    to_type: list[str]
    disagreements: list[str]
    problems: list[dict[str, Any]]


class SubmitResponse(_Body):
    """One payload per department's form, and the optional fields left empty."""

    bundle: str
    payloads: dict[str, dict[str, Any]]
    unanswered: list[dict[str, Any]]
    coarser: list[dict[str, Any]] = []
    """Dates a form holds coarser than they were answered (``held-at-form-precision``): that
    form's payload has them at its own precision (the month, the minute)."""

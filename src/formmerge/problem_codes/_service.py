"""Problem codes of the HTTP service (``formmerge serve``)."""

from __future__ import annotations

from formmerge.problem_codes._model import ProblemCode

CODES = (
    ProblemCode(
        "invalid-service-config",
        "Invalid service configuration",
        "The service configuration does not fit its model.",
        "service.yaml, at /clients/0/key_sha256: must be the 64 hex digits of a SHA-256 hash",
    ),
    ProblemCode(
        "invalid-request",
        "Invalid request body",
        "A request body does not fit the OpenAPI schema (its values are not echoed).",
        "at /body/subject: Field required",
    ),
    ProblemCode(
        "unauthenticated",
        "No valid client key",
        "A request carries no key, or a key no client has.",
        "a valid client key is required",
    ),
    ProblemCode(
        "too-many-requests",
        "Rate limit reached",
        "A client made more requests in a minute than its limit allows.",
        "too many requests; retry later",
    ),
    ProblemCode(
        "scope-denied",
        "Outside the client's scope",
        "The client may not do this operation on this bundle, or the bundle does not exist.",
        "this client may not prefill bundle 'retirement'",
    ),
    ProblemCode(
        "consent-required",
        "Consent missing",
        "A request that reads a subject's data does not name the current consent notice.",
        "this needs the applicant's consent to the current notice",
    ),
    ProblemCode(
        "prefill-refused",
        "Prefill refused",
        "The subject key is unusable or a read is refused; the problems say why.",
        "cannot prefill for this subject",
    ),
    ProblemCode(
        "binding-refused",
        "Role binding refused",
        "A request's role binding names an unknown role or an identity the bundle does not "
        "declare; the problems name each role.",
        "cannot bind roles of 'newborn'",
    ),
    ProblemCode(
        "verify-refused",
        "Verification refused",
        "The eligibility rules cannot be evaluated on the given answers.",
        "rule 'age' reads a field the application does not have",
    ),
    ProblemCode(
        "submission-invalid",
        "Submission rejected",
        "Answers that a department's form rejects (missing required answers, values outside "
        "options or patterns).",
        "some answers do not fit their forms",
    ),
    ProblemCode(
        "request-too-large",
        "Request too large",
        "The request body is larger than the configured limit.",
        "the request body is larger than 262144 bytes",
    ),
    ProblemCode(
        "internal-error",
        "Internal error",
        "A fault of the service; the log holds the cause with ID and phone numbers masked.",
        "internal error",
    ),
)

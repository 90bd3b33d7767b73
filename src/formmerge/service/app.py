"""The HTTP service: ``create_app(config)`` gives a FastAPI application.

Endpoints (all but ``/healthz`` need ``Authorization: Bearer <client key>``):

=======  =====================================  =========  ====================================
method   path                                   operation  what
=======  =====================================  =========  ====================================
GET      /v1/bundles                            (any)      the bundles the client may use
GET      /v1/bundles/{bundle}/schema            schema     the application's JSON Schema (``?as=``)
GET      /v1/bundles/{bundle}/ui-schema         schema     an RJSF uiSchema for it
GET      /v1/bundles/{bundle}/formily           schema     the application as a Formily schema
GET      /v1/bundles/{bundle}/consent           prefill    what prefill reads, from whom
POST     /v1/bundles/{bundle}/prefill           prefill    prefill for a subject (consent)
POST     /v1/bundles/{bundle}/verify            verify     eligibility for a subject (consent)
POST     /v1/bundles/{bundle}/submit            submit     tamper check, split per department
GET      /v1/audit                              audit      the audit trail (hashes, no values)
GET      /app, /app/{bundle}                    (page)     the reference application page
=======  =====================================  =========  ====================================

The page (served only when the configuration has ``page``) holds no key: its requests carry a
session cookie standing for the page's client (:mod:`formmerge.service.session`).

Role identities: the schema endpoints take ``?as=ROLE`` (who the applicant is) and
``?bind=ROLE=ROLE`` (repeatable); prefill, verify and submit take ``binding`` in the body
(``{"applicant": "mother"}``). Each then uses the bundle's form bound that way, so the bound
person's data is asked, read and checked once and split fills every department's fields of each
role. A binding the bundle's ``identities`` do not allow is a 422 ``binding-refused`` whose
problems name each role. Without a binding nothing changes.

Every request that touches a subject's data is recorded, allowed or refused, with the client,
the stated purpose and the consent; every register read is recorded in the prefill audit with
the client and purpose as its matter. Errors are RFC 9457 problem details with our codes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from formmerge.errors import FormmergeError
from formmerge.frontend import (
    application_schema,
    flatten_answers,
    form_data,
    formily_schema,
    rjsf_ui_schema,
)
from formmerge.identities import BindingError, parse_binding
from formmerge.models import MergedForm
from formmerge.prefill import Prefill, prefill
from formmerge.prefill.masking import redact
from formmerge.prefill.result import check_tampering
from formmerge.rules import verify
from formmerge.service.config import ClientConfig, ServiceConfig
from formmerge.service.limits import BodyLimit
from formmerge.service.models import (
    BundleSummary,
    PrefilledValueOut,
    PrefillResponse,
    SubjectRequest,
    SubmitRequest,
    SubmitResponse,
    VerifyRequest,
)
from formmerge.service.page import page_routes
from formmerge.service.problems import ServiceProblem, problem_response
from formmerge.service.session import PAGE_COOKIE, PAGE_HEADER
from formmerge.service.state import BundleEntry, ServiceState
from formmerge.splitting import PRECISION_CODE, split

__all__ = ["create_app"]

T = TypeVar("T")
_log = logging.getLogger("formmerge.service")
_bearer = HTTPBearer(auto_error=False, description="the client's key")
MAX_AUDIT_ROWS = 10_000
_OPTIONAL_GAP = "no-answer"


def _authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ClientConfig:
    """The client whose key the request carries, within its rate limit."""
    state: ServiceState = request.app.state.formmerge
    if credentials is not None:
        found = state.config.client_for(credentials.credentials)
    else:
        found = _page_client(request, state)
    if found is None:
        raise ServiceProblem(401, "unauthenticated", "a valid client key is required")
    if not state.limiter.allow(found.id):
        raise ServiceProblem(429, "too-many-requests", "too many requests; retry later")
    return found


def _page_client(request: Request, state: ServiceState) -> ClientConfig | None:
    """The page client, for a request of the reference page (its session cookie and header)."""
    sessions = state.page_sessions
    if sessions is None or PAGE_HEADER.lower() not in request.headers:
        return None
    if not sessions.valid(request.cookies.get(PAGE_COOKIE)):
        return None
    return state.config.page_client()


Client = Annotated[ClientConfig, Depends(_authenticated)]


def _query_binding(
    as_role: Annotated[
        str | None,
        Query(alias="as", max_length=64, description="who the applicant is (applicant=ROLE)"),
    ] = None,
    bind: Annotated[
        list[str] | None,
        Query(max_length=16, description="roles that are the same person, ROLE=ROLE (repeat)"),
    ] = None,
) -> dict[str, str]:
    """The binding a schema request asks for: ``?as=mother`` and ``?bind=guardian=mother``."""
    try:
        return parse_binding(tuple(bind or ()), as_role)
    except BindingError as error:
        raise ServiceProblem.from_error(422, "binding-refused", error) from None


QueryBinding = Annotated[dict[str, str], Depends(_query_binding)]


def _subject_text(subject: str | dict[str, str]) -> str:
    return subject if isinstance(subject, str) else next(iter(subject.values()), "")


def create_app(config: ServiceConfig, state: ServiceState | None = None) -> FastAPI:
    """The FastAPI application serving ``config``'s bundles (see the module documentation)."""
    shared = state or ServiceState(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        yield
        if state is None:
            shared.close()

    app = FastAPI(
        title="formmerge",
        summary="One application per life or business event: prefill, verify, submit.",
        version="1",
        lifespan=lifespan,
    )
    app.state.formmerge = shared
    app.add_middleware(BodyLimit, limit=config.limits.max_body_bytes)
    _handlers(app)
    _routes(app, shared)
    page_routes(app, shared)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceProblem)
    async def _problem(_: Request, exc: ServiceProblem) -> Any:
        return problem_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> Any:
        from formmerge.errors import Location, Problem

        problems = [
            Problem(
                "invalid-request",
                str(error.get("msg", "")),
                Location(pointer="/" + "/".join(str(p) for p in error.get("loc", ()))),
            )
            for error in exc.errors()
        ]
        return problem_response(
            ServiceProblem(422, "invalid-request", "the request body is invalid", problems)
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Any:
        _log.error("internal error: %s: %s", type(exc).__name__, redact(str(exc)))
        return problem_response(ServiceProblem(500, "internal-error", "internal error"))


def _routes(app: FastAPI, state: ServiceState) -> None:
    def entry(bundle: str, who: ClientConfig, operation: str) -> BundleEntry:
        known = state.bundles.get(bundle)
        if known is None or not who.may(operation, bundle):
            # the same answer for a bundle that does not exist and one the client may not
            # use, so that bundle ids cannot be probed
            raise ServiceProblem(
                403, "scope-denied", f"this client may not {operation} bundle {bundle!r}"
            )
        return known

    def guarded(
        bundle: str,
        who: ClientConfig,
        operation: str,
        body: SubjectRequest,
        work: Callable[[BundleEntry], T],
    ) -> T:
        """Run ``work`` on the bundle if the client may and the consent is current; record the
        request with its outcome either way."""
        outcome: tuple[int, str | None] = (200, None)
        try:
            known = entry(bundle, who, operation)
            if body.consent != known.notice.id:
                raise ServiceProblem(
                    403,
                    "consent-required",
                    "this needs the applicant's consent to the current notice "
                    f"(GET /v1/bundles/{bundle}/consent)",
                )
            return work(known)
        except ServiceProblem as refused:
            outcome = (refused.status, refused.code)
            raise
        except Exception:
            outcome = (500, "internal-error")
            raise
        finally:
            state.record_access(
                client=who.id,
                operation=operation,
                bundle=bundle,
                subject=_subject_text(body.subject),
                purpose=redact(body.purpose),
                consent=body.consent,
                status=outcome[0],
                code=outcome[1],
            )

    def bound(known: BundleEntry, binding: dict[str, str]) -> MergedForm:
        """The bundle's form under ``binding``; a binding it does not allow is a 422."""
        try:
            return state.merged_for(known, binding)
        except BindingError as error:
            raise ServiceProblem.from_error(422, "binding-refused", error) from None

    def run_prefill(
        known: BundleEntry, merged: MergedForm, who: ClientConfig, body: SubjectRequest
    ) -> Prefill:
        try:
            return prefill(
                merged,
                body.subject,
                sources=state.sources,
                connection=state.config.registers,
                matter=f"{known.bundle.id} client={who.id} purpose={redact(body.purpose)}",
                audit=state.audit,
                catalog=state.catalog,
                reads=known.reads,
            )
        except FormmergeError as error:
            raise ServiceProblem.from_error(422, "prefill-refused", error) from None

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/bundles")
    def bundles(who: Client) -> list[BundleSummary]:
        """The bundles this client may use, with the operations it may do on each."""
        out = []
        for bundle_id, known in state.bundles.items():
            operations = [op for op in who.operations if op != "audit" and who.may(op, bundle_id)]
            if not operations:
                continue
            out.append(
                BundleSummary(
                    id=bundle_id,
                    title=known.bundle.title,
                    title_en=known.bundle.title_en,
                    forms=len(known.bundle.forms),
                    fields_before=sum(len(f.fields) for f in known.bundle.forms),
                    fields_after=len(known.merged.fields),
                    operations=operations,
                )
            )
        return out

    @app.get("/v1/bundles/{bundle}/schema")
    def schema(bundle: str, who: Client, binding: QueryBinding) -> dict[str, Any]:
        """The merged application as JSON Schema 2020-12: one object per section (role),
        arrays for repeating groups, options for every enum (docs/service.md); ``?as=mother``
        gives it with the mother applying (her data asked once)."""
        return application_schema(bound(entry(bundle, who, "schema"), binding), state.catalog)

    @app.get("/v1/bundles/{bundle}/ui-schema")
    def ui_schema(bundle: str, who: Client, binding: QueryBinding) -> dict[str, Any]:
        """A react-jsonschema-form uiSchema for the schema: order, widgets, Chinese labels."""
        return rjsf_ui_schema(bound(entry(bundle, who, "schema"), binding), state.catalog)

    @app.get("/v1/bundles/{bundle}/formily")
    def formily(bundle: str, who: Client, binding: QueryBinding) -> dict[str, Any]:
        """The merged application as a Formily schema."""
        return formily_schema(bound(entry(bundle, who, "schema"), binding), state.catalog)

    @app.get("/v1/bundles/{bundle}/consent")
    def consent(bundle: str, who: Client) -> dict[str, Any]:
        """What prefill will read, about whom and from which department; its ``id`` is what
        the applicant's consent names."""
        return entry(bundle, who, "prefill").notice.to_dict()

    @app.post("/v1/bundles/{bundle}/prefill")
    def prefill_route(bundle: str, body: SubjectRequest, who: Client) -> PrefillResponse:
        """Prefill the application for one subject (needs the applicant's consent)."""
        return guarded(bundle, who, "prefill", body, lambda known: _prefilled(known, who, body))

    def _prefilled(known: BundleEntry, who: ClientConfig, body: SubjectRequest) -> PrefillResponse:
        merged = bound(known, body.binding)
        filled = run_prefill(known, merged, who, body)
        return PrefillResponse(
            bundle=known.bundle.id,
            values={
                field_id: PrefilledValueOut(
                    value=v.value,
                    source=v.source,
                    department=v.department,
                    as_of=v.as_of,
                    authority=v.authority,
                    read_only=v.read_only,
                )
                for field_id, v in filled.values.items()
            },
            form_data=form_data(merged, filled.as_answers(), state.catalog),
            to_type=filled.to_type,
            disagreements=[d.field for d in filled.disagreements],
            problems=[p.to_dict() for p in filled.problems],
        )

    @app.post("/v1/bundles/{bundle}/verify")
    def verify_route(bundle: str, body: VerifyRequest, who: Client) -> list[dict[str, Any]]:
        """Check the bundle's eligibility rules for one subject."""
        return guarded(bundle, who, "verify", body, lambda known: _verified(known, who, body))

    def _verified(
        known: BundleEntry, who: ClientConfig, body: VerifyRequest
    ) -> list[dict[str, Any]]:
        merged = bound(known, body.binding)
        if known.rules is None:
            return []
        filled = run_prefill(known, merged, who, body)
        try:
            outcomes = verify(filled, known.rules, answers=body.answers, fields=merged)
        except FormmergeError as error:
            raise ServiceProblem.from_error(422, "verify-refused", error) from None
        return [o.to_dict() for o in outcomes]

    @app.post("/v1/bundles/{bundle}/submit")
    def submit(bundle: str, body: SubmitRequest, who: Client) -> SubmitResponse:
        """Check that no verified value was changed, then split the answers into one payload
        per department's form."""
        return guarded(bundle, who, "submit", body, lambda known: _submitted(known, who, body))

    def _submitted(known: BundleEntry, who: ClientConfig, body: SubmitRequest) -> SubmitResponse:
        merged = bound(known, body.binding)
        filled = run_prefill(known, merged, who, body)
        answers = flatten_answers(merged, body.answers, state.catalog)
        # values read only for the rules have no field: the applicant never sees or sends them
        fields = {f.id for f in merged.fields}
        changed = [
            p for p in check_tampering(filled, answers, state.catalog) if p.location.field in fields
        ]
        if changed:
            raise ServiceProblem(
                422, "verified-value-changed", "verified values were changed", changed
            )
        result = split(merged, answers, state.catalog)
        blocking = [p for p in result.problems if p.code not in (_OPTIONAL_GAP, PRECISION_CODE)]
        if blocking:
            raise ServiceProblem(
                422, "submission-invalid", "some answers do not fit their forms", blocking
            )
        unanswered = [p.to_dict() for p in result.problems if p.code == _OPTIONAL_GAP]
        coarser = [p.to_dict() for p in result.problems if p.code == PRECISION_CODE]
        return SubmitResponse(
            bundle=known.bundle.id, payloads=result.payloads, unanswered=unanswered, coarser=coarser
        )

    @app.get("/v1/audit")
    def audit(
        who: Client, limit: Annotated[int, Query(ge=1, le=MAX_AUDIT_ROWS)] = 1000
    ) -> dict[str, Any]:
        """The newest register reads and service requests (subjects as salted hashes)."""
        allowed = who.may("audit")
        state.record_access(
            client=who.id, operation="audit", bundle=None, subject=None, purpose=None,
            consent=None, status=200 if allowed else 403, code=None if allowed else "scope-denied",
        )  # fmt: skip
        if not allowed:
            raise ServiceProblem(403, "scope-denied", "this client may not read the audit trail")
        frame = state.audit.to_frame().tail(limit)
        frame["read_at"] = frame["read_at"].astype(str)
        frame["items"] = frame["items"].map(list)
        reads = frame.astype(object).where(frame.notna(), None).to_dict("records")
        return {"reads": reads, "access": state.access_records(limit)}

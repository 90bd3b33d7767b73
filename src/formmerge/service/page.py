"""The reference application page (``GET /app/{bundle}``), when ``page`` is configured.

A server-rendered page and a little plain JavaScript of our own (``assets/page.js``, no
third-party code): it shows what prefill will read and from whom, asks for consent and the
applicant's citizen ID (checked in the browser, GB 11643), prefills, renders the merged
application by section with repeating groups as rows, shows verified values read-only with
their department, checks answers in Chinese before it submits (required, options, patterns,
citizen ID and credit code check digits) and shows each department's payload or the problems.

When the bundle declares who the applicant can be (``identities: {applicant: [mother,
father]}``), the page first asks one question, 您是：母亲 / 父亲 / 其他; the answer is the
role binding of every later call (the schema is fetched again with ``?as=mother``, prefill and
submit carry ``binding``), so the mother applying is asked her data once. 其他 binds nothing.

The page holds no client key: it acts with the configured page client's scope through a
session cookie (:mod:`formmerge.service.session`).
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from formmerge.identities import DEFAULT_BOUND_ROLE
from formmerge.models import Catalog
from formmerge.service.session import PAGE_COOKIE, PAGE_HEADER, PageSessions
from formmerge.service.state import BundleEntry, ServiceState
from formmerge.validators import (
    _USCC_AUTHORITIES as USCC_AUTHORITIES,
)
from formmerge.validators import (
    CITIZEN_ID_PREFIXES,
    DEFAULT_EARLIEST_BIRTH_YEAR,
    USCC_CHARSET,
)

__all__ = ["ASSETS", "PAGE_OPERATIONS", "page_routes"]

ASSETS = {"page.js": "text/javascript", "page.css": "text/css"}
"""The page's own files, served from ``/app/assets/``; nothing else is."""
PAGE_OPERATIONS = ("schema", "prefill", "submit")
"""What the page client needs on a bundle for the page to work."""
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("formmerge.service", "assets"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _role_labels(known: BundleEntry, catalog: Catalog) -> dict[str, str]:
    out = {}
    for read in known.notice.reads:
        try:
            out[read["role"]] = catalog.role(read["role"]).label_zh
        except KeyError:
            continue
    return out


def _applicant_choices(known: BundleEntry, catalog: Catalog) -> list[dict[str, str]]:
    """Who the applicant can be, when the bundle declares it (the one question before
    consent): each role with its Chinese label; empty when the bundle declares none."""
    roles = dict(known.merged.identities).get(DEFAULT_BOUND_ROLE, ())
    return [{"role": role, "label": catalog.role(role).label_zh} for role in roles]


def _checks() -> dict[str, Any]:
    """What the page's check-digit code needs, from the validators the server itself uses, so
    that browser and server accept the same numbers."""
    return {
        "citizen_id_prefixes": sorted(CITIZEN_ID_PREFIXES),
        "earliest_birth_year": DEFAULT_EARLIEST_BIRTH_YEAR,
        "uscc_charset": USCC_CHARSET,
        "uscc_authorities": USCC_AUTHORITIES,
    }


def _page_data(known: BundleEntry, purpose: str, catalog: Catalog) -> dict[str, Any]:
    bundle = known.bundle
    return {
        "bundle": bundle.id,
        "title": bundle.title,
        "title_en": bundle.title_en,
        "subject": bundle.subject,
        "purpose": purpose,
        "api": f"/v1/bundles/{bundle.id}",
        "header": PAGE_HEADER,
        "forms": [{"id": f.id, "title": f.title, "department": f.department} for f in bundle.forms],
        "roles": _role_labels(known, catalog),
        "bound_role": DEFAULT_BOUND_ROLE,
        "applicant_choices": _applicant_choices(known, catalog),
        "checks": _checks(),
    }


def page_routes(app: FastAPI, state: ServiceState) -> None:
    """Add the page's routes if the configuration names a page (see the module docs)."""
    config = state.config.page
    client = state.config.page_client()
    if config is None or client is None:
        return
    sessions = PageSessions(config.session_minutes)
    state.page_sessions = sessions
    templates = _environment()

    def usable(bundle_id: str) -> bool:
        return bundle_id in state.bundles and all(
            client.may(op, bundle_id) for op in PAGE_OPERATIONS
        )

    def html(request: Request, body: str, status: int = 200) -> HTMLResponse:
        response = HTMLResponse(body, status_code=status, headers=_SECURITY_HEADERS)
        response.set_cookie(
            PAGE_COOKIE,
            sessions.issue(),
            max_age=sessions.seconds,
            path="/",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @app.get("/app", include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        listed = [state.bundles[b].bundle for b in state.bundles if usable(b)]
        return html(request, templates.get_template("index.html").render(bundles=listed))

    @app.get("/app/assets/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        if name not in ASSETS:
            return Response("not found", status_code=404, media_type="text/plain")
        text = (files("formmerge.service") / "assets" / name).read_text(encoding="utf-8")
        return Response(
            text, media_type=ASSETS[name], headers={"X-Content-Type-Options": "nosniff"}
        )

    @app.get("/app/{bundle}", include_in_schema=False)
    def page(bundle: str, request: Request) -> HTMLResponse:
        if not usable(bundle):
            body = templates.get_template("missing.html").render(bundle=bundle)
            return html(request, body, status=404)
        data = _page_data(state.bundles[bundle], config.purpose, state.catalog)
        return html(request, templates.get_template("page.html").render(page=data))

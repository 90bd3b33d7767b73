"""The reference application page, through a real server on loopback and headless Chromium.

The browser tests need the system's Chromium and the ``playwright`` package (as
tests/test_report_browser.py); they fail, never skip, when either is missing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.answers import answer_required
from formmerge.bundle import load_bundle
from formmerge.demodata import demo_subjects
from formmerge.report.browser import CHROMIUM_FLAGS
from formmerge.resources import data_path
from formmerge.service import ServiceConfigError, create_app, hash_key, load_service_config
from formmerge.service.run import serving
from formmerge.service.session import PAGE_COOKIE, PAGE_HEADER, PageSessions
from formmerge.validators import (
    is_valid_citizen_id,
    is_valid_uscc,
    make_citizen_id,
    make_uscc,
)

EXAMPLES = data_path("examples")
PORTAL_KEY = "portal-secret"
BUNDLE = "newborn-birth"
TIMEOUT_MS = 15_000


def _config(tmp: Path, registers: Path, page: dict[str, Any] | None = None) -> Path:
    bundles = [
        "newborn-birth",
        "marriage-hukou",
        "school-enrolment",
        "enterprise-change",
        "retirement",
    ]
    config = {
        "bundles": [str(EXAMPLES / "bundles" / b) for b in bundles],
        "sources": str(EXAMPLES / "sources" / "demo.yaml"),
        "registers": str(registers),
        "clients": [
            {
                "id": "portal",
                "key_sha256": hash_key(PORTAL_KEY),
                "bundles": ["*"],
                "operations": ["schema", "prefill", "verify", "submit"],
            },
            {
                "id": "page",
                "bundles": [
                    "newborn-birth",
                    "marriage-hukou",
                    "school-enrolment",
                    "enterprise-change",
                ],
                "operations": ["schema", "prefill", "submit"],
            },
            {"id": "auditor", "key_sha256": hash_key("auditor-secret"), "operations": ["audit"]},
        ],
        "page": page if page is not None else {"client": "page", "purpose": "在线办理"},
    }
    path = tmp / "service.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class Site:
    url: str
    subjects: dict[str, str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_registers: Path) -> Iterator[Site]:
    config = _config(tmp_path_factory.mktemp("page"), demo_registers)
    app = create_app(load_service_config(config))
    with duckdb.connect(str(demo_registers), read_only=True) as con:
        subjects = demo_subjects(con)
    with serving(app) as url:
        yield Site(url, subjects)


# ------------------------------------------------------------------------------ serving


def test_the_page_holds_no_key_and_sets_a_strict_session(site: Site) -> None:
    response = httpx.get(f"{site.url}/app/{BUNDLE}")
    assert response.status_code == 200
    assert "新生儿出生一件事" in response.text
    assert PORTAL_KEY not in response.text and "Bearer" not in response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(PAGE_COOKIE + "=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert (
        httpx.get(f"{site.url}/app/assets/page.js")
        .headers["content-type"]
        .startswith("text/javascript")
    )
    assert httpx.get(f"{site.url}/app/assets/service.yaml").status_code == 404


def test_the_index_lists_only_the_page_clients_bundles(site: Site) -> None:
    index = httpx.get(f"{site.url}/app").text
    assert "/app/newborn-birth" in index and "/app/enterprise-change" in index
    assert "/app/retirement" not in index
    assert httpx.get(f"{site.url}/app/retirement").status_code == 404


def test_a_page_session_has_the_page_clients_scope_and_no_more(site: Site) -> None:
    with httpx.Client(base_url=site.url) as http:
        http.get(f"/app/{BUNDLE}")  # sets the session cookie
        assert http.get("/v1/bundles").status_code == 401, "the header is needed too"
        with_header = {PAGE_HEADER: "1"}
        listed = http.get("/v1/bundles", headers=with_header).json()
        assert "retirement" not in {b["id"] for b in listed}
        assert {"newborn-birth", "enterprise-change"} <= {b["id"] for b in listed}
        assert all("verify" not in b["operations"] for b in listed)
        assert http.get("/v1/audit", headers=with_header).json()["code"] == "scope-denied"
        other = http.get("/v1/bundles/retirement/schema", headers=with_header)
        assert other.json()["code"] == "scope-denied"
    forged = {PAGE_HEADER: "1", "Cookie": f"{PAGE_COOKIE}=9999999999.{'0' * 64}"}
    assert httpx.get(f"{site.url}/v1/bundles", headers=forged).status_code == 401


def test_a_session_expires() -> None:
    sessions = PageSessions(minutes=1, secret=b"s" * 32)
    token = sessions.issue(now=1_000)
    assert sessions.valid(token, now=1_059)
    assert not sessions.valid(token, now=1_061)
    assert not PageSessions(minutes=1, secret=b"t" * 32).valid(token, now=1_001)
    assert not sessions.valid("1000", now=0) and not sessions.valid(None)


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ({"client": "nobody"}, "is not one of the clients"),
        ({"client": "auditor"}, "may not read the audit trail"),
    ],
)
def test_a_bad_page_configuration_is_refused(
    tmp_path: Path, demo_registers: Path, page: dict[str, Any], message: str
) -> None:
    path = _config(tmp_path, demo_registers, page)
    with pytest.raises(ServiceConfigError) as caught:
        load_service_config(path)
    assert caught.value.codes == ["invalid-service-config"]
    assert message in caught.value.problems[0].message


def test_only_the_page_client_may_go_without_a_key(tmp_path: Path, demo_registers: Path) -> None:
    path = _config(tmp_path, demo_registers)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["page"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ServiceConfigError) as caught:
        load_service_config(path)
    assert "client 'page' needs a key_sha256" in caught.value.problems[0].message


# ------------------------------------------------------------------------------ browser


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need playwright: pip install -e '.[dev]'")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_FLAGS[1:]))
        yield launched
        launched.close()


@dataclass
class Tab:
    page: Any
    errors: list[str]
    posts: list[str]


def _open(browser: Any, site: Site, bundle: str = BUNDLE) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    tab = Tab(page, [], [])
    page.on("pageerror", lambda exc: tab.errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: tab.errors.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    page.on(
        "request",
        lambda req: tab.posts.append(req.url.rsplit("/", 1)[-1]) if req.method == "POST" else None,
    )
    page.goto(f"{site.url}/app/{bundle}")
    page.wait_for_selector("html[data-ready=true]")
    yield tab
    context.close()


@pytest.fixture
def tab(browser: Any, site: Site) -> Iterator[Tab]:
    yield from _open(browser, site)


def _prefill(tab: Tab, subject: str, who: str = "") -> None:
    """Prefill for ``subject``; where the page asks who applies, answer ``who`` (a role, or
    "" for 其他: every role its own person)."""
    if tab.page.locator("#who").count():
        tab.page.check(f'#who input[value="{who}"]')
        tab.page.wait_for_selector(f"html[data-who={who or 'other'}]")
    tab.page.fill("#subject", subject)
    tab.page.check("#consent-check")
    tab.page.click("#start")
    tab.page.wait_for_selector("#application-step:not([hidden])")


def _field(tab: Tab, field_id: str) -> Any:
    return tab.page.locator(f'#application .field[data-field="{field_id}"]').first


def _schema(site: Site, bundle: str = BUNDLE) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {PORTAL_KEY}"}
    response = httpx.get(f"{site.url}/v1/bundles/{bundle}/schema", headers=headers)
    return dict(response.json())


@pytest.mark.browser
def test_the_page_lists_what_prefill_reads_and_from_whom(tab: Tab) -> None:
    rows = tab.page.locator("#consent-list tbody tr")
    assert rows.count() > 10
    mother = tab.page.locator("#consent-list tr[data-item=name][data-role=mother]")
    assert "母亲" in mother.inner_text() and "公安" in mother.inner_text()
    assert tab.errors == []


@pytest.mark.browser
def test_the_mother_applying_is_asked_her_data_once(tab: Tab, site: Site) -> None:
    who = tab.page.locator("#who label").all_inner_texts()
    assert [t.strip() for t in who] == ["母亲", "父亲", "其他"]
    # the choice comes first: without it nothing is read
    tab.page.fill("#subject", site.subjects["newborn_mother"])
    tab.page.check("#consent-check")
    tab.page.click("#start")
    assert "选择" in tab.page.inner_text("#who-error")
    assert tab.posts == []
    _prefill(tab, site.subjects["newborn_mother"], who="mother")
    assert tab.posts == ["prefill"]
    fields = tab.page.locator("#application .field").evaluate_all(
        "(blocks) => blocks.map((b) => b.dataset.field)"
    )
    assert not [
        f
        for f in fields
        if f.split("@")[0] in ("name", "citizen_id", "phone") and f.endswith("@applicant")
    ]
    assert "name@mother" in fields and "citizen_id@mother" in fields
    unbound = {f for s in _schema(site)["properties"].values() for f in s["properties"]}
    assert "name@applicant" in unbound, "without the choice the applicant is asked apart"
    assert _field(tab, "name@mother").get_attribute("data-readonly") == "true"
    assert tab.page.locator("#who input").first.is_disabled()
    assert tab.errors == []


@pytest.mark.browser
def test_a_bad_citizen_id_is_rejected_in_the_browser(tab: Tab, site: Site) -> None:
    good = site.subjects["newborn_mother"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    tab.page.check('#who input[value=""]')
    tab.page.fill("#subject", bad)
    tab.page.check("#consent-check")
    tab.page.click("#start")
    assert "校验位不正确" in tab.page.inner_text("#subject-error")
    assert tab.page.is_hidden("#application-step")
    assert tab.posts == [], "nothing is sent for a number that fails its check digit"


@pytest.mark.browser
def test_prefill_needs_the_consent_box(tab: Tab, site: Site) -> None:
    tab.page.fill("#subject", site.subjects["newborn_mother"])
    tab.page.click("#start")
    assert "同意" in tab.page.inner_text("#consent-error")
    assert tab.posts == []


@pytest.mark.browser
def test_the_page_fills_with_read_only_verified_values(tab: Tab, site: Site) -> None:
    _prefill(tab, site.subjects["newborn_mother"])
    name = _field(tab, "name@mother")
    assert name.get_attribute("data-readonly") == "true"
    assert name.locator("input").get_attribute("readonly") is not None
    assert name.locator("input").input_value()
    provenance = name.locator(".provenance").inner_text()
    assert "已核验" in provenance and "公安" in provenance and "不可修改" in provenance
    # sections are fieldsets with Chinese titles; an enum shows its label, not its code
    legends = tab.page.locator("#application legend").all_inner_texts()
    assert "母亲信息" in legends and "子女信息" in legends
    ethnicity = _field(tab, "ethnicity@mother").locator("select")
    assert ethnicity.is_disabled()
    assert ethnicity.locator("option:checked").inner_text() == "汉族"
    # a value to type starts empty: nothing is pre-answered
    blood = _field(tab, "blood_type@child").locator("select")
    assert blood.input_value() == ""
    assert tab.errors == []


@pytest.mark.browser
def test_editing_a_read_only_value_is_refused(tab: Tab, site: Site) -> None:
    _prefill(tab, site.subjects["newborn_mother"])
    box = _field(tab, "name@mother").locator("input")
    before = box.input_value()
    box.click()
    tab.page.keyboard.press("End")
    tab.page.keyboard.type("改")
    tab.page.keyboard.press("Backspace")
    assert box.input_value() == before
    # a value changed behind the page's back (devtools) is refused by the server
    answer_required(tab.page, _schema(site))
    box.evaluate("(el) => { el.removeAttribute('readonly'); el.value = '别人'; }")
    tab.page.click("#submit")
    tab.page.wait_for_selector("#problem-list li")
    problems = tab.page.locator("#problem-list li")
    assert problems.first.get_attribute("data-code") == "verified-value-changed"
    assert problems.first.get_attribute("data-field") == "name@mother"
    assert "verified-value-changed" in _field(tab, "name@mother").locator(".error").inner_text()


@pytest.mark.browser
def test_a_bad_citizen_id_in_the_application_blocks_submit(tab: Tab, site: Site) -> None:
    _prefill(tab, site.subjects["newborn_mother"])
    answer_required(tab.page, _schema(site))
    good = make_citizen_id("420527", date(2026, 5, 20), 7, "1")
    _field(tab, "citizen_id@child").locator("input").fill(good[:-1] + "0")
    posts = len(tab.posts)
    tab.page.click("#submit")
    error = _field(tab, "citizen_id@child").locator(".error").inner_text()
    assert "校验位不正确" in error
    assert "1 处" in tab.page.inner_text("#check-summary")
    assert len(tab.posts) == posts, "the page does not submit what fails its checks"


@pytest.mark.browser
def test_required_answers_are_asked_for_in_chinese(tab: Tab, site: Site) -> None:
    _prefill(tab, site.subjects["newborn_mother"])
    tab.page.click("#submit")
    assert _field(tab, "name@guardian").locator(".error").inner_text() == "请填写监护人姓名"
    assert "请选择" in _field(tab, "relationship@guardian").locator(".error").inner_text()
    assert tab.page.is_hidden("#result-step")


@pytest.mark.browser
def test_submit_shows_each_departments_payload(browser: Any, site: Site) -> None:
    # school-enrolment: every department's payload, each checked against its own form
    bundle = "school-enrolment"
    for tab in _open(browser, site, bundle):
        _prefill(tab, site.subjects["school_child_parent"])
        assert answer_required(tab.page, _schema(site, bundle)) > 3
        tab.page.click("#submit")
        tab.page.wait_for_selector("#result-step:not([hidden])")
        assert tab.page.locator("#problems li").count() == 0, tab.page.inner_text("#problems")
        payloads = tab.page.locator("#payloads section.payload")
        forms = {f.id: f for f in load_bundle(EXAMPLES / "bundles" / bundle).forms}
        assert payloads.count() == len(forms)
        for i in range(payloads.count()):
            payload = payloads.nth(i)
            form = forms[payload.get_attribute("data-form")]
            assert form.title in payload.locator("h3").inner_text()
            assert form.department in payload.locator("h3").inner_text()
            assert payload.locator("tbody tr").count() > 0
        name = _field(tab, "name@applicant").locator("input").input_value()
        assert _field(tab, "name@applicant").get_attribute("data-readonly") == "true"
        assert name and name in tab.page.inner_text("#payloads")
        assert tab.errors == []


@pytest.mark.browser
def test_repeating_groups_are_rows(browser: Any, site: Site) -> None:
    for tab in _open(browser, site, "enterprise-change"):
        # its identities say nothing of an applicant: the page asks no 您是 question
        assert tab.page.locator("#who").count() == 0
        _prefill(tab, site.subjects["enterprise"])
        block = tab.page.locator(".repeat", has_text="股东").first
        rows = block.locator(".row").count()
        block.locator("button.add-row").click()
        assert block.locator(".row").count() == rows + 1
        last = block.locator(".row").last
        assert last.locator('.field[data-field="name@shareholder"] input').input_value() == ""
        last.locator("button.remove-row").click()
        assert block.locator(".row").count() == rows
        assert tab.errors == []


@pytest.fixture(scope="module")
def checker(browser: Any, site: Site) -> Iterator[Any]:
    for tab in _open(browser, site):
        yield tab.page


def _near(valid: str, rng: random.Random) -> str:
    i = rng.randrange(len(valid))
    return valid[:i] + rng.choice("0123456789X") + valid[i + 1 :]


@pytest.mark.browser
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32), extra=st.lists(st.text(max_size=20), max_size=5))
def test_the_browsers_check_digits_agree_with_the_servers(
    checker: Any, seed: int, extra: list[str]
) -> None:
    rng = random.Random(seed)
    ids = [
        make_citizen_id(
            rng.choice(["420527", "110105", "990101"]),
            date(rng.randrange(1840, 2030), rng.randrange(1, 13), rng.randrange(1, 29)),
            rng.randrange(1000),
            rng.choice("12"),
        )
        for _ in range(10)
    ]
    ids += [_near(v, rng) for v in ids] + [v[:6] + v[8:17] for v in ids] + extra
    codes = [make_uscc(rng) for _ in range(5)]
    codes += [_near(v, rng) for v in codes] + [v.lower() for v in codes] + extra
    browser_ids = checker.evaluate("(xs) => xs.map(window.formmergeChecks.isCitizenId)", ids)
    browser_codes = checker.evaluate("(xs) => xs.map(window.formmergeChecks.isCreditCode)", codes)
    assert browser_ids == [is_valid_citizen_id(v) for v in ids]
    assert browser_codes == [is_valid_uscc(v) for v in codes]

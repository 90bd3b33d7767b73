"""The HTTP service, tested through a real uvicorn server on a loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest
import schemathesis
import uvicorn
import yaml
from hypothesis import HealthCheck, given, settings

from benchmarks.answers import sample_answers
from formmerge.bundle import load_bundle
from formmerge.cli import main
from formmerge.demodata import demo_subjects
from formmerge.frontend import application_schema
from formmerge.merging import merge_bundle
from formmerge.prefill import prefill
from formmerge.resources import data_path
from formmerge.rules import load_rules
from formmerge.service import (
    ServiceConfigError,
    create_app,
    hash_key,
    load_service_config,
)
from formmerge.service.problems import PROBLEM_MEDIA_TYPE
from formmerge.service.state import ServiceState

EXAMPLES = data_path("examples")
KEYS = {"portal": "portal-secret", "narrow": "narrow-secret", "auditor": "auditor-secret"}
THREADS = 16

SMALL_FORM = """\
id: small-registration
title: 小登记表
department: 测试局
subject: person
fields:
  - {key: xm, label: 姓名, required: true}
  - {key: sfzh, label: 身份证号, required: true, format: citizen-id}
  - {key: bz, label: 备注}
"""


@dataclass
class Server:
    url: str
    config: Path
    registers: Path


def _write_config(tmp: Path, registers: Path, **limits: int) -> Path:
    small = tmp / "small"
    (small / "forms").mkdir(parents=True, exist_ok=True)
    (small / "bundle.yaml").write_text("id: small\ntitle: 小一件事\n", encoding="utf-8")
    (small / "forms" / "01-small.yaml").write_text(SMALL_FORM, encoding="utf-8")
    config = {
        "bundles": [
            str(EXAMPLES / "bundles" / "newborn-birth"),
            str(EXAMPLES / "bundles" / "retirement"),
            "small",
        ],
        "sources": str(EXAMPLES / "sources" / "demo.yaml"),
        "registers": str(registers),
        "audit": "audit.duckdb",
        "clients": [
            {
                "id": "portal",
                "key_sha256": hash_key(KEYS["portal"]),
                "bundles": ["newborn-birth", "small"],
                "operations": ["schema", "prefill", "verify", "submit"],
            },
            {
                "id": "narrow",
                "key_sha256": hash_key(KEYS["narrow"]),
                "bundles": ["retirement"],
                "operations": ["schema"],
            },
            {"id": "auditor", "key_sha256": hash_key(KEYS["auditor"]), "operations": ["audit"]},
        ],
        "limits": limits,
    }
    path = tmp / "service.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@dataclass
class _Running:
    server: uvicorn.Server
    thread: threading.Thread
    url: str


def _start(config_path: Path) -> _Running:
    app = create_app(load_service_config(config_path))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return _Running(server, thread, f"http://127.0.0.1:{port}")


def _stop(running: _Running) -> None:
    running.server.should_exit = True
    running.thread.join(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_registers: Path) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("service")
    config = _write_config(tmp, demo_registers)
    running = _start(config)
    yield Server(running.url, config, demo_registers)
    _stop(running)


@pytest.fixture(scope="module")
def subjects(demo_registers: Path) -> dict[str, str]:
    with duckdb.connect(str(demo_registers), read_only=True) as con:
        return demo_subjects(con)


def _client(server: Server, who: str | None = "portal") -> httpx.Client:
    headers = {"Authorization": f"Bearer {KEYS[who]}"} if who else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=60)


def _consent(http: httpx.Client, bundle: str) -> str:
    response = http.get(f"/v1/bundles/{bundle}/consent")
    assert response.status_code == 200
    return str(response.json()["id"])


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == status
    assert body["type"].endswith("/" + code)
    return body


def _access(server: Server) -> list[dict[str, Any]]:
    with _client(server, "auditor") as http:
        response = http.get("/v1/audit")
    assert response.status_code == 200
    return list(response.json()["access"])


# ------------------------------------------------------------------------------ basics


def test_openapi_is_generated_with_every_endpoint(server: Server) -> None:
    with _client(server, None) as http:
        spec = http.get("/openapi.json").json()
    assert {
        "/v1/bundles",
        "/v1/bundles/{bundle}/schema",
        "/v1/bundles/{bundle}/consent",
        "/v1/bundles/{bundle}/prefill",
        "/v1/bundles/{bundle}/verify",
        "/v1/bundles/{bundle}/submit",
        "/v1/audit",
    } <= set(spec["paths"])


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_a_request_without_a_valid_key_is_refused(server: Server, headers: dict[str, str]) -> None:
    response = httpx.get(f"{server.url}/v1/bundles", headers=headers)
    _problem(response, 401, "unauthenticated")


def test_each_client_sees_the_bundles_of_its_scope(server: Server) -> None:
    with _client(server) as http:
        portal = {b["id"]: b for b in http.get("/v1/bundles").json()}
    with _client(server, "narrow") as http:
        narrow = {b["id"]: b for b in http.get("/v1/bundles").json()}
    assert set(portal) == {"newborn-birth", "small"}
    assert portal["newborn-birth"]["fields_after"] < portal["newborn-birth"]["fields_before"]
    assert set(narrow) == {"retirement"} and narrow["retirement"]["operations"] == ["schema"]


def test_the_schema_is_the_merged_application(server: Server) -> None:
    merged = merge_bundle(load_bundle(EXAMPLES / "bundles" / "newborn-birth"))
    with _client(server) as http:
        schema = http.get("/v1/bundles/newborn-birth/schema").json()
        ui = http.get("/v1/bundles/newborn-birth/ui-schema").json()
        formily = http.get("/v1/bundles/newborn-birth/formily").json()
    assert schema == application_schema(merged)
    assert ui["ui:order"] == list(schema["properties"])
    assert list(formily["properties"]) == list(schema["properties"])


def test_the_consent_notice_names_departments(server: Server) -> None:
    with _client(server) as http:
        notice = http.get("/v1/bundles/newborn-birth/consent").json()
    assert len(notice["id"]) == 32
    names = {(r["item"], r["role"]) for r in notice["reads"]}
    assert ("name", "mother") in names
    assert all(r["departments"] for r in notice["reads"])


# ------------------------------------------------------------------------------ scopes


def test_a_scope_violation_is_refused_and_audited(server: Server, subjects: dict[str, str]) -> None:
    body = {"subject": subjects["near_retiree"], "purpose": "退休申请", "consent": "x"}
    with _client(server, "narrow") as http:
        response = http.post("/v1/bundles/retirement/prefill", json=body)
    _problem(response, 403, "scope-denied")
    with _client(server) as http:
        unknown = http.post("/v1/bundles/no-such-bundle/prefill", json=body)
        other = http.get("/v1/bundles/retirement/schema")
    _problem(unknown, 403, "scope-denied")
    _problem(other, 403, "scope-denied")
    refused = [
        a for a in _access(server) if a["client"] == "narrow" and a["code"] == "scope-denied"
    ]
    assert refused and refused[0]["bundle"] == "retirement"
    assert refused[0]["subject_hash"] and subjects["near_retiree"] not in str(refused)


def test_the_audit_trail_is_for_auditors_only(server: Server) -> None:
    with _client(server) as http:
        _problem(http.get("/v1/audit"), 403, "scope-denied")


# ------------------------------------------------------------------------------ prefill


def test_prefill_needs_the_current_consent(server: Server, subjects: dict[str, str]) -> None:
    mother = subjects["newborn_mother"]
    with _client(server) as http:
        response = http.post(
            "/v1/bundles/newborn-birth/prefill",
            json={"subject": mother, "purpose": "出生登记", "consent": "0" * 32},
        )
    _problem(response, 403, "consent-required")
    assert mother not in response.text
    access = _access(server)
    assert any(a["code"] == "consent-required" and a["client"] == "portal" for a in access)


def test_prefill_gives_what_the_library_gives_and_audits_client_and_purpose(
    server: Server, subjects: dict[str, str]
) -> None:
    mother = subjects["newborn_mother"]
    path = EXAMPLES / "bundles" / "newborn-birth"
    merged = merge_bundle(load_bundle(path))
    reads = load_rules(path).reads
    expected = prefill(merged, mother, connection=server.registers, reads=reads)
    with _client(server) as http:
        consent = _consent(http, "newborn-birth")
        body = {"subject": mother, "purpose": "出生登记", "consent": consent}
        got = http.post("/v1/bundles/newborn-birth/prefill", json=body).json()
        with _client(server, "auditor") as auditor:
            reads = auditor.get("/v1/audit").json()["reads"]
    assert {k: v["value"] for k, v in got["values"].items()} == {
        k: (v.value if not hasattr(v.value, "isoformat") else v.value.isoformat())
        for k, v in expected.values.items()
    }
    assert got["to_type"] == expected.to_type
    assert got["form_data"]["mother"]["name@mother"] == expected.values["name@mother"].value
    assert all(v["department"] for v in got["values"].values())
    assert any("client=portal" in r["matter"] and "出生登记" in r["matter"] for r in reads)
    assert mother not in str(reads)


def test_bad_subject_keys_are_problems_without_the_key(server: Server) -> None:
    secret = "4205021994051500231234567890123456789012345678901234567890123456789"
    with _client(server) as http:
        consent = _consent(http, "newborn-birth")
        body = {"subject": secret, "purpose": "出生登记", "consent": consent}
        response = http.post("/v1/bundles/newborn-birth/prefill", json=body)
        invalid = http.post("/v1/bundles/newborn-birth/prefill", json={"subject": 5})
    problem = _problem(response, 422, "prefill-refused")
    assert [p["code"] for p in problem["problems"]] == ["bad-subject-key"]
    assert secret not in response.text
    _problem(invalid, 422, "invalid-request")


def test_concurrent_prefill_equals_sequential(server: Server, subjects: dict[str, str]) -> None:
    keys = list(dict.fromkeys(subjects.values()))
    with _client(server) as http:
        consent = _consent(http, "newborn-birth")

    def call(key: str) -> dict[str, Any]:
        body = {"subject": key, "purpose": "出生登记", "consent": consent}
        with _client(server) as http:
            response = http.post("/v1/bundles/newborn-birth/prefill", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    sequential = {key: call(key) for key in keys}
    order = [keys[i % len(keys)] for i in range(THREADS * 2)]
    with ThreadPoolExecutor(THREADS) as pool:
        threaded = list(pool.map(call, order))
    for key, got in zip(order, threaded, strict=True):
        assert got == sequential[key]


# ------------------------------------------------------------------------------ submit


def test_a_tampered_submission_is_refused(server: Server, subjects: dict[str, str]) -> None:
    mother = subjects["newborn_mother"]
    with _client(server) as http:
        consent = _consent(http, "newborn-birth")
        base = {"subject": mother, "purpose": "出生登记", "consent": consent}
        filled = http.post("/v1/bundles/newborn-birth/prefill", json=base).json()
        answers = {k: v["value"] for k, v in filled["values"].items()}
        locked = next(k for k, v in filled["values"].items() if v["read_only"])
        answers[locked] = "篡改的值"
        response = http.post("/v1/bundles/newborn-birth/submit", json={**base, "answers": answers})
    problem = _problem(response, 422, "verified-value-changed")
    assert [p["location"]["field"] for p in problem["problems"]] == [locked]
    assert mother not in response.text
    fields = {k: v for k, v in answers.items() if k in schema_fields(server)} | {
        locked: filled["values"][locked]["value"]
    }
    with _client(server) as http:
        honest = http.post("/v1/bundles/newborn-birth/submit", json={**base, "answers": fields})
    assert honest.json()["code"] != "verified-value-changed", "rules' reads are not fields"


def schema_fields(server: Server) -> set[str]:
    merged = merge_bundle(load_bundle(EXAMPLES / "bundles" / "newborn-birth"))
    return {f.id for f in merged.fields}


def test_a_submission_is_split_per_department(server: Server, subjects: dict[str, str]) -> None:
    person = subjects["newborn_mother"]
    with _client(server) as http:
        consent = _consent(http, "small")
        base = {"subject": person, "purpose": "登记", "consent": consent}
        filled = http.post("/v1/bundles/small/prefill", json=base).json()
        answers = {k: v["value"] for k, v in filled["values"].items()}
        incomplete = http.post("/v1/bundles/small/submit", json={**base, "answers": {}})
        done = http.post("/v1/bundles/small/submit", json={**base, "answers": answers})
    problem = _problem(incomplete, 422, "verified-value-changed")
    assert problem["problems"]
    assert done.status_code == 200, done.text
    payload = done.json()["payloads"]["small-registration"]
    assert payload["sfzh"] == person and payload["xm"]
    assert [p["location"]["field"] for p in done.json()["unanswered"]] == ["bz"]


# ------------------------------------------------------------------------------ limits


def test_an_oversized_body_is_refused(server: Server) -> None:
    with _client(server) as http:
        response = http.post(
            "/v1/bundles/small/submit",
            content=b'{"answers": "' + b"x" * 400_000 + b'"}',
            headers={"content-type": "application/json"},
        )
    _problem(response, 413, "request-too-large")


def test_a_client_over_its_rate_is_slowed_down(tmp_path: Path, demo_registers: Path) -> None:
    running = _start(_write_config(tmp_path, demo_registers, requests_per_minute=3))
    try:
        headers = {"Authorization": f"Bearer {KEYS['portal']}"}
        codes = [
            httpx.get(f"{running.url}/v1/bundles", headers=headers).status_code for _ in range(5)
        ]
    finally:
        _stop(running)
    assert codes == [200, 200, 200, 429, 429]


# ------------------------------------------------------------------------------ config


def test_configuration_problems_are_located(tmp_path: Path, demo_registers: Path) -> None:
    path = _write_config(tmp_path, demo_registers)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["clients"][0]["key_sha256"] = "plain-text-key"
    data["registers"] = "missing.duckdb"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ServiceConfigError) as caught:
        load_service_config(path)
    assert caught.value.codes == ["invalid-service-config"]
    assert caught.value.problems[0].location.pointer == "/clients/0/key_sha256"
    data["clients"][0]["key_sha256"] = hash_key("x")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ServiceConfigError) as caught:
        load_service_config(path)
    assert caught.value.codes == ["file-not-found"]


def test_cli_hashes_a_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--hash-key", "portal-secret"]) == 0
    assert capsys.readouterr().out.strip() == hash_key("portal-secret")


# ------------------------------------------------------------------------------ properties


def test_no_request_the_openapi_allows_makes_a_server_error(server: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    headers = {"Authorization": f"Bearer {KEYS['portal']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    seen: set[int] = set()

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case: Any) -> None:
            response = case.call(headers=headers, timeout=60)
            seen.add(response.status_code)
            assert response.status_code < 500, (case.path, response.text)
            if response.status_code >= 400:
                kind = response.headers.get("content-type") or [""]
                assert (kind[0] if isinstance(kind, list) else kind).startswith(PROBLEM_MEDIA_TYPE)

        check()
    assert 200 in seen and 401 not in seen, "generated requests pass authentication"


def test_the_shipped_example_configuration_serves_every_bundle(
    tmp_path: Path, demo_registers: Path
) -> None:
    example = EXAMPLES / "service" / "service.yaml"
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    base = example.parent
    data["bundles"] = [str((base / b).resolve()) for b in data["bundles"]]
    data["sources"] = str((base / data["sources"]).resolve())
    data["registers"] = str(demo_registers)
    path = tmp_path / "service.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    app = create_app(load_service_config(path))
    state = app.state.formmerge
    assert len(state.bundles) == len(data["bundles"])
    assert all(entry.notice.reads for entry in state.bundles.values())
    assert state.config.client_for("demo-portal-key").id == "demo-portal"
    state.close()


# ------------------------------------------------------------------------------ role identities

MOTHER_APPLIES = {"applicant": "mother"}


def _at(payload: dict[str, Any], path: str) -> Any:
    """The value at a form field's path (``mq/xm``) in its department's payload."""
    node: Any = payload
    for part in path.split("/"):
        node = node[part]
    return node


def test_a_bound_schema_asks_the_mothers_items_once(server: Server) -> None:
    with _client(server) as http:
        unbound = http.get("/v1/bundles/newborn-birth/schema").json()
        bound = http.get("/v1/bundles/newborn-birth/schema", params={"as": "mother"}).json()
        spelled = http.get(
            "/v1/bundles/newborn-birth/schema", params={"bind": "applicant=mother"}
        ).json()
        ui = http.get("/v1/bundles/newborn-birth/ui-schema", params={"as": "mother"}).json()

    def fields(schema: dict[str, Any]) -> set[str]:
        return {f for section in schema["properties"].values() for f in section["properties"]}

    assert {"name@applicant", "citizen_id@applicant"} <= fields(unbound)
    assert "name@applicant" not in fields(bound) and "citizen_id@applicant" not in fields(bound)
    assert "name@mother" in fields(bound)
    assert spelled == bound
    assert "name@applicant" not in str(ui)


def test_a_bound_prefill_reads_the_mother_once(server: Server, subjects: dict[str, str]) -> None:
    mother = subjects["newborn_mother"]
    path = EXAMPLES / "bundles" / "newborn-birth"
    merged = merge_bundle(load_bundle(path), binding=MOTHER_APPLIES)
    expected = prefill(merged, mother, connection=server.registers, reads=load_rules(path).reads)
    with _client(server) as http:
        consent = _consent(http, "newborn-birth")
        base = {"subject": mother, "purpose": "出生登记", "consent": consent}
        unbound = http.post("/v1/bundles/newborn-birth/prefill", json=base).json()
        got = http.post(
            "/v1/bundles/newborn-birth/prefill", json={**base, "binding": MOTHER_APPLIES}
        ).json()
    assert "name@applicant" in unbound["values"] or "name@applicant" in unbound["to_type"]
    asked = set(got["values"]) | set(got["to_type"])
    assert not {f for f in asked if f.split("@")[0] in ("name", "citizen_id", "phone")} & {
        f for f in asked if f.endswith("@applicant")
    }
    assert "name@mother" in got["values"]
    assert set(got["values"]) == set(expected.values)
    assert got["to_type"] == expected.to_type
    assert len(asked) < len(set(unbound["values"]) | set(unbound["to_type"]))


def test_a_bound_submission_fills_every_departments_applicant_and_mother_fields(
    server: Server, subjects: dict[str, str]
) -> None:
    mother = subjects["newborn_mother"]
    merged = merge_bundle(
        load_bundle(EXAMPLES / "bundles" / "newborn-birth"), binding=MOTHER_APPLIES
    )
    with _client(server) as http:
        consent = _consent(http, "newborn-birth")
        base = {
            "subject": mother,
            "purpose": "出生登记",
            "consent": consent,
            "binding": MOTHER_APPLIES,
        }
        schema = http.get("/v1/bundles/newborn-birth/schema", params={"as": "mother"}).json()
        filled = http.post("/v1/bundles/newborn-birth/prefill", json=base).json()
        answers = sample_answers(schema, filled["form_data"])
        done = http.post("/v1/bundles/newborn-birth/submit", json={**base, "answers": answers})
        unbound = http.post(
            "/v1/bundles/newborn-birth/submit",
            json={**base, "binding": {}, "answers": answers},
        )
    assert done.status_code == 200, done.text
    payloads = done.json()["payloads"]
    # the mother's one answer fills her fields and the applicant's in every department
    for field_id in ("name@mother", "citizen_id@mother"):
        value = filled["values"][field_id]["value"]
        refs = next(f for f in merged.fields if f.id == field_id).sources
        parents = {r.path.split("/")[0] for r in refs if r.form == "birth-registration"}
        assert parents == {"mq", "sbr"}, "the mother's and the applicant's fields"
        for ref in refs:
            assert _at(payloads[ref.form], ref.path) == value, ref
    # without the binding the applicant is someone else, whose verified values are missing
    problem = _problem(unbound, 422, "verified-value-changed")
    assert {p["location"]["field"].split("@")[1] for p in problem["problems"]} == {"applicant"}


def test_a_bad_binding_is_refused_and_located(server: Server, subjects: dict[str, str]) -> None:
    mother = subjects["newborn_mother"]
    with _client(server) as http:
        consent = _consent(http, "newborn-birth")
        base = {"subject": mother, "purpose": "出生登记", "consent": consent}
        undeclared = http.post(
            "/v1/bundles/newborn-birth/prefill", json={**base, "binding": {"applicant": "child"}}
        )
        unknown = http.post(
            "/v1/bundles/newborn-birth/submit",
            json={**base, "binding": {"applicant": "aunt"}, "answers": {}},
        )
        schema = http.get("/v1/bundles/newborn-birth/schema", params={"bind": "applicant"})
        chained = http.get(
            "/v1/bundles/newborn-birth/schema",
            params={"bind": ["applicant=mother", "guardian=applicant"]},
        )
    problem = _problem(undeclared, 422, "binding-refused")
    assert [(p["code"], p["location"]["field"]) for p in problem["problems"]] == [
        ("identity-not-declared", "applicant")
    ]
    assert mother not in undeclared.text
    problem = _problem(unknown, 422, "binding-refused")
    assert [(p["code"], p["location"]["field"]) for p in problem["problems"]] == [
        ("unknown-role", "applicant")
    ]
    problem = _problem(schema, 422, "binding-refused")
    assert [p["code"] for p in problem["problems"]] == ["bad-binding"]
    problem = _problem(chained, 422, "binding-refused")
    assert [(p["code"], p["location"]["field"]) for p in problem["problems"]] == [
        ("identity-not-declared", "guardian")
    ]
    access = _access(server)
    assert any(a["code"] == "binding-refused" and a["operation"] == "prefill" for a in access)


def test_bound_forms_are_kept_per_bundle_and_binding(tmp_path: Path, demo_registers: Path) -> None:
    state = ServiceState(load_service_config(_write_config(tmp_path, demo_registers)))
    try:
        entry = state.bundles["newborn-birth"]
        mother = state.merged_for(entry, MOTHER_APPLIES)
        assert state.merged_for(entry, {}) is entry.merged
        assert state.merged_for(entry, dict(MOTHER_APPLIES)) is mother
        father = state.merged_for(entry, {"applicant": "father"})
        assert father is not mother and dict(father.binding) == {"applicant": "father"}
        assert mother == merge_bundle(
            load_bundle(EXAMPLES / "bundles" / "newborn-birth"), binding=MOTHER_APPLIES
        )
    finally:
        state.close()


def test_a_bound_verify_evaluates_the_rules(server: Server, subjects: dict[str, str]) -> None:
    mother = subjects["newborn_mother"]
    with _client(server) as http:
        consent = _consent(http, "newborn-birth")
        base = {"subject": mother, "purpose": "出生登记", "consent": consent}
        unbound = http.post("/v1/bundles/newborn-birth/verify", json=base)
        bound = http.post(
            "/v1/bundles/newborn-birth/verify", json={**base, "binding": MOTHER_APPLIES}
        )
    assert unbound.status_code == 200 and bound.status_code == 200, bound.text
    # newborn-birth's rules read the child and the parents, which the binding keeps
    assert [(o["rule_id"], o["status"]) for o in bound.json()] == [
        (o["rule_id"], o["status"]) for o in unbound.json()
    ]
    assert bound.json(), "newborn-birth has eligibility rules"

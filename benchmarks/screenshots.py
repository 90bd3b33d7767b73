"""Screenshots for the documentation: the reference page and the RJSF rendering (docs/img/).

    python -m benchmarks.screenshots                 # writes docs/img/service-*.png, rjsf-*.png
    python -m benchmarks.screenshots --rjsf-dir build/rjsf   # keep the npm install between runs

It builds demo registers in a temporary folder, serves the example bundles on loopback with a
page client, fills the reference page in headless Chromium for the demo mother of
newborn-birth (prefilled) and for a school-enrolment mother (submitted: the per-department
payloads), both answering 您是：母亲 so the application is the bound one that asks her data
once, and renders newborn-birth's prefilled application, bound the same way, with
react-jsonschema-form (benchmarks/rjsf.py; needs npm).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import yaml

from benchmarks.answers import answer_required
from benchmarks.rjsf import build_renderer, renderer_page
from formmerge.bundle import load_bundle
from formmerge.catalog import load_catalog
from formmerge.demodata import demo_subjects, generate
from formmerge.frontend import application_schema, form_data, rjsf_ui_schema
from formmerge.merging import merge_bundle
from formmerge.prefill import prefill
from formmerge.report import find_chromium
from formmerge.report.browser import CHROMIUM_FLAGS
from formmerge.resources import data_path
from formmerge.service import create_app, load_service_config
from formmerge.service.run import serving

EXAMPLES = data_path("examples")
DEMO_PERSONS = 2_000
VIEWPORT = {"width": 1280, "height": 900}
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
TIMEOUT_MS = 20_000
MOTHER_APPLIES = {"applicant": "mother"}


def _config(folder: Path, registers: Path) -> Path:
    config = {
        "bundles": [str(EXAMPLES / "bundles" / b) for b in ("newborn-birth", "school-enrolment")],
        "sources": str(EXAMPLES / "sources" / "demo.yaml"),
        "registers": str(registers),
        "clients": [
            {"id": "page", "bundles": ["*"], "operations": ["schema", "prefill", "submit"]}
        ],
        "page": {"client": "page", "purpose": "在线办理"},
    }
    path = folder / "service.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _choose_mother(page: Any) -> None:
    """Answer the page's one question, 您是, with 母亲, and wait for the bound application."""
    page.check('#who input[value="mother"]')
    page.wait_for_selector("html[data-who=mother]")


def _page_shots(browser: Any, url: str, subjects: dict[str, str], out: Path) -> list[Path]:
    shots = []
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{url}/app/newborn-birth")
    page.wait_for_selector("html[data-ready=true]")
    _choose_mother(page)
    page.fill("#subject", subjects["newborn_mother"])
    page.check("#consent-check")
    shots.append(out / "service-page-consent.png")
    page.screenshot(path=str(shots[-1]), full_page=True)
    page.click("#start")
    page.wait_for_selector("#application-step:not([hidden])")
    page.click("#submit")  # shows the checks on what is left to type
    shots.append(out / "service-page-prefilled.png")
    page.locator("#application-step").screenshot(path=str(shots[-1]))
    page.goto(f"{url}/app/school-enrolment")
    page.wait_for_selector("html[data-ready=true]")
    _choose_mother(page)
    page.fill("#subject", subjects["school_child_parent"])
    page.check("#consent-check")
    page.click("#start")
    page.wait_for_selector("#application-step:not([hidden])")
    schema = page.evaluate(
        "fetch('/v1/bundles/school-enrolment/schema?as=mother',"
        " {headers: {'X-Formmerge-Page': '1'}}).then((r) => r.json())"
    )
    answer_required(page, schema)
    page.click("#submit")
    page.wait_for_selector("#result-step:not([hidden])")
    page.locator("#result-step").scroll_into_view_if_needed()
    shots.append(out / "service-page-submitted.png")
    page.locator("#result-step").screenshot(path=str(shots[-1]))
    page.close()
    return shots


def _rjsf_shot(browser: Any, rjsf_dir: Path, registers: Path, subject: str, out: Path) -> Path:
    catalog = load_catalog()
    bundle = load_bundle(EXAMPLES / "bundles" / "newborn-birth")
    merged = merge_bundle(bundle, catalog, binding=MOTHER_APPLIES)
    filled = prefill(merged, subject, connection=registers)
    page_file = renderer_page(
        build_renderer(rjsf_dir),
        "newborn-birth",
        application_schema(merged, catalog, filled),
        rjsf_ui_schema(merged, catalog, filled),
        form_data(merged, filled.as_answers(), catalog),
    )
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(page_file.as_uri())
    page.wait_for_selector("html[data-ready=true]", timeout=TIMEOUT_MS)
    shot = out / "rjsf-newborn-birth.png"
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    return shot


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; prints their paths."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rjsf-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        registers = folder / "registers.duckdb"
        generate(registers, DEMO_PERSONS, seed=7, progress=False)
        with duckdb.connect(str(registers), read_only=True) as con:
            subjects = demo_subjects(con)
        app = create_app(load_service_config(_config(folder, registers)))
        with sync_playwright() as p, serving(app) as url:
            browser = p.chromium.launch(
                executable_path=find_chromium(), args=list(CHROMIUM_FLAGS[1:])
            )
            shots = _page_shots(browser, url, subjects, args.out)
            rjsf_dir = args.rjsf_dir or folder / "rjsf"
            shots.append(
                _rjsf_shot(browser, rjsf_dir, registers, subjects["newborn_mother"], args.out)
            )
            browser.close()
        app.state.formmerge.close()
    for shot in shots:
        print(shot)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

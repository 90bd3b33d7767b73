"""The front-end export in a real renderer: react-jsonschema-form 6 (ajv8 validator, React 18),
installed from the npm registry during the run, bundled with esbuild, in headless Chromium.

It must show the groups, the repeating groups as arrays, the verified values read-only and
every enum's options, and, with RJSF's default settings, answer nothing the applicant has not.
Skipped, with the reason, only when npm is not installed; slow because of the npm install.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from benchmarks.rjsf import build_renderer, npm, renderer_page
from formmerge.bundle import load_bundle
from formmerge.catalog import load_catalog
from formmerge.demodata import demo_subjects
from formmerge.errors import FormmergeError
from formmerge.frontend import application_schema, form_data, rjsf_ui_schema
from formmerge.merging import merge_bundle
from formmerge.prefill import Prefill, prefill
from formmerge.report import find_chromium
from formmerge.report.browser import CHROMIUM_FLAGS
from formmerge.resources import data_path

pytestmark = [pytest.mark.slow, pytest.mark.browser]

EXAMPLES = data_path("examples")
RENDERER_ENV = "FORMMERGE_RJSF_DIR"
"""A folder to keep the installed renderer in between runs (a temporary one by default)."""
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if npm() is None:
        pytest.skip("npm is not installed: the RJSF test installs react-jsonschema-form with it")
    folder = Path(os.environ.get(RENDERER_ENV) or tmp_path_factory.mktemp("rjsf"))
    return build_renderer(folder)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need playwright: pip install -e '.[dev]'")
    try:
        binary = find_chromium()
    except FormmergeError as exc:
        pytest.fail(f"headless Chromium is required for this test: {exc}")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=binary, args=list(CHROMIUM_FLAGS[1:]))
        yield launched
        launched.close()


class Rendered:
    """One bundle's application rendered by RJSF with its prefilled values."""

    def __init__(self, page: Any, schema: dict[str, Any], data: dict[str, Any], filled: Prefill):
        self.page, self.schema, self.data, self.filled = page, schema, data, filled
        self.errors: list[str] = []

    def control(self, section: str, field_id: str) -> Any:
        return self.page.locator(f'[id="root_{section}_{field_id}"]')

    def state(self) -> dict[str, Any]:
        return dict(self.page.evaluate("window.rjsf.ref.current.state.formData"))


def _render(
    browser: Any, script: Path, registers: Path, bundle: str, subject: str
) -> Iterator[Rendered]:
    catalog = load_catalog()
    merged = merge_bundle(load_bundle(EXAMPLES / "bundles" / bundle), catalog)
    filled = prefill(merged, subject, connection=registers)
    schema = application_schema(merged, catalog, filled)
    ui = rjsf_ui_schema(merged, catalog, filled)
    data = form_data(merged, filled.as_answers(), catalog)
    page_file = renderer_page(script, bundle, schema, ui, data)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    rendered = Rendered(page, schema, data, filled)
    page.on("pageerror", lambda exc: rendered.errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda m: rendered.errors.append(m.text) if m.type in ("error", "warning") else None,
    )
    page.goto(page_file.as_uri())
    page.wait_for_selector("html[data-ready=true]")
    yield rendered
    page.close()


@pytest.fixture(scope="module")
def subjects(demo_registers: Path) -> dict[str, str]:
    with duckdb.connect(str(demo_registers), read_only=True) as con:
        return demo_subjects(con)


@pytest.fixture(scope="module")
def newborn(
    browser: Any, script: Path, demo_registers: Path, subjects: dict[str, str]
) -> Iterator[Rendered]:
    yield from _render(browser, script, demo_registers, "newborn-birth", subjects["newborn_mother"])


@pytest.fixture
def enterprise(
    browser: Any, script: Path, demo_registers: Path, subjects: dict[str, str]
) -> Iterator[Rendered]:
    yield from _render(browser, script, demo_registers, "enterprise-change", subjects["enterprise"])


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    """Every answered value by its path; empty objects and arrays answer nothing."""
    if isinstance(value, dict):
        return {
            k: v for key, item in value.items() for k, v in _leaves(item, f"{path}/{key}").items()
        }
    if isinstance(value, list):
        return {
            k: v for i, item in enumerate(value) for k, v in _leaves(item, f"{path}/{i}").items()
        }
    return {} if value is None else {path: value}


def _plain_fields(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for key, section in schema["properties"].items():
        for field_id, prop in section["properties"].items():
            if prop["type"] != "array":
                yield key, field_id, prop


def test_every_group_is_a_fieldset_with_its_title(newborn: Rendered) -> None:
    for key, section in newborn.schema["properties"].items():
        legend = newborn.page.locator(f'fieldset[id="root_{key}"] > legend').first
        assert legend.inner_text().removesuffix("*") == section["title"]
    assert newborn.page.locator("#root__title").inner_text() == "新生儿出生一件事"
    assert newborn.errors == []


def test_verified_values_show_read_only_with_their_department(newborn: Rendered) -> None:
    locked = 0
    for key, field_id, prop in _plain_fields(newborn.schema):
        control = newborn.control(key, field_id)
        if not prop.get("readOnly"):
            continue
        locked += 1
        assert control.get_attribute("readonly") is not None or control.is_disabled(), field_id
        help_text = newborn.page.locator(f'[id="root_{key}_{field_id}__help"]').inner_text()
        assert "核验" in help_text and newborn.filled.values[field_id].department in help_text
    assert locked == len(newborn.filled.read_only) > 20
    name = newborn.control("mother", "name@mother")
    assert name.input_value() == newborn.filled.values["name@mother"].value
    name.press_sequentially("改", timeout=2_000)
    assert name.input_value() == newborn.filled.values["name@mother"].value


def test_every_enum_shows_its_options_and_labels(newborn: Rendered) -> None:
    enums = [(k, f, p) for k, f, p in _plain_fields(newborn.schema) if "enum" in p]
    assert len(enums) > 10
    for key, field_id, prop in enums:
        options = newborn.control(key, field_id).locator("option")
        labels = options.all_inner_texts()
        assert labels[1:] == prop["x-enumNames"], field_id  # after the placeholder
    ethnicity = newborn.control("mother", "ethnicity@mother")
    assert ethnicity.locator("option:checked").inner_text() == "汉族"


def test_nothing_is_pre_answered(newborn: Rendered) -> None:
    assert _leaves(newborn.state()) == _leaves(newborn.data)
    for key, field_id, prop in _plain_fields(newborn.schema):
        given = newborn.data.get(key, {}).get(field_id)
        control = newborn.control(key, field_id)
        if "enum" in prop and given is None:
            assert control.input_value() == "", field_id
        if prop["type"] == "boolean" and given is None:
            radios = newborn.page.locator(f'input[type=radio][name^="root_{key}_{field_id}"]')
            assert radios.count() == 2 and not any(radios.nth(i).is_checked() for i in range(2)), (
                field_id
            )


def test_a_bad_citizen_id_fails_the_registered_format(newborn: Rendered) -> None:
    box = newborn.control("child", "citizen_id@child")
    box.fill("420527202605200070")  # the check digit of 42052720260520007 is 4, not 0
    # RJSF's validator with the registered format (a click on submit meets the browser's own
    # required check first)
    errors = newborn.page.evaluate("window.rjsf.errors()")
    assert [".child.citizen_id@child", 'must match format "citizen-id"'] in errors
    box.fill("420527202605200074")
    errors = newborn.page.evaluate("window.rjsf.errors()")
    assert not [e for e in errors if e[0] == ".child.citizen_id@child"]
    # required booleans left empty (not: {not: {required}}), in a section nobody touched
    assert [".other", "must NOT be valid"] in errors
    assert ".guardian.name@guardian" in {e[0] for e in errors}


def test_repeating_groups_are_arrays_of_rows(enterprise: Rendered) -> None:
    section = enterprise.schema["properties"]["shareholder"]
    (key, block), *_ = ((k, p) for k, p in section["properties"].items() if p["type"] == "array")
    array = enterprise.page.locator(f'fieldset[id="root_shareholder_{key}"]')
    assert array.locator("legend").first.inner_text() == block["title"]
    before = array.locator(".rjsf-array-item").count()
    enterprise.page.locator(f'[id="root_shareholder_{key}__add"]').click()
    assert array.locator(".rjsf-array-item").count() == before + 1
    row = f"root_shareholder_{key}_{before}"
    for field_id in block["items"]["properties"]:
        assert enterprise.page.locator(f'[id="{row}_{field_id}"]').count() == 1, field_id
    added = enterprise.state()["shareholder"][key][before]
    assert _leaves(added) == {}, "a new row answers nothing"
    assert enterprise.errors == []

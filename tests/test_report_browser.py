"""The HTML report in a real browser: headless Chromium renders it without a script error.

These tests need the system's Chromium (Debian: ``apt-get install chromium``) and the
``playwright`` package, which drives that binary (no browser download). They fail, never
skip, when either is missing: CI installs both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.errors import FormmergeError
from formmerge.report import PortfolioReport, portfolio_report, to_png
from formmerge.report.browser import CHROMIUM_FLAGS, page_size, to_pdf

pytestmark = pytest.mark.browser

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report() -> PortfolioReport:
    return portfolio_report([load_bundle(d) for d in list_example_bundles()])


@pytest.fixture(scope="module")
def page_file(report: PortfolioReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    report.to_html(path, title="Example bundles")
    return path


@pytest.fixture(scope="module")
def browser_page(page_file: Path, chromium: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser tests need playwright: pip install -e '.[dev]'")
    binary = chromium
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=binary, args=list(CHROMIUM_FLAGS[1:]))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: (
                errors.append(f"console {msg.type}: {msg.text}")
                if msg.type in ("error", "warning")
                else None
            ),
        )
        page.on("request", lambda req: requests.append(req.url))
        page.goto(page_file.as_uri(), wait_until="load")
        yield page, errors, requests
        browser.close()


def test_page_loads_without_script_errors(browser_page: tuple[Any, list[str], list[str]]) -> None:
    page, errors, _ = browser_page
    assert page.title() == "Example bundles"
    assert errors == []
    # the page's own script ran to its end
    assert int(page.get_attribute("html", "data-page-height")) > 1000


def test_page_loads_nothing_from_the_network(
    browser_page: tuple[Any, list[str], list[str]], page_file: Path
) -> None:
    _, _, requests = browser_page
    assert requests == [page_file.as_uri()]


def test_charts_render_with_bars(
    browser_page: tuple[Any, list[str], list[str]], report: PortfolioReport
) -> None:
    page, _, _ = browser_page
    charts = page.locator("svg.chart")
    # five per-bundle charts for the portfolio, two per-department charts per bundle
    assert charts.count() == 5 + 2 * len(report.reports)
    for i in range(charts.count()):
        chart = charts.nth(i)
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 50
        assert chart.locator("rect.bar").count() > 0


def test_tables_are_present(
    browser_page: tuple[Any, list[str], list[str]], report: PortfolioReport
) -> None:
    page, _, _ = browser_page
    assert page.locator("#portfolio table").count() == 5
    assert page.locator("section.bundle").count() == len(report.reports)
    for r in report.reports:
        section = page.locator(f"#bundle-{r.bundle}")
        assert section.locator("table").count() == 5
        rows = section.locator("table").nth(0).locator("tbody tr")
        assert rows.count() == len(r.summary)
    first_bundle = page.locator("#portfolio table").nth(1).locator("tbody tr").first
    assert report.reports[0].bundle in first_bundle.inner_text()


def test_clicking_a_header_sorts_the_table(
    browser_page: tuple[Any, list[str], list[str]],
) -> None:
    page, errors, _ = browser_page
    table = page.locator("#portfolio table").nth(2)  # the most reused catalog items
    header = table.locator("th", has_text="部门数")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    column = [h.inner_text() for h in table.locator("th").all()].index("部门数")
    cells = table.locator(f"tbody tr td:nth-child({column + 1})").all_inner_texts()
    values = [float(c) for c in cells]
    assert values == sorted(values)
    header.click()
    cells = table.locator(f"tbody tr td:nth-child({column + 1})").all_inner_texts()
    assert [float(c) for c in cells] == sorted(values, reverse=True)
    assert errors == []


@pytest.mark.slow  # the example portfolio is taller than one screenshot: several runs
def test_to_png_takes_a_full_page_screenshot(
    page_file: Path, tmp_path: Path, chromium: str
) -> None:
    png = to_png(page_file, tmp_path / "report.png")
    data = png.read_bytes()
    assert data.startswith(PNG_MAGIC)
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert width >= 1280
    assert height > 1000
    # the page is taken at the width of its widest table: nothing is cut off on the right
    assert width >= page_size(page_file)[0]  # type: ignore[index]


def test_wide_tables_scroll_in_the_page_and_grow_for_screenshots(
    browser_page: tuple[Any, list[str], list[str]], page_file: Path
) -> None:
    widths = (
        "Array.from(document.querySelectorAll('.scroll')).map("
        "e => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX])"
    )
    context = browser_page[0].context.browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(page_file.as_uri())
    boxes = page.evaluate(widths)
    wide = [b for b in boxes if b[0] > b[1]]
    assert wide, "the example report has tables wider than the window"
    assert {b[2] for b in wide} == {"auto"}  # a reader scrolls them
    page.goto(page_file.as_uri() + "?capture")
    assert {b[2] for b in page.evaluate(widths)} == {"visible"}
    context.close()


def test_a_page_taller_than_one_screenshot_is_tiled_and_stitched(tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    page = tmp_path / "retirement.html"
    report = portfolio_report([load_bundle(d) for d in list_example_bundles()][:1])
    report.reports[0].to_html(page)
    size = page_size(page)
    assert size is not None
    width, height = size
    whole = to_png(page, tmp_path / "whole.png", width=width, height=height)
    tiled = to_png(
        page, tmp_path / "tiled.png", width=width, height=height, max_height=800, tile_height=700
    )
    with Image.open(whole) as a, Image.open(tiled) as b:
        assert a.size == b.size and a.height > 1400  # three tiles at least
        diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).convert("L")
        changed = sum(diff.point(lambda v: 255 if v > 32 else 0).histogram()[255:])
        assert changed / (a.width * a.height) < 0.001


def test_to_pdf_prints_the_whole_page(page_file: Path, tmp_path: Path, chromium: str) -> None:
    pdf = to_pdf(page_file, tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") > 3


def test_to_png_names_a_missing_page(tmp_path: Path) -> None:
    with pytest.raises(FormmergeError, match="no page to screenshot"):
        to_png(tmp_path / "missing.html", tmp_path / "x.png")

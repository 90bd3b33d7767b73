"""Headless Chromium: find it, and take a full-page screenshot of an HTML report.

formmerge uses the system's Chromium (on Debian: ``apt-get install chromium``); it never
downloads a browser. Set ``FORMMERGE_CHROMIUM`` to use another binary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from formmerge.errors import FormmergeError, Location, Problem

__all__ = [
    "CHROMIUM_ENV",
    "CHROMIUM_FLAGS",
    "CHROMIUM_NAMES",
    "DEFAULT_TIMEOUT",
    "chromium_command",
    "find_chromium",
    "page_height",
    "page_size",
    "svg_to_png",
    "to_pdf",
    "to_png",
]

CHROMIUM_ENV = "FORMMERGE_CHROMIUM"
"""Environment variable naming the Chromium binary to use."""

CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "chrome")
"""Binaries looked up on ``PATH``, in order."""

CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",  # the sandbox cannot start as root, which CI runs as
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
"""Flags for a quiet, offline, reproducible headless run."""

DEFAULT_TIMEOUT = 120.0
"""Seconds a Chromium run may take before it is stopped."""

DEFAULT_WIDTH = 1280
"""Screenshot width in pixels."""

MAX_HEIGHT = 16000
"""Tallest single screenshot; Chromium cannot capture much taller pages in one image, so a
taller page is captured in tiles of :data:`TILE_HEIGHT` pixels and stitched together."""

TILE_HEIGHT = 8000
"""Height of one tile of a page taller than :data:`MAX_HEIGHT`."""

MAX_WIDTH = 8000
"""Widest screenshot: a page wider than this (a table of very many columns) is an error that
says so, never a silently cut image."""

CAPTURE_QUERY = "capture"
"""Query parameter that lets the report's scroll boxes grow to their content."""

_HEIGHT_RE = re.compile(r'data-page-height="(\d+)"')
_WIDTH_RE = re.compile(r'data-page-width="(\d+)"')
_SVG_SIZE_RE = re.compile(r'<svg[^>]*?\swidth="(\d+)"[^>]*?\sheight="(\d+)"')


def find_chromium() -> str:
    """The path of the Chromium binary.

    Raises:
        FormmergeError: none is installed; the message says how to install one.
    """
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        if shutil.which(named) or Path(named).is_file():
            return shutil.which(named) or named
        raise FormmergeError(
            f"{CHROMIUM_ENV}={named} is not an executable; point it at a Chromium binary"
        )
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise FormmergeError(
        "headless Chromium is needed but none was found; install it "
        "(Debian/Ubuntu: apt-get install chromium) or set "
        f"{CHROMIUM_ENV} to its path"
    )


def chromium_command(profile: Path, *extra: str, binary: str | None = None) -> list[str]:
    """The command line of a headless run with a fresh profile directory."""
    return [binary or find_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *extra]


def _run(args: Sequence[str], what: str, timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            list(args), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise FormmergeError(f"Chromium did not finish {what} within {timeout:g} s") from None
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise FormmergeError(
            f"Chromium failed {what} (exit code {done.returncode})",
            [Problem("chromium-failed", tail or "no output")],
        )
    return done


def _url(path: Path, offset: int | None = None) -> str:
    query = CAPTURE_QUERY if offset is None else f"{CAPTURE_QUERY}&offset={offset}"
    return f"{path.resolve().as_uri()}?{query}"


def page_size(
    html_path: str | Path, width: int = DEFAULT_WIDTH, timeout: float = DEFAULT_TIMEOUT
) -> tuple[int, int] | None:
    """The rendered (width, height) of a formmerge report page in capture mode.

    The width is at least ``width``: more when a table is wider than the window.
    """
    with tempfile.TemporaryDirectory(prefix="formmerge-chromium-") as profile:
        done = _run(
            chromium_command(
                Path(profile), f"--window-size={width},800", "--dump-dom", _url(Path(html_path))
            ),
            "to render the page",
            timeout,
        )
    height, found_width = _HEIGHT_RE.search(done.stdout), _WIDTH_RE.search(done.stdout)
    if height is None:
        return None
    return max(width, int(found_width.group(1)) if found_width else width), int(height.group(1))


def page_height(
    html_path: str | Path, width: int = DEFAULT_WIDTH, timeout: float = DEFAULT_TIMEOUT
) -> int | None:
    """The rendered height of a formmerge report page, as its script records it."""
    size = page_size(html_path, width, timeout)
    return None if size is None else size[1]


def _check_page(source: Path) -> None:
    if not source.is_file():
        raise FormmergeError(
            f"no page to screenshot at {source}",
            [Problem("file-not-found", "write the HTML report first", Location(file=str(source)))],
        )


def _screenshot(
    source: Path, target: Path, width: int, height: int, offset: int | None, timeout: float
) -> None:
    with tempfile.TemporaryDirectory(prefix="formmerge-chromium-") as profile:
        _run(
            chromium_command(
                Path(profile),
                f"--window-size={width},{height}",
                f"--screenshot={target}",
                _url(source, offset) if offset is not None else _url(source),
            ),
            "to take the screenshot",
            timeout,
        )
    if not target.is_file():
        raise FormmergeError(f"Chromium wrote no screenshot to {target}")


def _stitch(tiles: Sequence[Path], target: Path, width: int, height: int) -> None:
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency
        raise FormmergeError(
            f"the page is {height} px tall, more than one screenshot ({MAX_HEIGHT} px); "
            "stitching its tiles needs Pillow (pip install pillow), or write a PDF instead"
        ) from None
    canvas = Image.new("RGB", (width, height), "white")
    top = 0
    for tile in tiles:
        with Image.open(tile) as image:
            canvas.paste(image.convert("RGB"), (0, top))
            top += image.height
    canvas.save(target, optimize=True)


def _measure(source: Path, width: int, timeout: float) -> tuple[int, int]:
    size = page_size(source, width, timeout) or (width, DEFAULT_WIDTH)
    if size[0] > width:  # a wide table: take the page at its own width
        size = page_size(source, size[0], timeout) or size
    if size[0] > MAX_WIDTH:
        raise FormmergeError(
            f"{source}: the page is {size[0]} px wide, more than the widest screenshot "
            f"({MAX_WIDTH} px); write fewer columns or read the HTML or XLSX report",
            [
                Problem(
                    "page-too-wide", f"{size[0]} px > {MAX_WIDTH} px", Location(file=str(source))
                )
            ],
        )
    return size


def to_png(
    html_path: str | Path,
    png_path: str | Path,
    *,
    width: int = DEFAULT_WIDTH,
    height: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_height: int = MAX_HEIGHT,
    tile_height: int = TILE_HEIGHT,
) -> Path:
    """Screenshot an HTML page with headless Chromium, whatever its length.

    A page taller than :data:`MAX_HEIGHT` is taken in tiles and stitched into one PNG; a table
    wider than the window widens the screenshot, so nothing is cut off on the right.

    Args:
        html_path: the page, e.g. a report written by ``to_html``.
        png_path: where to write the PNG.
        width: the narrowest viewport, in pixels.
        height: the height to take; by default the page's full height, measured in a first
            run (which also measures the width of its widest table).
        timeout: seconds each Chromium run may take.
        max_height: the tallest page taken in one screenshot; a taller one is tiled.
        tile_height: the height of each tile.

    Returns:
        The PNG's path.

    Raises:
        FormmergeError: the page does not exist or is wider than :data:`MAX_WIDTH`, Chromium
            is missing or failed, or no PNG was written.
    """
    source = Path(html_path)
    _check_page(source)
    # measured even when the height is given: a table wider than the window widens the shot
    width, full_height = _measure(source, width, timeout)
    height = height or full_height
    target = Path(png_path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if height <= max_height:
        _screenshot(source, target, width, height, None, timeout)
        return target
    with tempfile.TemporaryDirectory(prefix="formmerge-tiles-") as scratch:
        tiles = []
        for i, top in enumerate(range(0, height, tile_height)):
            tile = Path(scratch) / f"tile-{i}.png"
            _screenshot(source, tile, width, min(tile_height, height - top), top, timeout)
            tiles.append(tile)
        _stitch(tiles, target, width, height)
    return target


def to_pdf(
    html_path: str | Path, pdf_path: str | Path, *, timeout: float = DEFAULT_TIMEOUT
) -> Path:
    """Print an HTML page to PDF with headless Chromium (any length: the PDF has pages).

    Raises:
        FormmergeError: the page does not exist, Chromium is missing or failed, or no PDF
            was written.
    """
    source = Path(html_path)
    _check_page(source)
    target = Path(pdf_path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="formmerge-chromium-") as profile:
        _run(
            chromium_command(
                Path(profile),
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                _url(source),
            ),
            "to print the PDF",
            timeout,
        )
    if not target.is_file():
        raise FormmergeError(f"Chromium wrote no PDF to {target}")
    return target


def svg_to_png(
    svg_path: str | Path, png_path: str | Path, *, timeout: float = DEFAULT_TIMEOUT
) -> Path:
    """A chart written as SVG (``width`` and ``height`` on its root) as a PNG of that size.

    Raises:
        FormmergeError: the file does not exist or states no size, or Chromium failed.
    """
    source = Path(svg_path)
    _check_page(source)
    found = _SVG_SIZE_RE.search(source.read_text(encoding="utf-8"))
    if found is None:
        raise FormmergeError(f"{source}: the SVG states no width and height to render it at")
    target = Path(png_path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    _screenshot(source, target, int(found.group(1)), int(found.group(2)), None, timeout)
    return target

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
"""Tallest screenshot taken; Chromium cannot capture much taller pages in one image."""

_HEIGHT_RE = re.compile(r'data-page-height="(\d+)"')


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


def page_height(
    html_path: str | Path, width: int = DEFAULT_WIDTH, timeout: float = DEFAULT_TIMEOUT
) -> int | None:
    """The rendered height of a formmerge report page, as its script records it."""
    url = Path(html_path).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="formmerge-chromium-") as profile:
        done = _run(
            chromium_command(Path(profile), f"--window-size={width},800", "--dump-dom", url),
            "to render the page",
            timeout,
        )
    found = _HEIGHT_RE.search(done.stdout)
    return int(found.group(1)) if found else None


def to_png(
    html_path: str | Path,
    png_path: str | Path,
    *,
    width: int = DEFAULT_WIDTH,
    height: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Screenshot an HTML page with headless Chromium.

    Args:
        html_path: the page, e.g. a report written by ``to_html``.
        png_path: where to write the PNG.
        width: viewport width in pixels.
        height: viewport height; by default the page's full height (up to
            :data:`MAX_HEIGHT`), measured in a first run.
        timeout: seconds each Chromium run may take.

    Returns:
        The PNG's path.

    Raises:
        FormmergeError: the page does not exist, Chromium is missing or failed, or no PNG
            was written.
    """
    source = Path(html_path)
    if not source.is_file():
        raise FormmergeError(
            f"no page to screenshot at {source}",
            [Problem("file-not-found", "write the HTML report first", Location(file=str(source)))],
        )
    if height is None:
        height = min(MAX_HEIGHT, page_height(source, width, timeout) or DEFAULT_WIDTH)
    target = Path(png_path).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="formmerge-chromium-") as profile:
        _run(
            chromium_command(
                Path(profile),
                f"--window-size={width},{height}",
                f"--screenshot={target}",
                source.resolve().as_uri(),
            ),
            "to take the screenshot",
            timeout,
        )
    if not target.is_file():
        raise FormmergeError(f"Chromium wrote no screenshot to {target}")
    return target

"""The application schema in react-jsonschema-form: install it from npm, bundle it, render it.

``build_renderer(folder)`` installs @rjsf/core 6 with the ajv8 validator, React 18 and esbuild
from the npm registry into ``folder`` and bundles a small entry of our own (which registers
the check-digit formats the schema names, and takes ajv's 2020-12 class as RJSF documents for
that dialect) into one script; ``renderer_page`` writes a page
that renders a schema, uiSchema and form data with that script under default RJSF settings.
Used by tests/test_frontend_rjsf.py and by ``python -m benchmarks.screenshots``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["NPM_PACKAGES", "NpmMissingError", "build_renderer", "npm", "renderer_page"]

NPM_PACKAGES = (
    "@rjsf/core@6",
    "@rjsf/utils@6",
    "@rjsf/validator-ajv8@6",
    "react@18",
    "react-dom@18",
    "esbuild@0.28",
)
"""What the renderer is built from (exact versions come from the registry at install time)."""
INSTALL_TIMEOUT_SECONDS = 600

ENTRY = r"""
import React, { useEffect } from "react";
import { createRoot } from "react-dom/client";
import Form from "@rjsf/core";
import { customizeValidator } from "@rjsf/validator-ajv8";
import Ajv2020 from "ajv/dist/2020";

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

function isCitizenId(value) {
  const text = String(value).toUpperCase();
  if (!/^\d{17}[0-9X]$/.test(text)) return false;
  let total = 0;
  for (let i = 0; i < 17; i += 1) total += Number(text[i]) * ID_WEIGHTS[i];
  return "10X98765432"[total % 11] === text[17];
}

function isCreditCode(value) {
  const text = String(value).toUpperCase();
  if (text.length !== 18 || [...text].some((c) => !USCC.includes(c))) return false;
  let total = 0;
  for (let i = 0; i < 17; i += 1) total += USCC.indexOf(text[i]) * USCC_WEIGHTS[i];
  return USCC[(31 - (total % 31)) % 31] === text[17];
}

// the schema's dialect is 2020-12: RJSF's documented way is ajv's 2020 class
const validator = customizeValidator({
  AjvClass: Ajv2020,
  customFormats: {
    "citizen-id": isCitizenId,
    uscc: isCreditCode,
    mobile: /^1[3-9]\d{9}$/,
    "postal-code": /^\d{6}$/,
    "region-code": /^\d{6}$/,
    vin: /^[A-HJ-NPR-Z0-9]{17}$/,
  },
});

const data = JSON.parse(document.getElementById("data").textContent);
const ref = React.createRef();
window.rjsf = {
  ref,
  errors: () =>
    validator
      .validateFormData(ref.current.state.formData, data.schema)
      .errors.map((e) => [e.property, e.message]),
};

function App() {
  useEffect(() => {
    document.documentElement.dataset.ready = "true";
  }, []);
  return (
    <Form
      ref={ref}
      schema={data.schema}
      uiSchema={data.ui}
      formData={data.formData}
      validator={validator}
    />
  );
}

createRoot(document.getElementById("root")).render(<App />);
"""

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 14px/1.5 "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 16px 28px; }}
fieldset {{ border: 1px solid #ccd; margin: 8px 0; padding: 4px 12px; }}
legend {{ font-weight: 600; }}
.form-group {{ margin: 4px 0; }}
.control-label {{ display: block; color: #555; }}
input, select {{ min-width: 280px; padding: 2px 4px; }}
.help-block {{ color: #1e7b34; font-size: 12px; margin: 0; }}
</style></head>
<body><div id="root"></div>
<script type="application/json" id="data">{data}</script>
<script src="rjsf.js"></script></body></html>
"""


class NpmMissingError(RuntimeError):
    """npm is not on PATH."""


def npm() -> str | None:
    """The npm executable, if there is one."""
    return shutil.which("npm")


def build_renderer(folder: Path) -> Path:
    """Install the renderer's packages into ``folder`` and bundle the entry; the script's path.

    Raises:
        NpmMissingError: npm is not installed.
        subprocess.CalledProcessError: the install or the bundling failed.
    """
    binary = npm()
    if binary is None:
        raise NpmMissingError("npm is not installed (Debian: apt-get install npm)")
    folder = folder.resolve()  # npm and esbuild run inside it: a relative path would move
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "rjsf.js"
    if not (folder / "node_modules" / ".bin" / "esbuild").exists():
        (folder / "package.json").write_text(
            '{"name": "formmerge-rjsf", "private": true, "version": "0.0.0"}', encoding="utf-8"
        )
        subprocess.run(
            [binary, "install", "--no-audit", "--no-fund", "--loglevel=error", *NPM_PACKAGES],
            cwd=folder,
            check=True,
            capture_output=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
        )
    (folder / "entry.jsx").write_text(ENTRY, encoding="utf-8")
    subprocess.run(
        [
            str(folder / "node_modules" / ".bin" / "esbuild"),
            "entry.jsx",
            "--bundle",
            "--minify",
            "--jsx=automatic",
            '--define:process.env.NODE_ENV="production"',
            f"--outfile={script.name}",
            "--log-level=error",
        ],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    return script


def renderer_page(
    script: Path,
    name: str,
    schema: dict[str, Any],
    ui: dict[str, Any],
    form_data: dict[str, Any],
) -> Path:
    """A page beside ``script`` that renders the schema with RJSF's default settings."""
    data = json.dumps({"schema": schema, "ui": ui, "formData": form_data}, ensure_ascii=False)
    page = script.parent / f"{name}.html"
    text = PAGE.format(title=schema.get("title", name), data=data.replace("</", "<\\/"))
    page.write_text(text, encoding="utf-8")
    return page

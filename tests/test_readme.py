"""The README's Python example runs as written (on small generated registers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import formmerge.demodata

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMMERGE_DEMO_DB", str(tmp_path / "demo.duckdb"))
    monkeypatch.chdir(README.parent)
    match = re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert match is not None
    code = match.group(1).replace("ensure_demo_data()", "ensure_demo_data(persons=2_000)")
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)
    assert namespace["result"].payloads  # type: ignore[attr-defined]
    assert formmerge.demodata.default_demo_path() == tmp_path / "demo.duckdb"

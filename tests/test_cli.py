"""The command line: each subcommand on real files; errors are messages, not tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from formmerge.bundle import list_example_bundles
from formmerge.cli import main

NEWBORN = next(p for p in list_example_bundles() if p.name == "newborn-birth")


def test_catalog_lists_at_least_120_items(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    assert "citizen_id" in out
    first_line = out.strip().splitlines()[0]
    count = int(first_line.split()[0])
    assert count >= 120


def test_catalog_search_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--search", "身份证号"]) == 0
    assert "citizen_id" in capsys.readouterr().out
    assert main(["catalog", "--show", "uscc"]) == 0
    assert "tyshxydm" in capsys.readouterr().out


def test_inspect_shows_the_parsed_fields(capsys: pytest.CaptureFixture[str]) -> None:
    form = NEWBORN / "forms" / "03-birth-registration.csv"
    assert main(["inspect", str(form)]) == 0
    out = capsys.readouterr().out
    assert "birth-registration" in out and "csr/xm" in out


def test_merge_writes_the_merged_form_and_schema(tmp_path: Path) -> None:
    out = tmp_path / "merged.json"
    assert main(["merge", str(NEWBORN), "-o", str(out)]) == 0
    merged = json.loads(out.read_text(encoding="utf-8"))
    assert {f["id"] for f in merged["fields"]} >= {"name@child", "citizen_id@father"}
    schema = tmp_path / "schema.json"
    assert main(["merge", str(NEWBORN), "-o", str(schema), "--json-schema"]) == 0
    assert "name@child" in json.loads(schema.read_text(encoding="utf-8"))["properties"]


def test_review_lists_the_queue_and_records_decisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decisions = tmp_path / "decisions.yaml"
    forms = str(NEWBORN / "forms")
    assert main(["review", forms, "--decisions", str(decisions)]) == 0
    assert "review queue" in capsys.readouterr().out
    args = ["review", "--decisions", str(decisions), "--confirm", "hukou_address@father"]
    assert main([*args, "--field", "birth-medical-certificate:fq/zz"]) == 0
    assert "hukou_address" in decisions.read_text(encoding="utf-8")


def test_a_bad_form_is_an_error_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nfields:\n  - {key: a, type: colour}\n", encoding="utf-8")
    assert main(["inspect", str(bad)]) == 2
    out = capsys.readouterr().out
    assert "bad.yaml" in out and "Traceback" not in out


def test_an_unknown_decision_item_is_an_error(tmp_path: Path) -> None:
    decisions = tmp_path / "d.yaml"
    args = ["review", "--decisions", str(decisions), "--confirm", "nothing@applicant"]
    assert main([*args, "--field", "f:x"]) == 2


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


NO_FIELDS = "id: empty\ntitle: 空表\nfields: []\n"


@pytest.mark.parametrize(
    ("files", "args", "code"),
    [
        # These ended in a ZeroDivisionError.
        ({"a.yaml": NO_FIELDS}, ["merge", "{dir}/a.yaml"], "no-fields"),
        ({"bundle/forms/a.yaml": NO_FIELDS}, ["merge", "{dir}/bundle"], "no-forms"),
        # An explicitly given decisions file that does not exist gave zero decisions.
        ({}, ["merge", str(NEWBORN), "--decisions", "{dir}/missing.yaml"], "file-not-found"),
        ({"d.yaml": "decision: []\n"}, ["merge", str(NEWBORN), "--decisions", "{dir}/d.yaml"],
         "unknown-attribute"),
        ({"bundle/x.txt": ""}, ["prefill", "{dir}/bundle", "--subject", "1"], "file-not-found"),
        ({"r.yaml": "id: x\nid: y\n"}, ["verify", str(NEWBORN), "--subject", "1", "--rules",
         "{dir}/r.yaml"], "duplicate-mapping-key"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_printing_the_located_code(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    args: list[str],
    code: str,
) -> None:
    for name, text in files.items():
        _write(tmp_path / name, text)
    assert main([arg.replace("{dir}", str(tmp_path)) for arg in args]) == 2
    out = capsys.readouterr().out
    assert f"[{code}]" in out and "Traceback" not in out


def test_inspect_shows_notes_and_strict_refuses_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "f.schema.json"
    properties = {"name": {"type": "string"}, "tags": {"type": "array", "items": {}, "minItems": 1}}
    schema.write_text(json.dumps({"type": "object", "properties": properties}), encoding="utf-8")
    assert main(["inspect", str(schema)]) == 0
    assert "/properties/tags/minItems" in capsys.readouterr().out
    assert main(["inspect", "--strict", str(schema)]) == 2
    out = capsys.readouterr().out
    assert "/properties/tags/minItems" in out and "[ignored-keyword]" in out
    other = tmp_path / "g.schema.json"
    other.write_text(json.dumps({"type": "object", "properties": {"name": {}}}), encoding="utf-8")
    assert main(["merge", str(other), str(schema)]) == 0
    assert main(["merge", "--strict", str(other), str(schema)]) == 2
    assert "f.schema.json" in capsys.readouterr().out


def test_help_is_built_without_the_verbs_or_their_libraries() -> None:
    script = (
        "import sys\nfrom formmerge.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('LOADED', ' '.join(sorted(sys.modules)))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert "report" in done.stdout and "demo-data" in done.stdout  # every subcommand listed
    loaded = set(done.stdout.split("LOADED", 1)[1].split())
    for module in ("pandas", "openpyxl", "jinja2", "numpy", "formmerge.matching"):
        assert module not in loaded, module

"""The ``formmerge report`` subcommand, run through its own argument parser."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from formmerge.bundle import list_example_bundles
from formmerge.report.command import register_report_command


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="formmerge")
    register_report_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["report", *argv])
    result: int = args.handler(args)
    return result


def _example(name: str) -> str:
    return str(next(p for p in list_example_bundles() if p.name == name))


def test_one_bundle_writes_every_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _run(
        [
            _example("retirement"),
            "--html",
            str(tmp_path / "r.html"),
            "--csv",
            str(tmp_path / "csv"),
            "--json",
            str(tmp_path / "r.json"),
            "--markdown",
            str(tmp_path / "r.md"),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "提交材料" in out and "已写出" in out
    assert "预填依据：formmerge 自带的演示数据源配置" in out  # the basis, said plainly
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        f"retirement.{t}.csv"
        for t in ("by_department", "by_form", "fields", "materials", "summary")
    ]
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert data["bundle"] == "retirement"
    assert data["summary"][2]["metric"] == "materials"
    assert data["summary"][2]["before"] == 12
    assert (tmp_path / "r.md").read_text("utf-8").startswith("# 退休一件事")
    assert "<svg" in (tmp_path / "r.html").read_text("utf-8")


def test_several_bundles_make_a_portfolio(tmp_path: Path) -> None:
    names = ["newborn-birth", "enterprise-change"]
    assert _run([*(_example(n) for n in names), "--json", str(tmp_path / "p.json")]) == 0
    data = json.loads((tmp_path / "p.json").read_text("utf-8"))
    assert [b["bundle"] for b in data["bundles"]] == names
    assert data["summary"][1]["metric"] == "fields"
    assert data["summary"][1]["before"] == 105 + 108

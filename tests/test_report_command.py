"""The ``formmerge report`` subcommand, run through its own argument parser."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from formmerge.bundle import list_example_bundles
from formmerge.report.command import register_report_command
from formmerge.report.messages import header


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


def test_english_words_on_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    md = tmp_path / "r.md"
    assert _run([_example("retirement"), "--lang", "en", "--markdown", str(md)]) == 0
    out = capsys.readouterr().out
    assert "Materials" in out and "wrote" in out and "提交材料" not in out
    assert "| Metric | Before | After merge |" in md.read_text("utf-8")


def test_sources_config_is_the_named_basis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "registers.yaml"
    config.write_text(
        (Path(__file__).parents[1] / "examples/sources/demo.yaml").read_text("utf-8"), "utf-8"
    )
    out_json = tmp_path / "r.json"
    args = [_example("retirement"), "--sources", str(config), "--json", str(out_json)]
    assert _run([*args, "--html", str(tmp_path / "r.html")]) == 0
    out = capsys.readouterr().out
    assert "数据源配置 registers.yaml" in out and "演示" not in out
    assert json.loads(out_json.read_text("utf-8"))["basis"] == "static: registers.yaml"
    assert "数据源配置 registers.yaml" in (tmp_path / "r.html").read_text("utf-8")


@pytest.mark.browser  # the PNG of the histogram
def test_cohort_from_a_file_of_keys_into_every_output(
    tmp_path: Path, demo_registers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    from formmerge.report.cohort import cohort_subjects

    _, keys = cohort_subjects("newborn_mothers", demo_registers)
    file = tmp_path / "mothers.txt"
    file.write_text("\n".join(keys) + "\n", encoding="utf-8")
    xlsx, charts, html = tmp_path / "r.xlsx", tmp_path / "charts", tmp_path / "r.html"
    args = [_example("newborn-birth"), "--cohort", str(file), "--registers", str(demo_registers)]
    args += ["--xlsx", str(xlsx), "--charts", str(charts), "--html", str(html)]
    args += ["--json", str(tmp_path / "r.json"), "--markdown", str(tmp_path / "r.md")]
    assert _run(args) == 0
    out = capsys.readouterr().out
    assert "群体预填：mothers.txt" in out and "中位数" in out
    book = load_workbook(xlsx)
    assert {"cohort_statistics", "cohort_histogram", "cohort_subjects"} <= set(book.sheetnames)
    assert book["cohort_subjects"].max_row == len(keys) + 1
    assert book["cohort_statistics"]["A2"].value == "对象数"
    assert (charts / "newborn-birth.cohort.svg").read_text("utf-8").startswith("<svg")
    assert (charts / "newborn-birth.cohort.png").read_bytes().startswith(b"\x89PNG")
    assert 'class="chart histogram"' in html.read_text("utf-8")
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    (cohort,) = data["cohorts"]
    assert cohort["cohort"] == "mothers.txt" and len(cohort["cohort_subjects"]) == len(keys)
    assert cohort["cohort_statistics"][0] == {"statistic": "subjects", "value": len(keys)}
    assert "| 中位数 |" in (tmp_path / "r.md").read_text("utf-8")


def test_cohort_without_registers_is_refused_not_faked(tmp_path: Path) -> None:
    from formmerge.errors import FormmergeError

    with pytest.raises(FormmergeError) as caught:
        _run([_example("newborn-birth"), "--cohort", "newborn_mothers"])
    assert caught.value.problems[0].code == "no-registers"


def test_csv_headers_are_words_in_the_language_and_ids_on_request(tmp_path: Path) -> None:
    bundle = _example("retirement")
    assert (
        _run(
            [
                bundle,
                "--lang",
                "en",
                "--csv",
                str(tmp_path / "w"),
                "--json",
                str(tmp_path / "r.json"),
            ]
        )
        == 0
    )
    assert _run([bundle, "--csv", str(tmp_path / "zh")]) == 0
    assert _run([bundle, "--csv", str(tmp_path / "ids"), "--csv-headers", "ids"]) == 0
    name = "retirement.by_department.csv"
    ids = (tmp_path / "ids" / name).read_text("utf-8-sig").splitlines()[0].split(",")
    words = (tmp_path / "w" / name).read_text("utf-8-sig").splitlines()[0].split(",")
    chinese = (tmp_path / "zh" / name).read_text("utf-8-sig").splitlines()[0].split(",")
    assert "fields_after_merge" in ids and "fields_after_merge" not in words
    assert words == [header(c, "en") for c in ids]
    assert chinese == [header(c, "zh") for c in ids] and "部门仍收到的字段" in chinese
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert "fields_after_merge" in data["by_department"][0]  # JSON keeps the identifiers
    assert data["headers"]["fields_after_merge"] == header("fields_after_merge", "en")


def test_as_and_bind_report_what_a_bound_application_asks(tmp_path: Path) -> None:
    from formmerge.bundle import load_bundle
    from formmerge.report.metrics import bundle_report

    bundle = _example("newborn-birth")
    free, bound = tmp_path / "free.json", tmp_path / "bound.json"
    assert _run([bundle, "--json", str(free)]) == 0
    assert _run([bundle, "--as", "mother", "--bind", "guardian=mother", "--json", str(bound)]) == 0
    before, after = json.loads(free.read_text()), json.loads(bound.read_text())
    expected = bundle_report(
        load_bundle(bundle), binding={"applicant": "mother", "guardian": "mother"}
    ).to_dict()
    assert before["saved_by_identities"] == 0
    assert after["summary"] == expected["summary"]
    assert after["saved_by_identities"] == expected["saved_by_identities"] > 0

    def merged_fields(data: dict[str, Any]) -> float:
        return next(r["after_merge"] for r in data["summary"] if r["metric"] == "fields")

    assert merged_fields(after) == merged_fields(before) - after["saved_by_identities"]

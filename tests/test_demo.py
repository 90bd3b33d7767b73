"""``formmerge demo``: the README's main command, end to end on small generated registers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml
from rich.console import Console

from formmerge.bundle import load_expected
from formmerge.cli import main
from formmerge.demo import DEMO_BINDING, DEMO_BUNDLE, DemoRun, print_demo, run_demo
from formmerge.errors import SourceError
from formmerge.merging import merge_bundle
from formmerge.prefill import load_sources, prefill
from formmerge.resources import data_path
from formmerge.splitting import split
from formmerge.validators import parse_citizen_id


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    registers = tmp_path_factory.mktemp("demo") / "registers.duckdb"
    return run_demo(registers, persons=3_000, progress=False)


def test_the_demo_merges_the_bundle_as_expected(demo: DemoRun) -> None:
    expected = load_expected(data_path("examples") / "bundles" / DEMO_BUNDLE)
    assert len(merge_bundle(demo.bundle).fields) == expected.merged_fields
    # the mother applies as the guardian: 6 fields asked of her twice go (tests/test_identities.py)
    assert len(demo.merged.fields) == expected.merged_fields - 6


def test_the_demo_asks_each_of_the_mothers_items_once(demo: DemoRun) -> None:
    assert dict(demo.merged.binding) == DEMO_BINDING
    her = [f.item for f in demo.merged.fields if f.role in ("mother", "applicant", "guardian")]
    assert len(her) == len(set(her))
    assert {"name", "citizen_id", "mobile"} <= set(her)
    assert demo.fields_before == sum(len(f.fields) for f in demo.bundle.forms)


def test_prefilled_values_are_the_registers_values(demo: DemoRun) -> None:
    with duckdb.connect(str(demo.registers), read_only=True) as con:
        row = con.execute(
            "SELECT name FROM population WHERE citizen_id = ?", [demo.subject]
        ).fetchone()
        child = con.execute(
            "SELECT child_name FROM birth_certificate WHERE mother_citizen_id = ? "
            "ORDER BY birth_time DESC LIMIT 1",
            [demo.subject],
        ).fetchone()
    assert row is not None and child is not None
    assert demo.prefilled.values["name@mother"].value == row[0]
    assert demo.prefilled.values["name@child"].value == child[0]
    assert demo.prefilled.values["citizen_id@mother"].read_only


def test_every_field_is_prefilled_or_left_to_type(demo: DemoRun) -> None:
    ids = {f.id for f in demo.merged.fields}
    derived = set(demo.prefilled.derived)
    assert set(demo.prefilled.values) | set(demo.prefilled.to_type) | derived == ids
    assert not set(demo.prefilled.values) & set(demo.prefilled.to_type)
    assert not derived & (set(demo.prefilled.values) | set(demo.prefilled.to_type))
    assert 0 < demo.fields_to_type < len(demo.merged.fields)


def test_the_printout_masks_id_numbers(demo: DemoRun) -> None:
    console = Console(record=True, width=120)
    print_demo(demo, console)
    text = " ".join(console.export_text().split())
    assert "left to type" in text
    assert demo.subject not in text
    assert demo.subject[:6] + "********" + demo.subject[-4:] in text


def test_the_cli_demo_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registers = tmp_path / "r.duckdb"
    assert main(["demo", "--registers", str(registers), "--persons", "2000"]) == 0
    assert "一表申请" in capsys.readouterr().out


def test_cli_verify_reads_what_the_rules_declare(
    demo: DemoRun, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = str(data_path("examples") / "bundles" / DEMO_BUNDLE)
    code = main(["verify", bundle, "--subject", demo.subject, "--registers", str(demo.registers)])
    out = capsys.readouterr().out
    assert code in (0, 1)  # 1: some rule did not pass; never 2 (an error)
    assert "parents-married" in out
    assert demo.subject not in out


def test_prefill_reads_declared_extra_items_and_nothing_else(demo: DemoRun) -> None:
    extra = "marital_status@father"
    result = prefill(demo.merged, demo.subject, connection=demo.registers, reads=[extra])
    assert extra in result.values
    assert extra not in result.to_type
    assert result.audit is not None
    read = {item for record in result.audit.records() for item in record.items}
    assert "marital_status" in read
    with pytest.raises(SourceError):
        prefill(demo.merged, demo.subject, connection=demo.registers, reads=["no_such@father"])


def test_cli_prefill_writes_the_values(demo: DemoRun, tmp_path: Path) -> None:
    out = tmp_path / "values.json"
    bundle = str(data_path("examples") / "bundles" / DEMO_BUNDLE)
    args = ["prefill", bundle, "--subject", demo.subject, "--registers", str(demo.registers)]
    assert main([*args, "-o", str(out)]) == 0
    assert "name@mother" in out.read_text(encoding="utf-8")


def test_cli_prefill_names_a_source_it_could_not_read(
    demo: DemoRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = load_sources().model_dump(by_alias=True, exclude_none=True)
    broken = config["sources"][0]
    broken["relation"] = "no_such_table"
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    bundle = str(data_path("examples") / "bundles" / DEMO_BUNDLE)
    args = ["prefill", bundle, "--subject", demo.subject, "--registers", str(demo.registers)]
    assert main([*args, "--sources", str(sources)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "source not read" in printed and broken["id"] in printed
    assert demo.subject not in printed


@pytest.mark.parametrize("subject", ["123", "110101190001011009"])
def test_cli_prefill_of_a_subject_no_register_holds_says_so_and_exits_1(
    demo: DemoRun, subject: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = str(data_path("examples") / "bundles" / DEMO_BUNDLE)
    args = ["prefill", bundle, "--subject", subject, "--registers", str(demo.registers)]
    assert main(args) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "subject not found" in printed and "[subject-not-found]" in printed


def test_a_subject_no_register_holds_is_a_problem_and_a_known_one_is_not(demo: DemoRun) -> None:
    unknown = prefill(demo.merged, "110101190001011009", connection=demo.registers)
    assert unknown.values == {}
    # the demo binds the applicant to the mother: one key, one problem naming both roles
    assert [(p.code, p.location.field) for p in unknown.problems] == [
        ("subject-not-found", "applicant")
    ]
    assert "applicant / mother" in unknown.problems[0].message
    known = prefill(demo.merged, demo.subject, connection=demo.registers)
    assert known.values
    assert "subject-not-found" not in {p.code for p in known.problems}


def test_the_mothers_age_is_derived_with_her_id_numbers_provenance(demo: DemoRun) -> None:
    age = demo.prefilled.values["age@mother"]
    source = demo.prefilled.values["citizen_id@mother"]
    assert age.derived_from == "citizen_id@mother"
    assert (age.source, age.department, age.read_only) == (
        source.source,
        source.department,
        source.read_only,
    )
    born = parse_citizen_id(demo.subject).birth_date
    today = date.today()
    assert age.value == today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert "age@mother" not in demo.prefilled.to_type


def test_the_father_applying_is_the_demo_subject(demo: DemoRun) -> None:
    run = run_demo(demo.registers, persons=3_000, progress=False, binding={"applicant": "father"})
    assert run.subject != demo.subject
    assert dict(run.merged.binding) == {"applicant": "father"}
    assert run.prefilled.values["citizen_id@father"].value == run.subject
    assert "name@guardian" in {f.id for f in run.merged.fields}  # not bound: asked apart


def test_a_bound_prefill_reads_the_mother_once(demo: DemoRun) -> None:
    unbound = merge_bundle(demo.bundle)
    bound = prefill(unbound, demo.subject, connection=demo.registers, binding=DEMO_BINDING)
    assert bound.form == unbound.id
    assert "name@applicant" not in bound.values and "name@guardian" not in bound.to_type
    assert bound.values["name@mother"] == demo.prefilled.values["name@mother"]
    assert bound.audit is not None
    reads = [r for r in bound.audit.records() if not r.source.startswith("relation:")]
    # every (source, role) is read once, and neither bound role is read for her items
    pairs = [(r.source, r.role) for r in reads]
    assert len(pairs) == len(set(pairs))
    read_as = {(item, r.role) for r in reads for item in r.items}
    assert not {("name", "applicant"), ("name", "guardian"), ("citizen_id", "applicant")} & read_as
    assert ("name", "mother") in read_as


def test_the_birth_time_is_offered_and_each_form_gets_it_at_its_own_precision(
    demo: DemoRun,
) -> None:
    offered = demo.prefilled.values["birth_time@child"]
    assert offered.read_only and offered.value.count(":") == 2  # the register keeps seconds
    result = split(demo.merged, demo.prefilled.as_answers())
    assert "lossy-value" not in {p.code for p in result.problems}
    (held,) = [p for p in result.problems if p.code == "held-at-form-precision"]
    assert (held.location.form, held.location.field) == ("birth-medical-certificate", "xsr/cssj")
    written = result.payloads["birth-medical-certificate"]["xsr"]["cssj"]
    assert written.endswith("分") and "秒" not in written

"""Reading rules files: every malformed or unsafe rule is rejected at load time, by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from formmerge.errors import RuleError
from formmerge.rules import load_rules, parse_rules
from formmerge.rules.functions import FUNCTIONS


def _rules_text(condition: str, *, rule_id: str = "the-rule", extra: str = "") -> str:
    data: dict[str, Any] = {
        "id": "test-rules",
        "params": {"enrolment_year": 2026, "district": "420502", "married": ["20", "21"]},
        "rules": [
            {
                "id": rule_id,
                "condition": condition,
                "message": {"zh": "不符合条件", "en": "Not eligible"},
            }
        ],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + extra


def _reject(text: str, **kwargs: Any) -> RuleError:
    with pytest.raises(RuleError) as caught:
        parse_rules(text, file="rules.yaml", **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        # SQL fragments
        ("1; DROP TABLE x", "rule-syntax"),
        ("child.citizen_id == 'a' || (select password from users)", "rule-syntax"),
        ("child.citizen_id == '1' or 1=1", "rule-syntax"),
        ("child.citizen_id == '1' -- comment", "unknown-name"),
        ("child.citizen_id == '1' /* c */", "rule-syntax"),
        ("(select 1) == 1", "rule-syntax"),
        # functions outside the table
        ('system("ls")', "unknown-function"),
        ("read_csv('/etc/passwd') == 1", "unknown-function"),
        ('eval("1 + 1") == 2', "unknown-function"),
        ('open("/etc/passwd") == 1', "unknown-function"),
        ('getattr(child, "birth_date") == 1', "unknown-function"),
        ("query('select 1') == 1", "unknown-function"),
        # attribute tricks and dunder names
        ('__import__("os")', "unsafe-name"),
        ("child.__class__ == 1", "unsafe-name"),
        ("child.birth_date.__class__ == 1", "unsafe-name"),
        ("child.birth_date.year == 2020", "rule-syntax"),
        ("_hidden == 1", "unsafe-name"),
        ("child.birth_date[0] == 1", "rule-syntax"),
        # unknown items, roles and names
        ("child.shoe_size > 30", "unknown-item"),
        ("cousin.birth_date < today()", "unknown-role"),
        ("organization.birth_date < today()", "role-not-allowed"),
        ("enrolment_yr == 2026", "unknown-name"),
        ("birth_date@child < today()", "rule-syntax"),
        # type mismatches
        ("child.birth_date > 5", "type-mismatch"),
        ("applicant.pension_contribution_years and true", "type-mismatch"),
        ("child.birth_date", "type-mismatch"),
        ('child.name < "b"', "type-mismatch"),
        ("age_on(child.birth_date, 2026) >= 6", "type-mismatch"),
        ("child.birth_date in [1, 2]", "type-mismatch"),
        ("applicant.marital_status in enrolment_year", "type-mismatch"),
        ("not child.birth_date", "type-mismatch"),
        ("child.birth_date + 1 > 2", "type-mismatch"),
        ("coalesce(child.birth_date, 1) > 2", "type-mismatch"),
        # wrong codes, arity, non-constants
        ('applicant.marital_status == "married"', "unknown-code"),
        ('applicant.marital_status in ["20", "99"]', "unknown-code"),
        ("age_on(child.birth_date) >= 6", "arity"),
        ("date(year(child.birth_date), 8, 31) > today()", "not-constant"),
        ("child.name in [applicant.name]", "not-constant"),
        ("child.birth_date < date(2026, 2, 30)", "invalid-constant"),
        ('child.birth_date < date("31/08/2026")', "invalid-constant"),
        ("child.birth_date < date(2026.5, 2, 3)", "invalid-constant"),
        # malformed text
        ('child.name == "unterminated', "rule-syntax"),
        ("", "rule-syntax"),
        ("(child.age > 1", "rule-syntax"),
    ],
)
def test_bad_condition_is_rejected_naming_the_rule(condition: str, code: str) -> None:
    error = _reject(_rules_text(condition, rule_id="bad-rule"))
    assert code in error.codes
    problem = next(p for p in error.problems if p.code == code)
    assert "rule 'bad-rule'" in problem.message
    assert problem.location.file == "rules.yaml"
    assert problem.location.line == 10  # the condition's line in _rules_text
    assert problem.location.pointer == "/rules/0/condition"


def test_unknown_function_lists_the_known_ones() -> None:
    error = _reject(_rules_text('system("ls")'))
    message = error.problems[0].message
    assert "unknown function 'system'" in message
    assert all(name in message for name in FUNCTIONS)
    assert 'at: system("ls")' in message


def test_suggestions_for_misspellings() -> None:
    error = _reject(_rules_text("age_of(child.birth_dat, today()) >= 6"))
    messages = " ".join(p.message for p in error.problems)
    assert "did you mean age_on" in messages
    assert "did you mean birth_date" in messages


def test_every_problem_is_reported_at_once() -> None:
    text = yaml.safe_dump(
        {
            "id": "many",
            "rules": [
                {
                    "id": "one",
                    "condition": "child.shoe_size > 1",
                    "message": {"zh": "x", "en": "x"},
                },
                {"id": "two", "condition": "cousin.name == 'a'", "message": {"zh": "x", "en": "x"}},
                {"id": "two", "condition": "child.age > 1", "message": {"zh": "x", "en": "x"}},
            ],
        }
    )
    error = _reject(text)
    assert sorted(error.codes) == ["duplicate-rule", "unknown-item", "unknown-role"]


def test_fields_outside_the_application_are_rejected() -> None:
    text = _rules_text("applicant.pension_contribution_years >= 15")
    error = _reject(text, fields=["birth_date@child"])
    assert error.codes == ["not-in-application"]
    assert "pension_contribution_years@applicant" in error.problems[0].message
    assert parse_rules(text, fields=["pension_contribution_years@applicant"]).fields == (
        "pension_contribution_years@applicant",
    )


def test_declared_reads_join_the_application() -> None:
    text = _rules_text(
        "not organization.abnormal_operation_listed",
        extra="reads: [abnormal_operation_listed@organization]\n",
    )
    rules = parse_rules(text, fields=["uscc@organization"])
    assert rules.reads == ("abnormal_operation_listed@organization",)


@pytest.mark.parametrize(
    "reads",
    ["[shoe_size@child]", "[birth_date@organization]", "[birth_date]", "[birth_date@cousin]"],
)
def test_bad_reads_are_rejected(reads: str) -> None:
    error = _reject(_rules_text("child.age > 1", extra=f"reads: {reads}\n"))
    assert error.codes == ["unknown-field"]
    assert error.problems[0].location.pointer == "/reads/0"


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("id: x\nrules: [\n", "syntax-error", 3),
        # A second rules: dropped the first rules; a second condition: replaced the first.
        (
            "id: x\nrules:\n  - {id: a, condition: 'true', message: {zh: x, en: x}}\n"
            "rules:\n  - {id: b, condition: 'true', message: {zh: x, en: x}}\n",
            "duplicate-mapping-key",
            4,
        ),
        (
            "id: x\nrules:\n  - id: a\n    condition: 'false'\n    condition: 'true'\n"
            "    message: {zh: x, en: x}\n",
            "duplicate-mapping-key",
            5,
        ),
        (
            "id: x\nparams:\n  cutoff: 2026-02-30\n"
            "rules:\n  - {id: a, condition: 'true', message: {zh: x, en: x}}\n",
            "invalid-parameter",
            3,
        ),
        ("id: x\nrules: \x00\n", "control-character", 2),
        ("id: x\nrules: []\n", "invalid-rules", 2),
        (
            "id: Bad Id\nrules:\n  - {id: a, condition: 'true', message: {zh: x, en: x}}\n",
            "invalid-rules",
            1,
        ),
        ("id: x\nrules:\n  - {id: a, condition: 'true', message: {zh: x}}\n", "invalid-rules", 3),
        (
            "id: x\nrules:\n  - {id: a, condition: 'true', message: {zh: x, en: x}, sql: 'x'}\n",
            "invalid-rules",
            3,
        ),
        (
            "id: x\nrules:\n  - {id: 'DROP TABLE', condition: 'true', message: {zh: x, en: x}}\n",
            "invalid-rules",
            3,
        ),
        (
            "id: x\nparams:\n  bad: {a: 1}\nrules:\n  - {id: a, condition: 'true', "
            "message: {zh: x, en: x}}\n",
            "invalid-parameter",
            3,
        ),
        (
            "id: x\nparams:\n  and: 1\nrules:\n  - {id: a, condition: 'true', "
            "message: {zh: x, en: x}}\n",
            "invalid-parameter",
            3,
        ),
        (
            "id: x\nparams:\n  mixed: [1, a]\nrules:\n  - {id: a, condition: 'true', "
            "message: {zh: x, en: x}}\n",
            "invalid-parameter",
            3,
        ),
    ],
)
def test_malformed_files(text: str, code: str, line: int) -> None:
    error = _reject(text)
    assert code in error.codes
    assert error.problems[0].location.line == line


def test_block_scalar_condition_reports_the_offending_line() -> None:
    text = (
        "id: x\nrules:\n  - id: multi\n    condition: |\n      child.age > 1\n"
        "      and cousin.age > 1\n    message: {zh: x, en: x}\n"
    )
    error = _reject(text)
    assert error.codes == ["unknown-role"]
    assert error.problems[0].location.line == 6


def test_load_rules_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(_rules_text("child.age >= 6"), encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules.source_file == str(tmp_path / "rules.yaml")
    assert rules.rule("the-rule").line == 10
    with pytest.raises(RuleError) as missing:
        load_rules(tmp_path / "nowhere.yaml")
    assert missing.value.codes == ["file-not-found"]


def test_round_trip_through_to_dict() -> None:
    rules = parse_rules(_rules_text("applicant.marital_status in married"))
    again = parse_rules(yaml.safe_dump(rules.to_dict(), allow_unicode=True))
    assert again == rules
    assert again.to_dict() == rules.to_dict()

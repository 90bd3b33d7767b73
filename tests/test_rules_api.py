"""The public verbs: verify with provenance, answers, forms and parameters; tables for people."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import formmerge.rules
import formmerge.rules as rules_package
from formmerge.errors import RuleError
from formmerge.models import FieldRef, MergedField, MergedForm
from formmerge.prefill.result import Prefill, PrefilledValue
from formmerge.rules import RuleSet, format_outcomes, parse_rules, verify

RULES = parse_rules(
    {
        "id": "pension",
        "params": {"years": 15, "married": ["20", "21"]},
        "rules": [
            {
                "id": "years",
                "condition": "applicant.pension_contribution_years >= years",
                "message": {"zh": "缴费须满15年", "en": "At least 15 years"},
                "forms": ["pension-claim"],
            },
            {
                "id": "married",
                "condition": "applicant.marital_status in married",
                "message": {"zh": "须已婚", "en": "Must be married"},
            },
        ],
    }
)


def _prefilled(value: Any, source: str) -> PrefilledValue:
    return PrefilledValue(
        value=value,
        source=source,
        department="",
        as_of=None,
        authority="verified",
        read_only=True,
    )


def test_public_names() -> None:
    assert set(rules_package.__all__) == {
        "FUNCTIONS",
        "RULES_FILE",
        "BoundRuleSet",
        "Rule",
        "RuleOutcome",
        "RuleSet",
        "Status",
        "format_outcomes",
        "load_rules",
        "parse_rules",
        "verify",
        "verify_batch",
    }
    for name in rules_package.__all__:
        assert hasattr(rules_package, name)


def test_prefill_provenance_is_kept_and_answers_override() -> None:
    prefill = Prefill(
        form="pension",
        values={
            "pension_contribution_years@applicant": _prefilled(16, "social_insurance.persons"),
            "marital_status@applicant": _prefilled("10", "civil_affairs.marriages"),
        },
        to_type=[],
    )
    outcomes = verify(prefill, RULES)
    assert [o.status for o in outcomes] == ["pass", "fail"]
    assert outcomes[0].used == {
        "pension_contribution_years@applicant": (16.0, "social_insurance.persons")
    }
    answered = verify(prefill, RULES, answers={"marital_status@applicant": "20"})
    assert answered[1].status == "pass"
    assert answered[1].used == {"marital_status@applicant": ("20", "applicant")}


def test_mapping_of_prefilled_values_also_works() -> None:
    values = {"marital_status@applicant": _prefilled("21", "civil_affairs.marriages")}
    assert verify(values, RULES)[1].used["marital_status@applicant"] == (
        "21",
        "civil_affairs.marriages",
    )


def test_rules_for_one_form() -> None:
    assert [o.rule_id for o in verify({}, RULES, form="pension-claim")] == ["years", "married"]
    assert [o.rule_id for o in verify({}, RULES, form="marriage")] == ["married"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"nope": 1}, "unknown-parameter"),
        ({"years": "15"}, "type-mismatch"),
        ({"married": [1, 2]}, "type-mismatch"),
    ],
)
def test_bad_parameters(params: dict[str, Any], code: str) -> None:
    with pytest.raises(RuleError) as caught:
        verify({}, RULES, params=params)
    assert caught.value.codes == [code]


def test_parameters_override_defaults() -> None:
    values = {"pension_contribution_years@applicant": 12, "marital_status@applicant": "10"}
    outcomes = verify(values, RULES, params={"years": 10, "married": ["10"]})
    assert [o.status for o in outcomes] == ["pass", "pass"]
    bound = RULES.bind(params={"years": 10})
    assert verify(values, bound)[0].status == "pass"
    assert verify(values, bound, as_of=date(2020, 1, 1))[0].status == "pass"


def _merged(*field_ids: str) -> MergedForm:
    fields = tuple(
        MergedField(
            id=f,
            item=f.split("@")[0],
            role=f.split("@")[1],
            label=f,
            sources=(FieldRef(form="f", path=f),),
        )
        for f in field_ids
    )
    return MergedForm(id="m", forms=(), fields=fields, matches=())


def test_fields_of_the_application_limit_what_rules_read() -> None:
    with pytest.raises(RuleError) as caught:
        verify({}, RULES, fields=_merged("pension_contribution_years@applicant"))
    assert caught.value.codes == ["not-in-application"]
    assert "rule 'married'" in caught.value.problems[0].message
    merged = _merged("pension_contribution_years@applicant", "marital_status@applicant")
    assert len(verify({}, RULES, fields=merged)) == 2


def test_outcome_to_dict_is_json() -> None:
    [outcome] = verify(
        {"birth_date@child": date(2020, 1, 1)},
        parse_rules(
            "id: t\nrules:\n  - {id: r, condition: 'child.birth_date < today()', "
            "message: {zh: x, en: y}}\n"
        ),
        as_of=date(2026, 1, 1),
    )
    data = json.loads(json.dumps(outcome.to_dict()))
    assert data == {
        "rule_id": "r",
        "status": "pass",
        "message_zh": "x",
        "message_en": "y",
        "used": {"birth_date@child": {"value": "2020-01-01", "source": None}},
        "reason": 'child.birth_date < date("2026-01-01") is true (2020-01-01 < 2026-01-01)',
    }


def test_format_outcomes_shows_messages_of_failures_only() -> None:
    values = {"pension_contribution_years@applicant": 3, "marital_status@applicant": "20"}
    console = Console(width=200, record=True)
    console.print(format_outcomes(verify(values, RULES), language="en"))
    text = console.export_text()
    assert "At least 15 years" in text and "Must be married" not in text
    assert "pension_contribution_years@applicant = 3" in text
    console.print(format_outcomes(verify({}, RULES)))
    assert "缴费须满15年" in console.export_text()


def test_rule_sets_compare_by_content() -> None:
    again = parse_rules(RULES.to_dict())
    assert again == RULES
    assert isinstance(again, RuleSet)
    assert again.fields == ("pension_contribution_years@applicant", "marital_status@applicant")


def _problem_codes() -> set[str]:
    """Every problem code the rules package and the ordering module can report."""
    pattern = re.compile(
        r'(?:Problem|RuleSyntaxError|self\.fail|reader\.add|fail)\(\s*(?:\w+,\s*)?"([a-z]+(?:-[a-z]+)+)"'
    )
    src = Path(formmerge.rules.__file__).parent
    texts = [p.read_text(encoding="utf-8") for p in [*src.glob("*.py"), src.parent / "ordering.py"]]
    return {code for text in texts for code in pattern.findall(text)}


def test_docs_cover_every_function_and_problem_code() -> None:
    docs = (Path(__file__).parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    for name in rules_package.FUNCTIONS:
        assert f"`{name}(" in docs or f", `{name}(" in docs, name
    codes = _problem_codes()
    assert {"unknown-function", "type-mismatch", "dependency-cycle", "rule-syntax"} <= codes
    for code in codes:
        assert f"`{code}`" in docs, code


def test_outcomes_never_show_id_or_phone_numbers() -> None:
    rules = parse_rules(
        "id: t\nrules:\n  - {id: own, condition: 'applicant.mobile != spouse.mobile', "
        "message: {zh: x, en: y}}\n"
    )
    mobile = "13912345678"
    [outcome] = verify({"mobile@applicant": mobile, "mobile@spouse": mobile}, rules)
    assert outcome.status == "fail"
    assert outcome.used["mobile@applicant"][0] == mobile  # kept for the caller
    for shown in (outcome.reason, json.dumps(outcome.to_dict()), repr(outcome)):
        assert mobile not in shown and "139****5678" in shown, shown


def test_a_failed_batch_read_is_a_rule_error_without_the_values() -> None:
    import duckdb

    rules = parse_rules(
        "id: t\nrules:\n  - {id: r, condition: 'applicant.pension_contribution_years >= 15', "
        "message: {zh: x, en: y}}\n"
    )
    with duckdb.connect() as con:
        failing = con.sql(
            'select cast(x as integer) as "pension_contribution_years@applicant" '
            "from (values ('110105194912310021')) t(x)"
        )
        with pytest.raises(RuleError) as caught:
            formmerge.rules.verify_batch(failing, rules)
    assert caught.value.codes == ["query-failed"]
    assert "110105194912310021" not in str(caught.value)

"""The example bundles' rules: subjects that pass, fail and lack data, with their reasons."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from formmerge.bundle import list_example_bundles, load_bundle, load_expected
from formmerge.rules import RuleSet, load_rules, verify, verify_batch

AS_OF = date(2026, 6, 1)
BUNDLES = {p.name: p for p in list_example_bundles()}

NEVER_UNKNOWN = {
    ("school-enrolment", "vaccination-record"),
    ("newborn-birth", "parent-identity"),
    ("newborn-birth", "mother-insured"),
}
"""Rules that decide on whether a record exists: no record is a failure, not missing data."""

SCHOOL_LOCAL = {
    "birth_date@child": "2020-03-15",
    "hukou_region_code@child": "420502",
    "move_in_date@child": "2023-05-01",
    "property_address@applicant": "湖北省宜昌市西陵区夷陵大道1号",
    "vaccination_certificate_number@child": "420502202003150001",
}
NEWBORN = {
    "marital_status@father": "20",
    "marital_status@mother": "21",
    "marriage_certificate_number@father": "J420502-2020-001234",
    "marriage_certificate_number@mother": "J420502-2020-001234",
    "birth_date@child": "2026-05-20",
    "citizen_id@father": "420502199001011234",
    "citizen_id@mother": "42050219920202124X",
    "social_security_number@mother": "42050219920202124X",
}
MARRIAGE = {
    "birth_date@applicant": "1995-01-01",
    "birth_date@spouse": "1998-07-01",
    "marital_status@applicant": "10",
    "marital_status@spouse": "40",
    "citizen_id@applicant": "420502199501011233",
    "citizen_id@spouse": "420502199807011226",
}
RETIREMENT = {
    "sex@applicant": "1",
    "birth_date@applicant": "1966-03-10",
    "retirement_date@applicant": "2026-03-10",
    "pension_contribution_years@applicant": 32,
    "pension_start_date@applicant": "1990-07-01",
    "housing_fund_balance@applicant": 52000.5,
}
ENTERPRISE = {
    "abnormal_operation_listed@organization": False,
    "serious_dishonesty_listed@organization": "否",
    "operating_status@organization": "存续",
    "dishonest_debtor@legal_representative": False,
    "registered_capital@organization": 500,
}
SMALL_BUSINESS = {
    "employee_count@organization": 12,
    "province_state@organization": "OH",
    "establishment_date@organization": "2026-01-15",
}
ALL_PASS = "all-pass"

# (bundle, subject, values, expected statuses ({rule: status}, others pass), reasons)
CASES: list[tuple[str, str, dict[str, Any], dict[str, str], dict[str, str]]] = [
    (
        "school-enrolment",
        "local child",
        SCHOOL_LOCAL,
        {},
        {
            "child-age": 'age_on(child.birth_date, date("2026-08-31")) >= 6 is true (6 >= 6)',
        },
    ),
    (
        "school-enrolment",
        "too young",
        {**SCHOOL_LOCAL, "birth_date@child": "2020-09-01"},
        {"child-age": "fail"},
        {"child-age": "(5 >= 6)"},
    ),
    (
        "school-enrolment",
        "six on the cut-off day",
        {**SCHOOL_LOCAL, "birth_date@child": "2020-08-31"},
        {},
        {},
    ),
    (
        "school-enrolment",
        "non-local with a residence permit",
        {
            **SCHOOL_LOCAL,
            "hukou_region_code@child": "420602",
            "property_address@applicant": None,
            "residence_permit_number@guardian": "420602R2024001",
        },
        {},
        {},
    ),
    (
        "school-enrolment",
        "non-local without a permit",
        {
            **SCHOOL_LOCAL,
            "hukou_region_code@child": "420602",
            "property_address@applicant": "湖北省宜昌市伍家岗区",
        },
        {"hukou-or-residence-permit": "fail", "home-in-district": "fail"},
        {
            "hukou-or-residence-permit": 'in_region(child.hukou_region_code, "420502") or '
            "is_present(guardian.residence_permit_number) is false"
        },
    ),
    (
        "school-enrolment",
        "moved in too recently",
        {**SCHOOL_LOCAL, "move_in_date@child": "2025-12-01"},
        {"hukou-settled": "fail"},
        {},
    ),
    (
        "school-enrolment",
        "no vaccination record",
        {**SCHOOL_LOCAL, "vaccination_certificate_number@child": None},
        {"vaccination-record": "fail"},
        {},
    ),
    (
        "school-enrolment",
        "no data",
        {},
        {
            "child-age": "unknown",
            "hukou-or-residence-permit": "unknown",
            "hukou-settled": "unknown",
            "home-in-district": "unknown",
            "vaccination-record": "fail",
        },
        {
            "child-age": "missing: birth_date@child",
            "hukou-settled": "missing: hukou_region_code@child, move_in_date@child",
        },
    ),
    (
        "school-enrolment",
        "unreadable birth date",
        {**SCHOOL_LOCAL, "birth_date@child": "2020年3月15日"},
        {"child-age": "unknown"},
        {"child-age": "unreadable: birth_date@child"},
    ),
    ("newborn-birth", "married parents", NEWBORN, {}, {}),
    (
        "newborn-birth",
        "parents married to others",
        {**NEWBORN, "marriage_certificate_number@mother": "J420503-2019-000077"},
        {"parents-married": "fail"},
        {
            "parents-married": "father.marriage_certificate_number == "
            "mother.marriage_certificate_number is false "
            "(J420502-2020-001234 == J420503-2019-000077)"
        },
    ),
    (
        "newborn-birth",
        "unmarried mother",
        {**NEWBORN, "marital_status@mother": "10"},
        {"parents-married": "fail"},
        {},
    ),
    (
        "newborn-birth",
        "registered late",
        {**NEWBORN, "birth_date@child": "2026-04-01"},
        {"registration-period": "fail"},
        {"registration-period": "(61 <= 30)"},
    ),
    (
        "newborn-birth",
        "birth date in the future",
        {**NEWBORN, "birth_date@child": "2026-07-01"},
        {"registration-period": "fail"},
        {},
    ),
    (
        "newborn-birth",
        "only the mother's id",
        {**NEWBORN, "citizen_id@father": None, "social_security_number@mother": " "},
        {"mother-insured": "fail"},
        {},
    ),
    (
        "newborn-birth",
        "no data",
        {},
        {
            "parents-married": "unknown",
            "registration-period": "unknown",
            "parent-identity": "fail",
            "mother-insured": "fail",
        },
        {
            "parents-married": "missing: marital_status@father, marital_status@mother, "
            "marriage_certificate_number@father, marriage_certificate_number@mother"
        },
    ),
    (
        "newborn-birth",
        "marriage register not reached",
        {k: v for k, v in NEWBORN.items() if "marri" not in k},
        {"parents-married": "unknown"},
        {},
    ),
    ("marriage-hukou", "eligible couple", MARRIAGE, {}, {}),
    (
        "marriage-hukou",
        "man too young",
        {**MARRIAGE, "birth_date@applicant": "2004-06-02"},
        {"legal-marriage-age": "fail"},
        {"legal-marriage-age": 'age_on(applicant.birth_date, date("2026-06-01")) >= 22 is false'},
    ),
    (
        "marriage-hukou",
        "woman just twenty",
        {**MARRIAGE, "birth_date@spouse": "2006-06-01"},
        {},
        {},
    ),
    (
        "marriage-hukou",
        "already married",
        {**MARRIAGE, "marital_status@spouse": "20"},
        {"both-unmarried": "fail"},
        {},
    ),
    (
        "marriage-hukou",
        "one person twice",
        {**MARRIAGE, "citizen_id@spouse": MARRIAGE["citizen_id@applicant"]},
        {"two-persons": "fail"},
        {},
    ),
    (
        "marriage-hukou",
        "no data",
        {},
        {"legal-marriage-age": "unknown", "both-unmarried": "unknown", "two-persons": "unknown"},
        {"two-persons": "missing: citizen_id@applicant, citizen_id@spouse"},
    ),
    ("retirement", "man at sixty", RETIREMENT, {}, {}),
    (
        "retirement",
        "woman at fifty",
        {
            **RETIREMENT,
            "sex@applicant": "2",
            "birth_date@applicant": "1976-05-01",
            "retirement_date@applicant": "2026-05-01",
        },
        {},
        {},
    ),
    (
        "retirement",
        "a day short of sixty",
        {**RETIREMENT, "retirement_date@applicant": "2026-03-09"},
        {"retirement-age": "fail"},
        {},
    ),
    (
        "retirement",
        "fourteen years paid",
        {**RETIREMENT, "pension_contribution_years@applicant": "14"},
        {"contribution-years": "fail"},
        {"contribution-years": "applicant.pension_contribution_years >= 15 is false (14 >= 15)"},
    ),
    (
        "retirement",
        "insured after retiring",
        {**RETIREMENT, "pension_start_date@applicant": "2026-04-01"},
        {"insured-before-retirement": "fail"},
        {},
    ),
    (
        "retirement",
        "empty housing fund",
        {**RETIREMENT, "housing_fund_balance@applicant": 0},
        {"housing-fund-balance": "fail"},
        {},
    ),
    (
        "retirement",
        "sex unknown",
        {**RETIREMENT, "sex@applicant": None},
        {"retirement-age": "unknown"},
        {"retirement-age": "missing: sex@applicant"},
    ),
    (
        "retirement",
        "no data",
        {},
        {
            "contribution-years": "unknown",
            "retirement-age": "unknown",
            "insured-before-retirement": "unknown",
            "housing-fund-balance": "unknown",
        },
        {},
    ),
    ("enterprise-change", "clean record", ENTERPRISE, {}, {}),
    (
        "enterprise-change",
        "on the abnormal list",
        {**ENTERPRISE, "abnormal_operation_listed@organization": "是"},
        {"not-abnormal": "fail"},
        {"not-abnormal": "not organization.abnormal_operation_listed is false"},
    ),
    (
        "enterprise-change",
        "seriously dishonest",
        {**ENTERPRISE, "serious_dishonesty_listed@organization": True},
        {"not-seriously-dishonest": "fail"},
        {},
    ),
    (
        "enterprise-change",
        "licence revoked",
        {**ENTERPRISE, "operating_status@organization": "吊销"},
        {"in-business": "fail"},
        {},
    ),
    (
        "enterprise-change",
        "dishonest representative",
        {**ENTERPRISE, "dishonest_debtor@legal_representative": 1},
        {"representative-not-dishonest": "fail"},
        {},
    ),
    (
        "enterprise-change",
        "no capital",
        {**ENTERPRISE, "registered_capital@organization": 0},
        {"capital-positive": "fail"},
        {},
    ),
    (
        "enterprise-change",
        "no data",
        {},
        {
            "not-abnormal": "unknown",
            "not-seriously-dishonest": "unknown",
            "in-business": "unknown",
            "representative-not-dishonest": "unknown",
            "capital-positive": "unknown",
        },
        {"not-abnormal": "missing: abnormal_operation_listed@organization"},
    ),
    ("english-small-business", "small local business", SMALL_BUSINESS, {}, {}),
    (
        "english-small-business",
        "too many employees",
        {**SMALL_BUSINESS, "employee_count@organization": "500"},
        {"small-business": "fail"},
        {"small-business": "(500 < 500)"},
    ),
    (
        "english-small-business",
        "out of state",
        {**SMALL_BUSINESS, "province_state@organization": "CA"},
        {"organized-in-state": "fail"},
        {},
    ),
    (
        "english-small-business",
        "not organized yet",
        {**SMALL_BUSINESS, "establishment_date@organization": "2026-06-02"},
        {"organized-before-applying": "fail"},
        {},
    ),
    (
        "english-small-business",
        "no data",
        {},
        {
            "small-business": "unknown",
            "organized-in-state": "unknown",
            "organized-before-applying": "unknown",
        },
        {},
    ),
]


def _rules(bundle: str) -> RuleSet:
    return load_rules(BUNDLES[bundle])


def test_every_example_bundle_has_rules() -> None:
    assert set(BUNDLES) <= {case[0] for case in CASES}
    for path in BUNDLES.values():
        assert (path / "rules.yaml").is_file(), path


@pytest.mark.parametrize("bundle", sorted(BUNDLES))
def test_rules_read_only_their_application(bundle: str) -> None:
    fields = [f"{item}@{role}" for item, role in load_expected(BUNDLES[bundle]).pairs()]
    rules = load_rules(BUNDLES[bundle], fields=fields)
    assert set(rules.fields) <= set(fields) | set(rules.reads)
    assert set(rules.reads).isdisjoint(fields), "declare in reads only what no form asks for"
    assert set(rules.reads) <= set(rules.fields), "every declared read is used by a rule"
    forms = {f.id for f in load_bundle(BUNDLES[bundle]).forms}
    for rule in rules.rules:
        assert set(rule.forms) <= forms, (rule.id, rule.forms)


@pytest.mark.parametrize(
    ("bundle", "subject", "values", "statuses", "reasons"),
    CASES,
    ids=[f"{c[0]}: {c[1]}" for c in CASES],
)
def test_subject(
    bundle: str,
    subject: str,
    values: dict[str, Any],
    statuses: dict[str, str],
    reasons: dict[str, str],
) -> None:
    rules = _rules(bundle)
    assert set(statuses) | set(reasons) <= {r.id for r in rules.rules}
    outcomes = {o.rule_id: o for o in verify(values, rules, as_of=AS_OF)}
    assert {k: o.status for k, o in outcomes.items()} == {
        r.id: statuses.get(r.id, "pass") for r in rules.rules
    }
    for rule_id, text in reasons.items():
        assert text in outcomes[rule_id].reason
    for outcome in outcomes.values():
        assert set(outcome.used) == set(rules.rule(outcome.rule_id).fields)
        assert outcome.message_zh and outcome.message_en


def test_cases_cover_pass_fail_and_missing_data_for_every_rule() -> None:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for bundle, _, _, statuses, _ in CASES:
        for rule in _rules(bundle).rules:
            seen[bundle, rule.id].add(statuses.get(rule.id, "pass"))
    for key, statuses in seen.items():
        wanted = {"pass", "fail"} if key in NEVER_UNKNOWN else {"pass", "fail", "unknown"}
        assert wanted <= statuses, (key, statuses)


@pytest.mark.parametrize("bundle", sorted(BUNDLES))
def test_batch_gives_the_same_outcomes_for_the_cases(bundle: str) -> None:
    rules = _rules(bundle)
    rows = [values for b, _, values, _, _ in CASES if b == bundle]
    frame = pd.DataFrame(rows, columns=list(rules.fields), dtype=object)
    batch = verify_batch(frame, rules, as_of=AS_OF)
    for i, values in enumerate(rows):
        for outcome in verify(values, rules, as_of=AS_OF):
            assert batch.at[i, outcome.rule_id] == outcome.status


def test_parameters_change_the_outcome() -> None:
    rules = _rules("school-enrolment")
    young = {**SCHOOL_LOCAL, "birth_date@child": "2020-09-01"}
    [age] = [
        o for o in verify(young, rules, params={"enrolment_year": 2027}) if o.rule_id == "child-age"
    ]
    assert age.status == "pass"


def test_bundle_path_can_be_given_directly(tmp_path: Path) -> None:
    outcomes = verify(SMALL_BUSINESS, BUNDLES["english-small-business"], as_of=AS_OF)
    assert [o.status for o in outcomes] == ["pass", "pass", "pass"]

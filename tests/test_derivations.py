"""Derived items: the catalog's derivations, what they fill, and answers that contradict them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.catalog import load_catalog
from formmerge.derivations import derivable_fields, derive_values, derived_fields
from formmerge.errors import CatalogError
from formmerge.merging import merge
from formmerge.models import Field, Form, MergedForm, Option
from formmerge.resources import data_path
from formmerge.splitting import split
from formmerge.validators import citizen_id_check_char, make_citizen_id

CATALOG = load_catalog()
ON = date(2026, 12, 3)

HOSPITAL = Form(
    id="hospital",
    fields=(
        Field(key="mqsfzh", label="母亲公民身份号码", format="citizen-id"),
        Field(key="mqcsrq", label="母亲出生日期", type="date", date_format="%Y年%m月%d日"),
        Field(key="mqnl", label="母亲年龄", type="integer"),
        Field(
            key="mqxb",
            label="母亲性别",
            type="enum",
            options=(Option(code="M", label="男"), Option(code="F", label="女")),
        ),
        Field(key="mqqh", label="母亲出生登记地行政区划代码"),
    ),
)
INSURANCE = Form(
    id="insurance",
    fields=(
        Field(key="mother_id", label="母亲公民身份号码"),
        Field(key="mother_ssn", label="母亲社会保障号码"),
        Field(
            key="mother_doc_type",
            label="母亲证件类型",
            type="enum",
            options=(Option(code="01", label="居民身份证"), Option(code="02", label="护照")),
        ),
        Field(key="mother_doc_no", label="母亲证件号码"),
        Field(key="mother_birth", label="母亲出生日期", type="date", date_format="%Y%m%d"),
    ),
)


@pytest.fixture(scope="module")
def merged() -> MergedForm:
    form = merge([HOSPITAL, INSURANCE], CATALOG)
    assert {f.id for f in form.fields} == {
        "citizen_id@mother",
        "birth_date@mother",
        "age@mother",
        "sex@mother",
        "birth_registration_region@mother",
        "social_security_number@mother",
        "id_document_type@mother",
        "id_document_number@mother",
    }
    return form


MOTHER_ID = make_citizen_id("420502", date(1990, 3, 7), 12, "2")


def test_the_catalog_declares_each_derivation_as_data() -> None:
    pairs = {(d.item, d.source, d.rule) for d in CATALOG.derivations}
    assert pairs == {
        ("birth_date", "citizen_id", "citizen_id_birth_date"),
        ("sex", "citizen_id", "citizen_id_sex"),
        ("birth_registration_region", "citizen_id", "citizen_id_region"),
        ("social_security_number", "citizen_id", "same_value"),
        ("id_document_number", "citizen_id", "same_value"),
        ("age", "birth_date", "age_on_application_date"),
    }


def test_every_field_derived_from_the_id_is_not_asked(merged: MergedForm) -> None:
    fields = derived_fields(merged, CATALOG)
    assert set(fields) == {f.id for f in merged.fields} - {
        "citizen_id@mother",
        "id_document_type@mother",
    }
    assert fields["age@mother"].source == "birth_date@mother"
    assert fields["id_document_number@mother"].condition == "id_document_type@mother"


def test_derivations_from_a_valid_id(merged: MergedForm) -> None:
    values, problems = derive_values(merged, {"citizen_id@mother": MOTHER_ID}, CATALOG, on=ON)
    assert problems == []
    got = {k: v.value for k, v in values.items()}
    assert got == {
        "birth_date@mother": "1990-03-07",
        "sex@mother": "2",
        "birth_registration_region@mother": "420502",
        "social_security_number@mother": MOTHER_ID,
        "id_document_number@mother": MOTHER_ID,  # no document type answered: the ID card
        "age@mother": 36,
    }
    assert values["age@mother"].source == "birth_date@mother"
    assert values["age@mother"].origin == "citizen_id@mother"


def test_the_document_number_is_the_id_only_for_the_resident_id_card(merged: MergedForm) -> None:
    card = {"citizen_id@mother": MOTHER_ID, "id_document_type@mother": "111"}
    values, _ = derive_values(merged, card, CATALOG, on=ON)
    assert values["id_document_number@mother"].value == MOTHER_ID
    passport = {"citizen_id@mother": MOTHER_ID, "id_document_type@mother": "414"}
    values, _ = derive_values(merged, passport, CATALOG, on=ON)
    assert "id_document_number@mother" not in values
    assert "social_security_number@mother" in values


@pytest.mark.parametrize(
    "bad",
    [
        MOTHER_ID[:-1] + ("0" if MOTHER_ID[-1] != "0" else "1"),  # wrong check character
        "42050219900307",  # too short
        "420502199013071234",  # month 13
        "",
        None,
        "４２０５０２",
        12345,
    ],
)
def test_an_invalid_id_derives_nothing_and_does_not_crash(merged: MergedForm, bad: object) -> None:
    values, problems = derive_values(merged, {"citizen_id@mother": bad}, CATALOG, on=ON)
    assert values == {} and problems == []
    result = split(merged, {"citizen_id@mother": bad}, CATALOG, application_date=ON)
    assert result.payloads["hospital"]["mqcsrq"] is None  # nothing derived, nothing invented


def test_age_from_a_typed_birth_date_and_the_application_date(merged: MergedForm) -> None:
    for born, age in (("1990-12-03", 36), ("1990-12-04", 35), ("2026-12-03", 0)):
        values, _ = derive_values(merged, {"birth_date@mother": born}, CATALOG, on=ON)
        assert values["age@mother"].value == age
    values, _ = derive_values(merged, {"birth_date@mother": "2027-01-01"}, CATALOG, on=ON)
    assert "age@mother" not in values  # born after the application: no age
    values, _ = derive_values(merged, {"birth_date@mother": "not a date"}, CATALOG, on=ON)
    assert values == {}


def test_split_fills_derived_fields_in_each_forms_format(merged: MergedForm) -> None:
    result = split(merged, {"citizen_id@mother": MOTHER_ID}, CATALOG, application_date=ON)
    hospital, insurance = result.payloads["hospital"], result.payloads["insurance"]
    assert hospital["mqcsrq"] == "1990年03月07日"
    assert insurance["mother_birth"] == "19900307"
    assert hospital["mqxb"] == "F"
    assert hospital["mqnl"] == 36
    assert hospital["mqqh"] == "420502"
    assert insurance["mother_ssn"] == insurance["mother_doc_no"] == MOTHER_ID
    assert not [p for p in result.problems if p.code != "no-answer"]
    unfilled = split(merged, {"citizen_id@mother": MOTHER_ID}, CATALOG, derive=False)
    assert unfilled.payloads["hospital"]["mqcsrq"] is None


def test_a_typed_answer_that_contradicts_the_id_is_a_located_problem(merged: MergedForm) -> None:
    answers = {"citizen_id@mother": MOTHER_ID, "birth_date@mother": "1991-03-07"}
    result = split(merged, answers, CATALOG, application_date=ON)
    (conflict,) = [p for p in result.problems if p.code == "derived-value-conflict"]
    assert conflict.location.field == "birth_date@mother"
    assert conflict.location.form == merged.id
    assert "母亲公民身份号码" in conflict.message
    assert result.payloads["hospital"]["mqcsrq"] == "1991年03月07日"  # the answer is kept
    # the age follows the typed birth date it was not contradicted by... and a typed age that
    # disagrees with that birth date is a problem too
    answers = {"birth_date@mother": "1990-03-07", "age@mother": 30}
    result = split(merged, answers, CATALOG, application_date=ON)
    assert [p.location.field for p in result.problems if p.code == "derived-value-conflict"] == [
        "age@mother"
    ]


def test_agreeing_answers_are_no_problem(merged: MergedForm) -> None:
    answers = {
        "citizen_id@mother": MOTHER_ID.lower(),
        "birth_date@mother": "1990-03-07",
        "sex@mother": "2",
        "age@mother": 36,
    }
    values, problems = derive_values(merged, answers, CATALOG, on=ON)
    assert problems == []
    assert "birth_date@mother" not in values  # answered: the answer stays


def test_derivations_hold_within_one_person() -> None:
    form = Form(
        id="f",
        fields=(
            Field(key="fqsfzh", label="父亲公民身份号码"),
            Field(key="mqcsrq", label="母亲出生日期", type="date"),
        ),
    )
    merged = merge([form], CATALOG)
    assert derived_fields(merged, CATALOG) == {}  # the father's ID says nothing of the mother
    derivable = derivable_fields(merged, CATALOG)
    assert not derivable["birth_date@father"].asked  # read along the way, never shown
    values, _ = derive_values(merged, {"citizen_id@father": MOTHER_ID}, CATALOG, on=ON)
    assert values == {}


_REGIONS = st.sampled_from(["110101", "420502", "440305", "510104", "650102"])


def _anniversary(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year
        return date(born.year + years, 3, 1)


@st.composite
def citizen_ids(draw: st.DrawFn) -> tuple[str, date, str, str]:
    region = draw(_REGIONS)
    born = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31)))
    seq = draw(st.integers(min_value=0, max_value=99))
    sex = draw(st.sampled_from(["1", "2"]))
    number = make_citizen_id(region, born, seq, sex)
    assert number[-1] == citizen_id_check_char(number[:17])
    return number, born, sex, region


@settings(max_examples=200, deadline=None)
@given(citizen_ids())
def test_id_derivations_read_back_what_the_number_was_made_of(
    case: tuple[str, date, str, str],
) -> None:
    number, born, sex, region = case
    form = merge([HOSPITAL, INSURANCE], CATALOG)
    values, problems = derive_values(form, {"citizen_id@mother": number}, CATALOG, on=ON)
    assert problems == []
    assert values["birth_date@mother"].value == born.isoformat()
    assert values["sex@mother"].value == sex
    assert values["birth_registration_region@mother"].value == region
    assert values["social_security_number@mother"].value == number
    age = values["age@mother"].value
    assert _anniversary(born, age) <= ON < _anniversary(born, age + 1)
    result = split(form, {"citizen_id@mother": number}, CATALOG, application_date=ON)
    assert not [p for p in result.problems if p.code not in ("no-answer", "missing-required")]


@settings(max_examples=100, deadline=None)
@given(citizen_ids(), st.integers(min_value=0, max_value=16))
def test_a_damaged_id_derives_nothing(case: tuple[str, date, str, str], at: int) -> None:
    number = case[0]
    digit = str((int(number[at]) + 1) % 10)
    damaged = number[:at] + digit + number[at + 1 :]
    form = merge([HOSPITAL, INSURANCE], CATALOG)
    values, problems = derive_values(form, {"citizen_id@mother": damaged}, CATALOG, on=ON)
    # one changed digit always breaks the MOD 11-2 check: nothing is derived from it
    assert values == {} and problems == []


def test_a_derivation_across_people_is_a_catalog_problem(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "catalog"
    shutil.copytree(data_path("field_catalog"), root)
    (root / "derivations.yaml").write_text(
        "derivations:\n"
        "  - item: registered_capital\n    from: citizen_id\n    rule: same_value\n"
        "  - item: age\n    from: birth_day\n    rule: age_on_application_date\n"
        "  - item: age\n    from: birth_date\n    rule: guess\n",
        "utf-8",
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(root)
    codes = info.value.codes
    assert "derivation-without-role" in codes
    assert "unknown-item" in codes
    assert "invalid-entry" in codes
    assert all(p.location.file == "derivations.yaml" for p in info.value.problems)


def test_prefill_derives_with_the_sources_provenance(merged: MergedForm) -> None:
    from formmerge.prefill.derive import derive_prefilled, pending_derived
    from formmerge.prefill.result import PrefilledValue

    read = PrefilledValue(MOTHER_ID, "population", "公安局", "2026-01-04", "verified", True,
                          "citizen_id", "mother")  # fmt: skip
    values, problems = derive_prefilled(merged, {"citizen_id@mother": read}, CATALOG, on=ON)
    assert problems == []
    age = values["age@mother"]
    assert (age.value, age.derived_from, age.item, age.role) == (
        36,
        "citizen_id@mother",
        "age",
        "mother",
    )
    assert (age.source, age.department, age.as_of, age.read_only) == (
        "population",
        "公安局",
        "2026-01-04",
        True,
    )
    # nothing prefilled: the derivable fields are neither prefilled nor to type
    assert set(pending_derived(merged, {}, CATALOG)) == set(derived_fields(merged, CATALOG))
    assert pending_derived(merged, {**values, "citizen_id@mother": read}, CATALOG) == []
    # a register's birth date that contradicts the ID number is a located problem
    wrong = PrefilledValue("1991-01-01", "population", "公安局", None, "verified", True,
                           "birth_date", "mother")  # fmt: skip
    _, problems = derive_prefilled(
        merged, {"citizen_id@mother": read, "birth_date@mother": wrong}, CATALOG, on=ON
    )
    assert [(p.code, p.location.field) for p in problems] == [
        ("derived-value-conflict", "birth_date@mother")
    ]

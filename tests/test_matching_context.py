"""Layout and sequence context: the person named just before, key prefixes, second instances."""

from __future__ import annotations

import pytest
import yaml

from formmerge.catalog import load_catalog
from formmerge.ingest import form_from_dict
from formmerge.matching import FieldMatcher
from formmerge.matching.context import FieldReading, sequence_context
from formmerge.merging import merge
from formmerge.models import Field, FieldMatch, Form, Group

ROW_FORM = """
id: permit
title: 许可申请表
fields:
  - {key: c1, label: 负责人}
  - {key: c2, label: 电话}
  - {key: c3, label: 手机}
  - {key: c4, label: 联系人}
  - {key: c5, label: 电话}
  - {key: c6, label: 手机}
"""

KEY_FORM = """
id: keys
title: 登记表
fields:
  - {key: fzrdh, label: 电话}
  - {key: lxrsj, label: 手机号码}
"""

OTHER_ROW_FORM = """
id: filing
title: 备案表
fields:
  - {key: a1, label: 联系人}
  - {key: a2, label: 联系电话}
"""

ADDRESS_AFTER_PERSON = """
id: renewal
title: 许可证延续申请表
subject: organization
fields:
  - {key: fddbr, label: 法定代表人}
  - {key: sfzh, label: 身份证号}
  - {key: txdz, label: 通讯地址}
  - {key: yzbm, label: 邮政编码}
"""

TWO_SECTIONS = """
id: carrier
title: 户外广告设施设置申请表
subject: organization
fields:
  - {key: sq_mc, label: 名称, group: [{key: sq, label: 申请单位}]}
  - {key: sq_dz, label: 地址, group: [{key: sq, label: 申请单位}]}
  - {key: zt_mc, label: 名称, group: [{key: zt, label: 载体情况}]}
  - {key: zt_dz, label: 地址, group: [{key: zt, label: 载体情况}]}
"""

VETERAN_FILES = """
id: clothing
title: Clothing allowance
language: en
fields:
  - {key: first, group: [{key: veteranFullName}]}
  - {key: last, group: [{key: veteranFullName}]}
  - {key: street, group: [{key: hospitalAddress}]}
"""

CLAIMANT_FILES = """
id: aid
title: Aid and attendance
language: en
fields:
  - {key: last, group: [{key: veteranInformation}, {key: fullName}]}
  - {key: last, group: [{key: claimantInformation}, {key: fullName}]}
"""

SECOND_PHONE = """
id: second
title: 登记表
fields:
  - {key: dh1, label: 电话}
  - {key: dh2, label: 电话}
"""


def _form(text: str) -> Form:
    return form_from_dict(yaml.safe_load(text))


@pytest.fixture(scope="module")
def matcher() -> FieldMatcher:
    return FieldMatcher(load_catalog())


def _pairs(matches: list[FieldMatch]) -> dict[str, tuple[str | None, str | None, str]]:
    return {m.path: (m.item, m.role, m.status) for m in matches}


@pytest.mark.parametrize(
    ("text", "path", "item", "role"),
    [
        (ROW_FORM, "c1", "name", "principal"),
        (ROW_FORM, "c2", "phone", "principal"),
        (ROW_FORM, "c3", "mobile", "principal"),
        (ROW_FORM, "c4", "name", "contact"),
        (ROW_FORM, "c5", "phone", "contact"),
        (ROW_FORM, "c6", "mobile", "contact"),
        (KEY_FORM, "fzrdh", "phone", "principal"),
        (KEY_FORM, "lxrsj", "mobile", "contact"),
        (ADDRESS_AFTER_PERSON, "sfzh", "citizen_id", "legal_representative"),
        (ADDRESS_AFTER_PERSON, "txdz", "mailing_address", "organization"),
        (ADDRESS_AFTER_PERSON, "yzbm", "postal_code", "organization"),
    ],
)
def test_the_person_named_before_owns_the_bare_fields(
    matcher: FieldMatcher, text: str, path: str, item: str, role: str
) -> None:
    pairs = _pairs(matcher.match([_form(text)]))
    assert pairs[path] == (item, role, "matched")


def test_the_reason_names_the_field_before(matcher: FieldMatcher) -> None:
    matches = {m.path: m for m in matcher.match([_form(ROW_FORM)])}
    assert any("the field before names it (联系人)" in r for r in matches["c5"].reasons)


def test_a_second_instance_nothing_names_goes_to_review(matcher: FieldMatcher) -> None:
    first, second = matcher.match([_form(SECOND_PHONE)])
    assert (first.item, first.status) == ("phone", "matched")
    assert second.status == "review"
    assert second.item is not None
    assert any("second instance" in r for r in second.reasons)


def test_a_later_sections_bare_repeat_goes_to_review(matcher: FieldMatcher) -> None:
    matches = matcher.match([_form(TWO_SECTIONS)])
    pairs = {m.path.split("/")[-1]: (m.item, m.role, m.status) for m in matches}
    assert pairs["sq_mc"] == ("enterprise_name", "organization", "matched")
    assert pairs["sq_dz"][2] == "matched"
    assert pairs["zt_mc"][2] == "review"
    assert pairs["zt_dz"][2] == "review"
    merged = merge([_form(TWO_SECTIONS)])
    assert [s.path for s in merged.field("enterprise_name@organization").sources] == ["sq/sq_mc"]


@pytest.mark.parametrize(
    ("text", "end", "item", "role"),
    [
        (VETERAN_FILES, "veteranFullName/first", "given_name", "applicant"),
        (VETERAN_FILES, "veteranFullName/last", "family_name", "applicant"),
        (VETERAN_FILES, "hospitalAddress/street", "street_address", "other:hospital"),
        (CLAIMANT_FILES, "veteranInformation/fullName/last", "family_name", "other:veteran"),
        (CLAIMANT_FILES, "claimantInformation/fullName/last", "family_name", "applicant"),
    ],
)
def test_english_groups_name_whose_parts_they_hold(
    matcher: FieldMatcher, text: str, end: str, item: str, role: str
) -> None:
    matches = {m.path: m for m in matcher.match([_form(text)])}
    assert (matches[end].item, matches[end].role, matches[end].status) == (item, role, "matched")


def test_context_ends_with_the_section(matcher: FieldMatcher) -> None:
    contact = Group(key="a", label="基本信息")
    other = Group(key="b", label="其他")
    form = Form(
        id="f",
        fields=(
            Field(key="lxr", label="联系人", group=(contact,)),
            Field(key="dh", label="电话", group=(other,)),
        ),
    )
    _, phone = matcher.match([form])
    assert (phone.item, phone.role) == ("phone", "applicant")


def test_context_gives_only_roles_the_item_allows(matcher: FieldMatcher) -> None:
    form = Form(
        id="f",
        subject="organization",
        fields=(Field(key="lxr", label="联系人"), Field(key="zs", label="住所")),
    )
    _, address = matcher.match([form])
    assert (address.item, address.role) == ("registered_address", "organization")


def test_the_contacts_phone_is_asked_once_across_forms() -> None:
    merged = merge([_form(ROW_FORM), _form(OTHER_ROW_FORM)])
    phone = merged.field("phone@contact")
    assert {(s.form, s.path) for s in phone.sources} == {("permit", "c5"), ("filing", "a2")}
    assert len(merged.field("phone@principal").sources) == 1


@pytest.mark.parametrize(
    ("readings", "span", "expected"),
    [
        # a bare person opens a run of at most ``span`` role-less fields
        (
            [("principal", "label", True), (None, "none", False), (None, "none", False)],
            1,
            ["", "principal", ""],
        ),
        # a field naming a role closes the run
        (
            [("contact", "label", True), ("agent", "label", False), (None, "none", False)],
            3,
            ["", "", ""],
        ),
        # a run overrides a group's role; a name field opens none
        ([("contact", "label", True), ("guardian", "group", False)], 3, ["", "contact"]),
        ([("mother", "label", False), (None, "none", False)], 3, ["", ""]),
    ],
)
def test_sequence_context(
    readings: list[tuple[str | None, str, bool]], span: int, expected: list[str]
) -> None:
    fields = [Field(key=f"k{i}", label="x") for i in range(len(readings))]
    got = sequence_context(fields, [FieldReading(*r) for r in readings], span)
    assert [c.role if c else "" for c in got] == expected

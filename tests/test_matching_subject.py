"""Form subject inference: whose bare fields are, from the title and the fields a form asks."""

from __future__ import annotations

import pytest
import yaml

from formmerge.catalog import load_catalog
from formmerge.ingest import form_from_dict
from formmerge.matching import FieldMatcher
from formmerge.merging import merge
from formmerge.models import FieldMatch, Form

ORGANIZATION_FORM = """
id: org-bank
title: 银行账户备案表
fields:
  - {key: dwmc, label: 单位名称}
  - {key: tyshxydm, label: 统一社会信用代码}
  - {key: dh, label: 电话}
  - {key: yb, label: 邮编}
  - {key: yx, label: 电子邮箱}
  - {key: zh, label: 银行账号}
  - {key: fddbrxm, label: 法定代表人姓名}
"""

ORGANIZATION_FORM_2 = """
id: org-tax
title: 税务信息确认表
fields:
  - {key: mc, label: 单位名称}
  - {key: xydm, label: 统一社会信用代码}
  - {key: lxdh, label: 电话}
  - {key: email, label: 电子邮箱}
"""

EMPLOYEE_FORM = """
id: employee
title: 企业职工基本养老保险待遇申领表
fields:
  - {key: xm, label: 姓名}
  - {key: dh, label: 电话}
  - {key: dwmc, label: 单位名称}
"""

FUNERAL_FORM = """
id: funeral
title: 丧葬补助金申领表
fields:
  - {key: xm, label: 姓名}
  - {key: xb, label: 性别}
  - {key: mz, label: 民族}
  - {key: swrq, label: 死亡日期, type: date}
  - {key: sqrxm, label: 申请人姓名}
"""

DEATH_FIELDS_ONLY = """
id: death-report
title: 信息登记表
fields:
  - {key: xm, label: 姓名}
  - {key: swrq, label: 死亡日期, type: date}
"""

ENGLISH_BUSINESS = """
id: business-registration
title: Business Registration Application
language: en
fields:
  - {key: telephone, label: Telephone}
  - {key: postcode, label: Postcode}
  - {key: email, label: Email address}
"""

LEGAL_REP_FORM = """
id: licence-renewal
title: 经营许可证延续申请表
fields:
  - {key: mc, label: 名称}
  - {key: dh, label: 电话}
  - {key: fddbr, label: 法定代表人}
"""

ALTERNATIVE_REP_FORM = """
id: quota
title: 指标申请表
fields:
  - {key: dh, label: 电话}
  - {key: fr, label: 法人代表/经营者}
"""

REP_OR_PRINCIPAL_FORM = """
id: permit-renewal
title: 许可证延续申请表
fields:
  - {key: txdz, label: 通讯地址}
  - {key: lxdh, label: 联系电话}
  - {key: fr, label: 法定代表人或负责人}
"""

APPLICANT_ENTERPRISE = """
id: applicant-enterprise
title: 备案表
fields:
  - {key: sqrmc, label: 申请人名称}
  - {key: tyshxydm, label: 统一社会信用代码}
  - {key: dh, label: 电话}
"""

GRANT_FORM = """
id: grant
title: SF424
language: en
fields:
  - {key: organization_name, label: Legal Name}
  - {key: ein, label: EIN/TIN}
  - {key: phone, label: Telephone Number}
"""

DECLARED_PERSON = """
id: declared
title: 公司职员信息表
subject: person
fields:
  - {key: dh, label: 电话}
"""


def _form(text: str) -> Form:
    return form_from_dict(yaml.safe_load(text))


@pytest.fixture(scope="module")
def matcher() -> FieldMatcher:
    return FieldMatcher(load_catalog())


def _by_label(matches: list[FieldMatch]) -> dict[str, tuple[str | None, str | None]]:
    return {m.label: (m.item, m.role) for m in matches}


@pytest.mark.parametrize(
    ("text", "label", "item", "role"),
    [
        (ORGANIZATION_FORM, "单位名称", "enterprise_name", "organization"),
        (ORGANIZATION_FORM, "电话", "phone", "organization"),
        (ORGANIZATION_FORM, "邮编", "postal_code", "organization"),
        (ORGANIZATION_FORM, "电子邮箱", "email", "organization"),
        (ORGANIZATION_FORM, "银行账号", "bank_account_number", "organization"),
        (ORGANIZATION_FORM, "法定代表人姓名", "name", "legal_representative"),
        (EMPLOYEE_FORM, "姓名", "name", "applicant"),
        (EMPLOYEE_FORM, "电话", "phone", "applicant"),
        (EMPLOYEE_FORM, "单位名称", "employer_name", "applicant"),
        (FUNERAL_FORM, "姓名", "name", "deceased"),
        (FUNERAL_FORM, "性别", "sex", "deceased"),
        (FUNERAL_FORM, "民族", "ethnicity", "deceased"),
        (FUNERAL_FORM, "申请人姓名", "name", "applicant"),
        (DEATH_FIELDS_ONLY, "姓名", "name", "deceased"),
        (ENGLISH_BUSINESS, "Telephone", "phone", "organization"),
        (ENGLISH_BUSINESS, "Postcode", "postal_code", "organization"),
        (DECLARED_PERSON, "电话", "phone", "applicant"),
        (LEGAL_REP_FORM, "电话", "phone", "organization"),
        (ALTERNATIVE_REP_FORM, "电话", "phone", "applicant"),
        (REP_OR_PRINCIPAL_FORM, "联系电话", "phone", "organization"),
        (REP_OR_PRINCIPAL_FORM, "通讯地址", "mailing_address", "organization"),
        (APPLICANT_ENTERPRISE, "申请人名称", "enterprise_name", "organization"),
        (APPLICANT_ENTERPRISE, "电话", "phone", "organization"),
        (GRANT_FORM, "Telephone Number", "phone", "organization"),
    ],
)
def test_bare_fields_belong_to_the_forms_subject(
    matcher: FieldMatcher, text: str, label: str, item: str, role: str
) -> None:
    matches = _by_label(matcher.match([_form(text)]))
    assert matches[label] == (item, role)


@pytest.mark.parametrize(
    ("text", "subject", "default_role", "cue"),
    [
        (ORGANIZATION_FORM, "organization", None, "'统一社会信用代码'"),
        (EMPLOYEE_FORM, "person", None, "'职工'"),
        (FUNERAL_FORM, "person", "deceased", "'丧葬'"),
        (DEATH_FIELDS_ONLY, "person", "deceased", "'死亡日期'"),
        (ENGLISH_BUSINESS, "organization", None, "'business'"),
        (LEGAL_REP_FORM, "organization", None, "'法定代表人' (a legal_representative)"),
        (REP_OR_PRINCIPAL_FORM, "organization", None, "'法定代表人或负责人'"),
        (ALTERNATIVE_REP_FORM, "person", None, ""),
        (APPLICANT_ENTERPRISE, "organization", None, "'申请人名称'"),
        (GRANT_FORM, "organization", None, "'EIN/TIN'"),
    ],
)
def test_inferred_subject_names_its_cue(
    matcher: FieldMatcher, text: str, subject: str, default_role: str | None, cue: str
) -> None:
    about = matcher.subjects.infer(_form(text))
    assert (about.subject, about.default_role) == (subject, default_role)
    assert cue in about.reason


def test_the_reason_is_in_the_match_reasons(matcher: FieldMatcher) -> None:
    matches = {m.label: m for m in matcher.match([_form(FUNERAL_FORM)])}
    assert any("inferred from" in r and "deceased" in r for r in matches["姓名"].reasons)


def test_a_declared_subject_is_kept(matcher: FieldMatcher) -> None:
    about = matcher.subjects.infer(_form(DECLARED_PERSON))
    assert (about.subject, about.default_role) == ("person", None)


def test_two_organization_forms_ask_the_organizations_phone_once() -> None:
    merged = merge([_form(ORGANIZATION_FORM), _form(ORGANIZATION_FORM_2)])
    ids = {f.id for f in merged.fields}
    assert {"phone@organization", "email@organization", "uscc@organization"} <= ids
    assert "phone@applicant" not in ids
    assert len(merged.field("phone@organization").sources) == 2


def test_a_form_asking_for_the_legal_representative_or_person_in_charge_is_an_organizations() -> (
    None
):
    merged = merge([_form(REP_OR_PRINCIPAL_FORM), _form(ORGANIZATION_FORM_2)])
    ids = {f.id for f in merged.fields}
    assert "phone@applicant" not in ids
    assert len(merged.field("phone@organization").sources) == 2

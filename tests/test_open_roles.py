"""Open roles: people and bodies without a standard role get ``other:<noun>``, never the
applicant; they merge only with the same noun, flow through merge, split and export, and a
decision can map them onto a standard role."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from formmerge.catalog import load_catalog
from formmerge.decisions import Decisions, RoleDecision, load_decisions
from formmerge.errors import DecisionsError
from formmerge.export import merged_to_json_schema
from formmerge.ingest import form_from_dict
from formmerge.matching import FieldMatcher
from formmerge.merging import merge
from formmerge.models import Form
from formmerge.role_nouns import is_open_role, open_role_id
from formmerge.roles import RoleDetector
from formmerge.splitting import split

MORTGAGE = """
id: mortgage
title: 抵押登记申请书
fields:
  - {key: a1, label: 抵押权人}
  - {key: a2, label: 抵押权人身份证号码}
  - {key: a3, label: 抵押人姓名}
  - {key: a4, label: 姓名}
  - {key: a5, label: 身份证号码}
"""

TRANSFER = """
id: transfer
title: 转移登记申请书
fields:
  - {key: b1, label: 抵押权人姓名}
  - {key: b2, label: 转让方姓名}
  - {key: b3, label: 受让方姓名}
  - {key: b4, label: 姓名}
"""

CONSTRUCTION = """
id: construction
title: 施工许可申请表
subject: organization
fields:
  - {key: c1, label: 项目负责人}
  - {key: c2, label: 项目负责人电话}
  - key: c3
    label: 单位名称
    group: [{key: sg, label: 施工单位}]
  - key: c4
    label: 联系电话
    group: [{key: sg, label: 施工单位}]
  - key: c5
    label: 单位名称
    group: [{key: sj, label: 设计单位信息}]
"""

BUSINESS = """
id: partnership
title: Partnership registration
language: en
fields:
  - {key: p1, label: "Partner's name"}
  - {key: p2, label: "Spouse's name"}
  - {key: p3, label: Director name}
"""


def _form(text: str) -> Form:
    return form_from_dict(yaml.safe_load(text))


@pytest.fixture(scope="module")
def detector() -> RoleDetector:
    return RoleDetector.from_catalog(load_catalog())


@pytest.mark.parametrize(
    ("label", "groups", "role"),
    [
        ("抵押权人身份证号码", [], "other:抵押权人"),
        ("抵押人", [], "other:抵押人"),
        ("转让方名称", [], "other:转让方"),
        ("受让方", [], "other:受让方"),
        ("项目负责人电话", [], "other:项目负责人"),
        ("财务负责人姓名", [], "other:财务负责人"),
        ("董事姓名", [], "other:董事"),
        ("经理", [], "other:经理"),
        ("施工单位名称", [], "other:施工单位"),
        ("联系电话", ["设计单位"], "other:设计单位"),
        ("单位名称", ["施工单位信息"], "other:施工单位"),
        ("Partner's name", [], "other:partner"),
        ("Name of partner", [], "other:partner"),
        # standard roles still win, with or without a modifier
        ("企业负责人电话", [], "principal"),
        ("查询申请人姓名", [], "applicant"),
        ("Spouse's name", [], "spouse"),
        ("Domestic partner name", [], "spouse"),
        ("姓名", ["新增共有人（申请人）"], "applicant"),
        # no role of their own
        ("本人身份证号", [], None),
        ("工作单位名称", [], None),
        ("与出生人关系", [], None),
    ],
)
def test_open_role_nouns(
    detector: RoleDetector, label: str, groups: list[str], role: str | None
) -> None:
    assert detector.detect(label, "", groups).role == role


@pytest.mark.parametrize(
    ("key", "role"),
    [
        ("hospitalAddress", "other:hospital"),
        ("veteranInformation", "other:veteran"),
        ("projectDirector", "other:project_director"),
        ("employerAddress", "other:employer"),
        ("patientFullName", "other:patient"),
    ],
)
def test_an_untitled_groups_key_names_the_open_role(
    detector: RoleDetector, key: str, role: str
) -> None:
    assert detector.detect("street", "street", [""], [key]).role == role


def test_english_nouns_are_snake_case(detector: RoleDetector) -> None:
    assert detector.detect("First Name", "", ["Project Director"]).role == "other:project_director"
    assert detector.open_is_body("other:hospital")
    assert detector.may_file("other:veteran")
    assert not detector.may_file("other:patient")


@pytest.mark.parametrize(
    ("text", "path", "item", "role"),
    [
        (MORTGAGE, "a1", "name", "other:抵押权人"),
        (MORTGAGE, "a2", "citizen_id", "other:抵押权人"),
        (MORTGAGE, "a3", "name", "other:抵押人"),
        (MORTGAGE, "a4", "name", "applicant"),
        (CONSTRUCTION, "c1", "name", "other:项目负责人"),
        (CONSTRUCTION, "c2", "phone", "other:项目负责人"),
        (CONSTRUCTION, "sg/c3", "enterprise_name", "other:施工单位"),
        (CONSTRUCTION, "sg/c4", "phone", "other:施工单位"),
        (CONSTRUCTION, "sj/c5", "enterprise_name", "other:设计单位"),
        (BUSINESS, "p1", "name", "other:partner"),
        (BUSINESS, "p2", "name", "spouse"),
        (BUSINESS, "p3", "name", "other:director"),
    ],
)
def test_open_roles_are_never_the_applicant(text: str, path: str, item: str, role: str) -> None:
    matches = {m.path: m for m in FieldMatcher().match([_form(text)])}
    assert (matches[path].item, matches[path].role) == (item, role)


def test_open_roles_merge_only_with_the_same_noun() -> None:
    merged = merge([_form(MORTGAGE), _form(TRANSFER)])
    mortgagee = merged.field("name@other:抵押权人")
    assert {s.form for s in mortgagee.sources} == {"mortgage", "transfer"}
    assert mortgagee.label.startswith("抵押权人")
    applicant = merged.field("name@applicant")
    assert {(s.form, s.path) for s in applicant.sources} == {("mortgage", "a4"), ("transfer", "b4")}
    roles = {f.role for f in merged.fields if is_open_role(f.role)}
    assert {"other:抵押权人", "other:抵押人", "other:转让方", "other:受让方"} <= roles


def test_open_roles_flow_through_split_and_export() -> None:
    merged = merge([_form(MORTGAGE), _form(TRANSFER)])
    schema = merged_to_json_schema(merged)
    assert "name@other:抵押权人" in schema["properties"]
    result = split(merged, {"name@other:抵押权人": "某银行", "name@applicant": "张三"})
    assert result.payloads["mortgage"]["a1"] == "某银行"
    assert result.payloads["transfer"]["b1"] == "某银行"
    assert result.payloads["transfer"]["b4"] == "张三"


def test_a_decision_maps_an_open_role_to_a_standard_one() -> None:
    decisions = Decisions(roles=[RoleDecision(role="other:项目负责人", maps_to="principal")])
    matches = {m.path: m for m in FieldMatcher(decisions=decisions).match([_form(CONSTRUCTION)])}
    assert (matches["c2"].item, matches["c2"].role) == ("phone", "principal")
    assert any("by a decision" in r for r in matches["c2"].reasons)


def test_a_role_decision_names_an_open_role_and_a_catalog_role(tmp_path: Path) -> None:
    file = tmp_path / "decisions.yaml"
    file.write_text(
        "decisions: []\nroles:\n  - {role: 'other:董事', maps_to: board}\n", encoding="utf-8"
    )
    with pytest.raises(DecisionsError) as info:
        FieldMatcher(decisions=load_decisions(file))
    assert [p.code for p in info.value.problems] == ["unknown-role"]
    file.write_text("decisions: []\nroles:\n  - {role: principal, maps_to: agent}\n")
    with pytest.raises(DecisionsError) as info:
        load_decisions(file)
    assert [p.code for p in info.value.problems] == ["invalid-decision"]


def test_role_decisions_round_trip(tmp_path: Path) -> None:
    decisions = Decisions(roles=[RoleDecision(role=open_role_id("董事"), maps_to="principal")])
    decisions.save(tmp_path / "d.yaml")
    assert load_decisions(tmp_path / "d.yaml").roles == decisions.roles


SCHEMA_NAMES = """
id: schema-names
title: Principles of excellence for educational institutions
language: en
fields:
  - {key: hospitalName, label: hospitalName, group: [{key: additionalInformation}]}
  - {key: childSocialSecurityNumber, label: childSocialSecurityNumber}
  - {key: first, label: first, group: [{key: authorizedOfficial}, {key: fullName}]}
  - {key: relationshipToVeteran, label: relationshipToVeteran}
"""


@pytest.mark.parametrize(
    ("end", "item", "role"),
    [
        # a label that is only the property name is read as the key's words
        ("hospitalName", "enterprise_name", "other:hospital"),
        ("childSocialSecurityNumber", "social_security_number", "child"),
        # a standard role's words beat the noun they end with
        ("first", "given_name", "agent"),
    ],
)
def test_schema_property_names_are_read_as_words(end: str, item: str, role: str) -> None:
    matches = {m.path.split("/")[-1]: m for m in FieldMatcher().match([_form(SCHEMA_NAMES)])}
    assert (matches[end].item, matches[end].role) == (item, role)


def test_a_phrase_ending_with_a_noun_is_not_the_nouns_name() -> None:
    matches = {m.path.split("/")[-1]: m for m in FieldMatcher().match([_form(SCHEMA_NAMES)])}
    relation = matches["relationshipToVeteran"]
    assert relation.item == "relationship"
    assert relation.role is not None and not relation.role.startswith("other:")


def test_a_plural_title_word_counts() -> None:
    about = FieldMatcher().subjects.infer(_form(SCHEMA_NAMES))
    assert about.subject == "organization"
    assert "'institutions'" in about.reason


PROJECT_CONTACT_FORMS = [
    {
        "id": "project-a",
        "title": "项目备案信息表",
        "fields": [
            {"key": "jbr", "label": "项目联系人姓名"},
            {"key": "jbrdh", "label": "经办人电话"},
        ],
    },
    {
        "id": "project-b",
        "title": "项目登记表",
        "fields": [{"key": "lxr", "label": "联系人姓名"}],
    },
]


def test_a_person_noun_in_the_label_beats_the_keys_initials() -> None:
    forms = [form_from_dict(f) for f in PROJECT_CONTACT_FORMS]
    matches = {(m.form, m.label): m for m in FieldMatcher(load_catalog()).match(forms)}
    # the key `jbr` reads as 经办人, but the label names the project's contact person
    assert (
        matches[("project-a", "项目联系人姓名")].item,
        matches[("project-a", "项目联系人姓名")].role,
    ) == (
        "name",
        "contact",
    )
    assert matches[("project-a", "经办人电话")].role == "agent"
    merged = merge(forms)
    assert len(merged.field("name@contact").sources) == 2
    assert "name@agent" not in {f.id for f in merged.fields}

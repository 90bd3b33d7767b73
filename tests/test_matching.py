"""The matcher: (item, role) for real-looking labels and keys, statuses, uniqueness, decisions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.catalog import load_catalog
from formmerge.decisions import Decision, Decisions
from formmerge.matching import FieldMatcher, match
from formmerge.models import Field, Form, Group, Option
from formmerge.settings import MatchSettings


def _form(*fields: Field, subject: str = "person", form_id: str = "f") -> Form:
    return Form(id=form_id, fields=fields, subject=subject)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def matcher() -> FieldMatcher:
    return FieldMatcher(load_catalog())


CASES = [
    # (label, key, groups, expected item, expected role)
    ("姓名", "xm", (), "name", "applicant"),
    ("姓  名", "", (), "name", "applicant"),
    ("身份证号码（必填）*", "sfzhm", (), "citizen_id", "applicant"),
    ("公民身份号码", "gmsfhm", (), "citizen_id", "applicant"),
    ("配偶身份证号码", "", (), "citizen_id", "spouse"),
    ("父亲身份证号", "fqsfzh", (), "citizen_id", "father"),
    ("母亲姓名", "mqxm", (), "name", "mother"),
    ("性別", "xb", (), "sex", "applicant"),
    ("出生日期", "csrq", (), "birth_date", "applicant"),
    ("民族", "mz", (), "ethnicity", "applicant"),
    ("手机号码", "sjhm", (), "mobile", "applicant"),
    ("法定代表人姓名", "frdbxm", (), "name", "legal_representative"),
    ("统一社会信用代码", "tyshxydm", (), "uscc", "organization"),
    ("户籍地址", "hjdz", (), "hukou_address", "applicant"),
    ("姓名", "name", (Group(key="spouse", label="配偶信息"),), "name", "spouse"),
    ("Spouse's date of birth", "spouseDob", (), "birth_date", "spouse"),
    ("Father - ID number", "", (), "citizen_id", "father"),
    ("Email", "email", (), "email", "applicant"),
    ("Date of Birth", "dateOfBirth", (), "birth_date", "applicant"),
    ("", "idNumber", (), "citizen_id", "applicant"),
    ("ＩＤ Number", "", (), "citizen_id", "applicant"),
]


@pytest.mark.parametrize(("label", "key", "groups", "item", "role"), CASES)
def test_real_labels_map_to_item_and_role(
    matcher: FieldMatcher, label: str, key: str, groups: tuple[Group, ...], item: str, role: str
) -> None:
    subject = "organization" if item == "uscc" else "person"
    field = Field(key=key or "q1", label=label, group=groups)
    (m,) = matcher.match([_form(field, subject=subject)])
    assert (m.item, m.role) == (item, role), m.reasons
    assert m.status in ("matched", "review")
    assert m.reasons


def test_a_shared_name_goes_to_its_own_item_unless_evidence_says_otherwise(
    matcher: FieldMatcher,
) -> None:
    # "联系电话" is the landline's own name and, on many forms, a mobile number: the catalog
    # shares it with the mobile item; a format, a pattern or example values settle it
    bare = Field(key="lxdh", label="聯繫電話")
    declared = Field(key="lxdh", label="联系电话", format="mobile")
    patterned = Field(key="phone", label="联系电话", pattern=r"^1\d{10}$")
    landline = Field(key="lxdh", label="联系电话", examples=("0717-6221234",))
    forms = [_form(f, form_id=str(i)) for i, f in enumerate((bare, declared, patterned, landline))]
    m_bare, m_declared, m_patterned, m_landline = matcher.match(forms)
    assert (m_bare.item, m_bare.status) == ("phone", "matched")
    assert {c.item for c in m_bare.candidates[:2]} == {"mobile", "phone"}
    assert (m_declared.item, m_declared.status) == ("mobile", "matched")
    assert (m_patterned.item, m_patterned.status) == ("mobile", "matched")
    assert m_landline.item == "phone"


@pytest.mark.parametrize(
    "label", ["申请事项说明", "是否同意短信通知", "Project Title", "备注说明文字内容", "办理网点"]
)
def test_decoys_stay_unmatched(matcher: FieldMatcher, label: str) -> None:
    (m,) = matcher.match([_form(Field(key="x1", label=label))])
    assert m.status == "unmatched"
    assert m.item is None and m.role is None


def test_a_key_that_contradicts_the_label_cannot_decide(matcher: FieldMatcher) -> None:
    # ``tz`` is the pinyin key of 体重 (weight), but the label asks something else
    (m,) = matcher.match([_form(Field(key="tz", label="是否同意接收短信通知"))])
    assert m.status != "matched"


def test_options_in_code_list_are_evidence(matcher: FieldMatcher) -> None:
    sex = (Option(code="1", label="男"), Option(code="2", label="女"))
    other = (Option(code="a", label="甲"), Option(code="b", label="乙"))
    with_sex = Field(key="a1", label="性别类型", type="enum", options=sex)
    without = Field(key="a2", label="性别类型", type="enum", options=other)
    m_sex, m_other = matcher.match([_form(with_sex, form_id="a"), _form(without, form_id="b")])
    assert m_sex.item == "sex"
    score_other = {c.item: c.score for c in m_other.candidates}.get("sex", 0.0)
    assert m_sex.score > score_other
    assert any("code list sex" in r for r in m_sex.reasons)


def test_examples_that_fail_the_validator_lower_the_score(matcher: FieldMatcher) -> None:
    good = Field(key="k1", label="身份证", examples=("11010519491231002X",))
    bad = Field(key="k2", label="身份证", examples=("not an id",))
    m_good, m_bad = matcher.match([_form(good, form_id="a"), _form(bad, form_id="b")])
    assert m_good.item == "citizen_id"
    assert m_good.score > m_bad.score


def test_one_item_role_per_section(matcher: FieldMatcher) -> None:
    form = _form(Field(key="xm", label="姓名"), Field(key="name2", label="姓名"))
    a, b = matcher.match([form])
    assert (a.item, a.role) != (b.item, b.role) or b.item is None
    assert a.status == "matched"
    assert b.status in ("review", "unmatched")


def test_same_item_in_different_sections_is_allowed(matcher: FieldMatcher) -> None:
    old = Group(key="before", label="变更前")
    new = Group(key="after", label="变更后")
    form = _form(
        Field(key="dz", label="住所", group=(old,)), Field(key="dz", label="住所", group=(new,))
    )
    a, b = matcher.match([form])
    assert a.item == b.item


def test_thresholds_are_settings() -> None:
    field = Field(key="zz", label="身份号")  # a near name: a score below 1, above the floors
    (default,) = match(_form(field))
    score = default.score
    assert default.item == "citizen_id" and 0.5 < score < 1.0

    def status(matched: float, review: float) -> str:
        (m,) = match(_form(field), settings=MatchSettings(matched=matched, review=review))
        assert m.score == score  # thresholds decide the status, never the score
        return m.status

    assert status(matched=score - 0.01, review=score - 0.02) == "matched"
    assert status(matched=score + 0.01, review=score - 0.01) == "review"
    assert status(matched=score + 0.02, review=score + 0.01) == "unmatched"


def test_confirmed_decision_overrides(matcher: FieldMatcher) -> None:
    field = Field(key="bz", label="备注")
    decisions = Decisions([Decision(form="f", field="bz", item="former_name", role="applicant")])
    (m,) = match(_form(field), decisions=decisions)
    assert (m.item, m.role, m.decided, m.status) == ("former_name", "applicant", True, "matched")


def test_rejected_decision_removes_the_item() -> None:
    field = Field(key="sfzhm", label="身份证号码")
    decisions = Decisions([Decision(label="身份证号码", item="citizen_id", status="rejected")])
    (m,) = match(_form(field), decisions=decisions)
    assert m.item != "citizen_id"


def test_field_hint_is_taken_as_given() -> None:
    field = Field(key="zzz", label="随便", item="vin", role="applicant")
    (m,) = match(_form(field))
    assert (m.item, m.role, m.decided) == ("vin", "applicant", True)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=30), st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", max_size=12))
def test_scores_are_bounded_and_status_consistent(label: str, key: str) -> None:
    if not label.strip() and not key.strip():
        return
    (m,) = match(_form(Field(key=key or "k", label=label)))
    s = MatchSettings()
    assert 0.0 <= m.score <= 1.0
    assert (m.status == "unmatched") == (m.item is None)
    if m.status == "matched":
        assert m.score >= s.matched

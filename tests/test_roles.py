"""Tests for formmerge.roles and the role catalog field_catalog/roles.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from formmerge import roles as roles_module
from formmerge.errors import CatalogError
from formmerge.models import Catalog, CatalogItem, Field, Group, Role
from formmerge.normalize import normalize_key, normalize_label, pinyin_initials
from formmerge.roles import RoleDetector, RoleHit

ROLES_FILE = Path(__file__).resolve().parents[1] / "field_catalog" / "roles.yaml"
ROLE_IDS = (
    "applicant",
    "spouse",
    "father",
    "mother",
    "child",
    "deceased",
    "legal_representative",
    "principal",
    "agent",
    "contact",
    "shareholder",
    "guardian",
    "organization",
)
ENGLISH_KEY_STEMS = frozenset({"org", "poc", "aor"})
"""Key prefixes that are English abbreviations although they look like pinyin initials."""


def _load_roles() -> tuple[Role, ...]:
    data = yaml.safe_load(ROLES_FILE.read_text(encoding="utf-8"))
    return tuple(Role.model_validate(r) for r in data["roles"])


ROLES = _load_roles()
DETECTOR = RoleDetector(ROLES)


# --------------------------------------------------------------------------- the catalog file


def test_role_ids_are_the_fixed_ones() -> None:
    assert tuple(r.id for r in ROLES) == ROLE_IDS
    assert [r.id for r in ROLES if not r.person] == ["organization"]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.id)
def test_role_words_are_normalised(role: Role) -> None:
    for word in (*role.words_zh, *role.words_en):
        assert normalize_label(word) == word
    assert all(normalize_key(p) == p for p in role.key_prefixes)
    assert role.words_zh and role.words_en and role.key_prefixes


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.id)
def test_pinyin_prefixes_are_initials_of_role_words(role: Role) -> None:
    initials = {pinyin_initials(w) for w in role.words_zh}
    english = {w.replace(" ", "_") for w in role.words_en} | ENGLISH_KEY_STEMS
    for prefix in role.key_prefixes:
        looks_english = "_" in prefix or any(v in prefix for v in "iu") or prefix in english
        assert looks_english or prefix in initials, f"{prefix!r} is not the initials of a word"


def test_shared_word_is_a_catalog_error() -> None:
    clash = (
        Role(id="a", label_zh="甲", label_en="a", words_zh=("联系人",), key_prefixes=("x",)),
        Role(id="b", label_zh="乙", label_en="b", words_zh=("聯繫人",), key_prefixes=("x",)),
    )
    with pytest.raises(CatalogError) as err:
        RoleDetector(clash)
    assert err.value.codes == ["role-word-conflict", "role-word-conflict"]
    assert err.value.problems[0].location.pointer == "/roles/1/words_zh"


# --------------------------------------------------------------------------- labels and keys

CASES = [
    # (label, key, role, rest_label, rest_key, source)
    # --- Chinese labels: role word at the start is stripped
    ("配偶身份证号码（必填）*", "", "spouse", "身份证号码", "", "label"),
    ("配偶的姓名", "", "spouse", "姓名", "", "label"),
    ("申请人姓名", "", "applicant", "姓名", "", "label"),
    # "本人" (oneself) is whoever the section is about, so it names no role of its own
    ("本人签字", "", None, "本人签字", "", "none"),
    ("父亲姓名", "", "father", "姓名", "", "label"),
    ("父姓名", "", "father", "姓名", "", "label"),
    ("母亲身份证号", "", "mother", "身份证号", "", "label"),
    ("妻子姓名", "", "spouse", "姓名", "", "label"),
    ("新生儿姓名", "", "child", "姓名", "", "label"),
    ("子女姓名", "", "child", "姓名", "", "label"),
    ("入学儿童身份证号", "", "child", "身份证号", "", "label"),
    ("被监护人姓名", "", "child", "姓名", "", "label"),
    ("死者姓名", "", "deceased", "姓名", "", "label"),
    ("法定代表人身份证号码", "", "legal_representative", "身份证号码", "", "label"),
    ("法人代表姓名", "", "legal_representative", "姓名", "", "label"),
    ("法人身份证号", "", "legal_representative", "身份证号", "", "label"),
    ("负责人电话", "", "principal", "电话", "", "label"),
    ("委托代理人姓名", "", "agent", "姓名", "", "label"),
    ("经办人手机号码", "", "agent", "手机号码", "", "label"),
    ("联系人电话", "", "contact", "电话", "", "label"),
    ("联系人姓名", "", "contact", "姓名", "", "label"),
    ("紧急联系人电话", "", "contact", "电话", "", "label"),
    ("股东名称", "", "shareholder", "名称", "", "label"),
    ("监护人姓名", "", "guardian", "姓名", "", "label"),
    ("学生家长姓名", "", "guardian", "姓名", "", "label"),
    # organization words are stripped like any other; items carry the generic alias
    ("单位名称", "", "organization", "名称", "", "label"),
    ("企业类型", "", "organization", "类型", "", "label"),
    ("企业法人营业执照", "", "organization", "营业执照", "", "label"),
    # chains: the last role word wins
    ("新生儿父亲姓名", "", "father", "姓名", "", "label"),
    ("申请人配偶身份证号", "", "spouse", "身份证号", "", "label"),
    ("企业法定代表人姓名", "", "legal_representative", "姓名", "", "label"),
    ("单位联系人电话", "", "contact", "电话", "", "label"),
    # marriage registration parties (convention: 男方 applicant, 女方 spouse)
    ("男方姓名", "", "applicant", "姓名", "", "label"),
    ("女方姓名", "", "spouse", "姓名", "", "label"),
    # traditional, full-width, odd spacing
    ("配偶身份證號碼", "", "spouse", "身份证号码", "", "label"),
    ("聯繫人電話", "", "contact", "电话", "", "label"),
    ("法 定 代 表 人 姓 名", "", "legal_representative", "姓名", "", "label"),
    ("ＦＡＴＨＥＲ　ＮＡＭＥ", "", "father", "name", "", "label"),
    # a separated segment or a note made of role words only
    ("身份证号码-配偶", "", "spouse", "身份证号码", "", "label"),
    ("身份证号码（配偶）", "", "spouse", "身份证号码", "", "label"),
    ("出生日期(父亲)", "", "father", "出生日期", "", "label"),
    # bare roles: the field holds the role's name
    ("法定代表人", "fddbr", "legal_representative", "", "", "label"),
    ("联系人：", "", "contact", "", "", "label"),
    ("Contact Person", "contact_person", "contact", "", "", "label"),
    # negatives: role words inside item names, compounds
    ("联系电话", "lxdh", None, "联系电话", "lxdh", "none"),
    ("聯繫電話", "", None, "联系电话", "", "none"),
    ("户主姓名", "hzxm", None, "户主姓名", "hzxm", "none"),
    ("与户主关系", "", None, "与户主关系", "", "none"),
    ("与申请人关系", "", None, "与申请人关系", "", "none"),
    ("与申请人的关系", "", None, "与申请人的关系", "", "none"),
    ("父母姓名", "", None, "父母姓名", "", "none"),
    ("夫妻关系证明", "", None, "夫妻关系证明", "", "none"),
    ("母婴保健机构", "", None, "母婴保健机构", "", "none"),
    ("母语", "", None, "母语", "", "none"),
    ("子女数", "", None, "子女数", "", "none"),
    ("工作单位", "gzdw", None, "工作单位", "gzdw", "none"),
    ("纳税人识别号", "", None, "纳税人识别号", "", "none"),
    ("组织机构代码", "zzjgdm", None, "组织机构代码", "zzjgdm", "none"),
    ("民族", "mz", None, "民族", "mz", "none"),
    ("性别", "xb", None, "性别", "xb", "none"),
    ("死亡日期", "", None, "死亡日期", "", "none"),
    ("地  址", "", None, "地址", "", "none"),
    # English labels
    ("Spouse's date of birth", "", "spouse", "date of birth", "", "label"),
    ("Spouse’s Date of Birth:", "", "spouse", "date of birth", "", "label"),
    ("Father - ID number", "", "father", "id number", "", "label"),
    ("ID number - Father", "", "father", "id number", "", "label"),
    ("Mother's maiden name", "", "mother", "maiden name", "", "label"),
    ("Name of deceased", "", "deceased", "name", "", "label"),
    ("Deceased's date of death", "", "deceased", "date of death", "", "label"),
    ("Date of death of the deceased", "", "deceased", "date of death", "", "label"),
    ("Authorized Representative Name", "", "agent", "name", "", "label"),
    ("Legal Representative ID number", "", "legal_representative", "id number", "", "label"),
    ("Name of person in charge", "", "principal", "name", "", "label"),
    ("The applicant's spouse name", "", "spouse", "name", "", "label"),
    ("Husband/Wife name", "", "spouse", "name", "", "label"),
    ("Applicant Organization Name", "", "organization", "name", "", "label"),
    ("Point of Contact Name", "", "contact", "name", "", "label"),
    ("Emergency contact phone", "", "contact", "phone", "", "label"),
    ("Parent's name", "", "guardian", "name", "", "label"),
    ("Name (spouse)", "", "spouse", "name", "", "label"),
    # English negatives
    ("Contact phone", "contact_phone", None, "contact phone", "contact_phone", "none"),
    ("Number of children", "", None, "number of children", "", "none"),
    ("Student ID", "", None, "student id", "", "none"),
    ("Employer name", "", None, "employer name", "", "none"),
    ("Business address", "", None, "business address", "", "none"),
    ("Principal place of business", "", None, "principal place of business", "", "none"),
    ("Childcare expenses", "childcare", None, "childcare expenses", "childcare", "none"),
    # keys: whole tokens
    ("", "spouseDateOfBirth", "spouse", "", "date_of_birth", "key"),
    ("", "father_name", "father", "", "name", "key"),
    ("", "fatherName", "father", "", "name", "key"),
    ("", "spouse_id", "spouse", "", "id", "key"),
    ("", "legal_rep.name", "legal_representative", "", "name", "key"),
    ("", "applicant.idNo", "applicant", "", "id_no", "key"),
    ("", "po_sfzhm", "spouse", "", "sfzhm", "key"),
    ("", "fddbr_sfzjhm", "legal_representative", "", "sfzjhm", "key"),
    ("", "name_of_spouse", "spouse", "", "name", "key"),
    ("", "point_of_contact_email", "contact", "", "email", "key"),
    ("", "authorized_representative_title", "agent", "", "title", "key"),
    # keys: glued pinyin initials
    ("", "fqxm", "father", "", "xm", "key"),
    ("", "mqxm", "mother", "", "xm", "key"),
    ("", "posfzhm", "spouse", "", "sfzhm", "key"),
    ("", "frdbxm", "legal_representative", "", "xm", "key"),
    ("", "frzjhm", "legal_representative", "", "zjhm", "key"),
    ("", "fddbrsfzjhm", "legal_representative", "", "sfzjhm", "key"),
    ("", "fddbrSfzjhm", "legal_representative", "", "sfzjhm", "key"),
    ("", "lxrdh", "contact", "", "dh", "key"),
    ("", "sqrxm", "applicant", "", "xm", "key"),
    ("", "gdxm", "shareholder", "", "xm", "key"),
    ("", "fddbr", "legal_representative", "", "", "key"),
    # keys that only look role-prefixed
    ("", "gddh", None, "", "gddh", "none"),
    ("", "sqrq", None, "", "sqrq", "none"),
    ("", "fzrq", None, "", "fzrq", "none"),
    ("", "postcode", None, "", "postcode", "none"),
    ("", "fdmc", None, "", "fdmc", "none"),
    ("", "jbxx", None, "", "jbxx", "none"),
    ("", "parent_id", None, "", "parent_id", "none"),
    ("", "mother_tongue", None, "", "mother_tongue", "none"),
    # Chinese keys
    ("", "配偶姓名", "spouse", "", "姓名", "key"),
    # label beats key; the key's own prefix is still stripped
    ("配偶姓名", "fqxm", "spouse", "姓名", "xm", "label"),
    ("姓名", "fqxm", "father", "姓名", "xm", "key"),
    ("Date of birth", "spouseDateOfBirth", "spouse", "date of birth", "date_of_birth", "key"),
]


@pytest.mark.parametrize(("label", "key", "role", "rest_label", "rest_key", "source"), CASES)
def test_detect(
    label: str, key: str, role: str | None, rest_label: str, rest_key: str, source: str
) -> None:
    hit = DETECTOR.detect(label, key)
    assert (hit.role, hit.rest_label, hit.rest_key, hit.source) == (
        role,
        rest_label,
        rest_key,
        source,
    )


@pytest.mark.parametrize(
    ("label", "key", "evidence", "bare"),
    [
        ("新生儿父亲姓名", "", "新生儿+父亲", False),
        ("法定代表人", "", "法定代表人", True),
        ("", "frdbxm", "frdb", False),
        ("", "fddbr", "fddbr", True),
        ("Contact Person", "", "contact person", True),
        ("联系电话", "", "", False),
    ],
)
def test_evidence_and_bare(label: str, key: str, evidence: str, bare: bool) -> None:
    hit = DETECTOR.detect(label, key)
    assert (hit.evidence, hit.bare) == (evidence, bare)


# --------------------------------------------------------------------------- groups

GROUP_CASES = [
    # (group labels, group keys, role, evidence)
    (["配偶信息"], [""], "spouse", "配偶"),
    (["父亲信息"], [""], "father", "父亲"),
    (["申请人基本信息"], [""], "applicant", "申请人"),
    (["法定代表人信息"], [""], "legal_representative", "法定代表人"),
    (["法定代表人（负责人）信息"], [""], "legal_representative", "法定代表人"),
    (["二、配偶情况"], [""], "spouse", "配偶"),
    (["Spouse details"], [""], "spouse", "spouse"),
    (["Details of spouse"], [""], "spouse", "spouse"),
    (["Spouse of the applicant"], [""], "spouse", "spouse"),
    (["Applicant/Recipient Point of Contact"], [""], "contact", "point of contact"),
    (["Type of Applicant"], [""], "applicant", "applicant"),
    ([""], ["spouse"], "spouse", "spouse"),
    ([""], ["applicant"], "applicant", "applicant"),
    ([""], ["father_info"], "father", "father"),
    ([""], ["fatherInfo"], "father", "father"),
    ([""], ["poxx"], "spouse", "po"),
    ([""], ["key_contact_person"], "contact", "key_contact"),
    # innermost group first
    (["申请人信息", "配偶信息"], ["", ""], "spouse", "配偶"),
    (["Spouse", "Details"], ["spouse", "details"], "spouse", "spouse"),
    # a group label beats the key of the same group
    (["父亲信息"], ["mother"], "father", "父亲"),
    # an untitled group's English key is its title, item words at its end dropped
    ([""], ["secondaryContact"], "contact", "secondary contact"),
    ([""], ["claimantInformation"], "applicant", "claimant"),
    ([""], ["preparerFullName"], "agent", "preparer"),
    ([""], ["personalData"], None, ""),
    # no role
    (["家庭成员信息"], ["members"], None, ""),
    (["工作单位信息"], [""], None, ""),
    (["联系方式"], ["contact"], None, ""),
    (["英文字母"], [""], None, ""),
    ([], [], None, ""),
]


@pytest.mark.parametrize(("labels", "keys", "role", "evidence"), GROUP_CASES)
def test_group_context(labels: list[str], keys: list[str], role: str | None, evidence: str) -> None:
    hit = DETECTOR.detect("姓名", "xm", labels, keys)
    assert (hit.role, hit.evidence) == (role, evidence)
    assert hit.source == ("group" if role else "none")
    assert (hit.rest_label, hit.rest_key) == ("姓名", "xm")


def test_key_beats_group_and_label_beats_key() -> None:
    assert DETECTOR.detect("姓名", "fqxm", ["配偶信息"]).role == "father"
    assert DETECTOR.detect("母亲姓名", "fqxm", ["配偶信息"]).role == "mother"


def test_detect_field_uses_groups() -> None:
    field = Field(
        key="name",
        label="Name",
        group=(Group(key="applicant", label="申请人"), Group(key="spouse", label="配偶信息")),
    )
    assert DETECTOR.detect_field(field) == RoleHit("spouse", "name", "name", "group", "配偶")


def test_item_keys_are_never_split() -> None:
    assert DETECTOR.detect("", "fqrq").role == "father"
    detector = RoleDetector(ROLES, item_keys=["fqrq"])
    assert detector.detect("", "fqrq") == RoleHit(None, "", "fqrq", "none")


def test_from_catalog_protects_item_aliases() -> None:
    item = CatalogItem(
        id="initiation_date",
        domain="enterprise",
        label_zh="发起日期",
        label_en="initiation date",
        aliases=("fqrq", "发起时间"),
    )
    detector = RoleDetector.from_catalog(Catalog(items=(item,), roles=ROLES))
    assert detector.detect("", "fqrq").role is None
    assert detector.detect("", "fqxm").role == "father"


def test_min_glued_rest() -> None:
    assert RoleDetector(ROLES, min_glued_rest=3).detect("", "fqxm").role is None


def test_all_is_sorted_and_exported() -> None:
    assert list(roles_module.__all__) == sorted(roles_module.__all__)
    assert all(hasattr(roles_module, name) for name in roles_module.__all__)


# --------------------------------------------------------------------------- invariants


def _is_subsequence(part: str, whole: str) -> bool:
    chars = iter(whole)
    return all(ch in chars for ch in part)


_WORDS = sorted({w for r in ROLES for w in (*r.words_zh, *r.words_en)})
_GLUE = ["的", "'s", " - ", "（", "）", " of ", "*", "必填", " "]
_PIECES = st.sampled_from([*_WORDS, *_GLUE, "姓名", "电话", "号码", "name"])
_texts = st.one_of(st.text(), st.lists(_PIECES, max_size=8).map("".join))
_keys = st.one_of(
    st.text(),
    st.lists(
        st.sampled_from(sorted({p for r in ROLES for p in r.key_prefixes} | {"xm", "_", "Name"})),
        max_size=5,
    ).map("".join),
)


@given(_texts, _keys, st.lists(_texts, max_size=3), st.lists(_keys, max_size=3))
def test_detect_never_raises_and_only_deletes(
    label: str, key: str, group_labels: list[str], group_keys: list[str]
) -> None:
    hit = DETECTOR.detect(label, key, group_labels, group_keys)
    assert hit.role is None or hit.role in ROLE_IDS
    assert (hit.role is None) == (hit.source == "none")
    assert _is_subsequence(hit.rest_label, normalize_label(label))
    if key.isascii():
        assert _is_subsequence(hit.rest_key, normalize_key(key))
    if hit.source in ("key", "group", "none"):
        assert hit.rest_label == normalize_label(label)

"""Tests for formmerge.catalog and formmerge.resources: the shipped catalog and the loader."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from formmerge import catalog as catalog_module
from formmerge.catalog import (
    FRAME_COLUMNS,
    alias_key,
    catalog_for,
    catalog_frame,
    code_for,
    load_catalog,
    search_catalog,
    search_catalog_hits,
)
from formmerge.errors import CatalogError, FormmergeError
from formmerge.merging import merge
from formmerge.models import Catalog, CatalogItem, Field, Form, MergedForm
from formmerge.resources import data_path
from formmerge.splitting import split

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


def names_of(item: CatalogItem) -> list[str]:
    return [item.label_zh, item.label_en, *item.aliases, *item.shared_aliases]


def initials(text: str) -> str:
    """Pinyin first letters of a Chinese name, as government systems build keys."""
    return alias_key("".join(lazy_pinyin(text, style=Style.FIRST_LETTER)))


# --------------------------------------------------------------------------- shipped catalog


def test_all_names_exported() -> None:
    for name in catalog_module.__all__:
        assert hasattr(catalog_module, name), name


def test_shipped_catalog_loads_once_and_is_cached(shipped: Catalog) -> None:
    assert load_catalog() is shipped
    again = load_catalog(data_path("field_catalog"))
    assert again is not shipped
    assert again == shipped


def test_shipped_catalog_size(shipped: Catalog) -> None:
    assert len(shipped.items) >= 120
    assert len(shipped.materials) >= 35
    assert len({i.domain for i in shipped.items}) == 17


def test_every_item_has_labels_and_four_aliases(shipped: Catalog) -> None:
    few = [i.id for i in shipped.items if len(i.aliases) + len(i.shared_aliases) < 4]
    assert few == []
    assert all(i.label_zh.strip() and i.label_en.strip() for i in shipped.items)
    assert all(CJK.search(i.label_zh) for i in shipped.items)


SPEC_ITEMS = {
    "person": "name former_name given_name family_name sex ethnicity birth_date citizen_id "
    "id_document_type id_document_number id_valid_from id_valid_to id_issuing_authority "
    "nationality native_place birth_place political_status photo",
    "contact": "mobile phone email mailing_address postal_code current_address fax",
    "household": "hukou_address hukou_type household_head_name relation_to_head hukou_authority "
    "hukou_region_code household_number residence_permit_number move_in_date",
    "marriage": "marital_status marriage_date marriage_certificate_number "
    "marriage_registration_authority divorce_date relationship number_of_children",
    "birth": "birth_certificate_number birth_time birth_weight birth_length gestational_weeks "
    "birth_institution birth_order vaccination_certificate_number",
    "education": "education_level degree graduate_school major graduation_date student_number "
    "school_name grade diploma_number",
    "employment": "employer_name occupation job_title work_start_date social_security_number "
    "social_security_card_number pension_insured_region pension_insured_status "
    "pension_contribution_years pension_start_date retirement_date bank_account_number bank_name",
    "medical": "medical_insurance_number medical_insurance_type medical_insurance_region "
    "designated_hospital medical_insurance_start_date",
    "housing_fund": "housing_fund_account housing_fund_base housing_fund_rate housing_fund_center "
    "housing_fund_balance",
    "real_estate": "property_certificate_number property_unit_number property_address "
    "property_area property_use property_share_type",
    "vehicle": "driving_licence_number driving_licence_class plate_number vin vehicle_type "
    "vehicle_model engine_number vehicle_registration_date vehicle_invoice_number "
    "compulsory_insurance_policy",
    "enterprise": "enterprise_name uscc enterprise_type registered_address business_address "
    "registered_capital paid_in_capital establishment_date business_scope business_term_to "
    "registration_authority industry_code employee_count operating_status organization_code "
    "subscribed_capital shareholding_ratio",
    "tax": "taxpayer_id tax_authority taxpayer_type tax_registration_date accounting_system "
    "tax_credit_rating",
    "credit": "abnormal_operation_listed serious_dishonesty_listed dishonest_debtor credit_rating",
    "disability": "disability_certificate_number disability_type disability_level",
    "death": "death_date death_cause death_place death_certificate_number "
    "cremation_certificate_number",
    "military": "veteran_certificate_number enlistment_date discharge_date military_service_type",
}


@pytest.mark.parametrize(
    ("domain", "item_id"), [(d, i) for d, ids in SPEC_ITEMS.items() for i in ids.split()]
)
def test_fixed_item_ids_exist_in_their_domain(shipped: Catalog, domain: str, item_id: str) -> None:
    assert shipped.item(item_id).domain == domain


@pytest.mark.parametrize(
    ("item_id", "type_", "format_", "code_list"),
    [
        ("sex", "enum", None, "sex"),
        ("ethnicity", "enum", None, "ethnicity"),
        ("birth_date", "date", "date", None),
        ("citizen_id", "string", "citizen-id", None),
        ("id_document_type", "enum", None, "id_document_type"),
        ("political_status", "enum", None, "political_status"),
        ("photo", "file", None, None),
        ("mobile", "string", "mobile", None),
        ("phone", "string", "phone", None),
        ("email", "string", "email", None),
        ("postal_code", "string", "postal-code", None),
        ("hukou_type", "enum", None, "hukou_type"),
        ("relation_to_head", "enum", None, "family_relation"),
        ("hukou_region_code", "string", "region-code", None),
        ("marital_status", "enum", None, "marital_status"),
        ("relationship", "enum", None, "family_relation"),
        ("number_of_children", "integer", None, None),
        ("birth_time", "datetime", None, None),
        ("birth_weight", "number", None, None),
        ("education_level", "enum", None, "education_level"),
        ("pension_insured_status", "enum", None, "insured_status"),
        ("medical_insurance_type", "enum", None, "medical_insurance_type"),
        ("plate_number", "string", "plate", None),
        ("vin", "string", "vin", None),
        ("uscc", "string", "uscc", None),
        ("enterprise_type", "enum", None, "enterprise_type"),
        ("registered_capital", "number", None, None),
        ("employee_count", "integer", None, None),
        ("taxpayer_type", "enum", None, "taxpayer_type"),
        ("abnormal_operation_listed", "boolean", None, None),
        ("disability_type", "enum", None, "disability_type"),
        ("disability_level", "enum", None, "disability_level"),
    ],
)
def test_item_types_formats_and_code_lists(
    shipped: Catalog, item_id: str, type_: str, format_: str | None, code_list: str | None
) -> None:
    item = shipped.item(item_id)
    assert (item.type, item.format, item.code_list) == (type_, format_, code_list)


@pytest.mark.parametrize(
    ("item_id", "first_role"),
    [
        ("name", "applicant"),
        ("citizen_id", "applicant"),
        ("enterprise_name", "organization"),
        ("uscc", "organization"),
        ("birth_weight", "child"),
        ("death_date", "deceased"),
        ("shareholding_ratio", "shareholder"),
        ("student_number", "child"),
    ],
)
def test_default_roles(shipped: Catalog, item_id: str, first_role: str) -> None:
    assert shipped.item(item_id).roles[0] == first_role


def test_person_items_cover_the_person_roles(shipped: Catalog) -> None:
    for item_id in ("name", "citizen_id", "sex", "birth_date"):
        roles = set(shipped.item(item_id).roles)
        assert {"spouse", "father", "mother", "child", "legal_representative"} <= roles
        assert "organization" not in roles


@pytest.mark.parametrize(
    ("item_id", "sensitivity"),
    [
        ("citizen_id", "sensitive"),
        ("id_document_number", "sensitive"),
        ("mobile", "sensitive"),
        ("phone", "sensitive"),
        ("bank_account_number", "sensitive"),
        ("health_status", "sensitive"),
        ("disability_type", "sensitive"),
        ("enterprise_name", "public"),
        ("uscc", "public"),
        ("name", "internal"),
    ],
)
def test_sensitivity(shipped: Catalog, item_id: str, sensitivity: str) -> None:
    assert shipped.item(item_id).sensitivity == sensitivity


@pytest.mark.parametrize(
    ("item_id", "department"),
    [
        ("citizen_id", "公安"),
        ("marital_status", "民政"),
        ("birth_certificate_number", "卫健"),
        ("pension_insured_status", "人社"),
        ("medical_insurance_type", "医保"),
        ("housing_fund_account", "住房公积金管理中心"),
        ("property_certificate_number", "自然资源"),
        ("plate_number", "公安交管"),
        ("uscc", "市场监管"),
        ("taxpayer_id", "税务"),
        ("disability_level", "残联"),
        ("veteran_certificate_number", "退役军人事务"),
    ],
)
def test_departments(shipped: Catalog, item_id: str, department: str) -> None:
    assert shipped.item(item_id).department == department


def claimants(catalog: Catalog, name: str) -> set[str]:
    key = alias_key(name)
    return {i.id for i in catalog.items if key in {alias_key(n) for n in names_of(i)}}


PINYIN_KEYS = [
    ("citizen_id", "sfzhm"),
    ("citizen_id", "sfzh"),
    ("citizen_id", "gmsfhm"),
    ("name", "xm"),
    ("sex", "xb"),
    ("birth_date", "csrq"),
    ("ethnicity", "mz"),
    ("former_name", "cym"),
    ("birth_place", "csd"),
    ("id_document_type", "zjlx"),
    ("id_document_number", "zjhm"),
    ("id_document_number", "sfzjh"),
    ("hukou_address", "hjdz"),
    ("current_address", "sjjzdz"),
    ("mobile", "sjhm"),
    ("postal_code", "yzbm"),
    ("marital_status", "hyzk"),
    ("education_level", "xl"),
    ("political_status", "zzmm"),
    ("uscc", "tyshxydm"),
    ("organization_code", "zzjgdm"),
    ("business_registration_number", "gsdjzch"),
    ("registered_address", "zs"),
    ("business_address", "jycs"),
    ("registered_capital", "zczb"),
    ("establishment_date", "clrq"),
    ("business_scope", "jyfw"),
    ("registration_authority", "djjg"),
    ("industry_code", "hydm"),
    ("taxpayer_id", "nsrsbh"),
    ("taxpayer_id", "swdjh"),
    ("plate_number", "hphm"),
    ("vin", "clsbdh"),
    ("driving_licence_class", "zjcx"),
    ("property_certificate_number", "bdcqzh"),
    ("photo", "zp"),
]


@pytest.mark.parametrize(("item_id", "key"), PINYIN_KEYS)
def test_pinyin_keys_of_core_items(shipped: Catalog, item_id: str, key: str) -> None:
    item = shipped.item(item_id)
    assert key in item.aliases
    assert key in {initials(n) for n in names_of(item) if CJK.search(n)}
    assert claimants(shipped, key) == {item_id}


API_ABBREVIATIONS = {"brdy"}  # medical-security interface key for the date of birth


def test_consonant_only_keys_are_pinyin_initials_of_the_item(shipped: Catalog) -> None:
    # An all-consonant lower-case key is no English word: it must abbreviate a Chinese name.
    wrong = []
    for item in shipped.items:
        chinese = {initials(n) for n in names_of(item) if CJK.search(n)}
        for alias in (*item.aliases, *item.shared_aliases):
            consonants = re.fullmatch(r"[b-df-hj-np-tv-z]{2,8}", alias)
            if consonants and alias not in chinese and alias not in API_ABBREVIATIONS:
                wrong.append((item.id, alias))
    assert wrong == []


US_FORM_NAMES = [
    ("Legal Name", "enterprise_name"),
    ("Organization Name", "enterprise_name"),
    ("EIN/TIN", "taxpayer_id"),
    ("Zip / Postal Code", "postal_code"),
    ("Telephone Number", "phone"),
    ("Phone", "phone"),
    ("Fax Number", "fax"),
    ("Email", "email"),
    ("First Name", "given_name"),
    ("Middle Name", "middle_name"),
    ("Last Name", "family_name"),
    ("Street 1", "street_address"),
    ("Street 2", "address_line_2"),
    ("City", "city"),
    ("County/Parish", "county_district"),
    ("State", "province_state"),
    ("Province", "province_state"),
    ("Country", "country"),
    ("Title", "job_title"),
    ("Web Address", "website"),
    ("Department Name", "department_name"),
]


@pytest.mark.parametrize(("name", "item_id"), US_FORM_NAMES)
def test_us_grant_form_names(shipped: Catalog, name: str, item_id: str) -> None:
    assert claimants(shipped, name) == {item_id}


@pytest.mark.parametrize(
    ("name", "item_ids"),
    [
        ("身份证号码", {"citizen_id"}),
        ("公民身份证号", {"citizen_id"}),
        ("居民身份证号码", {"citizen_id"}),
        ("Citizen ID", {"citizen_id"}),
        ("Resident ID No.", {"citizen_id"}),
        ("ID number", {"citizen_id"}),
        ("证件号码", {"id_document_number"}),
        ("dateOfBirth", {"birth_date"}),
        ("mobile_phone", {"mobile"}),
        ("id_number", {"citizen_id"}),
        ("联系电话", {"phone", "mobile"}),
        ("住址", {"hukou_address", "current_address"}),
        ("Name", {"name", "enterprise_name"}),
        ("出生时间", {"birth_date", "birth_time"}),
    ],
)
def test_real_form_names(shipped: Catalog, name: str, item_ids: set[str]) -> None:
    assert claimants(shipped, name) == item_ids


def test_names_claimed_by_several_items_are_shared_by_all(shipped: Catalog) -> None:
    by_key: dict[str, set[str]] = {}
    for item in shipped.items:
        for name in names_of(item):
            by_key.setdefault(alias_key(name), set()).add(item.id)
    for key, owners in by_key.items():
        if len(owners) > 1:
            for owner in owners:
                shared = {alias_key(a) for a in shipped.item(owner).shared_aliases}
                assert key in shared, (key, owner)


def role_words(catalog: Catalog) -> list[tuple[str, str]]:
    return [
        (role.id, unicodedata.normalize("NFKC", word).casefold())
        for role in catalog.roles
        for word in (*role.words_zh, *role.words_en)
    ]


def carries_word(text: str, word: str) -> bool:
    """Whether a role detector would see ``word`` in ``text``: at the start, as a separated
    segment ("身份证号码（配偶）", "ID number - Father") or after "of" ("Name of deceased")."""
    if text.startswith(word):
        rest = text[len(word) :]
        if not (word.isascii() and rest[:1].isascii() and rest[:1].isalnum()):
            return True
    segments = [s.strip() for s in re.split(r"[()（）/\\\-·:：,，、]+", text)]
    if word in segments:
        return True
    return word.isascii() and re.search(rf"\bof (the )?{re.escape(word)}\b", text) is not None


def test_aliases_do_not_carry_another_roles_word(shipped: Catalog) -> None:
    # "法定代表人姓名" is (name, legal_representative): role words are detected and stripped,
    # so an alias must not carry one, except its own default role's or one its label carries.
    offending = []
    for item in shipped.items:
        own = unicodedata.normalize("NFKC", f"{item.label_zh} {item.label_en}").casefold()
        for alias in (*item.aliases, *item.shared_aliases):
            text = unicodedata.normalize("NFKC", alias).casefold()
            for role_id, word in role_words(shipped):
                if role_id != item.roles[0] and word not in own and carries_word(text, word):
                    offending.append((item.id, alias, role_id))
    assert offending == []


# --------------------------------------------------------------------------- code lists

CODE_LIST_IDS = [
    "sex",
    "ethnicity",
    "marital_status",
    "id_document_type",
    "political_status",
    "education_level",
    "hukou_type",
    "family_relation",
    "insured_status",
    "medical_insurance_type",
    "enterprise_type",
    "taxpayer_type",
    "disability_type",
    "disability_level",
    "region",
]


def test_code_lists_exist_and_are_referenced(shipped: Catalog) -> None:
    assert {c.id for c in shipped.code_lists} == set(CODE_LIST_IDS)
    used = {i.code_list for i in shipped.items if i.code_list}
    used |= {i.named_codes for i in shipped.items if i.named_codes}
    assert used == set(CODE_LIST_IDS)
    assert all(c.standard for c in shipped.code_lists)


@pytest.mark.parametrize(
    ("code_list", "code", "label_zh"),
    [
        ("sex", "0", "未知的性别"),
        ("sex", "1", "男"),
        ("sex", "2", "女"),
        ("sex", "9", "未说明的性别"),
        ("ethnicity", "01", "汉族"),
        ("ethnicity", "02", "蒙古族"),
        ("ethnicity", "04", "藏族"),
        ("ethnicity", "05", "维吾尔族"),
        ("ethnicity", "08", "壮族"),
        ("ethnicity", "10", "朝鲜族"),
        ("ethnicity", "11", "满族"),
        ("ethnicity", "29", "柯尔克孜族"),
        ("ethnicity", "43", "乌孜别克族"),
        ("ethnicity", "49", "京族"),
        ("ethnicity", "56", "基诺族"),
        ("marital_status", "10", "未婚"),
        ("marital_status", "20", "已婚"),
        ("marital_status", "22", "再婚"),
        ("marital_status", "30", "丧偶"),
        ("marital_status", "40", "离婚"),
        ("political_status", "01", "中国共产党党员"),
        ("political_status", "03", "中国共产主义青年团团员"),
        ("political_status", "13", "群众"),
        ("education_level", "20", "大学本科教育"),
        ("education_level", "80", "小学教育"),
        ("family_relation", "01", "本人"),
        ("family_relation", "02", "户主"),
        ("family_relation", "10", "配偶"),
        ("family_relation", "20", "子"),
        ("family_relation", "30", "女"),
        ("family_relation", "51", "父亲"),
        ("family_relation", "52", "母亲"),
        ("family_relation", "99", "非亲属"),
        ("id_document_type", "111", "居民身份证"),
        ("id_document_type", "113", "户口簿"),
        ("id_document_type", "414", "普通护照"),
        ("medical_insurance_type", "310", "职工基本医疗保险"),
        ("medical_insurance_type", "390", "城乡居民基本医疗保险"),
        ("enterprise_type", "1130", "有限责任公司(自然人投资或控股)"),
        ("enterprise_type", "9500", "个体工商户"),
        ("disability_type", "4", "肢体残疾"),
        ("disability_level", "1", "一级"),
    ],
)
def test_standard_codes(shipped: Catalog, code_list: str, code: str, label_zh: str) -> None:
    codes = {c.code: c.label_zh for c in shipped.code_list(code_list).codes}
    assert codes[code] == label_zh


def test_ethnicity_has_all_56_codes_with_romanisations(shipped: Catalog) -> None:
    codes = shipped.code_list("ethnicity").codes
    numbered = [c for c in codes if int(c.code) <= 56]
    assert [c.code for c in numbered] == [f"{n:02d}" for n in range(1, 57)]
    assert all(c.label_zh.endswith("族") and c.label_en.isascii() for c in numbered)
    letters = [a for c in numbered for a in c.aliases if re.fullmatch(r"[A-Z]{2}", a)]
    assert len(set(letters)) == 56


@pytest.mark.parametrize(
    ("code_list", "value", "expected"),
    [
        ("sex", "男", "1"),
        ("sex", "女", "2"),
        ("sex", "M", "1"),
        ("sex", "f", "2"),
        ("sex", "Female", "2"),
        ("sex", "男性", "1"),
        ("sex", 1, "1"),
        ("sex", "２", "2"),
        ("sex", "unknown", "0"),
        ("ethnicity", "1", "01"),
        ("ethnicity", "汉", "01"),
        ("ethnicity", "汉族", "01"),
        ("ethnicity", "Han", "01"),
        ("ethnicity", "UG", "05"),
        ("ethnicity", "Uyghur", "05"),
        ("ethnicity", "维吾尔", "05"),
        ("marital_status", "离异", "40"),
        ("marital_status", "married", "20"),
        ("education_level", "本科", "20"),
        ("education_level", "大专", "30"),
        ("education_level", "硕士", "14"),
        ("family_relation", "爸爸", "51"),
        ("family_relation", "1", "01"),
        ("id_document_type", "身份证", "111"),
        ("id_document_type", "护照", "414"),
        ("political_status", "党员", "01"),
        ("hukou_type", "城镇", "2"),
        ("enterprise_type", "个体户", "9500"),
        ("disability_level", "二级", "2"),
        ("sex", "", None),
        ("sex", "unicorn", None),
        ("education_level", "2", None),
    ],
)
def test_code_for(shipped: Catalog, code_list: str, value: str | int, expected: str | None) -> None:
    assert code_for(shipped, code_list, value) == expected


def test_every_spelling_of_every_code_maps_back(shipped: Catalog) -> None:
    for code_list in shipped.code_lists:
        for code in code_list.codes:
            for text in (code.code, code.label_zh, code.label_en, *code.aliases):
                if text:
                    assert code_for(shipped, code_list.id, text) == code.code, text


def test_code_for_unknown_code_list(shipped: Catalog) -> None:
    with pytest.raises(KeyError):
        code_for(shipped, "no_such_list", "1")


@given(st.text(max_size=12))
def test_code_for_gives_none_or_a_real_code(value: str) -> None:
    catalog = load_catalog()
    for code_list in ("sex", "ethnicity", "family_relation"):
        found = code_for(catalog, code_list, value)
        assert found is None or found in {c.code for c in catalog.code_list(code_list).codes}


# --------------------------------------------------------------------------- materials

MATERIAL_NAMES = [
    "居民身份证",
    "户口簿",
    "结婚证",
    "离婚证",
    "出生医学证明",
    "预防接种证",
    "不动产权证书",
    "营业执照",
    "居住证",
    "社会保障卡",
    "医保电子凭证",
    "机动车驾驶证",
    "机动车登记证书",
    "机动车行驶证",
    "机动车销售统一发票",
    "交强险保单",
    "毕业证书",
    "学位证书",
    "残疾人证",
    "死亡医学证明",
    "火化证明",
    "退役证",
    "公司章程",
    "股东会决议",
    "法定代表人任职文件",
    "银行开户许可证",
    "租赁合同",
    "房屋产权证明",
    "授权委托书",
    "户籍证明",
    "学籍证明",
    "退休审批表",
    "参保缴费证明",
    "公积金缴存证明",
    "税务登记证",
    "公章",
]


def test_materials_named_in_the_design_exist(shipped: Catalog) -> None:
    names = {m.name_zh for m in shipped.materials}
    assert [n for n in MATERIAL_NAMES if n not in names] == []


def test_material_evidences_exist(shipped: Catalog) -> None:
    ids = {i.id for i in shipped.items}
    for material in shipped.materials:
        assert set(material.evidences) <= ids, material.id
        assert material.issuer


@pytest.mark.parametrize(
    ("material_id", "evidence", "e_licence"),
    [
        ("resident_id_card", "citizen_id", True),
        ("household_register", "hukou_type", True),
        ("marriage_certificate", "marriage_date", True),
        ("business_licence", "uscc", True),
        ("birth_medical_certificate", "birth_certificate_number", True),
        ("vehicle_registration_certificate", "vin", False),
    ],
)
def test_material_examples(
    shipped: Catalog, material_id: str, evidence: str, e_licence: bool
) -> None:
    material = shipped.material(material_id)
    assert evidence in material.evidences
    assert material.e_licence is e_licence


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zip / Postal Code", "zippostalcode"),
        ("zip_postal_code", "zippostalcode"),
        ("ＩＤ　Ｎｏ．", "idno"),
        ("身份证号码（必填）", "身份证号码必填"),
        ("E-mail", "email"),
        ("", ""),
    ],
)
def test_alias_key(text: str, expected: str) -> None:
    assert alias_key(text) == expected


@given(st.text())
def test_alias_key_is_idempotent(text: str) -> None:
    assert alias_key(alias_key(text)) == alias_key(text)


@pytest.mark.parametrize(
    ("text", "item_id"),
    [
        ("身份证", "citizen_id"),
        ("sfzhm", "citizen_id"),
        ("ID No.", "citizen_id"),
        ("citizen_id", "citizen_id"),
        ("Zip / Postal Code", "postal_code"),
        ("经营范围", "business_scope"),
        ("统一社会信用代码", "uscc"),
        ("户口所在地", "hukou_address"),
        ("手机", "mobile"),
    ],
)
def test_search_catalog_finds_best_first(shipped: Catalog, text: str, item_id: str) -> None:
    assert search_catalog(shipped, text)[0].id == item_id


def test_search_catalog_limits_and_scores(shipped: Catalog) -> None:
    hits = search_catalog_hits(shipped, "证件号码", limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].item.id == "id_document_number" and hits[0].score == 100
    assert search_catalog(shipped, "  ") == []
    assert search_catalog(shipped, "外星人飞船") == []


def test_catalog_frame(shipped: Catalog) -> None:
    frame = catalog_frame(shipped)
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert len(frame) == len(shipped.items)
    assert frame["id"].is_unique
    assert (frame["n_aliases"] >= 4).all()
    row = frame.set_index("id").loc["citizen_id"]
    assert (row["domain"], row["format"], row["sensitivity"]) == (
        "person",
        "citizen-id",
        "sensitive",
    )
    assert row["roles"].split(",")[0] == "applicant"


def test_data_path() -> None:
    assert (data_path("field_catalog") / "roles.yaml").is_file()
    with pytest.raises(FormmergeError, match="unknown data directory"):
        data_path("nope")


# --------------------------------------------------------------------------- malformed catalogs

ROLES = """\
roles:
  - id: applicant
    label_zh: 申请人
    label_en: applicant
  - id: organization
    label_zh: 单位
    label_en: organization
    person: false
"""

PERSON = """\
domain: person
label_zh: 个人
label_en: Person
items:
  - id: name
    label_zh: 姓名
    label_en: Name
    aliases: [名字, xm, Full name, full_name]
  - id: sex
    label_zh: 性别
    label_en: Sex
    aliases: [xb, Gender, 性別, sex_code]
    type: enum
    code_list: sex
  - id: citizen_id
    label_zh: 公民身份号码
    label_en: Citizen ID number
    aliases: [身份证号码, sfzhm, ID number, id_card]
    format: citizen-id
"""

ENTERPRISE = """\
domain: enterprise
label_zh: 企业
label_en: Enterprise
items:
  - id: enterprise_name
    label_zh: 企业名称
    label_en: Enterprise name
    aliases: [公司名称, qymc, Legal Name, Company name]
    roles: [organization]
"""

SEX = """\
id: sex
label_zh: 性别
label_en: Sex
standard: GB/T 2261.1
codes:
  - code: "1"
    label_zh: 男
    label_en: Male
    aliases: [M, 男性]
  - code: "2"
    label_zh: 女
    label_en: Female
    aliases: [F, 女性]
"""

MATERIALS = """\
materials:
  - id: resident_id_card
    name_zh: 居民身份证
    name_en: Resident identity card
    evidences: [name, sex, citizen_id]
"""

BASE = {
    "roles.yaml": ROLES,
    "items/person.yaml": PERSON,
    "items/enterprise.yaml": ENTERPRISE,
    "code_lists/sex.yaml": SEX,
    "materials.yaml": MATERIALS,
}


def write_catalog(root: Path, files: dict[str, str | None]) -> Path:
    for name, text in {**BASE, **files}.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line containing ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_minimal_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog(write_catalog(tmp_path, {}))
    assert [i.id for i in catalog.items] == ["enterprise_name", "name", "sex", "citizen_id"]
    assert catalog.item("sex").domain == "person"
    assert catalog.item("name").roles == ("applicant",)


def test_shared_aliases_listed_by_every_item_are_allowed(tmp_path: Path) -> None:
    person = PERSON.replace("aliases: [名字,", "shared_aliases: [名称]\n    aliases: [名字,")
    enterprise = ENTERPRISE.replace(
        "roles: [organization]", "shared_aliases: [名称]\n    roles: [organization]"
    )
    catalog = load_catalog(
        write_catalog(tmp_path, {"items/person.yaml": person, "items/enterprise.yaml": enterprise})
    )
    assert claimants(catalog, "名称") == {"name", "enterprise_name"}


MALFORMED = [
    # (case, files to change, problem code, file of the problem, text on the problem's line)
    (
        "duplicate item id",
        {"items/enterprise.yaml": ENTERPRISE.replace("id: enterprise_name", "id: sex")},
        "duplicate-id",
        "items/person.yaml",
        "id: sex",
    ),
    (
        "alias claimed by two items",
        {"items/enterprise.yaml": ENTERPRISE.replace("qymc", "xm")},
        "alias-collision",
        "items/enterprise.yaml",
        "aliases: [公司名称, xm",
    ),
    (
        "alias equal to another item's label",
        {"items/enterprise.yaml": ENTERPRISE.replace("qymc", "姓名")},
        "alias-equals-label",
        "items/enterprise.yaml",
        "aliases: [公司名称, 姓名",
    ),
    (
        "shared alias no other item claims",
        {
            "items/enterprise.yaml": ENTERPRISE.replace(
                "roles:", "shared_aliases: [名称]\n    roles:"
            )
        },
        "lonely-shared-alias",
        "items/enterprise.yaml",
        "shared_aliases: [名称]",
    ),
    (
        "unknown code list",
        {"items/person.yaml": PERSON.replace("code_list: sex", "code_list: gender")},
        "unknown-code-list",
        "items/person.yaml",
        "code_list: gender",
    ),
    (
        "enum without a code list",
        {"items/person.yaml": PERSON.replace("    code_list: sex\n", "")},
        "enum-without-code-list",
        "items/person.yaml",
        "type: enum",
    ),
    (
        "unknown validator",
        {"items/person.yaml": PERSON.replace("format: citizen-id", "format: national-id")},
        "unknown-format",
        "items/person.yaml",
        "format: national-id",
    ),
    (
        "unknown role",
        {"items/enterprise.yaml": ENTERPRISE.replace("[organization]", "[organization, ceo]")},
        "unknown-role",
        "items/enterprise.yaml",
        "roles: [organization, ceo]",
    ),
    (
        "unknown item in a role's form cue",
        {
            "roles.yaml": ROLES.replace(
                "    person: false\n", "    person: false\n    form_fields: [[uscc, vat_number]]\n"
            )
        },
        "unknown-item",
        "roles.yaml",
        "form_fields: [[uscc, vat_number]]",
    ),
    (
        "YAML syntax error",
        {"items/person.yaml": PERSON.replace("aliases: [xb, Gender,", "aliases: [xb, Gender: [,")},
        "syntax-error",
        "items/person.yaml",
        "aliases: [xb, Gender: [",
    ),
    (
        "wrong type of a field",
        {
            "items/person.yaml": PERSON.replace(
                "format: citizen-id", "format: citizen-id\n    max_length: eighteen"
            )
        },
        "invalid-entry",
        "items/person.yaml",
        "max_length: eighteen",
    ),
    (
        "unknown key",
        {"items/person.yaml": PERSON.replace("label_en: Sex", "label_en: Sex\n    lable_zh: 性别")},
        "invalid-entry",
        "items/person.yaml",
        "lable_zh",
    ),
    (
        "item type not in the model",
        {"items/person.yaml": PERSON.replace("type: enum", "type: choice")},
        "invalid-entry",
        "items/person.yaml",
        "type: choice",
    ),
    (
        "domain other than the file name",
        {"items/person.yaml": PERSON.replace("domain: person", "domain: people")},
        "domain-mismatch",
        "items/person.yaml",
        "domain: people",
    ),
    (
        "material evidencing an unknown item",
        {"materials.yaml": MATERIALS.replace("citizen_id]", "citizen_id, passport_number]")},
        "unknown-evidence",
        "materials.yaml",
        "evidences:",
    ),
    (
        "duplicate role id",
        {
            "roles.yaml": ROLES
            + "  - id: applicant\n    label_zh: 申请人\n    label_en: applicant\n"
        },
        "duplicate-id",
        "roles.yaml",
        "id: applicant",
    ),
    (
        "code spelling two codes",
        {"code_lists/sex.yaml": SEX.replace("[F, 女性]", "[F, 男性]")},
        "code-spelling-collision",
        "code_lists/sex.yaml",
        'code: "2"',
    ),
    (
        "code list id other than the file name",
        {"code_lists/sex.yaml": SEX.replace("id: sex", "id: gender")},
        "code-list-id-mismatch",
        "code_lists/sex.yaml",
        "id: gender",
    ),
    (
        "roles file missing",
        {"roles.yaml": None},
        "file-not-found",
        "roles.yaml",
        None,
    ),
    (
        # The second list used to replace the first: 26 of 27 aliases lost without a word.
        "aliases written twice",
        {
            "items/person.yaml": PERSON.replace(
                "    aliases: [xb,", "    aliases: [x]\n    aliases: [xb,"
            )
        },
        "duplicate-mapping-key",
        "items/person.yaml",
        "aliases: [xb,",
    ),
    (
        "items written twice",
        {"materials.yaml": MATERIALS + "materials: []\n"},
        "duplicate-mapping-key",
        "materials.yaml",
        "materials: []",
    ),
    (
        "control character",
        {"items/person.yaml": PERSON.replace("label_en: Sex", "label_en: Se\x07x")},
        "control-character",
        "items/person.yaml",
        "label_en: Se",
    ),
]


@pytest.mark.parametrize(
    ("files", "code", "file", "needle"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_catalog(
    tmp_path: Path, files: dict[str, str | None], code: str, file: str, needle: str | None
) -> None:
    root = write_catalog(tmp_path, files)
    with pytest.raises(CatalogError) as info:
        load_catalog(root)
    problems = [p for p in info.value.problems if p.code == code]
    assert problems, info.value.codes
    location = problems[0].location
    assert location.file == file
    if needle is not None:
        text = (root / file).read_text(encoding="utf-8")
        lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
        assert location.line == lines[-1]  # a duplicate is reported at its second place
    assert file in str(info.value)


def test_duplicate_item_id_names_both_places(tmp_path: Path) -> None:
    enterprise = ENTERPRISE.replace("id: enterprise_name", "id: sex")
    root = write_catalog(tmp_path, {"items/enterprise.yaml": enterprise})
    with pytest.raises(CatalogError) as info:
        load_catalog(root)
    (problem,) = [p for p in info.value.problems if p.code == "duplicate-id"]
    assert problem.location.file == "items/person.yaml"
    assert problem.location.line == line_of(PERSON, "id: sex")
    assert f"items/enterprise.yaml:{line_of(ENTERPRISE, 'id: enterprise_name')}" in problem.message


def test_several_problems_reported_together(tmp_path: Path) -> None:
    person = (
        PERSON.replace("code_list: sex", "code_list: gender")
        .replace("format: citizen-id", "format: national-id")
        .replace("Gender, 性別", "Gender, 名字")
    )
    files = {
        "items/person.yaml": person,
        "items/enterprise.yaml": ENTERPRISE.replace("[organization]", "[organisation]"),
        "materials.yaml": MATERIALS.replace("citizen_id]", "citizen_id, vin]"),
    }
    with pytest.raises(CatalogError) as info:
        load_catalog(write_catalog(tmp_path, files))
    assert sorted(info.value.codes) == sorted(
        [
            "alias-collision",
            "unknown-code-list",
            "unknown-format",
            "unknown-role",
            "unknown-evidence",
        ]
    )
    assert all(p.location.file and p.location.line for p in info.value.problems)


def test_several_files_with_errors_reported_together(tmp_path: Path) -> None:
    files = {
        "items/person.yaml": PERSON.replace("aliases: [xb,", "aliases: [xb, {"),
        "code_lists/sex.yaml": SEX.replace('code: "2"', "code: 2"),
        "materials.yaml": "materials: {}\n",
    }
    with pytest.raises(CatalogError) as info:
        load_catalog(write_catalog(tmp_path, files))
    assert {p.location.file for p in info.value.problems} >= {
        "items/person.yaml",
        "code_lists/sex.yaml",
        "materials.yaml",
    }
    assert {"syntax-error", "invalid-entry", "bad-file-structure"} <= set(info.value.codes)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        load_catalog(tmp_path / "nowhere")


def _renamed(root: Path, suffix: str) -> None:
    for path in [*root.glob("*.yaml"), *root.glob("*/*.yaml")]:
        path.rename(path.with_suffix(suffix))


def test_yml_files_are_read_like_yaml_files(tmp_path: Path) -> None:
    expected = load_catalog(write_catalog(tmp_path / "yaml", {}))
    root = write_catalog(tmp_path / "yml", {})
    _renamed(root, ".yml")
    assert load_catalog(root) == expected
    assert len(expected.items) > 0 and len(expected.code_lists) == 1


def test_a_yml_items_file_beside_yaml_files_is_read(tmp_path: Path) -> None:
    root = write_catalog(tmp_path, {})
    (root / "items" / "enterprise.yaml").rename(root / "items" / "enterprise.yml")
    ids = {item.id for item in load_catalog(root).items}
    assert {"name", "enterprise_name"} <= ids


# --------------------------------------------------------------------- the merge's catalog


def _custom_catalog() -> Catalog:
    packaged = load_catalog()
    name = packaged.item("name").model_copy(update={"aliases": ("称呼",)})
    items = [(name if i.id == "name" else i).model_dump() for i in packaged.items]
    return Catalog.model_validate(packaged.model_dump() | {"items": items})


def test_the_fingerprint_follows_the_content_not_the_object() -> None:
    packaged = load_catalog()
    again = Catalog.model_validate(packaged.model_dump())
    assert again.fingerprint == packaged.fingerprint
    assert again.fingerprint.startswith("sha256:")
    assert _custom_catalog().fingerprint != packaged.fingerprint


def test_a_form_merged_with_one_catalog_is_refused_by_another() -> None:
    custom = _custom_catalog()
    form = Form(id="f", title="f", fields=(Field(key="xm", label="称呼"),))
    merged = merge([form], catalog=custom)
    assert merged.catalog == custom.fingerprint
    assert catalog_for(merged, custom) is custom
    with pytest.raises(CatalogError) as refused:
        catalog_for(merged)
    assert [(p.code, p.location.form) for p in refused.value.problems] == [
        ("catalog-mismatch", merged.id)
    ]
    assert "packaged catalog" in str(refused.value)
    with pytest.raises(CatalogError):
        split(merged, {})
    assert split(merged, {"name@applicant": "张三"}, catalog=custom).payloads == {
        "f": {"xm": "张三"}
    }
    unrecorded = merged.model_copy(update={"catalog": ""})
    assert catalog_for(unrecorded) is load_catalog()


def test_the_recorded_catalog_survives_a_round_trip_through_json() -> None:
    merged = merge([Form(id="f", title="f", fields=(Field(key="xm", label="姓名"),))])
    again = MergedForm.model_validate_json(merged.model_dump_json())
    assert again.catalog == load_catalog().fingerprint
    assert catalog_for(again) is load_catalog()

"""Tests for formmerge.normalize."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from formmerge import normalize
from formmerge.normalize import (
    has_cjk,
    is_cjk,
    key_tokens,
    label_notes,
    label_text,
    normalize_key,
    normalize_label,
    pinyin_initials,
    split_note,
)


@pytest.mark.parametrize(
    ("raw", "label", "note"),
    [
        # required markers, colons, bullets
        ("配偶身份证号码（必填）*", "配偶身份证号码", ""),
        ("*姓名：", "姓名", ""),
        ("＊姓名＿＿＿＿", "姓名", ""),
        ("※ 联系电话", "联系电话", ""),
        ("必填 姓名", "姓名", ""),
        ("姓名 必填", "姓名", ""),
        ("姓名(选填)", "姓名", ""),
        ("Name (required)", "name", ""),
        ("1. 姓名", "姓名", ""),
        ("1、性别", "性别", ""),
        ("12.出生日期", "出生日期", ""),
        ("(3) 民族", "民族", ""),
        ("⑴ 民族", "民族", ""),
        ("①姓名", "姓名", ""),
        ("一、申请人信息", "申请人信息", ""),
        ("（二）配偶情况", "配偶情况", ""),
        ("第一部分 申请人信息", "申请人信息", ""),
        ("8f. Name and contact information", "name and contact information", ""),
        ("A. Signature of Authorized Official", "signature of authorized official", ""),
        ("b) Date", "date", ""),
        # numbers that are not bullets
        ("1.5倍工资", "1.5倍工资", ""),
        ("2024年收入", "2024年收入", ""),
        # traditional and full-width
        ("聯繫電話", "联系电话", ""),
        ("身份證號碼", "身份证号码", ""),
        ("ＩＤ　Ｎｕｍｂｅｒ", "id number", ""),
        ("配偶身份證號碼（必填）：", "配偶身份证号码", ""),
        # spacing
        ("地  址", "地址", ""),
        ("联 系 人", "联系人", ""),
        ("姓\u3000\u3000名", "姓名", ""),
        ("姓\u200b名", "姓名", ""),
        ("  Date   of  Birth ", "date of birth", ""),
        ("联系人 - 电话", "联系人-电话", ""),
        ("Father - ID number", "father - id number", ""),
        ("姓名 Name", "姓名 name", ""),
        ("Spouse’s Date of Birth:", "spouse's date of birth", ""),
        # notes and units
        ("出生体重（克）", "出生体重", "克"),
        ("出生身长(厘米)", "出生身长", "厘米"),
        ("注册资本（万元）*", "注册资本", "万元"),
        ("注册资本 单位：万元", "注册资本", "万元"),
        ("身份证号码(配偶)", "身份证号码", "配偶"),
        ("Weight [kg]", "weight", "kg"),
        ("住址（省（市））", "住址", "省市"),
        ("【申请人信息】", "申请人信息", ""),
        ("(配偶)", "配偶", ""),
        ("[必填]", "", ""),
        ("姓名(", "姓名", ""),
        ("《结婚证》字号", "结婚证字号", ""),
        ("e-mail", "e-mail", ""),
        ("", "", ""),
    ],
)
def test_split_note(raw: str, label: str, note: str) -> None:
    assert split_note(raw) == (label, note)
    assert normalize_label(raw) == label


def test_label_notes_keeps_each_note() -> None:
    assert label_notes("出生体重（克）（新生儿）") == ("克", "新生儿")


@pytest.mark.parametrize(
    ("key", "normal"),
    [
        ("spouseDateOfBirth", "spouse_date_of_birth"),
        ("SpouseDateOfBirth", "spouse_date_of_birth"),
        ("ID-Number", "id_number"),
        ("IDNumber", "id_number"),
        ("applicant.idNo", "applicant_id_no"),
        ("applicant_address.zip_code", "applicant_address_zip_code"),
        ("father-name", "father_name"),
        ("Father Name", "father_name"),
        ("sfzhm", "sfzhm"),
        ("SFZHM", "sfzhm"),
        ("fddbrSfzjhm", "fddbr_sfzjhm"),
        ("addressLine1", "address_line_1"),
        ("address_line_1", "address_line_1"),
        ("__x__", "x"),
        ("配偶姓名", "配偶姓名"),
        ("配偶_姓名", "配偶_姓名"),
        ("聯繫電話", "联系电话"),
        ("", ""),
    ],
)
def test_normalize_key(key: str, normal: str) -> None:
    assert normalize_key(key) == normal


def test_key_tokens() -> None:
    assert key_tokens("spouseIdNo") == ("spouse", "id", "no")
    assert key_tokens("") == ()


@pytest.mark.parametrize(
    ("text", "initials"),
    [
        ("身份证号码", "sfzhm"),
        ("身份證號碼", "sfzhm"),
        ("姓名", "xm"),
        ("出生日期", "csrq"),
        ("法定代表人", "fddbr"),
        ("统一社会信用代码", "tyshxydm"),
        ("开户银行", "khyh"),
        ("QQ号码", "qqhm"),
        ("地址2", "dz2"),
        ("Home Phone", "homephone"),
        ("", ""),
    ],
)
def test_pinyin_initials(text: str, initials: str) -> None:
    assert pinyin_initials(text) == initials


@pytest.mark.parametrize(
    ("text", "cjk", "any_cjk"),
    [
        ("姓名", True, True),
        ("姓名：", True, True),
        ("QQ号码", False, True),
        ("name", False, False),
        ("", False, False),
        ("：", False, False),
    ],
)
def test_is_cjk_has_cjk(text: str, cjk: bool, any_cjk: bool) -> None:
    assert is_cjk(text) is cjk
    assert has_cjk(text) is any_cjk


@pytest.mark.parametrize(
    ("label", "key", "text"),
    [
        ("姓名：", "xm", "姓名"),
        ("", "spouseDateOfBirth", "spouse date of birth"),
        ("  *  ", "applicant.idNo", "applicant id no"),
        ("", "", ""),
    ],
)
def test_label_text(label: str, key: str, text: str) -> None:
    assert label_text(label, key) == text


def test_all_is_sorted_and_exported() -> None:
    assert list(normalize.__all__) == sorted(normalize.__all__)
    assert all(hasattr(normalize, name) for name in normalize.__all__)


_LABEL_CHARS = "姓名配偶身份證号碼联系人地址父亲母婴的户主必填選填"
_LABEL_CHARS += "abcXYZ019 -:：*＊（）()[]【】、.,'’"
_LABEL_PIECES = ["\u3000", "\u200b", "①", "⑴", "一、", "1.", "（必填）", "ＡＢＣ", "１２"]
_LABEL_ALPHABET = st.sampled_from([*_LABEL_CHARS, *_LABEL_PIECES])
_labels = st.one_of(st.text(), st.lists(_LABEL_ALPHABET, max_size=12).map("".join))


@given(_labels)
def test_normalize_label_is_idempotent(text: str) -> None:
    once = normalize_label(text)
    assert normalize_label(once) == once


def _full_width(text: str) -> str:
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


_half_width = st.text(
    alphabet=st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + list("姓名配偶身份证号码的")),
    max_size=20,
)


@given(_half_width)
def test_full_width_equals_nfkc(text: str) -> None:
    wide = _full_width(text)
    assert normalize_label(wide) == normalize_label(unicodedata.normalize("NFKC", wide))
    assert normalize_label(wide) == normalize_label(text)


def _starts_with_circled_number(text: str) -> bool:
    head = text.lstrip()[:1]
    return bool(head) and unicodedata.name(head, "").startswith(
        ("CIRCLED", "PARENTHESIZED", "DINGBAT", "NEGATIVE CIRCLED")
    )


@given(_labels)
def test_compatibility_forms_equal_nfkc(text: str) -> None:
    # A circled number at the start is a bullet, dropped before NFKC would turn it into a digit.
    assume(not _starts_with_circled_number(text))
    assert normalize_label(text) == normalize_label(unicodedata.normalize("NFKC", text))


@given(_labels)
def test_normalized_label_has_no_edge_space_or_double_space(text: str) -> None:
    label, note = split_note(text)
    assert label == label.strip()
    assert "  " not in label
    assert label == label.lower()
    assert "*" not in label and "*" not in note


@given(st.text())
def test_normalize_key_is_idempotent_snake(key: str) -> None:
    normal = normalize_key(key)
    assert normalize_key(normal) == normal
    assert "__" not in normal
    assert not normal.startswith("_")
    assert not normal.endswith("_")

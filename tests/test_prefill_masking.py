"""Tests of masking and redaction."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formmerge.catalog import load_catalog
from formmerge.prefill import mask_citizen_id, mask_phone, mask_value, redact
from formmerge.prefill.backend import clean_database_message
from formmerge.prefill.masking import SECRET_MASK, mask_generic

ID_LIKE = re.compile(r"\d{17}[\dX]")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110105194912310021", "110105********0021"),
        ("42050219831127002X", "420502********002X"),
        ("110105491231002", "110105*****1002"),
        ("12345", "1***5"),
    ],
)
def test_mask_citizen_id(value: str, masked: str) -> None:
    assert mask_citizen_id(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13912345678", "139****5678"), ("0717-6123456", "********3456"), ("110", "1*0")],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"), [("张三丰", "张*丰"), ("张三", "张*"), ("张", "*"), ("", "*")]
)
def test_mask_generic(value: str, masked: str) -> None:
    assert mask_generic(value) == masked


@pytest.mark.parametrize(
    ("item", "value", "masked"),
    [
        ("citizen_id", "110105194912310021", "110105********0021"),
        ("mobile", "13912345678", "139****5678"),
        ("name", "张三", "张三"),  # internal: shown
        ("enterprise_name", "宜昌恒达科技有限公司", "宜昌恒达科技有限公司"),  # public
        ("bank_account_number", "6222021234567890", "6**************0"),
        ("birth_weight", 3300, "3**0"),
        ("name", None, ""),
    ],
)
def test_mask_value_by_sensitivity(item: str, value: object, masked: str) -> None:
    assert mask_value(item, value) == masked


def test_secret_items_are_hidden() -> None:
    catalog = load_catalog()
    item = catalog.item("citizen_id").model_copy(update={"sensitivity": "secret"})
    assert mask_value(item, "110105194912310021") == SECRET_MASK


def test_internal_values_still_hide_id_numbers() -> None:
    assert mask_value("name", "110105194912310021") == "110105********0021"


@given(
    st.text(max_size=30), st.from_regex(r"[1-6]\d{16}[\dX]", fullmatch=True), st.text(max_size=30)
)
def test_redact_leaves_no_id_number(before: str, number: str, after: str) -> None:
    text = redact(f"{before} {number} {after}")
    assert number not in text
    assert not ID_LIKE.search(text)


def test_database_messages_lose_literals() -> None:
    message = "Conversion Error: Could not convert string '张三 110105194912310021' to INT32"
    cleaned = clean_database_message(message)
    assert "张三" not in cleaned and "110105194912310021" not in cleaned
    assert cleaned.startswith("Conversion Error")

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


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("tel 0717-6221234", "tel ********1234"),
        ("tel (010)62345678", "tel *********5678"),
        ("tel 010 6234 5678", "tel *********5678"),
        ("tel 0717-6221234转8001", "tel *************8001"),
        ("+8613912345678", "+86139****5678"),
        ("0086 13912345678", "0086 139****5678"),
        ("on 2025-05-16 at 09:30", "on 2025-05-16 at 09:30"),
    ],
)
def test_redact_masks_landlines_and_prefixed_mobiles(text: str, masked: str) -> None:
    assert redact(text) == masked


def _leaks(text: str) -> bool:
    return any(s in text for s in ("110105194912310021", "13912345678", "6221234"))


def test_problems_and_errors_never_show_id_or_phone_numbers() -> None:
    from formmerge.errors import FormmergeError, Location, Problem

    problem = Problem(
        "unknown-role",
        "'110105194912310021' is not a role; call 13912345678 or 0717-6221234",
        Location(field="110105194912310021"),
    )
    error = FormmergeError("cannot prefill 110105194912310021", [problem])
    assert not _leaks(str(problem)) and not _leaks(str(error)) and not _leaks(repr(problem))
    assert problem.code == "unknown-role"


def test_reprs_of_prefilled_values_and_disagreements_are_masked() -> None:
    from formmerge.prefill.result import Disagreement, PrefilledValue

    value = PrefilledValue(
        "110105194912310021",
        "population",
        "公安",
        None,
        "verified",
        True,
        "citizen_id",
        "applicant",
    )
    landline = PrefilledValue(
        "0717-6221234", "contacts", "", None, "self-declared", False, "phone", "applicant"
    )
    unknown = PrefilledValue("13912345678", "x", "", None, "verified", True, "no_such_item")
    disagreement = Disagreement(
        "mobile@applicant", "mobile", "applicant", "a", {"a": "13912345678", "b": "13812345678"}
    )
    for shown in (value, landline, unknown, disagreement):
        assert not _leaks(repr(shown)) and "13812345678" not in repr(shown), repr(shown)
    assert "110105********0021" in repr(value)
    assert value.value == "110105194912310021"  # the value itself is kept

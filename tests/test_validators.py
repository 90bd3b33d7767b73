"""Tests for formmerge.validators."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formmerge import validators as v
from formmerge.validators import (
    PROVINCE_CODES,
    USCC_CHARSET,
    VALIDATORS,
    citizen_id_check_char,
    detect_date_format,
    format_date,
    is_valid_citizen_id,
    is_valid_uscc,
    is_valid_vin,
    make_citizen_id,
    make_uscc,
    make_vin,
    normalize_mobile,
    organization_code_check_char,
    parse_citizen_id,
    parse_date,
    upgrade_citizen_id_15_to_18,
    uscc_check_char,
    validate,
    vin_check_digit,
)

DIGITS = "0123456789"
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
# ISO 3779 transliteration, written out independently of the module's table.
VIN_VALUE = {
    **{d: int(d) for d in DIGITS},
    **dict.fromkeys("AJ", 1), **dict.fromkeys("BKS", 2), **dict.fromkeys("CLT", 3),
    **dict.fromkeys("DMU", 4), **dict.fromkeys("ENV", 5), **dict.fromkeys("FW", 6),
    **dict.fromkeys("GPX", 7), **dict.fromkeys("HY", 8), **dict.fromkeys("RZ", 9),
}  # fmt: skip


def with_check(first17: str) -> str:
    """An 18-character ID number whose check character is right, whatever else is wrong."""
    return first17 + citizen_id_check_char(first17)


def with_uscc_check(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def replace_at(text: str, index: int, char: str) -> str:
    return text[:index] + char + text[index + 1 :]


def test_registry_has_exactly_the_catalog_format_names() -> None:
    assert set(VALIDATORS) == {
        "citizen-id", "uscc", "mobile", "phone", "postal-code",
        "vin", "plate", "email", "date", "region-code",
    }  # fmt: skip


def test_all_names_exist() -> None:
    assert len(set(v.__all__)) == len(v.__all__)
    for name in v.__all__:
        assert hasattr(v, name)


def test_validate_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"unknown format 'iban'.*citizen-id"):
        validate("iban", "DE89370400440532013000")


# --- table-driven examples --------------------------------------------------------------------

TODAY = date.today()
VALID = [
    # GB 11643-1999's own example, and the same number with a lower-case check character.
    ("citizen-id", "11010519491231002X"),
    ("citizen-id", "11010519491231002x"),
    ("citizen-id", " 11010519491231002X "),
    ("citizen-id", "１１０１０５１９４９１２３１００２Ｘ"),
    ("citizen-id", "110105491231002"),  # legacy 15-digit form of the example
    ("citizen-id", make_citizen_id("420500", date(1990, 1, 1), 12, "1")),
    ("citizen-id", make_citizen_id("830000", date(1985, 6, 30), 7, "2")),
    ("citizen-id", make_citizen_id("420506", TODAY, 0, "2")),
    ("citizen-id", make_citizen_id("110105", date(1850, 1, 1), 0, "1")),
    # Check characters of these codes verified by computation (mod 31 and GB 11714).
    ("uscc", "91350100M000100Y43"),
    ("uscc", "91330100716105852F"),
    ("uscc", "914403001922038216"),
    ("uscc", "91350100m000100y43"),
    ("mobile", "13800138000"),
    ("mobile", "+86 138 0013 8000"),
    ("mobile", "0086-13800138000"),
    ("mobile", "8613800138000"),
    ("mobile", "199-1234-5678"),
    ("mobile", "１３８００１３８０００"),
    ("phone", "010-62345678"),
    ("phone", "0717-6123456"),
    ("phone", "(0717)6123456"),
    ("phone", "（0717）6123456"),
    ("phone", "0717 61234567"),
    ("phone", "021-6234-5678"),
    ("phone", "021-62345678-801"),
    ("phone", "021-62345678转801"),
    ("phone", "+86 10 62345678"),
    ("phone", "+86-717-6123456"),
    ("phone", "13800138000"),
    ("postal-code", "443000"),
    ("postal-code", "100080"),
    ("postal-code", "010010"),
    ("vin", "1M8GDM9AXKP042788"),
    ("vin", "1m8gdm9axkp042788"),
    ("vin", "11111111111111111"),
    ("plate", "京A12345"),
    ("plate", "京A·12345"),
    ("plate", "鄂E 8B6C9"),
    ("plate", "粤B1234学"),
    ("plate", "京A0001警"),
    ("plate", "沪A1234领"),
    ("plate", "粤Z1234港"),
    ("plate", "鲁A1234挂"),
    ("plate", "京AD12345"),
    ("plate", "沪AF12345"),
    ("plate", "沪ADA1234"),
    ("plate", "粤B12345D"),
    ("plate", "京a12345"),
    ("email", "zhang.san@example.com"),
    ("email", "user+tag@mail.example.cn"),
    ("email", "a@b.co"),
    ("email", "admin@example.xn--fiqs8s"),
    ("date", "2025-05-16"),
    ("date", "2025/5/16"),
    ("date", "2025.05.16"),
    ("date", "20250516"),
    ("date", "2025年5月16日"),
    ("date", "2025年05月16日"),
    ("date", "２０２５年５月１６日"),
    ("date", "2024-02-29"),
    ("region-code", "420500"),
    ("region-code", "110105"),
    ("region-code", "810000"),
]

INVALID = [
    ("citizen-id", "110105194912310021"),  # wrong check character
    ("citizen-id", "11010519491231002Y"),
    ("citizen-id", "11010519491231002"),
    ("citizen-id", "11010519491231002XX"),
    ("citizen-id", with_check("11010519491331002")),  # month 13
    ("citizen-id", with_check("11010519490229002")),  # 1949 was no leap year
    ("citizen-id", with_check("11010518491231002")),  # born before 1850
    ("citizen-id", make_citizen_id("110105", TODAY + timedelta(days=1), 2, "2")),  # future
    ("citizen-id", with_check("99010519491231002")),  # no province 99
    ("citizen-id", with_check("10010519491231002")),
    ("citizen-id", "110105491331002"),  # 15-digit, month 13
    ("citizen-id", "１１０１０５１９４９１２３１００２Ｘ".replace("Ｘ", "Y")),
    ("uscc", "91350100M000100Y44"),
    ("uscc", "91350100M000100I43"),  # I is not in the charset
    ("uscc", "91350100M000100Y4"),
    ("uscc", with_uscc_check("B1350100M000100Y4")),  # no registration authority B
    ("uscc", with_uscc_check("913501A0M000100Y4")),  # region code must be digits
    ("mobile", "12800138000"),
    ("mobile", "1380013800"),
    ("mobile", "138001380001"),
    ("mobile", "+1 13800138000"),
    ("mobile", "010-62345678"),
    ("phone", "62345678"),  # no area code
    ("phone", "010-12345678"),  # local numbers do not start with 1
    ("phone", "0717-612345"),
    ("phone", "0717-6123456-"),
    ("phone", "1234"),
    ("postal-code", "999077"),
    ("postal-code", "000000"),
    ("postal-code", "44300"),
    ("postal-code", "4430000"),
    ("postal-code", "44300a"),
    ("vin", "1M8GDM9AXKP042789"),
    ("vin", "1M8GDM9AXKP04278"),
    ("vin", "1M8GDM9AXKO042788"),  # O is never used
    ("vin", "WVWZZZ1JZXW000001"),  # no check digit (European style)
    ("plate", "京I12345"),
    ("plate", "京AO1234"),
    ("plate", "京A1234"),
    ("plate", "京A123456"),
    ("plate", "京A12345学"),
    ("plate", "港A12345"),
    ("plate", "A京12345"),
    ("email", "no-at.example.com"),
    ("email", "a@b"),
    ("email", "a..b@example.com"),
    ("email", ".a@example.com"),
    ("email", "a@-example.com"),
    ("email", "a@example.c"),
    ("email", "张三@example.com"),
    ("email", "a b@example.com"),
    ("email", "x" * 65 + "@example.com"),
    ("date", "2025-02-30"),
    ("date", "2023-02-29"),
    ("date", "2025-5/16"),
    ("date", "16/05/2025"),
    ("date", "2025年13月1日"),
    ("date", "2025-05-16T00:00"),
    ("date", "0000-01-01"),
    ("region-code", "990000"),
    ("region-code", "100000"),
    ("region-code", "830000"),
    ("region-code", "42050"),
]


@pytest.mark.parametrize(("name", "value"), VALID)
def test_valid_examples(name: str, value: str) -> None:
    assert validate(name, value) is True


@pytest.mark.parametrize(("name", "value"), INVALID)
def test_invalid_examples(name: str, value: str) -> None:
    assert validate(name, value) is False


@pytest.mark.parametrize("name", sorted(VALIDATORS))
@pytest.mark.parametrize("value", [None, 42, b"13800138000", "", "   ", ["x"]])
def test_validators_reject_non_values_without_raising(name: str, value: object) -> None:
    assert VALIDATORS[name](value) is False  # type: ignore[arg-type]


@given(name=st.sampled_from(sorted(VALIDATORS)), value=st.text())
def test_validators_never_raise(name: str, value: str) -> None:
    assert isinstance(validate(name, value), bool)


# --- citizen ID -------------------------------------------------------------------------------

regions = st.builds(
    lambda province, rest: f"{province}{rest:04d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 9999),
)
births = st.dates(min_value=date(1850, 1, 1), max_value=TODAY)


@given(first17=st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_citizen_id_check_char_follows_iso_7064_mod_11_2(first17: str) -> None:
    # Weights are 2**(17 - i) mod 11; the check value makes the full weighted sum 1 mod 11.
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    value = (12 - total % 11) % 11
    assert citizen_id_check_char(first17) == ("X" if value == 10 else str(value))


@given(first17=st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_uscc_check_char_follows_gb_32100(first17: str) -> None:
    # Weights are 3**i mod 31; the check value makes the full weighted sum 0 mod 31.
    total = sum(USCC_CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    assert uscc_check_char(first17) == USCC_CHARSET[(31 - total % 31) % 31]


def test_parse_citizen_id_of_the_standard_example() -> None:
    info = parse_citizen_id("11010519491231002x")
    assert (info.number, info.region_code, info.birth_date) == (
        "11010519491231002X",
        "110105",
        date(1949, 12, 31),
    )
    assert (info.sex, info.sex_name) == ("2", "female")


@pytest.mark.parametrize("value", ["", "110105194912310021", "abc"])
def test_parse_citizen_id_rejects_invalid(value: str) -> None:
    with pytest.raises(ValueError, match="not a valid citizen ID"):
        parse_citizen_id(value)


def test_upgrade_of_a_15_digit_number() -> None:
    assert upgrade_citizen_id_15_to_18("110105491231003") == with_check("11010519491231003")


@pytest.mark.parametrize("value", ["11010519491231002X", "110105491331003", "12345"])
def test_upgrade_rejects_anything_but_valid_15_digits(value: str) -> None:
    with pytest.raises(ValueError, match="15-digit"):
        upgrade_citizen_id_15_to_18(value)


@pytest.mark.parametrize(
    ("region", "seq", "sex"), [("1101", 1, "1"), ("110105", 1000, "1"), ("110105", 1, "male")]
)
def test_make_citizen_id_rejects_bad_arguments(region: str, seq: int, sex: str) -> None:
    with pytest.raises(ValueError, match="bad arguments"):
        make_citizen_id(region, date(1990, 1, 1), seq, sex)


@given(region=regions, birth=births, seq=st.integers(0, 999), sex=st.sampled_from("12"))
def test_generated_citizen_ids_are_valid_and_parse_back(
    region: str, birth: date, seq: int, sex: str
) -> None:
    number = make_citizen_id(region, birth, seq, sex)
    info = parse_citizen_id(number)
    assert (info.number, info.region_code, info.birth_date, info.sex) == (
        number,
        region,
        birth,
        sex,
    )
    assert abs(int(number[14:17]) - seq) <= 1


@given(
    region=regions,
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    seq=st.integers(0, 999),
    sex=st.sampled_from("12"),
)
def test_legacy_15_digit_form_upgrades_to_the_18_digit_one(
    region: str, birth: date, seq: int, sex: str
) -> None:
    number = make_citizen_id(region, birth, seq, sex)
    legacy = number[:6] + number[8:17]
    assert is_valid_citizen_id(legacy)
    assert upgrade_citizen_id_15_to_18(legacy) == number
    assert parse_citizen_id(legacy) == parse_citizen_id(number)


@given(
    region=regions,
    birth=births,
    seq=st.integers(0, 999),
    sex=st.sampled_from("12"),
    index=st.integers(0, 17),
    data=st.data(),
)
def test_any_single_substitution_in_a_citizen_id_is_detected(
    region: str, birth: date, seq: int, sex: str, index: int, data: st.DataObject
) -> None:
    # MOD 11-2 weights are all non-zero mod the prime 11, so every single substitution changes
    # the weighted sum mod 11 and the check character no longer matches.
    number = make_citizen_id(region, birth, seq, sex)
    allowed = DIGITS + "X" if index == 17 else DIGITS
    char = data.draw(st.sampled_from([c for c in allowed if c != number[index]]))
    assert not is_valid_citizen_id(replace_at(number, index, char))


# --- USCC -------------------------------------------------------------------------------------


def test_uscc_weights_detect_every_single_substitution() -> None:
    # A substitution at position i changes the sum by w_i * (new - old); with 31 prime and no
    # weight divisible by 31 that is never 0 mod 31. Exhaustively, on the public example:
    code = "91350100M000100Y43"
    for index in range(18):
        for char in USCC_CHARSET:
            if char != code[index]:
                assert not is_valid_uscc(replace_at(code, index, char)), (index, char)


def test_organization_code_check_is_optional() -> None:
    base = "91350100M000100Y"
    wrong_org = "5" if organization_code_check_char(base[8:16]) != "5" else "6"
    code = with_uscc_check(base + wrong_org)
    assert is_valid_uscc(code)
    assert not is_valid_uscc(code, check_organization_code=True)
    assert is_valid_uscc("91350100M000100Y43", check_organization_code=True)


@pytest.mark.parametrize(
    ("function", "argument"),
    [
        (uscc_check_char, "91350100M000100Y"),
        (uscc_check_char, "91350100M000100YI"),
        (organization_code_check_char, "M000100"),
        (organization_code_check_char, "M000100é"),
        (citizen_id_check_char, "1101051949123100X"),
        (vin_check_digit, "1M8GDM9AXKP04278"),
        (vin_check_digit, "1M8GDM9AXKP04278I"),
    ],
)
def test_check_character_helpers_reject_bad_input(function: object, argument: str) -> None:
    with pytest.raises(ValueError, match="expected"):
        function(argument)  # type: ignore[operator]


@given(seed=st.integers(), index=st.integers(0, 17), data=st.data())
def test_generated_usccs_are_valid_and_single_substitutions_fail(
    seed: int, index: int, data: st.DataObject
) -> None:
    code = make_uscc(random.Random(seed))
    assert is_valid_uscc(code, check_organization_code=True)
    assert code[2:8] == "420500"
    char = data.draw(st.sampled_from([c for c in USCC_CHARSET if c != code[index]]))
    assert not is_valid_uscc(replace_at(code, index, char))


# --- VIN --------------------------------------------------------------------------------------


def test_vin_check_digit_of_the_classic_sample() -> None:
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"
    assert vin_check_digit("1M8GDM9A0KP042788") == "X"  # position 9 itself does not count


def test_vin_substitution_with_equal_transliteration_is_not_detected() -> None:
    # A and J both count 1, so the check digit cannot tell them apart; ISO 3779 promises no more.
    assert is_valid_vin("1M8GDM9JXKP042788")


def test_vin_without_check_digit_on_request() -> None:
    assert is_valid_vin("WVWZZZ1JZXW000001", require_check_digit=False)
    assert not is_valid_vin("WVWZZZ1JZXW00000I", require_check_digit=False)


@given(seed=st.integers(), index=st.integers(0, 16), data=st.data())
def test_generated_vins_are_valid_and_detectable_substitutions_fail(
    seed: int, index: int, data: st.DataObject
) -> None:
    # Guaranteed: replacing the check digit by anything else, or any other character by one with
    # a different transliterated value (weights 2..10 and value differences 1..9 are non-zero
    # mod 11). Characters with the same value (A/J/1, B/K/S/2, ...) may go unnoticed.
    vin = make_vin(random.Random(seed))
    assert is_valid_vin(vin)
    if index == 8:
        choices = [c for c in VIN_CHARS if c != vin[8]]
    else:
        choices = [c for c in VIN_CHARS if VIN_VALUE[c] != VIN_VALUE[vin[index]]]
    char = data.draw(st.sampled_from(choices))
    assert not is_valid_vin(replace_at(vin, index, char))


def test_vin_transliteration_table_matches_iso_3779() -> None:
    assert v._VIN_VALUES == VIN_VALUE


# --- mobile -----------------------------------------------------------------------------------


@given(
    number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    prefix=st.sampled_from(["", "+86", "0086", "86", "+86 ", "+86-"]),
    sep=st.sampled_from(["", " ", "-"]),
)
def test_mobile_normalises_prefixes_and_separators(number: str, prefix: str, sep: str) -> None:
    written = prefix + sep.join([number[:3], number[3:7], number[7:]])
    assert normalize_mobile(written) == number


# --- dates ------------------------------------------------------------------------------------

DATE_FORMATS = ["%Y-%m-%d", "%Y/%-m/%-d", "%Y.%m.%d", "%Y%m%d", "%Y年%-m月%-d日", "%Y年%m月%d日"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-05-16", date(2025, 5, 16)),
        ("2025/5/6", date(2025, 5, 6)),
        ("2025.05.16", date(2025, 5, 16)),
        ("20250516", date(2025, 5, 16)),
        ("2025年5月16日", date(2025, 5, 16)),
        ("2025 年 5 月 16 日", date(2025, 5, 16)),
        ("2025年5月16号", date(2025, 5, 16)),
        ("２０２５－０５－１６", date(2025, 5, 16)),
        ("2025-13-01", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (None, "2025-05-06"),
        ("%Y年%-m月%-d日", "2025年5月6日"),
        ("%Y年%m月%d日", "2025年05月06日"),
        ("%d/%m/%Y", "06/05/2025"),
        ("%-d.%-m.%y", "6.5.25"),
        ("%Y%%", "2025%"),
    ],
)
def test_format_date(fmt: str | None, expected: str) -> None:
    assert format_date(date(2025, 5, 6), fmt) == expected


def test_format_date_pads_years_to_four_digits() -> None:
    assert format_date(date(987, 1, 2), "%Y年%-m月%-d日") == "0987年1月2日"


@given(d=st.dates(), fmt=st.sampled_from(DATE_FORMATS))
def test_format_then_parse_round_trips(d: date, fmt: str) -> None:
    written = format_date(d, fmt)
    assert parse_date(written) == d
    detected = detect_date_format([written])
    assert detected is not None
    assert format_date(d, detected) == written


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        (["2025-05-16", "2024-12-01"], "%Y-%m-%d"),
        (["2025/5/16", "2024/12/1"], "%Y/%-m/%-d"),
        (["2025/12/16"], "%Y/%m/%d"),
        (["2025/5/16"], "%Y/%-m/%-d"),
        (["2025年5月16日", "", "2024年12月1日"], "%Y年%-m月%-d日"),
        (["2025年05月16号"], "%Y年%m月%d号"),
        (["20250516"], "%Y%m%d"),
        (["2025/5/16", "2025-5-16"], None),
        (["2025-05-16", "2025-5-16"], None),
        (["2025-02-30"], None),
        (["not a date"], None),
        ([], None),
    ],
)
def test_detect_date_format(samples: list[str], expected: str | None) -> None:
    assert detect_date_format(samples) == expected

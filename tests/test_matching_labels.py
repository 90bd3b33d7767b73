"""Label analysis: bilingual labels, alternatives, English abbreviations and possessives."""

from __future__ import annotations

import pytest
import yaml

from formmerge.catalog import load_catalog
from formmerge.ingest import form_from_dict
from formmerge.matching import FieldMatcher
from formmerge.matching.labels import expand_abbreviations, label_alternatives, label_parts
from formmerge.merging import merge
from formmerge.models import Field, Form


@pytest.fixture(scope="module")
def matcher() -> FieldMatcher:
    return FieldMatcher(load_catalog())


@pytest.mark.parametrize(
    ("label", "parts"),
    [
        ("联系电话 tel", ("联系电话 tel", "联系电话", "telephone")),
        ("地址 address", ("地址 address", "地址", "address")),
        ("d.o.b", ("d.o.b", "date of birth")),
        ("qq号码", ("qq号码",)),
        ("身份证号码", ("身份证号码",)),
    ],
)
def test_label_parts(label: str, parts: tuple[str, ...]) -> None:
    assert label_parts(label) == parts


@pytest.mark.parametrize(
    ("label", "alternatives"),
    [
        ("姓名或名称", ("姓名", "名称")),
        ("城市/地区", ("城市", "地区")),
        ("name or title", ("name", "title")),
        ("身份证号码", ()),
    ],
)
def test_label_alternatives(label: str, alternatives: tuple[str, ...]) -> None:
    assert label_alternatives(label) == alternatives


def test_an_alternative_alone_is_reviewed_not_matched(matcher: FieldMatcher) -> None:
    (m,) = matcher.match([Form(id="f", fields=(Field(key="q1", label="查询目的或用途"),))])
    assert m.status != "matched"


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("tel.", "telephone"),
        ("phone no.", "phone number"),
        ("d.o.b.", "date of birth"),
        ("apt. no", "apartment number"),
        ("notes", "notes"),
        ("电话", "电话"),
    ],
)
def test_abbreviations_are_spelled_out(text: str, expanded: str) -> None:
    assert expand_abbreviations(text) == expanded


@pytest.mark.parametrize(
    ("label", "item", "role"),
    [
        ("联系电话 TEL", "phone", "applicant"),
        ("Tel.", "phone", "applicant"),
        ("Phone No.", "phone", "applicant"),
        ("D.O.B.", "birth_date", "applicant"),
        ("his mother's first name", "given_name", "mother"),
        ("法定代表人/负责人", "name", "legal_representative"),
        ("法人代表或负责人姓名", "name", "legal_representative"),
        ("Father or guardian name", "name", "father"),
    ],
)
def test_labels_map_part_by_part(matcher: FieldMatcher, label: str, item: str, role: str) -> None:
    (m,) = matcher.match([Form(id="f", fields=(Field(key="q1", label=label),))])
    assert (m.item, m.role) == (item, role), m.reasons
    assert m.status == "matched"


def test_bilingual_and_chinese_labels_merge() -> None:
    chinese = form_from_dict(
        yaml.safe_load(
            "id: a\nfields:\n  - {key: a1, label: 联系电话}\n  - {key: a2, label: 出生日期}"
        )
    )
    bilingual = form_from_dict(
        yaml.safe_load(
            "id: b\nfields:\n  - {key: b1, label: 联系电话 TEL}\n  - {key: b2, label: D.O.B.}"
        )
    )
    merged = merge([chinese, bilingual])
    assert len(merged.field("phone@applicant").sources) == 2
    assert len(merged.field("birth_date@applicant").sources) == 2


def test_english_words() -> None:
    from formmerge.matching.scoring import english_words

    assert english_words("Dates of birth") == {"date", "birth"}
    assert english_words("the address") == {"address"}


@pytest.mark.parametrize("label", ["va file number", "postal type", "docket number"])
def test_english_labels_sharing_no_word_with_an_item_are_not_matched(label: str) -> None:
    form = Form(id="f", language="en", fields=(Field(key="x1", label=label),))
    (m,) = FieldMatcher(load_catalog()).match([form])
    assert m.status != "matched"


@pytest.mark.parametrize(
    ("label", "item"),
    [("Date of birth", "birth_date"), ("Telephone number", "phone"), ("Tel.", "phone")],
)
def test_english_labels_sharing_words_still_match(label: str, item: str) -> None:
    form = Form(id="f", language="en", fields=(Field(key="x1", label=label),))
    (m,) = FieldMatcher(load_catalog()).match([form])
    assert (m.item, m.status) == (item, "matched")


def test_a_key_that_is_the_labels_initials_is_no_role_and_no_item() -> None:
    form = Form(
        id="f",
        fields=(Field(key="mqzy", label="目前职业"), Field(key="zh", label="证号")),
    )
    matcher = FieldMatcher(load_catalog())
    assert matcher.roles.detect("目前职业", "mqzy").role is None
    assert matcher.roles.detect("职业", "mqzy").role == "mother"
    _, number = matcher.match([form])
    assert not (number.item == "bank_account_number" and number.status == "matched")


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("country of birth", "country"),
        ("dates of birth", "date"),
        ("apartment number", "number"),
        ("relationship to veteran", "relationship"),
        ("veteran service number", "number"),
        ("phone", None),
        ("", None),
    ],
)
def test_head_word(text: str, head: str | None) -> None:
    from formmerge.matching.scoring import head_word

    assert head_word(text) == head


@pytest.mark.parametrize(
    ("label", "not_item"),
    [
        ("military service number", "military_service_type"),
        ("militaryServiceNumber", "military_service_type"),
        ("veteran description", "veteran_certificate_number"),
    ],
)
def test_an_item_lacking_the_labels_head_word_is_not_matched(label: str, not_item: str) -> None:
    form = Form(id="f", language="en", fields=(Field(key="x1", label=label),))
    (m,) = FieldMatcher(load_catalog()).match([form])
    assert not (m.item == not_item and m.status == "matched"), m.reasons


@pytest.mark.parametrize(
    ("label", "item"),
    [
        ("relationship to veteran", "relationship"),
        ("Dates of birth", "birth_date"),
        ("Postal code", "postal_code"),
    ],
)
def test_an_item_with_the_head_word_still_matches(label: str, item: str) -> None:
    form = Form(id="f", language="en", fields=(Field(key="x1", label=label),))
    (m,) = FieldMatcher(load_catalog()).match([form])
    assert m.item == item, m.reasons
    assert m.status in {"matched", "review"}


def test_a_modifier_shared_with_an_item_does_not_merge_it() -> None:
    one = form_from_dict(
        yaml.safe_load(
            "id: one\nlanguage: en\nfields:\n  - {key: a1, label: Date of birth}\n"
            "  - {key: a2, label: Military service number}"
        )
    )
    two = form_from_dict(
        yaml.safe_load(
            "id: two\nlanguage: en\nfields:\n  - {key: b1, label: D.O.B.}\n"
            "  - {key: b2, label: Military service type}"
        )
    )
    merged = merge([one, two])
    assert len(merged.field("birth_date@applicant").sources) == 2
    service = [f for f in merged.fields if f.item == "military_service_type"]
    assert all(len(f.sources) == 1 for f in service)


def test_a_home_phone_is_the_landline_not_the_mobile() -> None:
    one = form_from_dict(
        yaml.safe_load("id: one\nlanguage: en\nfields:\n  - {key: homePhone, label: homePhone}")
    )
    two = form_from_dict(
        yaml.safe_load("id: two\nlanguage: en\nfields:\n  - {key: b1, label: Telephone number}")
    )
    merged = merge([one, two])
    assert len(merged.field("phone@applicant").sources) == 2

"""Splitting answers back into each form's payload, and reading payloads back."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.catalog import load_catalog
from formmerge.errors import CatalogError
from formmerge.merging import merge
from formmerge.models import Catalog, Field, Form, Group, MergedForm, Option
from formmerge.splitting import read_back, split

CHILD = Group(key="xse", label="新生儿信息")
HOSPITAL = Form(
    id="hospital",
    fields=(
        Field(key="xm", label="新生儿姓名", required=True, max_length=20),
        Field(
            key="xb",
            label="新生儿性别",
            type="enum",
            options=(Option(code="1", label="男"), Option(code="2", label="女")),
        ),
        Field(key="csrq", label="新生儿出生日期", type="date", date_format="%Y年%m月%d日"),
        Field(key="tz", label="新生儿出生体重（克）", type="number"),
    ),
)
POLICE = Form(
    id="police",
    fields=(
        Field(key="name", label="姓名", group=(CHILD,), required=True),
        Field(
            key="sex",
            label="性别",
            type="enum",
            group=(CHILD,),
            options=(Option(code="M", label="男"), Option(code="F", label="女")),
        ),
        Field(key="birthDate", label="出生日期", type="date", group=(CHILD,)),
        Field(key="fqxm", label="父亲姓名", required=True),
    ),
)


@pytest.fixture(scope="module")
def merged() -> MergedForm:
    return merge([HOSPITAL, POLICE], load_catalog())


def test_payloads_use_each_forms_keys_nesting_and_formats(merged: MergedForm) -> None:
    answers = {
        "name@child": "李小明",
        "sex@child": "2",
        "birth_date@child": "2026-05-16",
        "birth_weight@child": 3250,
        "name@father": "李强",
    }
    result = split(merged, answers)
    assert result.payloads["hospital"] == {
        "xm": "李小明",
        "xb": "2",
        "csrq": "2026年05月16日",
        "tz": 3250.0,
    }
    assert result.payloads["police"] == {
        "xse": {"name": "李小明", "sex": "F", "birthDate": "2026-05-16"},
        "fqxm": "李强",
    }
    assert result.ok, result.problems


def test_missing_answers_are_reported_not_dropped(merged: MergedForm) -> None:
    result = split(merged, {"name@child": "李小明"})
    codes = {(p.location.form, p.location.field): p.code for p in result.problems}
    assert codes[("police", "fqxm")] == "missing-required"
    assert codes[("hospital", "xb")] == "no-answer"
    assert result.payloads["police"]["fqxm"] is None


def test_values_a_form_rejects_are_reported(merged: MergedForm) -> None:
    result = split(merged, {"name@child": "李" * 25, "sex@child": "1", "name@father": "x"})
    assert ("too-long", "hospital") in {(p.code, p.location.form) for p in result.problems}


def test_unknown_answer_keys_are_reported(merged: MergedForm) -> None:
    result = split(merged, {"nonsense@nobody": 1})
    assert "unknown-answer" in {p.code for p in result.problems}


_names = st.text(alphabet="李王张小明红华强", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    child=_names,
    father=_names,
    sex=st.sampled_from(["1", "2"]),
    born=st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)),
    weight=st.integers(min_value=500, max_value=6000),
)
def test_split_then_read_back_gives_the_answers(
    merged: MergedForm, child: str, father: str, sex: str, born: date, weight: int
) -> None:
    answers: dict[str, Any] = {
        "name@child": child,
        "sex@child": sex,
        "birth_date@child": born.isoformat(),
        "birth_weight@child": weight,
        "name@father": father,
    }
    result = split(merged, answers)
    assert result.ok, result.problems
    for form in merged.forms:
        back = read_back(merged, form.id, result.payloads[form.id])
        assert back.ok, back.problems
        for fid, value in back.answers.items():
            assert value == answers[fid], (form.id, fid)


def test_date_times_keep_their_time_in_each_forms_format() -> None:
    a = Form(
        id="a",
        fields=(
            Field(
                key="cssj",
                label="新生儿出生时间",
                type="datetime",
                date_format="%Y年%m月%d日%H时%M分",
            ),
        ),
    )
    b = Form(id="b", fields=(Field(key="birthTime", label="新生儿出生时间", type="datetime"),))
    merged = merge([a, b], load_catalog())
    (field,) = merged.fields
    result = split(merged, {field.id: "2026-04-04T19:28:00"})
    assert result.payloads["a"] == {"cssj": "2026年04月04日19时28分"}
    assert result.payloads["b"] == {"birthTime": "2026-04-04T19:28:00"}
    for form_id in ("a", "b"):
        back = read_back(merged, form_id, result.payloads[form_id])
        assert back.answers == {field.id: "2026-04-04T19:28:00"}
        assert back.ok, back.problems


# --- lossless or loud: each value round-trips exactly or a located problem names it ---------


def _one_field_merge(field: Field, other: Field | None = None) -> MergedForm:
    forms = [Form(id="a", fields=(field,))]
    if other is not None:
        forms.append(Form(id="b", fields=(other,)))
    return merge(forms, load_catalog())


def _codes(problems: list[Any], form: str = "a") -> set[str]:
    return {p.code for p in problems if p.location.form == form}


@pytest.mark.parametrize(
    ("field", "answer", "code"),
    [
        (Field(key="n", label="子女人数", type="integer"), 1.7, "wrong-type"),
        (Field(key="n", label="子女人数", type="integer"), "abc", "wrong-type"),
        (Field(key="n", label="子女人数", type="integer"), True, "wrong-type"),
        (Field(key="w", label="新生儿出生体重", type="number"), "abc", "wrong-type"),
        (Field(key="w", label="新生儿出生体重", type="number"), float("nan"), "wrong-type"),
        (Field(key="m", label="是否邮寄", type="boolean"), "maybe", "wrong-type"),
        (Field(key="x", label="备注"), ["a", "b"], "unexpected-list"),
        (Field(key="x", label="备注"), {"a": 1}, "unexpected-list"),
        (Field(key="d", label="出生日期", type="date"), "not a date", "wrong-type"),
        (
            Field(key="d", label="出生年月", type="date", date_format="%Y年%m月"),
            "2025-05-16",
            "held-at-form-precision",
        ),
        (
            Field(key="t", label="出生时间", type="datetime", date_format="%Y-%m-%d %H:%M"),
            "2026-04-04T19:28:34",
            "held-at-form-precision",
        ),
    ],
)
def test_a_value_a_form_cannot_hold_is_a_located_problem_and_kept(
    field: Field, answer: Any, code: str
) -> None:
    merged = _one_field_merge(field)
    (mf,) = merged.fields
    result = split(merged, {mf.id: answer})
    assert code in _codes(result.problems)
    assert {p.location.field for p in result.problems if p.code == code} == {field.path}
    if code != "held-at-form-precision":  # kept as given; a date is written as the form holds it
        kept = result.payloads["a"][field.key]
        assert kept == answer or (kept != kept and answer != answer)  # nan is kept too


@pytest.mark.parametrize(
    ("field", "answer", "payload_value", "back"),
    [
        (Field(key="m", label="是否邮寄", type="boolean"), "false", False, False),
        (Field(key="m", label="是否邮寄", type="boolean"), "是", True, True),
        (Field(key="n", label="子女人数", type="integer"), "12", 12, 12),
        (Field(key="n", label="子女人数", type="integer"), 3.0, 3, 3),
        (
            Field(key="d", label="出生日期", type="date", date_format="%m/%d/%Y"),
            "2025-05-16",
            "05/16/2025",
            "2025-05-16",
        ),
        (
            Field(key="d", label="出生日期", type="date", date_format="%-d.%-m.%Y"),
            date(2025, 5, 6),
            "6.5.2025",
            "2025-05-06",
        ),
    ],
)
def test_exact_conversions_round_trip(
    field: Field, answer: Any, payload_value: Any, back: Any
) -> None:
    merged = _one_field_merge(field)
    (mf,) = merged.fields
    result = split(merged, {mf.id: answer})
    assert result.ok, result.problems
    assert result.payloads["a"][field.key] == payload_value
    assert type(result.payloads["a"][field.key]) is type(payload_value)
    read = read_back(merged, "a", result.payloads["a"])
    assert read.ok, read.problems
    assert read.answers[mf.id] == back
    assert type(read.answers[mf.id]) is type(back)


def test_options_with_equal_normalised_labels_stay_apart() -> None:
    options = (
        Option(code="03", label="流产（4个月以下）"),
        Option(code="04", label="流产（4个月及以上）"),
    )
    field = Field(key="jg", label="妊娠结局", type="enum", options=options)
    merged = _one_field_merge(field, field.model_copy(update={"key": "rsjj"}))
    (mf,) = merged.fields
    for code in ("03", "04"):
        result = split(merged, {mf.id: code})
        assert result.ok, result.problems
        for form_id in ("a", "b"):
            assert read_back(merged, form_id, result.payloads[form_id]).answers == {mf.id: code}


REPEATING = Group(key="zn", label="子女信息", repeating=True)
CHILDREN = Form(
    id="a",
    fields=(
        Field(key="xm", label="子女姓名", group=(REPEATING,)),
        Field(key="csrq", label="子女出生日期", type="date", group=(REPEATING,)),
    ),
)


def test_repeating_lists_of_different_lengths_read_back_without_padding() -> None:
    merged = merge([CHILDREN], load_catalog())
    names, births = (f.id for f in merged.fields)
    answers = {names: ["甲", "乙", "丙"], births: ["2020-01-02"]}
    result = split(merged, answers)
    assert result.payloads["a"]["zn"][2] == {"xm": "丙"}
    read = read_back(merged, "a", result.payloads["a"])
    assert read.answers == answers
    assert read.ok, read.problems


def test_none_in_a_repeating_list_is_reported_with_its_row() -> None:
    merged = merge([CHILDREN], load_catalog())
    names = next(f.id for f in merged.fields if f.type == "string")
    result = split(merged, {names: ["甲", None, ""]})
    rows = {
        p.location.pointer
        for p in result.problems
        if p.code == "no-answer" and p.location.field == "zn/xm"
    }
    assert rows == {"/zn/1/xm", "/zn/2/xm"}
    assert result.payloads["a"]["zn"] == [{"xm": "甲"}, {"xm": None}, {"xm": None}]


def test_a_scalar_for_a_repeating_field_is_reported() -> None:
    merged = merge([CHILDREN], load_catalog())
    names = next(f.id for f in merged.fields if f.type == "string")
    result = split(merged, {names: "甲"})
    assert "expected-list" in _codes(result.problems)
    assert result.payloads["a"]["zn"] == [{"xm": "甲"}]


@pytest.mark.parametrize("answers", [None, ["name@child"], "name@child=李"])
def test_answers_that_are_no_mapping_are_a_problem_not_a_crash(
    merged: MergedForm, answers: Any
) -> None:
    result = split(merged, answers)
    assert "not-a-mapping" in {p.code for p in result.problems}
    assert set(result.payloads) == {"hospital", "police"}


def test_read_back_of_an_unknown_form_is_a_problem() -> None:
    merged = merge([HOSPITAL, POLICE], load_catalog())
    read = read_back(merged, "tax-office", {})
    assert [(p.code, p.location.form) for p in read.problems] == [("unknown-form", "tax-office")]
    assert read.answers == {}


@pytest.mark.parametrize(
    ("payload", "pointer"),
    [
        ({"xm": "李", "extra": 1}, "/extra"),
        ({"xse": {"name": "李", "nickname": "小李"}}, "/xse/nickname"),
        ({"xse": "李"}, "/xse"),
    ],
)
def test_payload_keys_no_field_reads_are_reported(
    merged: MergedForm, payload: dict[str, Any], pointer: str
) -> None:
    form = "hospital" if "xm" in payload else "police"
    read = read_back(merged, form, payload)
    assert ("unknown-payload-key", pointer) in {(p.code, p.location.pointer) for p in read.problems}


def test_read_back_reports_values_the_form_does_not_allow(merged: MergedForm) -> None:
    read = read_back(merged, "police", {"xse": {"sex": "X", "birthDate": "soon"}})
    found = {(p.code, p.location.field) for p in read.problems}
    assert {("invalid-option", "xse/sex"), ("wrong-type", "xse/birthDate")} <= found
    assert read.answers["sex@child"] == "X"  # kept as the payload holds it


@pytest.mark.parametrize(
    ("fmt", "problems"),
    [
        ("citizenid", [("unknown-format", "a", "sfzhm")]),
        ("mobil", [("unknown-format", "a", "sfzhm")]),
        ("^d{9}$", [("unknown-format", "a", "sfzhm")]),  # a pattern written into format
        ("uuid", []),  # a JSON Schema format: an annotation formmerge does not check
    ],
)
def test_an_unknown_format_is_a_located_problem(
    fmt: str, problems: list[tuple[str, str, str]]
) -> None:
    merged = _one_field_merge(Field(key="sfzhm", label="身份证号码", format=fmt))
    result = split(merged, {merged.fields[0].id: "anything"})
    assert [(p.code, p.location.form, p.location.field) for p in result.problems] == problems


def test_a_catastrophic_pattern_is_a_problem_within_the_guard() -> None:
    from formmerge.settings import DEFAULT_PATTERN_TIMEOUT

    merged = _one_field_merge(Field(key="code", label="编码", pattern="^(a+)+$"))
    started = time.perf_counter()
    result = split(merged, {merged.fields[0].id: "a" * 29 + "!"})
    assert time.perf_counter() - started < DEFAULT_PATTERN_TIMEOUT + 1
    assert [(p.code, p.location.field) for p in result.problems] == [("pattern-mismatch", "code")]


def test_a_catalog_without_the_merged_fields_code_list_is_refused_or_a_problem(
    merged: MergedForm,
) -> None:
    catalog = load_catalog()
    bare = Catalog(items=catalog.items, roles=catalog.roles, materials=catalog.materials)
    with pytest.raises(CatalogError) as refused:
        split(merged, {"sex@child": "1"}, catalog=bare)
    assert [p.code for p in refused.value.problems] == ["catalog-mismatch"]
    merged = merged.model_copy(update={"catalog": ""})  # a file written before it was recorded
    result = split(merged, {"sex@child": "1"}, catalog=bare)
    assert ("unknown-code-list", "hospital", "xb") in {
        (p.code, p.location.form, p.location.field) for p in result.problems
    }
    assert result.payloads["hospital"]["xb"] == "1"  # kept as given
    read = read_back(merged, "hospital", result.payloads["hospital"], catalog=bare)
    assert "unknown-code-list" in {p.code for p in read.problems}

"""Splitting answers back into each form's payload, and reading payloads back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.catalog import load_catalog
from formmerge.merging import merge
from formmerge.models import Field, Form, Group, MergedForm, Option
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
        for fid, value in back.items():
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
        assert read_back(merged, form_id, result.payloads[form_id]) == {
            field.id: "2026-04-04T19:28:00"
        }

"""SQL compilation: the same readings and outcomes as Python, and nothing but bound values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formmerge.errors import RuleError
from formmerge.rules import parse_rules, verify, verify_batch
from formmerge.rules.api import _CONNECTION_CONFIG
from formmerge.rules.nodes import BOOLEAN, DATE, NUMBER, STRING, FieldRef, Type
from formmerge.rules.sql import Parameters, batch_sql, quote_identifier
from formmerge.rules.values import FALSE_WORDS, TRUE_WORDS, as_text, coerce, column_sql

AS_OF = date(2026, 6, 1)

_texts = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\u3000", "n/a", "15", " 15 ", "1.5e1", "-3", ".5", "15.", "1_0"]),
    st.sampled_from(["2026-05-16", " 2026-05-16T08:30 ", "2026-02-30", "2026-5-6", "20260516"]),
    st.sampled_from([*TRUE_WORDS, *FALSE_WORDS, "TRUE", " Yes ", "maybe"]),
    st.text(max_size=6),
    st.integers(-99, 99).map(str),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)).map(str),
)

_COLUMNS: dict[str, st.SearchStrategy[Any]] = {
    "VARCHAR": _texts,
    "DOUBLE": st.one_of(
        st.none(), st.floats(-1e6, 1e6), st.just(float("nan")), st.integers(-5, 5).map(float)
    ),
    "BIGINT": st.one_of(st.none(), st.integers(-(2**40), 2**40), st.sampled_from([0, 1])),
    "BOOLEAN": st.one_of(st.none(), st.booleans()),
    "DATE": st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1))),
    "TIMESTAMP": st.one_of(
        st.none(), st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1))
    ),
}
_PANDAS_TYPES = {
    "VARCHAR": object,
    "DOUBLE": "float64",
    "BIGINT": "Int64",
    "BOOLEAN": "boolean",
    "DATE": object,
    "TIMESTAMP": "datetime64[us]",
}
_ARROW_TYPES = {"DATE": pa.date32(), "VARCHAR": pa.string()}


def _sql_readings(values: list[Any], sql_type: str, wanted: Type) -> tuple[str, list[Any]]:
    frame = pd.DataFrame({"c": pd.Series(values, dtype=_PANDAS_TYPES[sql_type])})
    table: Any = frame
    if sql_type in _ARROW_TYPES:
        table = pa.table({"c": pa.array(values, type=_ARROW_TYPES[sql_type])})
    with duckdb.connect() as con:
        con.register("t", table)
        actual = str(con.table("t").types[0])
        params = Parameters()
        sql = column_sql('"c"', actual, wanted, params.bind)
        return actual, [
            row[0] for row in con.execute(f"SELECT {sql} FROM t", params.values).fetchall()
        ]


@pytest.mark.parametrize("sql_type", sorted(_COLUMNS))
@pytest.mark.parametrize("wanted", [STRING, NUMBER, DATE, BOOLEAN], ids=str)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_sql_reads_values_like_python(sql_type: str, wanted: Type, data: st.DataObject) -> None:
    values = data.draw(st.lists(_COLUMNS[sql_type], min_size=1, max_size=12))
    actual, got = _sql_readings(values, sql_type, wanted)
    assert actual.split("(")[0] in (sql_type, "TIMESTAMP_NS", "TIMESTAMP")
    expected = [coerce(v, wanted)[0] for v in values]
    if wanted == NUMBER:
        got = [None if g is None else float(g) for g in got]
    assert got == expected


_mixed = st.one_of(
    *(_COLUMNS[k] for k in ("VARCHAR", "DOUBLE", "BIGINT", "BOOLEAN", "DATE", "TIMESTAMP"))
)


@given(_mixed)
def test_text_of_a_value_reads_as_the_value(value: Any) -> None:
    for wanted in (STRING, NUMBER, DATE, BOOLEAN):
        assert coerce(as_text(value), wanted)[0] == coerce(value, wanted)[0]


def test_mixed_object_columns_are_read_as_in_python() -> None:
    values = [True, "否", 1, 0.0, None, "maybe", 2, date(2026, 1, 1)]
    rules = parse_rules(
        "id: q\nrules:\n  - {id: r, condition: 'not organization.abnormal_operation_listed', "
        "message: {zh: x, en: x}}\n"
    )
    frame = pd.DataFrame({"abnormal_operation_listed@organization": values}, dtype=object)
    batch = list(verify_batch(frame, rules)["r"])
    one_by_one = [
        verify({"abnormal_operation_listed@organization": v}, rules)[0].status for v in values
    ]
    assert (
        batch
        == one_by_one
        == ["fail", "pass", "fail", "pass", "unknown", "unknown", "unknown", "unknown"]
    )


# --------------------------------------------------------------------------- outcomes

CONDITIONS = [
    "age_on(child.birth_date, date(year, 8, 31)) >= 6",
    "years_between(child.birth_date, today()) < 7 or child.birth_date > today()",
    "days_between(child.birth_date, today()) <= 30 and child.birth_date <= today()",
    "add_days(child.birth_date, 10) > today()"
    " or add_months(child.birth_date, 3) < date(2026, 1, 1)",
    "add_years(child.birth_date, 6) <= date(year, 8, 31)",
    "year(child.birth_date) + month(child.birth_date) - day(child.birth_date) > 2000",
    "in_region(applicant.hukou_region_code, district)"
    " and not starts_with(applicant.hukou_region_code, '4205029')",
    "contains(applicant.hukou_address, '西陵') or applicant.hukou_address == 'x'",
    "applicant.marital_status in married or applicant.marital_status not in ['10', '40']",
    "applicant.pension_contribution_years >= 15 and applicant.pension_contribution_years - 1 != 20",
    "-applicant.pension_contribution_years < -3",
    "organization.abnormal_operation_listed == false or not organization.serious_dishonesty_listed",
    "count_present(father.citizen_id, mother.citizen_id,"
    " applicant.pension_contribution_years) >= 2",
    "count_true(organization.abnormal_operation_listed,"
    " applicant.pension_contribution_years > 3) == 1",
    "coalesce(father.citizen_id, mother.citizen_id) == 'A1'",
    "father.citizen_id == mother.citizen_id",
    "is_present(father.citizen_id) and applicant.pension_contribution_years in [15, 16, 17]",
    "child.birth_date in [date(2020, 1, 1), date(2020, 1, 2)] or true != false",
]
PARAMS = 'params: {year: 2026, district: "420500", married: ["20", "21", "22", "23"]}\n'


def _all_rules() -> Any:
    rules = "\n".join(
        f"  - {{id: r{i}, condition: {c!r}, message: {{zh: x, en: x}}}}"
        for i, c in enumerate(CONDITIONS)
    )
    return parse_rules(f"id: all\n{PARAMS}rules:\n{rules}\n")


RULES = _all_rules()

_row = st.fixed_dictionaries(
    {
        "birth_date@child": st.one_of(
            st.none(), st.dates(date(2015, 1, 1), date(2027, 1, 1)).map(str), st.just("bad")
        ),
        "hukou_region_code@applicant": st.sampled_from([None, "420502", "4205029", "420602", " "]),
        "hukou_address@applicant": st.sampled_from([None, "宜昌市西陵区", "x", "武汉"]),
        "marital_status@applicant": st.sampled_from([None, "10", "20", "40", "90"]),
        "pension_contribution_years@applicant": st.sampled_from(
            [None, "15", "21", "2", "x", "16.0", "17"]
        ),
        "abnormal_operation_listed@organization": st.sampled_from([None, "true", "否", "1", "?"]),
        "serious_dishonesty_listed@organization": st.sampled_from([None, "false", "是"]),
        "citizen_id@father": st.sampled_from([None, "A1", "B2"]),
        "citizen_id@mother": st.sampled_from([None, "A1", "B2"]),
    }
)


@settings(max_examples=20, deadline=None)
@given(st.lists(_row, min_size=1, max_size=30))
def test_batch_outcomes_equal_one_by_one(rows: list[dict[str, Any]]) -> None:
    frame = pd.DataFrame(rows, dtype=object)
    batch = verify_batch(frame, RULES, as_of=AS_OF)
    for i, row in enumerate(rows):
        for outcome in verify(row, RULES, as_of=AS_OF):
            assert batch.at[i, outcome.rule_id] == outcome.status, (outcome, row)


# --------------------------------------------------------------------------- safety

HOSTILE = "'; DROP TABLE formmerge_subjects; --"


def test_rule_text_never_becomes_sql() -> None:
    rules = parse_rules(
        {
            "id": "hostile",
            "params": {"evil": "x' OR '1'='1"},
            "rules": [
                {
                    "id": "r",
                    "condition": f"applicant.name == {HOSTILE!r} or applicant.name == evil",
                    "message": {"zh": "x", "en": "x"},
                }
            ],
        }
    )
    bound = rules.bind()
    sql, values = batch_sql([("r", bound.rules[0].expression)], {"name@applicant": "VARCHAR"})
    assert "DROP" not in sql and "OR '1'" not in sql
    assert HOSTILE in values and "x' OR '1'='1" in values
    frame = pd.DataFrame({"name@applicant": [HOSTILE, "x' OR '1'='1", "张三", None]})
    out = verify_batch(frame, bound)
    assert list(out["r"]) == ["pass", "pass", "fail", "unknown"]


@pytest.mark.parametrize(
    ("item", "role"), [("name", 'applicant" FROM x; --'), ("Name", "applicant"), ("", "x")]
)
def test_batch_sql_refuses_field_ids_of_another_shape(item: str, role: str) -> None:
    ref = FieldRef(0, role, item, STRING)
    with pytest.raises(ValueError, match="not a field id"):
        batch_sql([("r", ref)], {ref.field_id: "VARCHAR"})


def test_identifiers_are_quoted() -> None:
    assert quote_identifier('a"b') == '"a""b"'
    frame = pd.DataFrame({'odd "id"': [7], "name@applicant": ["x"]})
    rules = parse_rules(
        "id: q\nrules:\n  - {id: r, condition: 'is_present(applicant.name)', "
        "message: {zh: x, en: x}}\n"
    )
    out = verify_batch(frame, rules, id_column='odd "id"')
    assert out.to_dict("records") == [{'odd "id"': 7, "r": "pass"}]


def test_private_connection_reads_no_file_and_cannot_be_reconfigured(tmp_path: Any) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with duckdb.connect(":memory:", config=_CONNECTION_CONFIG) as con:
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"SELECT * FROM read_csv('{secret}')")
        with pytest.raises(duckdb.InvalidInputException):
            con.execute("SET enable_external_access = true")


def test_subjects_from_a_relation_cannot_reach_its_connection() -> None:
    with duckdb.connect() as user:
        user.execute("CREATE TABLE secrets AS SELECT 'top secret' AS s")
        user.execute("CREATE TABLE people AS SELECT '张三' AS \"name@applicant\"")
        relation = user.table("people")
        rules = parse_rules(
            "id: q\nrules:\n  - {id: r, condition: 'applicant.name == \"张三\"', "
            "message: {zh: x, en: x}}\n"
        )
        assert list(verify_batch(relation, rules)["r"]) == ["pass"]
        assert list(verify_batch(relation.to_arrow_table(), rules)["r"]) == ["pass"]


def test_missing_columns_and_fields_outside_the_application() -> None:
    with pytest.raises(RuleError) as missing:
        verify_batch(pd.DataFrame({"name@applicant": ["x"]}), RULES, as_of=AS_OF)
    assert set(missing.value.codes) == {"not-in-application"}
    frame = pd.DataFrame({"name@applicant": ["x"], "birth_date@child": ["2020-01-01"]})
    rules = parse_rules(
        "id: q\nrules:\n  - {id: r, condition: 'child.birth_date < today()', "
        "message: {zh: x, en: x}}\n"
    )
    with pytest.raises(RuleError) as outside:
        verify_batch(frame, rules, fields=["name@applicant"])
    assert outside.value.codes == ["not-in-application"]
    with pytest.raises(RuleError, match="has the name of a rule"):
        verify_batch(frame.assign(r=1), rules, id_column="r")


def test_batch_keeps_row_order_and_gives_categories() -> None:
    rules = parse_rules(
        "id: q\nrules:\n  - {id: r, condition: 'applicant.pension_contribution_years >= 15', "
        "message: {zh: x, en: x}}\n"
    )
    years = [float(i % 30) if i % 7 else None for i in range(5000)]
    frame = pd.DataFrame({"id": range(5000), "pension_contribution_years@applicant": years})
    out = verify_batch(frame, rules, id_column="id")
    assert list(out["id"]) == list(range(5000))
    assert isinstance(out["r"].dtype, pd.CategoricalDtype)
    assert list(out["r"].cat.categories) == ["pass", "fail", "unknown"]
    expected = ["unknown" if y is None else "pass" if y >= 15 else "fail" for y in years]
    assert list(out["r"]) == expected


def test_dates_beyond_the_calendar_are_unknown_in_both() -> None:
    rules = parse_rules(
        "id: q\nrules:\n"
        "  - {id: years, condition: 'add_years(child.birth_date, 9000) > today()', "
        "message: {zh: x, en: x}}\n"
        "  - {id: days, condition: 'add_days(child.birth_date, 1e20) > today()', "
        "message: {zh: x, en: x}}\n"
    )
    frame = pd.DataFrame({"birth_date@child": ["2020-01-01"]})
    batch = verify_batch(frame, rules, as_of=AS_OF)
    assert list(batch.iloc[0]) == ["unknown", "unknown"]
    outcomes = verify({"birth_date@child": "2020-01-01"}, rules, as_of=AS_OF)
    assert [o.status for o in outcomes] == ["unknown", "unknown"]

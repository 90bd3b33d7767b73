"""End-to-end tests of single-subject prefill on the demo registers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import formmerge.prefill as prefill_module
from formmerge.catalog import load_catalog
from formmerge.demodata import demo_subjects
from formmerge.errors import AccessDeniedError, SourceError
from formmerge.models import MergedForm
from formmerge.prefill import (
    AuditLog,
    AuditRecord,
    RegisterReader,
    check_tampering,
    load_sources,
    prefill,
)
from formmerge.prefill.duckdb_backend import DuckDBBackend

MakeForm = Callable[..., MergedForm]

PERSON_ITEMS = [
    ("name", "applicant"),
    ("citizen_id", "applicant"),
    ("sex", "applicant"),
    ("ethnicity", "applicant"),
    ("birth_date", "applicant"),
    ("hukou_address", "applicant"),
    ("household_number", "applicant"),
    ("marital_status", "applicant"),
    ("mobile", "applicant"),
    ("marriage_date", "applicant"),
    ("social_security_card_number", "applicant"),
    ("pension_contribution_years", "applicant"),
    ("housing_fund_account", "applicant"),
    ("housing_fund_start_date", "applicant"),
    ("name", "spouse"),
    ("citizen_id", "spouse"),
    ("name", "child"),
    ("birth_certificate_number", "child"),
    ("birth_weight", "child"),
    ("birth_time", "child"),
    ("name", "father"),
    ("name", "mother"),
    ("name", "deceased"),
    ("death_date", "deceased"),
]
ENTERPRISE_ITEMS = [
    ("enterprise_name", "organization"),
    ("uscc", "organization"),
    ("registered_capital", "organization"),
    ("establishment_date", "organization"),
    ("taxpayer_type", "organization"),
    ("abnormal_operation_listed", "organization"),
    ("name", "legal_representative"),
    ("citizen_id", "legal_representative"),
    ("mobile", "legal_representative"),
    ("name", "principal"),
    ("name", "shareholder"),
]


@pytest.fixture(scope="module")
def con(demo_registers: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(demo_registers), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def subjects(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return demo_subjects(con)


def _one(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> object:
    row = con.execute(sql, list(params)).fetchone()
    return None if row is None else row[0]


# ------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    "kind", ["newborn_mother", "married_person", "near_retiree", "school_child_parent"]
)
def test_person_values_match_registers(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm, kind: str
) -> None:
    key = subjects[kind]
    result = prefill(merged_form(PERSON_ITEMS), key, connection=con)
    values = result.as_answers()
    expected = con.execute(
        """SELECT p.name, p.citizen_id, p.sex, p.ethnicity, strftime(p.birth_date, '%Y-%m-%d'),
                  h.hukou_address, h.household_number, p.marital_status
           FROM population p JOIN household h USING (citizen_id) WHERE citizen_id = ?""",
        [key],
    ).fetchone()
    assert expected is not None
    names = ["name", "citizen_id", "sex", "ethnicity", "birth_date", "hukou_address",
             "household_number", "marital_status"]  # fmt: skip
    for name, value in zip(names, expected, strict=True):
        assert values[f"{name}@applicant"] == value, name
    years = _one(con, "SELECT contribution_years FROM social_insurance WHERE citizen_id = ?", key)
    assert values.get("pension_contribution_years@applicant") == years
    account = _one(con, "SELECT gjjzh FROM housing_fund WHERE zjhm = ? AND zt = '正常'", key)
    assert values.get("housing_fund_account@applicant") == account
    opened = _one(
        con,
        "SELECT strftime(strptime(khrq, '%Y%m%d'), '%Y-%m-%d') FROM housing_fund WHERE zjhm = ?",
        key,
    )
    assert values.get("housing_fund_start_date@applicant") == opened
    assert set(result.values) | set(result.to_type) == {f"{i}@{r}" for i, r in PERSON_ITEMS}
    assert not set(result.values) & set(result.to_type)


def test_spouse_found_through_marriage(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    key = subjects["married_person"]
    result = prefill(merged_form(PERSON_ITEMS), key, connection=con)
    spouse = _one(
        con,
        """SELECT spouse_citizen_id FROM marriage_party
           WHERE citizen_id = ? AND status = '婚姻存续'""",
        key,
    )
    assert result.values["citizen_id@spouse"].value == spouse
    assert result.values["name@spouse"].value == _one(
        con, "SELECT name FROM population WHERE citizen_id = ?", spouse
    )
    marriage = _one(
        con,
        "SELECT strftime(marriage_date, '%Y-%m-%d') FROM marriage_party WHERE citizen_id = ?",
        key,
    )
    assert result.values["marriage_date@applicant"].value == marriage
    assert "spouse" in result.roles


def test_newborn_found_through_birth_certificate(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    mother = subjects["newborn_mother"]
    result = prefill(merged_form(PERSON_ITEMS), mother, connection=con)
    latest = con.execute(
        """SELECT certificate_number, child_name, birth_weight, father_name,
                  strftime(birth_time, '%Y-%m-%dT%H:%M:%S')
           FROM birth_certificate WHERE mother_citizen_id = ?
           ORDER BY birth_time DESC LIMIT 1""",
        [mother],
    ).fetchone()
    assert latest is not None
    number, child, weight, father, born = latest
    values = result.as_answers()
    assert values["birth_certificate_number@child"] == number
    assert values["name@child"] == child
    assert values["birth_weight@child"] == weight
    assert values["birth_time@child"] == born
    assert values["name@father"] == father  # the newborn's father, not the mother's
    assert values["name@mother"] == values["name@applicant"]


def test_parents_of_a_school_child(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    child = subjects["school_child"]
    pairs = [
        ("name", "applicant"),
        ("school_name", "applicant"),
        ("grade", "applicant"),
        ("student_number", "applicant"),
        ("name", "father"),
        ("citizen_id", "mother"),
    ]
    result = prefill(merged_form(pairs), child, connection=con)
    row = con.execute(
        """SELECT b.father_name, b.mother_citizen_id, s.school_name, s.student_number
           FROM birth_certificate b JOIN student s ON s.citizen_id = b.child_citizen_id
           WHERE b.child_citizen_id = ?""",
        [child],
    ).fetchone()
    assert row is not None
    values = result.as_answers()
    assert (values["name@father"], values["citizen_id@mother"]) == row[:2]
    assert (values["school_name@applicant"], values["student_number@applicant"]) == row[2:]


def test_enterprise_and_the_people_it_names(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    uscc = subjects["enterprise"]
    result = prefill(merged_form(ENTERPRISE_ITEMS, subject="organization"), uscc, connection=con)
    row = con.execute(
        """SELECT e.name, e.registered_capital, e.legal_rep_citizen_id, e.legal_rep_name,
                  e.principal_name, t.taxpayer_type, c.abnormal_operation_listed
           FROM enterprise e JOIN tax_registration t ON t.taxpayer_id = e.uscc
           JOIN credit_status c ON c.uscc = e.uscc WHERE e.uscc = ?""",
        [uscc],
    ).fetchone()
    assert row is not None
    values = result.as_answers()
    assert values["enterprise_name@organization"] == row[0]
    assert values["registered_capital@organization"] == row[1]
    assert values["citizen_id@legal_representative"] == row[2]
    assert values["name@legal_representative"] == row[3]
    assert values["name@principal"] == row[4]
    assert values["taxpayer_type@organization"] == row[5]
    assert values["abnormal_operation_listed@organization"] is row[6]
    largest = _one(
        con,
        """SELECT shareholder_name FROM shareholder WHERE uscc = ?
           ORDER BY shareholding_ratio DESC LIMIT 1""",
        uscc,
    )
    assert values["name@shareholder"] == largest


def test_deceased_spouse(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    result = prefill(merged_form(PERSON_ITEMS), subjects["widowed_spouse"], connection=con)
    deceased = subjects["deceased"]
    died = _one(
        con, "SELECT strftime(death_date, '%Y-%m-%d') FROM death WHERE citizen_id = ?", deceased
    )
    assert result.values["death_date@deceased"].value == died
    assert "citizen_id@spouse" not in result.values  # the marriage has ended


def test_explicit_roles_and_key_items(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    number = _one(
        con,
        "SELECT certificate_number FROM birth_certificate WHERE child_citizen_id IS NULL LIMIT 1",
    )
    pairs = [("name", "child"), ("gestational_weeks", "child"), ("name", "applicant")]
    result = prefill(
        merged_form(pairs),
        {"applicant": subjects["married_person"], "child.birth_certificate_number": str(number)},
        connection=con,
    )
    weeks = _one(
        con, "SELECT gestational_weeks FROM birth_certificate WHERE certificate_number = ?", number
    )
    assert result.values["gestational_weeks@child"].value == weeks
    assert result.values["name@applicant"].value


def test_read_only_only_for_verified_sources(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    result = prefill(merged_form(PERSON_ITEMS), subjects["married_person"], connection=con)
    for value in result.values.values():
        assert value.read_only == (value.authority == "verified")
    assert result.values["mobile@applicant"].authority == "self-declared"
    assert not result.values["mobile@applicant"].read_only
    assert result.values["name@applicant"].read_only
    assert result.values["name@applicant"].department
    assert result.values["name@applicant"].as_of is not None
    frame = result.to_frame()
    assert list(frame["field"]) == list(result.values)


def test_disagreements_are_recorded_and_settled_by_precedence(
    con: duckdb.DuckDBPyConnection, merged_form: MakeForm, tmp_path: Path
) -> None:
    key = _one(
        con,
        """SELECT p.citizen_id FROM population p JOIN social_insurance s USING (citizen_id)
           WHERE p.mobile <> s.mobile ORDER BY 1 LIMIT 1""",
    )
    form = merged_form([("mobile", "applicant"), ("name", "applicant")])
    result = prefill(form, str(key), connection=con)
    (disagreement,) = result.disagreements
    assert disagreement.field == "mobile@applicant"
    assert disagreement.chosen == "population_contact"
    assert set(disagreement.values) == {"population_contact", "social_insurance_contact"}
    assert str(key) not in disagreement.describe()
    assert result.values["mobile@applicant"].value == disagreement.values["population_contact"]

    config = load_sources().model_dump(by_alias=True)
    config["precedence"]["mobile"] = ["social_insurance_contact", "population_contact"]
    reversed_ = prefill(form, str(key), connection=con, sources=load_sources(config))
    assert reversed_.values["mobile@applicant"].source == "social_insurance_contact"


def test_fields_without_data_are_left_to_type(
    con: duckdb.DuckDBPyConnection, merged_form: MakeForm
) -> None:
    form = merged_form([("name", "applicant"), ("name", "spouse")], extra=["remarks"])
    unknown = prefill(form, "110101190001011009", connection=con)
    assert unknown.values == {}
    assert unknown.to_type == ["name@applicant", "name@spouse", "form:remarks"]


# ------------------------------------------------------------------------- minimum necessary


def test_reader_refuses_items_not_asked(
    demo_registers: Path, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    form = merged_form([("name", "applicant")])
    config, catalog, log = load_sources(), load_catalog(), AuditLog()
    key = subjects["married_person"]
    with DuckDBBackend(database=demo_registers) as backend:
        reader = RegisterReader(
            backend, config, catalog, form.items, audit=log, matter="m", subject=key
        )
        keys = {"applicant": {"citizen_id": key}}
        assert reader.read(keys, [("name", "applicant")])
        with pytest.raises(AccessDeniedError) as caught:
            reader.read(keys, [("name", "applicant"), ("bank_account_number", "applicant")])
    assert "bank_account_number" in str(caught.value)
    assert key not in str(caught.value)
    assert caught.value.codes == ["item-not-asked"]
    sources = set(log.to_frame()["source"])
    assert "social_insurance" not in sources  # the refused read never reached the database


def test_only_asked_items_are_read(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    result = prefill(merged_form(PERSON_ITEMS), subjects["newborn_mother"], connection=con)
    assert result.audit is not None
    asked = {(i, r) for i, r in PERSON_ITEMS}
    for record in result.audit.records():
        if not record.source.startswith("relation:"):
            assert {(item, record.role) for item in record.items} <= asked


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sets(st.sampled_from(PERSON_ITEMS), min_size=1, max_size=12))
def test_values_only_for_asked_fields(
    demo_registers: Path, merged_form: MakeForm, pairs: set[tuple[str, str]]
) -> None:
    form = merged_form(sorted(pairs))
    with duckdb.connect(str(demo_registers), read_only=True) as c:
        key = demo_subjects(c)["newborn_mother"]
        result = prefill(form, key, connection=c)
    asked = {f"{i}@{r}" for i, r in pairs}
    assert set(result.values) <= asked
    assert set(result.values) | set(result.to_type) == asked
    assert result.audit is not None
    read = {
        (i, rec.role)
        for rec in result.audit.records()
        if not rec.source.startswith("relation:")
        for i in rec.items
    }
    assert read <= pairs


# ------------------------------------------------------------------------- audit


def test_every_read_is_audited(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm, tmp_path: Path
) -> None:
    log = AuditLog(tmp_path / "audit.duckdb", salt="pepper")
    key = subjects["newborn_mother"]
    result = prefill(merged_form(PERSON_ITEMS), key, connection=con, matter="出生一件事", audit=log)
    assert result.audit is log
    frame = log.to_frame()
    assert set(frame["matter"]) == {"出生一件事"}
    expected_hash = hashlib.sha256(("pepper" + key).encode()).hexdigest()
    assert set(frame["subject_hash"]) == {expected_hash}
    assert {"population", "household", "birth_certificate", "relation:marriage"} <= set(
        frame["source"]
    )
    assert {"applicant", "spouse", "child", "father", "mother"} <= set(frame["role"])
    assert frame["read_id"].nunique() == 1
    for suffix in (".csv", ".parquet"):
        exported = log.export(tmp_path / f"audit{suffix}")
        assert exported.stat().st_size > 0
    roundtrip = pd.read_parquet(tmp_path / "audit.parquet")
    assert len(roundtrip) == len(frame)
    text = (tmp_path / "audit.csv").read_text(encoding="utf-8")
    assert key not in text
    log.close()
    with duckdb.connect(str(tmp_path / "audit.duckdb"), read_only=True) as stored:
        assert stored.execute("SELECT count(*) FROM prefill_audit").fetchone() == (len(frame),)


def test_salt_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMMERGE_AUDIT_SALT", "s3cret")
    log = AuditLog()
    assert not log.salt_is_random
    assert log.hash("x") == hashlib.sha256(b"s3cretx").hexdigest()
    monkeypatch.delenv("FORMMERGE_AUDIT_SALT")
    assert AuditLog().salt_is_random
    assert AuditLog().hash("x") != AuditLog().hash("x")


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_audit_export_formats(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(SourceError):
        AuditLog().export(tmp_path / f"audit{suffix}")


# ------------------------------------------------------------------------- tampering


def test_tamper_check(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    key = subjects["married_person"]
    result = prefill(merged_form(PERSON_ITEMS), key, connection=con)
    answers = result.as_answers()
    assert check_tampering(result, answers) == []
    same = dict(
        answers, **{"birth_date@applicant": date.fromisoformat(answers["birth_date@applicant"])}
    )
    assert check_tampering(result, same) == []
    answers["mobile@applicant"] = "13000000000"  # self-declared: the applicant may change it
    answers["citizen_id@applicant"] = "110105194912310021"
    answers["name@spouse"] = "someone else"
    del answers["sex@applicant"]
    problems = check_tampering(result, answers)
    assert sorted(p.location.field or "" for p in problems) == [
        "citizen_id@applicant",
        "name@spouse",
        "sex@applicant",
    ]
    assert {p.code for p in problems} == {"verified-value-changed"}
    for problem in problems:
        assert key not in str(problem)
        assert "110105194912310021" not in str(problem)


# ------------------------------------------------------------------------- bad input, errors


@pytest.mark.parametrize(
    ("subject", "code"),
    [
        ("", "bad-subject-key"),
        ("   ", "bad-subject-key"),
        ("1" * 65, "bad-subject-key"),
        ("420502199405150023\x00", "bad-subject-key"),
        ({"nobody": "420502199405150023"}, "unknown-role"),
        ({"420502199405150023": "applicant"}, "unknown-role"),  # key and role swapped
        ({"0717-6221234": "applicant"}, "unknown-role"),
        ({"applicant": "420502199405150023", "spouse": "\n110105194912310021"}, "bad-subject-key"),
    ],
)
def test_bad_subjects_are_rejected_without_showing_them(
    con: duckdb.DuckDBPyConnection, merged_form: MakeForm, subject: object, code: str
) -> None:
    with pytest.raises(SourceError) as caught:
        prefill(merged_form([("name", "applicant")]), subject, connection=con)  # type: ignore[arg-type]
    assert code in caught.value.codes
    for secret in ("420502199405150023", "110105194912310021", "1" * 65, "6221234"):
        assert secret not in str(caught.value)


def test_a_failing_source_leaves_a_partial_result_with_a_problem(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    config = load_sources().model_dump(by_alias=True)
    broken = config["sources"][0]
    broken["relation"] = "no_such_table"
    key = subjects["newborn_mother"]
    log = AuditLog()
    result = prefill(
        merged_form(PERSON_ITEMS), key, connection=con, sources=load_sources(config), audit=log
    )
    assert [(p.code, p.location.field) for p in result.problems] == [
        ("source-failed", broken["id"])
    ]
    assert "no_such_table" in result.problems[0].message
    assert key not in str(result.problems[0])
    assert result.values, "the other sources are still read"
    assert {v.source for v in result.values.values()}.isdisjoint({broken["id"]})
    audited = {r.source for r in log.records()}
    assert audited and broken["id"] not in audited


def test_every_read_that_ran_is_audited_when_a_source_fails_while_running(
    demo_registers: Path, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    """A source that fails during execution (not at binding): the relation lookups and the
    other sources that ran before and after it each have their audit record."""
    config = load_sources().model_dump(by_alias=True)
    broken = config["sources"][0]
    table = broken["relation"]
    key = subjects["newborn_mother"]
    with duckdb.connect() as connection:
        connection.execute("ATTACH $p AS registers (READ_ONLY)", {"p": str(demo_registers)})
        connection.execute("USE registers")
        baseline_log = AuditLog()
        prefill(merged_form(PERSON_ITEMS), key, connection=connection, audit=baseline_log)
        connection.execute(
            f"CREATE TEMP VIEW offline_register AS SELECT * FROM registers.{table}"
            " WHERE CASE WHEN rowid >= 0 THEN error('register offline') ELSE true END"
        )
        broken["relation"] = "temp.offline_register"
        log = AuditLog()
        result = prefill(
            merged_form(PERSON_ITEMS),
            key,
            connection=connection,
            sources=load_sources(config),
            audit=log,
        )
    assert [p.code for p in result.problems] == ["source-failed"]
    assert "register offline" in result.problems[0].message

    def reads(records: list[AuditRecord]) -> set[tuple[str, str, tuple[str, ...]]]:
        return {(r.source, r.role, r.items) for r in records}

    expected = {r for r in reads(baseline_log.records()) if r[0] != broken["id"]}
    assert expected and reads(log.records()) == expected
    assert len({r.read_id for r in log.records()}) == 1


def test_failed_batch_query_carries_sql_not_values(
    con: duckdb.DuckDBPyConnection, merged_form: MakeForm
) -> None:
    config = load_sources().model_dump(by_alias=True)
    config["sources"][0]["relation"] = "no_such_table"
    key = "420502199405150023"
    with pytest.raises(prefill_module.SourceQueryError) as caught:
        prefill_module.prefill_batch(
            merged_form([("name", "applicant")]),
            [key],
            connection=con,
            sources=load_sources(config),
            progress=False,
        )
    assert '"no_such_table"' in caught.value.sql
    assert key not in str(caught.value) and key not in caught.value.sql


def test_reads_beyond_the_form_are_checked(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm
) -> None:
    merged = merged_form([("name", "applicant"), ("name", "spouse")])
    key = subjects["married_person"]
    result = prefill(merged, key, connection=con, reads=["marital_status@spouse"])
    assert result.values["marital_status@spouse"].role == "spouse"
    refused = ["no_such@applicant", "uscc@applicant", "name@father", "name"]
    with pytest.raises(SourceError) as caught:
        prefill(merged, key, connection=con, reads=refused)
    assert caught.value.codes == ["bad-read"] * len(refused)
    assert [p.location.field for p in caught.value.problems] == refused


def test_missing_database(tmp_path: Path, merged_form: MakeForm) -> None:
    with pytest.raises(SourceError) as caught:
        prefill(merged_form([("name", "applicant")]), "x", connection=tmp_path / "none.duckdb")
    assert caught.value.codes == ["missing-database"]


def test_exports() -> None:
    assert len(set(prefill_module.__all__)) == len(prefill_module.__all__)
    for name in prefill_module.__all__:
        assert hasattr(prefill_module, name)


def test_audit_store_faults_are_source_errors(
    con: duckdb.DuckDBPyConnection, subjects: dict[str, str], merged_form: MakeForm, tmp_path: Path
) -> None:
    with pytest.raises(SourceError) as caught:
        AuditLog(tmp_path)  # a folder, not a database file
    assert caught.value.codes == ["audit-store-failed"]
    log = AuditLog()
    log.connection.close()  # the store goes away under the log, as a lost disk would
    with pytest.raises(SourceError) as caught:
        prefill(merged_form(PERSON_ITEMS), subjects["newborn_mother"], connection=con, audit=log)
    assert caught.value.codes == ["audit-store-failed"]
    assert subjects["newborn_mother"] not in str(caught.value)


REGISTER_FILE_SOURCES = """\
version: 1
sources:
  - id: people
    relation: population
    authority: verified
    key: {item: citizen_id, column: citizen_id}
    columns: {name: name}
  - id: phones
    relation: parquet:phones.parquet
    authority: self-declared
    key: {item: citizen_id, column: citizen_id}
    columns: {mobile: mobile}
"""


def test_a_registers_file_reads_only_the_files_its_configuration_names(
    tmp_path: Path, merged_form: MakeForm
) -> None:
    key = "420502199405150023"
    secret = tmp_path / "secret.csv"
    secret.write_text(f"citizen_id,name\n{key},王秘密\n", encoding="utf-8")
    pd.DataFrame({"citizen_id": [key], "mobile": ["13912345678"]}).to_parquet(
        tmp_path / "phones.parquet"
    )
    registers = tmp_path / "registers.duckdb"
    with duckdb.connect(str(registers)) as con:
        con.execute(f"CREATE VIEW population AS SELECT * FROM read_csv('{secret}')")
    config = tmp_path / "sources.yaml"
    config.write_text(REGISTER_FILE_SOURCES, encoding="utf-8")
    merged = merged_form([("name", "applicant"), ("mobile", "applicant")])

    result = prefill(merged, key, sources=config, connection=registers)

    assert result.values["mobile@applicant"].value == "13912345678"
    assert "name@applicant" not in result.values
    assert [(p.code, p.location.field) for p in result.problems] == [("source-failed", "people")]


def _audit_rows(log: AuditLog) -> int:
    return len(log.records())


def test_records_collected_in_a_block_are_written_once_when_it_ends() -> None:
    log = AuditLog(salt="pepper")
    record = AuditRecord(log.now(), "m", "r1", "h", "applicant", "k", "population", ("name",), 1)
    with log.collecting():
        log.record([record])
        with log.collecting():  # nested: still one write, at the outer end
            log.record([record, record])
        assert _audit_rows(log) == 0
    assert _audit_rows(log) == 3
    with pytest.raises(RuntimeError), log.collecting():
        log.record([record])
        raise RuntimeError("a failure after a read")
    assert _audit_rows(log) == 4  # the read before the failure is still audited
    assert log.records()[0] == record

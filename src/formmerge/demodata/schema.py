"""The tables of the demo registers: columns and types, indexes, views.

The schema is written out rather than inferred from the generated data so that it doubles as
documentation of the registers, and so that a change in the generator that would alter a column
fails loudly at insert time.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["INDEXES", "TABLES", "TABLE_LABELS", "VIEWS", "create_table_sql", "schema_sql"]

# fmt: off
TABLES: dict[str, dict[str, str]] = {
    "population": {
        "citizen_id": "VARCHAR", "name": "VARCHAR", "former_name": "VARCHAR", "sex": "VARCHAR",
        "ethnicity": "VARCHAR", "birth_date": "DATE", "birth_place": "VARCHAR",
        "native_place": "VARCHAR", "nationality": "VARCHAR", "region_code": "VARCHAR",
        "hukou_address": "VARCHAR", "current_address": "VARCHAR", "postal_code": "VARCHAR",
        "mobile": "VARCHAR", "email": "VARCHAR", "political_status": "VARCHAR",
        "education_level": "VARCHAR", "marital_status": "VARCHAR", "occupation": "VARCHAR",
        "id_valid_from": "DATE", "id_valid_to": "DATE", "id_issuing_authority": "VARCHAR",
        "status": "VARCHAR", "updated_at": "DATE",
    },
    "household": {
        "household_number": "VARCHAR", "citizen_id": "VARCHAR", "name": "VARCHAR",
        "head_citizen_id": "VARCHAR", "head_name": "VARCHAR", "relation_to_head": "VARCHAR",
        "hukou_type": "VARCHAR", "hukou_address": "VARCHAR", "hukou_authority": "VARCHAR",
        "region_code": "VARCHAR", "move_in_date": "DATE", "updated_at": "DATE",
    },
    "marriage": {
        "certificate_number": "VARCHAR", "husband_citizen_id": "VARCHAR",
        "husband_name": "VARCHAR", "wife_citizen_id": "VARCHAR", "wife_name": "VARCHAR",
        "marriage_date": "DATE", "registration_authority": "VARCHAR", "status": "VARCHAR",
        "divorce_date": "DATE", "updated_at": "DATE",
    },
    "birth_certificate": {
        "certificate_number": "VARCHAR", "child_name": "VARCHAR", "child_sex": "VARCHAR",
        "birth_time": "TIMESTAMP", "birth_weight": "INTEGER", "birth_length": "DOUBLE",
        "gestational_weeks": "INTEGER", "birth_institution": "VARCHAR", "birth_place": "VARCHAR",
        "birth_order": "INTEGER", "mother_citizen_id": "VARCHAR", "mother_name": "VARCHAR",
        "father_citizen_id": "VARCHAR", "father_name": "VARCHAR", "child_citizen_id": "VARCHAR",
        "issued_date": "DATE", "updated_at": "DATE",
    },
    "vaccination": {
        "certificate_number": "VARCHAR", "birth_certificate_number": "VARCHAR",
        "child_citizen_id": "VARCHAR", "child_name": "VARCHAR", "clinic": "VARCHAR",
        "doses": "INTEGER", "issued_date": "DATE", "last_vaccination_date": "DATE",
        "updated_at": "DATE",
    },
    "death": {
        "citizen_id": "VARCHAR", "name": "VARCHAR", "death_date": "DATE",
        "death_cause": "VARCHAR", "death_place": "VARCHAR",
        "death_certificate_number": "VARCHAR", "cremation_certificate_number": "VARCHAR",
        "updated_at": "DATE",
    },
    "student": {
        "citizen_id": "VARCHAR", "student_number": "VARCHAR", "name": "VARCHAR",
        "school_name": "VARCHAR", "grade": "VARCHAR", "enrolment_date": "DATE",
        "updated_at": "DATE",
    },
    "degree": {
        "citizen_id": "VARCHAR", "name": "VARCHAR", "education_level": "VARCHAR",
        "degree": "VARCHAR", "graduate_school": "VARCHAR", "major": "VARCHAR",
        "graduation_date": "DATE", "diploma_number": "VARCHAR", "updated_at": "DATE",
    },
    "social_insurance": {
        "citizen_id": "VARCHAR", "social_security_number": "VARCHAR", "name": "VARCHAR",
        "card_number": "VARCHAR", "insured_region": "VARCHAR", "insured_status": "VARCHAR",
        "contribution_years": "DOUBLE", "first_insured_date": "DATE",
        "retirement_date": "DATE", "employer_name": "VARCHAR", "bank_name": "VARCHAR",
        "bank_account_number": "VARCHAR", "mobile": "VARCHAR", "updated_at": "DATE",
    },
    "medical_insurance": {
        "citizen_id": "VARCHAR", "name": "VARCHAR", "medical_insurance_number": "VARCHAR",
        "medical_insurance_type": "VARCHAR", "medical_insurance_region": "VARCHAR",
        "designated_hospital": "VARCHAR", "start_date": "DATE", "updated_at": "DATE",
    },
    "housing_fund": {
        "gjjzh": "VARCHAR", "zjhm": "VARCHAR", "xm": "VARCHAR", "dwmc": "VARCHAR",
        "jcjs": "DOUBLE", "jcbl": "DOUBLE", "glzx": "VARCHAR", "ye": "DOUBLE", "khrq": "VARCHAR",
        "zt": "VARCHAR", "gxsj": "VARCHAR",
    },
    "disability": {
        "cjrzh": "VARCHAR", "zjhm": "VARCHAR", "xm": "VARCHAR", "cjlb": "VARCHAR",
        "cjdj": "VARCHAR", "fzrq": "VARCHAR", "gxsj": "VARCHAR",
    },
    "veteran": {
        "citizen_id": "VARCHAR", "name": "VARCHAR", "certificate_number": "VARCHAR",
        "enlistment_date": "DATE", "discharge_date": "DATE", "service_type": "VARCHAR",
        "updated_at": "DATE",
    },
    "real_estate": {
        "certificate_number": "VARCHAR", "unit_number": "VARCHAR", "address": "VARCHAR",
        "area": "DOUBLE", "use": "VARCHAR", "share_type": "VARCHAR",
        "registration_date": "DATE", "updated_at": "DATE",
    },
    "real_estate_owner": {
        "certificate_number": "VARCHAR", "owner_citizen_id": "VARCHAR", "owner_name": "VARCHAR",
        "share": "VARCHAR", "updated_at": "DATE",
    },
    "vehicle": {
        "plate_number": "VARCHAR", "vin": "VARCHAR", "owner_citizen_id": "VARCHAR",
        "owner_name": "VARCHAR", "vehicle_type": "VARCHAR", "model": "VARCHAR",
        "engine_number": "VARCHAR", "registration_date": "DATE", "invoice_number": "VARCHAR",
        "compulsory_insurance_policy": "VARCHAR", "updated_at": "DATE",
    },
    "driving_licence": {
        "citizen_id": "VARCHAR", "name": "VARCHAR", "licence_number": "VARCHAR",
        "licence_class": "VARCHAR", "first_issue_date": "DATE", "valid_from": "DATE",
        "valid_to": "DATE", "updated_at": "DATE",
    },
    "enterprise": {
        "uscc": "VARCHAR", "name": "VARCHAR", "enterprise_type": "VARCHAR",
        "registered_address": "VARCHAR", "business_address": "VARCHAR",
        "registered_capital": "DOUBLE", "paid_in_capital": "DOUBLE",
        "establishment_date": "DATE", "business_term_from": "DATE", "approval_date": "DATE",
        "business_term_to": "DATE", "business_scope": "VARCHAR",
        "registration_authority": "VARCHAR", "industry_code": "VARCHAR",
        "employee_count": "INTEGER", "operating_status": "VARCHAR",
        "organization_code": "VARCHAR", "legal_rep_citizen_id": "VARCHAR",
        "legal_rep_name": "VARCHAR", "principal_citizen_id": "VARCHAR",
        "principal_name": "VARCHAR", "phone": "VARCHAR", "updated_at": "DATE",
    },
    "shareholder": {
        "uscc": "VARCHAR", "shareholder_citizen_id": "VARCHAR", "shareholder_name": "VARCHAR",
        "subscribed_capital": "DOUBLE", "shareholding_ratio": "DOUBLE",
        "subscribed_date": "DATE", "updated_at": "DATE",
    },
    "tax_registration": {
        "taxpayer_id": "VARCHAR", "taxpayer_name": "VARCHAR", "tax_authority": "VARCHAR",
        "taxpayer_type": "VARCHAR", "registration_date": "DATE",
        "accounting_system": "VARCHAR", "credit_rating": "VARCHAR", "updated_at": "DATE",
    },
    "credit_status": {
        "uscc": "VARCHAR", "name": "VARCHAR", "abnormal_operation_listed": "BOOLEAN",
        "abnormal_listed_date": "DATE", "abnormal_reason": "VARCHAR",
        "serious_dishonesty_listed": "BOOLEAN", "dishonest_debtor": "BOOLEAN",
        "credit_rating": "VARCHAR", "updated_at": "DATE",
    },
}
"""Every table of the demo registers: column name to DuckDB type."""

TABLE_LABELS: dict[str, str] = {
    "population": "人口库 (公安局) population register",
    "household": "户籍 (公安局) household registration",
    "marriage": "婚姻登记 (民政局) marriage registrations",
    "birth_certificate": "出生医学证明 (卫生健康委) birth medical certificates",
    "vaccination": "预防接种证 (疾控中心) vaccination certificates",
    "death": "死亡登记 (公安局/卫生健康委/民政局) death registrations",
    "student": "学籍 (教育局) student register",
    "degree": "学历学位 (教育局) higher education records",
    "social_insurance": "养老保险 (人力资源和社会保障局) pension insurance",
    "medical_insurance": "医疗保险 (医疗保障局) medical insurance",
    "housing_fund": "住房公积金 (住房公积金中心) housing provident fund (pinyin column names)",
    "disability": "残疾人证 (残联) disability certificates (pinyin column names)",
    "veteran": "退役军人 (退役军人事务局) veterans",
    "real_estate": "不动产登记 (自然资源和规划局) real estate rights",
    "real_estate_owner": "不动产权利人 (自然资源和规划局) owners of real estate rights",
    "vehicle": "机动车登记 (公安交警) motor vehicles",
    "driving_licence": "驾驶证 (公安交警) driving licences",
    "enterprise": "企业登记 (市场监督管理局) enterprise register",
    "shareholder": "股东 (市场监督管理局) shareholders",
    "tax_registration": "税务登记 (税务局) tax registrations",
    "credit_status": "信用 (发展改革委/市场监督管理局) credit lists",
}
"""A label per table: the register's name, its department, and an English name."""

INDEXES: tuple[tuple[str, str], ...] = (
    ("population", "citizen_id"), ("household", "citizen_id"),
    ("marriage", "husband_citizen_id"), ("marriage", "wife_citizen_id"),
    ("birth_certificate", "certificate_number"), ("birth_certificate", "mother_citizen_id"),
    ("birth_certificate", "father_citizen_id"), ("birth_certificate", "child_citizen_id"),
    ("vaccination", "birth_certificate_number"), ("death", "citizen_id"),
    ("student", "citizen_id"), ("degree", "citizen_id"), ("social_insurance", "citizen_id"),
    ("medical_insurance", "citizen_id"), ("housing_fund", "zjhm"), ("disability", "zjhm"),
    ("veteran", "citizen_id"), ("real_estate", "certificate_number"),
    ("real_estate_owner", "owner_citizen_id"), ("vehicle", "owner_citizen_id"),
    ("driving_licence", "citizen_id"), ("enterprise", "uscc"), ("shareholder", "uscc"),
    ("tax_registration", "taxpayer_id"), ("credit_status", "uscc"),
)
"""(table, column) pairs indexed: the keys prefill looks subjects up by."""
# fmt: on

VIEWS: dict[str, str] = {
    "marriage_party": """
        SELECT husband_citizen_id AS citizen_id, wife_citizen_id AS spouse_citizen_id,
               wife_name AS spouse_name, certificate_number, marriage_date,
               registration_authority, status, divorce_date, updated_at
        FROM marriage
        UNION ALL
        SELECT wife_citizen_id, husband_citizen_id, husband_name, certificate_number,
               marriage_date, registration_authority, status, divorce_date, updated_at
        FROM marriage""",
    "real_estate_right": """
        SELECT o.owner_citizen_id AS citizen_id, o.owner_name, o.share, r.certificate_number,
               r.unit_number, r.address, r.area, r.use, r.share_type, r.registration_date,
               r.updated_at
        FROM real_estate_owner AS o JOIN real_estate AS r USING (certificate_number)""",
}
"""Views over the tables: one row per party to a marriage, one per owner of a property."""


def create_table_sql(table: str) -> str:
    """The CREATE TABLE statement of one table."""
    columns = ", ".join(f'"{name}" {kind}' for name, kind in TABLES[table].items())
    return f'CREATE TABLE "{table}" ({columns})'


def schema_sql() -> Iterator[str]:
    """Statements that create every table (empty) with its label as a comment."""
    for table in TABLES:
        yield create_table_sql(table)
        label = TABLE_LABELS[table].replace("'", "''")
        yield f"COMMENT ON TABLE \"{table}\" IS '{label}'"

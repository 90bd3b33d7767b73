"""The named cohorts of the demo registers: plain data, so that the command line's help can
list them without loading the report stack."""

from __future__ import annotations

__all__ = ["COHORT_QUERIES"]

_REFERENCE = "(SELECT CAST(value AS DATE) FROM demo_info WHERE key = 'reference_date')"

COHORT_QUERIES: dict[str, str] = {
    "newborn_mothers": f"""
        SELECT DISTINCT mother_citizen_id FROM birth_certificate
        WHERE birth_time >= {_REFERENCE} - INTERVAL 1 YEAR AND mother_citizen_id IS NOT NULL
        ORDER BY 1""",
    "newborn_fathers": f"""
        SELECT DISTINCT father_citizen_id FROM birth_certificate
        WHERE birth_time >= {_REFERENCE} - INTERVAL 1 YEAR AND father_citizen_id IS NOT NULL
        ORDER BY 1""",
    "married_persons": """
        SELECT husband_citizen_id FROM marriage WHERE status = '婚姻存续'
        UNION SELECT wife_citizen_id FROM marriage WHERE status = '婚姻存续' ORDER BY 1""",
    "persons": "SELECT citizen_id FROM population WHERE status = '正常' ORDER BY 1",
    "enterprises": "SELECT uscc FROM enterprise WHERE operating_status = '存续' ORDER BY 1",
}
"""Named cohorts of the demo registers, each a query returning one subject key per row."""

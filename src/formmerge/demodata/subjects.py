"""Find people and enterprises in the demo registers that make good demonstrations.

Demos and tests ask for "a mother of a newborn" or "an enterprise with shareholders" instead of
hard-coding ID numbers, so they keep working whatever the size and seed of the demo data. Each
query picks the smallest qualifying key, so the choice is deterministic.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import duckdb

from formmerge.errors import FormmergeError, Location, Problem

__all__ = ["SUBJECT_QUERIES", "demo_subjects"]

_REFERENCE = "(SELECT CAST(value AS DATE) FROM demo_info WHERE key = 'reference_date')"

SUBJECT_QUERIES: dict[str, str] = {
    "newborn_mother": f"""
        SELECT b.mother_citizen_id FROM birth_certificate AS b
        JOIN marriage AS m ON m.wife_citizen_id = b.mother_citizen_id
         AND m.husband_citizen_id = b.father_citizen_id AND m.status = '婚姻存续'
        WHERE b.birth_time >= {_REFERENCE} - INTERVAL 1 YEAR
        ORDER BY b.child_citizen_id IS NULL DESC, b.mother_citizen_id LIMIT 1""",
    "newborn_father": f"""
        SELECT b.father_citizen_id FROM birth_certificate AS b
        JOIN marriage AS m ON m.wife_citizen_id = b.mother_citizen_id
         AND m.husband_citizen_id = b.father_citizen_id AND m.status = '婚姻存续'
        WHERE b.birth_time >= {_REFERENCE} - INTERVAL 1 YEAR
        ORDER BY b.child_citizen_id IS NULL DESC, b.mother_citizen_id LIMIT 1""",
    "married_person": """
        SELECT m.husband_citizen_id FROM marriage AS m
        JOIN population AS w ON w.citizen_id = m.wife_citizen_id AND w.status = '正常'
        WHERE m.status = '婚姻存续' ORDER BY 1 LIMIT 1""",
    "school_child": """
        SELECT s.citizen_id FROM student AS s
        JOIN birth_certificate AS b ON b.child_citizen_id = s.citizen_id
        WHERE s.grade IN ('一年级', '二年级', '三年级') ORDER BY 1 LIMIT 1""",
    "school_child_parent": """
        SELECT b.mother_citizen_id FROM student AS s
        JOIN birth_certificate AS b ON b.child_citizen_id = s.citizen_id
        WHERE s.grade IN ('一年级', '二年级', '三年级') ORDER BY s.citizen_id LIMIT 1""",
    "near_retiree": f"""
        SELECT p.citizen_id FROM population AS p
        JOIN social_insurance AS s USING (citizen_id)
        WHERE s.insured_status = '1' AND p.status = '正常'
          AND date_diff('month', p.birth_date, {_REFERENCE})
              BETWEEN (CASE p.sex WHEN '1' THEN 59 ELSE 54 END) * 12
                  AND (CASE p.sex WHEN '1' THEN 60 ELSE 55 END) * 12 - 1
        ORDER BY 1 LIMIT 1""",
    "widowed_spouse": """
        SELECT CASE WHEN h.status = '注销' THEN m.wife_citizen_id ELSE m.husband_citizen_id END
        FROM marriage AS m
        JOIN population AS h ON h.citizen_id = m.husband_citizen_id
        WHERE m.status = '配偶死亡' ORDER BY m.certificate_number LIMIT 1""",
    "deceased": """
        SELECT CASE WHEN h.status = '注销' THEN m.husband_citizen_id ELSE m.wife_citizen_id END
        FROM marriage AS m
        JOIN population AS h ON h.citizen_id = m.husband_citizen_id
        WHERE m.status = '配偶死亡' ORDER BY m.certificate_number LIMIT 1""",
    "vehicle_owner": """
        SELECT v.owner_citizen_id FROM vehicle AS v
        JOIN driving_licence AS d ON d.citizen_id = v.owner_citizen_id ORDER BY 1 LIMIT 1""",
    "enterprise": """
        SELECT e.uscc FROM enterprise AS e
        JOIN population AS p ON p.citizen_id = e.legal_rep_citizen_id
        JOIN tax_registration AS t ON t.taxpayer_id = e.uscc
        WHERE e.operating_status = '存续'
          AND (SELECT count(*) FROM shareholder AS s WHERE s.uscc = e.uscc) >= 2
        ORDER BY 1 LIMIT 1""",
}
"""One query per kind of demo subject; each returns one key (a citizen ID or a USCC)."""


def _run(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    found: dict[str, str] = {}
    problems: list[Problem] = []
    for name, sql in SUBJECT_QUERIES.items():
        try:
            rows = con.execute(sql).fetchall()
            row = rows[0] if rows else None
        except duckdb.Error as exc:
            raise FormmergeError(
                f"not a demo registers database (finding a {name.replace('_', ' ')} failed: "
                f"{type(exc).__name__}); run `formmerge demo-data` to build one"
            ) from exc
        if row is None or row[0] is None:
            problems.append(
                Problem(
                    "no-demo-subject",
                    f"no {name.replace('_', ' ')} in the demo registers; generate more people",
                    Location(field=name),
                )
            )
        else:
            found[name] = str(row[0])
    if problems:
        raise FormmergeError("the demo registers are too small for every demo", problems)
    return found


def demo_subjects(con: duckdb.DuckDBPyConnection | Path | str) -> dict[str, str]:
    """Pick one subject of each kind in :data:`SUBJECT_QUERIES` from the demo registers.

    Args:
        con: a connection on which the demo tables resolve unqualified, or the demo file.

    Returns:
        Kind of subject (``newborn_mother``, ``enterprise`` ...) to its citizen ID or USCC.

    Raises:
        FormmergeError: some kind has no subject (the registers are too small).
    """
    if isinstance(con, duckdb.DuckDBPyConnection):
        return _run(con)
    with closing(duckdb.connect(str(con), read_only=True)) as own:
        return _run(own)

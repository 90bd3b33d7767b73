"""Public service registers: education, social and medical insurance, housing fund, disability,
veterans.

Two registers keep the local conventions of the systems they imitate, so that a source
configuration has something to convert: the housing fund register names its columns by pinyin
initials (``zjhm`` 证件号码, ``gjjzh`` 公积金账号 ...) and writes dates as ``YYYYMMDD`` text; the
disability register writes categories and levels as Chinese words and dates as ``YYYY/MM/DD``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from formmerge.demodata.chunk import Chunk, concat, dates, numbers, pick
from formmerge.demodata.codes import (
    BANKS,
    HIGHER_EDUCATION,
    INSURED_STATUS,
    MAJORS,
    MEDICAL_INSURANCE_TYPES,
    UNIVERSITIES,
)
from formmerge.demodata.ids import digits, scramble
from formmerge.demodata.people import DAYS_PER_YEAR
from formmerge.demodata.places import DISTRICTS, HOME_CITY

__all__ = [
    "Employment",
    "degree",
    "disability",
    "housing_fund",
    "make_employment",
    "medical_insurance",
    "social_insurance",
    "student",
    "veteran",
]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

PENSION_SINCE = int(np.datetime64("1992-01-01", "D").astype(np.int64))
EMPLOYEE_MEDICAL_SINCE = int(np.datetime64("1999-01-01", "D").astype(np.int64))
RESIDENT_MEDICAL_SINCE = int(np.datetime64("2008-01-01", "D").astype(np.int64))
INSURED_SHARE = 0.85
SUSPENDED_SHARE = 0.1
RETIREMENT_AGE = {True: 60, False: 55}
"""Statutory retirement age of men (True) and women (False) before the 2025 reform."""
RESERVED_MOBILE_CHANGED_SHARE = 0.1
"""Share of insured people whose mobile number at the social insurance office is out of date."""
HOUSING_FUND_SHARE = 0.55
HOUSING_FUND_CENTER = f"{HOME_CITY.name}住房公积金中心"
HOUSING_FUND_RATES = (0.05, 0.08, 0.10, 0.12)
DISABILITY_SHARE = 0.015
DISABILITY_WORDS = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
"""GB/T 26341 categories 1..7 as the disability register writes them."""
DISABILITY_LEVEL_WORDS = ("一级", "二级", "三级", "四级")
VETERAN_SHARE = 0.03
SERVICE_TYPES = ("义务兵", "士官", "军官")
PUBLIC_EMPLOYERS = (
    "宜昌市中心人民医院", "宜昌市第一中学", "宜昌市人民政府办公室", "三峡大学", "宜昌市税务局",
    "中国长江电力股份有限公司", "湖北宜化集团有限责任公司", "兴发集团股份有限公司",
)  # fmt: skip
GRADES = (
    "一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级",
    "高一", "高二", "高三",
)  # fmt: skip
SCHOOL_AGES = (6, 18)
SCHOOL_YEAR_MONTH = 9
GRADUATION_MONTH = 7


def _month_start(years: Ints, month: int) -> Ints:
    """Day numbers of the first day of ``month`` in each year."""
    first = (years - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1)
    return first.astype("datetime64[D]").astype(np.int64)


@dataclass
class Employment:
    """Who is insured, where they work and since when (shared by three registers)."""

    insured: Ints
    """Indexes of insured people."""
    status: npt.NDArray[np.str_]
    first_insured: Ints
    retired_on: Ints
    employer: pa.Array


def make_employment(c: Chunk, firm_names: pa.Array) -> Employment:
    """Choose the insured adults and their employers (an enterprise of the chunk, or public)."""
    p, rng = c.people, c.rng
    insured = np.flatnonzero(
        p.registered & p.alive & (c.age_years >= 18) & (rng.random(c.n) < INSURED_SHARE)
    )
    k = len(insured)
    male = p.male[insured]
    retire_age = np.where(male, RETIREMENT_AGE[True], RETIREMENT_AGE[False])
    retired_on = p.birth[insured] + (retire_age * DAYS_PER_YEAR).astype(np.int64)
    retired = retired_on <= c.today
    suspended = ~retired & (rng.random(k) < SUSPENDED_SHARE)
    status = np.where(suspended, INSURED_STATUS["suspended"], INSURED_STATUS["insured"])
    start = p.birth[insured] + (rng.uniform(18, 28, k) * DAYS_PER_YEAR).astype(np.int64)
    first = np.minimum(np.maximum(start, PENSION_SINCE), c.today - 30)
    public = pick(PUBLIC_EMPLOYERS, rng.integers(0, len(PUBLIC_EMPLOYERS), k))
    if len(firm_names):
        private = firm_names.take(pa.array(rng.integers(0, len(firm_names), k)))
        employer = pc.if_else(pa.array(rng.random(k) < 0.7), private, public)
    else:
        employer = public
    return Employment(insured, status, first, np.where(retired, retired_on, -1), employer)


def student(c: Chunk) -> pa.Table:
    """The student register (学籍) of the education bureau: school children aged 6 to 17."""
    p = c.people
    low, high = SCHOOL_AGES
    kids = np.flatnonzero(p.registered & p.alive & (c.age_years >= low) & (c.age_years < high))
    grade = np.minimum((c.age_years[kids] - low).astype(np.int64), len(GRADES) - 1)
    street = c.household_street_name.take(pa.array(p.household[kids]))
    district = pick([d.name for d in DISTRICTS], p.district[kids])
    stage = np.select([grade < 6, grade < 9], ["小学", "初级中学"], "高级中学")
    senior = concat(district, "第一高级中学")
    local = concat(
        district, pc.replace_substring_regex(street, "(街道|镇|乡)$", ""), pa.array(stage)
    )
    school = pc.if_else(pa.array(grade >= 9), senior, local)
    in_stage = np.where(grade >= 9, grade - 9, np.where(grade >= 6, grade - 6, grade))
    enrolled = _month_start(c.school_year - in_stage, SCHOOL_YEAR_MONTH)
    return pa.table(
        {
            "citizen_id": c.citizen_id.take(pa.array(kids)),
            "student_number": concat("G", c.citizen_id.take(pa.array(kids))),
            "name": c.name.take(pa.array(kids)),
            "school_name": school,
            "grade": pick(GRADES, grade),
            "enrolment_date": dates(np.minimum(enrolled, c.today)),
            "updated_at": c.updated(len(kids)),
        }
    )


def degree(c: Chunk) -> pa.Table:
    """Higher education records (学历学位): school, major, graduation, diploma number."""
    p, rng = c.people, c.rng
    who = np.flatnonzero(p.registered & np.isin(c.education, list(HIGHER_EDUCATION)))
    k = len(who)
    level = c.education[who]
    info = {code: HIGHER_EDUCATION[code] for code in HIGHER_EDUCATION}
    grad_age = np.array([info[x][1] for x in level]) + rng.integers(0, 2, k)
    year = (
        p.birth[who].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970 + grad_age
    )
    graduated = _month_start(year, GRADUATION_MONTH)
    school = rng.integers(0, len(UNIVERSITIES), k)
    seq = c.sequence("diploma", k)
    number = concat(
        pick([u[1] for u in UNIVERSITIES], school),
        numbers(year),
        pa.array([info[x][2] for x in level]),
        digits(scramble(seq, 10**8), 8),
    )
    return pa.table(
        {
            "citizen_id": c.citizen_id.take(pa.array(who)),
            "name": c.name.take(pa.array(who)),
            "education_level": pa.array(level),
            "degree": pa.array([info[x][0] or None for x in level], pa.string()),
            "graduate_school": pick([u[0] for u in UNIVERSITIES], school),
            "major": pick(MAJORS, rng.integers(0, len(MAJORS), k)),
            "graduation_date": dates(np.minimum(graduated, c.today)),
            "diploma_number": number,
            "updated_at": c.updated(k),
        }
    )


def social_insurance(c: Chunk, jobs: Employment) -> pa.Table:
    """Pension insurance (养老保险) of the human resources and social security bureau."""
    p, rng = c.people, c.rng
    who, k = jobs.insured, len(jobs.insured)
    end = np.where(jobs.retired_on >= 0, jobs.retired_on, c.today)
    years = np.round((end - jobs.first_insured) / DAYS_PER_YEAR * rng.uniform(0.75, 1, k), 1)
    bank = rng.integers(0, len(BANKS), k)
    seq = c.sequence("social_security_card", k)
    mobile = c.mobile.take(pa.array(who))
    stale = concat("13", digits(rng.integers(0, 10**9, k), 9))
    mobile = pc.if_else(pa.array(rng.random(k) < RESERVED_MOBILE_CHANGED_SHARE), stale, mobile)
    region = pick([f"{HOME_CITY.name}{d.name}" for d in DISTRICTS], p.district[who])
    return pa.table(
        {
            "citizen_id": c.citizen_id.take(pa.array(who)),
            "social_security_number": c.citizen_id.take(pa.array(who)),
            "name": c.name.take(pa.array(who)),
            "card_number": concat(
                pick(list("ABCDEFGHJK"), seq % 10), digits(scramble(seq, 10**8, 5), 8)
            ),
            "insured_region": region,
            "insured_status": pa.array(jobs.status),
            "contribution_years": pa.array(np.maximum(years, 0.1)),
            "first_insured_date": dates(jobs.first_insured),
            "retirement_date": dates(jobs.retired_on, jobs.retired_on < 0),
            "employer_name": jobs.employer,
            "bank_name": pick([b[0] for b in BANKS], bank),
            "bank_account_number": concat(
                pick([b[1] for b in BANKS], bank), digits(scramble(seq, 10**9, 3), 9), "0421"
            ),
            "mobile": mobile,
            "updated_at": c.updated(k),
        }
    )


def medical_insurance(c: Chunk, jobs: Employment) -> pa.Table:
    """Basic medical insurance (医疗保险) of the healthcare security bureau: nearly everyone."""
    p, rng = c.people, c.rng
    who = np.flatnonzero(p.registered & p.alive & (rng.random(c.n) < 0.97))
    k = len(who)
    employee = np.zeros(c.n, bool)
    employee[jobs.insured[jobs.status != INSURED_STATUS["suspended"]]] = True
    first = np.full(c.n, c.today)
    first[jobs.insured] = jobs.first_insured
    kind = np.where(
        employee[who], MEDICAL_INSURANCE_TYPES["employee"], MEDICAL_INSURANCE_TYPES["resident"]
    )
    resident_start = np.maximum(p.birth[who], RESIDENT_MEDICAL_SINCE) + rng.integers(0, 400, k)
    start = np.where(employee[who], np.maximum(first[who], EMPLOYEE_MEDICAL_SINCE), resident_start)
    hospitals = [*HOME_CITY.hospitals, *(f"{d.name}人民医院" for d in DISTRICTS)]
    region = [HOME_CITY.name if d.is_district else d.name for d in DISTRICTS]
    seq = c.sequence("medical_insurance", k)
    return pa.table(
        {
            "citizen_id": c.citizen_id.take(pa.array(who)),
            "name": c.name.take(pa.array(who)),
            "medical_insurance_number": concat(
                pick([d.code for d in DISTRICTS], p.district[who]), digits(scramble(seq, 10**9), 9)
            ),
            "medical_insurance_type": pa.array(kind),
            "medical_insurance_region": pick(region, p.district[who]),
            "designated_hospital": pick(hospitals, rng.integers(0, len(hospitals), k)),
            "start_date": dates(np.minimum(start, c.today - 1)),
            "updated_at": c.updated(k),
        }
    )


def _compact(days: Ints) -> pa.Array:
    """Dates as ``YYYYMMDD`` text."""
    return pc.strftime(dates(days).cast(pa.timestamp("s")), format="%Y%m%d")


def housing_fund(c: Chunk, jobs: Employment) -> pa.Table:
    """The housing provident fund register (住房公积金), with pinyin-initial column names."""
    rng = c.rng
    working = (jobs.status == INSURED_STATUS["insured"]) & (jobs.retired_on < 0)
    active = working & (rng.random(len(jobs.insured)) < HOUSING_FUND_SHARE)
    position = np.flatnonzero(active)
    who, k = jobs.insured[position], len(position)
    base = np.round(rng.uniform(2000, 15000, k), -1)
    rate = np.array(HOUSING_FUND_RATES)[rng.integers(0, len(HOUSING_FUND_RATES), k)]
    opened = np.maximum(jobs.first_insured[position], c.people.birth[who] + 18 * 365)
    months = np.maximum((c.today - opened) // 30, 1)
    balance = np.round(base * rate * 2 * np.minimum(months, 60) * rng.uniform(0.2, 1, k), 2)
    seq = c.sequence("housing_fund", k)
    return pa.table(
        {
            "gjjzh": concat("4205", digits(scramble(seq, 10**8, 9), 8)),
            "zjhm": c.citizen_id.take(pa.array(who)),
            "xm": c.name.take(pa.array(who)),
            "dwmc": jobs.employer.take(pa.array(position)),
            "jcjs": pa.array(base),
            "jcbl": pa.array(rate),
            "glzx": pa.array(np.full(k, HOUSING_FUND_CENTER)),
            "ye": pa.array(balance),
            "khrq": _compact(opened),
            "zt": pa.array(np.full(k, "正常")),
            "gxsj": _compact(c.today - rng.integers(0, 60, k)),
        }
    )


def disability(c: Chunk) -> pa.Table:
    """The disabled persons' federation register (残疾人证), with Chinese category words."""
    p, rng = c.people, c.rng
    who = np.flatnonzero(p.registered & p.alive & (rng.random(c.n) < DISABILITY_SHARE))
    k = len(who)
    kind = rng.integers(0, len(DISABILITY_WORDS), k)
    level = rng.integers(0, len(DISABILITY_LEVEL_WORDS), k)
    issued = np.maximum(p.birth[who] + 30, c.today - rng.integers(30, 3650, k))
    slash = pc.strftime(dates(issued).cast(pa.timestamp("s")), format="%Y/%m/%d")
    return pa.table(
        {
            "cjrzh": concat(
                c.citizen_id.take(pa.array(who)), numbers(kind + 1), numbers(level + 1)
            ),
            "zjhm": c.citizen_id.take(pa.array(who)),
            "xm": c.name.take(pa.array(who)),
            "cjlb": pick(DISABILITY_WORDS, kind),
            "cjdj": pick(DISABILITY_LEVEL_WORDS, level),
            "fzrq": slash,
            "gxsj": _compact(c.today - rng.integers(0, 365, k)),
        }
    )


def veteran(c: Chunk) -> pa.Table:
    """The veterans affairs register (退役军人): enlistment, discharge and service type."""
    p, rng = c.people, c.rng
    eligible = p.registered & p.alive & p.male & (c.age_years >= 24) & (c.age_years <= 76)
    who = np.flatnonzero(eligible & (rng.random(c.n) < VETERAN_SHARE))
    k = len(who)
    enlisted = p.birth[who] + (rng.uniform(18, 20, k) * DAYS_PER_YEAR).astype(np.int64)
    service = rng.choice([2, 5, 8, 12, 16], k, p=[0.5, 0.2, 0.15, 0.1, 0.05])
    discharged = np.minimum(enlisted + (service * DAYS_PER_YEAR).astype(np.int64), c.today - 1)
    kind = np.select([service <= 2, service <= 12], [0, 1], 2)
    seq = c.sequence("veteran", k)
    return pa.table(
        {
            "citizen_id": c.citizen_id.take(pa.array(who)),
            "name": c.name.take(pa.array(who)),
            "certificate_number": concat("TY4205", digits(scramble(seq, 10**8, 1), 8)),
            "enlistment_date": dates(enlisted),
            "discharge_date": dates(discharged),
            "service_type": pick(SERVICE_TYPES, kind),
            "updated_at": c.updated(k),
        }
    )

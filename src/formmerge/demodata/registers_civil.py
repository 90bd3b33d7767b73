"""Civil status registers: population, household registration, marriage, birth, vaccination, death.

Each function takes a :class:`~formmerge.demodata.chunk.Chunk` and returns the chunk's rows of one
register as a pyarrow table whose columns are those of :mod:`formmerge.demodata.schema`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from formmerge.demodata.chunk import Chunk, concat, dates, numbers, pick
from formmerge.demodata.codes import (
    ETHNICITIES,
    HUKOU_TYPES,
    OCCUPATIONS,
    POLITICAL,
    RELATION,
    TUJIA,
)
from formmerge.demodata.ids import digits, scramble
from formmerge.demodata.names import SURNAMES, surname_pinyin
from formmerge.demodata.people import DAYS_PER_YEAR, MemberKind
from formmerge.demodata.places import DISTRICTS, HOME_CITY

__all__ = [
    "birth_certificate",
    "death",
    "household",
    "marriage",
    "population",
    "vaccination",
]

Ints = npt.NDArray[np.int64]

VACCINATION_MAX_AGE_YEARS = 7
EMAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com")
EMAIL_SHARE = 0.3
FORMER_NAME_SHARE = 0.01
FORMER_NAME_CHARS = ("春", "秋", "冬", "梅", "兰", "竹", "菊", "国", "庆", "建", "军", "小", "爱")
MOVED_SHARE = 0.15
"""Share of people who live somewhere other than their hukou address."""
STATUS_ACTIVE, STATUS_CANCELLED = "正常", "注销"
MARRIAGE_STATUS = {"married": "婚姻存续", "divorced": "已离婚", "widowed": "配偶死亡"}
"""Marriage record status: current, dissolved by divorce, ended by a spouse's death."""


def _district_names(attribute: str) -> list[str]:
    return [getattr(d, attribute)() for d in DISTRICTS]


def _ethnicity(c: Chunk) -> npt.NDArray[np.str_]:
    p, rng = c.people, c.rng
    codes, weights = zip(*ETHNICITIES, strict=True)
    out = np.array(codes)[rng.choice(len(codes), c.n, p=np.array(weights) / sum(weights))]
    tujia = np.array([d.tujia_share for d in DISTRICTS])[p.district]
    out[rng.random(c.n) < tujia] = TUJIA
    kids = np.flatnonzero(p.kind == MemberKind.CHILD)
    out[kids] = out[p.father[kids]]
    return out


def _political(c: Chunk) -> pa.Array:
    age, r = c.age_years, c.rng.random(c.n)
    code = np.where(r < 0.08, POLITICAL["party_member"], POLITICAL["masses"])
    code = np.where((r >= 0.08) & (r < 0.45) & (age <= 28), POLITICAL["league_member"], code)
    return pa.array(code, pa.string(), mask=age < 14)


def _id_card(c: Chunk) -> tuple[pa.Array, pa.Array]:
    """Validity of the current ID card: 5, 10 or 20 years, or long-term from age 46."""
    age = c.age_years
    period = np.select([age < 16, age < 26, age < 46], [5, 10, 20], 0)
    span = np.where(period > 0, period * DAYS_PER_YEAR, (age - 46) * DAYS_PER_YEAR + 1)
    issued = c.today - (c.rng.random(c.n) * np.maximum(span, 1)).astype(np.int64)
    issued = np.maximum(issued, c.people.birth + 30)
    month = issued.astype("datetime64[D]").astype("datetime64[M]")
    day = issued - month.astype("datetime64[D]").astype(np.int64)
    expires = (month + 12 * period).astype("datetime64[D]").astype(np.int64) + day
    no_card = age < 16
    return dates(issued, no_card), dates(expires, no_card | (period == 0))


def population(c: Chunk) -> pa.Table:
    """The population register (人口库) of the public security bureau: one row per person."""
    p, rng, n = c.people, c.rng, c.n
    hukou = c.household_address.take(pa.array(p.household))
    others = c.household_address.take(pa.array(rng.integers(0, c.n_households, n)))
    current = pc.if_else(pa.array(rng.random(n) < MOVED_SHARE), others, hukou)
    email = concat(
        pick(surname_pinyin(), p.surname),
        numbers(rng.integers(100, 99999, n)),
        "@",
        pick(EMAIL_DOMAINS, rng.integers(0, len(EMAIL_DOMAINS), n)),
    )
    email_mask = (c.age_years < 18) | (c.age_years > 45) | (rng.random(n) >= EMAIL_SHARE)
    adult = c.age_years >= 18
    former = concat(
        pick(SURNAMES, p.surname),
        pick(FORMER_NAME_CHARS, rng.integers(0, len(FORMER_NAME_CHARS), n)),
        pick(FORMER_NAME_CHARS, rng.integers(0, len(FORMER_NAME_CHARS), n)),
    )
    former_mask = rng.random(n) >= FORMER_NAME_SHARE
    working = adult & (c.age_years < 60) & p.alive
    occupation = pick(OCCUPATIONS, rng.integers(0, len(OCCUPATIONS), n))
    valid_from, valid_to = _id_card(c)
    table = pa.table(
        {
            "citizen_id": c.citizen_id,
            "name": c.name,
            "former_name": pc.if_else(pa.array(former_mask), pa.nulls(n, pa.string()), former),
            "sex": c.sex,
            "ethnicity": pa.array(_ethnicity(c)),
            "birth_date": dates(p.birth),
            "birth_place": c.place_name(p.birth_region),
            "native_place": c.native_place(p.native_region),
            "nationality": pa.array(np.full(n, "中国")),
            "region_code": pick([d.code for d in DISTRICTS], p.district),
            "hukou_address": hukou,
            "current_address": current,
            "postal_code": pick([d.postal_code for d in DISTRICTS], p.district),
            "mobile": c.mobile,
            "email": pc.if_else(pa.array(email_mask), pa.nulls(n, pa.string()), email),
            "political_status": _political(c),
            "education_level": pa.array(c.education, pa.string(), mask=c.education == ""),
            "marital_status": pa.array(p.marital),
            "occupation": pc.if_else(pa.array(working), occupation, pa.nulls(n, pa.string())),
            "id_valid_from": valid_from,
            "id_valid_to": valid_to,
            "id_issuing_authority": pick(_district_names("police"), p.district),
            "status": pa.array(np.where(p.alive, STATUS_ACTIVE, STATUS_CANCELLED)),
            "updated_at": c.updated(n),
        }
    )
    return table.filter(pa.array(p.registered))


def _relation_to_head(c: Chunk) -> npt.NDArray[np.str_]:
    p = c.people
    kind = p.kind
    return np.select(
        [
            (kind == MemberKind.FIRST) | (kind == MemberKind.FORMER_SPOUSE),
            kind == MemberKind.PARTNER,
            kind == MemberKind.CHILD,
            kind == MemberKind.GRANDPARENT,
        ],
        [
            RELATION["head"],
            RELATION["spouse"],
            np.where(p.male, RELATION["son"], RELATION["daughter"]),
            np.where(p.male, RELATION["father"], RELATION["mother"]),
        ],
        "",
    )


def household(c: Chunk) -> pa.Table:
    """The household register (户籍): household number, head, relation and hukou details."""
    p, rng, n = c.people, c.rng, c.n
    heads = np.flatnonzero((p.kind == MemberKind.FIRST) | (p.kind == MemberKind.FORMER_SPOUSE))
    head_of = np.zeros(c.n_households, np.int64)
    head_of[p.household[heads]] = heads
    head = head_of[p.household]
    born_here = p.birth_region == p.district
    came = p.birth + (rng.uniform(18, 30, n) * DAYS_PER_YEAR).astype(np.int64)
    move_in = np.where(born_here, p.birth + rng.integers(5, 60, n), np.minimum(came, c.today - 1))
    household_number = digits(scramble(c.household_numbers, 10**9, 97), 9)
    table = pa.table(
        {
            "household_number": household_number.take(pa.array(p.household)),
            "citizen_id": c.citizen_id,
            "name": c.name,
            "head_citizen_id": c.citizen_id.take(pa.array(head)),
            "head_name": c.name.take(pa.array(head)),
            "relation_to_head": pa.array(_relation_to_head(c)),
            "hukou_type": pa.array(
                np.where(c.rural[p.household], HUKOU_TYPES["rural"], HUKOU_TYPES["urban"])
            ),
            "hukou_address": c.household_address.take(pa.array(p.household)),
            "hukou_authority": c.police_station.take(pa.array(p.household)),
            "region_code": pick([d.code for d in DISTRICTS], p.district),
            "move_in_date": dates(move_in),
            "updated_at": c.updated(n),
        }
    )
    return table.filter(pa.array(p.registered))


def marriage(c: Chunk) -> pa.Table:
    """Marriage registrations (婚姻登记) of the civil affairs bureaus: one row per marriage."""
    m, n = c.couples, len(c.couples.husband)
    seq = c.sequence("marriage", n)
    years = m.married.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    number = concat(
        "J",
        pick([d.code for d in DISTRICTS], m.district),
        "-",
        numbers(years),
        "-",
        digits(scramble(seq, 10**6, 31), 6),
    )
    ended = m.ended >= 0
    return pa.table(
        {
            "certificate_number": number,
            "husband_citizen_id": c.citizen_id.take(pa.array(m.husband)),
            "husband_name": c.name.take(pa.array(m.husband)),
            "wife_citizen_id": c.citizen_id.take(pa.array(m.wife)),
            "wife_name": c.name.take(pa.array(m.wife)),
            "marriage_date": dates(m.married),
            "registration_authority": pick(_district_names("civil_affairs"), m.district),
            "status": pick(list(MARRIAGE_STATUS.values()), _status_index(m.status)),
            "divorce_date": dates(m.ended, ~(ended & (m.status == "divorced"))),
            "updated_at": c.updated(n),
        }
    )


def _status_index(status: npt.NDArray[np.str_]) -> Ints:
    keys = list(MARRIAGE_STATUS)
    return np.select([status == k for k in keys], list(range(len(keys))), 0)


def birth_certificate(c: Chunk) -> pa.Table:
    """Birth medical certificates (出生医学证明) of the health commission (children since 1996)."""
    p, rng = c.people, c.rng
    kids = c.certified_children
    k = len(kids)
    idx = pa.array(kids)
    number = c.birth_certificate_number
    seconds = p.birth[kids] * 86400 + rng.integers(0, 86400, k)
    hospitals = HOME_CITY.hospitals
    weeks = np.clip(np.round(rng.normal(39, 1.3, k)), 30, 42).astype(np.int64)
    weight = np.clip(rng.normal(3300, 450, k) - (40 - weeks) * 150, 1200, 5200).astype(np.int64)
    length = np.round(np.clip(rng.normal(50, 2, k), 40, 58) * 2) / 2
    return pa.table(
        {
            "certificate_number": number,
            "child_name": c.name.take(idx),
            "child_sex": c.sex.take(idx),
            "birth_time": pa.array(seconds.astype("datetime64[s]"), pa.timestamp("s")),
            "birth_weight": pa.array(weight),
            "birth_length": pa.array(length),
            "gestational_weeks": pa.array(weeks),
            "birth_institution": pick(hospitals, rng.integers(0, len(hospitals), k)),
            "birth_place": c.place_name(p.birth_region[kids]),
            "birth_order": pa.array(p.child_order[kids]),
            "mother_citizen_id": c.citizen_id.take(pa.array(p.mother[kids])),
            "mother_name": c.name.take(pa.array(p.mother[kids])),
            "father_citizen_id": c.citizen_id.take(pa.array(p.father[kids])),
            "father_name": c.name.take(pa.array(p.father[kids])),
            "child_citizen_id": c.citizen_id.take(idx),
            "issued_date": dates(p.birth[kids] + rng.integers(1, 20, k)),
            "updated_at": c.updated(k),
        }
    )


def vaccination(c: Chunk) -> pa.Table:
    """Vaccination certificates (预防接种证) of the disease control centre, for young children."""
    p, rng = c.people, c.rng
    kids = c.certified_children
    position = np.flatnonzero(c.age_years[kids] < VACCINATION_MAX_AGE_YEARS)
    young = kids[position]
    k = len(young)
    seq = c.sequence("vaccination", k)
    months = (c.age_years[young] * 12).astype(np.int64)
    clinic = concat(c.household_street_name.take(pa.array(p.household[young])), "社区卫生服务中心")
    district_clinic = concat(pick([d.name for d in DISTRICTS], p.district[young]), clinic)
    last = np.minimum(c.today, p.birth[young] + (months * 30.4).astype(np.int64))
    return pa.table(
        {
            "certificate_number": concat("YM42", digits(scramble(seq, 10**9, 77), 9)),
            "birth_certificate_number": c.birth_certificate_number.take(pa.array(position)),
            "child_citizen_id": c.citizen_id.take(pa.array(young)),
            "child_name": c.name.take(pa.array(young)),
            "clinic": district_clinic,
            "doses": pa.array(np.minimum(1 + months // 2, 22)),
            "issued_date": dates(p.birth[young] + rng.integers(1, 30, k)),
            "last_vaccination_date": dates(last),
            "updated_at": c.updated(k),
        }
    )


DEATH_CAUSES = ("疾病", "疾病", "疾病", "正常死亡", "意外")
DEATH_PLACES = ("医疗卫生机构", "医疗卫生机构", "家中", "其他")


def death(c: Chunk) -> pa.Table:
    """Death registrations: medical death certificate and cremation certificate numbers."""
    p, rng = c.people, c.rng
    dead = np.flatnonzero(~p.alive)
    k = len(dead)
    seq = c.sequence("death", k)
    years = numbers(
        p.death[dead].astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    )
    return pa.table(
        {
            "citizen_id": c.citizen_id.take(pa.array(dead)),
            "name": c.name.take(pa.array(dead)),
            "death_date": dates(p.death[dead]),
            "death_cause": pick(DEATH_CAUSES, rng.integers(0, len(DEATH_CAUSES), k)),
            "death_place": pick(DEATH_PLACES, rng.integers(0, len(DEATH_PLACES), k)),
            "death_certificate_number": concat("S", digits(scramble(seq, 10**9, 11), 9)),
            "cremation_certificate_number": concat("HZ", years, digits(seq % 10**6, 6)),
            "updated_at": c.updated(k, 30),
        }
    )

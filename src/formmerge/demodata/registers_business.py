"""Business registers: enterprises and their shareholders, tax registration, credit lists.

Enterprises are made per chunk (one for every PEOPLE_PER_ENTERPRISE people) with their legal
representative, person in charge and shareholders drawn from the chunk's adults, so every
person an enterprise names is in the population register.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from formmerge.demodata.chunk import Chunk, concat, dates, numbers, pick
from formmerge.demodata.codes import ENTERPRISE_TYPES, INDUSTRIES, TAXPAYER_TYPES, TRADE_NAME_CHARS
from formmerge.demodata.ids import digits, usccs
from formmerge.demodata.people import DAYS_PER_YEAR
from formmerge.demodata.places import DISTRICTS, HOME_CITY, ROADS

__all__ = [
    "PEOPLE_PER_ENTERPRISE",
    "Enterprises",
    "credit_status",
    "enterprise",
    "make_enterprises",
    "shareholder",
    "tax_registration",
]

Ints = npt.NDArray[np.int64]

PEOPLE_PER_ENTERPRISE = 25
LEGAL_REPRESENTATIVE_AGES = (25, 65)
OWN_PRINCIPAL_SHARE = 0.8
"""Share of enterprises whose person in charge is the legal representative."""
ABNORMAL_OPERATION_SHARE = 0.05
SERIOUS_DISHONESTY_SHARE = 0.005
DISHONEST_DEBTOR_SHARE = 0.01
OPERATING_STATUS = (("存续", 0.94), ("吊销", 0.02), ("注销", 0.04))
ABNORMAL_REASONS = ("通过登记的住所或者经营场所无法联系", "未按照规定期限公示年度报告")
CREDIT_RATINGS = (("A", 0.35), ("B", 0.45), ("M", 0.12), ("C", 0.05), ("D", 0.03))
"""Tax credit ratings (纳税信用等级) and their shares."""
AREA_CODE = "0717"
"""Telephone area code of the home city."""


@dataclass
class Enterprises:
    """The enterprises of one chunk."""

    uscc: pa.Array
    name: pa.Array
    district: Ints
    kind: npt.NDArray[np.str_]
    industry: Ints
    legal_representative: Ints
    principal: Ints
    established: Ints
    capital: npt.NDArray[np.float64]
    holder_firm: Ints
    """One entry per shareholding: the enterprise (index) ..."""
    holder_person: Ints
    """... the shareholder (person index) ..."""
    holder_ratio: npt.NDArray[np.float64]
    """... and the share of the capital, summing to 1 per enterprise."""

    def __len__(self) -> int:
        return len(self.district)


def _weighted(rng: np.random.Generator, pairs: tuple[tuple[str, float], ...], n: int) -> Ints:
    weights = np.array([w for _, w in pairs])
    return rng.choice(len(pairs), n, p=weights / weights.sum())


def _names(c: Chunk, district: Ints, kind: npt.NDArray[np.str_], industry: Ints) -> pa.Array:
    rng, n = c.rng, len(district)
    chars = list(TRADE_NAME_CHARS)
    trade = concat(
        pick(chars, rng.integers(0, len(chars), n)), pick(chars, rng.integers(0, len(chars), n))
    )
    word = pick([i[0] for i in INDUSTRIES], industry)
    place = pick([d.short for d in DISTRICTS], district)
    city = HOME_CITY.name.removesuffix("市")
    form = np.select(
        [kind == "1200", kind == "4540", kind == "9100"],
        ["股份有限公司", "经营部", "专业合作社"],
        "有限公司",
    )
    return concat(city, place, trade, word, pa.array(form))


def make_enterprises(c: Chunk) -> Enterprises:
    """Make the chunk's enterprises with their representatives and shareholders."""
    p, rng = c.people, c.rng
    low, high = LEGAL_REPRESENTATIVE_AGES
    candidates = np.flatnonzero(
        p.registered & p.alive & (c.age_years >= low) & (c.age_years <= high)
    )
    n = max(1, c.n // PEOPLE_PER_ENTERPRISE) if len(candidates) else 0
    rep = rng.choice(candidates, n, replace=n > len(candidates)) if n else candidates[:0]
    others = rng.choice(candidates, n) if n else candidates[:0]
    principal = np.where(rng.random(n) < OWN_PRINCIPAL_SHARE, rep, others)
    district_p = np.array([d.weight for d in DISTRICTS]) / sum(d.weight for d in DISTRICTS)
    district = rng.choice(len(DISTRICTS), n, p=district_p)
    kind = np.array([k for k, _ in ENTERPRISE_TYPES])[_weighted(rng, ENTERPRISE_TYPES, n)]
    industry = rng.integers(0, len(INDUSTRIES), n)
    earliest = np.maximum(p.birth[rep] + int(20 * DAYS_PER_YEAR), c.today - 30 * 365)
    established = earliest + (rng.random(n) * (c.today - 30 - earliest)).astype(np.int64)
    capital = np.round(np.exp(rng.normal(4.6, 1.3, n)), 0).clip(3, 50_000)
    seq = c.sequence("enterprise", n)
    codes = usccs(seq, np.array([int(d.code) for d in DISTRICTS])[district])
    holders = np.where(kind == "1151", 1, rng.integers(1, 4, n))
    holder_firm = np.repeat(np.arange(n), holders)
    first = np.cumsum(holders) - holders
    is_rep = np.arange(len(holder_firm)) == first[holder_firm]
    holder_person = np.where(is_rep, rep[holder_firm], rng.choice(candidates, len(holder_firm)))
    weight = rng.random(len(holder_firm)) + is_rep
    ratio = np.round(weight / np.bincount(holder_firm, weight)[holder_firm], 4)
    ratio[first] += 1 - np.bincount(holder_firm, ratio)
    return Enterprises(
        uscc=codes,
        name=_names(c, district, kind, industry),
        district=district,
        kind=kind,
        industry=industry,
        legal_representative=rep,
        principal=principal,
        established=established,
        capital=capital,
        holder_firm=holder_firm,
        holder_person=holder_person,
        holder_ratio=np.round(ratio, 4),
    )


def _address(c: Chunk, district: Ints) -> pa.Array:
    rng, n = c.rng, len(district)
    streets = [s for d in DISTRICTS for s in d.streets]
    offsets = np.cumsum([0, *(len(d.streets) for d in DISTRICTS)])[:-1]
    counts = np.array([len(d.streets) for d in DISTRICTS])
    street = offsets[district] + rng.integers(0, 1 << 30, n) % counts[district]
    r = rng.integers(1, 400, (n, 2))
    return concat(
        pick([d.full_name for d in DISTRICTS], district),
        pick(streets, street),
        pick(ROADS, r[:, 0] % len(ROADS)),
        numbers(r[:, 1]),
        "号",
    )


def enterprise(c: Chunk, firms: Enterprises) -> pa.Table:
    """The enterprise register (企业登记) of the market regulation bureaus."""
    rng, n = c.rng, len(firms)
    registered_address = _address(c, firms.district)
    moved = pa.array(rng.random(n) < 0.2)
    business_address = pc.if_else(moved, _address(c, firms.district), registered_address)
    term = np.where(rng.random(n) < 0.5, 20, 30) * 365.25
    long_term = rng.random(n) < 0.4
    status = np.array([s for s, _ in OPERATING_STATUS])[_weighted(rng, OPERATING_STATUS, n)]
    paid = np.round(firms.capital * rng.choice([0, 0.2, 0.5, 1.0], n), 2)
    rep, principal = pa.array(firms.legal_representative), pa.array(firms.principal)
    return pa.table(
        {
            "uscc": firms.uscc,
            "name": firms.name,
            "enterprise_type": pa.array(firms.kind),
            "registered_address": registered_address,
            "business_address": business_address,
            "registered_capital": pa.array(firms.capital),
            "paid_in_capital": pa.array(paid),
            "establishment_date": dates(firms.established),
            "business_term_from": dates(firms.established),
            # the registration authority's approval of the latest registration (核准日期)
            "approval_date": dates(
                np.minimum(firms.established + (term * rng.random(n)).astype(np.int64), c.today)
            ),
            "business_term_to": dates(firms.established + term.astype(np.int64), long_term),
            "business_scope": pick([i[2] for i in INDUSTRIES], firms.industry),
            "registration_authority": pick(
                [d.market_regulation() for d in DISTRICTS], firms.district
            ),
            "industry_code": pick([i[1] for i in INDUSTRIES], firms.industry),
            "employee_count": pa.array(np.round(np.exp(rng.normal(2.3, 1.1, n))).astype(np.int64)),
            "operating_status": pa.array(status),
            "organization_code": pc.utf8_slice_codeunits(firms.uscc, 8, 17),
            "legal_rep_citizen_id": c.citizen_id.take(rep),
            "legal_rep_name": c.name.take(rep),
            "principal_citizen_id": c.citizen_id.take(principal),
            "principal_name": c.name.take(principal),
            "phone": concat(AREA_CODE, "-", digits(6_000_000 + rng.integers(0, 999_999, n), 7)),
            "updated_at": c.updated(n),
        }
    )


def shareholder(c: Chunk, firms: Enterprises) -> pa.Table:
    """Shareholders (股东) of the enterprises, one row per shareholding."""
    holder = pa.array(firms.holder_person)
    firm = pa.array(firms.holder_firm)
    return pa.table(
        {
            "uscc": firms.uscc.take(firm),
            "shareholder_citizen_id": c.citizen_id.take(holder),
            "shareholder_name": c.name.take(holder),
            "subscribed_capital": pa.array(
                np.round(firms.capital[firms.holder_firm] * firms.holder_ratio, 4)
            ),
            "shareholding_ratio": pa.array(firms.holder_ratio),
            "subscribed_date": dates(firms.established[firms.holder_firm]),
            "updated_at": c.updated(len(firms.holder_firm)),
        }
    )


def tax_registration(c: Chunk, firms: Enterprises) -> pa.Table:
    """Tax registrations (税务登记): the taxpayer ID of an enterprise is its USCC."""
    rng, n = c.rng, len(firms)
    general = (firms.capital >= 500) | (rng.random(n) < 0.3)
    kind = np.where(general, TAXPAYER_TYPES["general"], TAXPAYER_TYPES["small"])
    registered = np.minimum(firms.established + rng.integers(0, 60, n), c.today - 1)
    accounting = np.where(general, "企业会计准则", "小企业会计准则")
    return pa.table(
        {
            "taxpayer_id": firms.uscc,
            "taxpayer_name": firms.name,
            "tax_authority": pick([d.tax_bureau() for d in DISTRICTS], firms.district),
            "taxpayer_type": pa.array(kind),
            "registration_date": dates(registered),
            "accounting_system": pa.array(accounting),
            "credit_rating": pick(
                [r for r, _ in CREDIT_RATINGS], _weighted(rng, CREDIT_RATINGS, n)
            ),
            "updated_at": c.updated(n),
        }
    )


def credit_status(c: Chunk, firms: Enterprises) -> pa.Table:
    """Credit lists (信用): abnormal operation, serious dishonesty, dishonest judgment debtors."""
    rng, n = c.rng, len(firms)
    abnormal = rng.random(n) < ABNORMAL_OPERATION_SHARE
    listed = firms.established + (rng.random(n) * (c.today - firms.established)).astype(np.int64)
    reason = pick(ABNORMAL_REASONS, rng.integers(0, len(ABNORMAL_REASONS), n))
    serious = rng.random(n) < SERIOUS_DISHONESTY_SHARE
    debtor = rng.random(n) < DISHONEST_DEBTOR_SHARE
    rating = np.select([serious | debtor, abnormal], ["D", "C"], "")
    rating = np.where(rating == "", np.where(rng.random(n) < 0.6, "A", "B"), rating)
    return pa.table(
        {
            "uscc": firms.uscc,
            "name": firms.name,
            "abnormal_operation_listed": pa.array(abnormal),
            "abnormal_listed_date": dates(listed, ~abnormal),
            "abnormal_reason": pc.if_else(pa.array(abnormal), reason, pa.nulls(n, pa.string())),
            "serious_dishonesty_listed": pa.array(serious),
            "dishonest_debtor": pa.array(debtor),
            "credit_rating": pa.array(rating),
            "updated_at": c.updated(n, 30),
        }
    )

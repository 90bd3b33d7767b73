"""Property registers: real estate rights, motor vehicles, driving licences."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from formmerge.demodata.chunk import Chunk, concat, dates, numbers, pick
from formmerge.demodata.codes import LICENCE_CLASSES, VEHICLE_MODELS
from formmerge.demodata.ids import digits, scramble, strings_from_matrix, vins
from formmerge.demodata.people import DAYS_PER_YEAR, MemberKind
from formmerge.demodata.places import DISTRICTS, HOME_CITY

__all__ = ["driving_licence", "real_estate", "vehicle"]

Ints = npt.NDArray[np.int64]

HOME_OWNER_SHARE = 0.72
HOME_OWNER_MIN_AGE = 25
PROPERTY_SINCE = int(np.datetime64("2000-01-01", "D").astype(np.int64))
JOINT, SOLE = "共同共有", "单独所有"
VEHICLE_OWNER_SHARE = 0.35
VEHICLE_OWNER_AGES = (23, 75)
NEW_ENERGY_SHARE = 0.15
LICENCE_SHARE = 0.55
LICENCE_AGES = (18, 75)
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_SPACE = len(PLATE_LETTERS) * len(PLATE_CHARS) ** 2 * 100
"""Distinct ordinary plates (about 2.8 million); beyond that, plates repeat."""
MODEL_YEARS = "ABCDEFGHJKLMNPRSTVWXY123456789"
"""ISO 3779 model year codes, 2010 (A) onwards."""


def _owners(c: Chunk) -> tuple[Ints, Ints]:
    """Households that own their home: (head, spouse or -1)."""
    p, rng = c.people, c.rng
    head = (p.kind == MemberKind.FIRST) | (p.kind == MemberKind.FORMER_SPOUSE)
    owner = np.flatnonzero(
        head & p.registered & p.alive & (c.age_years >= HOME_OWNER_MIN_AGE)
        & (rng.random(c.n) < HOME_OWNER_SHARE)
    )  # fmt: skip
    spouse = p.spouse[owner]
    spouse = np.where((spouse >= 0) & p.alive[np.maximum(spouse, 0)], spouse, -1)
    return owner, spouse


def real_estate(c: Chunk) -> tuple[pa.Table, pa.Table]:
    """Real estate rights (不动产登记): one row per property, and one per owner."""
    p, rng = c.people, c.rng
    owner, spouse = _owners(c)
    k = len(owner)
    district = p.district[owner]
    earliest = np.maximum(PROPERTY_SINCE, p.birth[owner] + int(22 * DAYS_PER_YEAR))
    registered = earliest + (rng.random(k) * np.maximum(c.today - 30 - earliest, 1)).astype(int)
    year = registered.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    place = pick([HOME_CITY.name if d.is_district else d.name for d in DISTRICTS], district)
    seq = c.sequence("property", k)
    number = concat(
        "鄂(", numbers(year), ")", place, "不动产权第", digits(scramble(seq, 10**7, 21), 7), "号"
    )
    unit = concat(
        pick([d.code for d in DISTRICTS], district),
        digits(rng.integers(1, 999_999, k), 6),
        "GB",
        digits(rng.integers(1, 99_999, k), 5),
        "F",
        digits(scramble(seq, 10**8, 22), 8),
    )
    joint = spouse >= 0
    properties = pa.table(
        {
            "certificate_number": number,
            "unit_number": unit,
            "address": c.household_address.take(pa.array(p.household[owner])),
            "area": pa.array(np.round(np.clip(rng.normal(105, 30, k), 35, 300), 2)),
            "use": pa.array(np.where(rng.random(k) < 0.95, "住宅", "商业")),
            "share_type": pa.array(np.where(joint, JOINT, SOLE)),
            "registration_date": dates(registered),
            "updated_at": c.updated(k),
        }
    )
    holder = np.concatenate([owner, spouse[joint]])
    of = np.concatenate([np.arange(k), np.flatnonzero(joint)])
    owners = pa.table(
        {
            "certificate_number": number.take(pa.array(of)),
            "owner_citizen_id": c.citizen_id.take(pa.array(holder)),
            "owner_name": c.name.take(pa.array(holder)),
            "share": pa.array(np.where(joint[of], JOINT, "100%")),
            "updated_at": c.updated(len(holder)),
        }
    )
    return properties, owners


def _plates(c: Chunk, seq: Ints) -> pa.Array:
    n = len(seq)
    new_energy = c.rng.random(n) < NEW_ENERGY_SHARE
    letters = np.frombuffer(PLATE_LETTERS.encode(), np.uint8)
    chars = np.frombuffer(PLATE_CHARS.encode(), np.uint8)
    # a letter, two letters or digits, two digits: unique for up to PLATE_SPACE vehicles
    ordinary = scramble(seq % PLATE_SPACE, PLATE_SPACE, 1)
    matrix = np.empty((n, 5), np.uint8)
    matrix[:, 0] = letters[ordinary % len(PLATE_LETTERS)]
    rest = ordinary // len(PLATE_LETTERS)
    matrix[:, 1] = chars[rest % len(PLATE_CHARS)]
    matrix[:, 2] = chars[(rest // len(PLATE_CHARS)) % len(PLATE_CHARS)]
    matrix[:, 3] = ord("0") + (rest // len(PLATE_CHARS) ** 2) % 10
    matrix[:, 4] = ord("0") + (rest // (len(PLATE_CHARS) ** 2 * 10)) % 10
    electric = scramble(seq, 2 * len(PLATE_CHARS) * 10**4, 2)
    green = np.empty((n, 6), np.uint8)
    green[:, 0] = np.where(electric % 2 == 0, ord("D"), ord("F"))
    green[:, 1] = chars[(electric // 2) % len(PLATE_CHARS)]
    for i in range(4):
        green[:, 5 - i] = ord("0") + (electric // (2 * len(PLATE_CHARS) * 10**i)) % 10
    body = pc.if_else(pa.array(new_energy), strings_from_matrix(green), strings_from_matrix(matrix))
    return concat(HOME_CITY.plate, body)


def vehicle(c: Chunk) -> pa.Table:
    """Motor vehicle registrations (机动车登记) of the traffic police."""
    p, rng = c.people, c.rng
    low, high = VEHICLE_OWNER_AGES
    who = np.flatnonzero(
        p.registered & p.alive & (c.age_years >= low) & (c.age_years <= high)
        & (rng.random(c.n) < VEHICLE_OWNER_SHARE)
    )  # fmt: skip
    k = len(who)
    seq = c.sequence("vehicle", k)
    model = rng.integers(0, len(VEHICLE_MODELS), k)
    earliest = np.maximum(p.birth[who] + int(18 * DAYS_PER_YEAR), c.today - 20 * 365)
    registered = earliest + (rng.random(k) * (c.today - 10 - earliest)).astype(np.int64)
    year = registered.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    engine = strings_from_matrix(
        np.frombuffer(PLATE_CHARS.encode(), np.uint8)[rng.integers(0, 34, (k, 9))]
    )
    return pa.table(
        {
            "plate_number": _plates(c, seq),
            "vin": vins(
                [VEHICLE_MODELS[i][0] for i in model], rng, scramble(seq, 33 * 10**6), year - 2010
            ),
            "owner_citizen_id": c.citizen_id.take(pa.array(who)),
            "owner_name": c.name.take(pa.array(who)),
            "vehicle_type": pick([m[2] for m in VEHICLE_MODELS], model),
            "model": pick([m[1] for m in VEHICLE_MODELS], model),
            "engine_number": engine,
            "registration_date": dates(registered),
            "invoice_number": digits(scramble(seq, 10**8, 3), 8),
            "compulsory_insurance_policy": concat(
                "PDZA", numbers(year), "4205", digits(scramble(seq, 10**9, 4), 9)
            ),
            "updated_at": c.updated(k),
        }
    )


def driving_licence(c: Chunk) -> pa.Table:
    """Driving licences (驾驶证) of the traffic police."""
    p, rng = c.people, c.rng
    low, high = LICENCE_AGES
    who = np.flatnonzero(
        p.registered & p.alive & (c.age_years >= low) & (c.age_years <= high)
        & (rng.random(c.n) < LICENCE_SHARE)
    )  # fmt: skip
    k = len(who)
    classes, weights = zip(*LICENCE_CLASSES, strict=True)
    kind = rng.choice(len(classes), k, p=np.array(weights) / sum(weights))
    adult = p.birth[who] + int(low * DAYS_PER_YEAR)
    first = adult + (rng.random(k) * (c.today - 30 - adult)).astype(np.int64)
    renewals = (c.today - first) // int(6 * DAYS_PER_YEAR)
    valid_from = first + renewals * int(6 * DAYS_PER_YEAR)
    valid_to = valid_from + int(10 * DAYS_PER_YEAR)
    seq = c.sequence("driving_licence", k)
    return pa.table(
        {
            "citizen_id": c.citizen_id.take(pa.array(who)),
            "name": c.name.take(pa.array(who)),
            "licence_number": concat("4205", digits(scramble(seq, 10**8, 5), 8)),
            "licence_class": pick(classes, kind),
            "first_issue_date": dates(first),
            "valid_from": dates(valid_from),
            "valid_to": dates(valid_to),
            "updated_at": c.updated(k),
        }
    )

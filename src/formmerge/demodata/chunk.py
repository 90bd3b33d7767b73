"""One chunk of the demo population and the columns every register shares.

A :class:`Chunk` holds the people of one chunk and derives, once, what several registers need:
ID numbers, names, addresses, mobile numbers. :class:`Counters` carries the sequences that must
stay unique across chunks (ID order numbers, household and certificate numbers), so chunks are
made one after another and the result does not depend on anything but the seed and the size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from formmerge.demodata.codes import EDUCATION_BY_COHORT, HIGHER_EDUCATION, SENIOR_MIDDLE
from formmerge.demodata.ids import citizen_ids, digits, scramble
from formmerge.demodata.names import (
    FEMALE_CHARS_OLD,
    FEMALE_CHARS_YOUNG,
    MALE_CHARS_OLD,
    MALE_CHARS_YOUNG,
    NAME_COHORT_YEAR,
    SURNAMES,
)
from formmerge.demodata.people import Couples, MemberKind, People
from formmerge.demodata.places import BIRTH_PLACES, DISTRICTS, HOME_CITY, ROADS
from formmerge.errors import FormmergeError

__all__ = [
    "BIRTH_CERTIFICATE_SINCE",
    "EARLIEST_BIRTH_DAY",
    "Chunk",
    "Counters",
    "concat",
    "dates",
    "pick",
]

Ints = npt.NDArray[np.int64]

EARLIEST_BIRTH_DAY = int(np.datetime64("1900-01-01", "D").astype(np.int64))
_REGION_CODES = np.array([int(d.code) for d in DISTRICTS] + [int(p.code) for p in BIRTH_PLACES])
_MAX_ORDER = 499
"""Order numbers per (region, birth day, sex): 1..999, odd for men, even for women."""
MOBILE_PREFIXES: tuple[int, ...] = (
    139, 138, 137, 136, 135, 158, 159, 188, 187, 133, 153, 180, 189, 186, 185, 130, 131, 132,
    155, 156, 177, 199, 166, 198, 150, 151, 152, 157, 182, 183, 184, 178, 176, 173, 175, 191,
)  # fmt: skip
"""Mainland mobile number prefixes (first three digits)."""
MOBILE_MIN_AGE_YEARS = 14
VILLAGES: tuple[str, ...] = (
    "青龙", "白鹤", "桃园", "双河", "新华", "红星", "金桥", "柳林", "石门", "高岭", "长岭", "黄花",
)  # fmt: skip
ADULT_AGE = 18
BIRTH_CERTIFICATE_SINCE = int(np.datetime64("1996-01-01", "D").astype(np.int64))
"""Birth medical certificates exist for people born since 1996."""
RURAL_SHARE = 0.6
"""Share of households outside urban districts that live in villages (agricultural hukou)."""


@dataclass
class Counters:
    """Sequences that continue from one chunk to the next."""

    next_value: dict[str, int] = field(default_factory=dict)
    id_orders: npt.NDArray[np.int16] = field(default_factory=lambda: np.zeros(0, np.int16))

    def take(self, name: str, count: int) -> Ints:
        """``count`` consecutive, never reused numbers of the sequence ``name``."""
        start = self.next_value.get(name, 0)
        self.next_value[name] = start + count
        return np.arange(start, start + count, dtype=np.int64)


def pick(options: Sequence[str], index: Ints) -> pa.Array:
    """The option at each index (a vectorised ``options[i]``)."""
    return pa.array(list(options), pa.string()).take(pa.array(index))


def concat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation; plain strings are repeated."""
    return pc.binary_join_element_wise(*parts, "")


def dates(days: Ints, missing: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    """A date32 array from day numbers; entries flagged in ``missing`` are null."""
    return pa.array(days.astype("datetime64[D]"), pa.date32(), mask=missing)


def numbers(values: Ints) -> pa.Array:
    """Decimal strings without padding."""
    return pc.cast(pa.array(values), pa.string())


@dataclass
class Chunk:
    """The people of one chunk, with the derived columns several registers share."""

    rng: np.random.Generator
    people: People
    couples: Couples
    counters: Counters
    today: int
    first_person: int
    """Global number of the chunk's first person (makes mobile numbers unique)."""

    def __post_init__(self) -> None:
        self.household_numbers = self.counters.take("household", self.n_households)

    def sequence(self, name: str, count: int) -> Ints:
        """``count`` numbers of the global sequence ``name``, shuffled (so that identifiers
        derived from them do not run in step with the order of people)."""
        return self.rng.permutation(self.counters.take(name, count))

    @property
    def n(self) -> int:
        """Number of people in the chunk."""
        return len(self.people)

    @cached_property
    def n_households(self) -> int:
        """Number of households in the chunk."""
        return int(self.people.household.max()) + 1 if self.n else 0

    @cached_property
    def school_year(self) -> int:
        """The calendar year in which the school year of the reference day began (September)."""
        month = np.datetime64(self.today, "D").astype("datetime64[M]").astype(np.int64)
        return int(month // 12 + 1970 - (1 if month % 12 < 8 else 0))

    @cached_property
    def age_years(self) -> npt.NDArray[np.float64]:
        """Age at the reference day, in years."""
        return (self.today - self.people.birth) / 365.25

    @cached_property
    def citizen_id(self) -> pa.Array:
        """ID numbers; null for newborns not registered yet."""
        p = self.people
        sex = (~p.male).astype(np.int64)
        key = (
            (p.birth_region * (self.today - EARLIEST_BIRTH_DAY + 1)) + p.birth - EARLIEST_BIRTH_DAY
        )
        key = key * 2 + sex
        size = len(_REGION_CODES) * (self.today - EARLIEST_BIRTH_DAY + 1) * 2
        if len(self.counters.id_orders) != size:
            self.counters.id_orders = np.zeros(size, np.int16)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_key)) + 1]
        run = np.arange(len(key)) - np.repeat(starts, np.diff(np.r_[starts, len(key)]))
        rank = np.empty_like(run)
        rank[order] = run
        rank += self.counters.id_orders[key]
        np.add.at(self.counters.id_orders, key, 1)
        if len(rank) and int(rank.max()) >= _MAX_ORDER:
            raise FormmergeError("too many people share a birth day and place; lower the size")
        seq = 2 * rank + np.where(p.male, 1, 2)
        ids = citizen_ids(_REGION_CODES[p.birth_region], p.birth.astype("datetime64[D]"), seq)
        return pc.if_else(pa.array(p.registered), ids, pa.nulls(self.n, pa.string()))

    @cached_property
    def name(self) -> pa.Array:
        """Full names: surname and one or two given-name characters."""
        p = self.people
        pools = (MALE_CHARS_OLD, MALE_CHARS_YOUNG, FEMALE_CHARS_OLD, FEMALE_CHARS_YOUNG)
        flat = [c for pool in pools for c in pool]
        offsets = np.cumsum([0, *(len(pool) for pool in pools)])[:-1]
        lengths = np.array([len(pool) for pool in pools])
        young = p.birth >= np.datetime64(f"{NAME_COHORT_YEAR}-01-01", "D").astype(np.int64)
        pool = np.where(p.male, 0, 2) + young
        first = offsets[pool] + p.given[:, 0] % lengths[pool]
        second = offsets[pool] + np.maximum(p.given[:, 1], 0) % lengths[pool]
        second_char = pc.if_else(pa.array(p.given[:, 1] < 0), "", pick(flat, second))
        return concat(pick(SURNAMES, p.surname), pick(flat, first), second_char)

    @cached_property
    def certified_children(self) -> Ints:
        """Children born since BIRTH_CERTIFICATE_SINCE: those with a birth medical certificate."""
        p = self.people
        born = (p.kind == MemberKind.CHILD) & (p.birth >= BIRTH_CERTIFICATE_SINCE)
        return np.flatnonzero(born)

    @cached_property
    def birth_certificate_number(self) -> pa.Array:
        """Birth certificate numbers of :attr:`certified_children`: a series letter, 9 digits."""
        kids = self.certified_children
        seq = self.sequence("birth_certificate", len(kids))
        years = self.people.birth[kids].astype("datetime64[D]").astype("datetime64[Y]")
        letter = (years.astype(np.int64) + 1970 - 1996) % 26
        return concat(
            pick([chr(ord("A") + i) for i in range(26)], letter),
            digits(scramble(seq, 10**9, 4201), 9),
        )

    @cached_property
    def education(self) -> npt.NDArray[np.str_]:
        """GB/T 4658 education codes of adults by birth cohort; empty for children."""
        years = self.people.birth.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
        out = np.full(self.n, "", dtype="<U2")
        adult = self.age_years >= ADULT_AGE
        for before, table in EDUCATION_BY_COHORT:
            chosen = adult & (years < before) & (out == "")
            codes, weights = zip(*table, strict=True)
            p = np.array(weights) / sum(weights)
            out[chosen] = self.rng.choice(codes, int(chosen.sum()), p=p)
        for code, (_, graduation_age, _) in HIGHER_EDUCATION.items():
            out[(out == code) & (self.age_years < graduation_age)] = SENIOR_MIDDLE
        return out

    @cached_property
    def sex(self) -> pa.Array:
        """GB/T 2261.1 sex codes."""
        return pa.array(np.where(self.people.male, "1", "2"))

    @cached_property
    def rural(self) -> npt.NDArray[np.bool_]:
        """Per household: lives in a village (agricultural hukou)."""
        district = self._household_district
        county = np.array([not d.is_district for d in DISTRICTS])[district]
        return county & (self.rng.random(self.n_households) < RURAL_SHARE)

    @cached_property
    def _household_district(self) -> Ints:
        district = np.zeros(self.n_households, np.int64)
        district[self.people.household] = self.people.district
        return district

    @cached_property
    def household_street(self) -> Ints:
        """Per household: index of the street within its district."""
        counts = np.array([len(d.streets) for d in DISTRICTS])[self._household_district]
        street: Ints = self.rng.integers(0, 1 << 30, self.n_households) % counts
        return street

    @cached_property
    def household_street_name(self) -> pa.Array:
        """Per household: the street or town of its hukou."""
        d = self._household_district
        streets = [s for dist in DISTRICTS for s in dist.streets]
        offsets = np.cumsum([0, *(len(dist.streets) for dist in DISTRICTS)])[:-1]
        return pick(streets, offsets[d] + self.household_street)

    @cached_property
    def police_station(self) -> pa.Array:
        """Per household: the police station that keeps its hukou."""
        stations = [dist.police_station(s) for dist in DISTRICTS for s in dist.streets]
        offsets = np.cumsum([0, *(len(dist.streets) for dist in DISTRICTS)])[:-1]
        return pick(stations, offsets[self._household_district] + self.household_street)

    @cached_property
    def household_address(self) -> pa.Array:
        """Per household: the hukou address."""
        d = self._household_district
        street = self.household_street_name
        full = pick([dist.full_name for dist in DISTRICTS], d)
        r = self.rng.integers(1, 400, (self.n_households, 5))
        urban = concat(
            full,
            street,
            pick(ROADS, r[:, 0] % len(ROADS)),
            numbers(r[:, 1]),
            "号",
            numbers(r[:, 2] % 30 + 1),
            "栋",
            numbers(r[:, 3] % 6 + 1),
            "单元",
            numbers((r[:, 4] % 30 + 1) * 100 + r[:, 0] % 4 + 1),
            "室",
        )
        village = concat(
            full,
            street,
            pick(VILLAGES, r[:, 0] % len(VILLAGES)),
            "村",
            numbers(r[:, 1] % 12 + 1),
            "组",
            numbers(r[:, 2]),
            "号",
        )
        return pc.if_else(pa.array(self.rural), village, urban)

    @cached_property
    def mobile(self) -> pa.Array:
        """Mobile numbers; null for children under MOBILE_MIN_AGE_YEARS."""
        pid = self.first_person + np.arange(self.n, dtype=np.int64)
        prefix = pid % len(MOBILE_PREFIXES)
        rest = scramble(pid // len(MOBILE_PREFIXES), 10**8) + prefix * 7919 % 10**8
        number = concat(pick([str(x) for x in MOBILE_PREFIXES], prefix), digits(rest % 10**8, 8))
        return pc.if_else(
            pa.array(self.age_years < MOBILE_MIN_AGE_YEARS), pa.nulls(self.n, pa.string()), number
        )

    def place_name(self, region: Ints) -> pa.Array:
        """Full names of regions given as birth-region indexes."""
        names = [d.full_name for d in DISTRICTS] + [p.full_name for p in BIRTH_PLACES]
        return pick(names, region)

    def native_place(self, region: Ints) -> pa.Array:
        """Province and city of regions given as birth-region indexes (籍贯)."""
        home = f"{HOME_CITY.province}{HOME_CITY.name}"
        names = [home] * len(DISTRICTS) + [p.native_place for p in BIRTH_PLACES]
        return pick(names, region)

    def updated(self, count: int, max_days: int = 400) -> pa.Array:
        """Dates of last update of ``count`` records, within ``max_days`` before the reference."""
        return dates(self.today - self.rng.integers(0, max_days, count))

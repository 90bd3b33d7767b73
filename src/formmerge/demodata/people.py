"""Households and the people in them: the family structure every register is derived from.

One call builds one chunk of the population as numpy arrays (one entry per person), so that
millions of people are made in a few vector operations. Households come in a few kinds (single
adults, couples, families with children, three generations, single parents, widowed elders);
families are consistent by construction: a child is born to its mother between her 21st and
45th year, spouses are married to each other, a divorced single parent's former spouse lives in
a household of their own, and an elder who died recently leaves a widowed spouse.

References between people (spouse, father, mother) are indexes into the chunk's arrays, or -1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from formmerge.demodata.names import SURNAME_WEIGHTS
from formmerge.demodata.places import BIRTH_PLACES, DISTRICTS

__all__ = [
    "DAYS_PER_YEAR",
    "Couples",
    "MemberKind",
    "People",
    "make_people",
]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

DAYS_PER_YEAR = 365.25

HOUSEHOLD_SHARES = {
    "single": 0.10,
    "young_couple": 0.08,
    "old_couple": 0.14,
    "family": 0.48,
    "three_generations": 0.08,
    "single_parent": 0.05,
    "widowed": 0.07,
}
"""Share of each kind of household."""
_KINDS = tuple(HOUSEHOLD_SHARES)
SINGLE, YOUNG, OLD, FAMILY, THREE_G, SINGLE_PARENT, WIDOWED = range(len(_KINDS))
CHILDREN_SHARES = (0.5, 0.4, 0.1)
"""Share of families with one, two and three children."""
RECENT_BIRTH_SHARE = 0.06
"""Share of families whose youngest child was born in the last year (about 1.2% of people)."""
UNREGISTERED_NEWBORN_DAYS = 90
UNREGISTERED_NEWBORN_SHARE = 0.6
"""Share of children younger than UNREGISTERED_NEWBORN_DAYS not yet registered (no ID number)."""
RECENT_DEATH_SHARE = 0.06
"""Share of elderly couples where one spouse died in the last three years."""
BORN_AT_HOME_SHARE = 0.75
BORN_IN_HOME_CITY_SHARE = 0.12
"""Adults born in their hukou district, or elsewhere in the home city (the rest: elsewhere)."""
MAX_AGE_YEARS = 100


class MemberKind:
    """Kinds of household members."""

    FIRST = 0
    """The first adult: the head of household."""
    PARTNER = 1
    GRANDPARENT = 2
    CHILD = 3
    FORMER_SPOUSE = 4
    """A divorced single parent's former spouse, head of a household of their own."""


@dataclass
class People:
    """One chunk of people; every array has one entry per person."""

    household: Ints
    kind: Ints
    male: Bools
    birth: Ints
    """Birth day, days since 1970-01-01."""
    district: Ints
    """Hukou district, an index into DISTRICTS."""
    birth_region: Ints
    """An index into DISTRICTS, or len(DISTRICTS) + an index into BIRTH_PLACES."""
    native_region: Ints
    father: Ints
    mother: Ints
    spouse: Ints
    marital: npt.NDArray[np.str_]
    alive: Bools
    death: Ints
    registered: Bools
    surname: Ints
    given: Ints
    """Two indexes into a given-name pool per person; the second is -1 for one-character names."""
    child_order: Ints

    def __len__(self) -> int:
        return len(self.household)


@dataclass
class Couples:
    """Marriages between people of the chunk."""

    husband: Ints
    wife: Ints
    married: Ints
    ended: Ints
    """Day of divorce or of the spouse's death; -1 while married."""
    status: npt.NDArray[np.str_]
    district: Ints


def _years(rng: np.random.Generator, low: float, high: float, n: int) -> Ints:
    return (rng.uniform(low, high, n) * DAYS_PER_YEAR).astype(np.int64)


def _household_plan(rng: np.random.Generator, target: int) -> tuple[Ints, Ints]:
    count = int(target / 2.2) + 16
    kind = rng.choice(len(_KINDS), count, p=list(HOUSEHOLD_SHARES.values()))
    children = rng.choice([1, 2, 3], count, p=CHILDREN_SHARES)
    children = np.where(np.isin(kind, [FAMILY, THREE_G]), children, 0)
    children[kind == SINGLE_PARENT] = 1
    partner = np.isin(kind, [YOUNG, OLD, FAMILY, THREE_G, SINGLE_PARENT])
    size = 1 + partner + (kind == THREE_G) + children
    keep = int(np.searchsorted(np.cumsum(size), target, side="right"))
    return kind[:keep], children[:keep]


def make_people(rng: np.random.Generator, target: int, today: int) -> tuple[People, Couples]:
    """Make households until about ``target`` people; ``today`` is the reference day."""
    kind, n_children = _household_plan(rng, target)
    n = len(kind)
    district_p = np.array([d.weight for d in DISTRICTS]) / sum(d.weight for d in DISTRICTS)
    district = rng.choice(len(DISTRICTS), n, p=district_p)

    # children: ages from the youngest up, spaced 2 to 6 years apart
    child_home = np.repeat(np.arange(n), n_children)
    first = np.cumsum(n_children) - n_children
    rank = np.arange(len(child_home)) - first[child_home]  # 0 = youngest
    recent = rng.random(n) < RECENT_BIRTH_SHARE
    youngest = np.where(recent, rng.integers(0, 365, n), rng.integers(365, 22 * 365, n))
    gap = np.where(rank == 0, 0, rng.integers(700, 2200, len(child_home)))
    running = np.cumsum(gap)
    child_age = youngest[child_home] + running - running[first[child_home]]
    eldest = np.zeros(n, np.int64)
    np.maximum.at(eldest, child_home, child_age)

    has_children = n_children > 0
    wife_age = np.where(kind == YOUNG, _years(rng, 22, 36, n), _years(rng, 52, 88, n))
    wife_age = np.where(has_children, eldest + _years(rng, 21, 33, n), wife_age)
    husband_age = wife_age + (np.clip(rng.normal(2, 2.2, n), 0, 10) * DAYS_PER_YEAR).astype(int)
    first_male = rng.random(n) < np.select(
        [kind == SINGLE, kind == WIDOWED, kind == SINGLE_PARENT], [0.55, 0.3, 0.25], 0.8
    )
    first_age = np.where(first_male, husband_age, wife_age)
    first_age = np.where(kind == SINGLE, _years(rng, 18, 40, n), first_age)
    first_age = np.where(kind == WIDOWED, _years(rng, 62, 95, n), first_age)
    partner_age = np.where(first_male, wife_age, husband_age)
    grand_male = rng.random(n) < 0.3
    grand_age = np.minimum(first_age + _years(rng, 24, 34, n), int(MAX_AGE_YEARS * DAYS_PER_YEAR))

    # people: first adults, partners (or former spouses), grandparents, children
    has_partner = np.isin(kind, [YOUNG, OLD, FAMILY, THREE_G, SINGLE_PARENT])
    partners = np.flatnonzero(has_partner)
    grands = np.flatnonzero(kind == THREE_G)
    home = np.concatenate([np.arange(n), partners, grands, child_home])
    member = np.concatenate(
        [
            np.zeros(n, np.int64),
            np.where(kind[partners] == SINGLE_PARENT, MemberKind.FORMER_SPOUSE, MemberKind.PARTNER),
            np.full(len(grands), MemberKind.GRANDPARENT),
            np.full(len(child_home), MemberKind.CHILD),
        ]
    )
    male = np.concatenate(
        [first_male, ~first_male[partners], grand_male[grands], rng.random(len(child_home)) < 0.51]
    )
    age = np.concatenate([first_age, partner_age[partners], grand_age[grands], child_age])
    total = len(home)
    first_idx = np.arange(n)
    partner_idx = np.full(n, -1)
    partner_idx[partners] = n + np.arange(len(partners))
    grand_idx = np.full(n, -1)
    grand_idx[grands] = n + len(partners) + np.arange(len(grands))

    husband = np.where(first_male, first_idx, partner_idx)
    wife = np.where(first_male, partner_idx, first_idx)
    father = np.full(total, -1)
    mother = np.full(total, -1)
    children_at = np.flatnonzero(member == MemberKind.CHILD)
    father[children_at] = husband[child_home]
    mother[children_at] = wife[child_home]
    grand_is_father = grands[grand_male[grands]]
    grand_is_mother = grands[~grand_male[grands]]
    father[grand_is_father] = grand_idx[grand_is_father]
    mother[grand_is_mother] = grand_idx[grand_is_mother]

    spouse = np.full(total, -1)
    married_kinds = np.flatnonzero(has_partner & (kind != SINGLE_PARENT))
    spouse[married_kinds] = partner_idx[married_kinds]
    spouse[partner_idx[married_kinds]] = married_kinds

    # deaths among elderly couples: one spouse died in the last three years
    died_home = np.flatnonzero((kind == OLD) & (rng.random(n) < RECENT_DEATH_SHARE))
    died = np.where(rng.random(len(died_home)) < 0.6, husband[died_home], wife[died_home])
    alive = np.ones(total, bool)
    alive[died] = False
    death = np.full(total, -1)
    death[died] = today - rng.integers(10, 1000, len(died))

    marital = np.full(total, "10")
    marital[member == MemberKind.PARTNER] = "20"
    marital[first_idx[has_partner]] = "20"
    marital[member == MemberKind.GRANDPARENT] = "30"
    marital[first_idx[kind == WIDOWED]] = "30"
    marital[first_idx[kind == SINGLE_PARENT]] = "40"
    marital[member == MemberKind.FORMER_SPOUSE] = "40"
    survivors = spouse[died]
    marital[survivors] = "30"

    birth = today - age
    registered = ~(
        (member == MemberKind.CHILD)
        & (age < UNREGISTERED_NEWBORN_DAYS)
        & (rng.random(total) < UNREGISTERED_NEWBORN_SHARE)
    )
    people_district = district[home].copy()
    former = np.flatnonzero(member == MemberKind.FORMER_SPOUSE)
    people_district[former] = rng.choice(len(DISTRICTS), len(former), p=district_p)
    household = home.copy()
    household[former] = n + np.arange(len(former))

    # birth places and names
    where = rng.random(total)
    other_district = rng.choice(len(DISTRICTS), total, p=district_p)
    place_p = np.array([p.weight for p in BIRTH_PLACES]) / sum(p.weight for p in BIRTH_PLACES)
    elsewhere = len(DISTRICTS) + rng.choice(len(BIRTH_PLACES), total, p=place_p)
    birth_region = np.select(
        [where < BORN_AT_HOME_SHARE, where < BORN_AT_HOME_SHARE + BORN_IN_HOME_CITY_SHARE],
        [people_district, other_district],
        elsewhere,
    )
    is_child = member == MemberKind.CHILD
    birth_region[is_child] = people_district[is_child]
    surname_p = np.array(SURNAME_WEIGHTS) / sum(SURNAME_WEIGHTS)
    surname = rng.choice(len(surname_p), total, p=surname_p)
    surname[grand_idx[grand_is_father]] = surname[grand_is_father]
    from_father = rng.random(total) < 0.92
    kids = children_at
    surname[kids] = np.where(from_father[kids], surname[father[kids]], surname[mother[kids]])
    native_region = birth_region.copy()
    native_region[kids] = birth_region[father[kids]]
    given = rng.integers(0, 1 << 30, (total, 2))
    given[rng.random(total) >= 0.8, 1] = -1
    child_order = np.zeros(total, np.int64)
    child_order[kids] = n_children[child_home] - (np.arange(len(kids)) - first[child_home])

    people = People(
        household=household,
        kind=member,
        male=male,
        birth=birth,
        district=people_district,
        birth_region=birth_region,
        native_region=native_region,
        father=father,
        mother=mother,
        spouse=spouse,
        marital=marital,
        alive=alive,
        death=death,
        registered=registered,
        surname=surname,
        given=given,
        child_order=child_order,
    )
    couples = _couples(rng, people, kind, husband, wife, has_partner, eldest, youngest, today)
    return people, couples


def _couples(
    rng: np.random.Generator,
    people: People,
    kind: Ints,
    husband: Ints,
    wife: Ints,
    has_partner: Bools,
    eldest: Ints,
    youngest: Ints,
    today: int,
) -> Couples:
    homes = np.flatnonzero(has_partner)
    h, w = husband[homes], wife[homes]
    legal = np.maximum(
        people.birth[h] + int(22 * DAYS_PER_YEAR), people.birth[w] + int(20 * DAYS_PER_YEAR)
    )
    with_children = np.isin(kind[homes], [FAMILY, THREE_G, SINGLE_PARENT])
    first_birth = today - eldest[homes]
    married = np.where(
        with_children,
        first_birth - rng.integers(300, 1400, len(homes)),
        people.birth[w] + _years(rng, 21, 30, len(homes)),
    )
    married = np.minimum(np.maximum(married, legal), today - 30)
    status = np.full(len(homes), "married", dtype="<U8")
    ended = np.full(len(homes), -1)
    divorced = kind[homes] == SINGLE_PARENT
    last_birth = today - youngest[homes]
    divorce_day = last_birth + rng.integers(365, 3000, len(homes))
    ended[divorced] = np.minimum(divorce_day, today - 30)[divorced]
    status[divorced] = "divorced"
    dead = ~people.alive[h] | ~people.alive[w]
    ended[dead] = np.maximum(people.death[h], people.death[w])[dead]
    status[dead] = "widowed"
    return Couples(
        husband=h, wife=w, married=married, ended=ended, status=status, district=people.district[h]
    )

"""Deterministic synthetic households: who they are, where from, and what happened to them.

The generator yields plain records (no Django), household by household, so that 100,000 persons
never sit in memory at once. Everything derives from ``seed``: the same seed gives the same
names, dates and statuses. Proportions are exact, not sampled: each stratum (stream ×
nationality) gets its quota of persons by the largest-remainder method, and the next household
is drawn from a stratum with probability proportional to what is left of its quota.

All dates are relative to a fixed :data:`REFERENCE_DATE` (not "today"), so the demo is the same
on every run; arrivals lie in the three years before it (persons from Ukraine since March 2022).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from ankommen.seeding.namepools import POOLS, Name, NamePool, female_form
from ankommen.seeding.origins import (
    OTHER,
    TEMPORARY_PROTECTION_SHARE,
    Origin,
    asylum_shares,
    load_origin_table,
)
from ankommen.seeding.profiles import HOUSEHOLD_MIXES, PROFILES, Profile, Variant

REFERENCE_DATE = date(2026, 11, 1)
WINDOW_DAYS = 3 * 365
TEMPORARY_PROTECTION_START = date(2022, 3, 1)  # first arrivals after 24 Feb 2022

ASYLUM = "asylum"
TEMPORARY_PROTECTION = "temporary_protection"

# Household roles, sexes and status values as stored by people.models (kept as strings here
# so that this module needs no Django).
HEAD, PARTNER, CHILD, RELATIVE = "head", "partner", "child", "relative"

MIN_SIZE = {
    "single_man": 1,
    "single_woman": 1,
    "couple": 2,
    "couple_children": 3,
    "single_mother": 2,
    "single_father": 2,
    "three_generations": 4,
    "siblings": 2,
    "grandmother": 2,
    "older_couple": 2,
}

# Residence statuses: (kind, legal basis) as in people.models.ResidenceStatus.
ARRIVAL_CERTIFICATE = ("ankunftsnachweis", "")
GESTATTUNG = ("gestattung", "")
DULDUNG = ("duldung", "60a")
FIKTION = ("fiktionsbescheinigung", "")
PERMIT = "aufenthaltserlaubnis"
OUTCOME_PERMITS = {
    "asylum": (PERMIT, "25.1"),
    "refugee": (PERMIT, "25.2.1"),
    "subsidiary": (PERMIT, "25.2.2"),
    "deportation_ban": (PERMIT, "25.3"),
}
TEMPORARY_PROTECTION_PERMIT = (PERMIT, "24")
SINGLE_PARENTS = frozenset({"single_mother", "single_father"})


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(slots=True)
class StatusPlan:
    kind: str
    legal_basis: str
    valid_from: date
    valid_to: date | None = None


@dataclass(slots=True)
class PersonPlan:
    family_name: str
    given_names: str
    birth_year: int
    birth_month: int | None
    birth_day: int | None
    sex: str
    role: str
    age: int
    nationality: str
    languages: list[str]
    statuses: list[StatusPlan] = field(default_factory=list)
    vulnerabilities: list[tuple[str, date, date | None]] = field(default_factory=list)
    consents: list[tuple[str, date, date | None]] = field(default_factory=list)


@dataclass(slots=True)
class ResponsibilityPlan:
    kind: str
    valid_from: date
    valid_to: date | None = None
    provider_id: int | None = None
    site_id: int | None = None
    caseworker_id: int | None = None


@dataclass(slots=True)
class HouseholdPlan:
    reference: str
    stream: str
    nationality: str
    structure: str
    arrived: date
    allocated: date
    outcome: str  # pending, asylum, refugee, …, rejected; "temporary_protection"
    decided: date | None
    persons: list[PersonPlan]
    responsibilities: list[ResponsibilityPlan] = field(default_factory=list)

    @property
    def protected(self) -> bool:
        return self.outcome in OUTCOME_PERMITS or self.outcome == TEMPORARY_PROTECTION


def largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` into integers proportional to ``weights`` (sum exactly ``total``)."""
    weight_sum = sum(weights.values())
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    left = total - sum(counts.values())
    by_remainder = sorted(exact, key=lambda key: (-(exact[key] - counts[key]), key))
    for key in by_remainder[:left]:
        counts[key] += 1
    return counts


def person_quotas(
    persons: int,
    table: list[Origin],
    *,
    temporary_protection_share: float = TEMPORARY_PROTECTION_SHARE,
) -> dict[tuple[str, str], int]:
    """Persons per (stream, nationality). "Other" origins are spread over the table's
    ``other_detail`` rows in proportion to their applications."""
    streams = largest_remainder(
        persons,
        {
            TEMPORARY_PROTECTION: temporary_protection_share,
            ASYLUM: 1 - temporary_protection_share,
        },
    )
    shares = asylum_shares(table)
    detail = {o.code: o.first_applications for o in table if o.group == "other_detail"}
    detail_sum = sum(detail.values())
    weights: dict[str, float] = {}
    for code, share in shares.items():
        if code == OTHER:
            for other_code, count in detail.items():
                weights[other_code] = weights.get(other_code, 0) + share * count / detail_sum
        else:
            weights[code] = weights.get(code, 0) + share
    quotas = {(ASYLUM, code): n for code, n in largest_remainder(streams[ASYLUM], weights).items()}
    quotas[(TEMPORARY_PROTECTION, "UKR")] = streams[TEMPORARY_PROTECTION]
    return {key: n for key, n in quotas.items() if n > 0}


class Generator:
    """Yields :class:`HouseholdPlan` records; see the module docstring."""

    def __init__(
        self,
        seed: int,
        *,
        prefix: str,
        reference_date: date = REFERENCE_DATE,
        table: list[Origin] | None = None,
        temporary_protection_share: float = TEMPORARY_PROTECTION_SHARE,
    ) -> None:
        self.rng = random.Random(f"ankommen-people-{seed}")
        self.prefix = prefix
        self.today = reference_date
        self.table = table if table is not None else load_origin_table()
        self.outcomes = {o.code: o.outcome_weights() for o in self.table if o.code != OTHER}
        self.temporary_protection_share = temporary_protection_share

    # -- households -------------------------------------------------------------------------

    def households(self, persons: int) -> Iterator[HouseholdPlan]:
        remaining = person_quotas(
            persons, self.table, temporary_protection_share=self.temporary_protection_share
        )
        keys = sorted(remaining)
        number = 0
        while keys:
            stratum = self.rng.choices(keys, weights=[remaining[k] for k in keys])[0]
            number += 1
            household = self._household(number, stratum[0], stratum[1], remaining[stratum])
            remaining[stratum] -= len(household.persons)
            if remaining[stratum] == 0:
                keys.remove(stratum)
            yield household

    def _household(self, number: int, stream: str, nationality: str, room: int) -> HouseholdPlan:
        rng = self.rng
        profile = PROFILES[nationality]
        variant = rng.choices(profile.variants, weights=[v.weight for v in profile.variants])[0]
        mix = {
            name: weight
            for name, weight in HOUSEHOLD_MIXES[profile.households].items()
            if MIN_SIZE[name] <= room
        }
        structure = rng.choices(list(mix), weights=list(mix.values()))[0]
        members = self._members(structure, stream, room)
        arrived, allocated = self._arrival(stream, structure)
        native = rng.random() < variant.native_script
        persons = self._name(members, POOLS[variant.pool], native, nationality, structure)
        household = HouseholdPlan(
            reference=f"{self.prefix}-{allocated.year}-{number:06d}",
            stream=stream,
            nationality=nationality,
            structure=structure,
            arrived=arrived,
            allocated=allocated,
            outcome="pending",
            decided=None,
            persons=[],
        )
        stay = (self.today - arrived).days
        for role, sex, age, (family, given) in persons:
            person = self._person(role, sex, age, family, given, nationality, profile, variant)
            # German learnt since arrival: school children soon, adults in courses later.
            if (6 <= age < 18 and stay > 180 and rng.random() < 0.85) or (
                age >= 18 and stay > 365 and rng.random() < 0.45
            ):
                person.languages.append("deu")
            household.persons.append(person)
        self._statuses(household)
        self._needs_and_consents(household)
        return household

    def _adult_age(self, low: int, high: int, mode: float) -> int:
        return round(self.rng.triangular(low, high, mode))

    def _child_sex(self) -> str:
        return "m" if self.rng.random() < 0.51 else "w"

    def _children(self, mother_age: int, count: int) -> list[int]:
        oldest = max(0, min(17, mother_age - 18))
        return sorted((self.rng.randint(0, oldest) for _ in range(count)), reverse=True)

    def _child_count(self, room: int, low: int = 1) -> int:
        count = self.rng.choices([1, 2, 3, 4, 5, 6], weights=[24, 30, 22, 13, 7, 4])[0]
        return max(low, min(count, room))

    def _members(self, structure: str, stream: str, room: int) -> list[tuple[str, str, int]]:
        """(role, sex, age) of each member; at most ``room`` members."""
        rng = self.rng
        ukraine = stream == TEMPORARY_PROTECTION
        if structure == "single_man":
            if ukraine:  # young men under 18 at departure, older men, or unfit for service
                age = rng.choice([self._adult_age(18, 24, 19), self._adult_age(60, 80, 64)])
            else:
                age = self._adult_age(18, 55, 24)
            return [(HEAD, "m", age)]
        if structure == "single_woman":
            return [(HEAD, "w", self._adult_age(18, 70, 30 if not ukraine else 40))]
        if structure in {"couple", "older_couple"}:
            low, high, mode = (19, 55, 28)
            if structure == "older_couple" or ukraine:
                low, high, mode = (58, 85, 66)
            man = self._adult_age(low, high, mode)
            return [(HEAD, "m", man), (PARTNER, "w", max(18, man - rng.randint(-2, 8)))]
        if structure in {"couple_children", "three_generations"}:
            man = self._adult_age(22, 56, 34)
            woman = max(19, man - rng.randint(-2, 9))
            extra = 1 if structure == "three_generations" else 0
            low = 3 if ukraine and structure == "couple_children" else 1
            count = self._child_count(room - 2 - extra, low=min(low, room - 2 - extra))
            members = [(HEAD, "m", man), (PARTNER, "w", woman)]
            members += [(CHILD, self._child_sex(), a) for a in self._children(woman, count)]
            if extra:
                grandmother = min(90, max(man, woman) + rng.randint(20, 32))
                members.append((RELATIVE, "w" if rng.random() < 0.8 else "m", grandmother))
            return members
        if structure in {"single_mother", "single_father"}:
            sex = "w" if structure == "single_mother" else "m"
            parent = self._adult_age(20, 52, 32)
            count = self._child_count(room - 1)
            members = [(HEAD, sex, parent)]
            return members + [(CHILD, self._child_sex(), a) for a in self._children(parent, count)]
        if structure == "siblings":
            first = self._adult_age(18, 35, 22)
            second = max(16, first - rng.randint(1, 8))
            return [(HEAD, self._child_sex(), first), (RELATIVE, self._child_sex(), second)]
        if structure == "grandmother":
            grandmother = self._adult_age(52, 82, 62)
            count = max(1, min(room - 1, rng.choice([1, 1, 2, 2, 3])))
            ages = sorted((rng.randint(3, 16) for _ in range(count)), reverse=True)
            return [(HEAD, "w", grandmother)] + [(RELATIVE, self._child_sex(), a) for a in ages]
        raise ValueError(structure)

    def _arrival(self, stream: str, structure: str) -> tuple[date, date]:
        rng = self.rng
        if stream == TEMPORARY_PROTECTION:
            span = (self.today - TEMPORARY_PROTECTION_START).days - 30
            # Most persons from Ukraine came in 2022; arrivals fall off over time.
            offset = int(span * rng.betavariate(1.0, 2.6))
            arrived = TEMPORARY_PROTECTION_START + timedelta(days=offset)
            allocated = arrived + timedelta(days=rng.randint(3, 45))
        else:
            # Asylum arrivals in the window, somewhat more in its first year (applications fell
            # after 2023); families leave initial reception sooner than single adults.
            offset = int((WINDOW_DAYS - 60) * rng.betavariate(1.0, 1.4))
            arrived = self.today - timedelta(days=WINDOW_DAYS) + timedelta(days=offset)
            longest = 120 if structure in {"couple_children", "single_mother"} else 300
            allocated = arrived + timedelta(days=rng.randint(14, longest))
        return arrived, min(allocated, self.today - timedelta(days=1))

    # -- names --------------------------------------------------------------------------------

    def _pick(self, names: tuple[Name, ...]) -> Name:
        return self.rng.choice(names)

    def _name(
        self,
        members: list[tuple[str, str, int]],
        pool: NamePool,
        native: bool,
        nationality: str,
        structure: str,
    ) -> list[tuple[str, str, int, tuple[str, str]]]:
        """Names by the pool's family-name convention (see :class:`NamePool`)."""
        rng = self.rng
        convention = pool.family_convention
        # The father of the household's children (present or not) and his family name.
        father_given = self._pick(pool.male)
        father_family = self._pick(pool.family)
        out: list[tuple[str, str, int, tuple[str, str]]] = []
        for role, sex, age in members:
            if role == HEAD and sex == "m":
                given = father_given
            else:
                given = self._pick(pool.male if sex == "m" else pool.female)
            family: Name
            if structure == "siblings":
                family = father_family
            elif convention == "patronym":
                if role == CHILD or (role == RELATIVE and age < 18):
                    family = father_given
                elif role == HEAD and sex == "m":
                    family = father_family
                else:
                    family = self._pick(pool.family)
            elif convention == "own" and (
                role == PARTNER or (role == RELATIVE and age >= 40) or (role == HEAD and sex != "m")
            ):
                family = self._pick(pool.family)
            else:
                family = father_family
            use_native = native and given.native is not None and family.native is not None
            family_text = family.written(use_native)
            if sex == "w":
                family_text = female_form(family_text, convention)
            given_text = given.written(use_native)
            if pool.middle_male and pool.middle_female:
                middle = self._pick(pool.middle_male if sex == "m" else pool.middle_female)
                given_text = f"{middle.latin} {given_text}"
            if nationality == "AFG" and age >= 18 and rng.random() < 0.05:
                # One-name persons: the name is recorded as family name, no given name.
                family_text, given_text = given_text, ""
            out.append((role, sex, age, (family_text, given_text)))
        return out

    # -- person -------------------------------------------------------------------------------

    def _person(
        self,
        role: str,
        sex: str,
        age: int,
        family: str,
        given: str,
        nationality: str,
        profile: Profile,
        variant: Variant,
    ) -> PersonPlan:
        rng = self.rng
        # A birthday in the year before the reference date's "age" anniversary.
        latest = _years_before(self.today, age)
        born = latest - timedelta(days=rng.randint(0, 364))
        month: int | None = born.month
        day: int | None = born.day
        draw = rng.random()
        if draw < profile.unknown_birth_day:
            month = day = None
        elif draw < profile.unknown_birth_day + 0.02:
            day = None
        if age >= 18 and rng.random() < 0.0015:
            sex = rng.choice(["d", "x"])
        languages = [variant.first_language]
        if age >= 6:
            for code, chance in variant.other_languages:
                if code not in languages and rng.random() < (chance if age >= 16 else chance / 2):
                    languages.append(code)
        return PersonPlan(
            family_name=family,
            given_names=given,
            birth_year=born.year,
            birth_month=month,
            birth_day=day,
            sex=sex,
            role=role,
            age=age,
            nationality=nationality,
            languages=languages,
        )

    # -- residence status ---------------------------------------------------------------------

    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def _statuses(self, household: HouseholdPlan) -> None:
        rng = self.rng
        today = self.today
        history: list[tuple[tuple[str, str], date]] = []
        if household.stream == TEMPORARY_PROTECTION:
            registered = min(household.arrived + self._days(1, 21), today)
            history.append((FIKTION, registered))
            permit = registered + self._days(20, 120)
            if permit <= today:
                history.append((TEMPORARY_PROTECTION_PERMIT, permit))
            household.outcome = TEMPORARY_PROTECTION
        else:
            applied = household.arrived + self._days(1, 14)
            history.append((ARRIVAL_CERTIFICATE, household.arrived))
            history.append((GESTATTUNG, applied))
            decided = applied + self._days(90, 540)
            if decided <= today - timedelta(days=7):
                weights = self.outcomes[household.nationality]
                outcome = rng.choices(list(weights), weights=list(weights.values()))[0]
                household.decided = decided
                household.outcome = outcome
                self._after_decision(household, outcome, decided, history)
        for person in household.persons:
            person.statuses = [StatusPlan(kind, basis, start) for (kind, basis), start in history]
            for previous, current in pairwise(person.statuses):
                previous.valid_to = current.valid_from - timedelta(days=1)

    def _after_decision(
        self,
        household: HouseholdPlan,
        outcome: str,
        decided: date,
        history: list[tuple[tuple[str, str], date]],
    ) -> None:
        today = self.today
        if outcome in OUTCOME_PERMITS:
            start = decided + self._days(14, 60)
            if start > today:
                return
            history.append((OUTCOME_PERMITS[outcome], start))
            renewal = start + timedelta(days=365)
            if outcome != "refugee" and outcome != "asylum" and renewal < today:
                # One-year permits (subsidiary protection, § 25 (3)) are renewed; while the
                # renewal is pending, a Fiktionsbescheinigung bridges the gap.
                if self.rng.random() < 0.3:
                    history.append((FIKTION, renewal))
                    renewal = renewal + self._days(20, 90)
                if renewal < today:
                    history.append((OUTCOME_PERMITS[outcome], renewal))
        elif outcome == "rejected":
            # A lawsuit keeps the Gestattung; after it, a Duldung (deportation suspended).
            start = decided + self._days(30, 300)
            if start > today:
                return
            history.append((DULDUNG, start))
            youngest_adult = min((p.age for p in household.persons if p.age >= 18), default=99)
            later = start + self._days(200, 500)
            if later < today and youngest_adult <= 30 and self.rng.random() < 0.2:
                basis = self.rng.choice(["60c", "60d"])
                history.append((("duldung", basis), later))
        # "formal" (e.g. Dublin, withdrawal) and pending: the Gestattung stays.

    # -- vulnerabilities and consents ---------------------------------------------------------

    def _noted(self, household: HouseholdPlan) -> date:
        return min(household.allocated + self._days(3, 120), self.today)

    def _needs_and_consents(self, household: HouseholdPlan) -> None:
        rng = self.rng
        today = self.today
        minors = any(p.age < 18 for p in household.persons)
        hardship = household.nationality in {"SYR", "AFG", "IRQ", "ERI", "SOM", "XXX", "UKR"}
        for person in household.persons:
            needs: list[str] = []
            adult = person.age >= 18
            if person.role == HEAD and minors and household.structure in SINGLE_PARENTS:
                needs.append("single_parent")
            if person.age >= 65 and rng.random() < 0.8:
                needs.append("elderly")
            if rng.random() < 0.03:
                needs.append("disability")
            if adult:
                if rng.random() < 0.02:
                    needs.append("serious_illness")
                if rng.random() < (0.06 if hardship else 0.03):
                    needs.append("mental_disorder")
                if rng.random() < (0.05 if hardship else 0.02):
                    needs.append("violence")
                if rng.random() < 0.005:
                    needs.append("lgbti")
                if person.sex == "w":
                    trafficking = 0.04 if household.nationality in {"NGA", "GIN"} else 0.002
                    if rng.random() < trafficking:
                        needs.append("trafficking")
                    if rng.random() < 0.015:
                        needs.append("gbv")
                    if person.age <= 42 and rng.random() < 0.03:
                        needs.append("pregnant")
            for category in needs:
                noted = self._noted(household)
                ended = None
                if category == "pregnant":
                    end = noted + self._days(60, 240)
                    ended = end if end < today else None
                person.vulnerabilities.append((category, noted, ended))
            if not adult:
                continue
            given = min(household.allocated + self._days(0, 30), today)
            for purpose, chance in (
                ("share_provider", 0.85),
                ("health_screening", 0.7),
                ("photo", 0.45),
                ("job_placement", 0.3 if household.protected and person.age < 64 else 0.0),
            ):
                if rng.random() < chance:
                    withdrawn = None
                    if rng.random() < 0.03:
                        end = given + self._days(30, 400)
                        withdrawn = end if end < today else None
                    person.consents.append((purpose, given, withdrawn))

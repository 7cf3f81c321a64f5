"""Who looks after a generated household: accommodation, casework, coaching, mentoring.

Works on database ids handed in as an :class:`OrgContext`, with its own random stream, so that
names and dates of a seed stay the same whichever organisations exist. No Django import.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ankommen.seeding.generator import (
    TEMPORARY_PROTECTION,
    HouseholdPlan,
    ResponsibilityPlan,
)

ACCOMMODATION = "accommodation"
CASEWORK = "casework"
MENTORING = "mentoring"
COACHING = "coaching"


@dataclass
class SiteSlot:
    id: int
    provider_id: int
    kind: str  # core.models.Site.Kind value
    capacity: int
    occupied: int = 0

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)


@dataclass
class Team:
    """A provider and, optionally, staff who take a share of its households personally."""

    provider_id: int
    weight: float = 1.0
    caseworkers: list[tuple[int, float]] = field(default_factory=list)
    personal_share: float = 0.0


@dataclass
class OrgContext:
    sites: list[SiteSlot]
    casework: list[Team]
    coaching: Team | None = None
    coaching_share: float = 0.0
    mentoring: Team | None = None
    mentoring_share: float = 0.0
    respect_capacity: bool = True
    # Persons with temporary protection who live in county accommodation (the rest rent
    # privately). ASSUMPTION for the demo.
    temporary_protection_housed: float = 0.35


class Assigner:
    def __init__(self, seed: int, context: OrgContext, *, reference_date: date) -> None:
        self.rng = random.Random(f"ankommen-org-{seed}")
        self.context = context
        self.today = reference_date
        self.regular = [s for s in context.sites if s.kind != "notunterkunft"]
        self.emergency = [s for s in context.sites if s.kind == "notunterkunft"]

    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def _site(
        self, size: int, *, past: bool = False, exclude: SiteSlot | None = None
    ) -> SiteSlot | None:
        """A site for ``size`` persons: now, in proportion to free places (emergency shelters
        only when the others are full); for a past stay, in proportion to capacity."""
        if past or not self.context.respect_capacity:
            candidates = [s for s in self.regular or self.emergency if s is not exclude]
            if not candidates:
                return None
            return self.rng.choices(candidates, weights=[s.capacity or 1 for s in candidates])[0]
        for group in (self.regular, self.emergency):
            fitting = [s for s in group if s.free >= size]
            if fitting:
                return self.rng.choices(fitting, weights=[s.free for s in fitting])[0]
        return None

    def _moved_out(self, household: HouseholdPlan) -> date | None:
        """When a household left county accommodation for a flat of its own, if it did."""
        rng = self.rng
        today = self.today
        if household.protected and household.decided is not None:
            earliest = max(household.decided, household.allocated) + timedelta(days=60)
            if earliest < today and rng.random() < 0.55:
                return earliest + self._days(0, (today - earliest).days)
        elif household.stream == TEMPORARY_PROTECTION and rng.random() < 0.4:
            earliest = household.allocated + timedelta(days=90)
            if earliest < today:
                return earliest + self._days(0, (today - earliest).days)
        return None

    def assign(self, household: HouseholdPlan) -> None:
        rng = self.rng
        moved_out: date | None = None
        housed = household.stream != TEMPORARY_PROTECTION or (
            rng.random() < self.context.temporary_protection_housed
        )
        if housed and self.context.sites:
            moved_out = self._moved_out(household)
            size = len(household.persons)
            site = self._site(size) if moved_out is None else self._site(size, past=True)
            if site is not None:
                start = household.allocated
                stay = ((moved_out or self.today) - start).days
                # Some long stays began at another site (moves between sites are common).
                if stay > 365 and rng.random() < 0.25:
                    previous = self._site(0, past=True, exclude=site)
                    if previous is not None:
                        move = start + self._days(60, stay - 30)
                        household.responsibilities.append(
                            ResponsibilityPlan(
                                ACCOMMODATION,
                                start,
                                move - timedelta(days=1),
                                provider_id=previous.provider_id,
                                site_id=previous.id,
                            )
                        )
                        start = move
                household.responsibilities.append(
                    ResponsibilityPlan(
                        ACCOMMODATION,
                        start,
                        moved_out,
                        provider_id=site.provider_id,
                        site_id=site.id,
                    )
                )
                if moved_out is None:
                    site.occupied += size
            else:
                moved_out = None
        self._casework(household, moved_out)

    def _casework(self, household: HouseholdPlan, moved_out: date | None) -> None:
        rng = self.rng
        today = self.today
        teams = self.context.casework
        if teams:
            team = rng.choices(teams, weights=[t.weight for t in teams])[0]
            begin = min(household.allocated + self._days(0, 14), today)
            end = None
            if moved_out is not None and rng.random() < 0.5:
                finish = moved_out + self._days(60, 240)
                end = finish if finish < today else None
            caseworker = None
            if team.caseworkers and rng.random() < team.personal_share:
                ids, weights = zip(*team.caseworkers, strict=True)
                caseworker = rng.choices(ids, weights=weights)[0]
            household.responsibilities.append(
                ResponsibilityPlan(CASEWORK, begin, end, team.provider_id, None, caseworker)
            )
        coaching = self.context.coaching
        adults_with_consent = any(
            purpose == "job_placement" and withdrawn is None
            for person in household.persons
            for purpose, _given, withdrawn in person.consents
        )
        if coaching and adults_with_consent and rng.random() < self.context.coaching_share:
            begin = min(household.allocated + self._days(90, 400), today)
            household.responsibilities.append(
                ResponsibilityPlan(
                    COACHING,
                    begin,
                    None,
                    coaching.provider_id,
                    None,
                    coaching.caseworkers[0][0] if coaching.caseworkers else None,
                )
            )
        mentoring = self.context.mentoring
        if mentoring and rng.random() < self.context.mentoring_share:
            begin = min(household.allocated + self._days(30, 200), today)
            household.responsibilities.append(
                ResponsibilityPlan(
                    MENTORING,
                    begin,
                    None,
                    mentoring.provider_id,
                    None,
                    mentoring.caseworkers[0][0] if mentoring.caseworkers else None,
                )
            )
            # Mentoring needs the head's consent to share data with volunteers.
            household.persons[0].consents.append(("share_volunteer", begin, None))

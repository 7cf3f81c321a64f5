import random
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from ankommen.core.models import Site
from ankommen.housing import selectors
from ankommen.housing.demo import build_rooms_and_occupancy
from ankommen.housing.models import Bed, BedStatus, Move, Occupancy, Room
from tests.factories import CountyFactory, ResponsibilityFactory, SiteFactory
from tests.housing.support import household

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def county_with_households():
    county = CountyFactory()
    gu = SiteFactory(county=county, kind=Site.Kind.SHARED_ACCOMMODATION, capacity=40)
    other = SiteFactory(county=county, kind=Site.Kind.SHARED_ACCOMMODATION, capacity=10)
    SiteFactory(county=county, kind=Site.Kind.OFFICE, capacity=0)
    rng = random.Random(5)
    homes = []
    for index in range(30):
        members = [("m" if rng.random() < 0.6 else "w", 1980 + index % 20)]
        if index % 3 == 0:
            members += [("w", 1982), ("m", 2015), ("w", 2019)][: 1 + index % 3]
        home, _persons = household(county, *members)
        start = TODAY - timedelta(days=rng.randint(30, 600))
        if index % 5 == 0:  # moved between the two sites
            middle = start + timedelta(days=20)
            ResponsibilityFactory(
                household=home, site=other, valid_from=start, valid_to=middle - timedelta(days=1)
            )
            start = middle
        end = TODAY - timedelta(days=5) if index % 7 == 0 else None
        ResponsibilityFactory(household=home, site=gu, valid_from=start, valid_to=end)
        homes.append(home)
    return county, gu, other, homes


def test_demo_rooms_hold_everyone_by_the_rules(county_with_households):
    county, gu, other, homes = county_with_households
    counts = build_rooms_and_occupancy(county, random.Random(1))
    assert counts["occupancies"] == Occupancy.objects.count() > 30
    assert Bed.objects.filter(room__site=gu).count() >= 40
    # One bed per person per day and one person per bed per day.
    for field in ("bed_id", "person_id"):
        spans = defaultdict(list)
        for row in Occupancy.objects.values(field, "valid_from", "valid_to"):
            spans[row[field]].append((row["valid_from"], row["valid_to"] or date.max))
        for items in spans.values():
            items.sort()
            for (_s1, e1), (s2, _e2) in pairwise(items):
                assert e1 <= s2
    # On any day a room holds one family, or single adults of one sex.
    for day in (TODAY, TODAY - timedelta(days=100), TODAY - timedelta(days=300)):
        by_room = defaultdict(list)
        for o in Occupancy.objects.on(day).select_related("person", "bed"):
            by_room[o.bed.room_id].append(o)
        for items in by_room.values():
            households = {o.household_id for o in items}
            if len(households) > 1:
                assert all(o.household.members.count() == 1 for o in items)
                assert len({o.person.sex for o in items}) == 1
    # Who is housed today is exactly who has an open responsibility.
    housed = set(Occupancy.objects.on(TODAY).values_list("household_id", flat=True))
    assert housed == {h.pk for i, h in enumerate(homes) if i % 7 != 0}
    assert Move.objects.filter(kind=Move.Kind.TRANSFER).count() == 6
    assert Move.objects.filter(kind=Move.Kind.MOVE_OUT).count() == 5
    assert (
        not BedStatus.objects.filter(bed__occupancies__isnull=False)
        .exclude(state=Bed.State.IN_USE)
        .exists()
    )
    figures = selectors.figures_on([gu.pk, other.pk], TODAY)
    assert figures[gu.pk].occupied == Occupancy.objects.on(TODAY).count()


def test_demo_is_idempotent(county_with_households):
    county, *_rest = county_with_households
    build_rooms_and_occupancy(county, random.Random(1))
    rooms = Room.objects.count()
    assert build_rooms_and_occupancy(county, random.Random(2))["rooms"] == 0
    assert Room.objects.count() == rooms

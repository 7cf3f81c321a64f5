from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Role, Scope, Site
from ankommen.housing import selectors, services
from ankommen.housing.models import Bed, BedStatus, Move, Occupancy, Room
from ankommen.people.models import Responsibility
from ankommen.people.timeline import timeline_for
from tests.housing.support import beds_of, facility, household, room, shelter_manager, staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = date(2024, 3, 1)


@pytest.fixture
def county():
    from tests.factories import CountyFactory

    return CountyFactory()


@pytest.fixture
def caseworker(county):
    return staff(county, Role.COUNTY_CASEWORKER).user


# --- rooms and beds -------------------------------------------------------------------------


def test_a_room_gets_labelled_beds_usable_from_its_day(county, caseworker):
    site = facility(county)
    created = services.create_room(
        actor=caseworker, site=site, number=" 1.04 ", floor="1", beds=3, valid_from=D
    )
    assert created.number == "1.04"
    assert [bed.label for bed in beds_of(site, "1.04")] == ["A", "B", "C"]
    assert set(BedStatus.objects.values_list("state", "valid_from")) == {(Bed.State.IN_USE, D)}
    assert selectors.figures_on([site.pk], D)[site.pk].in_use == 3
    assert selectors.figures_on([site.pk], D - timedelta(days=1)).get(site.pk) is None
    assert AuditEvent.objects.filter(object_type="housing.room", action="create").count() == 1


def test_a_room_number_is_unique_in_its_facility(county, caseworker):
    site = facility(county, rooms={"101": 2})
    with pytest.raises(ValidationError) as error:
        services.create_room(actor=caseworker, site=site, number="101", beds=1)
    assert "gibt es hier schon" in str(error.value)
    assert Room.objects.count() == 1


@pytest.mark.parametrize("beds", [-1, 21])
def test_impossible_bed_counts_are_refused(county, caseworker, beds):
    site = facility(county)
    with pytest.raises(ValidationError) as error:
        services.create_room(actor=caseworker, site=site, number="1", beds=beds)
    assert "Betten" in str(error.value)
    assert not Room.objects.exists()


def test_rooms_only_in_accommodation(county, caseworker):
    office = facility(county, kind=Site.Kind.OFFICE)
    with pytest.raises(ValidationError, match="keine Unterkunft"):
        services.create_room(actor=caseworker, site=office, number="1", beds=1)


def test_a_shelter_manager_manages_only_their_own_facility(county):
    own = facility(county, rooms={"1": 1})
    other = facility(county, rooms={"1": 1})
    manager = shelter_manager(own).user
    services.create_room(actor=manager, site=own, number="2", beds=2)
    with pytest.raises(PermissionDenied):
        services.create_room(actor=manager, site=other, number="2", beds=2)
    with pytest.raises(PermissionDenied):
        services.hold_bed(actor=manager, bed=beds_of(other, "1")[0], day=TODAY, reason="x")
    assert not Room.objects.filter(site=other, number="2").exists()
    assert Bed.objects.get(room__site=other).state == Bed.State.IN_USE


@pytest.mark.parametrize(
    "role", [Role.PLANNER, Role.PROVIDER_CASEWORKER, Role.VOLUNTEER, Role.AUDITOR]
)
def test_roles_without_accommodation_rights_cannot_create_rooms(county, role):
    site = facility(county)
    user = staff(county, role).user
    with pytest.raises(PermissionDenied):
        services.create_room(actor=user, site=site, number="1", beds=1)
    assert not Room.objects.exists()


def test_held_and_closed_beds_are_dated(county, caseworker):
    site = facility(county, rooms={"1": 3}, since=D)
    a, b, _c = beds_of(site, "1")
    services.hold_bed(actor=caseworker, bed=a, day=D + timedelta(days=10), reason="Vorhaltung")
    services.close_bed(actor=caseworker, bed=b, day=D + timedelta(days=20), reason="Sanierung")
    services.open_bed(actor=caseworker, bed=b, day=D + timedelta(days=40))
    on = selectors.figures_on
    assert on([site.pk], D + timedelta(days=5))[site.pk].as_dict() == {
        "beds": 3,
        "in_use": 3,
        "occupied": 0,
        "free": 3,
        "reserved": 0,
        "closed": 0,
        "fill_rate": 0,
    }
    day25 = on([site.pk], D + timedelta(days=25))[site.pk]
    assert (day25.in_use, day25.reserved, day25.closed) == (1, 1, 1)
    day45 = on([site.pk], D + timedelta(days=45))[site.pk]
    assert (day45.in_use, day45.reserved, day45.closed) == (2, 1, 0)
    assert Bed.objects.get(pk=b.pk).state == Bed.State.IN_USE


def test_holding_or_closing_needs_a_reason(county, caseworker):
    bed = beds_of(facility(county, rooms={"1": 1}), "1")[0]
    with pytest.raises(ValidationError, match="Grund"):
        services.close_bed(actor=caseworker, bed=bed, day=TODAY, reason="  ")


def test_an_occupied_bed_cannot_be_closed(county, caseworker):
    site = facility(county, rooms={"1": 1})
    bed = beds_of(site, "1")[0]
    _home, (person,) = household(county, ("w", 1990))
    services.assign_bed(actor=caseworker, person=person, bed=bed, valid_from=TODAY)
    with pytest.raises(ValidationError, match="belegt"):
        services.close_bed(actor=caseworker, bed=bed, day=TODAY, reason="Sanierung")
    assert Bed.objects.get(pk=bed.pk).state == Bed.State.IN_USE


def test_a_state_change_before_the_current_state_is_refused(county, caseworker):
    bed = beds_of(facility(county, rooms={"1": 1}, since=D), "1")[0]
    services.close_bed(actor=caseworker, bed=bed, day=D + timedelta(days=10), reason="Sanierung")
    with pytest.raises(ValidationError, match="danach"):
        services.open_bed(actor=caseworker, bed=bed, day=D + timedelta(days=5))


def test_facility_features_are_replaced_and_unknown_codes_refused(county, caseworker):
    site = facility(county)
    services.set_facility_features(actor=caseworker, site=site, features=["psychosocial"])
    codes = services.set_facility_features(
        actor=caseworker, site=site, features=["childcare", "psychosocial"]
    )
    assert codes == ["childcare", "psychosocial"]
    with pytest.raises(ValidationError, match="Unbekanntes Merkmal"):
        services.set_facility_features(actor=caseworker, site=site, features=["pool"])
    assert sorted(site.features.values_list("code", flat=True)) == codes


# --- assigning beds -------------------------------------------------------------------------


def test_assigning_a_bed_writes_occupancy_responsibility_move_and_audit(county, caseworker):
    site = facility(county, rooms={"1": 2})
    home, (person,) = household(county, ("w", 1990))
    manager = shelter_manager(site).user
    assert not access.can_reach(manager, Action.VIEW_PERSON, home)

    occupancy = services.assign_bed(
        actor=caseworker, person=person, bed=beds_of(site, "1")[0], valid_from=TODAY
    )

    assert occupancy.valid_to is None
    responsibility = Responsibility.objects.get(household=home)
    assert responsibility.kind == Responsibility.Kind.ACCOMMODATION
    assert (responsibility.site, responsibility.provider) == (site, site.provider)
    assert access.can_reach(manager, Action.VIEW_PERSON, home)
    move = Move.objects.get(household=home)
    assert (move.kind, move.to_site, move.day) == (Move.Kind.MOVE_IN, site, TODAY)
    assert AuditEvent.objects.filter(
        object_type="housing.occupancy", action="create", person_id=person.pk
    ).exists()


def test_an_occupied_bed_is_refused_in_german(county, caseworker):
    bed = beds_of(facility(county, rooms={"1": 1}), "1")[0]
    _h1, (first,) = household(county, ("w", 1990))
    _h2, (second,) = household(county, ("w", 1991))
    services.assign_bed(actor=caseworker, person=first, bed=bed, valid_from=TODAY)
    with pytest.raises(ValidationError) as error:
        services.assign_bed(actor=caseworker, person=second, bed=bed, valid_from=TODAY)
    assert "bereits belegt" in str(error.value)
    assert Occupancy.objects.filter(person=second).count() == 0


@pytest.mark.parametrize("state", [Bed.State.RESERVED, Bed.State.CLOSED])
def test_held_or_closed_beds_take_nobody(county, caseworker, state):
    bed = beds_of(facility(county, rooms={"1": 1}), "1")[0]
    services.set_bed_state(actor=caseworker, bed=bed, state=state, day=TODAY, reason="x")
    _home, (person,) = household(county, ("w", 1990))
    with pytest.raises(ValidationError, match="nicht belegbar"):
        services.assign_bed(actor=caseworker, person=person, bed=bed, valid_from=TODAY)


def test_a_bed_closed_later_cannot_be_assigned_before_that(county, caseworker):
    bed = beds_of(facility(county, rooms={"1": 1}, since=D), "1")[0]
    services.close_bed(actor=caseworker, bed=bed, day=D + timedelta(days=30), reason="Sanierung")
    services.open_bed(actor=caseworker, bed=bed, day=D + timedelta(days=60))
    _home, (person,) = household(county, ("w", 1990))
    with pytest.raises(ValidationError, match="nicht belegbar"):
        services.assign_bed(actor=caseworker, person=person, bed=bed, valid_from=D)


def test_the_database_constraint_decides_when_the_checks_were_passed(
    county, caseworker, monkeypatch
):
    """The application check can be outrun by a concurrent request; then the partial unique
    constraint refuses the second open occupancy and the service says so in German."""
    bed = beds_of(facility(county, rooms={"1": 1}), "1")[0]
    _h1, (first,) = household(county, ("w", 1990))
    _h2, (second,) = household(county, ("w", 1991))
    services.assign_bed(actor=caseworker, person=first, bed=bed, valid_from=TODAY)
    monkeypatch.setattr(services, "_check_bed_usable", lambda *args, **kwargs: None)
    with pytest.raises(ValidationError) as error:
        services.assign_bed(actor=caseworker, person=second, bed=bed, valid_from=TODAY)
    assert "gerade anderweitig vergeben" in str(error.value)
    assert not Occupancy.objects.filter(person=second).exists()
    assert not Responsibility.objects.filter(household=second.household).exists()


def test_the_constraint_holds_without_the_service(county):
    bed = beds_of(facility(county, rooms={"1": 1}), "1")[0]
    _h1, (first,) = household(county, ("w", 1990))
    _h2, (second,) = household(county, ("w", 1991))
    common = {"county": county, "bed": bed, "valid_from": TODAY, "move_in_reason": "allocation"}
    Occupancy.objects.create(person=first, household=first.household, **common)
    with pytest.raises(IntegrityError):
        Occupancy.objects.create(person=second, household=second.household, **common)


def test_a_shelter_manager_cannot_take_in_a_household_outside_their_reach(county):
    site = facility(county, rooms={"1": 1})
    manager = shelter_manager(site).user
    _home, (person,) = household(county, ("w", 1990))
    with pytest.raises(PermissionDenied):
        services.assign_bed(
            actor=manager, person=person, bed=beds_of(site, "1")[0], valid_from=TODAY
        )
    assert not Occupancy.objects.exists()


def test_a_booked_bed_for_an_announced_arrival(county, caseworker):
    site = facility(county, rooms={"1": 1})
    bed = beds_of(site, "1")[0]
    _home, (person,) = household(county, ("m", 1990))
    arrival = TODAY + timedelta(days=7)
    services.assign_bed(actor=caseworker, person=person, bed=bed, valid_from=arrival)
    assert selectors.figures_on([site.pk], TODAY)[site.pk].occupied == 0
    assert selectors.figures_on([site.pk], arrival)[site.pk].occupied == 1
    # Staff of the facility see the household from today on, to prepare the bed.
    assert access.can_reach(shelter_manager(site).user, Action.VIEW_PERSON, person.household)
    _other, (late,) = household(county, ("m", 1991))
    with pytest.raises(ValidationError, match="bereits belegt"):
        services.assign_bed(actor=caseworker, person=late, bed=bed, valid_from=TODAY)


def test_dates_more_than_a_year_ahead_are_refused(county, caseworker):
    bed = beds_of(facility(county, rooms={"1": 1}), "1")[0]
    _home, (person,) = household(county, ("m", 1990))
    with pytest.raises(ValidationError, match="Jahr"):
        services.assign_bed(
            actor=caseworker, person=person, bed=bed, valid_from=TODAY + timedelta(days=400)
        )


# --- moves ----------------------------------------------------------------------------------


@pytest.fixture
def two_facilities(county):
    first = facility(county, name="GU Beeskow", rooms={"1": 4}, since=date(2022, 1, 1))
    second = facility(county, name="GU Storkow", rooms={"7": 4}, since=date(2022, 1, 1))
    return first, second


def test_moving_a_household_ends_and_starts_everything_on_the_day(
    county, caseworker, two_facilities
):
    first, second = two_facilities
    home, _persons = household(county, ("w", 1985), ("m", 1984), ("w", 2015))
    services.move_household(
        actor=caseworker,
        household=home,
        day=D,
        reason=Move.Reason.ALLOCATION,
        rooms=[room(first, "1")],
    )
    move_day = D + timedelta(days=30)
    move = services.move_household(
        actor=caseworker,
        household=home,
        day=move_day,
        reason=Move.Reason.HEALTH,
        note="Erdgeschoss nötig",
        rooms=[room(second, "7")],
    )
    assert (move.kind, move.from_site, move.to_site) == (Move.Kind.TRANSFER, first, second)
    ended = Occupancy.objects.filter(household=home, bed__room__site=first)
    assert {(o.valid_from, o.valid_to, o.move_out_reason) for o in ended} == {
        (D, move_day, Occupancy.MoveOutReason.TRANSFER)
    }
    rows = Responsibility.objects.filter(household=home).order_by("valid_from")
    assert [(r.site, r.valid_from, r.valid_to) for r in rows] == [
        (first, D, move_day - timedelta(days=1)),
        (second, move_day, None),
    ]
    assert access.can_reach(shelter_manager(second).user, Action.VIEW_PERSON, home)
    assert not access.can_reach(shelter_manager(first).user, Action.VIEW_PERSON, home)


def test_occupancy_on_past_days_is_exact(county, caseworker, two_facilities):
    first, second = two_facilities
    services.create_room(actor=None, site=second, number="8", beds=3, valid_from=date(2022, 1, 1))
    home, _members = household(county, ("w", 1985), ("w", 2016))
    _single, (single,) = household(county, ("m", 1990))
    services.move_household(
        actor=caseworker,
        household=home,
        day=D,
        reason=Move.Reason.ALLOCATION,
        rooms=[room(first, "1")],
    )
    services.assign_bed(actor=caseworker, person=single, bed=beds_of(second, "7")[0], valid_from=D)
    services.move_household(
        actor=caseworker,
        household=home,
        day=D + timedelta(days=10),
        reason=Move.Reason.FAMILY,
        rooms=[room(second, "8")],
    )
    services.move_out(
        actor=caseworker, household=home, day=D + timedelta(days=20), reason=Move.Reason.FLAT
    )

    def where(day):
        return sorted(
            (o.person.given_names, o.bed.room.site.name)
            for o in selectors.occupancy_on(actor=caseworker, day=day)
        )

    assert where(D - timedelta(days=1)) == []
    assert where(D) == [("P0", "GU Beeskow"), ("P0", "GU Storkow"), ("P1", "GU Beeskow")]
    assert where(D + timedelta(days=9)) == where(D)
    assert where(D + timedelta(days=10)) == [
        ("P0", "GU Storkow"),
        ("P0", "GU Storkow"),
        ("P1", "GU Storkow"),
    ]
    assert where(D + timedelta(days=20)) == [("P0", "GU Storkow")]
    assert (
        selectors.figures_on([first.pk, second.pk], D + timedelta(days=15))[second.pk].occupied == 3
    )


def test_occupancy_on_shows_a_shelter_manager_only_their_facility(
    county, caseworker, two_facilities
):
    first, second = two_facilities
    _h1, (a,) = household(county, ("w", 1990))
    _h2, (b,) = household(county, ("w", 1991))
    services.assign_bed(actor=caseworker, person=a, bed=beds_of(first, "1")[0], valid_from=D)
    services.assign_bed(actor=caseworker, person=b, bed=beds_of(second, "7")[0], valid_from=D)
    seen = selectors.occupancy_on(actor=shelter_manager(first).user, day=TODAY)
    assert [o.person for o in seen] == [a]
    planner = staff(county, Role.PLANNER).user
    assert not selectors.occupancy_on(actor=planner, day=TODAY).exists()


def test_a_move_on_the_move_in_day_corrects_instead_of_moving(county, caseworker, two_facilities):
    first, second = two_facilities
    home, (person,) = household(county, ("w", 1990))
    services.assign_bed(actor=caseworker, person=person, bed=beds_of(first, "1")[0], valid_from=D)
    services.move_household(
        actor=caseworker,
        household=home,
        day=D,
        reason=Move.Reason.OTHER,
        note="Verwechslung",
        rooms=[room(second, "7")],
    )
    assert list(Occupancy.objects.values_list("bed__room__site", "valid_from", "valid_to")) == [
        (second.pk, D, None)
    ]


def test_backdating_over_a_later_stay_is_refused(county, caseworker, two_facilities):
    first, second = two_facilities
    home, (person,) = household(county, ("w", 1990))
    services.assign_bed(actor=caseworker, person=person, bed=beds_of(first, "1")[0], valid_from=D)
    services.move_household(
        actor=caseworker,
        household=home,
        day=D + timedelta(days=30),
        reason=Move.Reason.REQUEST,
        rooms=[room(second, "7")],
    )
    with pytest.raises(ValidationError, match="schon ein Einzug"):
        services.move_household(
            actor=caseworker,
            household=home,
            day=D + timedelta(days=10),
            reason=Move.Reason.REQUEST,
            rooms=[room(first, "1")],
        )


def test_a_household_stays_in_one_facility(county, caseworker, two_facilities):
    first, second = two_facilities
    home, (a, b) = household(county, ("w", 1990), ("m", 1990))
    with pytest.raises(ValidationError, match="einer Unterkunft"):
        services.move_household(
            actor=caseworker,
            household=home,
            day=TODAY,
            reason=Move.Reason.ALLOCATION,
            beds={a.pk: beds_of(first, "1")[0], b.pk: beds_of(second, "7")[0]},
        )
    assert not Occupancy.objects.exists()


def test_too_few_free_beds_are_named(county, caseworker):
    site = facility(county, rooms={"1": 1})
    home, _persons = household(county, ("w", 1990), ("m", 1990))
    with pytest.raises(ValidationError, match="1 frei, 2 Personen"):
        services.move_household(
            actor=caseworker,
            household=home,
            day=TODAY,
            reason=Move.Reason.ALLOCATION,
            room=room(site, "1"),
        )


def test_moving_out_to_a_county_flat(county, caseworker, two_facilities):
    first, _second = two_facilities
    flat = facility(county, name="Wohnung Lindenstraße 3", kind=Site.Kind.APARTMENT)
    home, _persons = household(county, ("w", 1985), ("w", 2015))
    services.move_household(
        actor=caseworker,
        household=home,
        day=D,
        reason=Move.Reason.ALLOCATION,
        rooms=[room(first, "1")],
    )
    services.mark_ready_for_flat(actor=caseworker, household=home, day=D + timedelta(days=100))
    out = D + timedelta(days=200)
    move = services.move_out(
        actor=caseworker, household=home, day=out, reason=Move.Reason.FLAT, flat=flat
    )
    assert (move.kind, move.from_site, move.to_site) == (Move.Kind.MOVE_OUT, first, flat)
    assert set(Occupancy.objects.values_list("valid_to", "move_out_reason")) == {
        (out, Occupancy.MoveOutReason.FLAT)
    }
    open_rows = Responsibility.objects.filter(household=home, valid_to__isnull=True)
    assert [r.site for r in open_rows] == [flat]
    assert not home.flat_readiness.filter(valid_to__isnull=True).exists()
    assert selectors.figures_on([first.pk], out)[first.pk].occupied == 0


def test_moving_out_needs_a_bed_and_a_fitting_reason(county, caseworker):
    home, _persons = household(county, ("w", 1990))
    with pytest.raises(ValidationError, match="kein Bett"):
        services.move_out(actor=caseworker, household=home, day=TODAY)
    with pytest.raises(ValidationError, match="Grund"):
        services.move_out(actor=caseworker, household=home, day=TODAY, reason=Move.Reason.HEALTH)


def test_moves_appear_in_the_household_timeline(county, caseworker, two_facilities):
    first, second = two_facilities
    home, members = household(county, ("w", 1990))
    services.assign_bed(
        actor=caseworker, person=members[0], bed=beds_of(first, "1")[0], valid_from=D
    )
    services.move_household(
        actor=caseworker,
        household=home,
        day=D + timedelta(days=5),
        reason=Move.Reason.PROTECTION,
        rooms=[room(second, "7")],
    )
    services.move_out(actor=caseworker, household=home, day=D + timedelta(days=9))
    titles = [entry.title for entry in timeline_for(home, members, caseworker)]
    assert "Einzug in GU Beeskow (Zuweisung an den Landkreis)" in titles
    assert "Umzug von GU Beeskow nach GU Storkow (Schutz oder Konflikt)" in titles
    assert "Auszug aus GU Storkow (Wohnung bezogen)" in titles


# --- shelter phase --------------------------------------------------------------------------


def test_households_past_the_target_length_and_ready_for_a_flat(
    county, caseworker, settings, two_facilities
):
    settings.ANKOMMEN_SHELTER_TARGET_MONTHS = 6
    first, second = two_facilities
    day = date(2024, 12, 1)
    long_ready, _ = household(county, ("m", 1979), reference="LANG-BEREIT")
    long_not_ready, _ = household(county, ("m", 1980), reference="LANG")
    short_ready, _ = household(county, ("m", 1981), reference="KURZ")
    moved, _ = household(county, ("m", 1982), reference="UMGEZOGEN")
    starts = {
        long_ready: date(2024, 1, 10),
        long_not_ready: date(2024, 2, 1),
        short_ready: date(2024, 7, 1),
        moved: date(2024, 5, 1),
    }
    for home, start in starts.items():
        services.move_household(
            actor=caseworker,
            household=home,
            day=start,
            reason=Move.Reason.ALLOCATION,
            rooms=[room(first, "1")],
        )
    # A move between shared facilities does not restart the phase.
    services.move_household(
        actor=caseworker,
        household=moved,
        day=date(2024, 8, 1),
        reason=Move.Reason.CAPACITY,
        rooms=[room(second, "7")],
    )
    for home in (long_ready, short_ready, moved):
        services.mark_ready_for_flat(actor=caseworker, household=home, day=date(2024, 11, 1))

    stays = selectors.shelter_stays(actor=caseworker, day=day)
    assert [(s.household.reference, s.since, s.months) for s in stays] == [
        ("LANG-BEREIT", date(2024, 1, 10), 10),
        ("UMGEZOGEN", date(2024, 5, 1), 7),
    ]
    assert stays[1].site == second
    everyone = selectors.shelter_stays(actor=caseworker, day=day, ready_only=False)
    assert [s.household.reference for s in everyone] == ["LANG-BEREIT", "LANG", "UMGEZOGEN"]
    assert [s.ready_since is not None for s in everyone] == [True, False, True]
    settings.ANKOMMEN_SHELTER_TARGET_MONTHS = 12
    assert selectors.shelter_stays(actor=caseworker, day=day) == []


def test_a_stay_broken_by_a_flat_starts_again(county, caseworker, two_facilities):
    first, _second = two_facilities
    home, _ = household(county, ("w", 1980))
    services.move_household(
        actor=caseworker,
        household=home,
        day=date(2023, 1, 1),
        reason=Move.Reason.ALLOCATION,
        rooms=[room(first, "1")],
    )
    services.move_out(actor=caseworker, household=home, day=date(2023, 6, 1))
    services.move_household(
        actor=caseworker,
        household=home,
        day=date(2024, 10, 1),
        reason=Move.Reason.OTHER,
        note="Rückkehr",
        rooms=[room(first, "1")],
    )
    services.mark_ready_for_flat(actor=caseworker, household=home, day=date(2024, 10, 2))
    assert selectors.shelter_stays(actor=caseworker, day=date(2024, 12, 1)) == []
    [stay] = selectors.shelter_stays(actor=caseworker, day=date(2025, 5, 1))
    assert stay.since == date(2024, 10, 1)


def test_the_shelter_list_shows_a_shelter_manager_only_their_households(
    county, caseworker, two_facilities
):
    first, second = two_facilities
    own, _ = household(county, ("w", 1980))
    other, _ = household(county, ("w", 1981))
    for home, site in ((own, first), (other, second)):
        services.move_household(
            actor=caseworker,
            household=home,
            day=date(2023, 1, 1),
            reason=Move.Reason.ALLOCATION,
            rooms=[room(site, "1" if site == first else "7")],
        )
    stays = selectors.shelter_stays(actor=shelter_manager(first).user, ready_only=False)
    assert [s.household for s in stays] == [own]
    assert selectors.shelter_stays(actor=staff(county, Role.PLANNER).user, ready_only=False) == []


def test_readiness_needs_rights_on_the_household(county):
    site = facility(county, rooms={"1": 1})
    home, _ = household(county, ("w", 1980))
    with pytest.raises(PermissionDenied):
        services.mark_ready_for_flat(actor=shelter_manager(site).user, household=home, day=TODAY)
    volunteer = staff(county, Role.VOLUNTEER, Scope.COUNTY).user
    with pytest.raises(PermissionDenied):
        services.mark_ready_for_flat(actor=volunteer, household=home, day=TODAY)
    assert not home.flat_readiness.exists()


# --- room rules -----------------------------------------------------------------------------


@pytest.fixture
def shared_room(county, caseworker):
    """Room 1 (3 beds) with a single man; room 2 (2 beds, women only) empty."""
    site = facility(county, rooms={"1": 3}, since=date(2022, 1, 1))
    services.create_room(
        actor=None, site=site, number="2", beds=2, women_only=True, valid_from=date(2022, 1, 1)
    )
    _home, (man,) = household(county, ("m", 1990))
    services.assign_bed(actor=caseworker, person=man, bed=beds_of(site, "1")[0], valid_from=D)
    return site


def test_single_adults_share_only_with_their_own_sex(county, caseworker, shared_room):
    _h1, (other_man,) = household(county, ("m", 1995))
    services.assign_bed(
        actor=caseworker, person=other_man, bed=beds_of(shared_room, "1")[1], valid_from=D
    )
    _h2, (woman,) = household(county, ("w", 1995))
    with pytest.raises(ValidationError, match="gleichen Geschlechts"):
        services.assign_bed(
            actor=caseworker, person=woman, bed=beds_of(shared_room, "1")[2], valid_from=D
        )
    _h3, (diverse,) = household(county, ("d", 1995))
    with pytest.raises(ValidationError, match="gleichen Geschlechts"):
        services.assign_bed(
            actor=caseworker, person=diverse, bed=beds_of(shared_room, "1")[2], valid_from=D
        )
    _h4, (boy,) = household(county, ("m", TODAY.year - 16))
    with pytest.raises(ValidationError, match="gleichen Geschlechts"):
        services.assign_bed(
            actor=caseworker, person=boy, bed=beds_of(shared_room, "1")[2], valid_from=TODAY
        )


def test_a_family_does_not_move_in_with_strangers(county, caseworker, shared_room):
    home, _members = household(county, ("w", 1985), ("m", 2016))
    with pytest.raises(ValidationError, match="eigene Zimmer"):
        services.move_household(
            actor=caseworker,
            household=home,
            day=D,
            reason=Move.Reason.ALLOCATION,
            rooms=[room(shared_room, "1")],
        )
    assert not Occupancy.objects.filter(household=home).exists()


def test_rooms_for_women_take_no_adult_men(county, caseworker, shared_room):
    _h, (man,) = household(county, ("m", 1990))
    with pytest.raises(ValidationError, match="nur für Frauen"):
        services.assign_bed(
            actor=caseworker, person=man, bed=beds_of(shared_room, "2")[0], valid_from=D
        )
    mother_and_son, _members = household(county, ("w", 1985), ("m", TODAY.year - 8))
    services.move_household(
        actor=caseworker,
        household=mother_and_son,
        day=TODAY,
        reason=Move.Reason.ALLOCATION,
        rooms=[room(shared_room, "2")],
    )
    assert Occupancy.objects.filter(household=mother_and_son).count() == 2


def test_the_room_list_offers_only_fitting_rooms(county, caseworker, shared_room):
    family, _members = household(county, ("w", 1985), ("m", 2016))
    _single, (man,) = household(county, ("m", 1990))
    offered = {
        r.number
        for r in selectors.free_rooms(actor=caseworker, county=county, day=TODAY, household=family)
    }
    assert offered == {"2"}
    offered = {
        r.number
        for r in selectors.free_rooms(
            actor=caseworker, county=county, day=TODAY, household=man.household
        )
    }
    assert offered == {"1"}

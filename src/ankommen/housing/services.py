"""Writes of the housing app: facilities, rooms, beds, bed assignments, moves, flat readiness.

Each function checks access, validates (German messages, nothing written on error), writes in
one transaction and records audit events.

Lock order (so that concurrent requests cannot deadlock on PostgreSQL): a service first does all
its housing writes — occupancy inserts, bed row locks, responsibilities, moves — and records its
audit events last. ``record_event`` locks the one head of the audit chain until commit; a
transaction holding that lock therefore never waits for a row another writer holds.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Municipality, Provider, Site
from ankommen.housing.models import (
    ACCOMMODATION_KINDS,
    FLAT_KINDS,
    Bed,
    BedStatus,
    FacilityFeature,
    Feature,
    FlatReadiness,
    Move,
    Occupancy,
    Room,
)
from ankommen.housing.selectors import room_problems
from ankommen.people.models import Household, Person, Responsibility

if TYPE_CHECKING:
    from ankommen.core.models import County, User

TRANSFER_REASONS = frozenset(
    {
        Move.Reason.REQUEST,
        Move.Reason.FAMILY,
        Move.Reason.PROTECTION,
        Move.Reason.HEALTH,
        Move.Reason.CLOSURE,
        Move.Reason.CAPACITY,
        Move.Reason.OTHER,
    }
)
MOVE_OUT_REASONS: Mapping[str, str] = {
    Move.Reason.FLAT: Occupancy.MoveOutReason.FLAT,
    Move.Reason.REDISTRIBUTION: Occupancy.MoveOutReason.REDISTRIBUTION,
    Move.Reason.DEPARTURE: Occupancy.MoveOutReason.DEPARTURE,
    Move.Reason.OTHER: Occupancy.MoveOutReason.OTHER,
}
MAX_BEDS_PER_ROOM = 20
# How far ahead a dated event may lie (a booked bed for an announced arrival, a planned move).
MAX_DAYS_AHEAD = 366


# --------------------------------------------------------------------------------------------
# Helpers


@dataclass
class _Audit:
    """Audit events collected during a service and written at its end (see the lock order)."""

    actor: User | None
    events: list[dict[str, Any]] = field(default_factory=list)

    def add(self, action: str, obj: models.Model, **kwargs: Any) -> None:
        self.events.append({"action": action, "obj": obj, **kwargs})

    def flush(self) -> None:
        for event in self.events:
            record_event(actor=self.actor, **event)
        self.events.clear()


class BedTaken(ValidationError):
    """The bed was taken by someone else (at the same moment or before): the caller may show a
    conflict (HTTP 409) rather than a mistake in its input."""


def _today() -> date:
    return timezone.localdate()


def _require_site(actor: User | None, site: Site) -> None:
    """``actor=None`` is the system (demo data, commands run by an operator)."""
    if actor is not None:
        access.require_site(actor, Action.MANAGE_ACCOMMODATION, site)


def _require_household(actor: User | None, household: Household) -> None:
    if actor is not None:
        access.require_reach(actor, Action.MANAGE_ACCOMMODATION, household)


def _clean_day(day: object, field_name: str) -> date:
    if not isinstance(day, date):
        raise ValidationError({field_name: _("Bitte ein Datum angeben.")})
    if day > _today() + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({field_name: _("Das Datum liegt mehr als ein Jahr in der Zukunft.")})
    return day


def _clean_text(value: str, field_name: str, *, limit: int, required: bool, label: str) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError({field_name: _("Bitte %(label)s angeben.") % {"label": label}})
    if len(text) > limit:
        raise ValidationError(
            {
                field_name: _("%(label)s ist zu lang (%(n)d Zeichen, höchstens %(max)d).")
                % {"label": label, "n": len(text), "max": limit}
            }
        )
    if any(ch in text for ch in "<>{}\x00"):
        raise ValidationError({field_name: _("Der Text enthält unzulässige Zeichen (< > { }).")})
    return text


def _require_accommodation(site: Site) -> None:
    if site.kind not in ACCOMMODATION_KINDS:
        raise ValidationError({"site": _("„%(site)s“ ist keine Unterkunft.") % {"site": site.name}})


def _bed_labels(existing: Iterable[str], count: int) -> list[str]:
    """Next free labels A, B, … Z, then A2, B2, …"""
    taken = set(existing)
    labels: list[str] = []
    round_ = 1
    while len(labels) < count:
        for letter in string.ascii_uppercase:
            label = letter if round_ == 1 else f"{letter}{round_}"
            if label not in taken:
                labels.append(label)
                if len(labels) == count:
                    break
        round_ += 1
    return labels


# --------------------------------------------------------------------------------------------
# Facilities, rooms, beds


@transaction.atomic
def create_facility(
    *,
    actor: User | None,
    county: County,
    provider: Provider,
    municipality: Municipality,
    name: str,
    kind: str,
    address: str = "",
    capacity: int = 0,
    features: Sequence[str] = (),
) -> Site:
    """A new accommodation site (county-wide accommodation managers only)."""
    if actor is not None:
        access.require(actor, Action.MANAGE_ACCOMMODATION, county)
    if kind not in ACCOMMODATION_KINDS:
        raise ValidationError({"kind": _("Bitte eine Art der Unterkunft wählen.")})
    if provider.county_id != county.pk or municipality.county_id != county.pk:
        raise ValidationError(_("Betreiber und Gemeinde müssen zum Landkreis gehören."))
    name = _clean_text(name, "name", limit=200, required=True, label=_("einen Namen"))
    address = _clean_text(address, "address", limit=300, required=False, label=_("Die Anschrift"))
    if Site._base_manager.filter(county=county, name=name).exists():
        raise ValidationError({"name": _("Einen Standort dieses Namens gibt es schon.")})
    if capacity < 0:
        raise ValidationError({"capacity": _("Die Zahl der Plätze darf nicht negativ sein.")})
    site = Site._base_manager.create(
        county=county,
        provider=provider,
        municipality=municipality,
        name=name,
        kind=kind,
        address=address,
        capacity=capacity,
    )
    codes = _clean_features(features)
    FacilityFeature.objects.bulk_create(FacilityFeature(site=site, code=code) for code in codes)
    audit = _Audit(actor)
    audit.add("create", site, details={"features": codes})
    audit.flush()
    return site


def _clean_features(codes: Iterable[str]) -> list[str]:
    cleaned = sorted(set(codes))
    unknown = [code for code in cleaned if code not in Feature.values]
    if unknown:
        raise ValidationError(
            {"features": _("Unbekanntes Merkmal: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return cleaned


@transaction.atomic
def set_facility_features(*, actor: User | None, site: Site, features: Sequence[str]) -> list[str]:
    _require_site(actor, site)
    _require_accommodation(site)
    codes = _clean_features(features)
    before = sorted(FacilityFeature.objects.filter(site=site).values_list("code", flat=True))
    if before == codes:
        return codes
    FacilityFeature.objects.filter(site=site).exclude(code__in=codes).delete()
    FacilityFeature.objects.bulk_create(
        FacilityFeature(site=site, code=code) for code in codes if code not in before
    )
    audit = _Audit(actor)
    audit.add("change", site, details={"features": codes, "before": before})
    audit.flush()
    return codes


@transaction.atomic
def create_room(
    *,
    actor: User | None,
    site: Site,
    number: str,
    beds: int,
    floor: str = "",
    barrier_free: bool = False,
    women_only: bool = False,
    area_m2: Decimal | None = None,
    valid_from: date | None = None,
) -> Room:
    """A room with ``beds`` beds (labelled A, B, …), usable from ``valid_from`` (today)."""
    _require_site(actor, site)
    _require_accommodation(site)
    number = _clean_text(number, "number", limit=20, required=True, label=_("eine Zimmernummer"))
    floor = _clean_text(floor, "floor", limit=20, required=False, label=_("Die Etage"))
    if not 0 <= beds <= MAX_BEDS_PER_ROOM:
        raise ValidationError(
            {"beds": _("Ein Zimmer hat 0 bis %(max)d Betten.") % {"max": MAX_BEDS_PER_ROOM}}
        )
    if area_m2 is not None and area_m2 <= 0:
        raise ValidationError({"area_m2": _("Die Fläche muss größer als 0 sein.")})
    if Room.objects.filter(site=site, number=number).exists():
        raise ValidationError(
            {"number": _("Das Zimmer %(number)s gibt es hier schon.") % {"number": number}}
        )
    day = _clean_day(valid_from or _today(), "valid_from")
    room = Room.objects.create(
        county=site.county,
        site=site,
        floor=floor,
        number=number,
        area_m2=area_m2,
        barrier_free=barrier_free,
        women_only=women_only,
    )
    created = _create_beds(room, beds, day, actor)
    audit = _Audit(actor)
    audit.add("create", room, details={"beds": len(created), "valid_from": day.isoformat()})
    audit.flush()
    return room


def _create_beds(room: Room, count: int, day: date, actor: User | None) -> list[Bed]:
    labels = _bed_labels(Bed.objects.filter(room=room).values_list("label", flat=True), count)
    beds = Bed.objects.bulk_create(
        Bed(county=room.county, room=room, label=label, state=Bed.State.IN_USE) for label in labels
    )
    if not all(bed.pk for bed in beds):  # backends without RETURNING on bulk insert
        beds = list(Bed.objects.filter(room=room, label__in=labels))
    BedStatus.objects.bulk_create(
        BedStatus(
            county=room.county,
            bed=bed,
            site_id=room.site_id,
            state=Bed.State.IN_USE,
            valid_from=day,
            created_by=actor,
        )
        for bed in beds
    )
    return beds


@transaction.atomic
def add_beds(
    *, actor: User | None, room: Room, count: int, valid_from: date | None = None
) -> list[Bed]:
    _require_site(actor, room.site)
    existing = Bed.objects.filter(room=room).count()
    if count < 1 or existing + count > MAX_BEDS_PER_ROOM:
        raise ValidationError(
            {"count": _("Ein Zimmer hat höchstens %(max)d Betten.") % {"max": MAX_BEDS_PER_ROOM}}
        )
    day = _clean_day(valid_from or _today(), "valid_from")
    beds = _create_beds(room, count, day, actor)
    audit = _Audit(actor)
    audit.add("change", room, details={"beds_added": count, "valid_from": day.isoformat()})
    audit.flush()
    return beds


@transaction.atomic
def update_room(
    *,
    actor: User | None,
    room: Room,
    barrier_free: bool,
    women_only: bool,
    floor: str | None = None,
    area_m2: Decimal | None = None,
) -> Room:
    _require_site(actor, room.site)
    if area_m2 is not None and area_m2 <= 0:
        raise ValidationError({"area_m2": _("Die Fläche muss größer als 0 sein.")})
    room.barrier_free = barrier_free
    room.women_only = women_only
    if floor is not None:
        room.floor = _clean_text(floor, "floor", limit=20, required=False, label=_("Die Etage"))
    room.area_m2 = area_m2 if area_m2 is not None else room.area_m2
    room.save(update_fields=["barrier_free", "women_only", "floor", "area_m2"])
    audit = _Audit(actor)
    audit.add("change", room, details={"fields": ["barrier_free", "women_only", "floor"]})
    audit.flush()
    return room


def _occupancies_from(day: date) -> Q:
    """Occupancies in force on ``day`` or later (open, ending after it, or starting later)."""
    return Q(valid_to__isnull=True) | Q(valid_to__gt=day)


@transaction.atomic
def set_bed_state(*, actor: User | None, bed: Bed, state: str, day: date, reason: str = "") -> Bed:
    """Hold a bed in reserve (Vorhaltung), close it (renovation) or open it again, from ``day``.

    A bed occupied on or after ``day`` cannot be held or closed. A state change dated before
    the bed's current state began is refused: history is changed by new dated rows only.
    """
    _require_site(actor, bed.room.site)
    if state not in Bed.State.values:
        raise ValidationError({"state": _("Unbekannter Zustand des Bettes.")})
    day = _clean_day(day, "day")
    reason = _clean_text(reason, "reason", limit=300, required=False, label=_("Der Grund"))
    if state != Bed.State.IN_USE and not reason:
        raise ValidationError({"reason": _("Bitte einen Grund angeben (z. B. Sanierung).")})
    # Lock the bed: an assignment racing with this change re-checks the state under this lock.
    locked = Bed.objects.select_for_update().get(pk=bed.pk)
    current = BedStatus.objects.filter(bed=locked, valid_to__isnull=True).first()
    if current is not None and current.state == state:
        raise ValidationError(
            {"state": _("Das Bett ist bereits „%(s)s“.") % {"s": locked.get_state_display()}}
        )
    if current is not None and day < current.valid_from:
        raise ValidationError(
            {
                "day": _("Der Zustand gilt seit %(d)s; eine Änderung muss danach liegen.")
                % {"d": current.valid_from.strftime("%d.%m.%Y")}
            }
        )
    if (
        state != Bed.State.IN_USE
        and Occupancy.objects.filter(bed=locked).filter(_occupancies_from(day)).exists()
    ):
        raise ValidationError(
            {"state": _("Das Bett ist ab diesem Tag belegt; bitte zuerst umziehen lassen.")}
        )
    if current is not None and current.valid_from == day:
        # Same-day correction: the earlier state never held for a whole day.
        current.delete()
        previous = (
            BedStatus.objects.filter(bed=locked, valid_to=day).order_by("-valid_from").first()
        )
        if previous is not None and previous.state == state:
            previous.valid_to = None
            previous.save(update_fields=["valid_to"])
            status = previous
        else:
            status = None
    else:
        if current is not None:
            current.valid_to = day
            current.save(update_fields=["valid_to"])
        status = None
    if status is None:
        status = BedStatus.objects.create(
            county=locked.county,
            bed=locked,
            site_id=bed.room.site_id,
            state=state,
            valid_from=day,
            reason=reason,
            created_by=actor,
        )
    locked.state = state
    locked.save(update_fields=["state"])
    audit = _Audit(actor)
    audit.add(
        "change",
        locked,
        details={"state": state, "valid_from": day.isoformat(), "reason": reason},
    )
    audit.flush()
    return locked


def hold_bed(*, actor: User | None, bed: Bed, day: date, reason: str) -> Bed:
    """Keep a bed in reserve (Vorhaltung): not offered, but not closed either."""
    return set_bed_state(actor=actor, bed=bed, state=Bed.State.RESERVED, day=day, reason=reason)


def close_bed(*, actor: User | None, bed: Bed, day: date, reason: str) -> Bed:
    return set_bed_state(actor=actor, bed=bed, state=Bed.State.CLOSED, day=day, reason=reason)


def open_bed(*, actor: User | None, bed: Bed, day: date, reason: str = "") -> Bed:
    return set_bed_state(actor=actor, bed=bed, state=Bed.State.IN_USE, day=day, reason=reason)


# --------------------------------------------------------------------------------------------
# Bed assignments


def _check_bed_usable(bed: Bed, day: date, *, ignore: Sequence[int] = ()) -> None:
    """German ``ValidationError`` unless ``bed`` may take a person from ``day`` on: it exists
    on that day, is usable (belegbar) from then on, and nobody else has it from then on."""
    label = {"bed": str(bed)}
    statuses = BedStatus.objects.filter(bed=bed).filter(_occupancies_from(day))
    if (
        bed.state != Bed.State.IN_USE
        or not statuses.filter(valid_from__lte=day).exists()
        or statuses.exclude(state=Bed.State.IN_USE).exists()
    ):
        raise ValidationError(
            {"bed": _("Das Bett %(bed)s ist ab diesem Tag nicht belegbar.") % label}
        )
    clash = Occupancy.objects.filter(bed=bed).filter(_occupancies_from(day)).exclude(pk__in=ignore)
    if clash.exists():
        raise BedTaken({"bed": _("Das Bett %(bed)s ist bereits belegt.") % label})


def _check_no_later_history(rows: Iterable[Occupancy], day: date, who: str) -> None:
    """A dated change may replace bookings (not yet begun) and same-day entries, but not a stay
    that began after ``day`` and before today: history changes by new rows only."""
    today = _today()
    if any(day < row.valid_from <= today for row in rows):
        raise ValidationError(
            {
                "day": _("Für %(person)s ist nach diesem Tag schon ein Einzug eingetragen.")
                % {"person": who}
            }
        )


def _integrity_message(error: IntegrityError) -> str:
    text = str(error)
    if "one_open_occupancy_per_person" in text or "occupancy.person_id" in text:
        return _("Für diese Person wurde gerade ein anderes Bett eingetragen. Bitte neu laden.")
    return _("Das Bett wurde gerade anderweitig vergeben. Bitte ein anderes wählen.")


@dataclass
class _Placed:
    occupancy: Occupancy
    previous_site_id: int | None


def _place_person(
    *,
    actor: User | None,
    person: Person,
    bed: Bed,
    day: date,
    move_in_reason: str,
    move_out_reason: str,
    audit: _Audit,
) -> _Placed:
    """End (or replace) the person's current occupancy and put them in ``bed`` from ``day``.

    The partial unique constraints decide races: of two transactions putting someone in the
    same bed, or the same person in two beds, exactly one commits; the other gets a German
    ``ValidationError``.
    """
    if bed.county_id != person.county_id:
        raise ValidationError({"bed": _("Bett und Person gehören zu verschiedenen Landkreisen.")})
    current = (
        Occupancy.objects.filter(person=person)
        .filter(_occupancies_from(day))
        .select_related("bed__room")
        .order_by("valid_from")
    )
    replaced: list[Occupancy] = list(current)
    if any(o.bed_id == bed.pk and o.valid_from <= day and o.valid_to is None for o in replaced):
        raise ValidationError(
            {"bed": _("%(person)s ist bereits in diesem Bett.") % {"person": person.full_name}}
        )
    _check_no_later_history(replaced, day, person.full_name)
    _check_bed_usable(bed, day, ignore=[o.pk for o in replaced])
    previous_site_id = replaced[0].bed.room.site_id if replaced else None
    try:
        with transaction.atomic():
            for old in replaced:
                if old.valid_from >= day:
                    # Not yet begun (a booking) or begun today: a correction, not a move.
                    changed, _unused = Occupancy.objects.filter(pk=old.pk).delete()
                    audit.add(
                        "delete",
                        old,
                        person_id=person.pk,
                        details={"bed": old.bed_id, "replaced_on": day.isoformat()},
                    )
                else:
                    changed = (
                        Occupancy.objects.filter(pk=old.pk)
                        .filter(_occupancies_from(day))
                        .update(valid_to=day, move_out_reason=move_out_reason)
                    )
                    audit.add(
                        "change",
                        old,
                        person_id=person.pk,
                        details={"valid_to": day.isoformat(), "move_out_reason": move_out_reason},
                    )
                if not changed:
                    raise ValidationError(
                        _("Die Belegung wurde gerade von anderer Seite geändert. Bitte neu laden.")
                    )
            occupancy = Occupancy.objects.create(
                county=person.county,
                bed=bed,
                site_id=bed.room.site_id,
                person=person,
                household_id=person.household_id,
                valid_from=day,
                move_in_reason=move_in_reason,
                created_by=actor,
            )
    except IntegrityError as error:
        raise BedTaken({"bed": _integrity_message(error)}) from error
    # Re-check under the bed's row lock: a concurrent hold/close of this bed serialises here.
    locked = Bed.objects.select_for_update().get(pk=bed.pk)
    _check_bed_usable(locked, day, ignore=[occupancy.pk])
    audit.add(
        "create",
        occupancy,
        person_id=person.pk,
        details={"bed": bed.pk, "valid_from": day.isoformat(), "reason": move_in_reason},
    )
    return _Placed(occupancy, previous_site_id)


def _sync_responsibilities(
    household: Household, day: date, actor: User | None, audit: _Audit
) -> tuple[set[int], set[int]]:
    """Make the open accommodation responsibilities match the sites where the household has a
    bed from ``day`` on; returns (sites ended, sites started). The site's operator becomes the
    responsible provider, so the access rules reach the household through it."""
    sites = set(
        Occupancy.objects.filter(household=household)
        .filter(_occupancies_from(day))
        .values_list("site_id", flat=True)
    )
    open_rows = list(
        Responsibility.objects.filter(
            household=household,
            kind=Responsibility.Kind.ACCOMMODATION,
            valid_to__isnull=True,
        )
    )
    ended: set[int] = set()
    for row in open_rows:
        if row.site_id in sites:
            continue
        # Responsibility ends are inclusive: the last day is the day before the move.
        row.valid_to = max(day - timedelta(days=1), row.valid_from)
        row.save(update_fields=["valid_to"])
        audit.add("change", row, details={"valid_to": row.valid_to.isoformat()})
        if row.site_id is not None:
            ended.add(row.site_id)
    covered = {row.site_id for row in open_rows if row.site_id in sites}
    started = sites - covered
    # Staff of the new facility see the household from today on, to prepare a booked bed.
    begin = min(day, _today())
    for site in Site._base_manager.filter(pk__in=started):
        row = Responsibility.objects.create(
            county=household.county,
            household=household,
            kind=Responsibility.Kind.ACCOMMODATION,
            site=site,
            provider_id=site.provider_id,
            valid_from=begin,
        )
        audit.add("create", row, details={"site": site.pk, "valid_from": begin.isoformat()})
    return ended, started


def _check_rooms(
    household: Household, movers: Sequence[Person], rooms: Sequence[Room], day: date
) -> None:
    unique = list({room.pk: room for room in rooms}.values())
    problems = room_problems(rooms=unique, household=household, day=day, movers=movers)
    if problems:
        raise ValidationError({"rooms": list(problems.values())})


@transaction.atomic
def assign_bed(
    *,
    actor: User | None,
    person: Person,
    bed: Bed,
    valid_from: date,
    reason: str = Occupancy.MoveInReason.ALLOCATION,
) -> Occupancy:
    """Put ``person`` in ``bed`` from ``valid_from``; a person already in a bed moves.

    Also writes the household's accommodation responsibility (site and operator) in the same
    transaction and ends the previous one when the household leaves a facility.
    """
    bed = Bed.objects.select_related("room__site").get(pk=bed.pk)
    household = person.household
    _require_site(actor, bed.room.site)
    _require_household(actor, household)
    if reason not in Occupancy.MoveInReason.values:
        raise ValidationError({"reason": _("Unbekannter Grund des Einzugs.")})
    day = _clean_day(valid_from, "valid_from")
    _check_rooms(household, [person], [bed.room], day)
    audit = _Audit(actor)
    placed = _place_person(
        actor=actor,
        person=person,
        bed=bed,
        day=day,
        move_in_reason=reason,
        move_out_reason=Occupancy.MoveOutReason.TRANSFER,
        audit=audit,
    )
    _ended, started = _sync_responsibilities(household, day, actor, audit)
    if bed.room.site_id in started:
        move = Move.objects.create(
            county=household.county,
            household=household,
            day=day,
            kind=Move.Kind.TRANSFER if placed.previous_site_id else Move.Kind.MOVE_IN,
            reason=Move.Reason.ALLOCATION
            if reason == Occupancy.MoveInReason.ALLOCATION
            else Move.Reason.OTHER,
            from_site_id=placed.previous_site_id,
            to_site_id=bed.room.site_id,
            created_by=actor,
        )
        audit.add("create", move)
    audit.flush()
    return placed.occupancy


def _members_to_move(household: Household, day: date) -> list[Person]:
    """Members with a bed from ``day`` on; all members when nobody has one yet."""
    members = list(Person._base_manager.filter(household=household).order_by("pk"))
    housed = set(
        Occupancy.objects.filter(household=household)
        .filter(_occupancies_from(day))
        .values_list("person_id", flat=True)
    )
    return [m for m in members if m.pk in housed] or members


def _free_beds(rooms: Sequence[Room], day: date) -> list[Bed]:
    beds = (
        Bed.objects.filter(room__in=rooms, state=Bed.State.IN_USE)
        .filter(pk__in=BedStatus.objects.on(day).filter(state=Bed.State.IN_USE).values("bed_id"))
        .exclude(pk__in=Occupancy.objects.filter(_occupancies_from(day)).values("bed_id"))
        .select_related("room__site")
    )
    order = {room.pk: index for index, room in enumerate(rooms)}
    return sorted(beds, key=lambda bed: (order[bed.room_id], bed.label))


@transaction.atomic
def move_household(
    *,
    actor: User | None,
    household: Household,
    day: date,
    reason: str,
    beds: Mapping[int, Bed] | None = None,
    rooms: Sequence[Room] | None = None,
    room: Room | None = None,
    persons: Sequence[Person] | None = None,
    note: str = "",
) -> Move:
    """Move the household (its members with a bed, or all members if none has one) into the
    given beds (person id → bed) or into free beds of the given room(s), from ``day``;
    ``persons`` overrides who moves (e.g. the members of an announced household without a bed).

    A household with no bed yet moves in (Einzug); otherwise this is a move (Umzug), recorded
    with its reason. All rooms must belong to one facility.
    """
    _require_household(actor, household)
    if room is not None:
        rooms = [room, *(rooms or [])]
    day = _clean_day(day, "day")
    if reason not in TRANSFER_REASONS and reason != Move.Reason.ALLOCATION:
        raise ValidationError({"reason": _("Bitte einen Grund für den Umzug wählen.")})
    note = _clean_text(
        note, "note", limit=300, required=reason == Move.Reason.OTHER, label=_("eine Bemerkung")
    )
    household_members = {m.pk: m for m in Person._base_manager.filter(household=household)}
    if persons is not None and any(p.pk not in household_members for p in persons):
        raise ValidationError({"persons": _("Die Personen gehören nicht zu diesem Haushalt.")})
    if beds:
        unknown = set(beds) - set(household_members)
        if unknown:
            raise ValidationError(
                {"beds": _("Es sind Betten für Personen außerhalb des Haushalts angegeben.")}
            )
        members = [household_members[pk] for pk in sorted(beds)]
        chosen = {
            pk: Bed.objects.select_related("room__site").get(pk=bed.pk, county=household.county)
            for pk, bed in beds.items()
        }
    elif rooms:
        members = list(persons) if persons is not None else _members_to_move(household, day)
        free = _free_beds(list(rooms), day)
        if len(free) < len(members):
            raise ValidationError(
                {
                    "rooms": _("Zu wenige freie Betten: %(free)d frei, %(needed)d Personen.")
                    % {"free": len(free), "needed": len(members)}
                }
            )
        # Adults first, so that no room holds children alone when avoidable.
        ordered = sorted(members, key=lambda m: (m.birth_year, m.pk))
        chosen = {person.pk: bed for person, bed in zip(ordered, free, strict=False)}
    else:
        raise ValidationError({"beds": _("Bitte Zimmer oder Betten wählen.")})
    if not members:
        raise ValidationError(_("Der Haushalt hat keine Mitglieder."))
    sites = {bed.room.site_id for bed in chosen.values()}
    if len(sites) != 1:
        raise ValidationError(
            {"beds": _("Ein Haushalt wird in einer Unterkunft untergebracht, nicht in mehreren.")}
        )
    if len({bed.pk for bed in chosen.values()}) != len(chosen):
        raise ValidationError({"beds": _("Ein Bett ist mehrfach gewählt.")})
    target = next(iter(chosen.values())).room.site
    _require_site(actor, target)
    _check_rooms(household, members, [bed.room for bed in chosen.values()], day)
    in_reason = (
        Occupancy.MoveInReason.ALLOCATION
        if reason == Move.Reason.ALLOCATION
        else Occupancy.MoveInReason.FAMILY
        if reason == Move.Reason.FAMILY
        else Occupancy.MoveInReason.TRANSFER
    )
    audit = _Audit(actor)
    previous_sites: set[int] = set()
    # Lock order: beds in key order, so two moves into overlapping beds cannot deadlock.
    for person in sorted(members, key=lambda m: chosen[m.pk].pk):
        placed = _place_person(
            actor=actor,
            person=person,
            bed=chosen[person.pk],
            day=day,
            move_in_reason=in_reason,
            move_out_reason=Occupancy.MoveOutReason.TRANSFER,
            audit=audit,
        )
        if placed.previous_site_id is not None:
            previous_sites.add(placed.previous_site_id)
    _sync_responsibilities(household, day, actor, audit)
    from_site = next(iter(previous_sites)) if len(previous_sites) == 1 else None
    move = Move.objects.create(
        county=household.county,
        household=household,
        day=day,
        kind=Move.Kind.TRANSFER if previous_sites else Move.Kind.MOVE_IN,
        reason=reason,
        note=note,
        from_site_id=from_site,
        to_site=target,
        created_by=actor,
    )
    audit.add("create", move, details={"persons": len(members), "reason": reason})
    audit.flush()
    return move


@transaction.atomic
def move_out(
    *,
    actor: User | None,
    household: Household,
    day: date,
    reason: str = Move.Reason.FLAT,
    flat: Site | None = None,
    note: str = "",
) -> Move:
    """The household leaves its beds on ``day`` (the beds are free that day): to a flat of its
    own, to a flat of the county (``flat``: a site of kind Wohnung or Wohnverbund, which then
    becomes responsible), or away from the county."""
    _require_household(actor, household)
    day = _clean_day(day, "day")
    if reason not in MOVE_OUT_REASONS:
        raise ValidationError({"reason": _("Bitte einen Grund für den Auszug wählen.")})
    note = _clean_text(
        note, "note", limit=300, required=reason == Move.Reason.OTHER, label=_("eine Bemerkung")
    )
    if flat is not None:
        if flat.kind not in FLAT_KINDS or flat.county_id != household.county_id:
            raise ValidationError({"flat": _("Bitte eine Wohnung des Landkreises wählen.")})
        _require_site(actor, flat)
    current = list(
        Occupancy.objects.filter(household=household)
        .filter(_occupancies_from(day))
        .select_related("bed__room")
        .order_by("bed_id")
    )
    if not current:
        raise ValidationError(_("Der Haushalt hat an diesem Tag kein Bett in einer Unterkunft."))
    _check_no_later_history(current, day, household.reference)
    from_sites = {o.bed.room.site_id for o in current}
    for site_id in from_sites:
        _require_site(actor, Site._base_manager.get(pk=site_id))
    out_reason = MOVE_OUT_REASONS[reason]
    audit = _Audit(actor)
    for old in current:
        if old.valid_from >= day:
            changed, _unused = Occupancy.objects.filter(pk=old.pk).delete()
            audit.add("delete", old, person_id=old.person_id, details={"bed": old.bed_id})
        else:
            changed = (
                Occupancy.objects.filter(pk=old.pk)
                .filter(_occupancies_from(day))
                .update(valid_to=day, move_out_reason=out_reason)
            )
            audit.add(
                "change",
                old,
                person_id=old.person_id,
                details={"valid_to": day.isoformat(), "move_out_reason": out_reason},
            )
        if not changed:
            raise ValidationError(
                _("Die Belegung wurde gerade von anderer Seite geändert. Bitte neu laden.")
            )
    _sync_responsibilities(household, day, actor, audit)
    if flat is not None:
        row = Responsibility.objects.create(
            county=household.county,
            household=household,
            kind=Responsibility.Kind.ACCOMMODATION,
            site=flat,
            provider_id=flat.provider_id,
            valid_from=day,
        )
        audit.add("create", row, details={"site": flat.pk})
    for readiness in FlatReadiness.objects.filter(household=household, valid_to__isnull=True):
        readiness.valid_to = max(day, readiness.valid_from)
        readiness.save(update_fields=["valid_to"])
        audit.add("change", readiness, details={"valid_to": readiness.valid_to.isoformat()})
    move = Move.objects.create(
        county=household.county,
        household=household,
        day=day,
        kind=Move.Kind.MOVE_OUT,
        reason=reason,
        note=note,
        from_site_id=next(iter(from_sites)) if len(from_sites) == 1 else None,
        to_site=flat,
        created_by=actor,
    )
    audit.add("create", move, details={"persons": len(current), "reason": reason})
    audit.flush()
    return move


# --------------------------------------------------------------------------------------------
# Shelter phase


def _require_readiness_rights(actor: User | None, household: Household) -> None:
    if actor is None:
        return
    if not (
        access.can_reach(actor, Action.MANAGE_ACCOMMODATION, household)
        or access.can_reach(actor, Action.CHANGE_PERSON, household)
    ):
        access.deny()


@transaction.atomic
def mark_ready_for_flat(
    *, actor: User | None, household: Household, day: date, note: str = ""
) -> FlatReadiness:
    """Record that staff consider the household ready for a flat (wohnungsbereit)."""
    _require_readiness_rights(actor, household)
    day = _clean_day(day, "day")
    if day > _today():
        raise ValidationError({"day": _("Das Datum darf nicht in der Zukunft liegen.")})
    note = _clean_text(note, "note", limit=300, required=False, label=_("Die Bemerkung"))
    if FlatReadiness.objects.filter(household=household, valid_to__isnull=True).exists():
        raise ValidationError(_("Der Haushalt ist bereits als wohnungsbereit eingetragen."))
    try:
        with transaction.atomic():
            readiness = FlatReadiness.objects.create(
                county=household.county,
                household=household,
                valid_from=day,
                note=note,
                recorded_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Der Haushalt ist bereits als wohnungsbereit eingetragen.")
        ) from error
    record_event(actor=actor, action="create", obj=readiness)
    return readiness


@transaction.atomic
def withdraw_ready_for_flat(
    *, actor: User | None, household: Household, day: date
) -> FlatReadiness:
    _require_readiness_rights(actor, household)
    readiness = FlatReadiness.objects.filter(household=household, valid_to__isnull=True).first()
    if readiness is None:
        raise ValidationError(_("Der Haushalt ist nicht als wohnungsbereit eingetragen."))
    if day < readiness.valid_from:
        raise ValidationError({"day": _("Das Ende liegt vor dem Beginn.")})
    readiness.valid_to = day
    readiness.save(update_fields=["valid_to"])
    record_event(actor=actor, action="change", obj=readiness, details={"valid_to": day.isoformat()})
    return readiness

"""Personal data source of ``housing`` for the access export and the retention run
(see ``ankommen.privacy.registry`` and docs/privacy.md).

Anonymisation keeps the dated occupancy, moves and arrivals (the occupancy figures and flows
count them) and removes what identifies a person or says more than the statistics need: the
allocation number and the row's fingerprint, the status text copied from the list, and the free
texts of moves, flat readiness and arrival tasks once every member of the household is
anonymised."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import CharField, Count, Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankommen.algorithms.allocation_lists import NEED_CODES
from ankommen.housing.models import Allocation, Arrival, ArrivalTask, FlatReadiness, Move, Occupancy
from ankommen.housing.services_arrivals import HEALTH_NEEDS
from ankommen.people.models import Person
from ankommen.privacy import registry
from ankommen.privacy.coverage import complete_households
from ankommen.privacy.registry import AnonymisationResult, Entry, Record, RetentionCategory, Section

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import County, User

UNTERBRINGUNG = RetentionCategory(
    key="unterbringung",
    label=gettext_lazy("Unterbringung: Zuweisungen, Ankünfte, Umzüge, Belegung"),
    default_years=3,
    legal_basis=gettext_lazy(
        "Art. 5 Abs. 1 lit. e und Art. 17 Abs. 1 lit. a DSGVO: nicht länger als für den Zweck "
        "nötig; die Dauer ist eine Entscheidung des Landkreises"
    ),
    verified=False,
)


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _record(*entries: Entry, title: str = "") -> Record:
    return Record(tuple(entry for entry in entries if entry.value), title)


class HousingSource:
    key = "housing"
    category = UNTERBRINGUNG

    def export(self, *, person: Person, actor: User | AnonymousUser | None) -> Iterable[Section]:
        purpose = _("Unterbringung nach dem Landesaufnahmegesetz Brandenburg")
        recipients = _("Mitarbeitende des Landkreises und der Betreiber Ihrer Unterkünfte")
        yield Section(
            "occupancy",
            _("Unterbringung: Belegung"),
            tuple(
                _record(
                    Entry(_("Unterkunft"), str(stay.site)),
                    Entry(_("Zimmer"), stay.bed.room.number),
                    Entry(_("Bett"), stay.bed.label),
                    Entry(_("Einzug"), _day(stay.valid_from)),
                    Entry(_("Auszug"), _day(stay.valid_to)),
                    Entry(
                        _("Grund des Einzugs"),
                        str(stay.get_move_in_reason_display()),
                        stay.move_in_reason,
                    ),
                    Entry(
                        _("Grund des Auszugs"),
                        str(stay.get_move_out_reason_display()) if stay.move_out_reason else "",
                        stay.move_out_reason,
                    ),
                )
                for stay in Occupancy.objects.filter(person=person)
                .select_related("site", "bed__room")
                .order_by("valid_from", "pk")
            ),
            purpose=purpose,
            recipients=recipients,
            origin=_("Entscheidungen des Landkreises"),
        )
        yield Section(
            "moves",
            _("Unterbringung: Einzüge, Umzüge und Auszüge des Haushalts"),
            tuple(
                _record(
                    Entry(_("Datum"), _day(move.day)),
                    Entry(_("Art"), str(move.get_kind_display()), move.kind),
                    Entry(_("Grund"), str(move.get_reason_display()), move.reason),
                    Entry(_("von"), str(move.from_site or "")),
                    Entry(_("nach"), str(move.to_site or "")),
                    Entry(_("Bemerkung"), move.note),
                )
                for move in Move.objects.filter(household_id=person.household_id)
                .select_related("from_site", "to_site")
                .order_by("day", "pk")
            ),
            purpose=purpose,
            recipients=recipients,
            origin=_("Entscheidungen des Landkreises"),
        )
        yield Section(
            "flat_readiness",
            _("Unterbringung: Bereitschaft für eine Wohnung"),
            tuple(
                _record(
                    Entry(_("wohnungsbereit seit"), _day(item.valid_from)),
                    Entry(_("bis"), _day(item.valid_to)),
                    Entry(_("Bemerkung"), item.note),
                )
                for item in FlatReadiness.objects.filter(household_id=person.household_id).order_by(
                    "valid_from", "pk"
                )
            ),
            purpose=purpose,
            recipients=recipients,
            origin=_("Einschätzung der Mitarbeitenden"),
        )
        arrivals = list(
            Arrival.objects.filter(household_id=person.household_id)
            .select_related("site")
            .order_by("planned_on")
        )
        tasks = ArrivalTask.objects.filter(arrival__in=arrivals).order_by("due_at", "kind")
        yield Section(
            "arrivals",
            _("Ankunft im Landkreis"),
            tuple(
                _record(
                    Entry(_("Ankunft geplant"), _day(arrival.planned_on)),
                    Entry(_("Geplante Unterkunft"), str(arrival.site or "")),
                    Entry(
                        _("Schutzbedarf geprüft am"),
                        _day(timezone.localtime(arrival.assessed_at).date())
                        if arrival.assessed_at
                        else "",
                    ),
                )
                for arrival in arrivals
            )
            + tuple(
                _record(
                    Entry(_("Aufgabe"), str(task.get_kind_display()), task.kind),
                    Entry(_("Hinweis"), task.detail),
                    Entry(
                        _("erledigt am"),
                        _day(timezone.localtime(task.done_at).date()) if task.done_at else "",
                    ),
                    title=_("Aufgabe zur Ankunft"),
                )
                for task in tasks
            ),
            purpose=_("Vorbereitung Ihrer Ankunft"),
            recipients=recipients,
            origin=_("Zuweisungsliste des Landes"),
        )
        allocation = Allocation.objects.filter(person=person).select_related("source").first()
        needs = list(allocation.needs) if allocation else []
        yield Section(
            "allocation",
            _("Zuweisungsliste des Landes"),
            ()
            if allocation is None
            else (
                _record(
                    Entry(_("Zuweisungsnummer"), allocation.number),
                    Entry(_("Ankunft geplant"), _day(allocation.planned_arrival)),
                    *(Entry(_("Bedarf"), NEED_CODES.get(code, code), code) for code in needs),
                    Entry(_("Aufenthaltsstatus laut Liste"), allocation.status_text),
                    Entry(_("Liste"), allocation.source.file_name),
                    Entry(
                        _("importiert am"),
                        _day(timezone.localtime(allocation.source.imported_at).date()),
                    ),
                ),
            ),
            purpose=_("Aufnahme nach der Zuweisung durch das Land"),
            recipients=recipients,
            origin=_("Zuweisungsliste des Landes"),
            audited_read=bool(set(needs) & HEALTH_NEEDS),
        )

    def contact_ends(self, *, county: County, today: date) -> Mapping[int, date | None]:
        """The last move-out from a bed; an open stay, or an arrival still ahead, goes on."""
        result: dict[int, date | None] = {}
        for row in (
            Occupancy.objects.filter(county=county)
            .order_by()
            .values("person_id")
            .annotate(
                open=Count("pk", filter=Q(valid_to__isnull=True) | Q(valid_to__gt=today)),
                last=Max("valid_to"),
            )
        ):
            result[row["person_id"]] = None if row["open"] else row["last"]
        for person_id in Allocation.objects.filter(
            county=county, planned_arrival__gte=today
        ).values_list("person_id", flat=True):
            result[person_id] = None
        return result

    def anonymise(self, *, person_ids: Sequence[int]) -> AnonymisationResult:
        changed = Allocation.objects.filter(person_id__in=person_ids).update(
            number=Concat(Value("anonym-"), Cast("pk", CharField())),
            fingerprint="",
            status_text="",
        )
        households = complete_households(person_ids=person_ids, category=UNTERBRINGUNG.key)
        changed += Move.objects.filter(household_id__in=households).exclude(note="").update(note="")
        changed += (
            FlatReadiness.objects.filter(household_id__in=households)
            .exclude(note="")
            .update(note="")
        )
        changed += (
            ArrivalTask.objects.filter(arrival__household_id__in=households)
            .exclude(detail="")
            .update(detail="")
        )
        return AnonymisationResult(
            anonymised=changed,
            fields=(
                "allocation.number",
                "allocation.fingerprint",
                "allocation.status_text",
                "move.note",
                "flat_readiness.note",
                "arrival_task.detail",
            ),
        )


registry.register(HousingSource())

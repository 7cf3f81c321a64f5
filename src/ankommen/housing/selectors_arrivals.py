"""Reads for allocation imports and the arrival board, limited to what the actor may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms.allocation_lists import NEED_CODES
from ankommen.algorithms.codes import language_name
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.housing.models import Allocation, AllocationImport, AllocationUpload, Arrival
from ankommen.people import timeline
from ankommen.people.models import Household, LanguageSkill, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User


def uploads_of(*, actor: User | AnonymousUser) -> QuerySet[AllocationUpload]:
    """An upload holds a raw file: only the person who uploaded it sees it, while they may
    still import in its county."""
    counties = access.counties_for(actor, Action.CREATE_PERSON)
    return AllocationUpload.objects.filter(
        uploaded_by_id=getattr(actor, "pk", None), county__in=counties
    ).select_related("county")


def recent_imports(*, actor: User | AnonymousUser, limit: int = 20) -> list[AllocationImport]:
    counties = access.counties_for(actor, Action.CREATE_PERSON)
    return list(
        AllocationImport.objects.filter(county__in=counties)
        .select_related("imported_by", "county")
        .order_by("-imported_at")[:limit]
    )


def arrivals_visible_to(*, actor: User | AnonymousUser) -> QuerySet[Arrival]:
    return access.restrict(
        Arrival.objects.select_related("household", "site", "county"),
        actor,
        Action.PREPARE_ARRIVAL,
        household_field="household_id",
    )


@dataclass
class BoardEntry:
    arrival: Arrival
    size: int
    languages: list[str]
    needs: list[str]
    tasks_done: int
    tasks_total: int
    overdue: int


def arrival_board(*, actor: User | AnonymousUser, day: date) -> list[BoardEntry]:
    """The households announced for ``day``, with size, languages, needs and checklist state."""
    arrivals = list(
        arrivals_visible_to(actor=actor)
        .filter(planned_on=day)
        .prefetch_related("tasks")
        .order_by("household__reference")
    )
    allocations = Allocation.objects.filter(
        household__in=[a.household_id for a in arrivals], planned_arrival=day
    ).values_list("household_id", "person_id", "needs")
    persons: dict[int, list[int]] = {}
    needs: dict[int, set[str]] = {}
    for household_id, person_id, codes in allocations:
        persons.setdefault(household_id, []).append(person_id)
        needs.setdefault(household_id, set()).update(codes)
    languages: dict[int, list[str]] = {}
    all_persons = [p for ids in persons.values() for p in ids]
    person_household = {p: h for h, ids in persons.items() for p in ids}
    for person_id, code in (
        LanguageSkill.objects.filter(person_id__in=all_persons)
        .order_by("-is_first_language", "pk")
        .values_list("person_id", "code")
    ):
        codes = languages.setdefault(person_household[person_id], [])
        if code not in codes:
            codes.append(code)
    now = timezone.now()
    board: list[BoardEntry] = []
    for arrival in arrivals:
        tasks = list(arrival.tasks.all())
        board.append(
            BoardEntry(
                arrival=arrival,
                size=len(persons.get(arrival.household_id, [])),
                languages=[language_name(c) for c in languages.get(arrival.household_id, [])],
                needs=[NEED_CODES[c] for c in sorted(needs.get(arrival.household_id, set()))],
                tasks_done=sum(1 for t in tasks if t.done_at),
                tasks_total=len(tasks),
                overdue=sum(1 for t in tasks if not t.done_at and t.due_at < now),
            )
        )
    return board


# The household timeline shows announced arrivals (registered when this module is imported,
# which the URLconf does through the arrival views).
@timeline.register
def _arrivals(
    household: Household, members: list[Person], actor: object
) -> Iterable[timeline.TimelineEntry]:
    for arrival in Arrival.objects.filter(household=household).select_related("site"):
        where = f" – {arrival.site}" if arrival.site else ""
        yield timeline.TimelineEntry(
            arrival.planned_on, "unterbringung", _("Ankunft angekündigt") + where
        )

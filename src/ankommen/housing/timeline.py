"""Moves and flat readiness in the household timeline (registered with
:mod:`ankommen.people.timeline` when the app is ready)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from ankommen.housing.models import FlatReadiness, Move
from ankommen.people.models import Household, Person
from ankommen.people.timeline import TimelineEntry, register

FIELD = "unterbringung"


def _move_title(move: Move) -> str:
    reason = move.get_reason_display()
    if move.kind == Move.Kind.MOVE_IN:
        title = _("Einzug in %(to)s (%(reason)s)") % {"to": move.to_site, "reason": reason}
    elif move.kind == Move.Kind.TRANSFER:
        title = _("Umzug von %(from)s nach %(to)s (%(reason)s)") % {
            "from": move.from_site or _("mehreren Unterkünften"),
            "to": move.to_site,
            "reason": reason,
        }
    elif move.to_site is not None:
        title = _("Auszug aus %(from)s in %(to)s (%(reason)s)") % {
            "from": move.from_site or _("der Unterkunft"),
            "to": move.to_site,
            "reason": reason,
        }
    else:
        title = _("Auszug aus %(from)s (%(reason)s)") % {
            "from": move.from_site or _("der Unterkunft"),
            "reason": reason,
        }
    return f"{title} – {move.note}" if move.note else title


@register
def housing_entries(
    household: Household, members: list[Person], actor: object
) -> Iterable[TimelineEntry]:
    for move in household.moves.select_related("from_site", "to_site"):
        yield TimelineEntry(move.day, FIELD, _move_title(move))
    for readiness in FlatReadiness.objects.filter(household=household):
        yield TimelineEntry(readiness.valid_from, FIELD, _("Als wohnungsbereit eingestuft"))
        if readiness.valid_to:
            yield TimelineEntry(readiness.valid_to, FIELD, _("Wohnungsbereitschaft beendet"))

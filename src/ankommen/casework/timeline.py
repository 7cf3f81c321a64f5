"""Counselling contacts and referrals in the household timeline (registered with
:mod:`ankommen.people.timeline` when the app is ready). Only for those who may see the
household's casework; never a note's text."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from ankommen.casework.models import Contact, Referral
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.people.models import Household, Person
from ankommen.people.timeline import TimelineEntry, register

FIELD = "beratung"


@register
def casework_entries(
    household: Household, members: list[Person], actor: object
) -> Iterable[TimelineEntry]:
    if not access.can_reach(actor, Action.VIEW_CASEWORK, household):  # type: ignore[arg-type]
        return
    contacts = Contact.objects.filter(case__household=household).prefetch_related("topics")
    for contact in contacts:
        topics = ", ".join(t.label for t in contact.topics.all())
        yield TimelineEntry(
            contact.day,
            FIELD,
            _("Beratung (%(minutes)d Min.): %(topics)s")
            % {"minutes": contact.minutes, "topics": topics},
        )
    for referral in Referral.objects.filter(case__household=household):
        yield TimelineEntry(
            referral.sent_on,
            FIELD,
            _("Weitervermittlung: %(service)s – %(status)s")
            % {"service": referral.get_service_display(), "status": referral.get_status_display()},
        )

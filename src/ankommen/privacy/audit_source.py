"""The audit log as a personal data source: export only.

The entries about a person (``AuditEvent.person_id``) show who did what with their data and
why (GDPR Art. 15(1)(c)). The log is never changed: its rows are hash-chained and append-only,
and they hold no values of personal fields, only the person's key, which after the
anonymisation points to a record without a name (ADR 0014).

Who acted is given as a category (staff or the system), not by name: the right of access
covers the processing operations, their dates and purposes, but not the identity of the
controller's employees (CJEU, judgment of 22 June 2023, C-579/21, Pankki S).

The source lives here and not in ``audit``, because ``audit`` sits below this package in the
layers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.audit.models import AuditEvent
from ankommen.privacy import registry
from ankommen.privacy.registry import AnonymisationResult, Entry, Record, Section

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import County, User


class AuditSource:
    key = "audit"
    category = None

    def export(self, *, person: Any, actor: User | AnonymousUser | None) -> Iterable[Section]:
        events = AuditEvent.objects.filter(person_id=person.pk).order_by("sequence")
        yield Section(
            "audit",
            _("Protokoll: wer Ihre Daten angelegt, geändert, gelesen oder exportiert hat"),
            tuple(
                Record(
                    tuple(
                        entry
                        for entry in (
                            Entry(
                                _("Zeitpunkt"),
                                timezone.localtime(event.at).strftime("%d.%m.%Y %H:%M"),
                            ),
                            Entry(_("Aktion"), str(event.get_action_display()), event.action),
                            Entry(_("Objektart"), event.object_type),
                            Entry(
                                _("Wer"),
                                _("Mitarbeiterin oder Mitarbeiter")
                                if event.actor_id
                                else _("System (automatisch)"),
                            ),
                            Entry(_("Zweck"), event.purpose),
                        )
                        if entry.value
                    )
                )
                for event in events
            ),
            purpose=_("Nachweis jeder Verarbeitung Ihrer Daten (Art. 5 Abs. 2 DSGVO)"),
            recipients=_("Prüferinnen und Prüfer des Landkreises"),
            origin=_("automatisch bei jeder Verarbeitung aufgezeichnet"),
            retention=_(
                "Das Protokoll wird nicht verändert; nach der Anonymisierung verweist es auf "
                "einen Datensatz ohne Namen."
            ),
        )

    def contact_ends(self, *, county: County, today: date) -> Mapping[int, date | None]:
        return {}

    def anonymise(self, *, person_ids: Sequence[int]) -> AnonymisationResult:
        return AnonymisationResult()


registry.register(AuditSource())

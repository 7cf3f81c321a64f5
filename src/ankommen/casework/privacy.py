"""Personal data source of ``casework`` for the access export and the retention run
(see ``ankommen.privacy.registry`` and docs/privacy.md).

**Export.** The cases of the person's household and the person's own cases, with contacts,
referrals and the integration plan. A confidential note is shown only to the staff of the
author's provider (``Contact.author_provider``) and to the system (the command without
``--user``); for anyone else the section says that such notes exist and that the provider
answers for them, without a word of them. Caseworkers are not named (as in the people
source).

**Retention.** Own category ``beratung``: three years after the end of contact, a county
decision (Art. 5(1)(e), Art. 17(1)(a) GDPR), flagged unverified.

**Anonymisation.** Keeps what the caseload and the counselling statistics count: cases with
provider and dates, assignments, contacts with day, duration, place, language, interpreter and
topics, referrals with service, status and dates, goals with field, status and target date.
Removes the free texts: short and confidential notes of contacts, referral notes and the named
recipient, goal wording (``anonymisiert``); for a case of the household once every member is
anonymised, for a person's own case at once. Open follow-ups are ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankommen.algorithms.codes import language_name
from ankommen.casework.models import Case, Contact, Goal, Referral
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.people.models import Person
from ankommen.privacy import registry
from ankommen.privacy.coverage import complete_households
from ankommen.privacy.registry import AnonymisationResult, Entry, Record, RetentionCategory, Section

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import County, User

BERATUNG = RetentionCategory(
    key="beratung",
    label=gettext_lazy("Beratung: Fälle, Beratungskontakte, Weitervermittlungen, Integrationsplan"),
    default_years=3,
    legal_basis=gettext_lazy(
        "Art. 5 Abs. 1 lit. e und Art. 17 Abs. 1 lit. a DSGVO: nicht länger als für den Zweck "
        "nötig; die Dauer ist eine Entscheidung des Landkreises"
    ),
    verified=False,
)
GOAL_ANONYMISED = "anonymisiert"


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _record(*entries: Entry, title: str = "") -> Record:
    return Record(tuple(entry for entry in entries if entry.value), title)


def _cases_of(person: Person) -> list[Case]:
    """The household's cases and the person's own; not another member's own case."""
    return list(
        Case.objects.filter(household_id=person.household_id)
        .filter(Q(person__isnull=True) | Q(person=person))
        .select_related("provider")
        .order_by("opened_on", "pk")
    )


class CaseworkSource:
    key = "casework"
    category = BERATUNG

    def export(self, *, person: Person, actor: User | AnonymousUser | None) -> Iterable[Section]:
        purpose = _("Migrationssozialarbeit: Beratung und Begleitung Ihres Haushalts")
        recipients = _(
            "die Fachkräfte des Trägers, der Ihren Fall führt, und Mitarbeitende des "
            "Landkreises, soweit sie für Sie zuständig sind"
        )
        origin = _("Ihre Gespräche mit der Migrationssozialarbeit")
        cases = _cases_of(person)
        yield Section(
            "cases",
            _("Beratung: Fälle"),
            tuple(
                _record(
                    Entry(_("Träger"), str(case.provider)),
                    Entry(_("für"), _("Sie persönlich") if case.person_id else _("Haushalt")),
                    Entry(_("eröffnet am"), _day(case.opened_on)),
                    Entry(_("abgeschlossen am"), _day(case.closed_on)),
                    Entry(
                        _("Fachkraft"),
                        _("namentlich zugewiesen") if case.assignments.exists() else "",
                    ),
                )
                for case in cases
            ),
            purpose=purpose,
            recipients=recipients,
            origin=_("Entscheidungen des Landkreises"),
        )
        contacts = list(
            Contact.objects.filter(case__in=cases).prefetch_related("topics").order_by("day", "pk")
        )
        yield Section(
            "contacts",
            _("Beratung: Beratungskontakte"),
            tuple(
                _record(
                    Entry(_("Datum"), _day(contact.day)),
                    Entry(_("Dauer (Minuten)"), str(contact.minutes)),
                    Entry(_("Ort"), str(contact.get_place_display()), contact.place),
                    Entry(_("Sprache"), language_name(contact.language), contact.language),
                    Entry(_("mit Sprachmittlung"), _("ja") if contact.interpreter else ""),
                    *(
                        Entry(_("Thema"), topic.label, topic.code)
                        for topic in sorted(contact.topics.all(), key=lambda t: t.position)
                    ),
                    Entry(_("Kurznotiz"), contact.note),
                )
                for contact in contacts
            ),
            purpose=purpose,
            recipients=recipients,
            origin=origin,
        )
        confidential = [contact for contact in contacts if contact.confidential_note]
        if actor is None:
            readable = confidential
        else:
            providers = access.providers_for(actor, Action.VIEW_CASEWORK, person.county_id)
            readable = [c for c in confidential if c.author_provider_id in providers]
        withheld = len(confidential) - len(readable)
        yield Section(
            "confidential_notes",
            _("Beratung: vertrauliche Notizen"),
            tuple(
                _record(
                    Entry(_("Datum"), _day(contact.day)),
                    Entry(_("Vertrauliche Notiz"), contact.confidential_note),
                )
                for contact in readable
            ),
            purpose=purpose,
            recipients=_("nur die Fachkräfte des Trägers, der die Notiz geschrieben hat"),
            origin=origin,
            withheld_note=_(
                "Vertrauliche Notizen (%(n)d) sind hier nicht aufgeführt: nur die Fachkräfte "
                "des Trägers, der sie geschrieben hat, dürfen sie lesen. Die Auskunft darüber "
                "erteilt dieser Träger."
            )
            % {"n": withheld}
            if withheld
            else "",
        )
        yield Section(
            "casework_referrals",
            _("Beratung: Weitervermittlungen"),
            tuple(
                _record(
                    Entry(_("Angebot"), str(item.get_service_display()), item.service),
                    Entry(_("Stelle"), item.recipient),
                    Entry(_("vermittelt am"), _day(item.sent_on)),
                    Entry(_("Stand"), str(item.get_status_display()), item.status),
                    Entry(_("Wiedervorlage"), _day(item.follow_up_on)),
                    Entry(_("Kurznotiz"), item.note),
                )
                for item in Referral.objects.filter(case__in=cases).order_by("sent_on", "pk")
            ),
            purpose=purpose,
            recipients=_("die Stelle, an die vermittelt wurde, und der Träger"),
            origin=origin,
        )
        yield Section(
            "goals",
            _("Beratung: Integrationsplan"),
            tuple(
                _record(
                    Entry(_("Handlungsfeld"), str(item.get_field_display()), item.field),
                    Entry(_("Ziel"), item.title),
                    Entry(_("Zieldatum"), _day(item.target_on)),
                    Entry(_("Stand"), str(item.get_status_display()), item.status),
                )
                for item in Goal.objects.filter(case__in=cases).order_by("pk")
            ),
            purpose=purpose,
            recipients=recipients,
            origin=origin,
        )

    def contact_ends(self, *, county: County, today: date) -> Mapping[int, date | None]:
        """Per person of a case: an open case goes on; otherwise the later of its closing
        day and its last contact. A household's case counts for every member."""
        ends: dict[int, date | None] = {}
        ongoing: set[int] = set()
        last_contact = dict(
            Contact.objects.filter(county=county)
            .order_by()
            .values("case_id")
            .annotate(last=Max("day"))
            .values_list("case_id", "last")
        )
        cases = list(
            Case.objects.filter(county=county).values_list(
                "pk", "household_id", "person_id", "closed_on"
            )
        )
        members: dict[int, list[int]] = {}
        for pk, household_id in Person._base_manager.filter(
            household_id__in={household_id for _pk, household_id, _p, _c in cases}
        ).values_list("pk", "household_id"):
            members.setdefault(household_id, []).append(pk)
        for pk, household_id, person_id, closed_on in cases:
            persons = [person_id] if person_id else members.get(household_id, [])
            if closed_on is None or closed_on > today:
                ongoing.update(persons)
                continue
            candidates = [d for d in (closed_on, last_contact.get(pk)) if d is not None]
            end = max(candidates)
            for person in persons:
                known = ends.get(person)
                if known is None or end > known:
                    ends[person] = end
        for person in ongoing:
            ends[person] = None
        return ends

    def anonymise(self, *, person_ids: Sequence[int]) -> AnonymisationResult:
        households = complete_households(person_ids=person_ids, category=BERATUNG.key)
        cases = Case.objects.filter(
            Q(person_id__in=person_ids) | Q(person__isnull=True, household_id__in=households)
        )
        changed = (
            Contact.objects.filter(case__in=cases)
            .exclude(note="", confidential_note="")
            .update(note="", confidential_note="")
        )
        changed += Referral.objects.filter(case__in=cases).update(
            note="", recipient="", follow_up_on=None
        )
        changed += Goal.objects.filter(case__in=cases).update(title=GOAL_ANONYMISED)
        return AnonymisationResult(
            anonymised=changed,
            fields=(
                "contact.note",
                "contact.confidential_note",
                "referral.note",
                "referral.recipient",
                "referral.follow_up_on",
                "goal.title",
            ),
        )


registry.register(CaseworkSource())

"""Personal data source of ``people`` for the access export and the retention run
(see ``ankommen.privacy.registry`` and docs/privacy.md).

Anonymisation keeps what the statistics count (sex, year of birth, nationalities, languages,
statuses and needs with their dates, responsibilities, the date of allocation) and removes what
identifies a person: names and their search keys, day and month of birth, the AZR number, the
exact day of entry (the month stays), consents, and the household number once every member is
anonymised."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Count, DateField, Max, Q, Value
from django.db.models.functions import Cast, Concat, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankommen.algorithms.codes import language_name, nationality_name
from ankommen.people.models import (
    Consent,
    Household,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Responsibility,
    Vulnerability,
)
from ankommen.privacy import registry
from ankommen.privacy.coverage import complete_households
from ankommen.privacy.registry import AnonymisationResult, Entry, Record, RetentionCategory, Section

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import County, User

# The family name of an anonymised person (the column may not be empty).
ANONYMISED_NAME = "anonymisiert"

STAMMDATEN = RetentionCategory(
    key="stammdaten",
    label=gettext_lazy("Personen, Haushalte, Status, Schutzbedarfe, Einwilligungen"),
    default_years=3,
    legal_basis=gettext_lazy(
        "Art. 5 Abs. 1 lit. e und Art. 17 Abs. 1 lit. a DSGVO: nicht länger als für den Zweck "
        "nötig; die Dauer ist eine Entscheidung des Landkreises"
    ),
    verified=False,
)


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _choice(label: str, instance: Any, field: str) -> Entry:
    code = getattr(instance, field)
    return Entry(label, str(getattr(instance, f"get_{field}_display")()), code)


class PeopleSource:
    key = "people"
    category = STAMMDATEN

    def export(self, *, person: Person, actor: User | AnonymousUser | None) -> Iterable[Section]:
        purpose = _("Aufnahme, Unterbringung und Betreuung im Landkreis")
        recipients = _(
            "Mitarbeitende des Landkreises und der zuständigen Träger, soweit sie für Sie "
            "zuständig sind (siehe „Zuständigkeiten“)"
        )
        entries = [
            Entry(_("Familienname"), person.family_name),
            Entry(_("Vorname(n)"), person.given_names),
            Entry(_("Geburtsdatum"), person.birth_date.german()),
            _choice(_("Geschlecht"), person, "sex"),
            Entry(_("Haushaltsnummer"), person.household.reference),
            _choice(_("Stellung im Haushalt"), person, "household_role"),
            Entry(_("AZR-Nummer"), person.azr_number),
            Entry(_("Einreise nach Deutschland"), _day(person.arrived_in_germany_on)),
            Entry(_("Zuweisung an den Landkreis"), _day(person.allocated_on)),
        ]
        entries += [
            Entry(_("Staatsangehörigkeit"), nationality_name(n.code), n.code)
            for n in person.nationalities.order_by("code")
        ]
        entries += [
            Entry(
                _("Erstsprache") if lang.is_first_language else _("Sprache"),
                language_name(lang.code),
                lang.code,
            )
            for lang in person.languages.order_by("-is_first_language", "code")
        ]
        yield Section(
            "person",
            _("Angaben zur Person"),
            (Record(tuple(entry for entry in entries if entry.value)),),
            purpose=purpose,
            recipients=recipients,
            origin=_("Zuweisungsliste des Landes und Ihre eigenen Angaben"),
        )
        yield Section(
            "name_keys",
            _("Suchschlüssel des Namens"),
            tuple(
                Record((Entry(_("Schlüssel"), key),))
                for key in PersonNameKey.objects.filter(person=person)
                .order_by("key")
                .values_list("key", flat=True)
            ),
            purpose=_("Wiederfinden Ihres Namens in verschiedenen Schreibweisen"),
            recipients=_("niemand (nur intern für die Suche)"),
            origin=_("aus Ihrem Namen berechnet"),
        )
        yield Section(
            "residence_statuses",
            _("Aufenthaltsstatus"),
            tuple(
                Record(
                    tuple(
                        entry
                        for entry in (
                            _choice(_("Aufenthaltsstatus"), status, "kind"),
                            _choice(_("Rechtsgrundlage"), status, "legal_basis")
                            if status.legal_basis
                            else Entry("", ""),
                            Entry(_("gültig ab"), _day(status.valid_from)),
                            Entry(_("gültig bis"), _day(status.valid_to)),
                        )
                        if entry.value
                    )
                )
                for status in ResidenceStatus.objects.filter(person=person).order_by("valid_from")
            ),
            purpose=purpose,
            recipients=recipients,
            origin=_("Ausländerbehörde, Zuweisungsliste des Landes oder Ihre Unterlagen"),
        )
        needs = list(Vulnerability.objects.filter(person=person).order_by("valid_from", "pk"))
        yield Section(
            "vulnerabilities",
            _("Besondere Schutzbedürftigkeit"),
            tuple(
                Record(
                    tuple(
                        entry
                        for entry in (
                            _choice(_("Kategorie"), need, "category"),
                            Entry(_("festgestellt am"), _day(need.valid_from)),
                            Entry(_("entfallen am"), _day(need.valid_to)),
                        )
                        if entry.value
                    )
                )
                for need in needs
            ),
            purpose=_(
                "Berücksichtigung besonderer Bedürfnisse bei Aufnahme und Unterbringung "
                "(Art. 21 und 22 der Richtlinie 2013/33/EU)"
            ),
            recipients=recipients,
            origin=_("Feststellung bei der Ankunft oder Ihre Angaben"),
            audited_read=any(need.category in Vulnerability.HEALTH_RELATED for need in needs),
        )
        yield Section(
            "consents",
            _("Einwilligungen"),
            tuple(
                Record(
                    tuple(
                        entry
                        for entry in (
                            _choice(_("Zweck"), consent, "purpose"),
                            Entry(_("erteilt am"), _day(consent.given_on)),
                            Entry(_("widerrufen am"), _day(consent.withdrawn_on)),
                        )
                        if entry.value
                    )
                )
                for consent in Consent.objects.filter(person=person).order_by("given_on", "pk")
            ),
            purpose=_("Nachweis Ihrer Einwilligungen (Art. 7 DSGVO)"),
            recipients=recipients,
            origin=_("Ihre Erklärung"),
        )
        yield Section(
            "responsibilities",
            _("Zuständigkeiten (wer Ihren Haushalt betreut)"),
            tuple(
                Record(
                    tuple(
                        entry
                        for entry in (
                            _choice(_("Art"), item, "kind"),
                            Entry(_("Träger"), str(item.provider or "")),
                            Entry(_("Einrichtung"), str(item.site or "")),
                            Entry(
                                _("Fachkraft"),
                                _("namentlich zugewiesen") if item.caseworker_id else "",
                            ),
                            Entry(_("ab"), _day(item.valid_from)),
                            Entry(_("bis"), _day(item.valid_to)),
                        )
                        if entry.value
                    )
                )
                for item in Responsibility.objects.filter(household_id=person.household_id)
                .select_related("provider", "site")
                .order_by("valid_from", "pk")
            ),
            purpose=purpose,
            recipients=_("die genannten Träger und Einrichtungen"),
            origin=_("Entscheidungen des Landkreises"),
        )

    def contact_ends(self, *, county: County, today: date) -> Mapping[int, date | None]:
        """The last responsibility for the household; a person whose household never had one
        counts from the day the record was created."""
        households = {
            row["household_id"]: row
            for row in Responsibility.objects.filter(county=county)
            .order_by()
            .values("household_id")
            .annotate(
                open=Count("pk", filter=Q(valid_to__isnull=True) | Q(valid_to__gte=today)),
                last=Max("valid_to"),
            )
        }
        result: dict[int, date | None] = {}
        for pk, household_id, created_at in Person._base_manager.filter(county=county).values_list(
            "pk", "household_id", "created_at"
        ):
            row = households.get(household_id)
            if row is None:
                result[pk] = timezone.localtime(created_at).date()
            else:
                result[pk] = None if row["open"] else row["last"]
        return result

    def anonymise(self, *, person_ids: Sequence[int]) -> AnonymisationResult:
        persons = Person._base_manager.filter(pk__in=person_ids)
        # Only the month of entry stays.
        persons.exclude(arrived_in_germany_on__isnull=True).update(
            arrived_in_germany_on=TruncMonth("arrived_in_germany_on", output_field=DateField())
        )
        changed = persons.update(
            family_name=ANONYMISED_NAME,
            given_names="",
            birth_month=None,
            birth_day=None,
            azr_number="",
            updated_at=timezone.now(),
        )
        deleted, _by_model = PersonNameKey.objects.filter(person_id__in=person_ids).delete()
        consents, _by_model = Consent.objects.filter(person_id__in=person_ids).delete()
        households = complete_households(person_ids=person_ids, category=STAMMDATEN.key)
        Household._base_manager.filter(pk__in=households).update(
            reference=Concat(Value("anonym-"), Cast("pk", CharField()))
        )
        return AnonymisationResult(
            anonymised=changed + len(households),
            deleted=deleted + consents,
            fields=(
                "family_name",
                "given_names",
                "birth_month",
                "birth_day",
                "azr_number",
                "arrived_in_germany_on",
                "name_keys",
                "consents",
                "household.reference",
            ),
        )


registry.register(PeopleSource())

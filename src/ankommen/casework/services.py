"""Writes of casework: cases, assignments and hand-overs, counselling contacts, referrals and
goals of the integration plan. Each function checks access, validates (every problem at once,
a German ``ValidationError`` keyed by field; nothing is written then), writes in one transaction
and records audit events (field names only, never the text of a note).

``actor=None`` is the system (the demo); it skips the access check and is audited as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms.codes import CodeError, language_code
from ankommen.audit.services import record_event
from ankommen.casework import catalogue
from ankommen.casework.models import (
    Assignment,
    Case,
    Contact,
    Goal,
    Referral,
    StaffingRatio,
    Topic,
)
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import Membership, Role, Scope
from ankommen.people.models import Person, Responsibility

if TYPE_CHECKING:
    from ankommen.core.models import County, Provider, User
    from ankommen.people.models import Household

NOTE_MAX = Contact._meta.get_field("note").max_length or 500
CONFIDENTIAL_MAX = 5000
MAX_MINUTES = 600  # a counselling contact of more than ten hours is a typing error


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(
                {field: [ValidationError(m) for m in msgs] for field, msgs in self.by_field.items()}
            )


def _today() -> date:
    return timezone.localdate()


def _not_future(day: date | None, field: str, label: str, errors: _Errors) -> None:
    if day is not None and day > _today():
        errors.add(field, _("%(label)s liegt in der Zukunft.") % {"label": label})


def _text(value: str, field: str, label: str, limit: int, errors: _Errors) -> str:
    value = str(value or "").strip()
    if len(value) > limit:
        errors.add(
            field,
            _("%(label)s ist zu lang (%(n)d Zeichen, höchstens %(max)d).")
            % {"label": label, "n": len(value), "max": limit},
        )
    return value


@transaction.atomic
def ensure_catalogue(county: County) -> None:
    """Give a county the default topics and staffing key if it has none yet (idempotent)."""
    if not Topic.objects.filter(county=county).exists():
        Topic.objects.bulk_create(
            Topic(county=county, code=code, label=str(label), position=n)
            for n, (code, label) in enumerate(catalogue.DEFAULT_TOPICS)
        )
    if not StaffingRatio.objects.filter(county=county).exists():
        StaffingRatio.objects.create(
            county=county,
            per_fte=catalogue.DEFAULT_RATIO_PER_FTE,
            unit=StaffingRatio.Unit.HOUSEHOLDS,
            source=catalogue.DEFAULT_RATIO_SOURCE,
            verified=False,
            valid_from=catalogue.DEFAULT_RATIO_VALID_FROM,
        )


def _end(responsibility: Responsibility | None, day: date) -> None:
    """End a responsibility (inclusive end) the day before ``day``; never before its start."""
    if responsibility is None or responsibility.valid_to is not None:
        return
    responsibility.valid_to = max(day - timedelta(days=1), responsibility.valid_from)
    responsibility.save(update_fields=["valid_to"])


@transaction.atomic
def open_case(
    *,
    actor: User | None,
    household: Household,
    provider: Provider,
    opened_on: date,
    person: Person | None = None,
    caseworker: User | None = None,
) -> Case:
    """Open a case of a household (or of one member) held by ``provider``. The county assigns
    cases to providers: this needs the casework right with county scope."""
    if actor is not None:
        access.require(actor, Action.CHANGE_CASEWORK, household.county)
    errors = _Errors()
    if provider.county_id != household.county_id:
        errors.add("provider", _("Der Träger gehört nicht zu diesem Landkreis."))
    if person is not None and person.household_id != household.pk:
        errors.add("person", _("Die Person gehört nicht zu diesem Haushalt."))
    _not_future(opened_on, "opened_on", _("Das Eröffnungsdatum"), errors)
    open_cases = Case.objects.filter(
        household=household, provider=provider, person=person, closed_on__isnull=True
    )
    if provider.county_id == household.county_id and open_cases.exists():
        errors.add("provider", _("Dieser Träger hat hier schon einen offenen Fall."))
    errors.raise_any()
    ensure_catalogue(household.county)
    responsibility = Responsibility.objects.create(
        county_id=household.county_id,
        household=household,
        kind=Responsibility.Kind.CASEWORK,
        provider=provider,
        valid_from=opened_on,
    )
    try:
        with transaction.atomic():
            case = Case.objects.create(
                county_id=household.county_id,
                household=household,
                person=person,
                provider=provider,
                opened_on=opened_on,
                responsibility=responsibility,
            )
    except IntegrityError:  # opened concurrently since the check above
        raise ValidationError(
            {"provider": _("Dieser Träger hat hier schon einen offenen Fall.")}
        ) from None
    record_event(actor=actor, action="create", obj=responsibility)
    record_event(actor=actor, action="create", obj=case)
    if caseworker is not None:
        assign_caseworker(actor=None, case=case, caseworker=caseworker, day=opened_on)
    return case


def may_work_on(user: User, case: Case, *, day: date | None = None) -> bool:
    """Can ``user`` be assigned to the case: a caseworker of the case's provider (any scope)
    or the county's own caseworker with county scope."""
    day = day or _today()
    memberships = Membership.objects.active_on(day).filter(user=user, county_id=case.county_id)
    for m in memberships:
        if Action.CHANGE_CASEWORK not in access.ROLE_ACTIONS[Role(m.role)]:
            continue
        if m.provider_id == case.provider_id or m.scope == Scope.COUNTY:
            return True
    return False


@transaction.atomic
def assign_caseworker(
    *,
    actor: User | None,
    case: Case,
    caseworker: User,
    day: date,
    hand_over: bool = False,
) -> Assignment:
    """Assign a caseworker from ``day``. A hand-over ends the open assignments the day before
    (they stay in the history); otherwise the caseworker joins those already assigned."""
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_CASEWORK, case.household)
    errors = _Errors()
    if case.closed_on is not None:
        errors.add("caseworker", _("Der Fall ist abgeschlossen."))
    if not may_work_on(caseworker, case, day=day):
        errors.add(
            "caseworker",
            _("%(who)s arbeitet nicht in der Migrationssozialarbeit dieses Trägers.")
            % {"who": caseworker},
        )
    _not_future(day, "day", _("Der Beginn"), errors)
    if day < case.opened_on:
        errors.add("day", _("Der Beginn liegt vor der Eröffnung des Falls."))
    current = list(case.assignments.active_on(day).select_related("responsibility"))
    if any(a.caseworker_id == caseworker.pk for a in current):
        errors.add("caseworker", _("%(who)s ist bereits zugeordnet.") % {"who": caseworker})
    errors.raise_any()
    events: list[tuple[str, object]] = []
    if hand_over:
        for old in current:
            old.valid_to = max(day - timedelta(days=1), old.valid_from)
            old.save(update_fields=["valid_to"])
            _end(old.responsibility, day)
            events.append(("change", old))
    responsibility = Responsibility.objects.create(
        county_id=case.county_id,
        household_id=case.household_id,
        kind=Responsibility.Kind.CASEWORK,
        provider_id=case.provider_id,
        caseworker=caseworker,
        valid_from=day,
    )
    assignment = Assignment.objects.create(
        county_id=case.county_id,
        case=case,
        caseworker=caseworker,
        valid_from=day,
        responsibility=responsibility,
    )
    for action, obj in events:
        record_event(actor=actor, action=action, obj=obj, details={"fields": ["valid_to"]})  # type: ignore[arg-type]
    record_event(actor=actor, action="create", obj=assignment)
    return assignment


@transaction.atomic
def close_case(*, actor: User | None, case: Case, closed_on: date) -> Case:
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_CASEWORK, case.household)
    errors = _Errors()
    if case.closed_on is not None:
        errors.add("closed_on", _("Der Fall ist bereits abgeschlossen."))
    elif closed_on < case.opened_on:
        errors.add("closed_on", _("Der Abschluss liegt vor der Eröffnung."))
    _not_future(closed_on, "closed_on", _("Der Abschluss"), errors)
    errors.raise_any()
    for assignment in case.assignments.filter(valid_to__isnull=True).select_related(
        "responsibility"
    ):
        assignment.valid_to = max(closed_on, assignment.valid_from)
        assignment.save(update_fields=["valid_to"])
        if assignment.responsibility is not None:
            assignment.responsibility.valid_to = assignment.valid_to
            assignment.responsibility.save(update_fields=["valid_to"])
    if case.responsibility is not None and case.responsibility.valid_to is None:
        case.responsibility.valid_to = closed_on
        case.responsibility.save(update_fields=["valid_to"])
    case.closed_on = closed_on
    case.save(update_fields=["closed_on"])
    record_event(actor=actor, action="change", obj=case, details={"fields": ["closed_on"]})
    return case


def _author_provider(actor: User, case: Case) -> int | None:
    """The provider whose staff may read the author's confidential note: the case's provider
    if the author works for it, else the author's only provider in the county."""
    providers = access.providers_for(actor, Action.CHANGE_CASEWORK, case.county_id)
    if case.provider_id in providers:
        return case.provider_id
    return min(providers) if len(providers) == 1 else None


@transaction.atomic
def record_contact(
    *,
    actor: User | None,
    case: Case,
    day: date,
    minutes: int,
    place: str,
    language: str,
    interpreter: bool,
    topics: Iterable[str],
    note: str = "",
    confidential_note: str = "",
    author: User | None = None,
) -> Contact:
    """Record a counselling contact. ``topics`` are codes of the county's catalogue. A
    confidential note is readable only by the staff of the author's provider, so only an author
    who works for a provider can write one. The system (``actor=None``) names the ``author``."""
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_CASEWORK, case.household)
        author = actor
    errors = _Errors()
    if author is None:
        raise ValueError("record_contact needs an author")
    _not_future(day, "day", _("Das Datum des Kontakts"), errors)
    if day < case.opened_on:
        errors.add("day", _("Das Datum liegt vor der Eröffnung des Falls."))
    if not 0 < minutes <= MAX_MINUTES:
        errors.add(
            "minutes",
            _("Die Dauer muss zwischen 1 und %(max)d Minuten liegen.") % {"max": MAX_MINUTES},
        )
    if place not in Contact.Place.values:
        errors.add("place", _("„%(v)s“ ist kein bekannter Ort.") % {"v": str(place)[:40]})
    try:
        code = language_code(language)
    except CodeError as error:
        errors.add("language", str(error))
        code = ""
    codes = sorted({str(t) for t in topics})
    found = list(Topic.objects.filter(county_id=case.county_id, code__in=codes, active=True))
    unknown = sorted(set(codes) - {t.code for t in found})
    if not codes:
        errors.add("topics", _("Bitte mindestens ein Thema wählen."))
    elif unknown:
        errors.add(
            "topics",
            _("Unbekannte Themen: %(codes)s.") % {"codes": ", ".join(u[:40] for u in unknown)},
        )
    note = _text(note, "note", _("Die Kurznotiz"), NOTE_MAX, errors)
    confidential_note = _text(
        confidential_note,
        "confidential_note",
        _("Die vertrauliche Notiz"),
        CONFIDENTIAL_MAX,
        errors,
    )
    author_provider: int | None = None
    if actor is None:
        author_provider = case.provider_id
    elif confidential_note:
        author_provider = _author_provider(actor, case)
        if author_provider is None:
            errors.add(
                "confidential_note",
                _(
                    "Vertrauliche Notizen schreibt nur, wer für einen Träger arbeitet: "
                    "nur dessen Fachkräfte können sie lesen."
                ),
            )
    if case.closed_on is not None:
        errors.add("day", _("Der Fall ist abgeschlossen."))
    errors.raise_any()
    contact = Contact.objects.create(
        county_id=case.county_id,
        case=case,
        day=day,
        minutes=minutes,
        place=place,
        language=code,
        interpreter=bool(interpreter),
        note=note,
        confidential_note=confidential_note,
        author=author,
        author_provider_id=author_provider if confidential_note else None,
    )
    contact.topics.set(found)
    record_event(actor=actor, action="create", obj=contact)
    return contact


def _referral_problems(
    errors: _Errors, *, status: str, follow_up_on: date | None, sent_on: date
) -> None:
    if status not in Referral.Status.values:
        errors.add("status", _("„%(v)s“ ist kein bekannter Stand.") % {"v": str(status)[:40]})
    if follow_up_on is not None and follow_up_on < sent_on:
        errors.add("follow_up_on", _("Die Wiedervorlage liegt vor der Vermittlung."))


@transaction.atomic
def record_referral(
    *,
    actor: User | None,
    case: Case,
    service: str,
    sent_on: date,
    recipient: str = "",
    follow_up_on: date | None = None,
    note: str = "",
    status: str = Referral.Status.SENT,
) -> Referral:
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_CASEWORK, case.household)
    errors = _Errors()
    if service not in Referral.Service.values:
        errors.add("service", _("„%(v)s“ ist kein bekanntes Angebot.") % {"v": str(service)[:40]})
    _not_future(sent_on, "sent_on", _("Das Datum der Vermittlung"), errors)
    if sent_on < case.opened_on:
        errors.add("sent_on", _("Das Datum liegt vor der Eröffnung des Falls."))
    recipient = _text(recipient, "recipient", _("Die Stelle"), 200, errors)
    note = _text(note, "note", _("Die Kurznotiz"), NOTE_MAX, errors)
    _referral_problems(errors, status=status, follow_up_on=follow_up_on, sent_on=sent_on)
    errors.raise_any()
    referral = Referral.objects.create(
        county_id=case.county_id,
        case=case,
        service=service,
        recipient=recipient,
        sent_on=sent_on,
        status=status,
        follow_up_on=follow_up_on,
        note=note,
        created_by=actor,
    )
    record_event(actor=actor, action="create", obj=referral)
    return referral


@transaction.atomic
def update_referral(
    *, actor: User | None, referral: Referral, status: str, follow_up_on: date | None
) -> Referral:
    """Set a referral's status and next follow-up (none: nothing more to follow up)."""
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_CASEWORK, referral.case.household)
    errors = _Errors()
    _referral_problems(errors, status=status, follow_up_on=follow_up_on, sent_on=referral.sent_on)
    errors.raise_any()
    changed = [
        name
        for name, value in (("status", status), ("follow_up_on", follow_up_on))
        if getattr(referral, name) != value
    ]
    referral.status = status
    referral.follow_up_on = follow_up_on
    referral.save(update_fields=["status", "follow_up_on"])
    record_event(actor=actor, action="change", obj=referral, details={"fields": changed})
    return referral


@transaction.atomic
def add_goal(
    *,
    actor: User | None,
    case: Case,
    field: str,
    title: str,
    target_on: date | None = None,
    status: str = Goal.Status.OPEN,
    referral: Referral | None = None,
) -> Goal:
    """A goal of the household's integration plan, optionally linked to one of the case's
    referrals."""
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_CASEWORK, case.household)
    errors = _Errors()
    if field not in Goal.Field.values:
        errors.add("field", _("„%(v)s“ ist kein Handlungsfeld.") % {"v": str(field)[:40]})
    if status not in Goal.Status.values:
        errors.add("status", _("„%(v)s“ ist kein bekannter Stand.") % {"v": str(status)[:40]})
    title = _text(title, "title", _("Das Ziel"), 200, errors)
    if not title:
        errors.add("title", _("Bitte das Ziel beschreiben."))
    if referral is not None and referral.case_id != case.pk:
        errors.add("referral", _("Die Weitervermittlung gehört nicht zu diesem Fall."))
    if target_on is not None and target_on < case.opened_on:
        errors.add("target_on", _("Das Zieldatum liegt vor der Eröffnung des Falls."))
    errors.raise_any()
    goal = Goal.objects.create(
        county_id=case.county_id,
        case=case,
        field=field,
        title=title,
        target_on=target_on,
        status=status,
        referral=referral,
    )
    record_event(actor=actor, action="create", obj=goal)
    return goal


@transaction.atomic
def update_goal(*, actor: User | None, goal: Goal, status: str, target_on: date | None) -> Goal:
    """Set a goal's status and target date."""
    if actor is not None:
        access.require_reach(actor, Action.CHANGE_CASEWORK, goal.case.household)
    errors = _Errors()
    if status not in Goal.Status.values:
        errors.add("status", _("„%(v)s“ ist kein bekannter Stand.") % {"v": str(status)[:40]})
    if target_on is not None and target_on < goal.case.opened_on:
        errors.add("target_on", _("Das Zieldatum liegt vor der Eröffnung des Falls."))
    errors.raise_any()
    changed = [
        name
        for name, value in (("status", status), ("target_on", target_on))
        if getattr(goal, name) != value
    ]
    goal.status = status
    goal.target_on = target_on
    goal.save(update_fields=["status", "target_on"])
    record_event(actor=actor, action="change", obj=goal, details={"fields": changed})
    return goal

"""Demo data of Migrationssozialarbeit: cases for the households that the seeded data gives a
casework responsibility, caseworker positions, counselling contacts, referrals (some of them
overdue) and goals. Idempotent: skipped once the county has a case. Written in bulk and
recorded as one audit event, like the rest of the demo load."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ankommen.audit.services import record_event
from ankommen.casework.models import (
    Assignment,
    Case,
    Contact,
    Goal,
    Position,
    Referral,
    Topic,
)
from ankommen.casework.services import ensure_catalogue
from ankommen.core.models import County, Membership, Provider, Site, User
from ankommen.people.models import Consent, Person, Responsibility

# Households of the demo whose members have not consented to sharing with the provider: the
# provider's staff do not see their casework (the county's do).
WITHOUT_CONSENT_SHARE = 0.1
CASES_WITH_CONTACTS = 80
PLACES = [p for p, _ in Contact.Place.choices]
LANGUAGES = ["ara", "prs", "ukr", "rus", "tur", "tir", "kmr", "eng"]
NOTES = [
    "Antrag vorbereitet",
    "Unterlagen kopiert, Termin vereinbart",
    "Brief der Behörde erklärt",
    "Rückfrage beim Jobcenter",
    "Kita-Anmeldung besprochen",
]
GOALS = {
    Goal.Field.LANGUAGE: "Deutschkurs B1 abschließen",
    Goal.Field.WORK: "Praktikum im Handwerk finden",
    Goal.Field.HOUSING: "Eigene Wohnung beziehen",
    Goal.Field.EDUCATION: "Schulplatz für die Kinder",
    Goal.Field.HEALTH: "Hausarzt gefunden",
}
GOAL_SERVICE = {
    Goal.Field.LANGUAGE: Referral.Service.LANGUAGE_COURSE,
    Goal.Field.WORK: Referral.Service.JOB_COACH,
    Goal.Field.HOUSING: Referral.Service.HOUSING,
    Goal.Field.EDUCATION: Referral.Service.SCHOOL,
    Goal.Field.HEALTH: Referral.Service.HEALTH,
}
# Extra caseworkers of the social providers: positions and assignments only, no membership
# and no usable password (the demo's logins are one per role, seeding/demo.py).
EXTRA_STAFF: dict[str, list[tuple[str, Decimal, str | None]]] = {
    "Brückenwerk Soziale Dienste e. V.": [
        ("msa-brueckenwerk-1", Decimal("1.00"), "GU Fürstenwalde Nord"),
        ("msa-brueckenwerk-2", Decimal("1.00"), "GU Fürstenwalde Süd"),
    ],
    "Lebenswege Migrationsberatung gGmbH": [
        ("msa-lebenswege-1", Decimal("1.00"), "GU Eisenhüttenstadt"),
        ("msa-lebenswege-2", Decimal("0.50"), "GU Beeskow"),
        ("msa-lebenswege-3", Decimal("0.50"), None),
    ],
    "Nachbarschaftshilfe Spreebogen e. V.": [
        ("msa-spreebogen-1", Decimal("1.00"), "GU Erkner"),
    ],
}
LOGIN_POSITIONS = {"sozialarbeit": Decimal("1.00"), "fallarbeit": Decimal("0.50")}


def _positions(county: County, start: date) -> int:
    providers = {p.name: p for p in Provider._base_manager.filter(county=county)}
    created = 0
    for username, fte in LOGIN_POSITIONS.items():
        membership = (
            Membership.objects.filter(user__username=username, county=county)
            .exclude(provider__isnull=True)
            .first()
        )
        if membership is None or membership.provider is None:
            continue
        site = (
            Site._base_manager.filter(county=county, kind=Site.Kind.SHARED_ACCOMMODATION)
            .order_by("-capacity")
            .first()
            if username == "sozialarbeit"
            else None
        )
        Position.objects.create(
            county=county,
            caseworker=membership.user,
            provider=membership.provider,
            site=site,
            fte=fte,
            valid_from=start,
        )
        created += 1
    for name, staff in EXTRA_STAFF.items():
        provider = providers.get(name)
        if provider is None:
            continue
        for username, fte, site_name in staff:
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={
                    "display_name": f"Fachkraft {provider.name}",
                    "password": make_password(None),
                },
            )
            Position.objects.create(
                county=county,
                caseworker=user,
                provider=provider,
                site=Site._base_manager.filter(county=county, name=site_name).first()
                if site_name
                else None,
                fte=fte,
                valid_from=start,
            )
            created += 1
    return created


@transaction.atomic
def build_casework(county: County, rng: random.Random) -> dict[str, int]:
    """Cases, positions, contacts, referrals and goals for ``county`` (once)."""
    if Case.objects.filter(county=county).exists():
        return {}
    ensure_catalogue(county)
    today = timezone.localdate()
    start = today - timedelta(days=400)
    positions = _positions(county, start)
    extra: dict[int, list[User]] = {}
    for p in Position.objects.filter(county=county).select_related("caseworker"):
        extra.setdefault(p.provider_id, []).append(p.caseworker)
    open_work = list(
        Responsibility.objects.filter(
            county=county, kind=Responsibility.Kind.CASEWORK, valid_to__isnull=True
        )
        .exclude(provider__isnull=True)
        .order_by("household_id", "pk")
    )
    seen: set[int] = set()
    cases: list[Case] = []
    for r in open_work:
        if r.household_id in seen or r.provider_id is None:
            continue
        seen.add(r.household_id)
        cases.append(
            Case(
                county=county,
                household_id=r.household_id,
                provider_id=r.provider_id,
                opened_on=max(r.valid_from, start),
                responsibility=r,
            )
        )
    Case.objects.bulk_create(cases)
    by_household = {c.household_id: c for c in Case.objects.filter(county=county)}
    assignments = []
    for r in open_work:
        case = by_household.get(r.household_id)
        if case is None or case.responsibility_id != r.pk:
            continue
        team = extra.get(case.provider_id)
        worker = r.caseworker if r.caseworker_id else (rng.choice(team) if team else None)
        if worker is None:
            continue
        assignments.append(
            Assignment(
                county=county,
                case=case,
                caseworker=worker,
                valid_from=case.opened_on,
                responsibility=r if r.caseworker_id else None,
            )
        )
    Assignment.objects.bulk_create(assignments)

    heads = {
        p.household_id: p
        for p in Person._base_manager.filter(household_id__in=by_household).order_by("-pk")
    }
    already = set(
        Consent.objects.filter(
            county=county,
            purpose=Consent.Purpose.SHARE_WITH_PROVIDER,
            withdrawn_on__isnull=True,
            person__household_id__in=by_household,
        ).values_list("person__household_id", flat=True)
    )
    consents = [
        Consent(
            county=county,
            person=heads[h],
            purpose=Consent.Purpose.SHARE_WITH_PROVIDER,
            given_on=case.opened_on,
        )
        for h, case in by_household.items()
        if h in heads and h not in already and rng.random() >= WITHOUT_CONSENT_SHARE
    ]
    Consent.objects.bulk_create(consents)

    topics = list(Topic.objects.filter(county=county))
    authors = {a.case_id: a.caseworker for a in assignments}
    ordered = sorted(by_household.values(), key=lambda c: c.pk)[:CASES_WITH_CONTACTS]
    contacts: list[Contact] = []
    chosen: list[list[Topic]] = []
    referrals: list[Referral] = []
    goals: list[Goal] = []
    for n, case in enumerate(ordered):
        author = authors.get(case.pk)
        if author is None:
            continue
        span = max((today - case.opened_on).days, 1)
        for _ in range(rng.randint(1, 3)):
            day = case.opened_on + timedelta(days=rng.randrange(span))
            contacts.append(
                Contact(
                    county=county,
                    case=case,
                    day=day,
                    minutes=rng.choice([20, 30, 45, 60, 90]),
                    place=rng.choice(PLACES),
                    language=rng.choice(LANGUAGES),
                    interpreter=rng.random() < 0.4,
                    note=rng.choice(NOTES),
                    confidential_note="Vertrauliche Demo-Notiz" if rng.random() < 0.2 else "",
                    author=author,
                    author_provider_id=case.provider_id,
                )
            )
            chosen.append(rng.sample(topics, k=rng.randint(1, 3)))
        field = list(GOALS)[n % len(GOALS)]
        sent = today - timedelta(days=rng.randint(10, 90))
        overdue = n % 3 == 0  # every third case has an overdue follow-up
        referrals.append(
            Referral(
                county=county,
                case=case,
                service=GOAL_SERVICE[field],
                sent_on=sent,
                status=Referral.Status.SENT if overdue else rng.choice(list(Referral.Status)),
                follow_up_on=today - timedelta(days=rng.randint(1, 14))
                if overdue
                else today + timedelta(days=rng.randint(1, 30)),
            )
        )
    Contact.objects.bulk_create(contacts)
    links = [
        Contact.topics.through(contact_id=c.pk, topic_id=t.pk)
        for c, ts in zip(contacts, chosen, strict=True)
        for t in ts
    ]
    Contact.topics.through.objects.bulk_create(links)
    Referral.objects.bulk_create(referrals)
    for n, referral in enumerate(referrals):
        field = list(GOALS)[n % len(GOALS)]
        goals.append(
            Goal(
                county=county,
                case=referral.case,
                field=field,
                title=GOALS[field],
                target_on=today + timedelta(days=rng.randint(30, 300)),
                status=Goal.Status.IN_PROGRESS,
                referral=referral,
            )
        )
    Goal.objects.bulk_create(goals)
    counts = {
        "cases": len(cases),
        "casework_positions": positions,
        "contacts": len(contacts),
        "referrals": len(referrals),
        "overdue_referrals": sum(1 for r in referrals if r.follow_up_on and r.follow_up_on < today),
        "goals": len(goals),
        "sharing_consents": len(consents),
    }
    record_event(
        actor=None,
        action="create",
        county=county,
        object_type="casework.case",
        purpose="Demodaten",
        details={"counts": counts},
    )
    return counts

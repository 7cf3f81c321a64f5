"""Casework in the matrix world: every household has an open case (held by the provider its
relation names), a contact with a confidential note, an overdue referral and a goal, and a
member's consent to sharing with the provider (a row of its own, so that the API's consent
withdrawal in the matrix leaves it standing). Written directly, without responsibilities, so
that the relations of ``world.py`` stay exactly as they are."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from ankommen.casework.models import Case, Contact, Goal, Referral, Topic
from ankommen.casework.services import ensure_catalogue
from ankommen.core.models import Role, Scope
from ankommen.people.models import Consent
from tests.access.matrix import OTHER_COUNTY, RELATIONS
from tests.factories import MembershipFactory, UserFactory

OPENED = date(2023, 1, 1)


def build_casework(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    other_provider = world.sites["other_in_county"].provider
    far_provider = world.sites[OTHER_COUNTY].provider
    providers = dict.fromkeys(RELATIONS, world.provider)
    providers["other_in_county"] = other_provider
    providers[OTHER_COUNTY] = far_provider
    # Staff who may take a case over: the colleague at the subject's provider, another one at
    # the other provider.
    MembershipFactory(
        user=world.colleague,
        county=world.county,
        role=Role.PROVIDER_CASEWORKER,
        scope=Scope.PROVIDER,
        provider=world.provider,
    )
    other_colleague = UserFactory(password=None)
    MembershipFactory(
        user=other_colleague,
        county=world.county,
        role=Role.PROVIDER_CASEWORKER,
        scope=Scope.PROVIDER,
        provider=other_provider,
    )
    world.other_provider = other_provider
    world.takers = dict.fromkeys(RELATIONS, world.colleague)
    world.takers["other_in_county"] = other_colleague
    for county in (world.county, world.other_county):
        ensure_catalogue(county)
    topics = {
        county.pk: Topic.objects.get(county=county, code="wohnen")
        for county in (world.county, world.other_county)
    }
    for relation in RELATIONS:
        household = world.households[relation]
        person = world.persons[relation]
        Consent.objects.create(
            county=household.county,
            person=person,
            purpose=Consent.Purpose.SHARE_WITH_PROVIDER,
            given_on=date(2023, 3, 1),
        )
        case = Case.objects.create(
            county=household.county,
            household=household,
            provider=providers[relation],
            opened_on=OPENED,
        )
        contact = Contact.objects.create(
            county=household.county,
            case=case,
            day=date(2023, 4, 1),
            minutes=30,
            place=Contact.Place.OFFICE,
            language="ara",
            note="Kurz",
            confidential_note="Vertraulich",
            author=world.colleague,
            author_provider=providers[relation],
        )
        contact.topics.set([topics[household.county_id]])
        referral = Referral.objects.create(
            county=household.county,
            case=case,
            service=Referral.Service.LANGUAGE_COURSE,
            sent_on=date(2023, 4, 1),
            follow_up_on=today - timedelta(days=1),
        )
        world.goals[relation] = Goal.objects.create(
            county=household.county,
            case=case,
            field=Goal.Field.LANGUAGE,
            title="B1",
            referral=referral,
        )
        world.cases[relation] = case
        world.casework_referrals[relation] = referral

"""The demo county, loaded once for this module (about 1,500 persons)."""

import json
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from ankommen.algorithms.names import name_keys
from ankommen.audit.models import AuditEvent
from ankommen.core.models import County, Membership, Municipality, Role, Scope, User
from ankommen.housing.models import Allocation, AllocationImport
from ankommen.people import selectors
from ankommen.people.models import Household, Nationality, Person, PersonNameKey, Responsibility
from ankommen.seeding.demo import (
    ANNOUNCED_PERSONS,
    DEMO_PASSWORD,
    DEMO_PERSONS,
    county_counts,
    load_demo,
)
from ankommen.seeding.origins import OTHER, TEMPORARY_PROTECTION_SHARE, load_origin_table

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once; everything is rolled back after the module."""
    with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
        main, others = load_demo("oder-spree")
        yield main.county, others[0].county
        transaction.set_rollback(True)


def _all_counts():
    return {
        model.__name__: model._base_manager.count()
        for model in (
            County,
            Municipality,
            Household,
            Person,
            Responsibility,
            User,
            Membership,
            AuditEvent,
        )
    }


def test_loading_again_changes_nothing_and_says_so(demo):
    before = _all_counts()
    main, others = load_demo("oder-spree")
    assert sum(main.created.values()) == 0
    assert all(sum(o.created.values()) == 0 for o in others)
    out = StringIO()
    call_command("demo", "--skip-migrate", "-v0", stdout=out)
    assert "nichts geändert" in out.getvalue()
    assert _all_counts() == before


def test_json_output_is_only_json_with_county_counts_and_logins(demo):
    out = StringIO()
    call_command("demo", "--skip-migrate", "--format", "json", "-v0", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["county"] == "oder-spree"
    assert payload["changed"] is False
    assert payload["counts"]["persons"] == DEMO_PERSONS + ANNOUNCED_PERSONS
    assert payload["password"] == DEMO_PASSWORD
    assert {login["role"] for login in payload["logins"]} == set(Role.values)


def test_the_demo_refuses_production_mode(demo, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="Produktivbetrieb"):
        call_command("demo", "--skip-migrate", "-v0", stdout=StringIO())


def test_the_county_has_the_planned_size(demo):
    county, _ = demo
    counts = county_counts(county)
    assert counts["persons"] == DEMO_PERSONS + ANNOUNCED_PERSONS
    assert 18 <= counts["sites"] <= 25
    assert counts["municipalities"] == 43  # 37 Gemeinden and 6 Ämter


def test_every_role_has_a_login_that_works(demo, client):
    county, _ = demo
    memberships = Membership.objects.filter(county=county).select_related("user")
    assert {m.role for m in memberships} == set(Role.values)
    assert {m.scope for m in memberships} == set(Scope.values)
    for membership in memberships:
        client.logout()
        response = client.post(
            reverse("web:login"),
            {"username": membership.user.username, "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302, membership.user.username
        assert client.get(reverse("web:home")).status_code == 200


def test_scopes_of_the_demo_logins(demo):
    county, _ = demo
    users = {u.username: u for u in User.objects.all()}
    total = Household._base_manager.filter(county=county).count()
    visible = {
        name: selectors.households_visible_to(actor=user).count() for name, user in users.items()
    }
    assert visible["admin"] == visible["sachbearbeitung"] == total
    assert 0 < visible["heimleitung"] < total
    assert 0 < visible["fallarbeit"] < visible["sozialarbeit"] < total
    assert 0 < visible["ehrenamt"] <= visible["ehrenamtskoordination"] < 20
    assert 0 < visible["jobcoach"] < total
    assert visible["planung"] == visible["revision"] == 0
    fuchsbau = Responsibility.objects.filter(site__name="GU Am Fuchsbau", valid_to__isnull=True)
    shelter = selectors.households_visible_to(actor=users["heimleitung"])
    assert set(shelter.values_list("pk", flat=True)) == set(
        fuchsbau.values_list("household_id", flat=True)
    )


def test_the_second_county_is_invisible_to_the_first_and_vice_versa(demo, client):
    county, neighbour = demo
    admin = User.objects.get(username="admin")
    other_admin = User.objects.get(username="lds-admin")
    mine = selectors.persons_visible_to(actor=admin)
    assert mine.count() == Person._base_manager.filter(county=county).count()
    assert not mine.filter(county=neighbour).exists()
    theirs = selectors.persons_visible_to(actor=other_admin)
    assert theirs.exists()
    assert not theirs.filter(county=county).exists()
    stranger = Person._base_manager.filter(county=neighbour).first()
    found = selectors.search_persons(actor=admin, query=stranger.family_name)
    assert stranger not in found
    client.force_login(admin)
    response = client.get(reverse("web:household", args=[stranger.household_id]))
    assert response.status_code == 404


def test_municipalities_and_amt_structure(demo):
    county, _ = demo
    places = {m.name: m for m in Municipality._base_manager.filter(county=county)}
    assert places["Beeskow"].kind == Municipality.Kind.TOWN
    assert places["Beeskow"].amt is None
    assert places["Fürstenwalde/Spree"].kind == Municipality.Kind.TOWN
    assert places["Fürstenwalde/Spree"].population == 31941
    assert places["Bad Saarow"].amt == places["Amt Scharmützelsee"]
    assert places["Müllrose"].amt == places["Amt Schlaubetal"]
    assert places["Amt Odervorland"].kind == Municipality.Kind.AMT
    members = Counter(m.amt.name for m in places.values() if m.amt)
    assert members == {
        "Amt Brieskow-Finkenheerd": 5,
        "Amt Neuzelle": 3,
        "Amt Odervorland": 3,
        "Amt Scharmützelsee": 5,
        "Amt Schlaubetal": 6,
        "Amt Spreenhagen": 3,
    }
    amtsfrei = [m for m in places.values() if m.kind in {"stadt", "gemeinde"}]
    assert len(amtsfrei) == 12
    assert places["Steinhöfel"].source.startswith("[U]")
    assert all(m.source for m in places.values())


def test_nationalities_follow_the_derived_table(demo):
    county, _ = demo
    table = load_origin_table()
    codes = Counter(
        Nationality.objects.filter(
            person__county=county, person__allocation__isnull=True
        ).values_list("code", flat=True)
    )
    total = sum(codes.values())
    assert total == DEMO_PERSONS
    assert codes["UKR"] / total == pytest.approx(TEMPORARY_PROTECTION_SHARE, abs=0.01)
    asylum = total - codes["UKR"]
    shares = {o.code: o.share for o in table if o.group in {"top", "other"}}
    scale = sum(shares.values())
    for code, share in shares.items():
        expected = share / scale
        if code == OTHER:
            observed = sum(n for c, n in codes.items() if c not in shares and c != "UKR")
        else:
            observed = codes[code]
        assert observed / asylum == pytest.approx(expected, abs=0.01), code


def test_name_keys_are_those_the_services_store(demo):
    county, _ = demo
    persons = Person._base_manager.filter(county=county).order_by("pk")[:300]
    keys = {}
    for key in PersonNameKey.objects.filter(person__in=persons):
        keys.setdefault(key.person_id, set()).add(key.key)
    for person in persons:
        assert keys.get(person.pk, set()) == name_keys(person.family_name, person.given_names)


def test_searching_a_transliteration_variant_finds_demo_persons(demo):
    admin = User.objects.get(username="admin")
    found = selectors.search_persons(actor=admin, query="Mohammed")
    spellings = {p.given_names.split()[-1] for p in found if p.given_names}
    assert len(found) > 3
    assert len(spellings) >= 2  # e.g. Mohammed, Muhammad, Mohamad, محمد


def test_household_pages_of_every_origin_render(demo, client):
    county, _ = demo
    client.force_login(User.objects.get(username="admin"))
    seen = set()
    for person in Person._base_manager.filter(county=county, household_role="head").order_by("pk"):
        code = person.nationalities.get().code
        if code in seen:
            continue
        seen.add(code)
        response = client.get(reverse("web:household", args=[person.household_id]))
        assert response.status_code == 200, code
        assert person.family_name in response.content.decode()
    assert len(seen) >= 20


def test_the_demo_announces_arrivals_for_the_coming_weeks(demo):
    county, _ = demo
    announced = Allocation.objects.filter(county=county)
    assert announced.count() == ANNOUNCED_PERSONS
    today = timezone.localdate()
    assert all(today < a.planned_arrival <= today + timedelta(days=29) for a in announced)
    assert AllocationImport.objects.filter(county=county).count() == 1

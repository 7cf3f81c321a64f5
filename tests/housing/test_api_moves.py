"""Moves, beds, flat readiness and long stays in the API: success, German problem details with
nothing written, 409 for a bed just taken, and the denials of the household page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role, Scope, Site
from ankommen.housing import services
from ankommen.housing.models import FlatReadiness, Move, Occupancy
from tests.factories import ProviderFactory, ResponsibilityFactory
from tests.housing.support import beds_of, facility, household, room, shelter_manager, staff

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _auth(user):
    token, _created = Token.objects.get_or_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


def _post(client, user, url, data):
    return client.post(url, data, content_type="application/json", **_auth(user))


def _fields(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def _url(household, tail):
    return f"/api/v1/households/{household.pk}/{tail}/"


def _provider_caseworker(world, household):
    provider = ProviderFactory(county=world["county"])
    ResponsibilityFactory(household=household, provider=provider, kind="casework")
    return staff(world["county"], Role.PROVIDER_CASEWORKER, Scope.PROVIDER, provider=provider).user


# --- moves ---------------------------------------------------------------------------------


def test_a_household_moves_to_another_facility(client, world):
    services.create_room(actor=None, site=world["gu2"], number="8", beds=2, valid_from=TODAY)
    response = _post(
        client,
        world["caseworker"],
        _url(world["home"], "moves"),
        {"day": TODAY.isoformat(), "reason": "family", "rooms": [room(world["gu2"], "8").pk]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == Move.Kind.TRANSFER
    assert (body["from_site"], body["to_site"]) == (world["gu1"].pk, world["gu2"].pk)
    sites = set(
        Occupancy.objects.on(TODAY).filter(household=world["home"]).values_list("site", flat=True)
    )
    assert sites == {world["gu2"].pk}


def test_a_move_without_reason_is_a_german_problem_and_writes_nothing(client, world):
    before = (Move.objects.count(), AuditEvent.objects.count())
    response = _post(
        client,
        world["caseworker"],
        _url(world["home"], "moves"),
        {"day": TODAY.isoformat(), "reason": "", "rooms": [room(world["gu2"], "7").pk]},
    )
    assert "reason" in _fields(response)
    response = _post(
        client,
        world["caseworker"],
        _url(world["home"], "moves"),
        {"day": TODAY.isoformat(), "reason": "urlaub", "rooms": [room(world["gu2"], "7").pk]},
    )
    assert _fields(response)["reason"] == "Bitte einen Grund für den Umzug wählen."
    response = _post(
        client,
        world["caseworker"],
        _url(world["home"], "moves"),
        {"day": TODAY.isoformat(), "reason": "family", "rooms": [999999]},
    )
    assert _fields(response)["rooms"] == "Unbekanntes Zimmer."
    assert (Move.objects.count(), AuditEvent.objects.count()) == before


def test_a_move_into_a_bed_just_taken_is_a_conflict(client, world):
    other, (man,) = household(world["county"], ("m", 1993))
    services.assign_bed(actor=None, person=man, bed=beds_of(world["gu1"], "2")[0], valid_from=TODAY)
    response = _post(
        client,
        world["caseworker"],
        _url(other, "moves"),
        {
            "day": TODAY.isoformat(),
            "reason": "request",
            # The single man of HH-B holds bed 0 of room 7 since 2024.
            "beds": {str(man.pk): beds_of(world["gu2"], "7")[0].pk},
        },
    )
    assert response.status_code == 409, response.content
    assert response.json()["detail"].startswith("Das Bett")
    assert not Occupancy.objects.filter(person=man, site=world["gu2"]).exists()


def test_moves_are_denied_outside_the_managers_facility(client, world):
    manager = shelter_manager(world["gu2"]).user  # not the facility of HH-A
    data = {"day": TODAY.isoformat(), "reason": "family", "rooms": [room(world["gu2"], "7").pk]}
    assert _post(client, manager, _url(world["home"], "moves"), data).status_code == 404
    worker = _provider_caseworker(world, world["home"])
    assert _post(client, worker, _url(world["home"], "moves"), data).status_code == 403
    assert not Move.objects.filter(household=world["home"], to_site=world["gu2"]).exists()


# --- move-out ------------------------------------------------------------------------------


def test_a_household_moves_out_to_a_flat(client, world):
    flat = facility(world["county"], kind=Site.Kind.APARTMENT)
    manager = shelter_manager(world["gu1"]).user
    data = {"day": TODAY.isoformat(), "reason": "flat", "flat": flat.pk}
    # The flat is not the manager's facility: they may only record a move to a flat of its own.
    refused = _post(client, manager, _url(world["home"], "move-out"), data)
    assert _fields(refused)["flat"] == "Bitte eine Wohnung des Landkreises wählen."
    response = _post(
        client,
        world["caseworker"],
        _url(world["home"], "move-out"),
        data,
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == Move.Kind.MOVE_OUT
    assert response.json()["to_site"] == flat.pk
    assert not Occupancy.objects.on(TODAY).filter(household=world["home"]).exists()


def test_a_move_out_with_a_bad_day_writes_nothing(client, world):
    before = AuditEvent.objects.count()
    response = _post(
        client,
        world["caseworker"],
        _url(world["home"], "move-out"),
        {"day": "31.12.2024", "reason": "flat"},
    )
    assert "day" in _fields(response)
    response = _post(
        client,
        world["caseworker"],
        _url(world["home"], "move-out"),
        {"day": TODAY.isoformat(), "reason": "other", "note": ""},
    )
    assert _fields(response)["note"] == "Bitte eine Bemerkung angeben."
    assert Occupancy.objects.on(TODAY).filter(household=world["home"]).count() == 2
    assert AuditEvent.objects.count() == before


def test_a_move_out_is_denied_to_other_facilities_and_provider_caseworkers(client, world):
    data = {"day": TODAY.isoformat(), "reason": "flat"}
    manager = shelter_manager(world["gu2"]).user
    assert _post(client, manager, _url(world["home"], "move-out"), data).status_code == 404
    worker = _provider_caseworker(world, world["home"])
    denied = _post(client, worker, _url(world["home"], "move-out"), data)
    assert denied.status_code == 403
    assert denied["Content-Type"] == "application/problem+json"
    assert Occupancy.objects.on(TODAY).filter(household=world["home"]).count() == 2


# --- flat readiness and long stays ---------------------------------------------------------


def test_readiness_is_marked_listed_and_withdrawn(client, world, settings):
    settings.ANKOMMEN_SHELTER_TARGET_MONTHS = 6
    worker = _provider_caseworker(world, world["home"])
    url = _url(world["home"], "flat-readiness")
    response = _post(client, worker, url, {"note": "Mietangebot in Beeskow"})
    assert response.status_code == 201, response.content
    assert response.json()["valid_from"] == TODAY.isoformat()
    listed = client.get("/api/v1/shelter-stays/", **_auth(world["caseworker"])).json()
    assert listed["target_months"] == 6
    assert [stay["reference"] for stay in listed["stays"]] == ["HH-A"]
    assert listed["stays"][0]["persons"] == 2
    everyone = client.get("/api/v1/shelter-stays/?all=true", **_auth(world["caseworker"]))
    assert {stay["reference"] for stay in everyone.json()["stays"]} == {"HH-A", "HH-B"}
    again = _post(client, worker, url, {})
    assert _fields(again)["non_field_errors"] == (
        "Der Haushalt ist bereits als wohnungsbereit eingetragen."
    )
    gone = client.delete(url, **_auth(worker))
    assert gone.status_code == 200
    assert gone.json()["valid_to"] == TODAY.isoformat()
    assert not FlatReadiness.objects.filter(household=world["home"], valid_to=None).exists()


def test_readiness_in_the_future_is_refused(client, world):
    url = _url(world["home"], "flat-readiness")
    future = (TODAY + timedelta(days=3)).isoformat()
    response = _post(client, world["caseworker"], url, {"day": future})
    assert _fields(response)["day"] == "Das Datum darf nicht in der Zukunft liegen."
    assert not FlatReadiness.objects.exists()


def test_readiness_is_denied_outside_reach(client, world):
    worker = _provider_caseworker(world, world["home"])
    assert _post(client, worker, _url(world["single"], "flat-readiness"), {}).status_code == 404
    manager = shelter_manager(world["gu2"]).user
    assert _post(client, manager, _url(world["home"], "flat-readiness"), {}).status_code == 404
    assert client.delete(_url(world["home"], "flat-readiness"), **_auth(manager)).status_code == 404
    assert not FlatReadiness.objects.exists()


def test_long_stays_show_only_the_managers_facility(client, world, settings):
    settings.ANKOMMEN_SHELTER_TARGET_MONTHS = 1
    manager = shelter_manager(world["gu2"]).user
    body = client.get("/api/v1/shelter-stays/?all=1", **_auth(manager)).json()
    assert [stay["reference"] for stay in body["stays"]] == ["HH-B"]
    bad = client.get("/api/v1/shelter-stays/?day=gestern", **_auth(manager))
    assert "day" in _fields(bad)


# --- beds ----------------------------------------------------------------------------------


def test_a_bed_is_assigned_and_a_taken_bed_is_a_conflict(client, world):
    newcomers, (person,) = household(world["county"], ("m", 1995))
    free, taken = beds_of(world["gu2"], "7")[1], beds_of(world["gu2"], "7")[0]
    url = _url(newcomers, "bed-assignments")
    clash = _post(
        client,
        world["caseworker"],
        url,
        {"person": person.pk, "bed": taken.pk, "valid_from": TODAY.isoformat()},
    )
    assert clash.status_code == 409
    assert clash["Content-Type"] == "application/problem+json"
    assert clash.json()["title"] == "Konflikt"
    assert not Occupancy.objects.filter(person=person).exists()
    ok = _post(
        client,
        world["caseworker"],
        url,
        {"person": person.pk, "bed": free.pk, "valid_from": TODAY.isoformat()},
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["site"] == world["gu2"].pk
    assert Occupancy.objects.on(TODAY).get(person=person).bed == free


def test_a_bed_for_someone_outside_the_household_is_refused(client, world):
    newcomers, _persons = household(world["county"], ("m", 1995))
    response = _post(
        client,
        world["caseworker"],
        _url(newcomers, "bed-assignments"),
        {
            "person": world["mother"].pk,
            "bed": beds_of(world["gu2"], "7")[1].pk,
            "valid_from": TODAY.isoformat(),
        },
    )
    assert _fields(response)["person"] == "Die Person gehört nicht zu diesem Haushalt."
    assert Occupancy.objects.filter(site=world["gu2"]).count() == 1


def test_bed_assignment_is_denied_to_other_facilities_and_provider_caseworkers(client, world):
    bed = beds_of(world["gu1"], "2")[0]
    data = {"person": world["man"].pk, "bed": bed.pk, "valid_from": TODAY.isoformat()}
    url = _url(world["single"], "bed-assignments")
    assert _post(client, shelter_manager(world["gu1"]).user, url, data).status_code == 404
    worker = _provider_caseworker(world, world["single"])
    assert _post(client, worker, url, data).status_code == 403
    assert not Occupancy.objects.filter(bed=bed).exists()

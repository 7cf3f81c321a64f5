"""Two staff members assigning the same bed at the same moment: exactly one succeeds.

Real threads, each with its own PostgreSQL connection and transaction. A barrier holds both
right after the application's own check ("is the bed free?") has passed for both, so the
database constraint (one open occupancy per bed) has to decide.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from ankommen.core.models import Role
from ankommen.housing import services
from ankommen.housing.models import Move, Occupancy
from ankommen.people.models import Responsibility
from tests.factories import CountyFactory
from tests.housing.support import beds_of, facility, household, room, staff

pytestmark = pytest.mark.postgres

DAY = date(2025, 1, 6)


@pytest.fixture(autouse=True)
def _committed_db(django_db_setup, django_db_blocker):
    """The test database in autocommit mode, so that the threads see each other's commits.

    Afterwards every table is emptied, as pytest-django's transactional tests do; the audit
    log's append-only triggers are off for that TRUNCATE in this session only.
    """
    with django_db_blocker.unblock():
        yield
        tables = connection.introspection.django_table_names(only_existing=True)
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "TRUNCATE {} RESTART IDENTITY CASCADE".format(
                    ", ".join(connection.ops.quote_name(table) for table in tables)
                )
            )
            cursor.execute("SET session_replication_role = origin")


def _race(monkeypatch, *jobs):
    """Run the jobs in parallel threads; both pass the bed check before either inserts."""
    barrier = threading.Barrier(len(jobs), timeout=20)
    original = services._check_bed_usable
    local = threading.local()

    def check_then_wait(bed, day, *, ignore=()):
        original(bed, day, ignore=ignore)
        if not getattr(local, "waited", False):  # the first (unlocked) check only
            local.waited = True
            barrier.wait()

    monkeypatch.setattr(services, "_check_bed_usable", check_then_wait)
    outcomes: list[object] = [None] * len(jobs)

    def run(index, job):
        try:
            outcomes[index] = job()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_staff_assign_the_same_bed_at_once(monkeypatch):
    county = CountyFactory()
    site = facility(county, rooms={"1": 1}, since=date(2024, 1, 1))
    bed = beds_of(site, "1")[0]
    first = staff(county, Role.COUNTY_CASEWORKER).user
    second = staff(county, Role.COUNTY_ADMIN).user
    _h1, (anna,) = household(county, ("w", 1990))
    _h2, (berta,) = household(county, ("w", 1991))

    outcomes = _race(
        monkeypatch,
        lambda: services.assign_bed(actor=first, person=anna, bed=bed, valid_from=DAY),
        lambda: services.assign_bed(actor=second, person=berta, bed=bed, valid_from=DAY),
    )

    won = [o for o in outcomes if isinstance(o, Occupancy)]
    lost = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(won) == 1, outcomes
    assert len(lost) == 1, outcomes
    assert "gerade anderweitig vergeben" in " ".join(lost[0].messages)
    assert Occupancy.objects.filter(bed=bed).count() == 1
    # The loser left nothing behind: no responsibility, no move.
    loser = berta if won[0].person_id == anna.pk else anna
    assert not Responsibility.objects.filter(household=loser.household).exists()
    assert not Move.objects.filter(household=loser.household).exists()


def test_the_same_person_into_two_beds_at_once(monkeypatch):
    county = CountyFactory()
    site = facility(county, rooms={"1": 1, "2": 1}, since=date(2024, 1, 1))
    caseworker = staff(county, Role.COUNTY_CASEWORKER).user
    _h, (anna,) = household(county, ("w", 1990))

    outcomes = _race(
        monkeypatch,
        lambda: services.assign_bed(
            actor=caseworker, person=anna, bed=beds_of(site, "1")[0], valid_from=DAY
        ),
        lambda: services.assign_bed(
            actor=caseworker, person=anna, bed=beds_of(site, "2")[0], valid_from=DAY
        ),
    )

    assert sum(isinstance(o, Occupancy) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes
    assert Occupancy.objects.filter(person=anna, valid_to__isnull=True).count() == 1


def test_two_concurrent_requests_for_the_last_bed(monkeypatch):
    """The same race through the web UI: two logged-in staff post a move into a room with one
    free bed; one gets the bed, the other a German error, and nothing half-written remains."""
    county = CountyFactory()
    site = facility(county, rooms={"1": 1}, since=date(2024, 1, 1))
    target = room(site, "1")
    users = [staff(county, Role.COUNTY_CASEWORKER).user for _ in range(2)]
    homes = [household(county, ("m", 1990 + i))[0] for i in range(2)]
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)

    def post(index):
        response = clients[index].post(
            reverse("housing:household_move", args=[homes[index].pk]),
            {"rooms": [target.pk], "day": DAY.isoformat(), "reason": Move.Reason.ALLOCATION},
        )
        return response

    outcomes = _race(monkeypatch, lambda: post(0), lambda: post(1))

    codes = sorted(response.status_code for response in outcomes)  # type: ignore[union-attr]
    assert codes == [302, 400], outcomes
    loser = next(r for r in outcomes if r.status_code == 400)  # type: ignore[union-attr]
    assert "gerade anderweitig vergeben" in loser.content.decode()  # type: ignore[union-attr]
    assert Occupancy.objects.filter(bed__room=target).count() == 1
    assert Move.objects.count() == 1

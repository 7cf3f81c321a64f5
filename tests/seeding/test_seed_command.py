"""``ankommen seed``: exact counts, determinism, failure without side effects."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import verify_chain
from ankommen.core.models import County, Site
from ankommen.people.models import Household, Person, PersonNameKey, ResidenceStatus
from ankommen.people.selectors import search_persons
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _seed(*args):
    out = StringIO()
    call_command("seed", *args, "-v0", stdout=out)
    return out.getvalue()


def _persons(slug):
    return list(
        Person._base_manager.filter(county__slug=slug)
        .order_by("household__reference", "pk")
        .values_list(
            "family_name",
            "given_names",
            "birth_year",
            "birth_month",
            "birth_day",
            "sex",
            "arrived_in_germany_on",
        )
    )


def test_seed_creates_exactly_n_persons_in_a_new_county():
    payload = json.loads(
        _seed("--persons", "57", "--seed", "3", "--county", "test-kreis", "--format", "json")
    )
    county = County.objects.get(slug="test-kreis")
    assert payload["county"] == "test-kreis"
    assert payload["created_county"] is True
    assert payload["counts"]["persons"] == 57
    assert Person._base_manager.filter(county=county).count() == 57
    assert Household._base_manager.filter(county=county).count() == payload["counts"]["households"]
    assert county.official_key.startswith("99")
    assert Site._base_manager.filter(county=county).exists()
    assert not Household._base_manager.filter(county=county, members__isnull=True).exists()
    event = AuditEvent.objects.get(object_type="seeding.load")
    assert event.county == county
    assert event.details["persons"] == 57
    assert verify_chain()[1] == []


def test_the_same_seed_gives_the_same_persons_and_another_seed_others():
    _seed("--persons", "120", "--seed", "42", "--county", "kreis-a")
    _seed("--persons", "120", "--seed", "42", "--county", "kreis-b")
    _seed("--persons", "120", "--seed", "43", "--county", "kreis-c")
    a, b, c = _persons("kreis-a"), _persons("kreis-b"), _persons("kreis-c")
    assert a == b
    assert len(a) == len(c) == 120
    assert a != c
    assert sum(x[:2] != y[:2] for x, y in zip(a, c, strict=True)) > 80


def test_seeding_the_same_seed_twice_fails_and_changes_nothing():
    _seed("--persons", "10", "--seed", "5", "--county", "kreis-a")
    before = Person._base_manager.count(), AuditEvent.objects.count()
    with pytest.raises(CommandError, match=r"Seed 5 wurden .* bereits"):
        _seed("--persons", "10", "--seed", "5", "--county", "kreis-a")
    assert (Person._base_manager.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("persons", ["0", "-3"])
def test_a_bad_number_of_persons_is_refused_in_german(persons):
    with pytest.raises(CommandError, match="--persons muss zwischen 1 und"):
        _seed("--persons", persons, "--seed", "1", "--county", "kreis-x")
    assert not County.objects.filter(slug="kreis-x").exists()


def test_seeding_the_demo_slug_creates_oder_spree_with_its_municipalities():
    _seed("--persons", "30", "--seed", "1")
    county = County.objects.get(slug="oder-spree")
    assert county.official_key == "12067"
    assert county.municipalities.filter(name="Beeskow").exists()


def test_seeded_persons_are_searchable_with_name_keys_and_statuses():
    _seed("--persons", "400", "--seed", "8", "--county", "kreis-s")
    county = County.objects.get(slug="kreis-s")
    persons = Person._base_manager.filter(county=county)
    assert (
        PersonNameKey.objects.filter(person__in=persons).values("person").distinct().count() == 400
    )
    assert (
        ResidenceStatus.objects.filter(person__in=persons).values("person").distinct().count()
        == 400
    )
    admin = MembershipFactory(county=county).user
    someone = persons.exclude(given_names="").first()
    assert someone in search_persons(
        actor=admin, query=f"{someone.given_names} {someone.family_name}"
    )


def test_text_output_names_the_count():
    assert "25 Personen" in _seed("--persons", "25", "--seed", "2", "--county", "kreis-t")


def test_seed_refuses_production_mode(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="Produktivdatenbank"):
        _seed("--persons", "5", "--seed", "1", "--county", "kreis-p")
    assert not County.objects.filter(slug="kreis-p").exists()

"""A stand-in for ``ankommen seed`` so the load bench runs before that command exists.

Writes with ``bulk_create`` and no audit events: fast enough for 100,000 persons, but its data
is plainer than the real seeder's (few names, one status per person). Figures measured on it
are labelled as such; ``run.py`` prefers ``ankommen seed`` whenever it is available.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta

from django.db import connection, transaction

from ankommen.algorithms.names import name_keys
from ankommen.core.models import County, Municipality, Provider, Site
from ankommen.people.models import (
    Household,
    LanguageSkill,
    Nationality,
    Person,
    PersonNameKey,
    ResidenceStatus,
    Responsibility,
)

BATCH = 5000
# (nationality, language, family names, male given names, female given names), with the
# transliteration variants a county's lists really hold.
ORIGINS = [
    (
        "SYR",
        "ara",
        ["Al-Hassan", "Haddad", "Khalil", "Al-Ahmad", "Darwish", "Najjar", "Hamdan"],
        ["Muhammad", "Mohammed", "Ahmad", "Ahmed", "Youssef", "Yusuf", "Omar", "Khaled"],
        ["Fatima", "Fatma", "Aisha", "Layla", "Leila", "Rania", "Nour"],
    ),
    (
        "UKR",
        "ukr",
        ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kowalczuk", "Melnyk"],
        ["Oleksandr", "Olexandr", "Andriy", "Andrii", "Dmytro", "Serhiy", "Ivan"],
        ["Olena", "Alena", "Oksana", "Iryna", "Irina", "Natalia", "Yulia"],
    ),
    (
        "AFG",
        "prs",
        ["Rahimi", "Ahmadi", "Hashimi", "Karimi", "Sultani", "Popal", "Noori"],
        ["Mohammad", "Ali", "Reza", "Hamid", "Farid", "Javad", "Sayed"],
        ["Zahra", "Maryam", "Mariam", "Fereshta", "Shabnam", "Sima", "Parwana"],
    ),
    (
        "TUR",
        "tur",
        ["Yilmaz", "Kaya", "Demir", "Celik", "Sahin", "Aydin", "Ozturk"],
        ["Mehmet", "Mustafa", "Emre", "Hasan", "Huseyin", "Murat", "Yusuf"],
        ["Ayse", "Elif", "Zeynep", "Emine", "Hatice", "Merve", "Fatma"],
    ),
    (
        "ERI",
        "tir",
        ["Tesfaye", "Ghebremedhin", "Haile", "Kidane", "Tekle", "Berhane", "Woldu"],
        ["Yonas", "Yohannes", "Dawit", "Daniel", "Samuel", "Filmon", "Semere"],
        ["Helen", "Saba", "Senait", "Ruta", "Selam", "Yordanos", "Mebrat"],
    ),
]
HOUSEHOLD_SIZES = [1, 1, 1, 2, 2, 3, 4, 4, 5, 6]
STATUS_KINDS = ["gestattung", "aufenthaltserlaubnis", "duldung", "fiktionsbescheinigung"]


def seed(*, persons: int, seed: int, county_slug: str) -> County:
    rng = random.Random(seed)
    with transaction.atomic():
        county = _organisation(county_slug)
        _people(county, persons, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return county


def _organisation(slug: str) -> County:
    county, _ = County.objects.get_or_create(
        slug=slug,
        defaults={
            "name": f"Landkreis {slug.replace('-', ' ').title()}",
            # Made up, but stable per slug (the key is unique among counties).
            "official_key": f"{zlib.crc32(slug.encode()) % 90000 + 10000}",
            "state": "Brandenburg",
        },
    )
    town, _ = Municipality._base_manager.get_or_create(
        county=county,
        name="Beispielstadt",
        defaults={"kind": Municipality.Kind.TOWN, "source": "Lasttest (erfunden)"},
    )
    for number in range(1, 9):
        provider, _ = Provider._base_manager.get_or_create(
            county=county, name=f"Träger {number}", defaults={"kind": Provider.Kind.SOCIAL}
        )
        for site_number in range(1, 4):
            Site._base_manager.get_or_create(
                county=county,
                name=f"Unterkunft {number}.{site_number}",
                defaults={
                    "provider": provider,
                    "municipality": town,
                    "kind": Site.Kind.SHARED_ACCOMMODATION,
                    "capacity": 300,
                },
            )
    return county


def _people(county: County, wanted: int, rng: random.Random) -> None:
    sites = list(Site._base_manager.filter(county=county).select_related("provider"))
    start = Household._base_manager.filter(county=county).count()
    made = 0
    while made < wanted:
        sizes = []
        while made + sum(sizes) < wanted and len(sizes) < BATCH // 3:
            sizes.append(min(rng.choice(HOUSEHOLD_SIZES), wanted - made - sum(sizes)))
        households = Household._base_manager.bulk_create(
            Household(county=county, reference=f"L-{start + index + 1:07d}")
            for index, _ in enumerate(sizes)
        )
        start += len(households)
        members = []
        for household, size in zip(households, sizes, strict=True):
            members += _household_members(county, household, size, rng)
        Person._base_manager.bulk_create(members, batch_size=BATCH)
        _facts(county, members, rng)
        _responsibilities(county, households, sites, rng)
        made += len(members)


def _household_members(
    county: County, household: Household, size: int, rng: random.Random
) -> list[Person]:
    nationality, _, families, men, women = rng.choice(ORIGINS)
    family = rng.choice(families)
    arrived = date(2022, 1, 1) + timedelta(days=rng.randrange(1300))
    people = []
    for index in range(size):
        adult = index < 2
        sex = rng.choice("mw") if index else "m" if rng.random() < 0.6 else "w"
        born = rng.randrange(1955, 2004) if adult else rng.randrange(2006, 2025)
        person = Person(
            county=county,
            household=household,
            household_role=(
                Person.HouseholdRole.HEAD
                if index == 0
                else Person.HouseholdRole.PARTNER
                if index == 1
                else Person.HouseholdRole.CHILD
            ),
            family_name=family,
            given_names=rng.choice(men if sex == "m" else women),
            birth_year=born,
            birth_month=rng.randrange(1, 13) if rng.random() < 0.9 else None,
            sex=sex,
            arrived_in_germany_on=arrived,
            allocated_on=arrived + timedelta(days=rng.randrange(10, 90)),
        )
        if person.birth_month and rng.random() < 0.9:
            person.birth_day = rng.randrange(1, 29)
        person.nationality_code = nationality  # type: ignore[attr-defined]
        people.append(person)
    return people


def _facts(county: County, people: list[Person], rng: random.Random) -> None:
    keys: dict[tuple[str, str], list[str]] = {}
    PersonNameKey.objects.bulk_create(
        (
            PersonNameKey(person=person, key=key)
            for person in people
            for key in keys.setdefault(
                (person.family_name, person.given_names),
                sorted(name_keys(person.family_name, person.given_names)),
            )
        ),
        batch_size=BATCH,
    )
    origin = {row[0]: row[1] for row in ORIGINS}
    Nationality.objects.bulk_create(
        (Nationality(person=p, code=p.nationality_code) for p in people),  # type: ignore[attr-defined]
        batch_size=BATCH,
    )
    LanguageSkill.objects.bulk_create(
        (
            LanguageSkill(person=p, code=origin[p.nationality_code], is_first_language=True)  # type: ignore[attr-defined]
            for p in people
        ),
        batch_size=BATCH,
    )
    ResidenceStatus.objects.bulk_create(
        (
            ResidenceStatus(
                county=county,
                person=p,
                kind=rng.choice(STATUS_KINDS),
                valid_from=p.arrived_in_germany_on or date(2022, 1, 1),
            )
            for p in people
        ),
        batch_size=BATCH,
    )


def _responsibilities(
    county: County, households: list[Household], sites: list[Site], rng: random.Random
) -> None:
    rows = []
    for household in households:
        site = rng.choice(sites)
        rows.append(
            Responsibility(
                county=county,
                household=household,
                kind=Responsibility.Kind.ACCOMMODATION,
                site=site,
                provider=site.provider,
                valid_from=date(2024, 1, 1),
            )
        )
        if rng.random() < 0.3:
            rows.append(
                Responsibility(
                    county=county,
                    household=household,
                    kind=Responsibility.Kind.CASEWORK,
                    provider=rng.choice(sites).provider,
                    valid_from=date(2024, 6, 1),
                )
            )
    Responsibility.objects.bulk_create(rows, batch_size=BATCH)

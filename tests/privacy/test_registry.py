"""A new app registers a source (as casework and health will): its sections appear in the
export, its category gets a period, and the retention run hands it the persons due."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import pytest

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.privacy import registry, render
from ankommen.privacy.registry import (
    AnonymisationResult,
    Entry,
    Record,
    RetentionCategory,
    Section,
)
from ankommen.privacy.services import export_subject_data, run_retention
from tests.privacy.conftest import AFTER_PERIOD, MOVED_OUT

pytestmark = pytest.mark.django_db

GESUNDHEIT = RetentionCategory(
    key="gesundheit_test",
    label="Gesundheit (Test)",
    default_years=10,
    legal_basis="Testregel",
    verified=True,
)


class HealthLikeSource:
    key = "health_test"
    category = GESUNDHEIT

    def __init__(self) -> None:
        self.anonymised: list[int] = []

    def export(self, *, person: Any, actor: Any) -> Iterable[Section]:
        if actor is not None and not access.can_reach(actor, Action.VIEW_HEALTH, person.household):
            yield Section(
                "health_test",
                "Gesundheit",
                withheld_note="Auskunft über Gesundheitsdaten erteilt der Gesundheitsdienst.",
            )
            return
        yield Section(
            "health_test",
            "Gesundheit",
            (Record((Entry("Befund", "GEHEIMER-BEFUND"),)),),
            purpose="Test",
            recipients="Gesundheitsdienst",
        )

    def contact_ends(self, *, county: Any, today: date) -> Mapping[int, date | None]:
        return {}

    def anonymise(self, *, person_ids: Sequence[int]) -> AnonymisationResult:
        self.anonymised.extend(person_ids)
        return AnonymisationResult(anonymised=len(person_ids))


@pytest.fixture
def health_source(monkeypatch) -> HealthLikeSource:  # type: ignore[no-untyped-def]
    source = HealthLikeSource()
    monkeypatch.setitem(registry._SOURCES, source.key, source)
    return source


def test_a_section_the_role_may_not_read_is_withheld(scene, health_source):
    amal = scene.gone_persons[0]
    export = export_subject_data(actor=scene.admin, person_id=amal.pk)
    section = next(s for s in export.sections if s.key == "health_test")
    assert section.records == ()
    assert "Gesundheitsdienst" in section.withheld_note
    html = render.as_html(export)
    assert "erteilt der Gesundheitsdienst" in html
    assert "GEHEIMER-BEFUND" not in html
    assert "GEHEIMER-BEFUND" not in render.as_json(export)
    # The system (the command, run by the data protection officer) exports everything.
    system = export_subject_data(actor=None, person_id=amal.pk)
    assert "GEHEIMER-BEFUND" in render.as_json(system)
    assert "10 Jahre nach Ende des Kontakts (Testregel)" in render.as_json(system)
    assert "ungeprüft" not in next(s for s in system.sections if s.key == "health_test").retention


def test_the_new_category_has_its_own_period(scene, health_source, settings):
    ten_years_after = date(MOVED_OUT.year + 10, 7, 1)  # the day after the tenth anniversary
    run = run_retention(actor=None, county=scene.county, today=AFTER_PERIOD)
    assert len(next(c for c in run.categories if c.key == "gesundheit_test").persons) == 0
    assert health_source.anonymised == []
    run = run_retention(actor=None, county=scene.county, today=ten_years_after)
    assert sorted(health_source.anonymised) == sorted(p.pk for p in scene.gone_persons)
    settings.ANKOMMEN_RETENTION_YEARS = {"gesundheit_test": 12}
    run = run_retention(actor=None, county=scene.county, today=ten_years_after, dry_run=True)
    assert not next(c for c in run.categories if c.key == "gesundheit_test").verified

"""The casework data source: confidential notes only for the author's provider and the
system, its own retention category, and anonymisation that keeps the counselling figures."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pytest

from ankommen.casework import services as casework
from ankommen.casework.models import Case, Contact, Goal, Referral
from ankommen.casework.privacy import BERATUNG, CaseworkSource
from ankommen.core.models import Provider, Role, Scope, User
from ankommen.privacy import render
from ankommen.privacy.registry import sources
from ankommen.privacy.services import export_subject_data, run_retention
from tests.factories import MembershipFactory, ProviderFactory
from tests.privacy.conftest import AFTER_PERIOD, MOVED_IN, MOVED_OUT, Scene, admin_of

pytestmark = pytest.mark.django_db

SECRET = "MARKER-Vertraulich-Traeger-A-5521"
SHORT = "MARKER-Kurznotiz-Termin-ABH-77"
GOAL = "MARKER-Ziel-B1-Kurs-bis-Sommer"
RECIPIENT = "MARKER-Sprachschule-Oderland"


@dataclass
class CaseScene:
    scene: Scene
    provider_a: Provider
    provider_b: Provider
    staff_a: User  # county administrator who also works for provider A
    staff_b: User  # county administrator who also works for provider B
    case: Case
    staying_case: Case


def _staff(scene: Scene, provider: Provider) -> User:
    user = admin_of(scene.county)
    MembershipFactory(
        user=user,
        county=scene.county,
        role=Role.PROVIDER_CASEWORKER,
        scope=Scope.PROVIDER,
        provider=provider,
    )
    return user


@pytest.fixture
def cases(scene: Scene) -> CaseScene:
    provider_a = ProviderFactory(county=scene.county, name="Träger A")
    provider_b = ProviderFactory(county=scene.county, name="Träger B")
    amal = scene.gone_persons[0]
    case = casework.open_case(
        actor=None, household=scene.gone, provider=provider_a, opened_on=MOVED_IN
    )
    casework.record_contact(
        actor=None,
        case=case,
        day=date(2021, 3, 2),
        minutes=45,
        place="buero",
        language="ara",
        interpreter=True,
        topics=["aufenthaltsrecht", "wohnen"],
        note=SHORT,
        confidential_note=SECRET,
        author=admin_of(scene.county),
    )
    referral = casework.record_referral(
        actor=None,
        case=case,
        service="sprachkurs",
        sent_on=date(2021, 3, 2),
        recipient=RECIPIENT,
        note="MARKER-Referral-Note",
    )
    casework.add_goal(actor=None, case=case, field="sprache", title=GOAL, referral=referral)
    casework.close_case(actor=None, case=case, closed_on=MOVED_OUT)
    staying_case = casework.open_case(
        actor=None, household=scene.staying, provider=provider_a, opened_on=MOVED_IN
    )
    casework.record_contact(
        actor=None,
        case=staying_case,
        day=date(2021, 3, 3),
        minutes=30,
        place="unterkunft",
        language="prs",
        interpreter=False,
        topics=["schule"],
        note="STAYING-note",
        confidential_note="STAYING-secret",
        author=admin_of(scene.county),
    )
    assert amal.household_id == case.household_id
    return CaseScene(
        scene,
        provider_a,
        provider_b,
        _staff(scene, provider_a),
        _staff(scene, provider_b),
        case,
        staying_case,
    )


def _texts(export) -> str:
    with zipfile.ZipFile(io.BytesIO(render.as_zip(export))) as archive:
        html = "\n".join(archive.read(n).decode() for n in archive.namelist())
    return json.dumps(export.as_dict(), ensure_ascii=False) + html


def test_casework_is_registered_with_its_own_category():
    source = next(s for s in sources() if s.key == "casework")
    assert source.category is BERATUNG
    assert (BERATUNG.key, BERATUNG.default_years, BERATUNG.verified) == ("beratung", 3, False)


def test_the_confidential_note_only_for_the_authors_provider(cases):
    amal = cases.scene.gone_persons[0]
    own = export_subject_data(actor=cases.staff_a, person_id=amal.pk)
    notes = next(s for s in own.sections if s.key == "confidential_notes")
    assert not notes.withheld_note
    assert SECRET in _texts(own)
    for actor in (cases.staff_b, cases.scene.admin):
        other = export_subject_data(actor=actor, person_id=amal.pk)
        text = _texts(other)
        assert SECRET not in text
        notes = next(s for s in other.sections if s.key == "confidential_notes")
        assert notes.withheld_note
        assert notes.withheld_note in text
        assert not notes.records
        # The rest of the casework is there.
        assert SHORT in text
        assert GOAL in text
        assert RECIPIENT in text
        assert "Aufenthaltsrecht und Asylverfahren" in text
    # The system (the command without --user) gets everything.
    assert SECRET in _texts(export_subject_data(actor=None, person_id=amal.pk))


def test_another_households_case_is_not_in_the_export(cases):
    amal = cases.scene.gone_persons[0]
    text = _texts(export_subject_data(actor=None, person_id=amal.pk))
    assert "STAYING" not in text


def test_contact_ends_with_the_closed_case(cases):
    scene = cases.scene
    ends = CaseworkSource().contact_ends(county=scene.county, today=AFTER_PERIOD)
    assert {ends[p.pk] for p in scene.gone_persons} == {MOVED_OUT}
    assert ends[scene.staying_person.pk] is None  # the case is open


def _figures(county) -> dict[str, object]:
    contacts = Contact.objects.filter(county=county)
    return {
        "contacts": Counter(
            contacts.values_list("case", "day", "minutes", "place", "language", "interpreter")
        ),
        "topics": Counter(contacts.values_list("topics__code", flat=True)),
        "referrals": Counter(
            Referral.objects.filter(county=county).values_list("service", "status", "sent_on")
        ),
        "goals": Counter(
            Goal.objects.filter(county=county).values_list("field", "status", "target_on")
        ),
        "cases": Counter(
            Case.objects.filter(county=county).values_list("provider", "opened_on", "closed_on")
        ),
    }


def test_retention_blanks_the_notes_and_keeps_the_figures(cases):
    from ankommen.casework import aggregates
    from tests.privacy.test_retention import _statistics

    scene = cases.scene
    caseload_before = aggregates.caseload(county=scene.county, day=date(2021, 6, 1))
    before = (_statistics(scene), _figures(scene.county))
    run = run_retention(actor=None, county=scene.county, today=AFTER_PERIOD)
    by_key = {item.key: item for item in run.categories}
    assert len(by_key["beratung"].persons) == 2
    contact = Contact.objects.get(case=cases.case)
    assert (contact.note, contact.confidential_note) == ("", "")
    assert Referral.objects.get(case=cases.case).recipient == ""
    assert Goal.objects.get(case=cases.case).title == "anonymisiert"
    after = (_statistics(scene), _figures(scene.county))
    assert after == before
    caseload_after = aggregates.caseload(county=scene.county, day=date(2021, 6, 1))
    assert caseload_after.total == caseload_before.total
    # The household still in contact keeps its notes.
    staying = Contact.objects.get(case=cases.staying_case)
    assert (staying.note, staying.confidential_note) == ("STAYING-note", "STAYING-secret")
    text = _texts(export_subject_data(actor=None, person_id=scene.gone_persons[0].pk))
    for marker in (SECRET, SHORT, GOAL, RECIPIENT):
        assert marker not in text

"""Confidential notes: only the staff of the author's provider read them — at the selector,
on the page and in the API. Provider B reaches the same household (through its facility and
a case of its own) and still never reads provider A's note."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ankommen.casework import selectors, services
from tests.casework.conftest import SECRET_A

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_case(cw):
    """Provider B holds a case of the same household (so B reaches it for casework)."""
    case = services.open_case(
        actor=cw.county_worker,
        household=cw.household,
        provider=cw.provider_b,
        opened_on=timezone.localdate(),
        caseworker=cw.worker_b,
    )
    return case


def test_the_selector_gives_the_note_to_provider_a_only(cw, b_case):
    [row] = selectors.contacts_of(actor=cw.worker_a, case=cw.case)
    assert row.confidential_note == SECRET_A
    # B reaches the household and even provider A's case, but not the note.
    case_seen_by_b = selectors.case_for_page(actor=cw.worker_b, pk=cw.case.pk)
    [row] = selectors.contacts_of(actor=cw.worker_b, case=case_seen_by_b)
    assert row.has_confidential
    assert row.confidential_note is None
    # The county's own caseworker (no provider) reads the case but not the note.
    [row] = selectors.contacts_of(actor=cw.county_worker, case=cw.case)
    assert row.confidential_note is None


def test_the_page_shows_the_note_to_provider_a_only(cw, b_case, client):
    client.force_login(cw.worker_a)
    body = client.get(f"/beratung/faelle/{cw.case.pk}/").content.decode()
    assert SECRET_A in body
    for reader in (cw.worker_b, cw.county_worker):
        client.force_login(reader)
        response = client.get(f"/beratung/faelle/{cw.case.pk}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert SECRET_A not in body
        assert "für Sie nicht lesbar" in body
        # Nor anywhere else a caseworker of B looks.
        for path in (
            "/beratung/",
            "/beratung/wiedervorlagen/",
            f"/haushalte/{cw.household.pk}/",
            f"/beratung/haushalte/{cw.household.pk}/",
        ):
            assert SECRET_A not in client.get(path).content.decode(), path


def test_the_api_gives_the_note_to_provider_a_only(cw, b_case, client):
    path = f"/api/v1/casework/cases/{cw.case.pk}/contacts/"
    token_a = Token.objects.create(user=cw.worker_a).key
    [row] = client.get(path, HTTP_AUTHORIZATION=f"Token {token_a}").json()
    assert row["confidential_note"] == SECRET_A
    token_b = Token.objects.create(user=cw.worker_b).key
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {token_b}")
    assert response.status_code == 200
    [row] = response.json()
    assert row["confidential_note"] is None
    assert row["has_confidential_note"] is True
    assert SECRET_A not in response.content.decode()


def test_a_note_written_by_b_is_readable_by_b_not_a(cw, b_case):
    services.record_contact(
        actor=cw.worker_b,
        case=b_case,
        day=timezone.localdate(),
        minutes=20,
        place="unterkunft",
        language="prs",
        interpreter=False,
        topics=["gesundheit"],
        confidential_note="Nur B",
    )
    [row_b] = selectors.contacts_of(actor=cw.worker_b, case=b_case)
    [row_a] = selectors.contacts_of(actor=cw.worker_a, case=b_case)
    assert row_b.confidential_note == "Nur B"
    assert row_a.confidential_note is None


def test_the_county_caseworker_cannot_write_a_confidential_note(cw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.record_contact(
            actor=cw.county_worker,
            case=cw.case,
            day=timezone.localdate(),
            minutes=20,
            place="buero",
            language="ara",
            interpreter=False,
            topics=["leistungen"],
            confidential_note="geheim",
        )
    assert "confidential_note" in caught.value.message_dict

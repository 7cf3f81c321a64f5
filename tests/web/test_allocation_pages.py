"""Upload → preview → confirm → status in the UI, and the API endpoint; denials."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ankommen.core.models import Role, Scope
from ankommen.housing.models import Allocation, AllocationUpload
from ankommen.people.models import Person
from tests.factories import MembershipFactory, SiteFactory
from tests.housing.allocation_support import csv_file, family, to_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline_imports(settings):
    settings.ANKOMMEN_IMPORT_IN_BACKGROUND = False


@pytest.fixture
def staff(client):
    membership = MembershipFactory(role=Role.COUNTY_CASEWORKER)
    client.force_login(membership.user)
    return membership


def upload(client, content, name="liste.csv"):
    return client.post(
        reverse("web:allocation_upload"),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_upload_preview_confirm_imports_and_shows_status(client, staff):
    response = upload(client, csv_file())
    item = AllocationUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:allocation_preview", args=[item.pk])
    assert Person._base_manager.count() == 0  # preview writes nothing

    page = client.get(response["Location"]).content.decode()
    assert "Die Datei ist gültig: 4 neue Personen in 2 Haushalten" in page
    assert "الحسن" in page
    assert '<th scope="rowgroup" rowspan="3" dir="auto">H-1 (3)</th>' in page
    assert "4 Personen importieren" in page

    confirmed = client.post(
        reverse("web:allocation_confirm", args=[item.pk]), HTTP_HX_REQUEST="true"
    )
    body = confirmed.content.decode()
    assert confirmed.status_code == 200
    assert 'id="import-status"' in body
    assert "Importiert: 4 Personen" in body
    assert Allocation.objects.count() == 4
    item.refresh_from_db()
    assert item.state == AllocationUpload.State.DONE
    assert bytes(item.content) == b""  # the raw file is not kept

    status = client.get(reverse("web:allocation_status", args=[item.pk])).content.decode()
    assert "hx-trigger" not in status  # finished: polling stops
    assert "Importiert: 4 Personen" in status
    # A second confirm does nothing.
    client.post(reverse("web:allocation_confirm", args=[item.pk]))
    assert Allocation.objects.count() == 4


def test_a_running_import_is_polled_by_htmx(client, staff):
    upload(client, csv_file())
    item = AllocationUpload.objects.get()
    item.state = AllocationUpload.State.RUNNING
    item.save()
    status = client.get(reverse("web:allocation_status", args=[item.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in status
    assert reverse("web:allocation_status", args=[item.pk]) in status
    assert "Import läuft" in status
    assert "<script" not in status


def test_errors_are_listed_with_line_column_reason_and_nothing_can_be_confirmed(client, staff):
    rows = family()
    rows[1]["Geburtsdatum"] = "31.02.1990"
    rows[3]["Sprachen"] = "Elbisch"
    upload(client, to_xlsx(rows), name="liste.xlsx")
    item = AllocationUpload.objects.get()
    page = client.get(reverse("web:allocation_preview", args=[item.pk])).content.decode()
    assert "2 Fehler" in page
    assert "<td>3</td><td>Geburtsdatum</td>" in page
    assert "<td>5</td><td>Sprachen</td>" in page
    assert "„Elbisch“ ist keine bekannte Sprache" in page
    assert "importieren</button>" not in page
    assert bytes(item.content) == b""
    client.post(reverse("web:allocation_confirm", args=[item.pk]))
    assert Person._base_manager.count() == 0


def test_error_csv_neutralises_formula_like_cells(client, staff):
    rows = family()
    rows[0]["Geschlecht"] = "=1+2"
    upload(client, csv_file(rows))
    item = AllocationUpload.objects.get()
    response = client.get(reverse("web:allocation_errors_csv", args=[item.pk]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    lines = text.splitlines()
    assert lines[0] == "Zeile;Spalte;Fehler"
    assert lines[1].startswith("2;Geschlecht;")
    assert "„=1+2“" in lines[1]
    # A message cell never starts with a formula character.
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in lines[1].split(";"))


def test_repeat_upload_says_it_was_imported(client, staff):
    content = csv_file()
    upload(client, content)
    first = AllocationUpload.objects.get()
    client.post(reverse("web:allocation_confirm", args=[first.pk]))
    upload(client, content, name="nochmal.csv")
    second = AllocationUpload.objects.exclude(pk=first.pk).get()
    page = client.get(reverse("web:allocation_preview", args=[second.pk])).content.decode()
    assert "wurde bereits am" in page
    assert "importieren</button>" not in page


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.SHELTER_MANAGER, Scope.FACILITY),
        (Role.PLANNER, Scope.COUNTY),
        (Role.VOLUNTEER, Scope.CASELOAD),
    ],
)
def test_upload_page_is_denied_without_create_person(client, role, scope):
    kwargs = {"site": SiteFactory()} if scope == Scope.FACILITY else {}
    membership = MembershipFactory(role=role, scope=scope, **kwargs)
    client.force_login(membership.user)
    assert client.get(reverse("web:allocation_upload")).status_code == 403
    assert upload(client, csv_file()).status_code == 403
    assert AllocationUpload.objects.count() == 0


def test_another_users_upload_is_not_visible(client, staff):
    upload(client, csv_file())
    item = AllocationUpload.objects.get()
    colleague = MembershipFactory(county=staff.county, role=Role.COUNTY_ADMIN)
    client.force_login(colleague.user)
    for name in ("allocation_preview", "allocation_status", "allocation_errors_csv"):
        assert client.get(reverse(f"web:{name}", args=[item.pk])).status_code == 404
    assert client.post(reverse("web:allocation_confirm", args=[item.pk])).status_code == 404
    assert Person._base_manager.count() == 0


def test_background_mode_starts_a_thread_after_commit(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from ankommen.housing import import_runner

    settings.ANKOMMEN_IMPORT_IN_BACKGROUND = True
    started = []

    class FakeThread:
        def __init__(self, *, target, args, name, daemon):
            started.append((target, args, name, daemon))

        def start(self):
            started.append("started")

    monkeypatch.setattr(import_runner.threading, "Thread", FakeThread)
    membership = MembershipFactory(role=Role.COUNTY_ADMIN)
    client.force_login(membership.user)
    upload(client, csv_file())
    item = AllocationUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:allocation_confirm", args=[item.pk]), HTTP_HX_REQUEST="true"
        )
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert started == [
        (import_runner._run_in_thread, (item.pk,), f"import-{item.pk}", True),
        "started",
    ]
    # What the thread runs:
    import_runner.run_upload(item.pk)
    item.refresh_from_db()
    assert item.state == AllocationUpload.State.DONE
    assert Allocation.objects.count() == 4


# ----------------------------------------------------------------------------- API


def test_api_multipart_dry_run_then_import_then_repeat(client, staff):
    url = reverse("api-allocation-imports")
    checked = client.post(
        url,
        {
            "file": SimpleUploadedFile("liste.csv", csv_file()),
            "county": staff.county.slug,
            "dry_run": "true",
        },
    )
    assert checked.status_code == 200
    assert checked.json()["status"] == "checked"
    assert Person._base_manager.count() == 0
    created = client.post(
        url, {"file": SimpleUploadedFile("liste.csv", csv_file()), "county": staff.county.slug}
    )
    assert created.status_code == 201
    assert created.json()["persons_created"] == 4
    again = client.post(
        f"{url}?county={staff.county.slug}&file_name=liste.csv",
        data=csv_file(),
        content_type="text/csv",
    )
    assert again.status_code == 200
    assert again.json()["status"] == "already_imported"


def test_api_raw_xlsx_errors_are_problem_details(client, staff):
    rows = family()
    rows[2]["Ankunft"] = "bald"
    response = client.post(
        f"{reverse('api-allocation-imports')}?county={staff.county.slug}&file_name=l.xlsx",
        data=to_xlsx(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["errors"] == [
        {"line": 4, "column": "Ankunft", "message": body["errors"][0]["message"]}
    ]
    assert "bald" in body["errors"][0]["message"]
    assert Person._base_manager.count() == 0


def test_api_denies_roles_without_create_person(client):
    membership = MembershipFactory(role=Role.PROVIDER_CASEWORKER, scope=Scope.COUNTY)
    client.force_login(membership.user)
    response = client.post(
        f"{reverse('api-allocation-imports')}?county={membership.county.slug}",
        data=csv_file(),
        content_type="text/csv",
    )
    assert response.status_code == 403
    assert Person._base_manager.count() == 0


def test_api_requires_login(client):
    response = client.post(reverse("api-allocation-imports"), data=b"x", content_type="text/csv")
    assert response.status_code in (401, 403)


def test_api_operation_is_in_the_openapi_schema(client, staff):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/allocation-imports/"]["post"]
    assert set(operation["requestBody"]["content"]) >= {"multipart/form-data", "text/csv"}
    assert {"200", "201", "400"} <= set(operation["responses"])

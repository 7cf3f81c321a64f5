"""Browser journey: a county administrator gives a person their access export (GDPR Art. 15);
a county caseworker gets no link and a 403 for the address."""

from __future__ import annotations

import io
import zipfile

import pytest

from ankommen.audit.models import AuditEvent
from ankommen.core.models import Role
from tests.e2e.conftest import World
from tests.e2e.journey import Journey

pytestmark = pytest.mark.slow


def test_county_admin_downloads_the_access_export(journey: Journey, world: World) -> None:
    page = journey.page
    person = world.family.members.order_by("pk").first()
    assert person is not None
    journey.log_in(world.staff(Role.COUNTY_ADMIN).username)
    journey.visit(f"/personen/{person.pk}/", "person")
    journey.follow(page.get_by_role("link", name="Auskunft nach Art. 15 DSGVO"), "export-page")
    assert page.get_by_role("heading", level=1).inner_text() == "Auskunft nach Art. 15 DSGVO"
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Auskunft herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"auskunft-person-{person.pk}-")
    path = download.path()
    assert path is not None
    with open(path, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    html = next(name for name in archive.namelist() if name.endswith("auskunft.html"))
    assert person.family_name in archive.read(html).decode()
    assert AuditEvent.objects.filter(action="export", person_id=person.pk).count() == 1


def test_a_caseworker_has_no_export(journey: Journey, world: World) -> None:
    person = world.family.members.order_by("pk").first()
    assert person is not None
    journey.log_in(world.staff(Role.COUNTY_CASEWORKER).username)
    journey.visit(f"/personen/{person.pk}/", "person")
    assert journey.page.get_by_role("link", name="Auskunft nach Art. 15 DSGVO").count() == 0
    journey.visit(f"/personen/{person.pk}/auskunft/", "export-denied", status=403)

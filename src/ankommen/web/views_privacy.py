"""The access export (GDPR Art. 15) of one person, for county administrators with county
scope: a page that explains it and offers the file, and the download (audited)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ankommen.core import access
from ankommen.core.models import User
from ankommen.privacy import render as export_files
from ankommen.privacy.services import EXPORT_FORMATS, check_export_access, export_subject_data


@login_required
@require_http_methods(["GET", "POST"])
def subject_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = check_export_access(actor=request.user, person_id=pk)
    if request.method == "GET":
        return render(request, "web/privacy/export.html", {"person": person})
    output = request.POST.get("format", "zip")
    if output not in EXPORT_FORMATS:
        return render(
            request,
            "web/privacy/export.html",
            {"person": person, "error": _("Bitte ZIP oder JSON wählen.")},
            status=400,
        )
    actor = request.user
    if not isinstance(actor, User):  # login_required ran; this only narrows the type
        access.deny()
    export = export_subject_data(actor=actor, person_id=person.pk, output=output)
    if output == "json":
        response = HttpResponse(
            export_files.as_json(export), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(export_files.as_zip(export), content_type="application/zip")
    name = f"{export_files.file_stem(export)}.{output}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response

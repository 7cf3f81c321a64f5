"""Allocation lists in the UI: upload → preview (rows, households, errors) → confirm → live
status. Only staff who may create persons in a county (``core.access``) may import there."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ankommen.algorithms.allocation_lists import (
    NEED_CODES,
    ListError,
    neutralise_cell,
    parse_allocation_list,
    sha256_of,
)
from ankommen.algorithms.codes import language_name, nationality_name
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.housing import selectors_arrivals as selectors
from ankommen.housing.import_runner import progress_of, start_import
from ankommen.housing.models import AllocationUpload
from ankommen.housing.services_allocations import ImportResult, Status, import_allocations
from ankommen.web.forms_allocations import AllocationUploadForm

PREVIEW_ROWS = 500


def _counties(request: HttpRequest) -> list[Any]:
    counties = access.counties_for(request.user, Action.CREATE_PERSON)
    if not counties:
        access.deny()
    return counties


def _upload(request: HttpRequest, pk: int) -> AllocationUpload:
    _counties(request)
    try:
        return selectors.uploads_of(actor=request.user).get(pk=pk)
    except AllocationUpload.DoesNotExist:
        raise Http404(_("Diese Datei ist nicht vorhanden oder für Sie nicht sichtbar.")) from None


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    counties = _counties(request)
    form = AllocationUploadForm(request.POST or None, request.FILES or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        county = form.cleaned_data["county"]
        file = form.cleaned_data["file"]
        content = file.read()
        result = import_allocations(
            actor=request.user,  # type: ignore[arg-type]
            county=county,
            file_name=file.name,
            content=content,
            dry_run=True,
        )
        item = AllocationUpload.objects.create(
            county=county,
            uploaded_by=request.user,  # type: ignore[misc]
            file_name=result.file_name,
            # Keep the file only while it can still be imported.
            content=content if result.status == Status.CHECKED else b"",
            sha256=sha256_of(content),
            result=result.as_json(),
        )
        return redirect("web:allocation_preview", pk=item.pk)
    context = {
        "form": form,
        "imports": selectors.recent_imports(actor=request.user),
        "need_codes": NEED_CODES,
    }
    return render(request, "web/allocations/upload.html", context)


def _preview_rows(item: AllocationUpload) -> list[dict[str, Any]]:
    if not item.content or item.state != AllocationUpload.State.PREVIEWED:
        return []
    try:
        parsed = parse_allocation_list(
            bytes(item.content), today=item.created_at.date(), file_name=item.file_name
        )
    except ListError:
        return []
    rows: list[dict[str, Any]] = []
    for household, members in parsed.households.items():
        for index, row in enumerate(members):
            rows.append(
                {
                    "row": row,
                    "household": household,
                    "household_size": len(members),
                    "first_of_household": index == 0,
                    "nationalities": [nationality_name(c) for c in row.nationalities],
                    "languages": [language_name(c) for c in row.languages],
                    "needs": [NEED_CODES[c] for c in row.needs],
                }
            )
            if len(rows) >= PREVIEW_ROWS:
                return rows
    return rows


def _status_context(item: AllocationUpload) -> dict[str, Any]:
    progress = progress_of(item)
    total = progress.get("total") or 0
    return {
        "item": item,
        "result": ImportResult.from_json(item.result) if item.result else None,
        "running": item.state == AllocationUpload.State.RUNNING,
        "done": progress.get("done", 0),
        "total": total,
        "percent": int(100 * progress.get("done", 0) / total) if total else 0,
    }


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    item = _upload(request, pk)
    result = ImportResult.from_json(item.result)
    rows = _preview_rows(item)
    context = {
        **_status_context(item),
        "result": result,
        "rows": rows,
        "rows_truncated": len(rows) >= PREVIEW_ROWS and result.rows > PREVIEW_ROWS,
        "may_confirm": item.state == AllocationUpload.State.PREVIEWED
        and result.status == Status.CHECKED
        and bool(item.content),
    }
    return render(request, "web/allocations/preview.html", context)


@require_POST
@login_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    item = _upload(request, pk)
    result = ImportResult.from_json(item.result)
    if (
        item.state != AllocationUpload.State.PREVIEWED
        or result.status != Status.CHECKED
        or not item.content
    ):
        return redirect("web:allocation_preview", pk=item.pk)
    start_import(item)
    if request.headers.get("HX-Request"):
        return render(request, "web/allocations/_status.html", _status_context(item))
    return redirect("web:allocation_preview", pk=item.pk)


@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    item = _upload(request, pk)
    return render(request, "web/allocations/_status.html", _status_context(item))


@login_required
def errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The errors as CSV (UTF-8 with BOM, ``;``) for the office that sent the list."""
    item = _upload(request, pk)
    result = ImportResult.from_json(item.result)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fehler-zuweisungsliste.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Zeile"), _("Spalte"), _("Fehler")])
    for error in result.errors:
        writer.writerow([neutralise_cell(v) for v in (error.line, error.column, error.message)])
    return response

"""Errors as RFC 9457 problem details (``application/problem+json``), titles in German."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Ungültige Anfrage",
    401: "Anmeldung erforderlich",
    403: "Keine Berechtigung",
    404: "Nicht gefunden",
    405: "Methode nicht erlaubt",
    406: "Format nicht unterstützt",
    409: "Konflikt",
    415: "Medientyp nicht unterstützt",
    429: "Zu viele Anfragen",
}


def _errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error details into ``{field, message}`` items."""
    if isinstance(detail, dict):
        return [
            item
            for key, value in detail.items()
            for item in _errors(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    if isinstance(detail, list):
        return [item for value in detail for item in _errors(value, prefix)]
    return [{"field": prefix or "non_field_errors", "message": str(detail)}]


def problem_response(status_code: int, detail: str, **extra: Any) -> Response:
    body = {
        "type": "about:blank",
        "title": _TITLES.get(status_code, "Fehler"),
        "status": status_code,
        "detail": detail,
        **extra,
    }
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_details_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Nicht vorhanden oder für Sie nicht sichtbar.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("Dafür fehlt Ihnen die Berechtigung.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        problem = problem_response(
            status.HTTP_400_BAD_REQUEST,
            "Die Anfrage enthält ungültige Angaben.",
            errors=_errors(exc.detail),
        )
    else:
        detail = getattr(exc, "detail", str(exc))
        problem = problem_response(response.status_code, str(detail))
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    request = context.get("request")
    if request is not None:
        # Problems are JSON whatever the view renders otherwise (the schema view: YAML).
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = PROBLEM_CONTENT_TYPE
    return problem


def not_found_handler(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler: an address under /api/ that matches no route gets a problem
    response like every other API error; everything else gets the HTML page."""
    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": _TITLES[404],
            "status": 404,
            "detail": "Diese API-Adresse gibt es nicht.",
        }
        return HttpResponse(json.dumps(body), status=404, content_type=PROBLEM_CONTENT_TYPE)
    return defaults.page_not_found(request, exception)

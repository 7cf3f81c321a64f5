"""Security headers and the two-factor requirement for staff."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ankommen.core.access import second_factor_required


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline scripts) and no caching of pages with personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if not request.path.startswith(settings.STATIC_URL):
            response.headers["Cache-Control"] = "no-store"
        return response


def needs_second_factor(request: HttpRequest) -> bool:
    if not request.user.is_authenticated or request.user.is_verified():  # type: ignore[attr-defined]
        return False
    return second_factor_required(request.user)


class TwoFactorRequiredMiddleware:
    """Staff who logged in with a password only must confirm a TOTP code before anything else.

    The API is left to its own authentication classes (``ankommen.api.authentication``), which
    refuse such a session with a problem-details answer instead of a redirect.
    """

    ALLOWED_PREFIXES = ("/konto/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request) and not request.path.startswith(self.ALLOWED_PREFIXES):
            return redirect(f"{reverse('web:otp')}?next={request.path}")
        return self.get_response(request)

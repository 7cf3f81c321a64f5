"""Security headers and the two-factor requirement for staff."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ankommen.core.access import TWO_FACTOR_ROLES, active_memberships


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
    if not settings.ANKOMMEN_REQUIRE_2FA or not request.user.is_authenticated:
        return False
    if request.user.is_verified():  # type: ignore[attr-defined]
        return False
    return any(m.role in TWO_FACTOR_ROLES for m in active_memberships(request.user))


class TwoFactorRequiredMiddleware:
    """Staff who logged in with a password only must confirm a TOTP code before anything else."""

    ALLOWED_PREFIXES = ("/konto/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request) and not request.path.startswith(self.ALLOWED_PREFIXES):
            return redirect(f"{reverse('web:otp')}?next={request.path}")
        return self.get_response(request)

"""Security headers, the session's idle timeout and the two-factor requirement for staff."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
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


class SessionIdleRefreshMiddleware:
    """Extends a signed-in session's idle timeout, writing the session at most once a minute.

    Saving the session on every request (Django's ``SESSION_SAVE_EVERY_REQUEST``) costs an UPDATE
    and a commit per page view. Refreshing only when the last refresh is older than
    ``REFRESH_SECONDS`` keeps the timeout within a minute of exact: a session ends between
    ``ANKOMMEN_SESSION_MINUTES`` minus one minute and ``ANKOMMEN_SESSION_MINUTES`` after the last
    request. Must sit after ``SessionMiddleware``, so that its save sees the change.
    """

    REFRESH_SECONDS = 60
    KEY = "_ankommen_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session that signed someone in (not an API request with a token alone).
        if session is None or session.modified or SESSION_KEY not in session:
            return response
        now = int(time.time())
        if now - int(session.get(self.KEY, 0)) >= self.REFRESH_SECONDS:
            session[self.KEY] = now  # marks the session modified: Django saves it, new expiry
        return response

"""API authentication with the two-factor rule applied.

A browser session counts only once its TOTP code is confirmed (as for the HTML pages). A token
is itself the second login: it counts only while its owner, if the owner needs a second factor,
holds a confirmed TOTP device. Tokens are issued by ``ankommen token create``, which enforces the
same rule (``ankommen.api.services.create_token``).
"""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from ankommen.core import access

SECOND_FACTOR_MISSING = (
    "Für dieses Konto ist die Zwei-Faktor-Anmeldung vorgeschrieben; "
    "es ist noch kein Authenticator-Gerät bestätigt."
)
SESSION_NOT_VERIFIED = "Bitte bestätigen Sie zuerst die Anmeldung mit dem zweiten Faktor."


def has_confirmed_device(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


class TwoFactorTokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        # A client that also sends its session cookie is already known to the middleware, which
        # has loaded the same account's memberships for this request: reuse them.
        session_user = getattr(request._request, "user", None)
        if (
            session_user is not None
            and session_user.is_authenticated
            and session_user.pk == user.pk
        ):
            return session_user, token
        return user, token

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if access.second_factor_required(user) and not has_confirmed_device(user):
            raise exceptions.AuthenticationFailed(SECOND_FACTOR_MISSING)
        return user, token


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = request._request.user
        if access.second_factor_required(user) and not user.is_verified():  # type: ignore[union-attr]
            raise exceptions.PermissionDenied(SESSION_NOT_VERIFIED)
        return result


class VerifiedSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]
    """Documents the session authentication in the OpenAPI schema like Django's own."""

    target_class = "ankommen.api.authentication.VerifiedSessionAuthentication"

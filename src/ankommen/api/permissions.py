"""Action checks of the API; which rows a request reaches is left to the selectors."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from ankommen.core import access
from ankommen.core.access import Action


class MayViewPersons(BasePermission):
    """Person endpoints need a role that may view persons somewhere (403 otherwise); the
    selectors then limit the rows to the caller's scope (404 for an object out of reach)."""

    message = "Dafür fehlt Ihnen die Berechtigung."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(access.counties_for(request.user, Action.VIEW_PERSON))

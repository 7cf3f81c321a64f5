from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ankommen.core import access
from ankommen.core.access import Action
from ankommen.web.navigation import FIELDS_OF_ACTION


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "fields_of_action": FIELDS_OF_ACTION,
        "may_search": bool(access.counties_for(user, Action.VIEW_PERSON)),
        "may_view_audit": bool(access.counties_for(user, Action.VIEW_AUDIT)),
        "memberships": access.active_memberships(user),
    }

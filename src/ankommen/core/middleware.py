"""Activates the county scope (django-scopes) for each request: a user reaches only the
counties of their memberships, an anonymous request none. Queries on county-bound models
outside such a scope raise instead of returning everything."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django_scopes import scope

from ankommen.core.access import active_memberships


class CountyScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counties = sorted({m.county_id for m in active_memberships(request.user)})
        with scope(county=counties):
            return self.get_response(request)

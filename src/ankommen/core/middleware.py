"""Activates the county scope (django-scopes) for each request: a user reaches only the
counties of their memberships, an anonymous request none. Queries on county-bound models
outside such a scope raise instead of returning everything."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django_scopes import scope

from ankommen.core.access import active_memberships

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User


def county_scope(user: User | AnonymousUser | None) -> AbstractContextManager[Any]:
    """The county scope of ``user``: the counties of their memberships in force, or none."""
    counties = sorted({m.county_id for m in active_memberships(user)})
    manager: AbstractContextManager[Any] = scope(county=counties)
    return manager


class CountyScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with county_scope(request.user):
            return self.get_response(request)

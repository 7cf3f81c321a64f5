"""Every URL pattern of the project must have a row in the access table (``endpoints.py``), so
that a new view without an access test fails CI. Public URLs are an explicit, short list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tests.access.endpoints import ENDPOINTS, ENDPOINTS_BY_KEY, URL_NAMES, Rule

# Reachable without login. Keep this list short; everything else needs a signed-in user.
PUBLIC_URLS = frozenset({"web:login", "web:logout", "set_language"})


def _patterns(
    resolver: URLResolver, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern, inner, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or "", prefix + str(pattern.pattern), pattern.callback


def _api_methods(callback: Callable[..., Any]) -> set[str]:
    """The HTTP methods a DRF view answers (other than HEAD and OPTIONS)."""
    view = callback.cls  # type: ignore[attr-defined]
    allowed = set(view.http_method_names) - {"head", "options"}
    actions = getattr(callback, "actions", None)  # a viewset's route: method → action
    methods = set(actions) if actions else {m for m in allowed if hasattr(view, m)}
    return methods & allowed


def test_every_url_pattern_is_named():
    unnamed = [route for name, route, _ in _patterns(get_resolver()) if not name]
    assert not unnamed, f"URL patterns need a name for the access table: {unnamed}"


def test_every_url_has_an_access_rule_and_every_rule_a_url():
    resolved = {name for name, _, _ in _patterns(get_resolver())}
    missing = resolved - URL_NAMES
    assert not missing, f"add these URLs to tests/access/endpoints.py: {sorted(missing)}"
    stale = URL_NAMES - resolved
    assert not stale, f"these URLs no longer exist: {sorted(stale)}"
    assert len(ENDPOINTS_BY_KEY) == len(ENDPOINTS), "an URL is listed twice with one method"


def test_every_method_of_the_api_has_an_access_rule():
    """API methods follow different rules (reading a person's facts needs VIEW_SENSITIVE,
    recording them CHANGE_PERSON), so each has a row of its own."""
    served = {
        (name, method)
        for name, _, callback in _patterns(get_resolver())
        if hasattr(callback, "cls")
        for method in _api_methods(callback)
    }
    listed = {endpoint.key for endpoint in ENDPOINTS if endpoint.api}
    assert served - listed == set(), "add rows for these methods to tests/access/endpoints.py"
    assert listed - served == set(), "these methods are not served"


def test_only_the_allow_listed_urls_are_public():
    public = {endpoint.name for endpoint in ENDPOINTS if endpoint.rule == Rule.PUBLIC}
    assert public == PUBLIC_URLS


def test_the_api_schema_is_not_public():
    assert ENDPOINTS_BY_KEY[("api-schema", "get")].rule == Rule.AUTHENTICATED

"""Every URL pattern of the project must have a row in the access table (``endpoints.py``), so
that a new view without an access test fails CI. Public URLs are an explicit, short list."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from tests.access.endpoints import ENDPOINTS, ENDPOINTS_BY_NAME, Rule

# Reachable without login. Keep this list short; everything else needs a signed-in user.
PUBLIC_URLS = frozenset({"web:login", "web:logout", "set_language"})


def _patterns(
    resolver: URLResolver, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern, inner, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or "", prefix + str(pattern.pattern)


def test_every_url_pattern_is_named():
    unnamed = [route for name, route in _patterns(get_resolver()) if not name]
    assert not unnamed, f"URL patterns need a name for the access table: {unnamed}"


def test_every_url_has_an_access_rule_and_every_rule_a_url():
    resolved = {name for name, _ in _patterns(get_resolver())}
    missing = resolved - set(ENDPOINTS_BY_NAME)
    assert not missing, f"add these URLs to tests/access/endpoints.py: {sorted(missing)}"
    stale = set(ENDPOINTS_BY_NAME) - resolved
    assert not stale, f"these URLs no longer exist: {sorted(stale)}"
    assert len(ENDPOINTS_BY_NAME) == len(ENDPOINTS), "an URL is listed twice"


def test_only_the_allow_listed_urls_are_public():
    public = {endpoint.name for endpoint in ENDPOINTS if endpoint.rule == Rule.PUBLIC}
    assert public == PUBLIC_URLS


def test_the_api_schema_is_not_public():
    assert ENDPOINTS_BY_NAME["api-schema"].rule == Rule.AUTHENTICATED

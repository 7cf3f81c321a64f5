from __future__ import annotations

from collections.abc import Iterator

import pytest
from django_scopes import scopes_disabled


@pytest.fixture(autouse=True)
def _unscoped_test_setup() -> Iterator[None]:
    """Tests set up data without a county scope; requests still run in the request's scope
    (the middleware opens its own), so scope enforcement is exercised end to end."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _german(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "de"
    settings.ANKOMMEN_REQUIRE_2FA = False

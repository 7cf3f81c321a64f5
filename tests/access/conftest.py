from __future__ import annotations

import pytest

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Argon2 is slow by design; tests that are about hashing restore the project's hashers
    (see test_authentication.py)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS

"""Field-level encryption of health data with Fernet (``cryptography``).

Keys come from ``ANKOMMEN_FIELD_KEY`` (settings.FIELD_ENCRYPTION_KEYS): several keys, newest
first. :class:`~cryptography.fernet.MultiFernet` encrypts with the first and decrypts with any,
so a new key is put in front, ``ankommen keys rotate`` re-encrypts every value with it, and the
old key is then removed. Outside production, without a configured key, a development key is
derived from ``SECRET_KEY`` (labelled as such in ``ankommen keys status``); production refuses
to start without ``ANKOMMEN_FIELD_KEY`` (settings.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

DEVELOPMENT_KEY_LABEL = "ankommen-development-field-key-never-use-in-production"


class DecryptionError(RuntimeError):
    """A stored value cannot be decrypted with any configured key."""


def development_key() -> str:
    """A Fernet key derived from SECRET_KEY: for development, demo and tests only."""
    digest = hashlib.sha256(f"{DEVELOPMENT_KEY_LABEL}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def configured_keys() -> tuple[str, ...]:
    keys = tuple(k.strip() for k in settings.FIELD_ENCRYPTION_KEYS if k.strip())
    if keys:
        return keys
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("ANKOMMEN_FIELD_KEY must be set in production mode.")
    return (development_key(),)


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "ANKOMMEN_FIELD_KEY: jeder Schlüssel muss ein Fernet-Schlüssel sein "
            "(32 Byte, URL-sicheres Base64; erzeugen mit 'ankommen keys generate')."
        ) from error


def fernet() -> MultiFernet:
    return _fernet(configured_keys())


def generate_key() -> str:
    return Fernet.generate_key().decode()


def encrypt(value: Any) -> str:
    """Encrypt any JSON value (text, number, true/false, list, mapping)."""
    plain = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    return fernet().encrypt(plain).decode()


def decrypt(token: str) -> Any:
    try:
        plain = fernet().decrypt(token.encode())
    except InvalidToken as error:
        raise DecryptionError(
            "Ein verschlüsselter Wert lässt sich mit keinem der Schlüssel in ANKOMMEN_FIELD_KEY "
            "entschlüsseln."
        ) from error
    return json.loads(plain)


def rotate(token: str) -> str:
    """The same value, encrypted with the primary (first) key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("Ein Wert lässt sich mit keinem Schlüssel entschlüsseln.") from error


if TYPE_CHECKING:
    _Base = models.Field[Any, Any]
else:
    _Base = models.Field


class EncryptedField(_Base):
    """A JSON value stored as a Fernet token. Not searchable, not sortable: filter on the
    plain fields beside it (dates, status). ``None`` stays ``NULL``."""

    description = "Encrypted JSON value"

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else encrypt(value)

    def value_to_string(self, obj: models.Model) -> str:
        return ""  # never serialised in the clear (dumpdata)


def encrypted_columns(model: type[models.Model]) -> list[str]:
    return [str(f.column) for f in model._meta.get_fields() if isinstance(f, EncryptedField)]

"""Shared parts of the intake-planning commands: finding the county and the user, failing
with a German message on stderr and exit code 2 (wrong use or bad input)."""

from __future__ import annotations

import sys
from typing import NoReturn

from django.core.management.base import BaseCommand, OutputWrapper
from django_scopes import scopes_disabled

from ankommen.core.models import County, User


def fail(stderr: OutputWrapper, *messages: str, code: int = 2) -> NoReturn:
    for message in messages:
        stderr.write(f"Fehler: {message}")
    sys.exit(code)


def county_or_fail(command: BaseCommand, slug: str) -> County:
    with scopes_disabled():
        county = County.objects.filter(slug=slug).first()
    if county is None:
        fail(command.stderr, f"Den Landkreis „{slug}“ gibt es nicht.")
    return county


def user_or_fail(command: BaseCommand, name: str) -> User | None:
    if not name:
        return None
    user = User.objects.filter(username=name).first()
    if user is None:
        fail(command.stderr, f"Das Benutzerkonto „{name}“ gibt es nicht.")
    return user

"""``ankommen token create --user NAME`` / ``ankommen token revoke --user NAME``.

``create`` prints the new key once; it is refused for accounts that must use two-factor
authentication but have no confirmed TOTP device yet. Exit code 1 on refusal.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ankommen.api.services import create_token, revoke_token
from ankommen.core.models import User


class Command(BaseCommand):
    help = "API-Token eines Kontos ausstellen oder widerrufen."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (("create", "Token ausstellen"), ("revoke", "Token widerrufen")):
            command = sub.add_parser(name, help=text)
            command.add_argument("--user", required=True, help="Benutzername")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Kein Konto mit dem Benutzernamen „{options['user']}“.")
        if options["subcommand"] == "create":
            try:
                token = create_token(actor=None, user=user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            self.stdout.write(token.key)
        elif revoke_token(actor=None, user=user):
            self.stdout.write(f"Token von {user.get_username()} widerrufen.")
        else:
            self.stdout.write(f"{user.get_username()} hatte kein Token.")

"""API tokens. A token is a full sign-in to the API that skips the TOTP prompt, so it is issued
only to accounts that need no second factor or hold a confirmed TOTP device (and each request
checks that again, see ``ankommen.api.authentication``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from ankommen.api.authentication import has_confirmed_device
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_account_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import User

TOKEN_OBJECT = "authtoken.token"  # noqa: S105 (an object type, not a secret)


def _require_manager(actor: User | None, user: User) -> None:
    """The system (CLI) and the account itself may manage its token; otherwise a staff
    administrator of one of the account's counties."""
    if actor is None or actor.pk == user.pk:
        return
    for membership in access.active_memberships(user):
        if access.allows(actor, Action.MANAGE_STAFF, membership.county):
            return
    access.deny()


@transaction.atomic
def create_token(*, actor: User | None, user: User) -> Token:
    """Issue a new API token for ``user``, replacing any earlier one."""
    _require_manager(actor, user)
    if not user.is_active:
        raise ValidationError({"user": _("Das Konto ist deaktiviert.")})
    if access.second_factor_required(user) and not has_confirmed_device(user):
        raise ValidationError(
            {
                "user": _(
                    "Für dieses Konto ist die Zwei-Faktor-Anmeldung vorgeschrieben. Ein API-Token "
                    "gibt es erst, wenn ein Authenticator-Gerät eingerichtet und bestätigt ist "
                    "(einmal im Browser anmelden)."
                )
            }
        )
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    record_account_event(
        actor=actor, account=user, action=AuditEvent.Action.CREATE, object_type=TOKEN_OBJECT
    )
    return token


@transaction.atomic
def revoke_token(*, actor: User | None, user: User) -> bool:
    """Delete the API token of ``user``; ``False`` if there was none."""
    _require_manager(actor, user)
    deleted, _count = Token.objects.filter(user=user).delete()
    if deleted:
        record_account_event(
            actor=actor, account=user, action=AuditEvent.Action.DELETE, object_type=TOKEN_OBJECT
        )
    return bool(deleted)

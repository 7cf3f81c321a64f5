"""Sign-ins, sign-outs and failed sign-ins go to the audit log, from Django's auth signals.

A failed sign-in has no verified actor: it names the account tried, and only if that user name
exists; an unknown user name is not stored (people type their password into the name field).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_account_event
from ankommen.core.models import User

UNKNOWN_ACCOUNT = "(unbekannter Benutzername)"


@receiver(user_logged_in, dispatch_uid="ankommen.audit.login")
def record_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    record_account_event(actor=user, account=user, action=AuditEvent.Action.LOGIN)


@receiver(user_logged_out, dispatch_uid="ankommen.audit.logout")
def record_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        record_account_event(actor=user, account=user, action=AuditEvent.Action.LOGOUT)


@receiver(user_login_failed, dispatch_uid="ankommen.audit.login_failed")
def record_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    user = User.objects.filter(username=username).first() if username else None
    record_account_event(
        actor=None,
        account=user,
        action=AuditEvent.Action.LOGIN_FAILED,
        actor_label=user.get_username() if user else UNKNOWN_ACCOUNT,
    )

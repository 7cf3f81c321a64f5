"""Writes of the finance app: each checks access (manage finance, county scope) and records an
audit event in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County
from ankommen.finance.models import AT_COST, ReimbursementRule, RuleKind, StatePayment
from ankommen.finance.selectors import rules_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ankommen.core.models import User


def _actor(actor: User | AnonymousUser | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


def add_rule(
    *,
    actor: User | AnonymousUser | None,
    county: County,
    kind: str,
    housing: str,
    valid_from: date,
    amount: Decimal | None,
    paragraph: str,
    source: str,
    note: str = "",
) -> ReimbursementRule:
    """A new dated amount for the county (e.g. the next year's LAufnGErstV figure). The rule
    holds from ``valid_from`` until the next rule of the same kind (and housing) starts.
    ``actor=None`` is the system (the command line)."""
    if actor is not None:
        access.require(actor, Action.MANAGE_FINANCE, county)
    errors: dict[str, str] = {}
    if kind not in RuleKind.values:
        errors["kind"] = _("Unbekannte Art.")
    elif kind == RuleKind.RECIPIENT and not housing:
        errors["housing"] = _("Die Jahrespauschale braucht die Art der Unterbringung.")
    elif kind != RuleKind.RECIPIENT and housing:
        errors["housing"] = _("Nur die Jahrespauschale unterscheidet die Unterbringung.")
    if kind in AT_COST and amount is not None:
        errors["amount"] = _("Diese Art wird nach Kosten erstattet: Betrag leer lassen.")
    elif kind not in AT_COST and (amount is None or amount < 0):
        errors["amount"] = _("Bitte einen Betrag von 0 € oder mehr angeben.")
    if not paragraph.strip():
        errors["paragraph"] = _("Bitte die Rechtsgrundlage angeben.")
    if not source.strip():
        errors["source"] = _("Bitte die Quelle angeben (Fundstelle der Veröffentlichung).")
    if not errors and any(
        r.kind == kind and r.housing == housing and r.valid_from == valid_from
        for r in rules_for(county)
    ):
        errors["valid_from"] = _("Ab diesem Tag gilt schon eine Regel dieser Art.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = ReimbursementRule.objects.create(
            state=county.state,
            county_key=county.official_key,
            kind=kind,
            housing=housing,
            valid_from=valid_from,
            amount=amount,
            paragraph=paragraph.strip(),
            source=source.strip(),
            note=note.strip(),
            created_by=_actor(actor),
        )
        record_event(
            actor=_actor(actor),
            action=AuditEvent.Action.CREATE,
            obj=rule,
            county=county,
            details={"kind": kind, "housing": housing, "valid_from": valid_from.isoformat()},
        )
    return rule


def record_payment(
    *,
    actor: User | AnonymousUser | None,
    county: County,
    received_on: date,
    year: int,
    quarter: int | None,
    amount: Decimal,
    reference: str = "",
) -> StatePayment:
    """A payment received from the Land against the claim of a year (or one quarter)."""
    if actor is not None:
        access.require(actor, Action.MANAGE_FINANCE, county)
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Quartal 1 bis 4 oder leer.")})
    with transaction.atomic():
        payment = StatePayment.objects.create(
            county=county,
            received_on=received_on,
            year=year,
            quarter=quarter,
            amount=amount,
            reference=reference.strip(),
            created_by=_actor(actor),
        )
        record_event(
            actor=_actor(actor),
            action=AuditEvent.Action.CREATE,
            obj=payment,
            county=county,
            details={"year": year, "quarter": quarter},
        )
    return payment

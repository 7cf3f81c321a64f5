"""Writing audit events. Every service that creates, changes, exports or reads sensitive
personal data calls :func:`record_event` inside its own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ankommen.audit.chain import ChainBreak, event_hash, find_breaks
from ankommen.audit.models import AuditEvent, ChainHead
from ankommen.core.access import active_memberships
from ankommen.core.bulk import insert_rows
from ankommen.core.models import County, User


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "at": event.at.isoformat(),
        "county": event.county_id,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "person_id": event.person_id,
        "purpose": event.purpose,
        "details": event.details,
    }


@transaction.atomic
def record_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    county: County | None = None,
    person_id: int | None = None,
    purpose: str = "",
    details: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the chain. ``details`` must never hold the values of sensitive
    fields, only their names (what changed, not what it now says). ``actor_label`` names an
    actor that is not a user account (default: the user name, or "system")."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        county = county or getattr(obj, "county", None)
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        at=timezone.now(),
        county=county,
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else "system"),
        action=action,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        person_id=person_id,
        purpose=purpose,
        details=details or {},
        previous_hash=head.last_hash,
    )
    event.hash = event_hash(event.previous_hash, _hashed_fields(event))
    event.save()
    head.last_sequence = event.sequence
    head.last_hash = event.hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return event


@transaction.atomic
def record_events(events: Iterable[dict[str, Any]]) -> int:
    """Append many events at once (bulk imports): each item takes the keyword arguments of
    :func:`record_event`. The chain is the same as if they had been recorded one by one;
    the rows are written with :func:`ankommen.core.bulk.insert_rows` (no instances)."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    sequence, previous = head.last_sequence, head.last_hash
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    for item in events:
        actor: User | None = item.get("actor")
        obj: models.Model | None = item.get("obj")
        object_type = item.get("object_type", "")
        county = item.get("county")
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            county = county or getattr(obj, "county", None)
        sequence += 1
        fields = {
            "sequence": sequence,
            "at": now.isoformat(),
            "county": county.pk if county is not None else None,
            "actor": actor.pk if actor is not None else None,
            "actor_label": actor.get_username() if actor else "system",
            "action": item["action"],
            "object_type": object_type,
            "object_id": str(obj.pk) if obj is not None and obj.pk is not None else "",
            "person_id": item.get("person_id"),
            "purpose": item.get("purpose", ""),
            "details": item.get("details") or {},
        }
        digest = event_hash(previous, fields)
        rows.append(
            (
                sequence,
                now,
                fields["county"],
                fields["actor"],
                fields["actor_label"],
                fields["action"],
                object_type,
                fields["object_id"],
                fields["person_id"],
                fields["purpose"],
                fields["details"],
                previous,
                digest,
            )
        )
        previous = digest
    insert_rows(
        AuditEvent,
        [
            "sequence",
            "at",
            "county",
            "actor",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "person_id",
            "purpose",
            "details",
            "previous_hash",
            "hash",
        ],
        rows,
    )
    head.last_sequence, head.last_hash = sequence, previous
    head.save(update_fields=["last_sequence", "last_hash"])
    return len(rows)


def record_account_event(
    *,
    actor: User | None,
    account: User | None,
    action: str,
    actor_label: str = "",
    object_type: str = "core.user",
) -> list[AuditEvent]:
    """Record an event about an account (sign-in, sign-out, API token) once for each county
    the account belongs to today, so that each county's auditors see it; an account without a
    membership (or none at all: an unknown user name) gets one event without a county."""
    found = {m.county_id: m.county for m in active_memberships(account)}
    counties: list[County | None] = [found[pk] for pk in sorted(found)] or [None]
    return [
        record_event(
            actor=actor,
            action=action,
            obj=account,
            object_type=object_type,
            county=county,
            actor_label=actor_label,
        )
        for county in counties
    ]


def _stored_events(batch_size: int = 5000) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        yield event.sequence, event.previous_hash, event.hash, _hashed_fields(event)


def verify_chain() -> tuple[int, list[ChainBreak]]:
    """Return the number of events checked and every break found."""
    count = 0

    def counted() -> Iterator[tuple[int, str, str, dict[str, Any]]]:
        nonlocal count
        for item in _stored_events():
            count += 1
            yield item

    breaks = find_breaks(counted())
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_sequence != count:
        breaks.append(ChainBreak(head.last_sequence, "Einträge am Ende fehlen"))
    return count, breaks

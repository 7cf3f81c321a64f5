"""Audit events. Rows are never changed or deleted: the model refuses it and so does the
database (triggers added by migration 0003). Each row carries the hash of its predecessor,
so any later change to a row breaks the chain and ``ankommen audit verify`` finds it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("angelegt")
        CHANGE = "change", _("geändert")
        DELETE = "delete", _("gelöscht")
        READ = "read", _("gelesen")
        EXPORT = "export", _("exportiert")
        LOGIN = "login", _("angemeldet")
        LOGOUT = "logout", _("abgemeldet")
        LOGIN_FAILED = "login_failed", _("Anmeldung fehlgeschlagen")
        DENIED = "denied", _("Zugriff verweigert")

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(_("Zeitpunkt"))
    county = models.ForeignKey("core.County", on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_label = models.CharField(_("Wer"), max_length=150)
    action = models.CharField(_("Aktion"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("Objektart"), max_length=60)
    object_id = models.CharField(_("Objekt"), max_length=40, blank=True)
    person_id = models.BigIntegerField(_("Person"), null=True, db_index=True)
    purpose = models.CharField(_("Zweck"), max_length=300, blank=True)
    details: models.JSONField[Any, Any] = models.JSONField(_("Einzelheiten"), default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokolleinträge")
        ordering = ["sequence"]
        indexes = [models.Index(fields=["county", "sequence"], name="audit_county_seq")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Protokolleinträge können nicht geändert werden.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Protokolleinträge können nicht gelöscht werden.")


class ChainHead(models.Model):
    """One row: the last sequence and hash. Locked while appending, so the chain never forks."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.last_sequence}"

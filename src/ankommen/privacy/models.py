"""What the retention run has done: one row per person and retention category.

The row makes the run idempotent (a category is anonymised once) and lets the export and the
documentation say when. It holds no personal data: the person's key only, which after the
anonymisation points to a record without a name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ankommen.core.models import County


class Anonymisation(models.Model):
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+")
    person_id = models.BigIntegerField(_("Person"))
    category = models.CharField(_("Kategorie"), max_length=40)
    contact_ended_on = models.DateField(_("Kontakt beendet am"))
    years = models.PositiveSmallIntegerField(_("Frist in Jahren"))
    done_at = models.DateTimeField(_("anonymisiert am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anonymisierung")
        verbose_name_plural = _("Anonymisierungen")
        constraints = [
            models.UniqueConstraint(
                fields=["person_id", "category"], name="anonymisation_once_per_category"
            ),
        ]
        indexes = [models.Index(fields=["county", "category"], name="anonymisation_county")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.category}"

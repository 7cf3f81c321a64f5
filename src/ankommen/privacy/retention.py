"""Retention periods: the registered categories with the configured years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from ankommen.privacy.registry import RetentionCategory, categories


class RetentionConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    category: RetentionCategory
    years: int

    @property
    def verified(self) -> bool:
        """A period is verified only while it is the registered default with a cited rule."""
        return self.category.verified and self.years == self.category.default_years

    def describe(self) -> str:
        text = _("%(n)d Jahre nach Ende des Kontakts (%(basis)s)") % {
            "n": self.years,
            "basis": str(self.category.legal_basis),
        }
        if not self.verified:
            text += " – " + _("Frist ungeprüft, vom Landkreis festzulegen")
        return text

    def due_before(self, today: date) -> date:
        """Contact that ended before the returned day is past its period on ``today``: the
        period runs to the end of the anniversary of the last day of contact."""
        try:
            return today.replace(year=today.year - self.years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - self.years, day=28)


def periods() -> dict[str, Period]:
    """Every registered category with its years (``ANKOMMEN_RETENTION_YEARS`` overrides)."""
    configured = settings.ANKOMMEN_RETENTION_YEARS
    if not isinstance(configured, dict):
        raise RetentionConfigError(
            _("ANKOMMEN_RETENTION_YEARS muss ein JSON-Objekt sein (Kategorie → Jahre).")
        )
    known = {category.key: category for category in categories()}
    unknown = sorted(set(configured) - set(known))
    if unknown:
        raise RetentionConfigError(
            _(
                "ANKOMMEN_RETENTION_YEARS nennt unbekannte Kategorien: %(keys)s "
                "(bekannt: %(known)s)."
            )
            % {"keys": ", ".join(unknown), "known": ", ".join(sorted(known))}
        )
    result = {}
    for key, category in known.items():
        years = configured.get(key, category.default_years)
        if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 100:
            raise RetentionConfigError(
                _("ANKOMMEN_RETENTION_YEARS: „%(key)s“ muss eine ganze Zahl von 1 bis 100 sein.")
                % {"key": key}
            )
        result[key] = Period(category, years)
    return result

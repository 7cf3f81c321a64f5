"""The navigation follows the fields of action of the county's integration concept."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldOfAction:
    slug: str
    title: Promise
    summary: Promise


FIELDS_OF_ACTION: tuple[FieldOfAction, ...] = (
    FieldOfAction(
        "unterbringung",
        _("Unterbringung"),
        _("Gemeinschaftsunterkünfte, Plätze, stressfreie Ankunft und Umzug in Wohnungen."),
    ),
    FieldOfAction(
        "beratung",
        _("Beratung und Betreuung"),
        _("Migrationssozialarbeit der Träger: Fälle, Beratungen, Integrationspläne."),
    ),
    FieldOfAction(
        "gesellschaft",
        _("Gesellschaftliche Integration"),
        _("Ehrenamt, Patenschaften und Begegnungsangebote."),
    ),
    FieldOfAction(
        "bildung",
        _("Bildung"),
        _("Sprache zuerst: Kita, Schule, Integrations- und Sprachkurse."),
    ),
    FieldOfAction(
        "arbeit",
        _("Arbeit"),
        _("Vorhandene Qualifikationen erkennen, dann nächste Schritte."),
    ),
    FieldOfAction(
        "gesundheit",
        _("Gesundheit"),
        _("Körperliche und psychische Gesundheit, Fachkräfte vor Ort."),
    ),
    FieldOfAction(
        "planung",
        _("Planung und Kosten"),
        _("Kapazitätsplanung, Kostenerstattung und öffentliche Zahlen."),
    ),
)

FIELDS_BY_SLUG = {field.slug: field for field in FIELDS_OF_ACTION}

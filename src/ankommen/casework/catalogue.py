"""Defaults a county starts with: the topic catalogue of counselling and the staffing key of
Migrationssozialarbeit. Both are data the county can change afterwards."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

# Topics of counselling. They follow the tasks of Migrationssozialarbeit listed in § 13(2)
# LAufnGDV Brandenburg (protection and asylum procedure, perspectives, reception and benefits,
# life in the accommodation, vulnerable persons, personal problems) and the usual fields of
# integration work.
DEFAULT_TOPICS: tuple[tuple[str, object], ...] = (
    ("aufenthaltsrecht", _("Aufenthaltsrecht und Asylverfahren")),
    ("leistungen", _("Leistungen (AsylbLG, SGB II, SGB XII)")),
    ("wohnen", _("Wohnen und Unterkunft")),
    ("schule", _("Kita und Schule")),
    ("gesundheit", _("Gesundheit")),
    ("arbeit", _("Arbeit und Ausbildung")),
    ("sprache", _("Sprache und Integrationskurs")),
    ("familie", _("Familie und Familiennachzug")),
    ("perspektive", _("Lebensperspektive, Weiterwanderung, Rückkehr")),
    ("konflikte", _("Persönliche Probleme und Konflikte")),
    ("alltag", _("Alltag, Behörden, Post")),
)

# The staffing key of unterbringungsnahe Migrationssozialarbeit in Brandenburg: the ministry
# raised it from 1:120 to 1:80 (MASGF Brandenburg, "Migrationssozialberatung verbessern",
# masgf.brandenburg.de/cms/detail.php/bb1.c.438769.de; the LAufnG of 15 March 2016 makes
# Migrationssozialarbeit a county task in § 12(1)). Whether the key is binding law in the
# LAufnGDV or only the basis of the lump sum under § 14(3) LAufnG, and whether it counts
# persons or households, was not verified: the default is stored as unverified and counts
# households, and a county corrects it as data.
DEFAULT_RATIO_PER_FTE = 80
DEFAULT_RATIO_SOURCE = (
    "MASGF Brandenburg, „Migrationssozialberatung verbessern“: Personalschlüssel der "
    "unterbringungsnahen Migrationssozialarbeit von 1:120 auf 1:80 angehoben; § 12 Abs. 1 LAufnG "
    "(Verbindlichkeit in der LAufnGDV und Zähleinheit ungeprüft)"
)
DEFAULT_RATIO_VALID_FROM = date(2016, 4, 1)  # LAufnG in force (§ 12 LAufnG)

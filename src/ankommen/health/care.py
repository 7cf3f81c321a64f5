"""The AsylbLG routes to health care, as data with their legal basis.

Sources (research note domain.md R15, 2.1 and 3.7):

* § 4(1) S.1 AsylbLG: treatment of acute illness and pain; § 4(1) S.2: vaccinations and
  medically required check-ups; § 4(3): early completion of vaccination; § 6(1): other
  benefits where "unerlässlich". Commentary: Jung, AsylbLG § 4 (haufe.de); proasyl.de.
* § 264(1) SGB V: the Länder may bind health insurers to issue an electronic health card
  (eGK) to AsylbLG recipients; Brandenburg framework agreement of 2016 (one insurer per
  county). Landkreis Oder-Spree: eGK with the Brandenburgische BKK since 1 Apr 2017, scope
  still §§ 4, 6 AsylbLG (landkreis-oder-spree.de "Krankenhilfe").
* § 264(2) SGB V with § 2 AsylbLG: after the waiting period recipients of Analogleistungen are
  cared for by a health insurer like the insured (domain.md R14, § 15(1) LAufnG).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ankommen.health.models import CareRoute


@dataclass(frozen=True)
class RouteFacts:
    kind: str
    legal_basis: Promise
    scope: Promise


ROUTES: dict[str, RouteFacts] = {
    CareRoute.Kind.HEALTH_CARD: RouteFacts(
        CareRoute.Kind.HEALTH_CARD,
        _("§§ 4, 6 AsylbLG; § 264 Abs. 1 SGB V mit der Brandenburger Rahmenvereinbarung (2016)"),
        _(
            "akute Erkrankungen und Schmerzen, Versorgung werdender Mütter und Wöchnerinnen, "
            "Impfungen und Vorsorge, sonst nur Unerlässliches; Abrechnung über die Krankenkasse"
        ),
    ),
    CareRoute.Kind.VOUCHER: RouteFacts(
        CareRoute.Kind.VOUCHER,
        _("§§ 4, 6 AsylbLG"),
        _(
            "Behandlungsschein des Sozialamts je Quartal und Behandlung; Umfang wie § 4, "
            "weitere Leistungen nach § 6 nur auf Antrag"
        ),
    ),
    CareRoute.Kind.SGB_V_CARD: RouteFacts(
        CareRoute.Kind.SGB_V_CARD,
        _("§ 2 AsylbLG mit § 264 Abs. 2 SGB V"),
        _("nach der Wartefrist (Analogleistungen) Versorgung wie gesetzlich Versicherte"),
    ),
}

# Landkreis Oder-Spree: eGK for allocated persons since this day (domain.md 3.7).
LOS_HEALTH_CARD_SINCE = date(2017, 4, 1)
LOS_HEALTH_CARD_INSURER = "Brandenburgische BKK"

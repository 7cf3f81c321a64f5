"""The Freimeldung: free places the county reports to the Land, per facility and municipality,
within what is left of its Aufnahmesoll. Figures from ``housing.selectors`` (dated bed states
and occupancy); free = beds − occupied − held (Vorhaltung) − closed. Counts only."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ankommen.algorithms.allocation_lists import neutralise_cell
from ankommen.core.models import County, Site
from ankommen.housing import selectors as housing
from ankommen.housing.models import ACCOMMODATION_KINDS
from ankommen.housing.selectors import Figures
from ankommen.planning.aufnahmesoll import aufnahmesoll


@dataclass(frozen=True)
class Places:
    """One line of the report: a facility or a municipality's facilities together."""

    name: str
    municipality: str
    kind: str  # facility kind label; empty for a municipality line
    figures: Figures

    def as_json(self) -> dict[str, Any]:
        f = self.figures
        return {
            "name": self.name,
            "municipality": self.municipality,
            "kind": self.kind,
            "beds": f.beds,
            "occupied": f.occupied,
            "reserved": f.reserved,
            "closed": f.closed,
            "free": f.free,
        }


@dataclass(frozen=True)
class Freimeldung:
    county: County
    day: date
    facilities: list[Places]
    municipalities: list[Places]
    total: Figures
    soll_open: int | None  # what is left of this year's target (None: no quota known)

    @property
    def reportable(self) -> int:
        """Free places reported to the Land: all free places, but no more than the open
        Aufnahmesoll when one is known."""
        if self.soll_open is None:
            return self.total.free
        return min(self.total.free, max(self.soll_open, 0))

    def as_json(self) -> dict[str, Any]:
        return {
            "county": self.county.slug,
            "day": self.day.isoformat(),
            "free": self.total.free,
            "soll_open": self.soll_open,
            "reportable": self.reportable,
            "municipalities": [p.as_json() for p in self.municipalities],
            "facilities": [p.as_json() for p in self.facilities],
        }


def freimeldung(*, county: County, day: date) -> Freimeldung:
    sites = list(
        Site._base_manager.filter(county=county, kind__in=ACCOMMODATION_KINDS)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    per_site = housing.figures_on([s.pk for s in sites], day)
    facilities = [
        Places(site.name, site.municipality.name, str(site.get_kind_display()), figures)
        for site, figures in housing.figures_by_site(sites, day, per_site)
    ]
    municipalities = [
        Places(place.name, place.name, "", figures)
        for place, figures in housing.figures_by_municipality(sites, day, per_site)
    ]
    balance = aufnahmesoll(county=county, year=day.year, day=day).current.figures.balance
    return Freimeldung(
        county=county,
        day=day,
        facilities=facilities,
        municipalities=municipalities,
        total=housing.total(p.figures for p in facilities),
        soll_open=balance,
    )


def _header() -> list[str]:
    return [
        _("Ebene"),
        _("Gemeinde"),
        _("Unterkunft"),
        _("Art"),
        _("Betten"),
        _("belegt"),
        _("in Vorhaltung"),
        _("gesperrt"),
        _("frei"),
    ]


def rows(report: Freimeldung) -> list[list[Any]]:
    """The report as table rows (header first), every text cell neutralised against formulas."""
    table: list[list[Any]] = [_header()]
    levels = (
        (_("Unterkunft"), report.facilities, True),
        (_("Gemeinde"), report.municipalities, False),
    )
    for level, places, named in levels:
        for p in places:
            f = p.figures
            counts = [f.beds, f.occupied, f.reserved, f.closed, f.free]
            table.append([level, p.municipality, p.name if named else "", p.kind, *counts])
    t = report.total
    counts = [t.beds, t.occupied, t.reserved, t.closed, t.free]
    table.append([_("Landkreis"), report.county.name, "", "", *counts])
    open_soll = "" if report.soll_open is None else report.soll_open
    table.append([_("offenes Aufnahmesoll"), "", "", "", "", "", "", "", open_soll])
    table.append([_("Freimeldung an das Land"), "", "", "", "", "", "", "", report.reportable])
    return [[neutralise_cell(cell) for cell in row] for row in table]


def file_name(report: Freimeldung, extension: str) -> str:
    return f"freimeldung-{report.county.slug}-{report.day.isoformat()}.{extension}"


def to_csv(report: Freimeldung) -> bytes:
    """UTF-8 with byte-order mark and ``;`` (as spreadsheet programs in Germany expect)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows(report))
    return buffer.getvalue().encode("utf-8")


def to_xlsx(report: Freimeldung) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Freimeldung")
    title = [_("Freimeldung"), report.county.name, _("Stichtag"), report.day.isoformat()]
    sheet.append([neutralise_cell(cell) for cell in title])
    for row in rows(report):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

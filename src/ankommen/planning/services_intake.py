"""Writes of intake planning: series uploads, the chain of shares, the yearly quota.

Every function checks :data:`Action.MANAGE_PLANNING` in the county (``actor=None``: the
system), validates, writes and records one audit event, all in one transaction; on bad input
it raises ``ValidationError`` with a German message and writes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ankommen.algorithms.forecast import SeriesError, parse_series_csv
from ankommen.algorithms.intake import MAX_LAG
from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core import access
from ankommen.core.access import Action
from ankommen.core.models import County
from ankommen.planning.models_intake import (
    ChainLink,
    Factor,
    IntakeQuota,
    NationalSeries,
    SeriesValue,
    Stream,
    StreamSource,
)

if TYPE_CHECKING:
    from ankommen.core.models import User

#: Longest series accepted (100 years of months).
MAX_SERIES_MONTHS = 1200
MAX_TEXT = 400


def _require(actor: User | None, county: County) -> None:
    if actor is not None:
        access.require(actor, Action.MANAGE_PLANNING, county)


def _text(value: str, field: str, label: str, *, limit: int, required: bool = True) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError({field: _("Bitte %(label)s angeben.") % {"label": label}})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("%(label)s ist zu lang (%(n)d Zeichen, höchstens %(max)d).")
                % {"label": label, "n": len(text), "max": limit}
            }
        )
    if any(ch in text for ch in "<>{}\x00"):
        raise ValidationError({field: _("Der Text enthält unzulässige Zeichen (< > { }).")})
    return text


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def parse_upload(content: bytes) -> list[tuple[date, float]]:
    """The months and values of an uploaded ``month,value`` CSV, or ``ValidationError`` naming
    every bad line (the header is line 1)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            {"file": _("Die Datei ist keine UTF-8-Textdatei (CSV mit Kopfzeile month,value).")}
        ) from None
    try:
        series = parse_series_csv(text, min_months=1)
    except SeriesError as error:
        messages = [
            str(e) if e.line is not None else _("Die Datei enthält keinen Monat.")
            for e in error.errors
        ]
        raise ValidationError({"file": messages}) from None
    if len(series.values) > MAX_SERIES_MONTHS:
        raise ValidationError(
            {
                "file": _("Die Reihe ist zu lang (höchstens %(max)d Monate).")
                % {"max": MAX_SERIES_MONTHS}
            }
        )
    return [(_month_start(series.start + i), value) for i, value in enumerate(series.values)]


@transaction.atomic
def upload_series(
    *,
    actor: User | None,
    county: County | None,
    name: str,
    content: bytes,
    source: str = "",
    stream: str = "",
) -> NationalSeries:
    """Store a monthly series under ``name``; a series of that name in the county is replaced
    as a whole. ``county=None`` (system only) ships a series to every county. With ``stream``
    the series feeds that stream of the county's prior."""
    if county is not None:
        _require(actor, county)
    elif actor is not None:
        raise ValidationError({"county": _("Bitte einen Landkreis angeben.")})
    name = _text(name, "name", _("einen Namen"), limit=120)
    source = _text(source, "source", _("Die Quelle"), limit=MAX_TEXT, required=False)
    if stream and stream not in Stream.values:
        raise ValidationError({"stream": _("Unbekannter Strom „%(s)s“.") % {"s": stream[:20]}})
    if stream and county is None:
        raise ValidationError({"stream": _("Ein Strom gehört zu einem Landkreis.")})
    rows = parse_upload(content)
    county_filter = Q(county=county) if county is not None else Q(county__isnull=True)
    series = NationalSeries.objects.filter(county_filter, name=name).first()
    replaced = series is not None
    if series is None:
        series = NationalSeries.objects.create(
            county=county, name=name, source=source, uploaded_by=actor
        )
    else:
        series.source, series.uploaded_by = source, actor
        series.save(update_fields=["source", "uploaded_by"])
        series.values.all().delete()
    SeriesValue.objects.bulk_create(
        SeriesValue(series=series, month=month, value=value) for month, value in rows
    )
    if stream and county is not None:
        StreamSource.objects.update_or_create(
            county=county, stream=stream, defaults={"series": series}
        )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CHANGE if replaced else AuditEvent.Action.CREATE,
        obj=series,
        county=county,
        details={"months": len(rows), "stream": stream},
    )
    return series


def _decimal(value: object, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError({field: _("„%(v)s“ ist keine Zahl.") % {"v": str(value)[:20]}})
    return number


@transaction.atomic
def set_chain_link(
    *,
    actor: User | None,
    county: County,
    stream: str,
    factor: str,
    valid_from: date,
    value: object,
    source: str,
    verified: bool = False,
) -> ChainLink:
    """Add a dated link to the county's chain, or change the one with the same stream, factor
    and date. Shares are in percent (0–100), the lag in whole months (0–24)."""
    _require(actor, county)
    if stream not in Stream.values:
        raise ValidationError({"stream": _("Bitte einen Strom wählen.")})
    if factor not in Factor.values:
        raise ValidationError({"factor": _("Bitte einen Faktor wählen.")})
    if not isinstance(valid_from, date):
        raise ValidationError({"valid_from": _("Bitte ein Datum angeben.")})
    number = _decimal(value, "value")
    if factor == Factor.LAG:
        if number != number.to_integral_value() or not 0 <= number <= MAX_LAG:
            raise ValidationError(
                {
                    "value": _(
                        "Die Verzögerung muss eine ganze Zahl von 0 bis %(max)d Monaten sein."
                    )
                    % {"max": MAX_LAG}
                }
            )
    elif not 0 <= number <= 100:
        raise ValidationError({"value": _("Ein Anteil liegt zwischen 0 und 100 %.")})
    if number != number.quantize(Decimal("0.00001")):
        raise ValidationError({"value": _("Höchstens fünf Nachkommastellen.")})
    source = _text(source, "source", _("die Quelle"), limit=MAX_TEXT)
    link, created = ChainLink.objects.update_or_create(
        county=county,
        stream=stream,
        factor=factor,
        valid_from=valid_from,
        defaults={"value": number, "source": source, "verified": verified, "changed_by": actor},
    )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
        obj=link,
        details={"stream": stream, "factor": factor, "valid_from": valid_from.isoformat()},
    )
    return link


MIN_YEAR, MAX_YEAR = 2000, 2100


@transaction.atomic
def set_quota(
    *,
    actor: User | None,
    county: County,
    year: int,
    quota: int,
    source: str,
    verified: bool = False,
) -> IntakeQuota:
    """Record (or change) the Land's quota for the county in ``year``."""
    _require(actor, county)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {
                "year": _("Das Jahr muss zwischen %(a)d und %(b)d liegen.")
                % {"a": MIN_YEAR, "b": MAX_YEAR}
            }
        )
    if not isinstance(quota, int) or quota < 0:
        raise ValidationError({"quota": _("Das Aufnahmesoll ist eine ganze Zahl ab 0.")})
    source = _text(source, "source", _("die Quelle"), limit=MAX_TEXT)
    row, created = IntakeQuota.objects.update_or_create(
        county=county,
        year=year,
        defaults={"quota": quota, "source": source, "verified": verified, "changed_by": actor},
    )
    record_event(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
        obj=row,
        details={"year": year},
    )
    return row

"""The claim as JSON, XLSX (openpyxl) and PDF (reportlab): a summary and the pseudonymised
per-person lines, which add up exactly to the total. Text cells that a spreadsheet could read
as a formula are neutralised (:func:`ankommen.algorithms.allocation_lists.neutralise_cell`)."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from html import escape as html_escape
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.algorithms.allocation_lists import neutralise_cell
from ankommen.algorithms.claims import Kind, Line
from ankommen.finance.claims import ClaimReport
from ankommen.finance.models import HousingKind, RuleKind

# Paragraph text is reportlab's mini-markup: &, < and > must be escaped (quotes may stay).
escape = partial(html_escape, quote=False)

FORMATS = ("json", "xlsx", "pdf")
CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def file_name(report: ClaimReport, fmt: str) -> str:
    period = f"{report.year}" if report.quarter is None else f"{report.year}-Q{report.quarter}"
    return f"Erstattungsantrag-{report.county.slug}-{period}.{fmt}"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _euro(value: Decimal) -> str:
    """German notation: 1.234,56 €."""
    text = f"{value:,.2f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return f"{text} €"


def kind_label(kind: Kind | str) -> str:
    return str(RuleKind(str(kind)).label)


def housing_label(housing: str | None) -> str:
    return str(HousingKind(housing).label) if housing else ""


def _line_json(line: Line) -> dict[str, Any]:
    return {
        "kind": str(line.kind),
        "source": line.source,
        "rule": int(line.rule),
        "housing": str(line.housing) if line.housing else None,
        "first": line.first.isoformat(),
        "last": line.last.isoformat(),
        "days": line.days,
        "amount": _money(line.amount),
    }


def as_json(report: ClaimReport, *, lines: bool = True) -> dict[str, Any]:
    """The claim as a JSON document; amounts are strings with two decimals (exact)."""
    used = {line.rule for line in report.claim.lines}
    data: dict[str, Any] = {
        "county": report.county.slug,
        "year": report.year,
        "quarter": report.quarter,
        "first": report.first.isoformat(),
        "last": report.last.isoformat(),
        "total": _money(report.total),
        "by_kind": {str(kind): _money(value) for kind, value in report.by_kind()},
        "subjects": report.subjects(),
        "line_count": len(report.claim.lines),
        "warnings": report.claim.warnings,
        "rules": [
            {
                "id": rule.pk,
                "kind": rule.kind,
                "housing": rule.housing or None,
                "valid_from": rule.valid_from.isoformat(),
                "amount": None if rule.amount is None else _money(rule.amount),
                "paragraph": rule.paragraph,
                "source": rule.source,
                "used": key in used,
            }
            for key, rule in report.rules.items()
        ],
    }
    if lines:
        grouped: dict[str, list[Line]] = {}
        for line in report.claim.lines:
            grouped.setdefault(line.person, []).append(line)
        data["subjects_lines"] = [
            {
                "subject": subject,
                "total": _money(sum((ln.amount for ln in items), Decimal("0.00"))),
                "lines": [_line_json(ln) for ln in items],
            }
            for subject, items in grouped.items()
        ]
    return data


LINE_HEADER = (
    "Pseudonym",
    "Art",
    "Rechtsgrundlage",
    "Unterbringung",
    "von",
    "bis",
    "Tage",
    "Beleg",
    "Betrag (€)",
)


def _line_row(report: ClaimReport, line: Line) -> list[Any]:
    rule = report.rules[line.rule]
    return [
        line.person,
        kind_label(line.kind),
        rule.paragraph,
        housing_label(line.housing),
        line.first,
        line.last,
        line.days,
        line.source,
        line.amount,
    ]


Progress = Callable[[int, int], object]  # (lines written, lines in all)
PROGRESS_EVERY = 5000


def as_xlsx(report: ClaimReport, progress: Progress | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Zusammenfassung"))
    rows: list[list[Any]] = [
        [_("Erstattungsantrag nach §§ 14, 15 LAufnG")],
        [_("Landkreis"), report.county.name],
        [_("Zeitraum"), f"{report.first:%d.%m.%Y} – {report.last:%d.%m.%Y}"],
        [_("erstellt am"), timezone.localtime().strftime("%d.%m.%Y %H:%M")],
        [],
        [_("Art"), _("Betrag (€)")],
        *[[kind_label(kind), value] for kind, value in report.by_kind()],
        [_("Summe"), report.total],
        [],
        [_("Fälle (Pseudonyme)"), report.subjects()],
        [_("Zeilen"), len(report.claim.lines)],
        [],
        [_("Regeln"), _("gültig ab"), _("Betrag (€)"), _("Quelle")],
        *[
            [rule.paragraph, rule.valid_from, rule.amount, rule.source]
            for rule in report.rules.values()
        ],
        [],
        *[[_("Hinweis"), warning] for warning in report.claim.warnings],
    ]
    for row in rows:
        summary.append([neutralise_cell(cell) for cell in row])
    lines = book.create_sheet(_("Zeilen"))
    lines.append(list(LINE_HEADER))
    count = len(report.claim.lines)
    for done, line in enumerate(report.claim.lines, 1):
        lines.append([neutralise_cell(cell) for cell in _line_row(report, line)])
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == count):
            progress(done, count)
    lines.append([_("Summe"), "", "", "", "", "", "", "", report.total])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_pdf(report: ClaimReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=file_name(report, "pdf"),
    )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ]
    )
    story: list[Any] = [
        Paragraph(_("Erstattungsantrag nach §§ 14, 15 LAufnG"), styles["Title"]),
        Paragraph(
            escape(f"{report.county.name} · {report.first:%d.%m.%Y} – {report.last:%d.%m.%Y}"),
            styles["Heading2"],
        ),
    ]
    summary = [[_("Art"), _("Betrag")]]
    summary += [[kind_label(kind), _euro(value)] for kind, value in report.by_kind()]
    summary.append([_("Summe"), _euro(report.total)])
    table = Table(summary, hAlign="LEFT")
    table.setStyle(grid)
    story += [table, Spacer(1, 4 * mm)]
    for warning in report.claim.warnings:
        story.append(Paragraph(escape(warning), styles["Normal"]))
    story.append(Paragraph(_("Zeilen je Fall (pseudonymisiert)"), styles["Heading2"]))
    data: list[list[Any]] = [list(LINE_HEADER)]
    for line in report.claim.lines:
        row = _line_row(report, line)
        row[4] = f"{line.first:%d.%m.%Y}"
        row[5] = f"{line.last:%d.%m.%Y}"
        row[8] = _euro(line.amount)
        data.append(row)
    data.append([_("Summe"), "", "", "", "", "", "", "", _euro(report.total)])
    lines = Table(data, repeatRows=1, hAlign="LEFT")
    lines.setStyle(grid)
    story.append(lines)
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(_("Rechtsgrundlagen und Quellen"), styles["Heading2"]))
    for rule in report.rules.values():
        amount = _("nach Kosten") if rule.amount is None else _euro(rule.amount)
        story.append(
            Paragraph(
                escape(
                    f"{rule.paragraph}, ab {rule.valid_from:%d.%m.%Y}: {amount} – {rule.source}"
                ),
                styles["Normal"],
            )
        )
    doc.build(story)
    return out.getvalue()


def render(report: ClaimReport, fmt: str, progress: Progress | None = None) -> bytes:
    """The claim as ``fmt``; ``progress`` learns how many lines of the XLSX are written."""
    import json

    if fmt == "xlsx":
        return as_xlsx(report, progress)
    if fmt == "pdf":
        return as_pdf(report)
    return json.dumps(as_json(report), ensure_ascii=False).encode()

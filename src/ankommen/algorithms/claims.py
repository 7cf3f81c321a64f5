"""The reimbursement claim (Erstattungsantrag) under §§ 14, 15 LAufnG, as a pure computation.

Inputs are plain values: the dated rules (:class:`Rule`, amounts as published in the
LAufnGErstV, data not constants), and each person's dated history: AsylbLG benefit periods,
housing spans (shared accommodation, flat, none), the day the person was taken in, periods under
Migrationssozialarbeit, netted income and health invoices. :func:`compute_claim` turns them into
claim lines for one period (a quarter or a calendar year); every line names its person, its
source record (a person-period) and its rule, so every euro can be traced.

Arithmetic is exact: amounts are :class:`~decimal.Decimal` in whole cents as published, a yearly
amount is prorated by day as ``amount × days / days of that calendar year`` (365, or 366 in a
leap year, so a full year always earns exactly the yearly amount). A claim lies within one
calendar year, so every line's exact value is a whole number of ``1 / days of the year`` cents
(``Line.units``): integer arithmetic, no rounding until the end. The claim's total is
rounded once, at the end, half up to the cent; the lines get whole cents by the largest-remainder
method so that they add up exactly to that total (see ``docs/finance.md``).
"""

from __future__ import annotations

import calendar
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from operator import attrgetter

CENT = Decimal("0.01")
ONE_DAY = timedelta(days=1)


class ClaimError(ValueError):
    """Invalid input for a claim (German message)."""


class Kind(StrEnum):
    """What a rule pays for."""

    ONE_OFF = "one_off"  # § 14 Abs. 1 LAufnG: once per person taken in
    RECIPIENT = "recipient"  # § 14 Abs. 2 LAufnG: per AsylbLG recipient and year, pro rata
    MSA = "msa"  # § 14 Abs. 3 LAufnG: per case (Migrationssozialarbeit) and year, pro rata
    HEALTH = "health"  # § 15 LAufnG: health costs at actual cost (amount: none)
    NETTING = "netting"  # § 14 Abs. 2 LAufnG: income netted against the lump sum (amount: none)


class Housing(StrEnum):
    SHARED = "shared"  # Gemeinschaftsunterkunft, Notunterkunft or Wohnungsverbund
    FLAT = "flat"  # Wohnung
    NONE = "none"  # no accommodation used


YEARLY_KINDS = frozenset({Kind.RECIPIENT, Kind.MSA})
AT_COST_KINDS = frozenset({Kind.HEALTH, Kind.NETTING})


@dataclass(frozen=True)
class Rule:
    """A dated reimbursement rule. ``housing`` only for :attr:`Kind.RECIPIENT`; ``amount`` None
    for the kinds paid at actual cost."""

    key: str
    kind: Kind
    valid_from: date
    amount: Decimal | None
    housing: Housing | None = None
    paragraph: str = ""
    source: str = ""


@dataclass(frozen=True)
class Period:
    """A dated fact of one person; ``last`` is the last day included (None: still open)."""

    person: str
    first: date
    last: date | None
    source: str  # the record it comes from, e.g. "asylblg:17"


@dataclass(frozen=True)
class HousingSpan:
    person: str
    first: date
    last: date | None
    housing: Housing
    place: str = ""  # the facility, for the cost side (deficit per facility)


@dataclass(frozen=True)
class Booking:
    """One dated amount of one person: an intake (amount unused), income or a health invoice."""

    person: str
    day: date
    source: str
    amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class History:
    benefits: Sequence[Period] = ()  # AsylbLG benefit periods
    housing: Sequence[HousingSpan] = ()
    intakes: Sequence[Booking] = ()  # persons taken in (§ 4 Nr. 1, 2 LAufnG), once each
    msa: Sequence[Period] = ()  # periods under Migrationssozialarbeit
    income: Sequence[Booking] = ()  # netted income (user fees, refunds): positive amounts
    health: Sequence[Booking] = ()  # health invoices at actual cost


@dataclass(slots=True)
class Line:
    person: str
    kind: Kind
    source: str
    rule: str
    housing: Housing | None
    first: date
    last: date
    days: int
    units: int  # exact value in cents × days of the claim's year (see ``scale``)
    scale: int  # days of the claim's year: units / scale = exact cents
    amount: Decimal = Decimal(0)  # whole cents after apportionment
    place: str = ""

    @property
    def exact(self) -> Fraction:
        """The exact value in euros."""
        return Fraction(self.units, self.scale * 100)


@dataclass
class Claim:
    first: date
    last: date
    lines: list[Line]
    total: Decimal
    warnings: list[str] = field(default_factory=list)

    def by_kind(self) -> dict[Kind, Decimal]:
        sums: dict[Kind, Decimal] = {kind: Decimal("0.00") for kind in Kind}
        for line in self.lines:
            sums[line.kind] += line.amount
        return sums

    def by_person(self) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for line in self.lines:
            sums[line.person] += line.amount
        return dict(sums)


def quarter_bounds(year: int, quarter: int | None) -> tuple[date, date]:
    """First and last day of a quarter (1–4) or, without one, of the calendar year."""
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    if quarter not in (1, 2, 3, 4):
        raise ClaimError(f"Quartal {quarter} gibt es nicht (1 bis 4).")
    first_month = 3 * quarter - 2
    last_month = first_month + 2
    return date(year, first_month, 1), date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def _check_rules(rules: Iterable[Rule]) -> None:
    for rule in rules:
        if rule.kind in AT_COST_KINDS:
            if rule.amount is not None:
                raise ClaimError(f"Regel {rule.key}: {rule.kind} wird nach Kosten erstattet.")
        elif rule.amount is None or rule.amount < 0:
            raise ClaimError(f"Regel {rule.key}: Betrag fehlt oder ist negativ.")
        if (rule.kind == Kind.RECIPIENT) != (rule.housing is not None):
            raise ClaimError(f"Regel {rule.key}: Unterbringungsart nur bei der Jahrespauschale.")


class _RuleBook:
    """The rules of one kind (and housing), sorted by the day they start."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._by: dict[tuple[Kind, Housing | None], list[Rule]] = defaultdict(list)
        for rule in rules:
            self._by[(rule.kind, rule.housing)].append(rule)
        for (kind, housing), items in self._by.items():
            items.sort(key=lambda r: r.valid_from)
            starts = [r.valid_from for r in items]
            if len(set(starts)) != len(starts):
                raise ClaimError(f"Zwei Regeln {kind}/{housing or '-'} gelten ab demselben Tag.")

    def on(self, kind: Kind, housing: Housing | None, day: date) -> Rule | None:
        found = None
        for rule in self._by.get((kind, housing), ()):
            if rule.valid_from > day:
                break
            found = rule
        return found

    def pieces(
        self, kind: Kind, housing: Housing | None, first: date, end: date
    ) -> list[tuple[Rule | None, date, date]]:
        """Split the half-open span [first, end) where a rule of the kind starts."""
        cuts = [first]
        for rule in self._by.get((kind, housing), ()):
            if first < rule.valid_from < end:
                cuts.append(rule.valid_from)
        cuts.append(end)
        return [(self.on(kind, housing, a), a, b) for a, b in itertools.pairwise(cuts)]


def _end(last: date | None, limit: date) -> date:
    """Exclusive end of an inclusive ``last`` (open: ``limit``), at most ``limit``."""
    return limit if last is None else min(last + ONE_DAY, limit)


def _housing_pieces(
    spans: Sequence[HousingSpan], first: date, end: date
) -> list[tuple[Housing, str, date, date]]:
    """The housing kind (and place) day by day over [first, end), as runs. A day without a span
    is :attr:`Housing.NONE`; where spans overlap, the one that started last wins (the newest
    move)."""
    cuts = {first, end}
    for span in spans:
        s_end = _end(span.last, end)
        if span.first < end and s_end > first:
            cuts.add(max(span.first, first))
            cuts.add(s_end)
    points = sorted(cuts)
    ordered = sorted(spans, key=lambda s: s.first)
    runs: list[tuple[Housing, str, date, date]] = []
    for a, b in itertools.pairwise(points):
        kind, place = Housing.NONE, ""
        for span in ordered:
            if span.first <= a and _end(span.last, end) > a:
                kind, place = span.housing, span.place
        if runs and runs[-1][:2] == (kind, place) and runs[-1][3] == a:
            runs[-1] = (kind, place, runs[-1][2], b)
        else:
            runs.append((kind, place, a, b))
    return runs


def _cents(amount: Decimal, what: str) -> int:
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ClaimError(f"{what}: Betrag {amount} ist nicht in ganzen Cent.")
    return int(cents)


def _prorated(cents: int, first: date, end: date) -> int:
    """Units (cents × days of the year) of a yearly amount for the days [first, end): the yearly
    amount × days / days of the year, in cents, is exactly ``cents × days`` units."""
    return cents * (end - first).days


def _group(spans: Iterable[HousingSpan]) -> dict[str, list[HousingSpan]]:
    grouped: dict[str, list[HousingSpan]] = defaultdict(list)
    for span in spans:
        grouped[span.person].append(span)
    return grouped


def _check_dates(person: str, first: date, last: date | None) -> None:
    if last is not None and last < first:
        raise ClaimError(f"{person}: Zeitraum endet vor seinem Beginn ({first} – {last}).")


def _check_amount(booking: Booking) -> None:
    if booking.amount < 0:
        raise ClaimError(f"{booking.person}: negativer Betrag ({booking.source}).")


def compute_claim(rules: Sequence[Rule], history: History, first: date, last: date) -> Claim:
    """The claim for the days ``first`` … ``last`` (inclusive, within one calendar year)."""
    if last < first or first.year != last.year:
        raise ClaimError("Der Abrechnungszeitraum muss innerhalb eines Kalenderjahres liegen.")
    _check_rules(rules)
    book = _RuleBook(rules)
    scale = days_in_year(first.year)
    rule_cents = {
        rule.key: _cents(rule.amount, f"Regel {rule.key}")
        for rule in rules
        if rule.amount is not None
    }
    end = last + ONE_DAY
    lines: list[Line] = []
    unclaimed: dict[str, int] = defaultdict(int)

    def no_rule(kind: Kind, housing: Housing | None, a: date, b: date) -> None:
        unclaimed[f"{kind}/{housing or '-'}"] += (b - a).days

    for spans in (history.benefits, history.housing, history.msa):
        for span in spans:
            _check_dates(span.person, span.first, span.last)
    for bookings in (history.income, history.health):
        for booking in bookings:
            _check_amount(booking)

    housing_of = _group(history.housing)
    for period in history.benefits:
        p_first, p_end = max(period.first, first), _end(period.last, end)
        if p_first >= p_end:
            continue
        pieces = _housing_pieces(housing_of.get(period.person, ()), p_first, p_end)
        for housing, place, h_first, h_end in pieces:
            for rule, a, b in book.pieces(Kind.RECIPIENT, housing, h_first, h_end):
                if rule is None or rule.amount is None:
                    no_rule(Kind.RECIPIENT, housing, a, b)
                    continue
                lines.append(
                    Line(
                        period.person,
                        Kind.RECIPIENT,
                        period.source,
                        rule.key,
                        housing,
                        a,
                        b - ONE_DAY,
                        (b - a).days,
                        _prorated(rule_cents[rule.key], a, b),
                        scale,
                        place=place,
                    )
                )
    for period in history.msa:
        p_first, p_end = max(period.first, first), _end(period.last, end)
        if p_first >= p_end:
            continue
        for rule, a, b in book.pieces(Kind.MSA, None, p_first, p_end):
            if rule is None or rule.amount is None:
                no_rule(Kind.MSA, None, a, b)
                continue
            lines.append(
                Line(
                    period.person,
                    Kind.MSA,
                    period.source,
                    rule.key,
                    None,
                    a,
                    b - ONE_DAY,
                    (b - a).days,
                    _prorated(rule_cents[rule.key], a, b),
                    scale,
                )
            )
    at_cost: tuple[tuple[Kind, Sequence[Booking], int], ...] = (
        (Kind.ONE_OFF, history.intakes, 1),
        (Kind.NETTING, history.income, -1),
        (Kind.HEALTH, history.health, 1),
    )
    for kind, bookings, sign in at_cost:
        for booking in bookings:
            if not first <= booking.day <= last:
                continue
            rule = book.on(kind, None, booking.day)
            if rule is None:
                no_rule(kind, None, booking.day, booking.day + ONE_DAY)
                continue
            if kind == Kind.ONE_OFF:
                cents = rule_cents[rule.key]
            else:
                cents = _cents(booking.amount, f"{booking.person} {booking.source}")
            lines.append(
                Line(
                    booking.person,
                    kind,
                    booking.source,
                    rule.key,
                    None,
                    booking.day,
                    booking.day,
                    1,
                    sign * cents * scale,
                    scale,
                )
            )
    lines.sort(key=attrgetter("person", "first"))  # stable: keeps the kinds' order per day
    total = apportion(lines)
    warnings = [
        f"Keine Regel für {key}: {days} Tag(e) bzw. Buchung(en) nicht abgerechnet."
        for key, days in sorted(unclaimed.items())
    ]
    return Claim(first, last, lines, total, warnings)


def _round_half_up(units: int, scale: int) -> int:
    """``units / scale`` rounded to a whole number, half away from zero."""
    sign = -1 if units < 0 else 1
    return sign * ((2 * abs(units) + scale) // (2 * scale))


def apportion(lines: list[Line]) -> Decimal:
    """Round the exact total once (half up, to the cent) and give each line whole cents that add
    up exactly to it: each line gets its exact cents rounded down, and the cents left over go to
    the lines with the largest remainders (ties: in the lines' order). Sets each line's
    ``amount``; returns the total."""
    if not lines:
        return Decimal("0.00")
    scale = lines[0].scale
    if any(line.scale != scale for line in lines):
        raise ClaimError("Zeilen aus verschiedenen Jahren lassen sich nicht zusammen runden.")
    total_cents = _round_half_up(sum(line.units for line in lines), scale)
    floors = [line.units // scale for line in lines]
    left = total_cents - sum(floors)
    if not 0 <= left <= len(lines):  # pragma: no cover - a property of floor and rounding
        raise ClaimError("Rundung fehlgeschlagen.")
    if left:
        order = sorted(range(len(lines)), key=lambda i: (-(lines[i].units % scale), i))
        for index in order[:left]:
            floors[index] += 1
    for line, cents in zip(lines, floors, strict=True):
        line.amount = Decimal(cents).scaleb(-2)
    return Decimal(total_cents).scaleb(-2)

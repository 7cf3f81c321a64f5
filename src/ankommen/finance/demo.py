"""Demo data for reimbursement: AsylbLG benefit periods, user fees, health invoices, facility
costs and the Land's payments, so the finance page shows a real year.

Everything here is invented for the demo (amounts, shares, rents), not data: the benefit
periods follow the persons' recorded stays and residence statuses (benefits start with the first
stay and end the day before a residence permit), the rest is drawn at random. Idempotent: a
county that already has benefit periods is left alone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import record_event
from ankommen.core.models import County, Site
from ankommen.finance.claims import build_claim
from ankommen.finance.models import (
    BenefitPeriod,
    FacilityCost,
    HealthInvoice,
    Income,
    StatePayment,
)
from ankommen.housing.selectors_stays import stays_between
from ankommen.people.models import ResidenceStatus

# ASSUMPTIONS for the demo, not data.
FEE_SHARE = 0.15  # persons in shared accommodation who pay a user fee (own income)
INVOICE_SHARE = 0.3  # persons with health invoices in a year
PAID_SHARE = Decimal("0.97")  # the Land pays 97 % of each quarter's claim
# Monthly cost per place (rent, security for shared sites, operation), in euros.
COST_PER_PLACE = {"rent": (150, 230), "operation": (90, 140)}
SECURITY_PER_MONTH = (9000, 16000)
ENDING_KINDS = {
    ResidenceStatus.Kind.RESIDENCE_PERMIT,
    ResidenceStatus.Kind.SETTLEMENT_PERMIT,
    ResidenceStatus.Kind.PERMANENT_EU,
    ResidenceStatus.Kind.NATURALISED,
}


def _months(first: date, last: date) -> list[date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def build_finance_demo(county: County, rng: random.Random) -> dict[str, int]:
    if BenefitPeriod.objects.filter(county=county).exists():
        return {}
    today = timezone.localdate()
    start = date(today.year - 2, 1, 1)
    first_stay: dict[int, date] = {}
    for stay in stays_between(county, start, today):
        if stay.person_id not in first_stay or stay.first < first_stay[stay.person_id]:
            first_stay[stay.person_id] = stay.first
    endings: dict[int, date] = {}
    for person_id, valid_from in ResidenceStatus.objects.filter(
        county=county, person_id__in=list(first_stay), kind__in=ENDING_KINDS
    ).values_list("person_id", "valid_from"):
        if person_id not in endings or valid_from < endings[person_id]:
            endings[person_id] = valid_from
    periods = []
    for person_id, begin in first_stay.items():
        end = endings.get(person_id)
        begin = max(begin, start)
        if end is not None and end <= begin:
            continue
        periods.append(
            BenefitPeriod(
                county=county,
                person_id=person_id,
                valid_from=begin,
                valid_to=None if end is None or end > today else end - timedelta(days=1),
            )
        )
    incomes, invoices = [], []
    for period in periods:
        stop = period.valid_to or today
        if rng.random() < FEE_SHARE:
            fee = Decimal(rng.randrange(120, 260))
            for month in _months(period.valid_from, stop)[1:]:
                incomes.append(
                    Income(
                        county=county,
                        person_id=period.person_id,
                        day=month,
                        kind=Income.Kind.USER_FEE,
                        amount=fee,
                    )
                )
        if rng.random() < INVOICE_SHARE:
            span = max((stop - period.valid_from).days, 1)
            for number in range(rng.randint(1, 4)):
                invoices.append(
                    HealthInvoice(
                        county=county,
                        person_id=period.person_id,
                        day=period.valid_from + timedelta(days=rng.randrange(span)),
                        reference=f"KH-{period.person_id}-{number + 1}",
                        amount=Decimal(rng.randrange(4000, 250000)) / 100,
                    )
                )
    costs = []
    sites = Site._base_manager.filter(county=county).exclude(kind=Site.Kind.OFFICE)
    for site in sites:
        places = max(site.capacity, 1)
        for month in _months(start, today):
            for kind, (low, high) in COST_PER_PLACE.items():
                amount = Decimal(places * rng.randrange(low, high))
                costs.append(
                    FacilityCost(county=county, site=site, month=month, kind=kind, amount=amount)
                )
            if site.kind in (Site.Kind.SHARED_ACCOMMODATION, Site.Kind.EMERGENCY):
                amount = Decimal(rng.randrange(*SECURITY_PER_MONTH))
                costs.append(
                    FacilityCost(
                        county=county, site=site, month=month, kind="security", amount=amount
                    )
                )
    with transaction.atomic():
        BenefitPeriod.objects.bulk_create(periods, batch_size=2000)
        Income.objects.bulk_create(incomes, batch_size=2000)
        HealthInvoice.objects.bulk_create(invoices, batch_size=2000)
        FacilityCost.objects.bulk_create(costs, batch_size=2000)
        counts = {
            "benefit_periods": len(periods),
            "incomes": len(incomes),
            "health_invoices": len(invoices),
            "facility_costs": len(costs),
        }
        # The Land paid the last full year's quarters (all but the last, still open).
        year = today.year - 1
        payments = []
        for quarter in (1, 2, 3):
            claimed = build_claim(county, year, quarter).total
            payments.append(
                StatePayment(
                    county=county,
                    received_on=date(year, 3 * quarter, 28) + timedelta(days=45),
                    year=year,
                    quarter=quarter,
                    amount=(claimed * PAID_SHARE).quantize(Decimal("0.01")),
                    reference=f"LAVV-{year}-Q{quarter}",
                )
            )
        StatePayment.objects.bulk_create(payments)
        counts["state_payments"] = len(payments)
        record_event(
            actor=None,
            action=AuditEvent.Action.CREATE,
            object_type="finance.demo",
            county=county,
            details=counts,
        )
    return counts

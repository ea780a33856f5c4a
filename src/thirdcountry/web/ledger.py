"""An arrangement's payment ledger, in each payment's own currency and converted to one
reporting currency with the dated exchange rates supervisors record.

A payment is converted with the latest rate dated on or before the payment's date, recorded
either way round (one base worth ``rate`` quote: direct, or its inverse). With no such rate
the payment is not converted, and the totals say how many were left out: no guessed rate
ever enters a total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Q

from thirdcountry.registry.models import Arrangement, ExchangeRate, Payment
from thirdcountry.scenario.model import PAYMENT_KINDS

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Conversion:
    """An amount in the reporting currency and the rate that gave it (none: same currency)."""

    amount: Decimal
    rate: ExchangeRate | None = None
    inverse: bool = False


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One payment and its conversion (``None``: no rate on or before its date)."""

    payment: Payment
    conversion: Conversion | None


@dataclass
class KindTotal:
    """The total of one kind of payment: per currency, and converted where a rate allowed."""

    kind: str
    by_currency: dict[str, Decimal] = field(default_factory=dict)
    converted: Decimal = Decimal(0)
    unconverted: int = 0
    count: int = 0


@dataclass(frozen=True)
class Ledger:
    """Every payment of an arrangement, converted to ``reporting``, with totals per kind."""

    reporting: str
    lines: list[LedgerLine]
    totals: list[KindTotal]


def rate_for(currency: str, reporting: str, on: object) -> Conversion | None:
    """How one unit of ``currency`` converts to ``reporting`` on a date: the latest rate dated
    on or before it, direct or inverse (on the same date the direct one); ``None`` if none."""
    if currency == reporting:
        return Conversion(Decimal(1))
    candidates = list(
        ExchangeRate.objects.filter(
            Q(base_id=currency, quote_id=reporting) | Q(base_id=reporting, quote_id=currency),
            date__lte=on,
        ).order_by("-date")[:2]
    )
    if not candidates:
        return None
    latest = [r for r in candidates if r.date == candidates[0].date]
    chosen = next((r for r in latest if r.base_id == currency), latest[0])
    inverse = chosen.base_id != currency
    unit = Decimal(1) / chosen.rate if inverse else chosen.rate
    return Conversion(unit, chosen, inverse)


def convert(amount: Decimal, currency: str, reporting: str, on: object) -> Conversion | None:
    """``amount`` of ``currency`` in ``reporting`` on a date, to the cent; ``None``: no rate."""
    unit = rate_for(currency, reporting, on)
    if unit is None:
        return None
    value = (amount * unit.amount).quantize(CENT, rounding=ROUND_HALF_EVEN)
    return Conversion(value, unit.rate, unit.inverse)


#: Currencies a ledger can always be reported in, rate or not.
COMMON_CURRENCIES = ("EUR", "GBP", "USD")


def reporting_currencies(arrangement: Arrangement) -> list[str]:
    """The currencies a ledger can be reported in: its own, any with a recorded rate, and the
    common reporting currencies."""
    codes = set(COMMON_CURRENCIES)
    codes.update(arrangement.payments.values_list("currency_id", flat=True))
    codes.update(ExchangeRate.objects.values_list("base_id", flat=True).distinct())
    codes.update(ExchangeRate.objects.values_list("quote_id", flat=True).distinct())
    return sorted(codes)


def build_ledger(payments: Iterable[Payment], reporting: str) -> Ledger:
    """The ledger of ``payments`` (in their order) reported in ``reporting``."""
    totals = {kind: KindTotal(kind) for kind in PAYMENT_KINDS}
    lines = []
    for payment in payments:
        conversion = convert(payment.amount, payment.currency_id, reporting, payment.date)
        lines.append(LedgerLine(payment, conversion))
        total = totals[payment.kind]
        total.count += 1
        total.by_currency[payment.currency_id] = (
            total.by_currency.get(payment.currency_id, Decimal(0)) + payment.amount
        )
        if conversion is None:
            total.unconverted += 1
        else:
            total.converted += conversion.amount
    return Ledger(reporting, lines, [t for t in totals.values() if t.count])

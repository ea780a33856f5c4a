"""An arrangement's payment ledger, in each payment's own currency and converted to one
reporting currency with the dated exchange rates supervisors record.

A payment is converted as the statistics convert it (:func:`thirdcountry.dated.convert`):
with the latest rate dated on or before the payment's date, recorded either way round. With
no such rate the payment is not converted, and the totals say how many were left out: no
guessed rate ever enters a total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import polars as pl

from thirdcountry import dated
from thirdcountry.registry.models import Arrangement, ExchangeRate, Payment
from thirdcountry.registry.selectors import rates_for, rates_table
from thirdcountry.scenario.model import PAYMENT_KINDS


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


def _conversions(
    payments: Sequence[tuple[date, str, Decimal]], reporting: str
) -> list[Conversion | None]:
    """Each (date, currency, amount), in order, in ``reporting``: converted as the
    statistics convert it (:func:`thirdcountry.dated.convert`), with the rate it used."""
    rates = list(rates_for(reporting))
    recorded = {(r.date, r.base_id, r.quote_id): r for r in rates}
    table = pl.DataFrame(
        list(payments),
        schema={"date": pl.Date, "currency": pl.String, "amount": pl.Decimal(24, 4)},
        orient="row",
    )
    conversions: list[Conversion | None] = []
    for row in dated.convert(table, rates_table(rates), reporting).iter_rows(named=True):
        if row["converted"] is None:
            conversions.append(None)
        elif row["rate_date"] is None:
            conversions.append(Conversion(row["converted"]))
        else:
            pair = (reporting, row["currency"]) if row["inverse"] else (row["currency"], reporting)
            rate = recorded[(row["rate_date"], *pair)]
            conversions.append(Conversion(row["converted"], rate, row["inverse"]))
    return conversions


def convert(amount: Decimal, currency: str, reporting: str, on: date) -> Conversion | None:
    """``amount`` of ``currency`` in ``reporting`` on a date, to the cent; ``None``: no rate."""
    return _conversions([(on, currency, amount)], reporting)[0]


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
    listed = list(payments)
    conversions = _conversions([(p.date, p.currency_id, p.amount) for p in listed], reporting)
    lines = []
    for payment, conversion in zip(listed, conversions, strict=True):
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

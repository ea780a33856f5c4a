"""Writes of registry records that re-screen nothing: exchange rates and payments, which
reports read and screening does not.

The registry's legal events (court orders, arrangement statuses, country assessments)
re-screen what they affect, so they live in :mod:`thirdcountry.cases.legal_events`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from thirdcountry.history import next_seq, save_with_history
from thirdcountry.registry.models import Arrangement, ExchangeRate, Payment
from thirdcountry.scenario import model as scenario


def record_exchange_rate(
    on: date,
    base: str,
    quote: str,
    rate: Decimal,
    source: str,
    user: Any = None,
    reason: str | None = None,
) -> ExchangeRate:
    """Record a dated exchange rate for reports (screening does not read it). ``reason``
    goes into its history."""
    entry = ExchangeRate(date=on, base_id=base, quote_id=quote, rate=rate, source=source)
    save_with_history(entry, user, reason or "exchange rate recorded")
    return entry


def record_payment(
    arrangement: Arrangement, payment: scenario.Payment, user: Any = None
) -> Payment:
    """Add an entry to an arrangement's payment ledger (screening does not read payments)."""
    entry = Payment(
        arrangement=arrangement,
        seq=next_seq(arrangement.payments.all()),
        date=payment.date,
        amount=payment.amount,
        currency_id=payment.currency,
        kind=payment.kind,
        payer_id=payment.payer,
        payee_id=payment.payee,
        note=payment.note,
    )
    save_with_history(entry, user, f"{payment.kind} payment recorded")
    return entry

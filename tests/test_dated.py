"""Facts that depend on a date, decided in one place: each function against a plain
reading of its rule, and the engine, pages, API, statistics and ledger agreeing on them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

import polars as pl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from api_support import ApiClient, clients, world
from thirdcountry import dated
from thirdcountry.cases.engine_reads import source_tables
from thirdcountry.oversight.statistics import converted_payments
from thirdcountry.registry.models import (
    Arrangement,
    ArrangementStatus,
    Assessment,
    Country,
    CourtOrder,
    Currency,
    ExchangeRate,
    Payment,
)
from thirdcountry.rules.facts import build_facts
from thirdcountry.scenario.model import ARRANGEMENT_STATUSES
from thirdcountry.web import ledger
from thirdcountry.web import selectors as pages

__all__ = ["clients", "world"]

START = date(2025, 1, 1)
CENT = Decimal("0.01")


def day(offset: int) -> date:
    return START + timedelta(days=offset)


#: Dates a few days apart, so that entries share dates, and dates to ask about that fall
#: before, among and after them.
entry_days = st.integers(min_value=0, max_value=12).map(day)
asked_days = st.integers(min_value=-1, max_value=13).map(day)
DB_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example's writes, undone after it (the test's own data stays)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# -- each function against its rule, read plainly -------------------------------------------


def in_force(entries: list[tuple[str, date, int]], key: str, on: date) -> int | None:
    """The seq of ``key``'s entry in force on ``on``: the latest dated on or before it, the
    later recorded on equal dates; none before the first."""
    candidates = [(d, seq) for k, d, seq in entries if k == key and d <= on]
    return max(candidates)[1] if candidates else None


@given(st.lists(st.tuples(st.sampled_from("ABC"), entry_days), max_size=12), asked_days)
def test_the_entry_in_force_is_the_latest_on_or_before_the_date(
    drawn: list[tuple[str, date]], on: date
) -> None:
    entries = [(key, when, seq) for seq, (key, when) in enumerate(drawn)]
    table = pl.DataFrame(
        entries, schema={"arrangement": pl.String, "date": pl.Date, "seq": pl.Int64}, orient="row"
    )
    found = dict(dated.arrangement_status_on(table, on).select("arrangement", "seq").iter_rows())
    expected = {key: in_force(entries, key, on) for key in "ABC"}
    assert found == {key: seq for key, seq in expected.items() if seq is not None}
    countries = table.rename({"arrangement": "country"})
    assert dict(dated.assessment_on(countries, on).select("country", "seq").iter_rows()) == found


@given(
    st.lists(st.tuples(entry_days, st.none() | st.integers(min_value=0, max_value=6)), max_size=8),
    asked_days,
)
def test_a_court_order_is_in_effect_from_its_issue_until_it_is_lifted(
    drawn: list[tuple[date, int | None]], on: date
) -> None:
    orders = [
        (issued, None if later is None else issued + timedelta(later)) for issued, later in drawn
    ]
    table = pl.DataFrame(orders, schema={"issued": pl.Date, "lifted": pl.Date}, orient="row")
    expected = [issued <= on and (lifted is None or lifted > on) for issued, lifted in orders]
    assert dated.orders_in_effect(table, on) == expected


CURRENCIES = ("GBP", "USD", "EUR", "RWF")
#: Rates with up to ten places, some of them round enough to put amounts on half cents.
rates_drawn = st.one_of(
    st.sampled_from([Decimal(v) for v in ("0.8", "1.25", "2", "4", "1.3", "0.0004", "3")]),
    st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal("100000"), places=10).filter(
        lambda r: r > 0
    ),
)
amounts = st.one_of(
    st.sampled_from([Decimal(v) for v in ("0", "0.25", "0.35", "1.5", "100", "0.0125")]),
    st.decimals(min_value=Decimal(0), max_value=Decimal("1000000000"), places=4),
)
rate_rows = st.lists(
    st.tuples(
        entry_days, st.sampled_from(CURRENCIES), st.sampled_from(CURRENCIES), rates_drawn
    ).filter(lambda r: r[1] != r[2]),
    max_size=10,
    unique_by=lambda r: (r[0], r[1], r[2]),
)
payment_rows = st.lists(
    st.tuples(asked_days, st.sampled_from(CURRENCIES), amounts), min_size=1, max_size=10
)


def converted(
    payment: tuple[date, str, Decimal], rates: list[tuple[date, str, str, Decimal]], reporting: str
) -> tuple[Decimal | None, date | None]:
    """A payment in ``reporting`` and the date of the rate used, computed exactly: the latest
    rate on or before its date, recorded either way round (the direct one on equal dates)."""
    on, currency, amount = payment
    if currency == reporting:
        return amount.quantize(CENT, ROUND_HALF_EVEN), None
    usable = [
        (when, base == currency, rate)
        for when, base, quote, rate in rates
        if when <= on and {base, quote} == {currency, reporting}
    ]
    if not usable:
        return None, None
    when, direct, rate = max(usable)
    with localcontext() as exact:
        exact.prec = 80
        value = amount * rate if direct else amount / rate
        return value.quantize(CENT, ROUND_HALF_EVEN), when


@given(rate_rows, payment_rows, st.sampled_from(CURRENCIES))
# An amount whose exact quotient lies just below a half cent, where rounding the quotient
# first would land on the half cent and round up.
@example(
    [(day(0), "USD", "GBP", Decimal("1000.0000000001"))], [(day(1), "GBP", Decimal("15"))], "USD"
)
# Each example builds Polars frames: on a busy machine one can take longer than the
# default deadline, which this property is not about.
@settings(max_examples=300, deadline=None)
def test_a_payment_converts_exactly_with_the_latest_rate_direct_or_inverse(
    rates: list[tuple[date, str, str, Decimal]],
    payments: list[tuple[date, str, Decimal]],
    reporting: str,
) -> None:
    table = pl.DataFrame(
        payments,
        schema={"date": pl.Date, "currency": pl.String, "amount": pl.Decimal(24, 4)},
        orient="row",
    )
    rate_table = pl.DataFrame(rates, schema=dated.RATES_SCHEMA, orient="row")
    found = dated.convert(table, rate_table, reporting).select("converted", "rate_date").rows()
    assert found == [converted(p, rates, reporting) for p in payments]


# -- the ledger and the statistics ------------------------------------------------------------


@pytest.fixture
def two_arrangements(db: None) -> list[Arrangement]:
    for code in ("GB", "RW", "US"):
        Country.objects.get_or_create(code=code, defaults={"name": code})
    for code in CURRENCIES:
        Currency.objects.get_or_create(code=code, defaults={"name": code})
    return [
        Arrangement.objects.create(ref="GB-RW", sending_id="GB", receiving_id="RW"),
        Arrangement.objects.create(ref="US-RW", sending_id="US", receiving_id="RW"),
    ]


@given(
    rate_rows,
    st.lists(st.tuples(st.integers(0, 1), st.sampled_from(("paid", "claimed"))), max_size=10),
    payment_rows,
    st.sampled_from(CURRENCIES),
)
@DB_SETTINGS
def test_the_ledger_and_the_statistics_convert_every_payment_alike(
    two_arrangements: list[Arrangement],
    rates: list[tuple[date, str, str, Decimal]],
    owners: list[tuple[int, str]],
    payments: list[tuple[date, str, Decimal]],
    reporting: str,
) -> None:
    with rolled_back():
        ExchangeRate.objects.bulk_create(
            ExchangeRate(date=d, base_id=b, quote_id=q, rate=r, source="test")
            for d, b, q, r in rates
        )
        Payment.objects.bulk_create(
            Payment(
                arrangement=two_arrangements[owner],
                seq=seq,
                date=on,
                amount=amount,
                currency_id=currency,
                kind=kind,
                payer_id="GB",
                payee_id="RW",
            )
            for seq, ((owner, kind), (on, currency, amount)) in enumerate(
                zip(owners, payments, strict=False)
            )
        )
        in_ledgers = []
        for arrangement in two_arrangements:
            report = ledger.build_ledger(arrangement.payments.order_by("date", "seq"), reporting)
            for line in report.lines:
                conversion = line.conversion
                in_ledgers.append(
                    (
                        arrangement.ref,
                        line.payment.date,
                        line.payment.currency_id,
                        line.payment.amount,
                        None if conversion is None else conversion.amount,
                        None
                        if conversion is None or conversion.rate is None
                        else conversion.rate.date,
                    )
                )
        in_statistics = converted_payments(reporting).select(
            "arrangement", "date", "currency", "amount", "converted", "rate_date"
        )
        assert len(in_ledgers) == Payment.objects.count()
        assert sorted(in_ledgers, key=repr) == sorted(in_statistics.rows(), key=repr)


# -- the engine, the pages and the API ------------------------------------------------------


@given(
    st.lists(
        st.tuples(
            st.sampled_from(("US-RW-2025", "US-SV-2025", "GB-RW-2022")),
            entry_days,
            st.sampled_from(ARRANGEMENT_STATUSES),
        ),
        max_size=10,
    ),
    st.lists(st.tuples(st.sampled_from(("RW", "SV")), entry_days, st.booleans()), max_size=6),
    st.lists(
        st.tuples(entry_days, st.none() | st.integers(min_value=0, max_value=6)),
        min_size=2,
        max_size=2,
    ),
    asked_days,
)
@DB_SETTINGS
def test_the_engine_pages_and_api_agree_on_every_dated_fact(
    world: None,
    clients: dict[str, ApiClient],
    statuses: list[tuple[str, date, str]],
    assessments: list[tuple[str, date, bool]],
    orders: list[tuple[date, int | None]],
    on: date,
) -> None:
    with rolled_back():
        ArrangementStatus.objects.all().delete()
        Assessment.objects.all().delete()
        arrangements = dict(Arrangement.objects.values_list("ref", "pk"))
        ArrangementStatus.objects.bulk_create(
            ArrangementStatus(
                arrangement_id=arrangements[ref], seq=seq, date=when, status=status, source="t"
            )
            for seq, (ref, when, status) in enumerate(statuses)
        )
        Assessment.objects.bulk_create(
            Assessment(country_id=c, seq=seq, date=when, onward_refoulement_risk=risk, source="t")
            for seq, (c, when, risk) in enumerate(assessments)
        )
        refs = list(CourtOrder.objects.order_by("ref").values_list("ref", flat=True))
        for ref, (issued, later) in zip(refs, orders, strict=True):
            lifted = None if later is None else issued + timedelta(days=later)
            CourtOrder.objects.filter(ref=ref).update(issued=issued, lifted=lifted)
        facts = build_facts(source_tables(), on)
        engine = dict(
            facts.select("arrangement", "arrangement_status").unique().drop_nulls("arrangement")
            .iter_rows()
        )  # fmt: skip
        assert engine, "no proposed transfer under an arrangement"
        shown = {
            row.arrangement.ref: row.status.status if row.status else None
            for row in pages.arrangement_rows(on)
        }
        answered: dict[str, Any] = dict.fromkeys(shown)
        for status in ARRANGEMENT_STATUSES:
            items = clients["supervisor"].get("arrangements", status=status, on=on).body["items"]
            answered.update({item["ref"]: status for item in items})
        for ref, status in engine.items():
            assert shown[ref] == answered[ref] == status
            plain = [(r, d, seq) for seq, (r, d, _) in enumerate(statuses)]
            seq = in_force(plain, ref, on)
            assert status == (None if seq is None else statuses[seq][2])
        engine_risk = dict(
            facts.select("destination", "onward_refoulement_risk").unique().iter_rows()
        )
        countries = Country.objects.filter(code__in=engine_risk).prefetch_related("assessments")
        in_force_shown = pages.assessments_in_force(countries, on)
        for code, risk in engine_risk.items():
            page_risk = in_force_shown.get(code)
            assert risk == (page_risk.onward_refoulement_risk if page_risk else None)
        # both orders of the seed world cover a proposed transfer
        engine_orders = set(facts.get_column("court_orders").explode().struct.field("order"))
        shown_orders = {o.ref for o in pages.orders_in_effect(on)}
        listed = clients["supervisor"].get("court_orders", active_on=on).body["items"]
        assert engine_orders - {None} == shown_orders == {o["ref"] for o in listed}

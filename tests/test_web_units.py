"""The web application's pieces that need no page: name search and the ledger's currency
conversion."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from thirdcountry.names import Match, best_matches, normalise, similarity
from thirdcountry.registry.models import Arrangement, Country, Currency, ExchangeRate, Payment
from thirdcountry.web import ledger

VARIANTS = ("Nduhungirehe", "Nduhungirefer", "Ndunnguleje")
OTHERS = (
    "Haidar A.",
    "Omar K.",
    "Omer Q.",
    "Jonathan M.",
    "Samuel T.",
    "José R.",
    "Ahmed B.",
    "Mukamana",
)


def test_names_are_folded_to_plain_lower_case_words() -> None:
    assert normalise("  José  Nduhungirehe-Ruto ") == "jose nduhungirehe ruto"
    assert normalise("Müller") == normalise("MULLER")
    assert normalise("Ахмед") == "akhmed"


@pytest.mark.parametrize("query", VARIANTS)
def test_each_spelling_of_the_name_finds_the_other_two(query: str) -> None:
    names = [(i, name) for i, name in enumerate((*VARIANTS, *OTHERS))]
    found = {m.name for m in best_matches(query, names)}
    assert found == set(VARIANTS)


def test_a_name_is_found_by_one_of_its_words_case_and_accents_aside() -> None:
    names = [(1, "Haidar A."), (2, "José R."), (3, "Omar K.")]
    assert [m.person_id for m in best_matches("haidar", names)] == [1]
    assert [m.person_id for m in best_matches("JOSE", names)] == [2]
    assert best_matches("", names) == []


def test_matches_come_best_first_and_once_per_person() -> None:
    names = [(1, "Omer Q."), (2, "Omar K."), (2, "Omar Kassem")]
    matches = best_matches("Omar", names)
    assert [m.person_id for m in matches] == [2, 1]
    # only the same name scores 100: one shared word is a close match, not an equal one
    assert 90 < matches[0].score < 100
    assert best_matches("omar k", names)[0] == Match(2, "Omar K.", 100.0)
    assert similarity("Nduhungirehe", "Ndunnguleje") > similarity("Nduhungirehe", "Omar K.")


@pytest.fixture
def rates() -> Arrangement:
    for code in ("GB", "RW", "US"):
        Country.objects.get_or_create(code=code, defaults={"name": code})
    for code in ("GBP", "USD", "EUR", "RWF"):
        Currency.objects.get_or_create(code=code, defaults={"name": code})
    arrangement = Arrangement.objects.create(ref="A", sending_id="GB", receiving_id="RW")
    ExchangeRate.objects.create(
        date=date(2024, 1, 1), base_id="GBP", quote_id="USD", rate=Decimal("1.25"), source="s"
    )
    ExchangeRate.objects.create(
        date=date(2025, 1, 1), base_id="GBP", quote_id="USD", rate=Decimal("1.30"), source="s"
    )
    # an inverse quotation, later than the direct one
    ExchangeRate.objects.create(
        date=date(2025, 6, 1), base_id="USD", quote_id="GBP", rate=Decimal("0.8"), source="s"
    )
    return arrangement


def _pay(arrangement: Arrangement, seq: int, on: date, amount: str, currency: str, kind: str):
    return Payment.objects.create(
        arrangement=arrangement,
        seq=seq,
        date=on,
        amount=Decimal(amount),
        currency_id=currency,
        kind=kind,
        payer_id="GB",
        payee_id="RW",
    )


@pytest.mark.django_db
def test_a_payment_converts_with_the_latest_rate_on_or_before_its_date(
    rates: Arrangement,
) -> None:
    # before any rate: not converted
    assert ledger.convert(Decimal(100), "GBP", "USD", date(2023, 12, 31)) is None
    # on the day of the first rate, and the day before the second
    assert ledger.convert(Decimal(100), "GBP", "USD", date(2024, 1, 1)).amount == Decimal("125.00")
    assert ledger.convert(Decimal(100), "GBP", "USD", date(2024, 12, 31)).amount == Decimal(
        "125.00"
    )
    assert ledger.convert(Decimal(100), "GBP", "USD", date(2025, 3, 1)).amount == Decimal("130.00")
    # the later inverse rate wins: 1 USD = 0.8 GBP, so 1 GBP = 1.25 USD
    later = ledger.convert(Decimal(100), "GBP", "USD", date(2025, 7, 1))
    assert later.amount == Decimal("125.00") and later.inverse
    # and the other way round, direct
    assert ledger.convert(Decimal(100), "USD", "GBP", date(2025, 7, 1)).amount == Decimal("80.00")
    # the same currency needs no rate
    assert ledger.convert(Decimal("7.5"), "EUR", "EUR", date(2000, 1, 1)).amount == Decimal("7.50")
    # no rate between these two at all
    assert ledger.convert(Decimal(1), "RWF", "USD", date(2025, 7, 1)) is None


@pytest.mark.django_db
def test_totals_per_kind_keep_each_currency_and_leave_out_what_has_no_rate(
    rates: Arrangement,
) -> None:
    payments = [
        _pay(rates, 0, date(2024, 6, 1), "1000", "GBP", "paid"),
        _pay(rates, 1, date(2025, 2, 1), "500", "USD", "paid"),
        _pay(rates, 2, date(2025, 2, 1), "9000", "RWF", "paid"),
        _pay(rates, 3, date(2023, 1, 1), "10", "GBP", "claimed"),
    ]
    report = ledger.build_ledger(payments, "USD")
    totals = {t.kind: t for t in report.totals}
    assert set(totals) == {"paid", "claimed"}
    paid = totals["paid"]
    assert paid.by_currency == {"GBP": Decimal(1000), "USD": Decimal(500), "RWF": Decimal(9000)}
    assert paid.converted == Decimal("1750.00")  # 1000 GBP at 1.25, and 500 USD as is
    assert paid.unconverted == 1
    assert totals["claimed"].unconverted == totals["claimed"].count == 1
    assert [line.conversion is None for line in report.lines] == [False, False, True, True]
    assert ledger.reporting_currencies(rates) == ["EUR", "GBP", "RWF", "USD"]

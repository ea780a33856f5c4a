"""Statistics: counts by every dimension, blocking rules, caps, money in any currency, and
refoulement incidents first."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from thirdcountry.cases.services import screen_stored
from thirdcountry.cli.main import app
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.oversight.statistics import compute_statistics
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry.services import record_exchange_rate
from thirdcountry.scenario import parse_scenario

pytestmark = pytest.mark.django_db


def executed(ref: str, person: str, onward: str, day: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "person": person,
        "sending": "US",
        "destination": "RW",
        "arrangement": "US-RW-2025",
        "planned_date": day,
        "status": "executed",
        "monitoring": [{"date": "2025-09-01", "kind": "onward_removal", "country": onward}],
    }


@pytest.fixture
def world(seed_world_path: Path) -> Any:
    document = json.loads(seed_world_path.read_text())
    # P-102 has a recognised fear claim about SY: sent on to SY is an incident, to KE is not
    document["transfers"] += [
        executed("T-900", "P-102", "SY", "2025-08-10"),
        executed("T-901", "P-102", "KE", "2025-08-12"),
    ]
    us_rw = next(a for a in document["arrangements"] if a["ref"] == "US-RW-2025")
    us_rw["payments"] = [
        {"date": "2025-08-06", "amount": "1000000.00", "currency": "USD", "kind": "paid",
         "payer": "US", "payee": "RW"},
    ]  # fmt: skip
    load_scenario_records(parse_scenario(document))
    return screen_stored().screening


def test_refoulement_incidents_are_found_and_come_first(world: Any) -> None:
    result = compute_statistics()
    assert [(i.transfer, i.onward_country, i.fear_claim) for i in result.incidents] == [
        ("T-900", "SY", "recognised")
    ]
    assert result.incidents[0].person == pseudonym("P-102")
    assert "P-102" not in json.dumps(result.to_dict())
    assert next(iter(result.to_dict())) == "refoulement_incidents"
    output = CliRunner().invoke(app, ["statistics", "--format", "table"]).output
    assert output.lstrip().startswith("╭") and "REFOULEMENT INCIDENTS: 1" in output.split("\n")[0]
    document = json.loads(CliRunner().invoke(app, ["statistics", "--format", "json"]).output)
    assert next(iter(document)) == "refoulement_incidents"
    # a period without the transfer has none
    assert compute_statistics(period=(date(2025, 9, 1), date(2025, 12, 31))).incidents == []


def test_counts_by_every_dimension_add_up(world: Any) -> None:
    result = compute_statistics()
    for frame in (result.by_status_verdict, result.by_arrangement, result.by_destination,
                  result.by_nationality, result.by_month):  # fmt: skip
        assert frame["transfers"].sum() == 10
    executed = result.by_status_verdict.filter(status="executed")
    assert executed["transfers"].sum() == 3
    proposed = dict(
        result.by_status_verdict.filter(status="proposed")
        .select("verdict", "transfers")
        .iter_rows()
    )
    assert proposed == world.counts()
    assert dict(result.by_nationality.group_by("nationality").agg(
        __import__("polars").col("transfers").sum()).iter_rows())["SY"] == 3  # fmt: skip
    months = set(result.by_month["month"].to_list())
    assert months == {"2025-03", "2025-08", "2025-09", "2025-10"}


def test_blocking_rules_count_the_latest_findings(world: Any) -> None:
    result = compute_statistics()
    blocked = {
        rule: sum(1 for v in world if v.not_passing.get(rule) == "blocked")
        for rule in result.blocking_rules["rule"]
    }
    assert dict(result.blocking_rules.select("rule", "blocked").iter_rows()) == blocked
    assert sum(blocked.values()) > 0


def test_cap_use_counts_every_executed_transfer(world: Any) -> None:
    cap = compute_statistics().cap_use.filter(arrangement="US-RW-2025").row(0, named=True)
    assert (cap["cap"], cap["executed"], cap["remaining"]) == (250, 2, 248)


def test_payments_convert_with_the_latest_rate_direct_or_inverse(world: Any) -> None:
    record_exchange_rate(date(2024, 1, 1), "GBP", "USD", Decimal("1.25"), "central bank")
    record_exchange_rate(date(2024, 7, 22), "USD", "GBP", Decimal("0.8"), "central bank")
    payments = compute_statistics("USD").payments
    paid = payments.filter(arrangement="GB-RW-2022", kind="paid").row(0, named=True)
    # the latest rate on or before 2024-07-22 is the inverse one of that day: 290M / 0.8
    assert paid["converted"] == Decimal("362500000.00") and paid["unconverted"] == 0
    # on the same day a direct rate wins over an inverse one
    record_exchange_rate(date(2024, 7, 22), "GBP", "USD", Decimal("1.3"), "central bank")
    payments = compute_statistics("USD").payments
    paid = payments.filter(arrangement="GB-RW-2022", kind="paid").row(0, named=True)
    assert paid["converted"] == Decimal("377000000.00")
    claimed = payments.filter(arrangement="GB-RW-2022", kind="claimed").row(0, named=True)
    assert claimed["converted"] == Decimal("65000000.00")  # 2025-05-04: the 2024-07-22 rate
    # no rate to euros: reported as not converted, never as zero
    in_euros = compute_statistics("EUR").payments
    usd = in_euros.filter(currency="USD").row(0, named=True)
    assert usd["converted"] is None and usd["unconverted"] == 1


def test_cost_per_executed_transfer(world: Any) -> None:
    cost = compute_statistics().cost_per_executed_transfer.filter(arrangement="US-RW-2025")
    row = cost.row(0, named=True)
    assert (row["paid"], row["executed"], row["cost_per_transfer"]) == (
        Decimal("1000000.00"),
        2,
        Decimal("500000.00"),
    )
    gb = compute_statistics().cost_per_executed_transfer.filter(arrangement="GB-RW-2022")
    assert gb.row(0, named=True)["cost_per_transfer"] is None  # no rate, nobody executed


def test_statistics_read_with_a_fixed_number_of_queries(world: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        compute_statistics()
    assert len(queries) <= 20

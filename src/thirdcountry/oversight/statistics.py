"""Statistics over the stored world, for staff, monitors and public releases.

A handful of set-based queries (one per table read, whatever the number of transfers) feed
Polars, which does every count, join and conversion. Refoulement incidents (an executed
transfer followed by an onward removal to a country the person had a pending or recognised
fear claim about) come first in every output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final

import polars as pl
from django.db.models import Count, Max

from thirdcountry import dated
from thirdcountry.cases.models import (
    FearClaim,
    LatestScreening,
    MonitoringEntry,
    Nationality,
    Person,
    ScreeningRecord,
    Transfer,
)
from thirdcountry.findings.stored import OUTCOME_OF
from thirdcountry.oversight.execution_incidents import ExecutionFlag, execution_incidents
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.registry.models import Arrangement, Payment
from thirdcountry.registry.selectors import current_catalog, rates_for, rates_table
from thirdcountry.rules import catalogs

#: The verdict of a transfer that has never been screened.
UNSCREENED: Final = "unscreened"
VERDICT_ORDER: Final = ("clear", "review", "blocked", UNSCREENED)
#: Nationality groups: one code, or one of these.
MULTIPLE: Final = "multiple"
STATELESS: Final = "stateless"
UNKNOWN: Final = "unknown"
#: Money: amounts in the reporting currency are rounded to this many places.
MONEY_PLACES: Final = dated.MONEY_PLACES

Period = tuple[date, date]


@dataclass(frozen=True)
class Incident:
    """A refoulement incident: an executed transfer after which the person was sent on to a
    country they had a pending or recognised fear claim about. The person appears only by
    pseudonym."""

    transfer: str
    person: str
    arrangement: str | None
    sending: str
    destination: str
    planned_date: date
    onward_country: str
    onward_date: date
    fear_claim: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "transfer": self.transfer,
            "person": self.person,
            "arrangement": self.arrangement,
            "sending": self.sending,
            "destination": self.destination,
            "planned_date": self.planned_date.isoformat(),
            "onward_country": self.onward_country,
            "onward_date": self.onward_date.isoformat(),
            "fear_claim": self.fear_claim,
        }

    def describe(self) -> str:
        """The incident in one sentence."""
        under = f" under {self.arrangement}" if self.arrangement else " with no arrangement"
        return (
            f"{self.person} was transferred from {self.sending} to {self.destination}"
            f"{under} ({self.transfer}, {self.planned_date}) and sent on to "
            f"{self.onward_country} on {self.onward_date}, a country they had a "
            f"{self.fear_claim} fear claim about"
        )


@dataclass(frozen=True)
class Statistics:
    """Every statistic, as Polars DataFrames, with the refoulement incidents first.

    Transfer counts are of transfers whose planned date is in ``period`` (all when None);
    ``verdict`` is that of each transfer's latest screening (``unscreened`` when none).
    """

    reporting_currency: str
    period: Period | None
    incidents: list[Incident]
    #: Executions recorded while the latest screening was not clear.
    execution_incidents: list[ExecutionFlag]
    #: status, verdict, transfers
    by_status_verdict: pl.DataFrame
    #: arrangement (null: none), status, verdict, transfers
    by_arrangement: pl.DataFrame
    #: destination, status, verdict, transfers
    by_destination: pl.DataFrame
    #: nationality (a code, "multiple", "stateless" or "unknown"), status, verdict, transfers
    by_nationality: pl.DataFrame
    #: month (YYYY-MM of the planned date), status, verdict, transfers
    by_month: pl.DataFrame
    #: rule (the current catalog's order, then any other catalog's the latest screenings were
    #: made under), blocked, review: transfers whose latest screening's finding is so
    blocking_rules: pl.DataFrame
    #: arrangement, cap (null: none), executed (ever), remaining, used_percent
    cap_use: pl.DataFrame
    #: arrangement, kind, currency, payments, amount, converted (in the reporting currency),
    #: unconverted (payments with no exchange rate, left out of converted)
    payments: pl.DataFrame
    #: arrangement, paid (converted), unconverted_payments, executed, cost_per_transfer
    cost_per_executed_transfer: pl.DataFrame
    #: arrangement (null: none), month, transfers: for the arrangement-by-month pivot (not
    #: one of the published tables)
    by_arrangement_month: pl.DataFrame = field(default_factory=pl.DataFrame)
    tables: dict[str, pl.DataFrame] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "tables",
            {
                "by_status_verdict": self.by_status_verdict,
                "by_arrangement": self.by_arrangement,
                "by_destination": self.by_destination,
                "by_nationality": self.by_nationality,
                "by_month": self.by_month,
                "blocking_rules": self.blocking_rules,
                "cap_use": self.cap_use,
                "payments": self.payments,
                "cost_per_executed_transfer": self.cost_per_executed_transfer,
            },
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: incidents first, then every table as a list of rows."""
        return {
            "refoulement_incidents": [i.to_dict() for i in self.incidents],
            "execution_incidents": [i.to_dict() for i in self.execution_incidents],
            "reporting_currency": self.reporting_currency,
            "period": (
                {"from": self.period[0].isoformat(), "to": self.period[1].isoformat()}
                if self.period
                else None
            ),
            "tables": {name: rows(frame) for name, frame in self.tables.items()},
        }


def rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame's rows with JSON-ready values (decimals as strings, dates as ISO)."""

    def ready(value: Any) -> Any:
        if isinstance(value, Decimal):
            return format(value, "f")
        if isinstance(value, date):
            return value.isoformat()
        return value

    return [{k: ready(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


# -- reads ---------------------------------------------------------------------------------------


def _frame(queryset: Any, schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(queryset), schema=schema, orient="row")


def transfer_table(period: Period | None = None) -> pl.DataFrame:
    """One row per transfer (in the period): its dimensions, status and latest verdict.

    Columns: transfer_id, person_id, status, planned_date, month, sending, destination,
    arrangement, nationality, verdict.
    """
    transfers = Transfer.objects.all()
    if period is not None:
        transfers = transfers.filter(planned_date__range=period)
    frame = _frame(
        transfers.values_list(
            "id",
            "person_id",
            "status",
            "planned_date",
            "sending_id",
            "destination_id",
            "arrangement__ref",
        ),
        {
            "transfer_id": pl.Int64,
            "person_id": pl.Int64,
            "status": pl.String,
            "planned_date": pl.Date,
            "sending": pl.String,
            "destination": pl.String,
            "arrangement": pl.String,
        },
    )
    persons = transfers.values("person_id")
    recorded = _frame(
        Person.objects.filter(id__in=persons).values_list("id", "nationalities_recorded"),
        {"person_id": pl.Int64, "recorded": pl.Boolean},
    )
    held = _frame(
        Nationality.objects.filter(person_id__in=persons).values_list("person_id", "country_id"),
        {"person_id": pl.Int64, "country": pl.String},
    )
    groups = (
        held.group_by("person_id")
        .agg(pl.col("country").first(), pl.len().alias("n"))
        .join(recorded, on="person_id", how="right")
        .select(
            "person_id",
            pl.when(~pl.col("recorded"))
            .then(pl.lit(UNKNOWN))
            .when(pl.col("n").is_null())
            .then(pl.lit(STATELESS))
            .when(pl.col("n") > 1)
            .then(pl.lit(MULTIPLE))
            .otherwise(pl.col("country"))
            .alias("nationality"),
        )
    )
    latest = (
        ScreeningRecord.objects.values("transfer_id").annotate(latest=Max("id")).values("latest")
    )
    verdicts = _frame(
        ScreeningRecord.objects.filter(id__in=latest).values_list("transfer_id", "verdict"),
        {"transfer_id": pl.Int64, "verdict": pl.String},
    )
    return (
        frame.join(groups, on="person_id", how="left")
        .join(verdicts, on="transfer_id", how="left")
        .with_columns(
            pl.col("verdict").fill_null(UNSCREENED),
            pl.col("nationality").fill_null(UNKNOWN),
            pl.col("planned_date").dt.strftime("%Y-%m").alias("month"),
        )
    )


def _not_passing_findings() -> pl.DataFrame:
    """(transfer_id, catalog, rule, outcome) of every finding that did not pass, in each
    transfer's latest screening: read from the outcome letters, no finding decoded."""
    rows = LatestScreening.objects.exclude(outcomes__regex=r"^p*$").values_list(
        "transfer_id", "catalog", "outcomes"
    )
    latest = pl.DataFrame(
        list(rows),
        schema={"transfer_id": pl.Int64, "catalog": pl.String, "outcomes": pl.String},
        orient="row",
    )
    frames = []
    for version in latest["catalog"].unique().to_list():
        ids = catalogs.rule_ids(version)
        if not ids:
            continue
        frames.append(
            latest.filter(pl.col("catalog") == version)
            .with_columns(
                pl.col("outcomes").str.split("").alias("outcome"),
                pl.lit(list(ids), dtype=pl.List(pl.String)).alias("rule"),
            )
            .with_columns(pl.col("outcome").list.head(pl.col("rule").list.len()))
            .explode("outcome", "rule")
            .filter(pl.col("outcome") != "p")
            .select(
                "transfer_id",
                "catalog",
                "rule",
                pl.col("outcome").replace_strict(OUTCOME_OF),
            )
        )
    if not frames:
        return pl.DataFrame(
            schema={
                "transfer_id": pl.Int64,
                "catalog": pl.String,
                "rule": pl.String,
                "outcome": pl.String,
            }
        )
    return pl.concat(frames)


# -- tables --------------------------------------------------------------------------------------


def _counts(transfers: pl.DataFrame, *by: str) -> pl.DataFrame:
    verdict_rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    return (
        transfers.group_by(*by, "status", "verdict")
        .agg(pl.len().cast(pl.Int64).alias("transfers"))
        .with_columns(pl.col("verdict").replace_strict(verdict_rank, default=99).alias("_rank"))
        .sort(*by, "status", "_rank", nulls_last=True)
        .drop("_rank")
    )


def _blocking_rules(transfers: pl.DataFrame) -> pl.DataFrame:
    findings = _not_passing_findings().join(
        transfers.select("transfer_id"), on="transfer_id", how="semi"
    )
    counted = findings.group_by("rule").agg(
        (pl.col("outcome") == "blocked").sum().cast(pl.Int64).alias("blocked"),
        (pl.col("outcome") == "review").sum().cast(pl.Int64).alias("review"),
    )
    ordered = pl.DataFrame({"rule": _rule_order(findings)})
    return ordered.join(counted, on="rule", how="left", maintain_order="left").with_columns(
        pl.col("blocked").fill_null(0), pl.col("review").fill_null(0)
    )


def _rule_order(findings: pl.DataFrame) -> list[str]:
    """Every rule of the current catalog in its order, then the rules of the other catalogs
    the findings were made under (a rule no registered catalog has comes last)."""
    ordered = dict.fromkeys(catalogs.rule_ids(current_catalog()))
    for version in sorted(findings.get_column("catalog").unique().to_list()):
        ordered.update(dict.fromkeys(catalogs.rule_ids(version)))
    ordered.update(dict.fromkeys(sorted(findings.get_column("rule").unique().to_list())))
    return list(ordered)


def _cap_use() -> pl.DataFrame:
    arrangements = _frame(
        Arrangement.objects.order_by("ref").values_list("id", "ref", "cap"),
        {"id": pl.Int64, "arrangement": pl.String, "cap": pl.Int64},
    )
    executed = _frame(
        Transfer.objects.filter(status="executed", arrangement__isnull=False)
        .values("arrangement_id")
        .annotate(n=Count("id"))
        .values_list("arrangement_id", "n"),
        {"id": pl.Int64, "executed": pl.Int64},
    )
    return (
        arrangements.join(executed, on="id", how="left")
        .with_columns(pl.col("executed").fill_null(0))
        .select(
            "arrangement",
            "cap",
            "executed",
            (pl.col("cap") - pl.col("executed")).alias("remaining"),
            (pl.col("executed") * 100 / pl.col("cap")).round(1).alias("used_percent"),
        )
    )


def converted_payments(reporting: str, period: Period | None = None) -> pl.DataFrame:
    """Every payment (dated in the period) with its amount in ``reporting``, converted as
    the ledger converts it (:func:`thirdcountry.dated.convert`: the latest rate dated on or
    before the payment, direct or inverse; null: no rate).

    Columns: arrangement, date, kind, currency, amount, rate_date, converted.
    """
    payments = Payment.objects.all()
    if period is not None:
        payments = payments.filter(date__range=period)
    frame = _frame(
        payments.order_by("date", "id").values_list(
            "arrangement__ref", "date", "kind", "currency_id", "amount"
        ),
        {
            "arrangement": pl.String,
            "date": pl.Date,
            "kind": pl.String,
            "currency": pl.String,
            "amount": pl.Decimal(24, 4),
        },
    )
    rates = rates_table(rates_for(reporting))
    return dated.convert(frame, rates, reporting).select(
        "arrangement", "date", "kind", "currency", "amount", "rate_date", "converted"
    )


def _converted_sum() -> pl.Expr:
    """The sum of the converted amounts; null when none could be converted."""
    return (
        pl.when(pl.col("converted").is_not_null().any())
        .then(pl.col("converted").sum())
        .otherwise(None)
    )


def _payments(converted: pl.DataFrame) -> pl.DataFrame:
    return (
        converted.group_by("arrangement", "kind", "currency")
        .agg(
            pl.len().cast(pl.Int64).alias("payments"),
            pl.col("amount").sum().alias("amount"),
            _converted_sum().alias("converted"),
            pl.col("converted").is_null().sum().cast(pl.Int64).alias("unconverted"),
        )
        .sort("arrangement", "kind", "currency")
    )


def _cost(converted: pl.DataFrame, transfers: pl.DataFrame) -> pl.DataFrame:
    paid = (
        converted.filter(pl.col("kind") == "paid")
        .group_by("arrangement")
        .agg(
            _converted_sum().alias("paid"),
            pl.col("converted").is_null().sum().cast(pl.Int64).alias("unconverted_payments"),
        )
    )
    executed = (
        transfers.filter(pl.col("status") == "executed", pl.col("arrangement").is_not_null())
        .group_by("arrangement")
        .agg(pl.len().cast(pl.Int64).alias("executed"))
    )
    return (
        paid.join(executed, on="arrangement", how="full", coalesce=True)
        .with_columns(
            pl.col("executed").fill_null(0),
            pl.col("unconverted_payments").fill_null(0),
        )
        .with_columns(
            # Unknown when some paid amount could not be converted, or nobody was transferred.
            pl.when(
                (pl.col("executed") > 0)
                & (pl.col("unconverted_payments") == 0)
                & pl.col("paid").is_not_null()
            )
            .then((pl.col("paid") / pl.col("executed")).round(MONEY_PLACES))
            .otherwise(None)
            .cast(pl.Decimal(38, MONEY_PLACES))
            .alias("cost_per_transfer")
        )
        .sort("arrangement")
    )


def incidents(transfers: pl.DataFrame, period: Period | None = None) -> list[Incident]:
    """Refoulement incidents among ``transfers`` (a :func:`transfer_table` of ``period``)."""
    executed = transfers.filter(pl.col("status") == "executed")
    entries = MonitoringEntry.objects.filter(kind="onward_removal", transfer__status="executed")
    if period is not None:
        entries = entries.filter(transfer__planned_date__range=period)
    onward = _frame(
        entries.values_list("transfer_id", "date", "country_id"),
        {"transfer_id": pl.Int64, "onward_date": pl.Date, "onward_country": pl.String},
    )
    if onward.is_empty():
        return []
    involved = executed.join(onward, on="transfer_id", how="inner")
    persons = involved.get_column("person_id").unique().to_list()
    fears = _frame(
        FearClaim.objects.filter(
            person_id__in=persons, status__in=("pending", "recognised")
        ).values_list("person_id", "country_id", "status"),
        {"person_id": pl.Int64, "onward_country": pl.String, "fear_claim": pl.String},
    )
    found = involved.join(fears, on=["person_id", "onward_country"], how="inner")
    refs = dict(Person.objects.filter(id__in=persons).values_list("id", "ref"))
    transfer_refs = dict(
        Transfer.objects.filter(id__in=found.get_column("transfer_id").to_list()).values_list(
            "id", "ref"
        )
    )
    return [
        Incident(
            transfer=transfer_refs[row["transfer_id"]],
            person=pseudonym(refs[row["person_id"]]),
            arrangement=row["arrangement"],
            sending=row["sending"],
            destination=row["destination"],
            planned_date=row["planned_date"],
            onward_country=row["onward_country"],
            onward_date=row["onward_date"],
            fear_claim=row["fear_claim"],
        )
        for row in found.sort("onward_date", "transfer_id").iter_rows(named=True)
    ]


def compute_statistics(reporting_currency: str = "USD", period: Period | None = None) -> Statistics:
    """Every statistic of the stored world, with transfers (and payments) limited to
    ``period`` (first and last day, inclusive) when given.

    Cap use counts executed transfers whatever their date, as the cap rule does.
    """
    transfers = transfer_table(period)
    converted = converted_payments(reporting_currency, period)
    return Statistics(
        reporting_currency=reporting_currency,
        period=period,
        incidents=incidents(transfers, period),
        execution_incidents=execution_incidents(period),
        by_status_verdict=_counts(transfers),
        by_arrangement=_counts(transfers, "arrangement"),
        by_destination=_counts(transfers, "destination"),
        by_nationality=_counts(transfers, "nationality"),
        by_month=_counts(transfers, "month"),
        blocking_rules=_blocking_rules(transfers),
        cap_use=_cap_use(),
        payments=_payments(converted),
        cost_per_executed_transfer=_cost(converted, transfers),
        by_arrangement_month=transfers.group_by("arrangement", "month")
        .agg(pl.len().cast(pl.Int64).alias("transfers"))
        .sort("arrangement", "month", nulls_last=True),
    )

"""Public releases: aggregate tables of the transfers in a period, with small counts
suppressed, as CSV, JSON and a self-contained HTML report with charts.

A release holds counts and money only: never a person's ref, name or pseudonym, nor a
transfer's ref. Refoulement incidents come first, stated in words, not left in a table.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import polars as pl
from django.utils import timezone

from thirdcountry.oversight import statistics as stats
from thirdcountry.oversight.release_report import method_file, method_markdown, report_html
from thirdcountry.oversight.suppression import (
    CountTable,
    Suppression,
    Undisclosable,
    suppress,
)
from thirdcountry.registry.selectors import current_catalog
from thirdcountry.scenario.model import TRANSFER_STATUSES

FORMAT: Final = "thirdcountry/release@1"
NO_ARRANGEMENT: Final = "no arrangement"


@dataclass(frozen=True)
class ReleaseSummary:
    """What a release wrote."""

    directory: Path
    files: list[Path]
    tables: int
    suppressed: int
    incidents_shown: str


def _table(
    transfers: pl.DataFrame,
    name: str,
    title: str,
    dimension: str,
    column: str,
    columns: list[str],
    row_margin: str,
    column_margin: str,
) -> CountTable:
    counted = transfers.group_by(dimension, column).agg(pl.len().alias("n"))
    labels = sorted(counted.get_column(dimension).unique().to_list())
    index = {label: i for i, label in enumerate(labels)}
    position = {c: i for i, c in enumerate(columns)}
    counts = [[0] * len(columns) for _ in labels]
    for row in counted.iter_rows(named=True):
        counts[index[row[dimension]]][position[row[column]]] = int(row["n"])
    return CountTable(
        name=name,
        title=title,
        dimension=dimension,
        rows=labels,
        columns=columns,
        counts=counts,
        row_margin=row_margin,
        column_margin=column_margin,
        total_margin="transfers",
    )


def count_tables(statistics: stats.Statistics, transfers: pl.DataFrame) -> list[CountTable]:
    """The release's tables of counts, before suppression."""
    statuses = list(TRANSFER_STATUSES)
    verdicts = list(stats.VERDICT_ORDER)
    frame = transfers.with_columns(pl.col("arrangement").fill_null(NO_ARRANGEMENT))
    tables = [
        _table(frame, "status_verdict", "Transfers by status and verdict", "status", "verdict",
               verdicts, "status", "verdict"),
        _table(frame, "arrangement_status", "Transfers by arrangement and status", "arrangement",
               "status", statuses, "arrangement", "status"),
        _table(frame, "arrangement_verdict", "Transfers by arrangement and verdict",
               "arrangement", "verdict", verdicts, "arrangement", "verdict"),
        _table(frame, "destination_status", "Transfers by destination and status", "destination",
               "status", statuses, "destination", "status"),
        _table(frame, "nationality_status", "Transfers by nationality and status", "nationality",
               "status", statuses, "nationality", "status"),
        _table(frame, "month_status", "Transfers by month (planned date) and status", "month",
               "status", statuses, "month", "status"),
    ]  # fmt: skip
    rules = statistics.blocking_rules
    tables.append(
        CountTable(
            name="blocking_rules",
            title="How often each rule blocks (or calls for review)",
            dimension="rule",
            rows=rules.get_column("rule").to_list(),
            columns=["blocked", "review"],
            counts=[[int(b), int(r)] for b, r in rules.select("blocked", "review").iter_rows()],
            note="A transfer counts under every rule its latest screening did not pass.",
        )
    )
    if statistics.incidents:
        incidents = pl.DataFrame(
            {
                "arrangement": [i.arrangement or NO_ARRANGEMENT for i in statistics.incidents],
                "onward_country": [i.onward_country for i in statistics.incidents],
            }
        )
        countries = sorted(set(incidents.get_column("onward_country").to_list()))
        table = _table(
            incidents, "refoulement_incidents", "Refoulement incidents by arrangement and "
            "country the person was sent on to", "arrangement", "onward_country", countries,
            "incident_arrangement", "incident_country",
        )  # fmt: skip
        table.total_margin = "incidents"
        tables.insert(0, table)
    flagged = statistics.execution_incidents
    if flagged:
        executions = pl.DataFrame(
            {
                "arrangement": [i.arrangement or NO_ARRANGEMENT for i in flagged],
                "executed_while": [i.kind for i in flagged],
            }
        )
        table = _table(
            executions, "execution_incidents", "Executions recorded while the latest "
            "screening was blocked, under review or missing, by arrangement", "arrangement",
            "executed_while", ["blocked", "review", "unscreened"], "execution_arrangement",
            "execution_kind",
        )  # fmt: skip
        table.total_margin = "execution_incidents"
        tables.insert(1 if statistics.incidents else 0, table)
    return tables


def _published_table(table: CountTable, suppression: Suppression) -> dict[str, Any]:
    return {
        "name": table.name,
        "title": table.title,
        "dimension": table.dimension,
        "columns": table.columns,
        "rows": [
            {
                "label": label,
                "cells": [
                    suppression.shown(table.cell_key(r, c)) for c in range(len(table.columns))
                ],
                "total": suppression.shown(table.row_key(r)),
            }
            for r, label in enumerate(table.rows)
        ],
        "column_totals": [
            suppression.shown(table.column_key(c)) for c in range(len(table.columns))
        ],
        "total": suppression.shown(table.total_key()),
        "note": table.note,
    }


def _money(value: Any) -> str | None:
    return None if value is None else format(value, "f")


def _payments(statistics: stats.Statistics) -> list[dict[str, Any]]:
    return [
        {
            "arrangement": row["arrangement"],
            "kind": row["kind"],
            "currency": row["currency"],
            "payments": row["payments"],
            "amount": _money(row["amount"]),
            "converted": _money(row["converted"]),
            "unconverted_payments": row["unconverted"],
        }
        for row in statistics.payments.iter_rows(named=True)
    ]


def _cost(
    statistics: stats.Statistics, by_arrangement: CountTable | None, suppression: Suppression
) -> list[dict[str, Any]]:
    if by_arrangement is None:
        return [
            {
                "arrangement": row["arrangement"],
                "paid": _money(row["paid"]),
                "unconverted_payments": row["unconverted_payments"],
                "executed": None,
                "cost_per_transfer": None,
                "withheld": True,
            }
            for row in statistics.cost_per_executed_transfer.iter_rows(named=True)
        ]
    executed_column = by_arrangement.columns.index("executed")
    rows = {label: r for r, label in enumerate(by_arrangement.rows)}
    found = []
    for row in statistics.cost_per_executed_transfer.iter_rows(named=True):
        r = rows.get(row["arrangement"])
        executed = (
            suppression.shown(by_arrangement.cell_key(r, executed_column)) if r is not None else "0"
        )
        withheld = (
            r is not None and by_arrangement.cell_key(r, executed_column) in suppression.marks
        )
        found.append(
            {
                "arrangement": row["arrangement"],
                "paid": _money(row["paid"]),
                "unconverted_payments": row["unconverted_payments"],
                "executed": executed,
                "cost_per_transfer": None if withheld else _money(row["cost_per_transfer"]),
                "withheld": withheld,
            }
        )
    return found


WITHHELD: Final = (
    "too few transfers: no suppression pattern keeps every small count from being worked out"
)


def publishable(tables: list[CountTable]) -> tuple[list[CountTable], list[CountTable]]:
    """The tables that can be published with suppression, and those withheld whole because
    some count in them would be recovered whatever else were hidden."""
    kept, withheld = list(tables), []
    while kept:
        try:
            suppress(kept)
        except Undisclosable as error:
            holding = [t for t in kept if error.key in t.quantities()]
            withheld += holding
            kept = [t for t in kept if t not in holding]
            continue
        break
    return kept, withheld


def _incident_statement(
    tables: list[CountTable], suppression: Suppression, withheld: list[CountTable]
) -> tuple[str, str]:
    table = next((t for t in tables if t.name == "refoulement_incidents"), None)
    if table is None and any(t.name == "refoulement_incidents" for t in withheld):
        return "1 or more", (
            "REFOULEMENT INCIDENTS: at least one executed transfer in this period was followed "
            "by an onward removal to a country the person had a pending or recognised fear "
            "claim about. Their number is withheld: too few transfers to publish it safely."
        )
    if table is None:
        return "0", "No refoulement incident was recorded for transfers in this period."
    shown = suppression.shown(table.total_key())
    return shown, (
        f"REFOULEMENT INCIDENTS: {shown} executed transfer(s) in this period were followed by "
        "an onward removal to a country the person had a pending or recognised fear claim "
        "about. See the table of refoulement incidents."
    )


#: The steps of building a release, as its progress reports them.
BUILD_STEPS: Final = ("statistics", "transfers", "tables", "suppression")


def build_release(
    start: date,
    end: date,
    reporting_currency: str = "USD",
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, Any]:
    """The release document (what ``release.json`` holds) for transfers planned from
    ``start`` to ``end`` inclusive. ``progress`` is told each step done (of
    ``BUILD_STEPS``)."""
    report = progress or (lambda step, done, total: None)
    steps = len(BUILD_STEPS)
    period = (start, end)
    report("computing the statistics", 0, steps)
    statistics = stats.compute_statistics(reporting_currency, period)
    report("reading the transfers", 1, steps)
    transfers = stats.transfer_table(period)
    report("counting the tables", 2, steps)
    tables, withheld = publishable(count_tables(statistics, transfers))
    report("suppressing small counts", 3, steps)
    suppression = suppress(tables)
    report("built", 4, steps)
    by_arrangement = next((t for t in tables if t.name == "arrangement_status"), None)
    shown, statement = _incident_statement(tables, suppression, withheld)
    return {
        "format": FORMAT,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "reporting_currency": reporting_currency,
        "refoulement_incidents": {"shown": shown, "statement": statement},
        "method": method_markdown(current_catalog()),
        "tables": [_published_table(t, suppression) for t in tables],
        "payments": _payments(statistics),
        "cost_per_executed_transfer": _cost(statistics, by_arrangement, suppression),
        "withheld_tables": [
            {"name": t.name, "title": t.title, "reason": WITHHELD} for t in withheld
        ],
        "suppressed_counts": len(suppression.marks),
    }


# -- files ---------------------------------------------------------------------------------------


#: What a spreadsheet reads as the start of a formula in a cell (OWASP's list).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell as a spreadsheet shows it, never runs it: text that would start a formula
    (an arrangement named ``=HYPERLINK(...)``) gets a leading apostrophe, which spreadsheets
    read as "this is text". Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([spreadsheet_safe(cell) for cell in header])
        writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)


def write_release(
    start: date,
    end: date,
    directory: Path,
    reporting_currency: str = "USD",
    progress: Callable[[str, int, int], None] | None = None,
) -> ReleaseSummary:
    """Write a release for transfers planned from ``start`` to ``end`` into ``directory``:
    ``release.json``, one CSV per table, ``METHOD.md`` and ``report.html``. ``progress`` is
    told each step done: the building steps, then each file written."""
    report = progress or (lambda step, done, total: None)
    document = build_release(start, end, reporting_currency, report)
    directory.mkdir(parents=True, exist_ok=True)
    # release.json, a CSV per table, payments, cost, METHOD.md and report.html
    steps = len(BUILD_STEPS) + len(document["tables"]) + 5
    files: list[Path] = []

    def written(path: Path) -> None:
        files.append(path)
        report(f"wrote {path.name}", len(BUILD_STEPS) + len(files), steps)

    path = directory / "release.json"
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written(path)
    for table in document["tables"]:
        path = directory / f"{table['name']}.csv"
        _write_csv(
            path,
            [table["dimension"], *table["columns"], "total"],
            [[row["label"], *row["cells"], row["total"]] for row in table["rows"]]
            + [["total", *table["column_totals"], table["total"]]],
        )
        written(path)
    for name in ("payments", "cost_per_executed_transfer"):
        rows = document[name]
        path = directory / f"{name}.csv"
        header = list(rows[0]) if rows else ["arrangement"]
        _write_csv(path, header, [[row[k] for k in header] for row in rows])
        written(path)
    path = directory / "METHOD.md"
    path.write_text(method_file(document), encoding="utf-8")
    written(path)
    path = directory / "report.html"
    path.write_text(report_html(document, current_catalog()), encoding="utf-8")
    written(path)
    return ReleaseSummary(
        directory, files, len(document["tables"]), document["suppressed_counts"],
        document["refoulement_incidents"]["shown"],
    )  # fmt: skip


__all__ = [
    "FORMAT",
    "ReleaseSummary",
    "build_release",
    "count_tables",
    "write_release",
]

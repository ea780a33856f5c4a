"""Public releases: aggregate tables of the transfers in a period, with small counts
suppressed, as CSV, JSON and a self-contained HTML report with charts.

A release holds counts and money only: never a person's ref, name or pseudonym, nor a
transfer's ref. Refoulement incidents come first, stated in words, not left in a table.
"""

from __future__ import annotations

import csv
import html
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import polars as pl
from django.utils import timezone

from thirdcountry.oversight import statistics as stats
from thirdcountry.oversight.suppression import (
    PRIMARY_MAX,
    SHOWN,
    CountTable,
    Suppression,
    Undisclosable,
    suppress,
)
from thirdcountry.rules.catalogs import current_version
from thirdcountry.scenario.model import TRANSFER_STATUSES

FORMAT: Final = "thirdcountry/release@1"
NO_ARRANGEMENT: Final = "no arrangement"

METHOD: Final = f"""\
## Method

**What is counted.** Every transfer whose planned date falls in the period, whatever its
status (proposed, executed or cancelled). A transfer's verdict is that of its latest stored
screening against the safeguard catalog ({current_version()}); "unscreened" means it has none.
A person's nationality is shown as the country when they hold one, "multiple" when they
hold several, "stateless" when they hold none, and "unknown" when it is not recorded.
"Blocking rules" counts, for each rule, the transfers whose latest screening found that
rule blocked (or called for review); one transfer can count under several rules.

**Refoulement incidents.** An executed transfer in the period after which monitoring
recorded an onward removal to a country the person had a pending or recognised fear claim
about. They are stated first, before any table.

**Small counts.** Every count from 1 to {PRIMARY_MAX} is suppressed and shown as
`{SHOWN["primary"]}`, in cells and totals alike. Zero is shown as 0. Because totals are
published, a suppressed count could be worked out by subtraction; so other counts are
suppressed too and shown as `{SHOWN["secondary"]}` (these are never zero and never below
{PRIMARY_MAX + 1}): whenever a row, a column, or the row or column of totals has exactly one
suppressed count, its smallest other non-zero count is suppressed as well, until no such
row or column is left. Then every suppressed count's possible values are worked out as an
attacker would, from every published count and total of every table at once (tables that
share totals, such as the number of transfers by status, are suppressed together) and from
the bounds the method itself reveals (`{SHOWN["primary"]}` is 1 to {PRIMARY_MAX},
`{SHOWN["secondary"]}` at least {PRIMARY_MAX + 1}); where only one value is possible, one
more count is suppressed, until none can be recovered.

**Money.** Payments are states' money, not people's, and are not suppressed. They are
shown in their own currency and converted to the reporting currency with the latest
recorded exchange rate dated on or before each payment (direct, or the inverse of the
opposite rate); a payment with no such rate is not converted and is counted as such. The
cost per executed transfer (paid amount converted, divided by the executed transfers under
the arrangement in the period) is withheld where the number of executed transfers is
suppressed, since it would reveal it.

**What is never published.** No person's ref, name, alias or pseudonym, no transfer's
ref, no date of birth and no free-text note: only the counts and amounts above.
"""


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


def build_release(start: date, end: date, reporting_currency: str = "USD") -> dict[str, Any]:
    """The release document (what ``release.json`` holds) for transfers planned from
    ``start`` to ``end`` inclusive."""
    period = (start, end)
    statistics = stats.compute_statistics(reporting_currency, period)
    transfers = stats.transfer_table(period)
    tables, withheld = publishable(count_tables(statistics, transfers))
    suppression = suppress(tables)
    by_arrangement = next((t for t in tables if t.name == "arrangement_status"), None)
    shown, statement = _incident_statement(tables, suppression, withheld)
    return {
        "format": FORMAT,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "reporting_currency": reporting_currency,
        "refoulement_incidents": {"shown": shown, "statement": statement},
        "method": METHOD,
        "tables": [_published_table(t, suppression) for t in tables],
        "payments": _payments(statistics),
        "cost_per_executed_transfer": _cost(statistics, by_arrangement, suppression),
        "withheld_tables": [
            {"name": t.name, "title": t.title, "reason": WITHHELD} for t in withheld
        ],
        "suppressed_counts": len(suppression.marks),
    }


# -- files ---------------------------------------------------------------------------------------


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def write_release(
    start: date, end: date, directory: Path, reporting_currency: str = "USD"
) -> ReleaseSummary:
    """Write a release for transfers planned from ``start`` to ``end`` into ``directory``:
    ``release.json``, one CSV per table, ``METHOD.md`` and ``report.html``."""
    document = build_release(start, end, reporting_currency)
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    path = directory / "release.json"
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    files.append(path)
    for table in document["tables"]:
        path = directory / f"{table['name']}.csv"
        _write_csv(
            path,
            [table["dimension"], *table["columns"], "total"],
            [[row["label"], *row["cells"], row["total"]] for row in table["rows"]]
            + [["total", *table["column_totals"], table["total"]]],
        )
        files.append(path)
    for name in ("payments", "cost_per_executed_transfer"):
        rows = document[name]
        path = directory / f"{name}.csv"
        header = list(rows[0]) if rows else ["arrangement"]
        _write_csv(path, header, [[row[k] for k in header] for row in rows])
        files.append(path)
    path = directory / "METHOD.md"
    path.write_text(_method_markdown(document), encoding="utf-8")
    files.append(path)
    path = directory / "report.html"
    path.write_text(report_html(document), encoding="utf-8")
    files.append(path)
    return ReleaseSummary(
        directory, files, len(document["tables"]), document["suppressed_counts"],
        document["refoulement_incidents"]["shown"],
    )  # fmt: skip


def _method_markdown(document: dict[str, Any]) -> str:
    period = document["period"]
    withheld = "".join(
        f"- {t['title']}: withheld, {t['reason']}.\n" for t in document["withheld_tables"]
    )
    return str(
        f"# Release: transfers planned from {period['from']} to {period['to']}\n\n"
        f"{document['refoulement_incidents']['statement']}\n\n"
        + (f"## Withheld tables\n\n{withheld}\n" if withheld else "")
        + document["method"]
    )


# -- the HTML report -----------------------------------------------------------------------------

PALETTE: Final = ("#1b6ca8", "#d9822b", "#c23030", "#7a7a7a", "#2e8b57", "#8e44ad", "#b8860b")


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def bar_chart(table: dict[str, Any]) -> str:
    """A horizontal stacked bar per row, one segment per published cell, as inline SVG.
    Suppressed cells have no segment; the row's label says how many are hidden."""
    label_width, bar_width, bar_height, gap = 170, 430, 16, 6
    rows = table["rows"]
    widest = max([sum(_number(c) or 0 for c in row["cells"]) for row in rows] + [1])
    height = len(rows) * (bar_height + gap) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 60}" '
        f'height="{height}" role="img" aria-label="{html.escape(table["title"])}">'
    ]
    for i, row in enumerate(rows):
        y = i * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 4}" text-anchor="end" '
            f'font-size="11">{html.escape(str(row["label"]))}</text>'
        )
        x = float(label_width)
        hidden = 0
        for c, cell in enumerate(row["cells"]):
            value = _number(cell)
            if value is None:
                hidden += 1
                continue
            width = bar_width * value / widest
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{bar_height}" '
                    f'fill="{PALETTE[c % len(PALETTE)]}"><title>'
                    f"{html.escape(table['columns'][c])}: {value}</title></rect>"
                )
            x += width
        note = f"{row['total']}" + (f" ({hidden} hidden)" if hidden else "")
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + bar_height - 4}" font-size="10">'
            f"{html.escape(note)}</text>"
        )
    y = len(rows) * (bar_height + gap) + 14
    x = float(label_width)
    for c, name in enumerate(table["columns"]):
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{PALETTE[c % len(PALETTE)]}"/>'
            f'<text x="{x + 14:.1f}" y="{y + 9}" font-size="10">{html.escape(name)}</text>'
        )
        x += 14 + 7 * len(name) + 16
    parts.append("</svg>")
    return "".join(parts)


def _html_table(table: dict[str, Any]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in [table["dimension"], *table["columns"]])
    body = []
    for row in table["rows"]:
        cells = "".join(f"<td>{html.escape(c)}</td>" for c in row["cells"])
        body.append(
            f"<tr><th>{html.escape(str(row['label']))}</th>{cells}"
            f"<td class=total>{html.escape(row['total'])}</td></tr>"
        )
    totals = "".join(f"<td>{html.escape(c)}</td>" for c in table["column_totals"])
    body.append(
        f"<tr class=total><th>total</th>{totals}<td>{html.escape(table['total'])}</td></tr>"
    )
    return (
        f"<table><thead><tr>{head}<th>total</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _markdown_html(text: str) -> str:
    """The method text (paragraphs with **bold** and `code`) as HTML."""
    out = []
    for paragraph in text.strip().split("\n\n"):
        escaped = html.escape(paragraph.replace("\n", " "))
        if escaped.startswith("## "):
            out.append(f"<h2>{escaped[3:]}</h2>")
            continue
        pieces = escaped.split("**")
        escaped = "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(pieces))
        pieces = escaped.split("`")
        escaped = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(pieces))
        out.append(f"<p>{escaped}</p>")
    return "\n".join(out)


def _money_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>None recorded.</p>"
    header = list(rows[0])
    head = "".join(f"<th>{html.escape(h.replace('_', ' '))}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('—' if row[h] is None else str(row[h]))}</td>" for h in header)
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE: Final = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1d;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}
th:first-child{text-align:left}tr.total,td.total{font-weight:600;background:#f4f4f4}
.incidents{border:3px solid #c23030;background:#fdf0f0;padding:1rem;font-size:1.1rem}
.none{border:1px solid #2e8b57;background:#f0f8f3;padding:1rem}
code{background:#f1f1f1;padding:0 .2rem}
"""


def report_html(document: dict[str, Any]) -> str:
    """The release as one HTML page with everything inline: no external file, script, font
    or image, so it renders offline."""
    period = document["period"]
    incidents = document["refoulement_incidents"]
    box = "none" if incidents["shown"] == "0" else "incidents"
    sections = []
    for table in document["tables"]:
        note = f"<p>{html.escape(table['note'])}</p>" if table["note"] else ""
        sections.append(
            f'<h2 id="{html.escape(table["name"])}">{html.escape(table["title"])}</h2>'
            f"{note}{bar_chart(table) if table['rows'] else ''}{_html_table(table)}"
        )
    for table in document["withheld_tables"]:
        sections.append(
            f"<h2>{html.escape(table['title'])}</h2><p>Withheld: {html.escape(table['reason'])}."
            "</p>"
        )
    currency = html.escape(document["reporting_currency"])
    title = f"Third-country transfers, {period['from']} to {period['to']}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p class="{box}"><strong>{html.escape(incidents["statement"])}</strong></p>
<p>Generated {html.escape(document["generated_at"])}. Counts from 1 to {PRIMARY_MAX} are shown
as <code>{SHOWN["primary"]}</code>; counts hidden so that those cannot be worked out are
shown as <code>{SHOWN["secondary"]}</code>. The method is at the end of this report.</p>
{"".join(sections)}
<h2>Payments (reporting currency {currency})</h2>
{_money_table(document["payments"])}
<h2>Cost per executed transfer ({currency})</h2>
{_money_table(document["cost_per_executed_transfer"])}
{_markdown_html(document["method"])}
</body></html>
"""


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` date (ValueError otherwise)."""
    if len(text) != 10:
        raise ValueError(text)
    return date.fromisoformat(text)


__all__ = [
    "FORMAT",
    "METHOD",
    "ReleaseSummary",
    "build_release",
    "count_tables",
    "report_html",
    "write_release",
]

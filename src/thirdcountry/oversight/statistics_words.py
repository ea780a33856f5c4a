"""The words statistics tables are shown with, wherever they are shown (the statistics
page, its CSV files, the command line): each table's title and each column's heading, in the
reader's language, and which columns hold stored words or numbers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

#: The column headings of the statistics tables.
HEADINGS: dict[str, Any] = {
    "status": _("Status"),
    "verdict": _("Verdict"),
    "transfers": _("Transfers"),
    "arrangement": _("Arrangement"),
    "destination": _("Destination"),
    "nationality": _("Nationality"),
    "month": _("Month"),
    "rule": _("Rule"),
    "blocked": _("blocked"),
    "review": _("review"),
    "cap": _("Cap"),
    "executed": _("executed"),
    "remaining": _("Remaining"),
    "used_percent": _("Used (%)"),
    "kind": _("Kind"),
    "currency": _("Currency"),
    "payments": _("Payments"),
    "amount": _("Amount"),
    "converted": _("Converted"),
    "unconverted": _("Not converted"),
    "paid": _("Paid (converted)"),
    "unconverted_payments": _("Payments not converted"),
    "cost_per_transfer": _("Cost per executed transfer"),
}

#: How an empty cell reads, by column: a missing cap is "no cap"; a missing conversion or
#: cost is unknown (no exchange rate, or nobody transferred).
EMPTY: dict[str, Any] = {
    "arrangement": _("none"),
    "cap": _("none"),
    "remaining": "—",
    "used_percent": "—",
    "converted": _("unknown"),
    "paid": _("unknown"),
    "cost_per_transfer": _("unknown"),
}

#: Columns holding a stored word (a verdict, a status, a kind) shown in the user's language.
WORD_COLUMNS = frozenset({"status", "verdict", "kind"})
NUMBER_COLUMNS = frozenset(
    {
        "transfers",
        "blocked",
        "review",
        "cap",
        "executed",
        "remaining",
        "used_percent",
        "payments",
        "amount",
        "converted",
        "unconverted",
        "paid",
        "unconverted_payments",
        "cost_per_transfer",
    }
)


#: The titles of the statistics tables, in the order the page shows them.
TITLES: dict[str, Any] = {
    "by_status_verdict": _("Transfers by status and verdict"),
    "by_arrangement": _("Transfers by arrangement"),
    "by_destination": _("Transfers by destination"),
    "by_nationality": _("Transfers by nationality"),
    "by_month": _("Transfers by month of the planned date"),
    "blocking_rules": _("How often each rule blocks or asks for review"),
    "cap_use": _("Cap use"),
    "payments": _("Payments per arrangement and kind"),
    "cost_per_executed_transfer": _("Cost per executed transfer"),
}

"""Oversight pages: the statistics page (refoulement incidents first), the monitor's part of
the dashboard, and checking the audit trail.

Every number comes from :func:`thirdcountry.oversight.statistics.compute_statistics`, which
names persons only by pseudonym, so the same page is safe for monitors and staff alike.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from thirdcountry.accounts.roles import may, role_of, sees_personal_data
from thirdcountry.oversight import audit
from thirdcountry.oversight.statistics import compute_statistics
from thirdcountry.web import selectors, statistics_tables
from thirdcountry.web.access import page
from thirdcountry.web.charting import transfer_charts


def chosen_currency(request: HttpRequest) -> tuple[str, list[str]]:
    """The reporting currency of ``?currency=`` (USD when missing or not offered)."""
    options = selectors.report_currencies()
    wanted = request.GET.get("currency", "").upper()
    return (wanted if wanted in options else "USD"), options


def may_verify(user: Any) -> bool:
    """Whether ``user`` may check the audit trail: monitors and administrators."""
    return may(user, "oversight.view_auditverification") or role_of(user) == "administrator"


def is_monitor(user: Any) -> bool:
    """Whether the dashboard shows ``user`` the monitor's view."""
    return role_of(user) == "monitor" or not sees_personal_data(user)


def audit_context() -> dict[str, Any]:
    """The audit trail's head and its last verification."""
    return {"audit_head": audit.head(), "last_verification": audit.last_verification()}


def monitor_context(user: Any) -> dict[str, Any]:
    """What the dashboard adds for a monitor (and the audit panel for whoever may verify)."""
    context: dict[str, Any] = {"monitor_view": is_monitor(user), "may_verify": may_verify(user)}
    if context["monitor_view"]:
        statistics = compute_statistics()
        context["incidents"] = statistics.incidents
        context["execution_incidents"] = statistics.execution_incidents
        context["summary"] = statistics_tables.table(
            "by_status_verdict",
            _("Transfers by status and verdict"),
            statistics.by_status_verdict,
        )
    if context["may_verify"]:
        context.update(audit_context())
    return context


@page("cases.view_transfer")
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Refoulement incidents first, then every statistics table and the transfers chart,
    with payments converted to the reporting currency the user chose."""
    reporting, options = chosen_currency(request)
    statistics = compute_statistics(reporting)
    context = {
        "incidents": statistics.incidents,
        "execution_incidents": statistics.execution_incidents,
        "tables": statistics_tables.tables(statistics),
        "pivots": [
            statistics_tables.destination_by_verdict(statistics),
            statistics_tables.arrangement_by_period(statistics),
        ],
        "rule_chart": statistics_tables.rule_frequencies(statistics),
        "reporting": reporting,
        "currencies": options,
        "charts": transfer_charts(selectors.transfers_by_month()),
        "on": selectors.screening_date(),
    }
    return render(request, "web/statistics.html", context)


@require_POST
@page()
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Check the audit trail (the hash chain and every record against it) and show what
    was found: the panel itself for htmx, otherwise the dashboard, which shows it too."""
    if not may_verify(request.user):
        raise PermissionDenied("oversight.view_auditverification")
    result = audit.verify(actor=request.user.get_username())
    if getattr(request, "htmx", False):
        context = {**audit_context(), "may_verify": True, "verification": result}
        return render(request, "web/partials/audit.html", context)
    return redirect("web:dashboard")

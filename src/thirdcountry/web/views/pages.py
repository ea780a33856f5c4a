"""Pages that read: the dashboard, transfers, persons, arrangements, court orders,
countries and screening runs.

Each detail page builds its context in a ``*_context`` function that the recording views
reuse, so a form that fails validation without htmx comes back inside its whole page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thirdcountry.accounts.roles import may, sees_personal_data
from thirdcountry.cases.models import (
    Person,
    ScreeningRun,
    Transfer,
)
from thirdcountry.names import Match
from thirdcountry.registry.models import Arrangement
from thirdcountry.web import display, forms, ledger, selectors
from thirdcountry.web import transfer_list as transfer_list_reads
from thirdcountry.web.access import page
from thirdcountry.web.charting import transfer_charts
from thirdcountry.web.history import history_page
from thirdcountry.web.identity import person_ref_for
from thirdcountry.web.other_facts import other_facts
from thirdcountry.web.views.oversight import monitor_context
from thirdcountry.web.views.sections import FormSection

PAGE_SIZE = 25


def _run_from_query(request: HttpRequest) -> ScreeningRun | None:
    """The run named by ``?run=`` (shown after a save without htmx), if the user may see it."""
    value = request.GET.get("run", "")
    if not value.isdigit() or not may(request.user, "cases.view_screeningrun"):
        return None
    run: ScreeningRun | None = ScreeningRun.objects.filter(pk=int(value)).first()
    return run


# -- dashboard ----------------------------------------------------------------------------


@page("cases.view_transfer")
def dashboard(request: HttpRequest) -> HttpResponse:
    """Pending transfers by verdict, the latest run's changes, arrangements in force, court
    orders in effect, and the transfers-per-month chart; for monitors first the refoulement
    incidents and the statistics summary, and for monitors and administrators the audit
    trail's head, its last verification and a button to check it."""
    on = selectors.screening_date()
    counts = selectors.pending_counts()
    attention = selectors.needing_attention(10)
    latest = selectors.latest_run()
    rows = [row for row in selectors.arrangement_rows(on) if row.in_force]
    orders = list(selectors.orders_in_effect(on))
    context = {
        "on": on,
        "counts": counts,
        "pending_total": sum(counts.values()),
        "attention": attention,
        "latest_run": latest,
        "latest_changes": list(selectors.run_changes(latest)[:20]) if latest else [],
        "arrangements_in_force": rows,
        "orders": [(o, display.order_scope_text(request.user, o)) for o in orders],
        "charts": transfer_charts(selectors.transfers_by_month()),
        **monitor_context(request.user),
    }
    return render(request, "web/dashboard.html", context)


# -- transfers ----------------------------------------------------------------------------


@page("cases.view_transfer")
def transfer_list(request: HttpRequest) -> HttpResponse:
    """Transfers with their latest verdicts: searched by ref, filtered by status, verdict,
    destination, arrangement, planned dates, nationality and blocking rule, sorted by any
    column, with how many transfers each filter's choices would show."""
    filters = transfer_list_reads.TransferFilters.from_query(request.GET)
    page_obj = Paginator(transfer_list_reads.listing(filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    return render(
        request,
        "web/transfers.html",
        {
            "page_obj": page_obj,
            "filters": filters,
            "counts": transfer_list_reads.facet_counts(filters),
            "statuses": transfer_list_reads.STATUSES,
            "verdicts": transfer_list_reads.VERDICTS,
            "destinations": selectors.destinations(),
            "arrangements": list(Arrangement.objects.order_by("ref").values_list("ref", flat=True)),
            "rules": transfer_list_reads.rule_choices(),
            "query": query.urlencode(),
            "unsorted": unsorted.urlencode(),
        },
    )


def transfer_sections(
    request: HttpRequest,
    transfer: Transfer,
    bound: dict[str, Any] | None = None,
    run: ScreeningRun | None = None,
    saved: str | None = None,
) -> dict[str, FormSection]:
    """The recording forms the user may use on a transfer's page."""
    bound = bound or {}
    sections = {}
    if may(request.user, "cases.record_notice"):
        sections["notice"] = FormSection.for_key(
            "notice",
            "record-notice",
            _("Record the written notice"),
            forms.NoticeForm,
            reverse("web:transfer-notice", args=[transfer.ref]),
            _("Record notice"),
            bound=bound,
            run=run,
            saved=saved,
            initial=forms.NoticeForm.recorded(transfer),
        )
    if may(request.user, "cases.record_acceptance"):
        sections["acceptance"] = FormSection.for_key(
            "acceptance",
            "record-acceptance",
            _("Record the receiving state's answer"),
            forms.AcceptanceForm,
            reverse("web:transfer-acceptance", args=[transfer.ref]),
            _("Record answer"),
            bound=bound,
            run=run,
            saved=saved,
            initial=forms.AcceptanceForm.recorded(transfer),
        )
    return sections


def transfer_context(
    request: HttpRequest,
    transfer: Transfer,
    bound: dict[str, Any] | None = None,
    run: ScreeningRun | None = None,
    saved: str | None = None,
) -> dict[str, Any]:
    """Everything a transfer's page shows."""
    screenings = selectors.screenings_of(transfer)
    latest = screenings[0] if screenings else None
    personal = sees_personal_data(request.user)
    on = selectors.screening_date()
    return {
        "transfer": transfer,
        "person": transfer.person,
        "facts": display.transfer_facts(transfer),
        "latest": latest,
        "findings": display.findings_of(request.user, latest) if latest else [],
        "history": [(s, display.not_passing(s)) for s in screenings],
        "monitoring": [
            (entry, entry.note if personal else None) for entry in transfer.monitoring.all()
        ],
        "sections": transfer_sections(request, transfer, bound, run, saved),
        "record_history": history_page(request, "transfer", transfer.pk),
        "shown_run": run if saved is None else None,
        "orders": selectors.with_effect(selectors.court_orders_covering(transfer), on),
        "on": on,
    }


def get_transfer(ref: str) -> Transfer:
    """A transfer by ref with what its page reads, or 404."""
    found: Transfer = get_object_or_404(selectors.transfers_with_facts(), ref=ref)
    return found


@page("cases.view_transfer")
def transfer_detail(request: HttpRequest, ref: str) -> HttpResponse:
    """A transfer: its facts, its verdict with every finding's reason and basis, and the
    history of its verdicts."""
    transfer = get_transfer(ref)
    context = transfer_context(request, transfer, run=_run_from_query(request))
    if sees_personal_data(request.user):
        context["other_facts"] = other_facts("transfers", transfer.ref)
    return render(request, "web/transfer.html", context)


# -- persons ------------------------------------------------------------------------------


@page("cases.view_person")
def person_list(request: HttpRequest) -> HttpResponse:
    """Persons, searchable by name (spelling variants too) or ref, a page at a time."""
    personal = sees_personal_data(request.user)
    query = request.GET.get("q", "").strip()[:200] if personal else ""
    matched: dict[int, Match] = {}
    if query:
        ids, matched = selectors.person_search(request.user, query)
        page_obj = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        persons = selectors.persons_in_order(list(page_obj.object_list))
    else:
        page_obj = Paginator(selectors.persons_listing(), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        persons = list(page_obj.object_list)
    rows = [(p, matched.get(p.id)) for p in persons]
    context = {
        "query": query,
        "query_string": urlencode({"q": query}) if query else "",
        "rows": rows,
        "page_obj": page_obj,
        "personal": personal,
        "htmx_results": bool(getattr(request, "htmx", False)),
    }
    if getattr(request, "htmx", False) and request.htmx.target == "person-results":
        return render(request, "web/partials/person_results.html", context)
    return render(request, "web/people.html", context)


def person_sections(
    request: HttpRequest,
    person: Person,
    bound: dict[str, Any] | None = None,
    run: ScreeningRun | None = None,
    saved: str | None = None,
) -> dict[str, FormSection]:
    """The recording forms the user may use on a person's page."""
    bound = bound or {}
    sections = {}
    if may(request.user, "cases.record_fear_screening"):
        sections["fear_claim"] = FormSection.for_key(
            "fear_claim",
            "record-fear-claim",
            _("Record a fear claim or its screening"),
            forms.FearClaimForm,
            reverse("web:person-fear-claim", args=[person.ref]),
            _("Record fear claim"),
            bound=bound,
            run=run,
            saved=saved,
        )
    if may(request.user, "cases.record_decision"):
        sections["removal_decision"] = FormSection.for_key(
            "removal_decision",
            "record-removal-decision",
            _("Record the removal decision"),
            forms.RemovalDecisionForm,
            reverse("web:person-removal-decision", args=[person.ref]),
            _("Record decision"),
            bound=bound,
            run=run,
            saved=saved,
            initial=forms.RemovalDecisionForm.recorded(person),
        )
    return sections


def get_person(ref: str) -> Person:
    """A person by ref with every fact their page shows, or 404."""
    found: Person = get_object_or_404(selectors.persons_with_facts(), ref=ref)
    return found


def person_context(
    request: HttpRequest,
    person: Person,
    bound: dict[str, Any] | None = None,
    run: ScreeningRun | None = None,
    saved: str | None = None,
) -> dict[str, Any]:
    """Everything a person's page shows."""
    on = selectors.screening_date()
    orders = selectors.court_orders(person=person)
    return {
        "person": person,
        "facts": display.person_facts(request.user, person),
        "transfers": list(selectors.transfers_of(person)),
        "orders": selectors.with_effect(orders, on),
        "sections": person_sections(request, person, bound, run, saved),
        "record_history": history_page(request, "person", person.pk),
        "shown_run": run if saved is None else None,
        "on": on,
    }


@page("cases.view_person")
def person_detail(request: HttpRequest, ref: str) -> HttpResponse:
    """A person: every fact (unknowns marked), their transfers and court orders. A monitor
    names the person by pseudonym: a ref leads them nowhere (404)."""
    found = person_ref_for(request.user, ref)
    if found is None:
        raise Http404("no such person")
    person = get_person(found)
    context = person_context(request, person, run=_run_from_query(request))
    if sees_personal_data(request.user):
        context["other_facts"] = other_facts("persons", person.ref)
    return render(request, "web/person.html", context)


# -- arrangements -------------------------------------------------------------------------


@page("registry.view_arrangement")
def arrangement_list(request: HttpRequest) -> HttpResponse:
    """Every arrangement with its status on the screening date and its cap usage."""
    on = selectors.screening_date()
    return render(
        request, "web/arrangements.html", {"rows": selectors.arrangement_rows(on), "on": on}
    )


def chosen_currency(request: HttpRequest, arrangement: Arrangement) -> tuple[str, list[str]]:
    """The reporting currency the user chose (``?currency=``), and the choices."""
    options = ledger.reporting_currencies(arrangement)
    wanted = (request.GET.get("currency") or request.POST.get("currency") or "").upper()
    if wanted in options:
        return wanted, options
    first = selectors.first_payment_currency(arrangement)
    default = first or ("USD" if "USD" in options else (options[0] if options else "USD"))
    return default, options or [default]


def ledger_context(
    request: HttpRequest,
    arrangement: Arrangement,
    rate_form: forms.ExchangeRateForm | None = None,
    rate_saved: bool = False,
) -> dict[str, Any]:
    """The payment ledger of an arrangement in the chosen reporting currency."""
    reporting, options = chosen_currency(request, arrangement)
    context: dict[str, Any] = {
        "arrangement": arrangement,
        "ledger": ledger.build_ledger(selectors.ledger_payments(arrangement), reporting),
        "currencies": options,
        "rates": selectors.recent_exchange_rates(20),
        "may_add_rate": may(request.user, "registry.add_exchangerate"),
        "rate_saved": rate_saved,
    }
    if context["may_add_rate"]:
        context["rate_section"] = FormSection(
            "record-exchange-rate",
            _("Record an exchange rate"),
            rate_form or forms.ExchangeRateForm(),
            reverse("web:exchange-rate", args=[arrangement.ref]) + f"?currency={reporting}",
            _("Record rate"),
            saved=rate_saved,
        )
    return context


def arrangement_context(
    request: HttpRequest,
    arrangement: Arrangement,
    bound: dict[str, Any] | None = None,
    run: ScreeningRun | None = None,
    saved: str | None = None,
) -> dict[str, Any]:
    """Everything an arrangement's page shows."""
    on = selectors.screening_date()
    row = selectors.arrangement_row(on, arrangement)
    timeline = sorted(arrangement.status_history.all(), key=lambda e: (e.date, e.seq))
    bound = bound or {}
    sections = {}
    if may(request.user, "registry.add_arrangementstatus"):
        sections["status"] = FormSection.for_key(
            "status",
            "record-status",
            _("Record a change of status"),
            forms.ArrangementStatusForm,
            reverse("web:arrangement-status", args=[arrangement.ref]),
            _("Record status"),
            bound=bound,
            run=run,
            saved=saved,
        )
    context = {
        "arrangement": arrangement,
        "row": row,
        "timeline": timeline,
        "current": row.status,
        "excluded": [e.country for e in arrangement.excluded_nationalities.all()],
        "commitments": [c.commitment for c in arrangement.commitments.all()],
        "orders": selectors.with_effect(selectors.court_orders(arrangement=arrangement), on),
        "sections": sections,
        "record_history": history_page(request, "arrangement", arrangement.pk),
        "shown_run": run if saved is None else None,
        "on": on,
    }
    if may(request.user, "registry.view_payment"):
        context.update(ledger_context(request, arrangement, bound.get("rate")))
    return context


def get_arrangement(ref: str) -> Arrangement:
    """An arrangement by ref with what its page reads, or 404."""
    found: Arrangement = get_object_or_404(selectors.arrangements_with_terms(), ref=ref)
    return found


@page("registry.view_arrangement")
def arrangement_detail(request: HttpRequest, ref: str) -> HttpResponse:
    """An arrangement: status timeline, terms, commitments, cap, and the payment ledger."""
    arrangement = get_arrangement(ref)
    if getattr(request, "htmx", False) and request.htmx.target == "ledger":
        if not may(request.user, "registry.view_payment"):
            raise Http404
        return render(request, "web/partials/ledger.html", ledger_context(request, arrangement))
    context = arrangement_context(request, arrangement, run=_run_from_query(request))
    context["other_facts"] = other_facts("arrangements", arrangement.ref)
    return render(request, "web/arrangement.html", context)


# -- court orders and countries -----------------------------------------------------------


def court_orders_context(
    request: HttpRequest,
    bound: dict[str, Any] | None = None,
    run: ScreeningRun | None = None,
    saved: str | None = None,
) -> dict[str, Any]:
    """Everything the court orders page shows."""
    on = selectors.screening_date()
    bound = bound or {}
    orders = [
        (o, display.order_scope_text(request.user, o), active)
        for o, active in selectors.with_effect(
            selectors.court_orders().order_by("-issued", "ref"), on
        )
    ]
    sections = {}
    if may(request.user, "registry.add_courtorder"):
        sections["order"] = FormSection.for_key(
            "order",
            "record-court-order",
            _("Record a court order"),
            forms.CourtOrderForm,
            reverse("web:court-order-create"),
            _("Record order"),
            bound=bound,
            run=run,
            saved=saved,
        )
    return {
        "orders": orders,
        "sections": sections,
        "shown_run": run if saved is None else None,
        "on": on,
    }


@page("registry.view_courtorder")
def court_order_list(request: HttpRequest) -> HttpResponse:
    """Every court order: what it covers, and whether it is in effect on the screening date."""
    context = court_orders_context(request, run=_run_from_query(request))
    return render(request, "web/court_orders.html", context)


def countries_context(
    request: HttpRequest,
    bound: dict[str, Any] | None = None,
    run: ScreeningRun | None = None,
    saved: str | None = None,
) -> dict[str, Any]:
    """Everything the countries page shows: each destination's assessments."""
    on = selectors.screening_date()
    rows = selectors.country_rows(on)
    bound = bound or {}
    sections = {}
    if may(request.user, "registry.add_assessment"):
        sections["assessment"] = FormSection.for_key(
            "assessment",
            "record-assessment",
            _("Record a country assessment"),
            forms.AssessmentForm,
            reverse("web:assessment-create"),
            _("Record assessment"),
            bound=bound,
            run=run,
            saved=saved,
        )
    return {
        "rows": rows,
        "sections": sections,
        "shown_run": run if saved is None else None,
        "on": on,
    }


@page("registry.view_assessment")
def country_list(request: HttpRequest) -> HttpResponse:
    """Destinations and their assessments of onward-refoulement risk."""
    context = countries_context(request, run=_run_from_query(request))
    return render(request, "web/countries.html", context)


# -- runs ---------------------------------------------------------------------------


@page("cases.view_screeningrun")
def run_list(request: HttpRequest) -> HttpResponse:
    """Screening runs, newest first."""
    page_obj = Paginator(selectors.runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/runs.html", {"page_obj": page_obj})


@page("cases.view_screeningrun")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One screening run: what triggered it, the counts before and after, what changed."""
    run = get_object_or_404(ScreeningRun, pk=pk)
    page_obj = Paginator(selectors.run_changes(run), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"run": run, "changes": page_obj.object_list, "page_obj": page_obj}
    if getattr(request, "htmx", False) and request.htmx.target == "run-body":
        return render(request, "web/partials/run_body.html", context)
    return render(request, "web/run.html", context)

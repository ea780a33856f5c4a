"""Forms that record facts. Each calls the service that owns the write (which validates,
keeps history and re-screens what it touches) and shows, in place, which verdicts changed
and why.

With htmx the answer is the form's own section (a fresh form and the run's changes, or the
form with its errors and what the user typed), plus the page sections the save changed,
swapped out of band. Without htmx a save redirects to the page with ``?run=`` (which shows
the same changes) and a refused form comes back inside its whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from thirdcountry.cases import legal_events
from thirdcountry.cases import services as case_services
from thirdcountry.cases.models import ScreeningRun
from thirdcountry.registry import services as registry_services
from thirdcountry.registry.models import Arrangement, CourtOrder
from thirdcountry.scenario.model import CourtOrderScope, Notice, RemovalDecision
from thirdcountry.web import forms
from thirdcountry.web.access import page
from thirdcountry.web.views import pages

#: Builds a page's context: (bound forms by key, run, key of the form just saved).
ContextOf = Callable[[dict[str, Any] | None, ScreeningRun | None, str | None], dict[str, Any]]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def record(
    request: HttpRequest,
    *,
    form: django_forms.Form,
    key: str,
    save: Callable[[dict[str, Any]], ScreeningRun],
    page_template: str,
    context_of: ContextOf,
    updates: tuple[str, ...],
    page_url: str,
) -> HttpResponse:
    """Validate ``form``, ``save`` it through its service, and answer as the module says.

    ``updates`` are the partial templates of the page sections a save changes.
    """
    if form.is_valid():
        try:
            run = save(form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error, getattr(form, "service_fields", None))
        else:
            if not _is_htmx(request):
                return HttpResponseRedirect(f"{page_url}?run={run.pk}")
            context = context_of(None, run, key)
            parts = [
                render_to_string(
                    "web/partials/record_form.html",
                    {**context, "section": context["sections"][key]},
                    request,
                )
            ]
            parts.extend(
                render_to_string(template, {**context, "oob": True}, request)
                for template in updates
            )
            return HttpResponse("".join(parts))
    context = context_of({key: form}, None, None)
    if _is_htmx(request):
        return render(
            request,
            "web/partials/record_form.html",
            {**context, "section": context["sections"][key]},
        )
    return render(request, page_template, context)


# -- a transfer ---------------------------------------------------------------------------

TRANSFER_UPDATES = (
    "web/partials/transfer_facts.html",
    "web/partials/verdict.html",
    "web/partials/verdict_history.html",
)


def _transfer_context_of(request: HttpRequest, ref: str) -> ContextOf:
    def context_of(
        bound: dict[str, Any] | None, run: ScreeningRun | None, saved: str | None
    ) -> dict[str, Any]:
        return pages.transfer_context(request, pages.get_transfer(ref), bound, run, saved)

    return context_of


@require_POST
@page("cases.record_notice")
def transfer_notice(request: HttpRequest, ref: str) -> HttpResponse:
    """Record the written notice served for a transfer, or that none was served."""
    transfer = pages.get_transfer(ref)

    def save(data: dict[str, Any]) -> ScreeningRun:
        notice = None
        if data["state"] == forms.NoticeForm.SERVED:
            notice = Notice(data["served"], data["language"], data["names_destination"])
        saved: ScreeningRun = case_services.record_notice(
            transfer, notice, user=request.user, reason=data["reason"]
        )
        return saved

    return record(
        request,
        form=forms.NoticeForm(request.POST),
        key="notice",
        save=save,
        page_template="web/transfer.html",
        context_of=_transfer_context_of(request, ref),
        updates=TRANSFER_UPDATES,
        page_url=reverse("web:transfer", args=[ref]),
    )


@require_POST
@page("cases.record_acceptance")
def transfer_acceptance(request: HttpRequest, ref: str) -> HttpResponse:
    """Record whether the receiving state accepted or refused the person."""
    transfer = pages.get_transfer(ref)

    def save(data: dict[str, Any]) -> ScreeningRun:
        saved: ScreeningRun = case_services.record_acceptance(
            transfer, data["accepted"], user=request.user, reason=data["reason"]
        )
        return saved

    return record(
        request,
        form=forms.AcceptanceForm(request.POST),
        key="acceptance",
        save=save,
        page_template="web/transfer.html",
        context_of=_transfer_context_of(request, ref),
        updates=TRANSFER_UPDATES,
        page_url=reverse("web:transfer", args=[ref]),
    )


# -- a person -----------------------------------------------------------------------------

PERSON_UPDATES = ("web/partials/person_facts.html", "web/partials/person_transfers.html")


def _person_context_of(request: HttpRequest, ref: str) -> ContextOf:
    def context_of(
        bound: dict[str, Any] | None, run: ScreeningRun | None, saved: str | None
    ) -> dict[str, Any]:
        return pages.person_context(request, pages.get_person(ref), bound, run, saved)

    return context_of


@require_POST
@page("cases.record_fear_screening")
def person_fear_claim(request: HttpRequest, ref: str) -> HttpResponse:
    """Record a fear claim about a country, or the outcome of its screening."""
    person = pages.get_person(ref)

    def save(data: dict[str, Any]) -> ScreeningRun:
        saved: ScreeningRun = case_services.record_fear_claim(
            person, data["country"], data["status"], user=request.user, reason=data["reason"]
        )
        return saved

    return record(
        request,
        form=forms.FearClaimForm(request.POST),
        key="fear_claim",
        save=save,
        page_template="web/person.html",
        context_of=_person_context_of(request, ref),
        updates=PERSON_UPDATES,
        page_url=reverse("web:person", args=[ref]),
    )


@require_POST
@page("cases.record_decision")
def person_removal_decision(request: HttpRequest, ref: str) -> HttpResponse:
    """Record the removal decision and its appeal, or that no decision exists."""
    person = pages.get_person(ref)

    def save(data: dict[str, Any]) -> ScreeningRun:
        decision = None
        if data["state"] == forms.RemovalDecisionForm.EXISTS:
            decision = RemovalDecision(
                data["date"], data["final"], data["appeal_deadline"], data["appeal_pending"]
            )
        saved: ScreeningRun = case_services.record_removal_decision(
            person, decision, user=request.user, reason=data["reason"]
        )
        return saved

    return record(
        request,
        form=forms.RemovalDecisionForm(request.POST),
        key="removal_decision",
        save=save,
        page_template="web/person.html",
        context_of=_person_context_of(request, ref),
        updates=PERSON_UPDATES,
        page_url=reverse("web:person", args=[ref]),
    )


# -- the registry -------------------------------------------------------------------------


@require_POST
@page("registry.add_courtorder")
def court_order_create(request: HttpRequest) -> HttpResponse:
    """Record a court order with its scope; what it covers is re-screened."""

    def save(data: dict[str, Any]) -> ScreeningRun:
        scope = {
            forms.CourtOrderForm.PERSON: lambda: CourtOrderScope(person=data["person"]),
            forms.CourtOrderForm.ARRANGEMENT: lambda: CourtOrderScope(
                arrangement=data["arrangement"]
            ),
            forms.CourtOrderForm.PAIR: lambda: CourtOrderScope(
                sending=data["sending"], destination=data["destination"]
            ),
            forms.CourtOrderForm.SENDING: lambda: CourtOrderScope(sending=data["sending"]),
        }[data["scope"]]()
        recorded: tuple[CourtOrder, ScreeningRun] = legal_events.record_court_order(
            data["ref"],
            data["kind"],
            data["issuer"],
            data["issued"],
            scope,
            lifted=data["lifted"],
            user=request.user,
            reason=data["reason"],
        )
        return recorded[1]

    def context_of(
        bound: dict[str, Any] | None, run: ScreeningRun | None, saved: str | None
    ) -> dict[str, Any]:
        return pages.court_orders_context(request, bound, run, saved)

    return record(
        request,
        form=forms.CourtOrderForm(request.POST),
        key="order",
        save=save,
        page_template="web/court_orders.html",
        context_of=context_of,
        updates=("web/partials/court_order_list.html",),
        page_url=reverse("web:court-orders"),
    )


@require_POST
@page("registry.add_arrangementstatus")
def arrangement_status(request: HttpRequest, ref: str) -> HttpResponse:
    """Add a dated status to an arrangement; its pending transfers are re-screened."""
    arrangement = get_object_or_404(Arrangement, ref=ref)

    def save(data: dict[str, Any]) -> ScreeningRun:
        saved: ScreeningRun = legal_events.record_arrangement_status(
            arrangement,
            data["date"],
            data["status"],
            data["source"],
            user=request.user,
            reason=data["reason"],
        )
        return saved

    def context_of(
        bound: dict[str, Any] | None, run: ScreeningRun | None, saved: str | None
    ) -> dict[str, Any]:
        return pages.arrangement_context(request, pages.get_arrangement(ref), bound, run, saved)

    return record(
        request,
        form=forms.ArrangementStatusForm(request.POST),
        key="status",
        save=save,
        page_template="web/arrangement.html",
        context_of=context_of,
        updates=("web/partials/arrangement_summary.html", "web/partials/status_timeline.html"),
        page_url=reverse("web:arrangement", args=[ref]),
    )


@require_POST
@page("registry.add_assessment")
def assessment_create(request: HttpRequest) -> HttpResponse:
    """Record a country assessment; pending transfers to that country are re-screened."""

    def save(data: dict[str, Any]) -> ScreeningRun:
        saved: ScreeningRun = legal_events.record_assessment(
            data["country"],
            data["date"],
            data["onward_refoulement_risk"],
            data["source"],
            user=request.user,
            reason=data["reason"],
        )
        return saved

    def context_of(
        bound: dict[str, Any] | None, run: ScreeningRun | None, saved: str | None
    ) -> dict[str, Any]:
        return pages.countries_context(request, bound, run, saved)

    return record(
        request,
        form=forms.AssessmentForm(request.POST),
        key="assessment",
        save=save,
        page_template="web/countries.html",
        context_of=context_of,
        updates=("web/partials/country_list.html",),
        page_url=reverse("web:countries"),
    )


@require_POST
@page("registry.add_exchangerate")
def exchange_rate(request: HttpRequest, ref: str) -> HttpResponse:
    """Record a dated exchange rate; the ledger is shown again, converted with it."""
    arrangement = pages.get_arrangement(ref)
    form = forms.ExchangeRateForm(request.POST)
    saved = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            registry_services.record_exchange_rate(
                data["date"],
                data["base"],
                data["quote"],
                data["rate"],
                data["source"],
                user=request.user,
                reason=data["reason"],
            )
            saved = True
        except ValidationError as error:
            forms.add_service_errors(form, error, {"__all__": "date"})
    if saved and not _is_htmx(request):
        currency = request.GET.get("currency", "")
        url = reverse("web:arrangement", args=[ref])
        return HttpResponseRedirect(f"{url}?currency={currency}#ledger")
    if _is_htmx(request):
        context = pages.ledger_context(
            request, arrangement, None if saved else form, rate_saved=saved
        )
        return render(request, "web/partials/ledger.html", context)
    context = pages.arrangement_context(request, arrangement, {"rate": form})
    return render(request, "web/arrangement.html", context)

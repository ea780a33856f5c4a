"""A court order's own page, and correcting or withdrawing an order recorded wrongly.

A correction goes through the same service as the API's (``legal_events``) after the same
check as a scenario file's order (``records.documents``): it asks for a reason, kept in the
order's history, and the page then shows the re-screening it caused (what the order covered
before, and what it covers now). The order's scenario@2 facts (effect, selector scope,
later events) are recorded beside it, whole, through the service of the API's ``PATCH
…/v2``. Only the role that records court orders may do any of it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thirdcountry.accounts.roles import may, sees_personal_data
from thirdcountry.cases import legal_events
from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.sections_v2 import document_of
from thirdcountry.records.documents import RecordRefused, parse_court_order
from thirdcountry.records.services_v2 import (
    parse_record_v2,
    save_record_v2,
    stored_record_v2,
)
from thirdcountry.registry.models import CourtOrder
from thirdcountry.scenario.problems import ScenarioError
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.web import display, forms, selectors
from thirdcountry.web.access import page
from thirdcountry.web.editing import RecordForm, person_picker, record_form
from thirdcountry.web.history import history_page
from thirdcountry.web.other_facts import other_facts


def get_order(ref: str) -> CourtOrder:
    """A court order by ref with what its scope names, or 404."""
    found: CourtOrder = get_object_or_404(selectors.court_orders(), ref=ref)
    return found


def _runs_from_query(request: HttpRequest) -> list[ScreeningRun]:
    """The runs named by ``?run=`` (after a save), if the user may see runs."""
    ids = [int(v) for v in request.GET.getlist("run") if v.isdigit()]
    if not ids or not may(request.user, "cases.view_screeningrun"):
        return []
    runs = ScreeningRun.objects.in_bulk(ids)
    return [runs[i] for i in ids if i in runs]


@page("registry.view_courtorder")
def court_order_detail(request: HttpRequest, ref: str) -> HttpResponse:
    """A court order: what it is, what it covers, whether it is in effect, and its history."""
    order = get_order(ref)
    on = selectors.screening_date()
    ((_, active),) = selectors.with_effect([order], on)
    context = {
        "order": order,
        "scope": display.order_scope_text(request.user, order),
        "active": active,
        "on": on,
        "shown_runs": _runs_from_query(request),
        "record_history": history_page(request, "court_order", order.pk),
        "may_change": may(request.user, "registry.change_courtorder"),
        "other_facts": (
            other_facts("court_orders", order.ref) if sees_personal_data(request.user) else []
        ),
    }
    return render(request, "web/court_order.html", context)


@page("registry.change_courtorder")
def court_order_edit(request: HttpRequest, ref: str) -> HttpResponse:
    """Correct a court order's kind, issuer, dates or scope, with a reason; or withdraw it."""
    order = get_order(ref)
    data = request.POST if request.method == "POST" else None
    form = forms.CourtOrderCorrectionForm(data, order=order)
    if data is not None and form.is_valid():
        try:
            corrected = parse_court_order(form.document())
            runs = legal_events.correct_court_order(
                order, corrected, form.cleaned_data["reason"], request.user
            )
        except RecordRefused as refused:
            form.add_problems(refused.problems)
        except ValidationError as error:
            forms.add_service_errors(form, error, form.service_fields)
        else:
            query = urlencode([("run", run.pk) for run in runs])
            return HttpResponseRedirect(f"{reverse('web:court-order', args=[ref])}?{query}")
    return _edit_page(request, order, form, forms.WithdrawOrderForm(), status=data is not None)


#: The scenario@2 form of a court order: its effect, its scope as a selector, its events.
FACTS_FORM = record_form(v2.CourtOrder)


def facts_form(order: CourtOrder, data: Any = None) -> RecordForm:
    """The @2 form of a stored order, started from its @2 record; the scope's persons are
    chosen with the person picker."""
    recorded = stored_record_v2("court_orders", order.ref)
    document = document_of(recorded) if recorded is not None else {}
    # Prefixed: the page holds the correction form too, with inputs of the same names.
    form = FACTS_FORM(data, recorded=document, fixed={"ref": order.ref}, prefix="v2")
    person_picker(form.fields["scope__person"])
    return form


@page("registry.change_courtorder")
def court_order_facts(request: HttpRequest, ref: str) -> HttpResponse:
    """Record an order's scenario@2 facts (its effect, prohibiting or conditioning, its
    scope as a selector, its stays, vacaturs and liftings) with a reason, as the API's
    ``PATCH /court_orders/{ref}/v2`` does; what any order covers is re-screened."""
    order = get_order(ref)
    if request.method != "POST":
        return HttpResponseRedirect(reverse("web:court-order-edit", args=[ref]) + "#facts")
    form = facts_form(order, request.POST)
    if form.is_valid():
        try:
            record = parse_record_v2("court_orders", form.document())
            run = save_record_v2(
                "court_orders", record, reason=form.cleaned_data["reason"], user=request.user
            )
        except ScenarioError as error:
            form.add_problems([(p.path, p.message) for p in error.problems])
        else:
            target = reverse("web:court-order", args=[ref])
            return HttpResponseRedirect(f"{target}?run={run.pk}" if run else target)
    correction = forms.CourtOrderCorrectionForm(order=order)
    return _edit_page(
        request, order, correction, forms.WithdrawOrderForm(), status=True, facts=form
    )


@require_POST
@page("registry.change_courtorder")
def court_order_withdraw(request: HttpRequest, ref: str) -> HttpResponse:
    """Withdraw an order recorded in error, with a reason; what it covered is re-screened."""
    order = get_order(ref)
    form = forms.WithdrawOrderForm(request.POST)
    if form.is_valid():
        run = legal_events.withdraw_court_order(order, form.cleaned_data["reason"], request.user)
        return HttpResponseRedirect(f"{reverse('web:court-orders')}?run={run.pk}")
    correction = forms.CourtOrderCorrectionForm(order=order)
    return _edit_page(request, order, correction, form, status=True)


def _edit_page(
    request: HttpRequest,
    order: CourtOrder,
    form: forms.CourtOrderCorrectionForm,
    withdraw: forms.WithdrawOrderForm,
    *,
    status: bool,
    facts: RecordForm | None = None,
) -> HttpResponse:
    context = {
        "order": order,
        "form": form,
        "withdraw": withdraw,
        "facts": facts if facts is not None else facts_form(order),
    }
    return render(request, "web/court_order_edit.html", context, status=422 if status else 200)

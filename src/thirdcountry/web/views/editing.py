"""Pages that create and correct whole records: a person, a transfer, an arrangement.

Each form is generated from the scenario@2 record type's schema
(:mod:`thirdcountry.web.editing`), starts from the record as stored, asks for a reason, and
saves through the same service as the API's ``PATCH …/v2`` (``records.services_v2``): the
whole record is checked as in a scenario@2 file beside the stored world, kept with its
history, and what it touches is re-screened; the record's page then shows the run. A refused
form comes back with everything that was typed and each problem next to its input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thirdcountry.accounts.roles import may, sees_personal_data
from thirdcountry.cases.models import Person as StoredPerson
from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.models import Transfer as StoredTransfer
from thirdcountry.cases.sections_v2 import document_of
from thirdcountry.records.services_v2 import (
    parse_record_v2,
    save_record_v2,
    stored_record_v2,
)
from thirdcountry.registry.models import Arrangement as StoredArrangement
from thirdcountry.scenario.problems import ScenarioError
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.web import selectors
from thirdcountry.web.access import page
from thirdcountry.web.editing import RecordForm, person_picker, record_form


@dataclass(frozen=True)
class RecordKind:
    """How one record type is created and corrected from the pages."""

    name: str
    form: type[RecordForm]
    title_new: Any
    title_edit: Any
    add: str
    change: tuple[str, ...]
    #: Its section of a scenario@2 document (``records.services_v2``).
    section: str
    stored: Any
    page: str
    #: Keys whose change needs a permission of their own (the API's, the same).
    key_permissions: tuple[tuple[str, str], ...] = ()

    def read(self, ref: str) -> dict[str, Any] | None:
        """The stored record as its scenario@2 document; ``None`` when there is none."""
        record = stored_record_v2(self.section, ref)
        return None if record is None else document_of(record)


PERSON = RecordKind(
    "person",
    record_form(v2.Person),
    _("Register a person"),
    _("Correct the person's record"),
    "cases.add_person",
    ("cases.change_person", "cases.record_decision", "cases.record_fear_screening"),
    "persons",
    StoredPerson,
    "web:person",
    (
        ("removal_decision", "cases.record_decision"),
        ("fear_claims", "cases.record_fear_screening"),
        ("protections", "cases.record_fear_screening"),
    ),
)
TRANSFER = RecordKind(
    "transfer",
    record_form(v2.Transfer),
    _("Propose a transfer"),
    _("Correct the transfer"),
    "cases.add_transfer",
    ("cases.change_transfer",),
    "transfers",
    StoredTransfer,
    "web:transfer",
    (("notice", "cases.record_notice"), ("accepted_by_receiving", "cases.record_acceptance")),
)
ARRANGEMENT = RecordKind(
    "arrangement",
    record_form(v2.Arrangement),
    _("Register an arrangement"),
    _("Correct the arrangement"),
    "registry.add_arrangement",
    ("registry.change_arrangement",),
    "arrangements",
    StoredArrangement,
    "web:arrangement",
)
KINDS = {kind.name: kind for kind in (PERSON, TRANSFER, ARRANGEMENT)}


def _locked(kind: RecordKind, user: Any) -> frozenset[str]:
    return frozenset(key for key, permission in kind.key_permissions if not may(user, permission))


def edit(request: HttpRequest, kind: RecordKind, ref: str | None) -> HttpResponse:
    """Create (``ref`` is ``None``) or correct a record of ``kind``."""
    user = request.user
    if ref is None and not may(user, kind.add):
        raise PermissionDenied(kind.add)
    if ref is not None and not any(may(user, p) for p in kind.change):
        raise PermissionDenied(kind.change[0])
    recorded = kind.read(ref) if ref is not None else {}
    if recorded is None:
        raise Http404(f"no {kind.name} {ref}")
    fixed = {"ref": ref} if ref is not None else {}
    if kind is TRANSFER and ref is None and request.GET.get("person"):
        recorded = {"person": request.GET["person"]}
    data = request.POST if request.method == "POST" else None
    form = kind.form(data, recorded=recorded, locked=_locked(kind, user), fixed=fixed)
    if "person" in form.fields:
        person_picker(form.fields["person"])
        form.fields["person"].help_text = _("Type a name or a ref and choose the person.")
    if data is not None and form.is_valid():
        saved, run = _save(kind, form, created=ref is None, user=user)
        if saved:
            target = reverse(kind.page, args=[form.document()["ref"]])
            return HttpResponseRedirect(f"{target}?run={run.pk}" if run else target)
    context = {
        "form": form,
        "kind": kind,
        "ref": ref,
        "title": kind.title_edit if ref else kind.title_new,
        "cancel": reverse(kind.page, args=[ref]) if ref else reverse("web:dashboard"),
    }
    status = 422 if data is not None else 200
    return render(request, "web/record_edit.html", context, status=status)


def _save(
    kind: RecordKind, form: RecordForm, *, created: bool, user: Any
) -> tuple[bool, ScreeningRun | None]:
    """Parse and save the form's record as the API's ``PATCH …/v2`` does (the whole
    record, checked beside the stored world); whether it was saved, and the re-screening
    it caused. A refused record leaves its problems on the form."""
    document = form.document()
    if created and kind.stored.objects.filter(ref=document.get("ref")).exists():
        form.add_error("ref", str(_("This reference is already used.")))
        return False, None
    try:
        record = parse_record_v2(kind.section, document)
        run = save_record_v2(kind.section, record, reason=form.cleaned_data["reason"], user=user)
    except ScenarioError as error:
        form.add_problems([(p.path, p.message) for p in error.problems])
        return False, None
    return True, run


@page()
def person_new(request: HttpRequest) -> HttpResponse:
    """Register a person."""
    return edit(request, PERSON, None)


@page()
def person_edit(request: HttpRequest, ref: str) -> HttpResponse:
    """Correct a person's record."""
    return edit(request, PERSON, ref)


@page()
def transfer_new(request: HttpRequest) -> HttpResponse:
    """Propose a transfer."""
    return edit(request, TRANSFER, None)


@page()
def transfer_edit(request: HttpRequest, ref: str) -> HttpResponse:
    """Correct a transfer."""
    return edit(request, TRANSFER, ref)


@page()
def arrangement_new(request: HttpRequest) -> HttpResponse:
    """Register an arrangement."""
    return edit(request, ARRANGEMENT, None)


@page()
def arrangement_edit(request: HttpRequest, ref: str) -> HttpResponse:
    """Correct an arrangement: its terms, commitments, cap, status history and payments
    (a wrong entry corrected or withdrawn, with the reason)."""
    return edit(request, ARRANGEMENT, ref)


def _typed_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


@page("cases.view_person")
def person_candidates(request: HttpRequest) -> HttpResponse:
    """The persons a person being typed may already be (search before create): scored by the
    linkage model on the names, birth date and nationalities typed so far, with the match
    probability and what agreed, then the other persons whose names resemble the first name;
    with ``?options=1``, the name search alone as options of a person picker."""
    names = [line.strip() for line in request.GET.get("names", "").splitlines() if line.strip()]
    query = names[0] if names else request.GET.get("q", "") or request.GET.get("person", "")
    query = query.strip()[:200]
    rows: list[Any] = []
    scored: list[Any] = []
    if query and sees_personal_data(request.user):
        rows = selectors.ranked_persons(query, limit=10)
        if not request.GET.get("options"):
            scored = selectors.scored_persons(
                [n[:200] for n in names[:10]] or [query],
                _typed_date(request.GET.get("birth_date", "")),
                [c for c in request.GET.getlist("nationalities") if len(c) == 2] or None,
            )
            shown = {row["person"].ref for row in scored}
            rows = [(p, m) for p, m in rows if p.ref not in shown][: max(10 - len(scored), 0)]
    template = (
        "web/partials/person_options.html"
        if request.GET.get("options")
        else "web/partials/person_candidates.html"
    )
    return render(request, template, {"rows": rows, "scored": scored, "query": query})

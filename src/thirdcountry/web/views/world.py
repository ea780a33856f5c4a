"""The world sections scenario@2 adds to @1 (legal bases, regimes, classes of persons,
safe-country designations, diplomatic assurances): a list page per section, and recording
or correcting one entry with the form generated from its @2 type and a reason, through the
service of the API's ``PUT /{section}/{key}`` (``records.services_v2.save_world_entry``),
with the entry's history beside it. Who may read and record follows the API: those who
may view world records read them; those who may both add and change them record."""

from __future__ import annotations

from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thirdcountry.accounts.roles import may, sees_personal_data
from thirdcountry.cases.sections_v2 import SECTIONS, document_of, key_of
from thirdcountry.oversight.pseudonyms import entry_for_monitor
from thirdcountry.records.services_v2 import (
    parse_world_entry,
    save_world_entry,
    stored_world_entries,
)
from thirdcountry.registry.models import WorldRecord
from thirdcountry.scenario.problems import ScenarioError
from thirdcountry.web.access import page
from thirdcountry.web.editing import RecordForm, record_form
from thirdcountry.web.history import history_page

#: Each section as the pages name it.
TITLES: Final[dict[str, Any]] = {
    "legal_bases": _("Legal bases"),
    "regimes": _("Regimes"),
    "classes": _("Classes of persons"),
    "designations": _("Safe-country designations"),
    "assurances": _("Diplomatic assurances"),
}
#: The permissions recording an entry needs (the API's ``PUT``, the same).
RECORD: Final = ("registry.add_worldrecord", "registry.change_worldrecord")
FORMS: Final[dict[str, type[RecordForm]]] = {
    name: record_form(section.record) for name, section in SECTIONS.items()
}


def _section(section: str) -> Any:
    if section not in SECTIONS:
        raise Http404(f"no section {section}")
    return SECTIONS[section]


def _may_record(user: Any) -> bool:
    return all(may(user, p) for p in RECORD)


def _summary(document: dict[str, Any], key: str) -> str:
    """An entry in one line: its facts other than its key, as recorded."""
    return "; ".join(
        f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
        for k, v in document.items()
        if k != key and not isinstance(v, dict)
    )


@page("registry.view_worldrecord")
def world_section(request: HttpRequest, section: str) -> HttpResponse:
    """The stored entries of one world section, in key order."""
    where = _section(section)
    entries = [
        (key_of(where, e), _summary(document_of(e), where.key))
        for e in stored_world_entries(section)
    ]
    context = {
        "section": section,
        "title": TITLES[section],
        "sections": TITLES,
        "entries": entries,
        "may_record": _may_record(request.user),
    }
    return render(request, "web/world_section.html", context)


@page("registry.view_worldrecord")
def world_entry(request: HttpRequest, section: str, key: str | None = None) -> HttpResponse:
    """Record a new entry of a section (``key`` is ``None``) or correct one, with a reason;
    a reader who may not record sees the entry and its history only."""
    where = _section(section)
    row = WorldRecord.objects.filter(section=section, key=key).first() if key else None
    if key is not None and row is None:
        raise Http404(f"no {section} {key}")
    may_record = _may_record(request.user)
    if request.method == "POST" and not may_record:
        raise PermissionDenied(RECORD[0])
    if key is None and not may_record:
        raise PermissionDenied(RECORD[0])
    data = request.POST if request.method == "POST" else None
    recorded = row.document if row is not None else {}
    if not may_record and not sees_personal_data(request.user):
        recorded = entry_for_monitor(recorded)
    fixed = {where.key: key} if key is not None else {}
    form = FORMS[section](data, recorded=recorded, fixed=fixed)
    if data is not None and form.is_valid():
        document = form.document()
        taken = WorldRecord.objects.filter(section=section, key=document.get(where.key))
        if key is None and taken.exists():
            form.add_error(where.key, str(_("This key is already used.")))
        else:
            try:
                entry = parse_world_entry(section, document)
                save_world_entry(
                    section, entry, reason=form.cleaned_data["reason"], user=request.user
                )
            except ScenarioError as error:
                form.add_problems([(p.path, p.message) for p in error.problems])
            else:
                saved = key_of(where, entry)
                return HttpResponseRedirect(reverse("web:world-entry", args=[section, saved]))
    context = {
        "section": section,
        "title": TITLES[section],
        "key": key,
        "form": form,
        "may_record": may_record,
        "record_history": history_page(request, "world_record", row.pk) if row else None,
    }
    return render(request, "web/world_entry.html", context, status=422 if data is not None else 200)

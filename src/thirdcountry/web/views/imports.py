"""The import page: a spreadsheet of persons and transfers, read with a saved mapping or one
written on the page, validated row by row; the report lists every problem (and can be
downloaded as CSV), and nothing is written unless the rows are valid (or the valid ones are
chosen). While an upload is imported, the page shows how far it has come (counts and time
left), from :mod:`thirdcountry.records.import_progress`."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thirdcountry.cases.models import ImportMapping
from thirdcountry.identity.services import link_after_import
from thirdcountry.imports.mapping import MappingError, parse_mapping
from thirdcountry.imports.report import report_csv
from thirdcountry.imports.sheets import SheetError, read_sheet
from thirdcountry.records.import_progress import ProgressTracker, new_token, read_progress
from thirdcountry.records.imports import import_sheet, save_mapping
from thirdcountry.web.access import page
from thirdcountry.web.forms import ImportForm

#: Problems shown on the page; the downloadable report holds them all.
SHOWN = 200


def _mapping_text(form: ImportForm) -> tuple[str, str]:
    data = form.cleaned_data
    if (data.get("mapping_text") or "").strip():
        return data.get("save_as") or "mapping", data["mapping_text"]
    saved = ImportMapping.objects.get(name=data["saved_mapping"])
    return saved.name, saved.text


@page("cases.add_importmapping")
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet and import it (or only check it)."""
    names = list(ImportMapping.objects.values_list("name", flat=True))
    context: dict[str, Any] = {}
    if request.method != "POST":
        form = ImportForm(mappings=names, initial={"progress": new_token()})
        return render(request, "web/import.html", {"form": form})
    form = ImportForm(request.POST, request.FILES, mappings=names)
    context["form"] = form
    if not form.is_valid():
        return render(request, "web/import.html", context, status=400)
    name, text = _mapping_text(form)
    try:
        mapping = parse_mapping(tomllib.loads(text), name)
        if form.cleaned_data.get("save_as"):
            save_mapping(form.cleaned_data["save_as"], text, user=request.user)
    except tomllib.TOMLDecodeError as error:
        form.add_error("mapping_text", f"not TOML: {error}")
        return render(request, "web/import.html", context, status=400)
    except MappingError as error:
        for problem in error.problems:
            form.add_error("mapping_text", problem)
        return render(request, "web/import.html", context, status=400)
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / Path(upload.name).name
        if source.suffix.lower() != suffix:
            source = source.with_suffix(suffix)
        with source.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            sheet = read_sheet(source)
        except SheetError as error:
            form.add_error("file", str(error))
            return render(request, "web/import.html", context, status=400)
        tracker = ProgressTracker(request.user.pk, form.cleaned_data.get("progress") or "")
        try:
            outcome = import_sheet(
                sheet,
                mapping,
                source=source,
                dry_run=form.cleaned_data["dry_run"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                user=request.user,
                progress=tracker.advance(),
            )
        except BaseException:
            tracker.finish("failed")
            raise
        tracker.finish("complete")
    persons = outcome.summary.counts.get("persons", {})
    # An import of a few new persons linked each as it created it (outcome.duplicates); a
    # larger one is linked here as a whole, while the population is small enough to wait for.
    linked = (
        link_after_import(persons.get("created", 0) + persons.get("updated", 0), user=request.user)
        if outcome.written and outcome.duplicates is None
        else None
    )
    context.update(
        outcome=outcome,
        linked=linked,
        problems=outcome.problems[:SHOWN],
        report_link="data:text/csv;charset=utf-8," + quote(report_csv(outcome.problems)),
        dry_run=form.cleaned_data["dry_run"],
    )
    return render(request, "web/import.html", context)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return str(_("about %(n)d s") % {"n": max(1, round(seconds))})
    return str(_("about %(n)d min") % {"n": round(seconds / 60)})


#: What each stage of an import is called on the page.
STAGES = {
    "reading": gettext_lazy("Reading the rows"),
    "validating": gettext_lazy("Validating the rows"),
    "writing": gettext_lazy("Writing the records"),
    "linking": gettext_lazy("Looking for duplicates of the new persons"),
    "screening": gettext_lazy("Re-screening what the import touched"),
}


@page("cases.add_importmapping")
def import_progress(request: HttpRequest, token: str) -> HttpResponse:
    """How far the import ``token`` (started from this user's page) has come: a fragment the
    page asks for every second while its upload is imported."""
    progress = read_progress(request.user.pk, token)
    left = progress.seconds_left if progress is not None else None
    context = {
        "progress": progress,
        "stage": STAGES.get(progress.stage, progress.stage) if progress else "",
        "left": _duration(left) if left is not None else "",
    }
    return render(request, "web/import_progress.html", context)

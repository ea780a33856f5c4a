"""The catalog page: the safeguards a screening applies, readable by a lawyer in the page's
language — each rule with its legal basis and the reasons it can give, and for a catalog
that ships data, the dated regimes and legal bases with their force and sources."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from thirdcountry.findings.describe import describe_catalog
from thirdcountry.registry.selectors import current_catalog
from thirdcountry.rules import catalogs
from thirdcountry.web.access import page


@page("cases.view_transfer")
def catalog_page(request: HttpRequest, version: str | None = None) -> HttpResponse:
    """One catalog (by default the one new screenings are made under), for every role."""
    chosen = version or current_catalog()
    try:
        catalog = catalogs.any_catalog(chosen)
    except catalogs.UnknownCatalog:
        raise Http404(chosen) from None
    language = "fr" if (get_language() or "en").startswith("fr") else "en"
    context = {
        "described": describe_catalog(catalog, language),
        "versions": catalogs.versions(),
        "chosen": chosen,
        "current": current_catalog(),
    }
    return render(request, "web/catalog.html", context)

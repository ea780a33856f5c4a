"""A transfer's verdict on paper: the PDF for a court bundle, open to whoever may open the
transfer's page, rendered as that page is for them (language, pseudonyms for monitors)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from thirdcountry.web.access import page
from thirdcountry.web.verdict_document import verdict_pdf
from thirdcountry.web.views.pages import get_transfer


@page("cases.view_transfer")
def transfer_verdict_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    """One transfer's verdict as PDF: facts, findings with reasons and bases, the verdict
    history and the audit trail's head."""
    transfer = get_transfer(ref)
    response = HttpResponse(verdict_pdf(request.user, transfer), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="verdict-{transfer.ref}.pdf"'
    return response

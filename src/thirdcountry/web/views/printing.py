"""A transfer's verdict on paper: the PDF for a court bundle, open to whoever may open the
transfer's page, rendered as that page is for them (language, pseudonyms for monitors)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from thirdcountry.edge import refusal
from thirdcountry.web.access import page
from thirdcountry.web.verdict_document import PdfUnavailable, verdict_pdf
from thirdcountry.web.views.pages import get_transfer


@page("cases.view_transfer")
def transfer_verdict_pdf(request: HttpRequest, ref: str) -> HttpResponse:
    """One transfer's verdict as PDF: facts, findings with reasons and bases, the verdict
    history and the audit trail's head."""
    transfer = get_transfer(ref)
    try:
        pdf = verdict_pdf(request.user, transfer)
    except PdfUnavailable:
        return refusal(
            request,
            503,
            _(
                "This server cannot make PDF documents: it lacks the Pango text library "
                "(on Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0). "
                "The transfer's page prints as the same document from your browser."
            ),
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="verdict-{transfer.ref}.pdf"'
    return response

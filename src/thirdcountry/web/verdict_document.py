"""The printable verdict of one transfer, for a court bundle: its facts and the person's,
every finding with its reason and legal basis, the history of its verdicts, and the audit
trail's head when the document was made (with the entry that recorded the verdict's run),
so a court can later check with ``thirdcountry audit verify --head HASH`` that nothing up
to it was changed.

The document is rendered for the reader as the transfer's page is: in their language, and
for a monitor with the person named by pseudonym and personal facts withheld. WeasyPrint
turns the HTML into PDF; it is given no way to fetch anything (the stylesheet is inline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import ScreeningRecord, Transfer
from thirdcountry.oversight import audit
from thirdcountry.oversight.models import AuditEntry
from thirdcountry.web import display, selectors
from thirdcountry.web.identity import person_label


@dataclass(frozen=True)
class RecordingEntry:
    """The audit entry that recorded a run's screenings."""

    seq: int
    hash: str


def recording_entry(screening: ScreeningRecord) -> RecordingEntry | None:
    """The audit entry of the run that made ``screening``, if a run made it."""
    if screening.run_id is None:
        return None
    found = (
        AuditEntry.objects.filter(action="screening_run", detail__run=screening.run_id)
        .values_list("seq", "hash")
        .first()
    )
    return RecordingEntry(int(found[0]), str(found[1])) if found else None


def verdict_context(user: Any, transfer: Transfer) -> dict[str, Any]:
    """What the printable verdict shows ``user``."""
    screenings = selectors.screenings_of(transfer)
    latest = screenings[0] if screenings else None
    person = selectors.persons_with_facts().get(pk=transfer.person_id)
    return {
        "transfer": transfer,
        "person_name": person_label(user, person),
        "person_ref": person.ref if sees_personal_data(user) else None,
        "facts": display.transfer_facts(transfer),
        "person_facts": display.person_facts(user, person),
        "latest": latest,
        "findings": display.findings_of(user, latest) if latest else [],
        "history": [(s, display.not_passing(s)) for s in screenings],
        "recorded_by": recording_entry(latest) if latest else None,
        "audit_head": audit.head(),
        "made_at": timezone.now(),
        "made_by": user.get_username(),
        "on": selectors.screening_date(),
    }


def verdict_html(user: Any, transfer: Transfer) -> str:
    """The printable verdict as a self-contained HTML document."""
    return str(render_to_string("web/verdict_print.html", verdict_context(user, transfer)))


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the verdict document fetches nothing ({url})")


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here: the system's Pango library is missing."""


def pdf_renderer() -> Any:
    """WeasyPrint's ``HTML`` class, or :class:`PdfUnavailable` when it cannot load.

    WeasyPrint is a Python dependency, but it draws text with Pango, a system library that a
    machine with only Python lacks; importing it then fails with ``OSError``.
    """
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    return HTML


def verdict_pdf(user: Any, transfer: Transfer) -> bytes:
    """The printable verdict as PDF; :class:`PdfUnavailable` when PDF cannot be made here."""
    HTML = pdf_renderer()
    document = HTML(string=verdict_html(user, transfer), url_fetcher=_no_fetching)
    pdf: bytes = document.write_pdf()
    return pdf

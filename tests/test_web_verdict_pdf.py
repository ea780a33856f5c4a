"""The printable verdict: a PDF of one transfer's verdict for a court bundle, with the facts,
every finding's reason and basis as the reader reads them, the verdict history and the audit
trail's head; open to whoever may open the transfer's page, with pseudonyms for monitors."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import PersonName, Transfer
from thirdcountry.cases.rescreening import execute_run, start_run
from thirdcountry.oversight import audit
from thirdcountry.oversight.findings import shown_findings
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario
from thirdcountry.web import selectors
from thirdcountry.web.verdict_document import PdfUnavailable, pdf_renderer

pytestmark = pytest.mark.django_db


def _pdf_available() -> bool:
    try:
        pdf_renderer()
    except PdfUnavailable:
        return False
    return True


#: WeasyPrint draws text with the system's Pango (``.ci/run`` installs it); without it the
#: PDF tests cannot run, and the page says why (the last test).
needs_pango = pytest.mark.skipif(
    not _pdf_available(),
    reason="WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0",
)

PASSWORD = "a-long-test-password"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: A proposed transfer of the seed world, screened by the run the fixture starts.
REF = "T-101"


@pytest.fixture
def world(seed_world_path: Path, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    execute_run(start_run({"all": True}))


def signed_in(role: str, language: str = "en") -> Client:
    client = Client()
    client.force_login(create_user(role, role, PASSWORD))
    client.cookies["django_language"] = language
    return client


def pdf_text(client: Client, ref: str = REF) -> str:
    response = client.get(f"/transfers/{ref}/verdict.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """Text without its whitespace: lines break anywhere in a PDF."""
    return re.sub(r"\s+", "", text)


@needs_pango
def test_the_pdf_holds_every_finding_the_history_and_the_audit_head(world: None) -> None:
    client = signed_in("legal_officer")
    transfer = Transfer.objects.get(ref=REF)
    latest = selectors.screenings_of(transfer)[0]
    head = audit.head()
    response = client.get(f"/transfers/{REF}/verdict.pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"verdict-{REF}.pdf").write_bytes(response.content)
    text = squeezed(pdf_text(client))
    findings = shown_findings(latest.catalog, latest.findings, personal=True, language="en")
    assert len(findings) == 17
    for finding in findings:
        assert squeezed(finding.reason) in text, finding.rule
        assert squeezed(finding.basis) in text, finding.rule
        assert finding.rule in text
    assert squeezed(f"Verdict on transfer {REF}") in text
    assert latest.facts_sha256 in text
    assert head.hash in text  # the head when it was printed
    name = PersonName.objects.filter(person=transfer.person).order_by("seq").first()
    assert name is not None and squeezed(name.name) in text
    assert "Historyofitsverdicts" in text and latest.catalog in text
    page = client.get(f"/transfers/{REF}/").content.decode()
    assert f'href="/transfers/{REF}/verdict.pdf"' in page


@needs_pango
def test_a_monitor_gets_the_pseudonym_and_the_findings_as_they_read_them(world: None) -> None:
    transfer = Transfer.objects.select_related("person").get(ref=REF)
    text = squeezed(pdf_text(signed_in("monitor")))
    assert pseudonym(transfer.person.ref) in text
    assert transfer.person.ref not in text
    for name in PersonName.objects.filter(person=transfer.person).values_list("name", flat=True):
        assert squeezed(name) not in text
    latest = selectors.screenings_of(transfer)[0]
    for finding in shown_findings(latest.catalog, latest.findings, personal=False, language="en"):
        assert squeezed(finding.reason) in text


@needs_pango
def test_the_pdf_in_french(world: None) -> None:
    transfer = Transfer.objects.get(ref=REF)
    latest = selectors.screenings_of(transfer)[0]
    text = squeezed(pdf_text(signed_in("caseworker", "fr")))
    assert squeezed(f"Verdict du transfert {REF}") in text
    for finding in shown_findings(latest.catalog, latest.findings, personal=True, language="fr"):
        assert squeezed(finding.reason) in text


def test_the_pdf_is_for_those_who_may_open_the_transfer(world: None) -> None:
    assert Client().get(f"/transfers/{REF}/verdict.pdf").status_code == 302
    assert signed_in("caseworker").get("/transfers/NO-SUCH/verdict.pdf").status_code == 404


def test_without_pango_the_page_says_why_instead_of_failing(
    world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A module set to None in sys.modules fails to import, as WeasyPrint does without Pango.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = signed_in("legal_officer").get(f"/transfers/{REF}/verdict.pdf")
    assert response.status_code == 503
    assert "Pango" in response.content.decode()
    assert "Traceback" not in response.content.decode()

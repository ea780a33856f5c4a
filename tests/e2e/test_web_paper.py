"""Exports and paper in a real browser: a list downloads as CSV with its filters, a page
prints without navigation or forms, and a transfer's page links to its verdict as PDF."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from thirdcountry.web.verdict_document import PdfUnavailable, pdf_renderer

pytestmark = pytest.mark.django_db


def test_the_filtered_list_downloads_as_csv(sign_in: Callable[..., Any]) -> None:
    page = sign_in("caseworker", "/transfers/?verdict=blocked")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these transfers (CSV)").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Transfer" and len(rows) > 1
    assert {row[-1] for row in rows[1:]} == {"blocked"}
    assert download.value.suggested_filename.startswith("transfers-")


def test_a_transfer_prints_without_navigation_or_forms(
    site: str, sign_in: Callable[..., Any]
) -> None:
    page = sign_in("legal_officer", "/transfers/T-106/")
    expect(page.locator("header.top nav")).to_be_visible()
    expect(page.locator("#record-notice form")).to_be_visible()
    pdf_link = page.get_by_role("link", name="Verdict as PDF, for a court bundle")
    expect(pdf_link).to_have_attribute("href", "/transfers/T-106/verdict.pdf")
    page.emulate_media(media="print")
    expect(page.locator("header.top nav")).to_be_hidden()
    expect(page.locator("#record-notice")).to_be_hidden()
    expect(pdf_link).to_be_hidden()
    expect(page.locator("#verdict table.findings")).to_be_visible()
    expect(page.locator("#verdict-history")).to_be_visible()
    response = page.request.get(f"{site}/transfers/T-106/verdict.pdf")
    try:
        pdf_renderer()
    except PdfUnavailable:  # without Pango the server says why, as a page
        assert response.status == 503 and "Pango" in response.text()
        return
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

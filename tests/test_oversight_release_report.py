"""A release's documents for reading: the method says the same in markdown and in the report,
and the report escapes what the tables hold and charts only the counts it publishes."""

from __future__ import annotations

import html
import re
from typing import Any

from thirdcountry.oversight.release_report import method_file, method_markdown, report_html

#: The catalog the verdicts counted were screened under, as the method names it.
CATALOG = "2026.1"


def document() -> dict[str, Any]:
    return {
        "period": {"from": "2025-01-01", "to": "2025-12-31"},
        "generated_at": "2026-01-02T03:04:05+00:00",
        "reporting_currency": "USD",
        "refoulement_incidents": {"shown": "0", "statement": "No refoulement incident."},
        "method": method_markdown(CATALOG),
        "tables": [
            {
                "name": "arrangement_status",
                "title": "Transfers by arrangement & status",
                "dimension": "arrangement",
                "columns": ["proposed", "executed"],
                "rows": [
                    {"label": "<b>UK-RW</b>", "cells": ["12", "<5"], "total": "x"},
                    {"label": "US-SV", "cells": ["0", "7"], "total": "x"},
                ],
                "column_totals": ["12", "x"],
                "total": "23",
                "note": None,
            }
        ],
        "withheld_tables": [{"name": "t", "title": "Transfers by verdict", "reason": "too few"}],
        "payments": [],
        "cost_per_executed_transfer": [
            {"arrangement": "UK-RW", "paid": "10.00", "cost_per_transfer": None, "withheld": True}
        ],
        "suppressed_counts": 3,
    }


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_report_and_the_markdown_state_the_same_method() -> None:
    markdown = method_markdown(CATALOG)
    assert markdown.startswith("## Method\n\n**What is counted.**") and markdown.endswith(".\n")
    assert "`<5`" in markdown and "`x`" in markdown
    page = report_html(document(), CATALOG)
    start = page.index("<h2>Method</h2>")
    method_html = page[start : page.index("</body>")]
    assert "<p><strong>Small counts.</strong>" in method_html
    assert "<code>&lt;5</code>" in method_html and "**" not in page and "`" not in page
    as_text = html.unescape(re.sub(r"<[^>]+>", " ", method_html))
    plain = re.sub(r"^## |\*\*|`", " ", markdown, flags=re.MULTILINE)
    assert words(as_text).replace(" ", "") == words(plain).replace(" ", "")


def test_method_file_lists_what_was_withheld_before_the_method() -> None:
    text = method_file(document())
    assert text.startswith("# Release: transfers planned from 2025-01-01 to 2025-12-31\n\n")
    assert "\n\n## Withheld tables\n\n- Transfers by verdict: withheld, too few.\n\n## " in text
    assert text.endswith(method_markdown(CATALOG))


def test_the_report_escapes_labels_and_charts_only_published_counts() -> None:
    page = report_html(document(), CATALOG)
    assert "<b>" not in page and "&lt;b&gt;UK-RW&lt;/b&gt;" in page
    assert "Transfers by arrangement &amp; status" in page
    # one segment per published non-zero count; the suppressed one is hidden, not drawn
    titles = re.findall(r"<title>([^<]*)</title>", page)
    assert titles[1:] == [
        "&lt;b&gt;UK-RW&lt;/b&gt;: proposed 12",
        "US-SV: executed 7",
    ]
    assert "x (1 hidden)" in page
    assert "<h2>Transfers by verdict</h2><p>Withheld: too few.</p>" in page
    # money: words for keys, a dash for what is withheld, a sentence for no rows
    assert "<th>cost per transfer</th>" in page and "<td>—</td>" in page
    assert "<p>None recorded.</p>" in page

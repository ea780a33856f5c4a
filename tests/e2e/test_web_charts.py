"""Charts read in a real browser at any size of data: no bar drawn less than a pixel, no
text over another, no text too small to read, on a laptop and on a phone, in English and in
French.

A million transfers are charted from the aggregates Polars computes from a generated
million-row frame (the chart module's input is counts, never rows), drawn by the pages' own
templates and style sheet. The statistics page itself is drawn from a stored world of a few
thousand transfers over ten years and forty destinations, which takes seconds to store.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.template.loader import render_to_string
from django.utils import translation

from thirdcountry.cases.models import Person, Transfer
from thirdcountry.charts import CATEGORIES
from thirdcountry.web.charting import transfer_charts

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "charts"
STYLE = Path(__file__).resolve().parents[2] / "src/thirdcountry/web/static/web/style.css"
SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
#: The smallest text a chart may show, in CSS pixels of its box's height.
SMALLEST_TEXT = 8.5

#: What is wrong with the charts on show, as the browser lays them out: bars narrower or
#: lower than a pixel, texts whose boxes overlap or leave their drawing, texts too small.
PROBLEMS = """(smallest) => {
  const problems = [];
  const visible = [...document.querySelectorAll('figure.chart svg')]
    .filter(svg => svg.getBoundingClientRect().width > 0);
  for (const svg of visible) {
    const frame = svg.getBoundingClientRect();
    for (const rect of svg.querySelectorAll('rect.seg')) {
      const box = rect.getBoundingClientRect();
      if (box.width < 1 || box.height < 1) {
        problems.push(`bar ${box.width.toFixed(2)} x ${box.height.toFixed(2)}`);
      }
    }
    const texts = [...svg.querySelectorAll('text')]
      .map(t => [t.textContent, t.getBoundingClientRect()]);
    for (const [text, box] of texts) {
      if (box.height < smallest) problems.push(`"${text}" only ${box.height.toFixed(1)} px high`);
      if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) {
        problems.push(`"${text}" leaves its chart`);
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const [a, p] = texts[i], [b, q] = texts[j];
        const apart = p.right <= q.left + 0.5 || q.right <= p.left + 0.5
          || p.bottom <= q.top + 0.5 || q.bottom <= p.top + 0.5;
        if (!apart) problems.push(`"${a}" over "${b}"`);
      }
    }
  }
  return [visible.length, problems];
}"""


def _million_aggregates() -> list[tuple[date, str, str, int]]:
    """(month, destination, category, count) of a million generated transfers: eleven
    years, forty destinations of very unequal size, every category."""
    n = 1_000_000
    frame = pl.DataFrame({"i": pl.int_range(0, n, eager=True)}).select(
        (pl.date(2015, 1, 1) + pl.duration(days=pl.col("i") % 4000)).dt.truncate("1mo").alias("m"),
        # a few destinations take most transfers, many take a handful
        pl.format(
            "D{}", (((pl.col("i") * 2654435761) % n) / n).pow(3).mul(40).cast(pl.Int64)
        ).alias("d"),
        pl.lit(pl.Series(list(CATEGORIES))).gather(pl.col("i") % 5).alias("c"),
    )
    counted = frame.group_by("m", "d", "c").len()
    assert counted["len"].sum() == n
    return [(m, d, c, k) for m, d, c, k in counted.iter_rows()]


def _chart_document(counts: list[tuple[date, str, str, int]], language: str) -> str:
    """The page's chart panel on its own, with the application's style sheet."""
    with translation.override(language):
        body = render_to_string(
            "web/partials/chart.html",
            {"sized": transfer_charts(counts)["over_time"], "columns": True},
        ) + render_to_string(
            "web/partials/chart.html", {"sized": transfer_charts(counts)["by_destination"]}
        )
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE.read_text()}</style></head>"
        f'<body><main><section class="panel">{body}</section></main></body></html>'
    )


@pytest.fixture
def million_documents() -> dict[str, str]:
    counts = _million_aggregates()
    return {language: _chart_document(counts, language) for language in ("en", "fr")}


def test_a_million_transfers_chart_legibly_on_a_laptop_and_a_phone(
    million_documents: dict[str, str], chromium: Any
) -> None:
    page = chromium.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for (language, document), (size, viewport) in itertools.product(
        million_documents.items(), SIZES.items()
    ):
        page.set_viewport_size(viewport)
        page.set_content(document)
        shown, problems = page.evaluate(PROBLEMS, SMALLEST_TEXT)
        page.screenshot(path=str(ARTIFACTS / f"million-{language}-{size}.png"), full_page=True)
        assert shown == 2, (language, size)
        assert problems == [], (language, size, problems[:10])
        # the numbers of each chart are in its table, grouped as the language writes them
        table = page.locator("figure.chart:visible table").first.text_content() or ""
        grouped = r"\d,\d{3}\b" if language == "en" else r"\d[\u202f\xa0 ]\d{3}\b"
        assert re.search(grouped, table), (language, table[:200])
        assert page.locator("figure.chart:visible .period-label").count() >= 2


@pytest.fixture
def large_world(site: str) -> str:
    """The example world and 4,000 more transfers of one person over ten years to forty
    destinations (every tenth executed, the rest never screened), stored in bulk."""
    person = Person.objects.get(ref="P-101")
    codes = [
        "RW", "SV", "LY", "UG", "GH", "KE", "TZ", "ZA", "NG", "SN", "CM", "ET", "ER", "SO", "SD",
        "EG", "MA", "TN", "DZ", "ML", "NE", "TD", "CD", "CG", "AO", "ZM", "ZW", "MW", "MZ", "BW",
        "NA", "GT", "HN", "MX", "CO", "PE", "EC", "PA", "CR", "PY",
    ]  # fmt: skip
    first = date(2016, 1, 1)
    Transfer.objects.bulk_create(
        Transfer(
            ref=f"T-BULK-{i}",
            person=person,
            sending_id="US",
            destination_id=codes[int((i * 7) ** 0.5) % len(codes)],
            planned_date=first + timedelta(days=(i * 37) % 3650),
            status="executed" if i % 10 == 0 else "proposed",
        )
        for i in range(4000)
    )
    return site


@pytest.mark.django_db
def test_the_statistics_page_of_a_large_world_reads_on_a_laptop_and_a_phone(
    large_world: str, page: Any, sign_in: Callable[[str], None]
) -> None:
    sign_in("monitor")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(f"{large_world}/statistics/")
        shown, problems = page.evaluate(PROBLEMS, SMALLEST_TEXT)
        page.screenshot(path=str(ARTIFACTS / f"statistics-{size}.png"), full_page=True)
        for k in range(shown):
            chart = page.locator("figure.chart:visible").nth(k)
            chart.screenshot(path=str(ARTIFACTS / f"statistics-{size}-chart-{k + 1}.png"))
        assert shown == 3, size  # over time, by destination, rule frequencies
        assert problems == [], (size, problems[:10])
        pivot = page.locator("#pivot-destination_by_verdict")
        # every destination in the pivot (the example world's are among the forty)
        assert pivot.locator("tbody tr").count() == 40

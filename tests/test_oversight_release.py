"""Public releases: aggregates only, small counts suppressed so that none can be worked out,
incidents first, and an HTML report that needs nothing from outside."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from test_oversight_suppression import equations_of, recover
from thirdcountry.cases.models import MonitoringEntry, Person, Transfer
from thirdcountry.cases.services import record_fear_claim, screen_stored
from thirdcountry.cli.main import app
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario.synthetic import generate_world

pytestmark = pytest.mark.django_db

#: The tables of transfers and the quantities their totals share.
COLUMN_DIMENSION = {"status": "status", "verdict": "verdict"}


@pytest.fixture(scope="module")
def world_document() -> Any:
    return generate_world(600, seed=7)


@pytest.fixture
def release(world_document: Any, tmp_path: Path) -> tuple[Path, Any]:
    load_scenario_records(world_document)
    screen_stored()
    # two refoulement incidents
    for transfer in Transfer.objects.filter(status="executed").order_by("id")[:2]:
        record_fear_claim(transfer.person, "VE", "recognised")
        MonitoringEntry.objects.create(
            transfer=transfer, seq=99, date=date(2025, 8, 30), kind="onward_removal",
            country_id="VE", note="sent on",
        )  # fmt: skip
    out = tmp_path / "release"
    result = CliRunner().invoke(
        app, ["release", "--from", "2020-01-01", "--to", "2027-12-31", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out, world_document


def test_a_release_is_aggregates_only_first_incidents_and_self_contained(
    release: tuple[Path, Any],
) -> None:
    out, world = release
    names = {p.name for p in out.iterdir()}
    assert {"release.json", "METHOD.md", "report.html", "status_verdict.csv",
            "arrangement_status.csv", "blocking_rules.csv", "payments.csv"} <= names  # fmt: skip
    document = json.loads((out / "release.json").read_text())
    assert document["format"] == "thirdcountry/release@1"
    assert "## Method" in document["method"]
    with (out / "status_verdict.csv").open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["status", "clear", "review", "blocked", "unscreened", "total"]
    assert rows[-1][0] == "total" and rows[-1][-1] == "600"
    # refoulement incidents come first, stated, never left in a table
    html = (out / "report.html").read_text()
    statement = html.index("REFOULEMENT INCIDENTS")
    assert statement < html.index("<table")
    assert (out / "METHOD.md").read_text().split("\n\n")[1].startswith("REFOULEMENT INCIDENTS")
    document = json.loads((out / "release.json").read_text())
    assert list(document).index("refoulement_incidents") < list(document).index("tables")
    assert document["refoulement_incidents"]["shown"] in ("<5", "1 or more")
    # the report needs nothing from outside
    assert "<svg" in html
    for outside in ("<script", "<link", "<img", "src=", "href=", "url(", "@import"):
        assert outside not in html, outside
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * html.count(
        "<svg"
    )
    assert (out / "report.html").stat().st_size < 2_000_000
    # counts and money only: no ref, name or pseudonym
    text = "\n".join(p.read_text() for p in out.iterdir())
    assert not re.search(r"\b[PT]-\d{6}\b", text)
    assert not re.search(r"PS-[A-Z2-7]{12}", text)
    names = {n for p in world.persons for n in p.names if " " in n and len(n) > 8}
    assert names and not [n for n in names if n in text]
    assert not Person.objects.filter(ref__in=re.findall(r"[A-Z]-\d+", text)).exists()


def grids(document: dict[str, Any]) -> list[tuple[list[list[str]], dict[tuple[int, int], str]]]:
    """Each published table as a grid, with the totals tables share given one name."""
    found = []
    for table in document["tables"]:
        grid = [[*row["cells"], row["total"]] for row in table["rows"]]
        grid.append([*table["column_totals"], table["total"]])
        names: dict[tuple[int, int], str] = {}
        kind = table["name"].rsplit("_", 1)[-1]
        if table["name"] not in ("blocking_rules", "refoulement_incidents"):
            last = len(grid) - 1
            for r, row in enumerate(table["rows"]):
                names[(r, len(table["columns"]))] = f"{table['dimension']}={row['label']}"
            for c, column in enumerate(table["columns"]):
                names[(last, c)] = f"{COLUMN_DIMENSION[kind]}={column}"
            names[(last, len(table["columns"]))] = "transfers"
        found.append((grid, names))
    return found


def test_no_suppressed_count_can_be_recovered_from_the_release(
    release: tuple[Path, Any],
) -> None:
    document = json.loads((release[0] / "release.json").read_text())
    published = grids(document)
    suppressed = sum(cell in ("<5", "x") for grid, _ in published for row in grid for cell in row)
    assert suppressed > 20  # a world of 600 transfers has many small counts
    for grid, _names in published:  # each table alone
        texts, equations = equations_of([(grid, {})])
        assert recover(texts, equations) == {}
    texts, equations = equations_of(published)  # and all tables at once
    assert recover(texts, equations) == {}

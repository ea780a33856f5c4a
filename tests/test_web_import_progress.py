"""The import page shows how far an import has come while it runs: its stage, the rows done
of the rows in all and the time left, asked for by the page with the token it drew."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from thirdcountry.accounts.services import create_user
from thirdcountry.imports.mapping import parse_mapping
from thirdcountry.imports.sheets import read_sheet
from thirdcountry.records.import_progress import ProgressTracker, new_token, read_progress
from thirdcountry.records.imports import import_sheet
from thirdcountry.records.load import load_scenario_records
from thirdcountry.scenario import loads_scenario

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
MAPPING = """
[columns.ref]
fact = "person.ref"
[columns.name]
fact = "person.names"
[columns.case]
fact = "transfer.ref"
[columns.to]
fact = "transfer.destination"
[columns.scheme]
fact = "transfer.arrangement"
[constants]
"transfer.sending" = "US"
"transfer.planned_date" = "2025-10-01"
"""


@pytest.fixture
def world(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))


def signed_in(role: str, name: str | None = None) -> Client:
    client = Client()
    client.force_login(create_user(name or role, role, PASSWORD))
    return client


def rows(count: int) -> str:
    lines = [f"G-{n},Amina Yusuf {n},GT-{n},Rwanda,US-RW-2025" for n in range(count)]
    return "ref,name,case,to,scheme\n" + "\n".join(lines) + "\n"


def test_the_page_draws_a_token_and_tells_the_import_s_end(world: None) -> None:
    client = signed_in("supervisor")
    form = client.get("/import/").content.decode()
    token = re.search(r'name="progress" value="([0-9a-f]{32})"', form)
    assert token is not None
    url = f"/import/progress/{token.group(1)}/"
    assert f'data-progress-url="{url}"' in form
    assert "Sending the file" in client.get(url).content.decode()
    upload = SimpleUploadedFile("people.csv", rows(30).encode(), content_type="text/csv")
    done = client.post(
        "/import/", {"file": upload, "mapping_text": MAPPING, "progress": token.group(1)}
    )
    assert "The valid rows were written" in done.content.decode()
    assert "Import finished" in client.get(url).content.decode()
    # Another user's token tells this one nothing.
    other = signed_in("supervisor", "another")
    assert "Import finished" not in other.get(url).content.decode()
    assert client.get("/import/progress/not-a-token/").status_code == 200
    assert signed_in("monitor").get(url).status_code == 403


def test_a_running_import_shows_its_counts_and_the_time_left(world: None) -> None:
    client = signed_in("supervisor")
    user = client.session["_auth_user_id"]
    token = new_token()
    tracker = ProgressTracker(int(user), token)
    tracker.update("reading", 0, 100_000)
    # Ten seconds spent on 40,000 rows: 60,000 more take about fifteen.
    tracker.progress.stage_started -= 10
    tracker.written = 0.0
    tracker.update("reading", 40_000, 100_000)
    page = client.get(f"/import/progress/{token}/").content.decode()
    assert "Reading the rows: 40,000 of 100,000 rows" in page
    assert re.search(r"about 1[45] s left", page), page
    assert 'value="40"' in page
    tracker.finish("failed")
    assert "The import failed" in client.get(f"/import/progress/{token}/").content.decode()


def test_an_import_reports_each_stage_in_rows_of_the_file(world: None, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(rows(50), encoding="utf-8")
    told: list[tuple[str, int, int]] = []
    outcome = import_sheet(
        read_sheet(source),
        parse_mapping(tomllib.loads(MAPPING), "people"),
        source=source,
        progress=lambda stage, done, total: told.append((stage, done, total)),
    )
    assert outcome.written
    stages = [stage for stage, _, _ in told]
    assert stages.index("reading") < stages.index("validating") < stages.index("writing")
    assert stages[-1] == "screening"
    assert {total for _, _, total in told} == {50}
    assert all(0 <= done <= 50 for _, done, _ in told)
    assert ("writing", 50, 50) in told


def test_progress_kept_is_read_back_as_written() -> None:
    token = new_token()
    tracker = ProgressTracker(7, token)
    tracker.update("writing", 10, 20)
    kept = read_progress(7, token)
    assert kept is not None and (kept.state, kept.stage, kept.done, kept.percent) == (
        "running",
        "writing",
        10,
        50,
    )
    assert read_progress(8, token) is None

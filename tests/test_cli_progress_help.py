"""The command line as people read it: every long command shows its progress with a total
and the time left, numbers carry thousands separators, statistics headers are words, and
every ``--help`` is clean (no Python type names, no reStructuredText backticks)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from thirdcountry.cli.main import app
from thirdcountry.scenario.synthetic import generate_world

runner = CliRunner()


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """200 columns, whatever the terminal the consoles met when first made (their width is
    read once, and an earlier test may have made them narrower), so no bar wraps."""
    from thirdcountry.cli import output

    for console in (output.stdout, output.stderr):
        monkeypatch.setattr(console, "_width", 200)


#: A finished progress bar: "2,700 / 2,700 100%" (the count twice, with separators).
DONE = re.compile(r"(\d{1,3}(?:,\d{3})*) / \1 100%")
#: The commands whose help is Django's own (their options pass through).
PASS_THROUGH = {"migrate", "createsuperuser", "manage"}


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command of the command line, sub-commands included, as its words."""
    for name, command in group.commands.items():
        if name in PASS_THROUGH:
            continue
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))


def test_every_help_is_clean() -> None:
    group = typer.main.get_command(app)
    seen = 0
    for words in [(), *commands(group)]:
        result = runner.invoke(app, [*words, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (words, result.output)
        found = re.findall(r"<(?:bool|str|int|float|path|file|datetime)>|`", result.output)
        assert not found, (words, found, result.output)
        seen += 1
    assert seen > 30


def test_a_flag_shows_no_type_and_a_value_shows_a_word() -> None:
    shown = " ".join(
        runner.invoke(app, ["import", "--help"], env={"COLUMNS": "200"}).output.split()
    )
    assert "--dry-run Validate" in shown
    assert "--mapping -m PATH" in shown


def bar_done(output: str) -> list[str]:
    return [f"{n}" for n in DONE.findall(output)]


@pytest.mark.django_db
def test_generate_shows_each_stage_with_its_total() -> None:
    result = runner.invoke(
        app, ["generate", "--persons", "1200", "--transfers", "1500"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "2,700 / 2,700 100%" in result.output  # persons and transfers generated
    assert "left" in result.output
    assert re.search(r"screening .*?(\d[\d,]*) / \1 100%", result.output)
    assert re.search(r"1,[0-9]{3} pending transfers", result.output)


@pytest.mark.django_db
def test_load_rescreen_and_release_show_their_progress(
    seed_world_path: Path, tmp_path: Path
) -> None:
    wide = {"COLUMNS": "200"}
    loaded = runner.invoke(app, ["load", str(seed_world_path)], env=wide)
    assert loaded.exit_code == 0, loaded.output
    assert "loading" in loaded.output and bar_done(loaded.output)
    rescreened = runner.invoke(app, ["rescreen", "--all"], env=wide)
    assert rescreened.exit_code == 0, rescreened.output
    assert re.search(r"re-screening .*?(\d+) / \1 100%", rescreened.output)
    released = runner.invoke(
        app,
        ["release", "--from", "2025-01-01", "--to", "2025-12-31", "-o", str(tmp_path)],
        env=wide,
    )
    assert released.exit_code == 0, released.output
    assert re.search(r"wrote report\.html .*?(\d+) / \1 100%", released.output)


@pytest.mark.django_db
def test_import_shows_rows_read_against_the_total(seed_world_path: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["load", str(seed_world_path)]).exit_code == 0
    mapping = tmp_path / "roster.toml"
    mapping.write_text(
        '[columns."Person ID"]\nfact = "person.ref"\n[columns."Name"]\nfact = "person.names"\n',
        encoding="utf-8",
    )
    sheet = tmp_path / "roster.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Person ID", "Name"])
        writer.writerows([f"P-9{n:04d}", f"Person {n}"] for n in range(1200))
    result = runner.invoke(app, ["import", str(sheet), "-m", str(mapping)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "1,200 rows, 1,200 valid" in result.output
    assert "persons: 1,200 created" in result.output


@pytest.mark.django_db
def test_statistics_headers_are_words_and_numbers_have_separators(
    seed_world_path: Path,
) -> None:
    assert runner.invoke(app, ["load", str(seed_world_path)]).exit_code == 0
    result = runner.invoke(app, ["statistics", "--format", "table"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", result.output), result.output
    assert "Payments not converted" in result.output
    assert "Transfers by status and verdict" in result.output
    assert re.search(r"\d{1,3},\d{3},\d{3}\.\d{2}", result.output)  # amounts


def test_generating_reports_progress_up_to_its_total() -> None:
    reports: list[tuple[int, int]] = []
    generate_world(
        25_000, 20_000, seed=2, progress=lambda done, total: reports.append((done, total))
    )
    assert {total for _, total in reports} == {45_000}
    done = [d for d, _ in reports]
    assert done[0] == 0 and done[-1] == 45_000 and done == sorted(done)
    assert len(reports) >= 5
    assert generate_world(300, seed=1) == generate_world(300, seed=1, progress=print)

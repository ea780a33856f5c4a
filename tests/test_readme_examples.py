"""The README's own examples, run against the demo world (what ``serve --demo`` prepares: the
example world loaded and screened, one account per role): every command line of its shell
examples, its people-search example and its Python example.

Every command line of the README is run here, in the README's order and in a folder holding
the example world as ``world.json``, unless ``NOT_RUN`` lists it with the reason: a new
example is run as soon as the README holds it, and an entry of ``NOT_RUN`` the README no
longer holds fails the first test.
"""

from __future__ import annotations

import re
import shlex
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from typer.testing import CliRunner

from thirdcountry import screen_file
from thirdcountry.cli.main import app
from thirdcountry.cli.options import example_path
from thirdcountry.cli.serve import prepare_demo

README = Path(__file__).resolve().parents[1] / "README.md"

#: Command lines not run here, with the reason.
NOT_RUN = {
    "thirdcountry serve --demo": "starts a server until stopped (tests/test_web_serve.py)",
    "thirdcountry serve --demo --port 8080": "starts a server until stopped",
    "thirdcountry serve": "starts a server until stopped",
    "thirdcountry createsuperuser": "asks for a password at the terminal",
    "thirdcountry import roster.xlsx --mapping roster.toml --dry-run": "a site's own roster",
    "thirdcountry import roster.xlsx --mapping roster.toml": "a site's own roster",
    "thirdcountry import roster.xlsx --mapping roster.toml --skip-invalid": "a site's own roster",
    "thirdcountry merge P-101 P-901": "P-901 is a record a roster import brings",
    "thirdcountry unmerge 1": "undoes the merge above",
    "thirdcountry worker": "waits for queued runs until stopped",
    "thirdcountry generate --persons 1000000 --transfers 1000000": "minutes of work "
    "(tests/test_synthetic.py generates small populations)",
}


def readme_commands() -> list[str]:
    """Every ``thirdcountry`` command line of the README's shell examples, in order, without
    its comment (``cat world.json | thirdcountry check -`` as written)."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(), re.S):
        for line in block.splitlines():
            if line.lstrip().startswith("#"):
                continue
            for piece in line.split(" #", 1)[0].split("&&"):
                command = piece.strip().removeprefix(".venv/bin/")
                if re.match(r"(cat world\.json \| )?thirdcountry ", command):
                    found.append(command)
    return found


def test_every_readme_command_is_run_here_or_says_why_not() -> None:
    commands = readme_commands()
    assert "thirdcountry check world.json --explain T-105" in commands
    assert set(NOT_RUN) <= set(commands), set(NOT_RUN) - set(commands)


def _arguments(command: str) -> tuple[list[str], str | None]:
    """The arguments of a README command line and what it reads on standard input; an
    optional argument written ``[--head HASH]`` is left out."""
    command = re.sub(r"\s*\[[^\]]*\]", "", command)
    stdin = None
    if command.startswith("cat world.json | "):
        command = command.removeprefix("cat world.json | ")
        stdin = Path("world.json").read_text()
    return shlex.split(command)[1:], stdin


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo world in the database, and a folder holding it as ``world.json`` (and its
    scenario@2 counterpart, the package's other example, as ``world-2.json``)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    prepare_demo(tmp_path / "unused.sqlite3")
    shutil.copy(example_path(), tmp_path / "world.json")
    shutil.copy(example_path().with_name("seed-world-2.json"), tmp_path / "world-2.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the demo is an SQLite database of its own (serve --demo), which it switches to",
)
@pytest.mark.django_db
def test_every_readme_command_works_on_the_demo_world(demo: Path) -> None:
    runner = CliRunner()
    failed = []
    for command in readme_commands():
        if command in NOT_RUN:
            continue
        arguments, stdin = _arguments(command)
        result = runner.invoke(app, arguments, input=stdin)
        if result.exit_code != 0:
            failed.append(f"{command}: exit {result.exit_code}\n{result.output[-800:]}")
    assert not failed, "\n\n".join(failed)
    assert (demo / "world-now.json").exists() and (demo / "audit.jsonl").exists()
    assert any((demo / "release").iterdir())


@pytest.mark.django_db
def test_the_readme_search_example_finds_its_spelling_variant_in_the_demo(demo: Path) -> None:
    readme = README.read_text()
    query, variant = re.search(r'\("(\w+)" finds "(\w+)"\)', readme).groups()  # type: ignore[union-attr]
    client = Client()
    client.force_login(User.objects.get(username="caseworker"))
    page = client.get("/people/", {"q": query}).content.decode()
    assert variant in page
    assert "P-107" in page


def test_the_readme_python_example_holds_on_the_example_world(tmp_path: Path) -> None:
    world = tmp_path / "world.json"
    shutil.copy(example_path(), world)
    screening = screen_file(str(world))
    assert screening.counts() == {"clear": 1, "review": 1, "blocked": 5}
    verdict = screening.verdict("T-105")
    assert verdict.verdict == "blocked"
    assert verdict.not_passing["written-notice"] == "blocked"
    notice = verdict.finding("written-notice")
    assert notice.code == "written-notice.not-understood"
    assert notice.params["served"] in ("2025-09-01", date(2025, 9, 1))
    assert notice.reason.startswith("notice served 2025-09-01 is in English")
    readme = README.read_text()
    for shown in (
        '{"clear": 1, "review": 1, "blocked": 5}',
        '"written-notice.not-understood"',
        '"notice served 2025-09-01 is in English',
    ):
        assert shown in readme

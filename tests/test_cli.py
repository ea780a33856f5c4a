"""``thirdcountry check`` as people and programs use it: a table on request, JSON when piped,
one transfer explained with every rule and its legal basis, standard input with ``-``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from thirdcountry import screen_file
from thirdcountry.rules.catalogs import catalog

#: The catalog these tests hold the rules of.
CATALOG = catalog("2026.1")


def thirdcountry(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command (standard output is a pipe, not a terminal), wide enough that
    rich does not wrap its tables."""
    return subprocess.run(
        [sys.executable, "-m", "thirdcountry", *args],
        input=None if stdin is None else stdin.decode(),
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )


def squeeze(text: str) -> str:
    """Text with every run of whitespace (and rich's table borders) as one space."""
    return " ".join(text.replace("│", " ").split())


def test_table_shows_each_transfer_and_its_verdict(
    seed_world_path: Path, seed_world_expected: dict[str, Any]
) -> None:
    run = thirdcountry("check", str(seed_world_path), "--format", "table")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    for expected in seed_world_expected["expected"]:
        row = next(line for line in lines if f" {expected['transfer']} " in line)
        assert expected["verdict"] in row.split(), row
        for rule, outcome in expected["not_passing"].items():
            assert f"{rule} ({outcome})" in squeeze(run.stdout)
    assert "T-100" not in run.stdout  # executed: not screened
    assert "2025-09-01" in run.stdout and CATALOG.version in run.stdout


def test_explain_as_a_table_shows_every_rule_with_its_reason_and_basis(
    seed_world_path: Path,
) -> None:
    run = thirdcountry("check", str(seed_world_path), "--explain", "T-105", "--format", "table")
    assert run.returncode == 0, run.stderr
    shown = squeeze(run.stdout)
    assert "Transfer T-105: blocked" in shown
    verdict = screen_file(seed_world_path).verdict("T-105")
    assert verdict.facts_sha256 in shown
    for number, (rule, finding) in enumerate(zip(CATALOG.rules, verdict.findings, strict=True), 1):
        assert f"{number}. {rule.id} {finding.outcome}" in shown
        assert squeeze(finding.reason) in shown
        assert squeeze(f"basis: {rule.basis}") in shown


def test_piped_output_is_the_verdicts_document(
    seed_world_path: Path, seed_world_expected: dict[str, Any]
) -> None:
    run = thirdcountry("check", str(seed_world_path))
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["format"] == "thirdcountry/verdicts@1"
    assert [r["transfer"] for r in document["results"]] == [
        e["transfer"] for e in seed_world_expected["expected"]
    ]
    assert document == screen_file(seed_world_path).to_document()


def test_piped_explain_is_one_result(seed_world_path: Path) -> None:
    run = thirdcountry("check", str(seed_world_path), "--explain", "T-101")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["transfer"] == "T-101" and result["verdict"] == "clear"
    assert set(result) == {"transfer", "verdict", "facts_sha256", "findings"}


def test_dash_reads_standard_input(seed_world_path: Path) -> None:
    run = thirdcountry("check", "-", "--format", "json", stdin=seed_world_path.read_bytes())
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == screen_file(seed_world_path).to_document()


def test_as_of_overrides_the_files_date(seed_world_path: Path) -> None:
    """On 2025-06-01 the injunction on US-LY transfers (issued 2025-05-07, lifted 2025-06-23)
    is in effect, so T-106 is blocked by the court-order rule too."""
    run = thirdcountry("check", str(seed_world_path), "--as-of", "2025-06-01", "--format", "json")
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["as_of"] == "2025-06-01"
    t106 = next(r for r in document["results"] if r["transfer"] == "T-106")
    court = next(f for f in t106["findings"] if f["rule"] == "court-order")
    assert court["outcome"] == "blocked"
    assert "DMASS-2025-05-07-LY" in court["reason"]


def test_rules_lists_every_reason_code_in_either_language() -> None:
    english = json.loads(thirdcountry("rules", "--format", "json").stdout)
    french = json.loads(thirdcountry("rules", "--format", "json", "--language", "fr").stdout)
    codes = [r["code"] for rule in english["rules"] for r in rule["reasons"]]
    assert "written-notice.not-understood" in codes and len(codes) == len(set(codes))
    notice = next(rule for rule in french["rules"] if rule["id"] == "written-notice")
    reason = next(r for r in notice["reasons"] if r["code"] == "written-notice.not-understood")
    assert reason["params"] == {"served": "date", "language": "language", "languages": "languages"}
    assert "{language}" in reason["template"] and "notification" in reason["template"]
    listed = thirdcountry("rules", "--reasons").stdout
    assert "written-notice.not-understood" in listed

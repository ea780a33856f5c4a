"""The example world gives exactly the expected verdicts (SCENARIO.md's contract)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from thirdcountry import screen_file
from thirdcountry.rules.catalogs import catalog

#: The catalog these tests hold the rules of.
CATALOG = catalog("2026.1")


def test_every_transfer_gets_its_expected_verdict_and_findings(
    seed_world_path: Path, seed_world_expected: dict[str, Any]
) -> None:
    screening = screen_file(seed_world_path)
    assert screening.as_of.isoformat() == seed_world_expected["as_of"]
    assert [v.transfer for v in screening] == [
        e["transfer"] for e in seed_world_expected["expected"]
    ]
    for expected in seed_world_expected["expected"]:
        verdict = screening.verdict(expected["transfer"])
        assert verdict.verdict == expected["verdict"], expected["transfer"]
        assert verdict.not_passing == expected["not_passing"], expected["transfer"]
        assert [f.rule for f in verdict.findings] == list(CATALOG.ids)


def test_check_json_is_the_verdicts_document(
    seed_world_path: Path, seed_world_expected: dict[str, Any]
) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "thirdcountry", "check", str(seed_world_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    document = json.loads(run.stdout)
    assert set(document) == {"format", "as_of", "catalog", "results"}
    assert document["format"] == "thirdcountry/verdicts@1"
    assert document["catalog"] == "2026.1"
    assert document["as_of"] == "2025-09-01"
    for result, expected in zip(document["results"], seed_world_expected["expected"], strict=True):
        assert set(result) == {"transfer", "verdict", "facts_sha256", "findings"}
        assert result["transfer"] == expected["transfer"]
        assert result["verdict"] == expected["verdict"]
        assert len(result["facts_sha256"]) == 64
        not_passing = {
            f["rule"]: f["outcome"] for f in result["findings"] if f["outcome"] != "pass"
        }
        assert not_passing == expected["not_passing"]
        for finding in result["findings"]:
            assert set(finding) == {"rule", "outcome", "reason", "code", "params", "basis"}
            assert finding["reason"] and finding["basis"]
            assert finding["code"].startswith(f"{finding['rule']}.")


def test_the_example_reasons_name_facts_and_dates(seed_world_path: Path) -> None:
    screening = screen_file(seed_world_path)
    finding = screening.verdict("T-104").finding("arrangement-in-force")
    assert finding.reason == "arrangement GB-RW-2022 is terminated (since 2024-07-06)"
    assert finding.code == "arrangement-in-force.not-in-force"
    assert finding.params == {
        "arrangement": "GB-RW-2022",
        "status": "terminated",
        "since": "2024-07-06",
    }
    assert "ECHR-R39-2022-06-14" in screening.verdict("T-104").finding("court-order").reason
    assert screening.verdict("T-103").finding("arrangement-terms").reason == (
        "arrangement US-RW-2025 requires a served sentence; a sentence ends 2026-01-31, "
        "after the planned date 2025-09-15"
    )

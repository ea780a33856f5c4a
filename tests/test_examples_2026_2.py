"""The public examples of catalog 2026.2, screened by ``thirdcountry check``: each transfer's
verdict and, rule by rule, the outcome and reason code of the expected verdicts@2 file that
ships beside it (the fields those files say are compared; parameters and text are not)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import thirdcountry
from thirdcountry.cli.main import app

EXAMPLES = Path(thirdcountry.__file__).parent / "examples"


def compared(document: dict[str, Any]) -> dict[str, Any]:
    """What the expected files compare: the header, and per transfer its verdict and each
    finding's rule, outcome and reason code."""
    return {
        "format": document["format"],
        "as_of": document["as_of"],
        "catalog": document["catalog"],
        "catalog_data": document["catalog_data"],
        "results": [
            {
                "transfer": result["transfer"],
                "verdict": result["verdict"],
                "findings": [
                    (f["rule"], f["outcome"], f["reason"]["code"]) for f in result["findings"]
                ],
            }
            for result in document["results"]
        ],
    }


@pytest.mark.parametrize("example", ["seed-world-2", "edge-cases-2"])
def test_check_gives_the_published_verdicts(example: str) -> None:
    run = CliRunner().invoke(
        app,
        ["check", str(EXAMPLES / f"{example}.json"), "--catalog", "2026.2", "--format", "json"],
    )
    assert run.exit_code == 0, run.output
    expected = json.loads((EXAMPLES / f"{example}.expected.json").read_text(encoding="utf-8"))
    assert compared(json.loads(run.stdout)) == compared(expected)

"""The screening benchmark's contenders (a plain Python loop and DuckDB SQL of catalog 2026.1,
in ``bench/contenders``) give the project's outcome and reason code for every rule of every
proposed transfer, so their figures are those of the same work."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings

import thirdcountry
from strategies import scenario_documents
from thirdcountry import screen_file
from thirdcountry.rules.catalogs import catalog
from thirdcountry.scenario.synthetic import generate_world
from thirdcountry.scenario.write import scenario_to_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from contenders import agreement, duckdb_sql, loop

SEED_WORLD = Path(thirdcountry.__file__).parent / "examples" / "seed-world.json"
#: Arrangements of the synthetic worlds: one excludes nationals of its receiving state, one
#: has a cap.
EXCLUDING, CAPPED = "GB-RW-2022", "US-SV-2025"
SEED_WORLD = Path(thirdcountry.__file__).parent / "examples" / "seed-world.json"
#: Arrangements of the synthetic worlds: one excludes nationals of its receiving state, one
#: has a cap.
EXCLUDING, CAPPED = "GB-RW-2022", "US-SV-2025"
#: The arrangement of the synthetic worlds that excludes nationals of its receiving state.
EXCLUDING = "GB-RW-2022"


def project(path: Path) -> pl.DataFrame:
    return agreement.project_findings(screen_file(path).table)


def by_loop(path: Path) -> pl.DataFrame:
    return agreement.loop_findings(loop.screen(loop.read(path)))


def by_sql(path: Path) -> pl.DataFrame:
    connection = duckdb_sql.connect()
    try:
        duckdb_sql.load(connection, path)
        return agreement.sql_findings(duckdb_sql.screen(connection))
    finally:
        connection.close()


CONTENDERS = {"loop": by_loop, "duckdb": by_sql}


def synthetic_document(transfers: int, seed: int) -> dict[str, Any]:
    """A generated world, edited so that it gives every reason of the catalog: a proposed
    transfer of a national its arrangement excludes, a person whose fear of the destination
    has been recognised, and an arrangement whose executed transfers have reached its cap
    (a small generated world has none of these)."""
    document: dict[str, Any] = json.loads(scenario_to_json(generate_world(transfers, seed=seed)))
    persons = {p["ref"]: p for p in document["persons"]}
    proposed = [t for t in document["transfers"] if t.get("status", "proposed") == "proposed"]

    excluded = next(t for t in proposed if t.get("arrangement") == EXCLUDING)
    persons[excluded["person"]]["nationalities"] = ["RW", "SD"]

    feared = next(t for t in proposed if persons[t["person"]].get("fear_claims") == [])
    persons[feared["person"]]["fear_claims"] = [
        {"country": feared["destination"], "status": "recognised"}
    ]

    capped = next(a for a in document["arrangements"] if a["ref"] == CAPPED)
    capped["cap"] = sum(
        t.get("arrangement") == CAPPED and t.get("status") == "executed"
        for t in document["transfers"]
    )
    return document


@pytest.fixture(scope="module")
def synthetic_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("worlds") / "synthetic.json"
    path.write_text(json.dumps(synthetic_document(3_000, seed=5)))
    return path


@pytest.fixture(scope="module", params=["seed world", "synthetic world"])
def world(request: pytest.FixtureRequest, synthetic_world: Path) -> Path:
    return SEED_WORLD if request.param == "seed world" else synthetic_world


@pytest.fixture(scope="module")
def expected(world: Path) -> pl.DataFrame:
    return project(world)


@pytest.mark.parametrize("contender", list(CONTENDERS))
def test_contender_agrees_with_the_project_finding_by_finding(
    contender: str, world: Path, expected: pl.DataFrame
) -> None:
    found = agreement.compare(expected, CONTENDERS[contender](world))
    assert found.examples == ()
    assert found.agree
    assert found.findings == expected.height * 17 > 0


def test_the_synthetic_world_gives_every_reason_of_the_catalog(synthetic_world: Path) -> None:
    """So the agreement above covers every branch of every rule."""
    table = project(synthetic_world)
    given_reasons = {
        f"{rule}.{value.split(' ', 1)[1]}"
        for rule in loop.RULES
        for value in table[rule].unique().to_list()
    }
    assert given_reasons == {r.code for rule in catalog("2026.1").rules for r in rule.reasons}


def test_a_changed_finding_is_a_disagreement(expected: pl.DataFrame) -> None:
    changed = expected.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("pass no-order"))
        .otherwise(pl.lit("blocked order-in-effect"))
        .alias("court-order")
    )
    found = agreement.compare(expected, changed)
    original = expected["court-order"].to_list()
    wrong = sum(want != got for want, got in zip(original, changed["court-order"], strict=True))
    assert found.disagreements == wrong > 0
    assert not found.agree
    assert all("court-order" in example for example in found.examples)


def test_another_set_of_transfers_is_a_disagreement(expected: pl.DataFrame) -> None:
    found = agreement.compare(expected, expected.slice(1))
    assert not found.agree


@settings(deadline=None, max_examples=25)
@given(document=scenario_documents())
def test_contenders_agree_on_any_valid_world(
    document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("world") / "world.json"
    path.write_text(json.dumps(document))
    expected = project(path)
    for contender in CONTENDERS.values():
        found = agreement.compare(expected, contender(path))
        assert found.examples == ()

"""Synthetic worlds are valid, deterministic, realistic enough to screen, and fast to make."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from thirdcountry.scenario.model import UNKNOWN, Scenario
from thirdcountry.scenario.parse import parse_scenario
from thirdcountry.scenario.synthetic import DEFAULT_AS_OF, generate_world
from thirdcountry.scenario.write import scenario_to_document
from thirdcountry.screening import screen_scenario

PERSON_FACTS = (
    "birth_date",
    "nationalities",
    "languages",
    "accompanied",
    "identity_verified",
    "asylum_claim",
    "fear_claims",
    "removal_decision",
    "convictions",
    "family_in_sending_country",
    "fit_to_travel",
)


@pytest.mark.parametrize(("transfers", "seed"), [(0, 0), (1, 0), (7, 1), (60, 2), (400, 3)])
def test_a_world_is_valid_and_survives_a_round_trip(transfers: int, seed: int) -> None:
    world = generate_world(transfers, seed=seed)
    assert parse_scenario(scenario_to_document(world)) == world
    assert len(world.transfers) == transfers


@pytest.mark.parametrize("persons", [1, 5, 800])
def test_any_number_of_persons_is_valid(persons: int) -> None:
    world = generate_world(200, persons=persons, seed=5)
    assert len(world.persons) == persons
    assert parse_scenario(scenario_to_document(world)) == world


def test_a_seed_always_gives_the_same_world() -> None:
    assert generate_world(300, seed=11) == generate_world(300, seed=11)
    assert generate_world(300, seed=11) != generate_world(300, seed=12)


def test_refs_and_defaults() -> None:
    world = generate_world(50)
    assert world.as_of == DEFAULT_AS_OF
    assert world.persons[0].ref == "P-000001"
    assert world.transfers[0].ref == "T-000001"
    assert len(world.persons) == 45


def test_a_world_needs_a_person_for_its_transfers() -> None:
    with pytest.raises(ValueError):
        generate_world(10, persons=0)
    assert generate_world(0, persons=0).persons == ()


def test_unknown_facts_have_realistic_shares() -> None:
    world = generate_world(5000, seed=1)
    for fact in PERSON_FACTS:
        share = sum(getattr(p, fact) is UNKNOWN for p in world.persons) / len(world.persons)
        assert 0.02 <= share <= 0.35, fact
    assert any(p.removal_decision is None for p in world.persons)
    assert any(p.convictions == () for p in world.persons)
    assert any(p.fear_claims for p in world.persons if p.fear_claims is not UNKNOWN)
    assert any(len(p.names) > 1 for p in world.persons)
    assert any(t.notice is None for t in world.transfers)
    statuses = Counter(t.status for t in world.transfers)
    assert statuses["proposed"] > statuses["executed"] > 0
    assert statuses["cancelled"] > 0


def test_names_come_in_several_scripts() -> None:
    names = " ".join(n for p in generate_world(3000, seed=2).persons for n in p.names)
    for sample in ("م", "Д", "ተ", "a"):  # Arabic, Cyrillic, Ge'ez, Latin
        assert sample in names


def test_court_orders_of_every_scope_some_lifted() -> None:
    world = generate_world(1000)
    kinds = Counter(o.scope.kind for o in world.court_orders)
    assert set(kinds) == {"person", "arrangement", "pair", "sending"}
    assert any(o.lifted is not None for o in world.court_orders)
    assert any(o.lifted is None for o in world.court_orders)


def _screen_counts(world: Scenario) -> dict[str, int]:
    return screen_scenario(world).counts()


def test_the_verdicts_are_mixed() -> None:
    counts = _screen_counts(generate_world(2000, seed=0))
    total = sum(counts.values())
    for verdict in ("clear", "review", "blocked"):
        assert counts[verdict] >= total * 0.02, counts


def test_a_cap_binds_in_a_large_world() -> None:
    world = generate_world(20_000)
    caps = {a.ref: a.cap for a in world.arrangements}
    executed = Counter(t.arrangement for t in world.transfers if t.status == "executed")
    binding = [ref for ref, cap in caps.items() if cap is not None and executed[ref] >= cap]
    open_caps = [ref for ref, cap in caps.items() if cap is not None and executed[ref] < cap]
    assert binding and open_caps


def test_twenty_thousand_transfers_take_under_five_seconds() -> None:
    start = time.perf_counter()
    generate_world(20_000, seed=3)
    assert time.perf_counter() - start < 5

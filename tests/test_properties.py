"""Properties of screening over generated worlds (see :mod:`strategies`).

- batching never changes a result;
- forgetting a (u) fact never turns a rule that reads it from ``review``/``blocked`` into
  ``pass``, and leaves every other rule's finding as it was;
- the order of lists in the file does not matter (except the order of equal-dated status
  changes and assessments, which SCENARIO.md gives a meaning);
- writing a parsed scenario back out and reading it again gives the same scenario;
- a rule reads nothing but the facts columns it declares in ``reads``.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
from collections.abc import Callable, Iterable
from typing import Any, Final

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from strategies import (
    PERSON_FACTS,
    TRANSFER_FACTS,
    Document,
    proposed_refs,
    scenario_documents,
)
from thirdcountry import Screening, parse_scenario, screen_scenario
from thirdcountry.rules import build_facts, catalog, tables_from_scenario
from thirdcountry.rules.catalog_2026_1.protection import coming_of_age, under_age_on
from thirdcountry.rules.facts import IDENTITY_COLUMNS
from thirdcountry.scenario.model import Scenario
from thirdcountry.scenario.write import scenario_to_document

#: The catalog these tests hold the rules of.
CATALOG = catalog("2026.1")

SETTINGS: Final = {"deadline": None}

#: The facts-table columns each (u) key of a scenario feeds. ``sentence_end`` is the key of
#: one conviction inside ``convictions``.
FACT_COLUMNS: Final[dict[str, frozenset[str]]] = {
    "birth_date": frozenset({"birth_date"}),
    "nationalities": frozenset({"nationalities"}),
    "languages": frozenset({"languages"}),
    "accompanied": frozenset({"accompanied"}),
    "identity_verified": frozenset({"identity_verified"}),
    "asylum_claim": frozenset({"asylum_claim"}),
    "fear_claims": frozenset({"fear_recognised", "fear_pending"}),
    "removal_decision": frozenset(
        {
            "removal_decision_recorded",
            "removal_decision_date",
            "removal_decision_final",
            "appeal_deadline",
            "appeal_pending",
        }
    ),
    "convictions": frozenset({"sentence_ends"}),
    "sentence_end": frozenset({"sentence_ends"}),
    "family_in_sending_country": frozenset({"family_in_sending_country"}),
    "fit_to_travel": frozenset({"fit_to_travel"}),
    "accepted_by_receiving": frozenset({"accepted_by_receiving"}),
    "notice": frozenset(
        {"notice_recorded", "notice_served", "notice_language", "notice_names_destination"}
    ),
}

SEVERITY: Final = {"pass": 0, "clear": 0, "review": 1, "blocked": 2}


def screen(document: Document) -> Screening:
    return screen_scenario(parse_scenario(document))


def results_by_ref(screening: Screening) -> dict[str, dict[str, Any]]:
    """Each result (verdict, facts_sha256, findings with reasons) keyed by transfer ref."""
    return {v.transfer: v.to_dict() for v in screening}


def facts_of(document: Document) -> pl.DataFrame:
    scenario = parse_scenario(document)
    assert scenario.as_of is not None
    return build_facts(tables_from_scenario(scenario), scenario.as_of, scenario.parameters)


# -- batching ---------------------------------------------------------------------------------


def world_of_one(document: Document, ref: str) -> Document:
    """The smallest world that holds everything transfer ``ref`` is screened on: its person,
    its arrangement, every country and court order (with the persons and arrangements the
    orders name) and the executed transfers under its arrangement (they count towards its
    cap), with the persons those transfers move."""
    transfer = next(t for t in document["transfers"] if t["ref"] == ref)
    under = transfer.get("arrangement")
    kept = [
        t
        for t in document["transfers"]
        if t["ref"] == ref
        or (under is not None and t.get("arrangement") == under and t.get("status") == "executed")
    ]
    scopes = [o["scope"] for o in document["court_orders"]]
    person_refs = {t["person"] for t in kept} | {s["person"] for s in scopes if "person" in s}
    arrangement_refs = {t["arrangement"] for t in kept if t.get("arrangement")} | {
        s["arrangement"] for s in scopes if "arrangement" in s
    }
    return {
        **document,
        "persons": [p for p in document["persons"] if p["ref"] in person_refs],
        "arrangements": [a for a in document["arrangements"] if a["ref"] in arrangement_refs],
        "transfers": kept,
    }


@settings(max_examples=30, **SETTINGS)
@given(scenario_documents())
def test_batching_never_changes_a_result(document: Document) -> None:
    refs = proposed_refs(document)
    assume(refs)
    together = results_by_ref(screen(document))
    assert list(together) == refs
    for ref in refs:
        alone = results_by_ref(screen(world_of_one(document, ref)))
        assert list(alone) == [ref]
        assert alone[ref] == together[ref]


def test_a_world_of_one_keeps_what_the_screening_reads() -> None:
    """The helper above, on a hand-made world: orders keep their referents and the executed
    transfers under the arrangement come along."""
    document: Document = {
        "format": "thirdcountry/scenario@1",
        "as_of": "2025-06-01",
        "arrangements": [
            {"ref": "A-1", "sending": "US", "receiving": "RW", "cap": 1},
            {"ref": "A-2", "sending": "US", "receiving": "SV"},
        ],
        "court_orders": [
            {
                "ref": "O-1",
                "kind": "stay",
                "issuer": "a court",
                "issued": "2025-01-01",
                "scope": {"arrangement": "A-2"},
            }
        ],
        "persons": [{"ref": f"P-{i}", "names": ["X"]} for i in range(3)],
        "transfers": [
            {"ref": "T-0", "person": "P-0", "sending": "US", "destination": "RW",
             "arrangement": "A-1", "planned_date": "2025-07-01"},
            {"ref": "T-1", "person": "P-1", "sending": "US", "destination": "RW",
             "arrangement": "A-1", "planned_date": "2025-01-01", "status": "executed"},
            {"ref": "T-2", "person": "P-2", "sending": "US", "destination": "SV",
             "arrangement": "A-2", "planned_date": "2025-07-01"},
        ],
    }  # fmt: skip
    alone = world_of_one(document, "T-0")
    assert [t["ref"] for t in alone["transfers"]] == ["T-0", "T-1"]
    assert [p["ref"] for p in alone["persons"]] == ["P-0", "P-1"]
    assert [a["ref"] for a in alone["arrangements"]] == ["A-1", "A-2"]
    assert screen(alone).verdict("T-0").finding("arrangement-cap").outcome == "blocked"


# -- forgetting a fact ------------------------------------------------------------------------

Forget = tuple[str, int, str, int | None]


def forgettable(document: Document) -> list[Forget]:
    """Every (u) fact the document records: (section, index, key, conviction index)."""
    found: list[Forget] = []
    for i, person in enumerate(document["persons"]):
        found += [("persons", i, key, None) for key in PERSON_FACTS if key in person]
        for j, conviction in enumerate(person.get("convictions") or []):
            if "sentence_end" in conviction:
                found.append(("persons", i, "sentence_end", j))
    for i, transfer in enumerate(document["transfers"]):
        found += [("transfers", i, key, None) for key in TRANSFER_FACTS if key in transfer]
    return found


def forget(document: Document, fact: Forget) -> Document:
    section, index, key, conviction = fact
    changed = copy.deepcopy(document)
    entry = changed[section][index]
    if conviction is None:
        del entry[key]
    else:
        del entry["convictions"][conviction][key]
    return changed


def test_the_fact_map_names_facts_columns_and_every_u_key() -> None:
    assert set(FACT_COLUMNS) == {*PERSON_FACTS, *TRANSFER_FACTS, "sentence_end"}
    facts = facts_of({"format": "thirdcountry/scenario@1", "as_of": "2025-06-01", "transfers": []})
    for columns in FACT_COLUMNS.values():
        assert columns <= set(facts.columns)


@settings(max_examples=60, **SETTINGS)
@given(scenario_documents(), st.data())
def test_forgetting_a_fact_never_makes_a_rule_pass(document: Document, data: st.DataObject) -> None:
    candidates = forgettable(document)
    assume(candidates and proposed_refs(document))
    fact = data.draw(st.sampled_from(candidates), label="forgotten")
    forgotten = forget(document, fact)
    columns = FACT_COLUMNS[fact[2]]

    # The map above is right: forgetting the key changes no other facts column.
    before_facts, after_facts = facts_of(document), facts_of(forgotten)
    changed = {
        c
        for c in before_facts.columns
        if not before_facts[c].equals(after_facts[c], check_names=True, null_equal=True)
    }
    assert changed <= columns

    before, after = screen(document), screen(forgotten)
    for old, new in zip(before, after, strict=True):
        assert old.transfer == new.transfer
        assert not (old.verdict != "clear" and new.verdict == "clear")
        for rule, was, now in zip(CATALOG.rules, old.findings, new.findings, strict=True):
            if columns & set(rule.reads):
                assert not (was.outcome != "pass" and now.outcome == "pass"), (rule.id, was, now)
            else:
                assert (now.outcome, now.reason) == (was.outcome, was.reason), rule.id


# -- order of lists ---------------------------------------------------------------------------


def shuffled(entries: list[Any], rnd: random.Random) -> list[Any]:
    out = list(entries)
    rnd.shuffle(out)
    return out


def shuffled_keeping_ties(entries: list[Document], rnd: random.Random) -> list[Document]:
    """Entries in a random order of their dates; entries of one date keep their order (on
    equal dates, the later entry in the list wins)."""
    dates = sorted({e["date"] for e in entries})
    rnd.shuffle(dates)
    rank = {day: i for i, day in enumerate(dates)}
    return sorted(entries, key=lambda e: rank[e["date"]])


def permuted(document: Document, rnd: random.Random) -> Document:
    """The same world with every list whose order carries no meaning shuffled."""
    out = copy.deepcopy(document)
    for section in ("countries", "arrangements", "court_orders", "persons", "transfers"):
        out[section] = shuffled(out[section], rnd)
    for country in out["countries"]:
        country["assessments"] = shuffled_keeping_ties(country["assessments"], rnd)
    for arrangement in out["arrangements"]:
        for key in ("commitments", "payments"):
            if key in arrangement:
                arrangement[key] = shuffled(arrangement[key], rnd)
        if "status_history" in arrangement:
            arrangement["status_history"] = shuffled_keeping_ties(
                arrangement["status_history"], rnd
            )
        if arrangement.get("terms") and "excluded_nationalities" in arrangement["terms"]:
            terms = arrangement["terms"]
            terms["excluded_nationalities"] = shuffled(terms["excluded_nationalities"], rnd)
    for person in out["persons"]:
        for key in ("nationalities", "languages", "fear_claims", "convictions"):
            if key in person:
                person[key] = shuffled(person[key], rnd)
    return out


def test_shuffling_keeps_equal_dates_in_order() -> None:
    entries = [{"date": d, "n": n} for n, d in enumerate(["b", "a", "b", "c", "a"])]
    for seed in range(20):
        out = shuffled_keeping_ties(entries, random.Random(seed))
        assert sorted(out, key=lambda e: e["n"]) == entries
        for day in "abc":
            assert [e["n"] for e in out if e["date"] == day] == [
                e["n"] for e in entries if e["date"] == day
            ]


@settings(max_examples=40, **SETTINGS)
@given(scenario_documents(), st.randoms(use_true_random=False))
def test_the_order_of_lists_does_not_matter(document: Document, rnd: random.Random) -> None:
    assume(proposed_refs(document))
    assert results_by_ref(screen(permuted(document, rnd))) == results_by_ref(screen(document))


# -- round trip -------------------------------------------------------------------------------


def fact_states(entries: Iterable[Document], keys: Iterable[str]) -> list[dict[str, str]]:
    """For each entry, whether each (u) fact is unknown, none or a value."""

    def state(entry: Document, key: str) -> str:
        if key not in entry:
            return "unknown"
        return "none" if entry[key] in (None, []) else "value"

    keys = tuple(keys)
    return [{key: state(entry, key) for key in keys} for entry in entries]


@settings(max_examples=100, **SETTINGS)
@given(scenario_documents())
def test_writing_and_reading_back_gives_the_same_scenario(document: Document) -> None:
    scenario = parse_scenario(document)
    written = scenario_to_document(scenario)
    again: Scenario = parse_scenario(json.loads(json.dumps(written)))
    assert again == scenario
    assert scenario_to_document(again) == written
    assert fact_states(written["persons"], PERSON_FACTS) == fact_states(
        document["persons"], PERSON_FACTS
    )
    assert fact_states(written["transfers"], TRANSFER_FACTS) == fact_states(
        document["transfers"], TRANSFER_FACTS
    )


# -- what every screening looks like ----------------------------------------------------------


@settings(max_examples=40, **SETTINGS)
@given(scenario_documents())
def test_every_screening_is_well_formed(document: Document) -> None:
    screening = screen(document)
    assert [v.transfer for v in screening] == proposed_refs(document)
    for verdict in screening:
        assert re.fullmatch(r"[0-9a-f]{64}", verdict.facts_sha256)
        assert [f.rule for f in verdict.findings] == list(CATALOG.ids)
        for finding in verdict.findings:
            assert isinstance(finding.reason, str) and finding.reason.strip(), finding
        worst = max(SEVERITY[f.outcome] for f in verdict.findings)
        assert SEVERITY[verdict.verdict] == worst


# -- reads ------------------------------------------------------------------------------------

Perturb = Callable[[pl.Series], pl.Series]
PERTURBATIONS: Final[dict[str, Perturb]] = {
    "nulls": lambda s: pl.Series(s.name, [None] * s.len(), dtype=s.dtype),
    "reversed": lambda s: s.reverse(),
}


@pytest.mark.parametrize("perturbation", PERTURBATIONS)
@settings(max_examples=25, **SETTINGS)
@given(document=scenario_documents())
def test_a_rule_reads_only_what_it_declares(perturbation: str, document: Document) -> None:
    facts = facts_of(document)
    assume(facts.height)
    for rule in CATALOG.rules:
        assert set(rule.reads) <= set(facts.columns), rule.id
        others = [c for c in facts.columns if c not in rule.reads and c not in IDENTITY_COLUMNS]
        changed = facts.with_columns(PERTURBATIONS[perturbation](facts[c]) for c in others)
        expected = facts.select(rule.expression())
        assert changed.select(rule.expression()).equals(expected), rule.id


@st.composite
def days_near_coming_of_age(draw: st.DrawFn) -> tuple[dt.date, dt.date, int]:
    """A birth date, an age and a day within two days of a birthday around that age (where
    being under age changes), or any day."""
    birth = draw(st.dates(dt.date(1900, 1, 1), dt.date(2090, 12, 31)))
    age = draw(st.integers(1, 30))
    if draw(st.booleans()):
        return birth, draw(st.dates(dt.date(1900, 1, 1), dt.date(2130, 12, 31))), age
    year = birth.year + age + draw(st.integers(-1, 1))
    try:
        birthday = birth.replace(year=year)
    except ValueError:  # 29 February, in a year that has none
        birthday = dt.date(year, 3, 1)
    return birth, birthday + dt.timedelta(days=draw(st.integers(-2, 2))), age


@settings(max_examples=300)
@given(st.lists(days_near_coming_of_age(), min_size=1, max_size=50))
def test_under_age_is_before_coming_of_age(rows: list[tuple[dt.date, dt.date, int]]) -> None:
    """The cheaper test of being under age that the rule's conditions use holds exactly when
    the day is before the date the person comes of age, which its findings name."""
    frame = pl.DataFrame(
        rows, schema={"birth_date": pl.Date, "day": pl.Date, "minor_age": pl.Int64}, orient="row"
    )
    result = frame.select(
        under_age_on(pl.col("day")).alias("under"),
        (pl.col("day") < coming_of_age()).alias("before"),
    )
    assert result["under"].to_list() == result["before"].to_list()

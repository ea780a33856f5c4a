"""scenario@2 read and written (SCENARIO.md, "Scenario files: thirdcountry/scenario@2"):
documents are checked beyond their schema and refused whole, each problem by its JSON path;
@1 documents are read as @2 by the published mapping; writing and reading back gives the
same world.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import thirdcountry
from strategies import scenario_documents
from strategies_v2 import scenario_documents_v2
from thirdcountry.scenario import parse_scenario
from thirdcountry.scenario.v2 import (
    UNKNOWN,
    CatalogRows,
    Scenario,
    ScenarioError,
    load_scenario_v2,
    loads_scenario_v2,
    parse_scenario_v2,
    scenario_from_v1,
    scenario_to_document,
    scenario_to_json,
)
from thirdcountry.scenario.v2 import model as v2

DATA: Final = Path(__file__).parent / "data"
#: The examples the package ships (the public ones of the specification).
EXAMPLES: Final = Path(thirdcountry.__file__).parent / "examples"
EXAMPLES_V2: Final = ("seed-world-2.json", "edge-cases-2.json")

Document = dict[str, Any]

#: A value that removes the key it is set to.
ABSENT: Final = object()

#: A small world that uses every section and every kind of reference, and parses.
BASE: Final[Document] = {
    "format": "thirdcountry/scenario@2",
    "as_of": "2025-09-01",
    "parameters": {"minor_age": 18, "notice_floor_days": 10},
    "legal_bases": [
        {"code": "it-reception", "sending": "IT", "title": "Transfer to a reception centre",
         "requires_arrangement": True, "from": "2024-01-01", "to": None, "source": "a statute"},
    ],
    "regimes": [
        {"id": "R-1", "requirement": "notice-days", "value": 7, "force": "binding",
         "source": "a statute", "from": "2025-01-01", "to": "2026-01-01",
         "applies_to": {"sending": "IT", "legal_basis": "it-reception", "class": "C-1"}},
    ],
    "classes": [{"ref": "C-1", "title": "a certified class", "source": "an order"}],
    "designations": [
        {"ref": "D-1", "designating_state": "IT", "country": "AL", "kind": "safe_third_country",
         "from": "2024-01-01", "source": "a decree", "judicial_review": True},
    ],
    "assurances": [
        {"ref": "AS-1", "given_by": "AL", "given_to": "IT", "subject": "both",
         "source": "a note verbale", "binding": False},
    ],
    "countries": [
        {"code": "AL", "assessments": [
            {"date": "2025-01-01", "onward_refoulement_risk": False, "source": "a report",
             "source_kind": "unhcr"}]},
    ],
    "arrangements": [
        {"ref": "A-1", "sending": "IT", "receiving": "AL", "model": "extraterritorial_processing",
         "cap": None, "concurrent_cap": 3000,
         "period_caps": [{"from": "2025-01-01", "to": "2026-01-01", "persons": 36000,
                          "source": "the protocol"}],
         "terms": {"eligible_nationalities": ["BD", "EG"], "excluded_groups": ["minors"]},
         "commitments": ["legal_aid"],
         "status_history": [{"date": "2024-02-21", "status": "in_force", "source": "a law"}],
         "payments": [{"date": "2024-03-01", "amount": "16500000.00", "currency": "EUR",
                       "kind": "paid", "payer": "IT", "payee": "AL"}],
         "on_arrival": {"custody": "immigration_detention"}},
    ],
    "court_orders": [
        {"ref": "O-1", "kind": "order", "issuer": "a court", "issued": "2025-02-01",
         "events": [{"date": "2025-03-01", "kind": "stayed", "by": "a higher court"}],
         "effect": {"conditions": [{"requirement": "interpreter", "value": True},
                                   {"requirement": "reopen-days", "value": 15}]},
         "scope": {"arrangement": "A-1", "person": ["P-1"]}},
    ],
    "persons": [
        {"ref": "P-1", "names": ["A. B."], "languages": ["bn"], "classes": ["C-1"],
         "nationalities": ["BD"],
         "fear_claims": [{"country": "BD", "status": "pending", "raised_on": "2025-08-01"},
                         {"country": "BD", "status": "rejected", "decided_on": "2025-08-20"}]},
    ],
    "transfers": [
        {"ref": "T-1", "person": "P-1", "sending": "IT", "destination": "AL", "arrangement": "A-1",
         "planned_date": "2025-09-10", "legal_basis": "it-reception",
         "designation_relied_on": "D-1", "assurances_relied_on": [{"ref": "AS-1"}],
         "notice": {"served": "2025-08-20"}},
    ],
}  # fmt: skip

_STEP: Final = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def changed(changes: dict[str, Any], base: Document = BASE) -> Document:
    """``base`` with each dotted path (``transfers[0].legal_basis``) set to its value, or
    removed for :data:`ABSENT`; an index one past a list's end appends."""
    document = copy.deepcopy(base)
    for path, value in changes.items():
        steps: list[str | int] = [key if key else int(index) for key, index in _STEP.findall(path)]
        *parents, last = steps
        target: Any = document
        for step in parents:
            target = target[step]
        if value is ABSENT:
            target.pop(last, None)
        elif isinstance(last, int) and last == len(target):
            target.append(copy.deepcopy(value))
        else:
            target[last] = copy.deepcopy(value)
    return document


def problems_of(document: object) -> list[str]:
    """The paths of every problem in ``document``, read as decoded JSON and as text (the two
    readers must agree)."""
    with pytest.raises(ScenarioError) as parsed:
        parse_scenario_v2(document)
    with pytest.raises(ScenarioError) as loaded:
        loads_scenario_v2(json.dumps(document))
    assert parsed.value.problems == loaded.value.problems
    return [str(p) for p in parsed.value.problems]


@dataclass(frozen=True)
class Bad:
    """A scenario@2 document refused: BASE with ``changes``; ``paths`` are exactly the JSON
    paths of its problems, ``message`` is part of one of them."""

    id: str
    paths: tuple[str, ...]
    message: str
    changes: dict[str, Any] = field(default_factory=dict)


def _basis(code: str, sending: str) -> Document:
    return {"code": code, "sending": sending, "title": "t", "requires_arrangement": False,
            "source": "s"}  # fmt: skip


# fmt: off
BAD: Final[list[Bad]] = [
    # -- unique refs, codes and ids -------------------------------------------------------------
    *[
        Bad(f"duplicate {section}", (f"{section}[1].{key}",), "already used by",
            {f"{section}[1]": BASE[section][0]})
        for section, key in (
            ("legal_bases", "code"), ("regimes", "id"), ("classes", "ref"),
            ("designations", "ref"), ("assurances", "ref"), ("countries", "code"),
            ("arrangements", "ref"), ("court_orders", "ref"), ("persons", "ref"),
            ("transfers", "ref"),
        )
    ],
    # -- catalog rows ---------------------------------------------------------------------------
    Bad("a catalog legal basis repeated", ("legal_bases[1].code",),
        '"us-ina-1231" is a legal basis of catalog data 2026.2-r1',
        {"legal_bases[1]": _basis("us-ina-1231", "US")}),
    Bad("a catalog regime repeated", ("regimes[1].id",),
        '"CF-NOTICE-DAYS" is a regime of catalog data 2026.2-r1',
        {"regimes[1]": {**BASE["regimes"][0], "id": "CF-NOTICE-DAYS"}}),
    Bad("a regime id with #", ("regimes[1].id",), '"O-1#1" is not a regime id',
        {"regimes[1]": {**BASE["regimes"][0], "id": "O-1#1"}}),
    Bad("a legal basis code in upper case", ("legal_bases[1].code",),
        '"GB-removal" is not a legal-basis code', {"legal_bases[1]": _basis("GB-removal", "GB")}),
    # -- references -----------------------------------------------------------------------------
    Bad("transfer names no legal basis", ("transfers[0].legal_basis",),
        '"nowhere" names no legal basis, in the scenario or in catalog data 2026.2-r1',
        {"transfers[0].legal_basis": "nowhere"}),
    Bad("selector names no legal basis", ("regimes[0].applies_to.legal_basis[1]",),
        "names no legal basis", {"regimes[0].applies_to.legal_basis": ["it-reception", "zz"]}),
    Bad("selector names no class", ("court_orders[0].scope.class",), '"C-9" names no class',
        {"court_orders[0].scope.class": "C-9"}),
    Bad("person names no class", ("persons[0].classes[1]",), '"C-9" names no class',
        {"persons[0].classes": ["C-1", "C-9"]}),
    Bad("selector names no person", ("court_orders[0].scope.person[1]",),
        '"P-9" names no person', {"court_orders[0].scope.person": ["P-1", "P-9"]}),
    Bad("selector names no arrangement", ("regimes[0].applies_to.arrangement",),
        '"A-9" names no arrangement', {"regimes[0].applies_to.arrangement": "A-9"}),
    Bad("transfer names no designation", ("transfers[0].designation_relied_on",),
        '"D-9" names no designation', {"transfers[0].designation_relied_on": "D-9"}),
    Bad("transfer names no assurance", ("transfers[0].assurances_relied_on[1].ref",),
        '"AS-9" names no assurance',
        {"transfers[0].assurances_relied_on": [{"ref": "AS-1"}, {"ref": "AS-9"}]}),
    Bad("transfer names no arrangement", ("transfers[0].arrangement",),
        '"A-9" names no arrangement', {"transfers[0].arrangement": "A-9"}),
    Bad("transfer names no person", ("transfers[0].person",), '"P-9" names no person',
        {"transfers[0].person": "P-9"}),
    # -- requirement values ---------------------------------------------------------------------
    Bad("notice-days given true", ("regimes[0].value",),
        "true: notice-days takes a whole number of days", {"regimes[0].value": True}),
    Bad("interpreter given a number", ("regimes[0].value",),
        "the number 7: interpreter takes true", {"regimes[0].requirement": "interpreter"}),
    Bad("counsel-access given false", ("regimes[0].value",), "false: counsel-access takes true",
        {"regimes[0].requirement": "counsel-access", "regimes[0].value": False}),
    Bad("condition reopen-days given true", ("court_orders[0].effect.conditions[1].value",),
        "reopen-days takes a whole number of days",
        {"court_orders[0].effect.conditions[1].value": True}),
    Bad("condition interpreter given a number", ("court_orders[0].effect.conditions[0].value",),
        "interpreter takes true", {"court_orders[0].effect.conditions[0].value": 10}),
    Bad("value a string", ("regimes[0].value",),
        '"7" is neither true or false nor a whole number', {"regimes[0].value": "7"}),
    Bad("value negative", ("regimes[0].value",), "below the minimum of 0",
        {"regimes[0].value": -1}),
    # -- periods --------------------------------------------------------------------------------
    Bad("legal basis ends the day it starts", ("legal_bases[0].to",),
        "2024-01-01 is not after from (2024-01-01)", {"legal_bases[0].to": "2024-01-01"}),
    Bad("regime ends before it starts", ("regimes[0].to",), "is not after from",
        {"regimes[0].to": "2024-06-01"}),
    Bad("designation ends before it starts", ("designations[0].to",), "is not after from",
        {"designations[0].to": "2023-12-31"}),
    Bad("period cap ends the day it starts", ("arrangements[0].period_caps[0].to",),
        "is not after from", {"arrangements[0].period_caps[0].to": "2025-01-01"}),
    Bad("period cap without to", ("arrangements[0].period_caps[0].to",), "required key",
        {"arrangements[0].period_caps[0].to": ABSENT}),
    Bad("designation without from", ("designations[0].from",), "required key",
        {"designations[0].from": ABSENT}),
    # -- court orders ---------------------------------------------------------------------------
    Bad("event before the order", ("court_orders[0].events[0].date",),
        "2025-01-31 is before the order was issued (2025-02-01)",
        {"court_orders[0].events[0].date": "2025-01-31"}),
    Bad("lifted in an @2 order", ("court_orders[0].lifted",), "record the lifting as an event",
        {"court_orders[0].lifted": "2025-04-01"}),
    Bad("lifted null in an @2 order", ("court_orders[0].lifted",), "not a scenario@2 key",
        {"court_orders[0].lifted": None}),
    Bad("empty scope", ("court_orders[0].scope",), "scope must not be empty",
        {"court_orders[0].scope": {}}),
    Bad("scope without its key", ("court_orders[0].scope",), "required key",
        {"court_orders[0].scope": ABSENT}),
    Bad("selector with an empty list", ("court_orders[0].scope.person",),
        "must not be empty", {"court_orders[0].scope.person": []}),
    Bad("selector with an unknown key", ("court_orders[0].scope.court",), "unknown key",
        {"court_orders[0].scope.court": "x"}),
    Bad("selector with a bad country in a list", ("regimes[0].applies_to.sending[1]",),
        "ISO 3166-1", {"regimes[0].applies_to.sending": ["IT", "XX"]}),
    Bad("effect a number", ("court_orders[0].effect",),
        'the number 5 is neither "prohibits" nor an object', {"court_orders[0].effect": 5}),
    Bad("effect another word", ("court_orders[0].effect",), '"forbids" is not "prohibits"',
        {"court_orders[0].effect": "forbids"}),
    Bad("tro is a kind, writ is not", ("court_orders[0].kind",), "not one of",
        {"court_orders[0].kind": "writ"}),
    Bad("event of an unknown kind", ("court_orders[0].events[0].kind",), "not one of",
        {"court_orders[0].events[0].kind": "overturned"}),
    # -- transfers against their legal basis and designation ------------------------------------
    Bad("legal basis of another sending state", ("transfers[0].legal_basis",),
        "legal basis gb-removal is GB's, not the sending state IT's",
        {"legal_bases[1]": _basis("gb-removal", "GB"), "transfers[0].legal_basis": "gb-removal"}),
    Bad("catalog legal basis of another sending state", ("transfers[0].legal_basis",),
        "legal basis us-ina-1231 is US's, not the sending state IT's",
        {"transfers[0].legal_basis": "us-ina-1231"}),
    Bad("designation of another state", ("transfers[0].designation_relied_on",),
        "designation D-1 is GB's, not the sending state IT's",
        {"designations[0].designating_state": "GB"}),
    Bad("safe third country not the destination", ("transfers[0].designation_relied_on",),
        "designation D-1 designates RW a safe third country, not the destination AL",
        {"designations[0].country": "RW"}),
    Bad("destination not the arrangement's",
        ("transfers[0].destination", "transfers[0].designation_relied_on"),
        "differs from arrangement A-1's receiving state", {"transfers[0].destination": "RW"}),
    Bad("sending not the arrangement's",
        ("transfers[0].sending", "transfers[0].legal_basis",
         "transfers[0].designation_relied_on"),
        "differs from arrangement A-1's sending state", {"transfers[0].sending": "GB"}),
    # -- persons --------------------------------------------------------------------------------
    Bad("empty languages", ("persons[0].languages",), "must not be empty",
        {"persons[0].languages": []}),
    Bad("decided_on on a pending claim", ("persons[0].fear_claims[0].decided_on",),
        "a pending claim has not been decided",
        {"persons[0].fear_claims[0].decided_on": "2025-08-02"}),
    Bad("protection without granted_by", ("persons[0].protections[0].granted_by",),
        "required key", {"persons[0].protections": [{"kind": "cat", "country": "BD"}]}),
    Bad("null for a (u) boolean", ("persons[0].counsel",), "leave the key out",
        {"persons[0].counsel": None}),
    Bad("null for the known-adult date", ("persons[0].known_adult_on",), "leave the key out",
        {"persons[0].known_adult_on": None}),
    Bad("unknown vulnerability", ("persons[0].vulnerabilities[0]",), "not one of",
        {"persons[0].vulnerabilities": ["old"]}),
    Bad("birth date in the future", ("persons[0].birth_date",), "is in the future",
        {"persons[0].birth_date": "2999-01-01"}),
    # -- arrangements ---------------------------------------------------------------------------
    Bad("empty eligible nationalities", ("arrangements[0].terms.eligible_nationalities",),
        "must not be empty", {"arrangements[0].terms.eligible_nationalities": []}),
    Bad("requires_served_sentence in @2 terms",
        ("arrangements[0].terms.requires_served_sentence",),
        'write criminal_record "required" and/or requires_completed_sentences true',
        {"arrangements[0].terms.requires_served_sentence": True}),
    Bad("concurrent cap of 0", ("arrangements[0].concurrent_cap",), "below the minimum of 1",
        {"arrangements[0].concurrent_cap": 0}),
    Bad("an unknown offence category",
        ("arrangements[0].terms.excluded_offence_categories[0]",), "not one of",
        {"arrangements[0].terms.excluded_offence_categories": ["fraud"]}),
    Bad("arrangement sends to itself",
        ("arrangements[0].receiving", "transfers[0].destination"), "also the sending state",
        {"arrangements[0].receiving": "IT"}),
    Bad("commitment listed twice", ("arrangements[0].commitments",), "listed 2 times",
        {"arrangements[0].commitments": ["legal_aid", "legal_aid"]}),
    # -- parameters, codes, format --------------------------------------------------------------
    Bad("notice_days under its @1 name", ("parameters.notice_days",),
        "write notice_floor_days", {"parameters.notice_days": 10}),
    Bad("minor_age above 30", ("parameters.minor_age",), "above the maximum of 30",
        {"parameters.minor_age": 31}),
    Bad("a user-assigned code other than XK", ("persons[0].nationalities[1]",),
        '"XA" is not an ISO 3166-1 alpha-2 country code or XK (Kosovo)',
        {"persons[0].nationalities": ["XK", "XA"]}),
    Bad("XX as a country", ("countries[0].code",), "or XK (Kosovo)",
        {"countries[0].code": "XX"}),
    Bad("an unknown key in a known object", ("transfers[0].opportunity.colour",),
        "unknown key", {"transfers[0].opportunity": {"colour": "red"}}),
    Bad("a schema problem and a world problem at once",
        ("transfers[0].planned_date", "transfers[0].legal_basis"), "not a real calendar date",
        {"transfers[0].planned_date": "2025-02-30", "transfers[0].legal_basis": "nowhere"}),
    Bad("another format", ("format",),
        '"thirdcountry/scenario@3" is not "thirdcountry/scenario@2" or '
        '"thirdcountry/scenario@1"', {"format": "thirdcountry/scenario@3"}),
    Bad("no format", ("format",), "required key is missing", {"format": ABSENT}),
]
# fmt: on


def test_the_base_world_parses() -> None:
    scenario = parse_scenario_v2(BASE)
    assert scenario.transfers[0].legal_basis == "it-reception"
    assert scenario.court_orders[0].scope.person == ("P-1",)
    assert scenario.transfers[0].notice == v2.Notice(served=dt.date(2025, 8, 20))


@pytest.mark.parametrize("bad", BAD, ids=[b.id for b in BAD])
def test_a_broken_document_is_refused_with_every_problem_by_path(bad: Bad) -> None:
    problems = problems_of(changed(bad.changes))
    assert [p.partition(": ")[0] for p in problems] == list(bad.paths)
    assert any(bad.message in p for p in problems), problems


def test_a_document_that_is_not_an_object_is_refused() -> None:
    assert problems_of([]) == ["$: a list is not a scenario object"]


def test_text_that_is_not_json_is_refused_at_the_document() -> None:
    with pytest.raises(ScenarioError) as caught:
        loads_scenario_v2(b'{"format": ')
    assert [p.path for p in caught.value.problems] == ["$"]


@pytest.mark.parametrize(
    "changes",
    [
        {"transfers[0].destination": "XK", "arrangements[0].receiving": "XK",
         "designations[0].country": "XK", "countries[0].code": "XK",
         "assurances[0].given_by": "XK", "arrangements[0].payments[0].payee": "XK",
         "persons[0].nationalities": ["XK"], "regimes[0].applies_to.destination": ["XK", "AL"]},
        {"designations[0].kind": "safe_country_of_origin", "designations[0].country": "BD"},
        {"transfers[0].legal_basis": ABSENT, "transfers[0].designation_relied_on": None,
         "transfers[0].assurances_relied_on": []},
        {"court_orders[0].effect": "prohibits", "court_orders[0].events": ABSENT},
        {"court_orders[0].scope": {"sending": ["IT", "GB"], "legal_basis": "it-reception",
                                   "class": ["C-1"]}},
        {"regimes[0].requirement": "designation-judicial-review", "regimes[0].value": True,
         "regimes[0].from": None, "regimes[0].to": None, "regimes[0].applies_to": {}},
        {"legal_bases[1]": _basis("us-third-country", "US"),
         "regimes[0].applies_to.legal_basis": ["us-ina-1231", "us-third-country"]},
        {"persons[0].fear_claims[1].decided_on": ABSENT, "persons[0].removal_decision": {}},
        {"transfers[0].notice": {}, "transfers[0].opportunity": {"cut_off": None}},
    ],
    ids=["XK everywhere", "safe country of origin elsewhere", "known none", "prohibits",
         "selector lists", "unbounded regime", "catalog and scenario bases in a selector",
         "unknown sub-facts", "empty known objects"],
)  # fmt: skip
def test_valid_variants_are_read(changes: dict[str, Any]) -> None:
    document = changed(changes)
    scenario = parse_scenario_v2(document)
    assert loads_scenario_v2(json.dumps(document)) == scenario


def test_the_catalog_rows_can_be_given() -> None:
    """A later catalog data revision supplies its own rows."""
    document = changed({"legal_bases[1]": _basis("us-ina-1231", "US")})
    other = CatalogRows(revision="test", legal_bases={"it-reception-2": "IT"})
    assert parse_scenario_v2(document, catalog=other).legal_bases[1].code == "us-ina-1231"
    with pytest.raises(ScenarioError, match="catalog data test"):
        parse_scenario_v2(changed({"transfers[0].legal_basis": "elsewhere"}), catalog=other)


# -- the examples and the three states ----------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES_V2)
def test_the_examples_are_read_and_written_back_exactly(name: str) -> None:
    scenario = load_scenario_v2(EXAMPLES / name)
    assert scenario.transfers
    assert parse_scenario_v2(scenario_to_document(scenario)) == scenario
    assert loads_scenario_v2(scenario_to_json(scenario)) == scenario
    assert json.loads(scenario_to_json(scenario)) == scenario_to_document(scenario)


def test_the_examples_document_is_written_as_read() -> None:
    """What the file says is what is written: only defaults it spells out may be dropped."""
    original = json.loads((EXAMPLES / "edge-cases-2.json").read_text())
    written = scenario_to_document(load_scenario_v2(EXAMPLES / "edge-cases-2.json"))
    assert written["format"] == "thirdcountry/scenario@2"
    assert written["persons"] == original["persons"]
    designation = {k: v for k, v in original["designations"][0].items() if k != "to"}
    assert written["designations"] == [designation]  # "to": null is its default


def test_unknown_none_and_a_value_stay_three_states() -> None:
    document = changed(
        {"persons[0].counsel": ABSENT, "persons[0].vulnerabilities": [],
         "persons[0].protections": [{"kind": "cat", "country": "BD", "granted_by": "IT",
                                     "ended_on": None}],
         "arrangements[0].cap": None, "arrangements[0].terms": ABSENT,
         "transfers[0].notice": {"served": "2025-08-20", "language": "bn"}}
    )  # fmt: skip
    scenario = parse_scenario_v2(document)
    person, arrangement = scenario.persons[0], scenario.arrangements[0]
    assert person.counsel is UNKNOWN and person.vulnerabilities == ()
    assert person.protections[0].ended_on is None
    assert person.protections[0].granted_on is UNKNOWN
    assert arrangement.cap is None and arrangement.terms is UNKNOWN
    assert scenario.transfers[0].notice.served_on_counsel is UNKNOWN  # type: ignore[union-attr]
    written = scenario_to_document(scenario)
    assert "counsel" not in written["persons"][0]
    assert written["persons"][0]["vulnerabilities"] == []
    assert written["persons"][0]["protections"][0] == {
        "kind": "cat", "country": "BD", "granted_by": "IT", "ended_on": None
    }  # fmt: skip
    assert written["arrangements"][0]["cap"] is None
    assert "terms" not in written["arrangements"][0]
    assert written["transfers"][0]["notice"] == {"served": "2025-08-20", "language": "bn"}


def test_a_file_and_standard_input_are_read(tmp_path: Path, monkeypatch: Any) -> None:
    path = tmp_path / "world.json"
    path.write_text(json.dumps(BASE))
    assert load_scenario_v2(path) == parse_scenario_v2(BASE)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(BASE).encode())))
    assert load_scenario_v2("-") == parse_scenario_v2(BASE)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario_v2(tmp_path / "missing.json")


# -- @1 read as @2 ------------------------------------------------------------------------------

V1_PERSON: Final[Document] = {"ref": "P-1", "names": ["A. B."]}
V1_TRANSFER: Final[Document] = {
    "ref": "T-1", "person": "P-1", "sending": "US", "destination": "RW", "arrangement": None,
    "planned_date": "2025-09-10",
}  # fmt: skip


def v1_world(**sections: Any) -> Document:
    """A small @1 document: one person and one transfer, with ``sections`` added."""
    return {
        "format": "thirdcountry/scenario@1",
        "persons": [V1_PERSON],
        "transfers": [V1_TRANSFER],
        **sections,
    }


def as_v2(document: Document) -> Scenario:
    """An @1 document read as @2, by both readers and by the mapping of its @1 records
    (which must agree)."""
    scenario = parse_scenario_v2(document)
    assert loads_scenario_v2(json.dumps(document)) == scenario
    given = "notice_days" in document.get("parameters", {})
    assert scenario == scenario_from_v1(parse_scenario(document), notice_days_given=given)
    return scenario


def test_the_at1_seed_world_is_read_as_at2_and_written_as_at2() -> None:
    original = json.loads((DATA / "seed-world.json").read_text())
    scenario = as_v2(original)
    written = scenario_to_document(scenario)
    assert written["format"] == "thirdcountry/scenario@2"
    assert parse_scenario_v2(written) == scenario
    arrangements = {a.ref: a for a in scenario.arrangements}
    assert arrangements["US-RW-2025"].terms == v2.Terms(
        excluded_nationalities=("RW",),
        criminal_record="required",
        requires_completed_sentences=True,
    )
    assert arrangements["GB-RW-2022"].terms == v2.Terms(excluded_nationalities=("RW",))
    assert arrangements["US-LY-2025"].terms == v2.Terms()
    orders = {o.ref: o for o in scenario.court_orders}
    assert orders["ECHR-R39-2022-06-14"].events == ()
    assert orders["DMASS-2025-05-07-LY"].events == (
        v2.Event(
            date=dt.date(2025, 6, 23),
            kind="lifted",
            by="US District Court, District of Massachusetts",
        ),
    )
    assert orders["DMASS-2025-05-07-LY"].scope == v2.Selector(sending="US", destination="LY")


def test_the_whole_mapping_of_a_small_at1_world() -> None:
    """Every row of the table at once: the @2 document an @1 world is written as."""
    document = v1_world(
        as_of="2025-09-01",
        description="a world",
        parameters={"notice_days": 7, "minor_age": 17},
        countries=[{"code": "RW", "assessments": [
            {"date": "2025-01-01", "onward_refoulement_risk": False, "source": "a report"}]}],
        arrangements=[
            {"ref": "A-1", "sending": "US", "receiving": "RW", "title": "an arrangement",
             "terms": {"requires_served_sentence": True, "excluded_nationalities": ["RW"],
                       "notice_days": 5},
             "commitments": ["accommodation"],
             "status_history": [{"date": "2025-01-01", "status": "in_force", "source": "s"}],
             "payments": [{"date": "2025-01-01", "amount": "10.00", "currency": "USD",
                           "kind": "paid", "payer": "US", "payee": "RW"}]},
        ],
        court_orders=[
            {"ref": "O-1", "kind": "stay", "issuer": "a court", "issued": "2025-01-01",
             "lifted": "2025-02-01", "scope": {"sending": "US"}},
        ],
        persons=[
            {"ref": "P-1", "names": ["A. B."], "birth_date": "1990-01-01",
             "nationalities": [], "languages": ["ar"], "accompanied": True,
             "identity_verified": True, "asylum_claim": "refused",
             "fear_claims": [{"country": "SY", "status": "rejected"}],
             "removal_decision": {"date": "2025-01-01", "final": True},
             "convictions": [{"offence": "theft", "sentence_end": "2024-01-01"}],
             "family_in_sending_country": False, "fit_to_travel": True},
        ],
        transfers=[
            {**V1_TRANSFER, "arrangement": "A-1", "status": "proposed",
             "accepted_by_receiving": True,
             "notice": {"served": "2025-08-20", "language": "ar", "names_destination": True},
             "monitoring": [{"date": "2025-10-01", "kind": "visit", "country": "RW"}]},
        ],
    )  # fmt: skip
    assert scenario_to_document(as_v2(document)) == {
        "format": "thirdcountry/scenario@2",
        "as_of": "2025-09-01",
        "description": "a world",
        "parameters": {"minor_age": 17, "notice_floor_days": 7},
        "countries": [{"code": "RW", "assessments": [
            {"date": "2025-01-01", "onward_refoulement_risk": False, "source": "a report"}]}],
        "arrangements": [
            {"ref": "A-1", "sending": "US", "receiving": "RW", "title": "an arrangement",
             "cap": None, "period_caps": [], "concurrent_cap": None,
             "terms": {"excluded_nationalities": ["RW"], "criminal_record": "required",
                       "requires_completed_sentences": True, "notice_days": 5},
             "commitments": ["accommodation"],
             "status_history": [{"date": "2025-01-01", "status": "in_force", "source": "s"}],
             "payments": [{"date": "2025-01-01", "amount": "10.00", "currency": "USD",
                           "kind": "paid", "payer": "US", "payee": "RW"}]},
        ],
        "court_orders": [
            {"ref": "O-1", "kind": "stay", "issuer": "a court", "issued": "2025-01-01",
             "scope": {"sending": "US"},
             "events": [{"date": "2025-02-01", "kind": "lifted", "by": "a court"}],
             "effect": "prohibits"},
        ],
        "persons": [
            {"ref": "P-1", "names": ["A. B."], "birth_date": "1990-01-01",
             "nationalities": [], "languages": ["ar"], "accompanied": True,
             "identity_verified": True, "asylum_claim": "refused",
             "fear_claims": [{"country": "SY", "status": "rejected"}],
             "removal_decision": {"date": "2025-01-01", "final": True,
                                  "appeal_deadline": None, "appeal_pending": False},
             "convictions": [{"offence": "theft", "sentence_end": "2024-01-01"}],
             "family_in_sending_country": False, "fit_to_travel": True},
        ],
        "transfers": [
            {"ref": "T-1", "person": "P-1", "sending": "US", "destination": "RW",
             "planned_date": "2025-09-10", "arrangement": "A-1",
             "accepted_by_receiving": True,
             "notice": {"served": "2025-08-20", "language": "ar", "names_destination": True},
             "monitoring": [{"date": "2025-10-01", "kind": "visit", "country": "RW"}]},
        ],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        (ABSENT, v2.Parameters()),
        ({}, v2.Parameters()),
        ({"minor_age": 16}, v2.Parameters(minor_age=16)),
        ({"notice_days": 10}, v2.Parameters(notice_floor_days=10)),
        ({"notice_days": 14, "minor_age": 21}, v2.Parameters(minor_age=21, notice_floor_days=14)),
    ],
    ids=["absent", "empty", "minor age", "the default spelt out", "both"],
)
def test_at1_notice_days_become_the_notice_floor(parameters: Any, expected: Any) -> None:
    """Only a notice period the @1 document sets replaces the catalog's floor."""
    document = v1_world() if parameters is ABSENT else v1_world(parameters=parameters)
    assert as_v2(document).parameters == expected


def test_at1_assessments_have_an_unknown_kind_of_source() -> None:
    scenario = as_v2(
        v1_world(countries=[{"code": "RW", "assessments": [
            {"date": "2025-01-01", "onward_refoulement_risk": True, "source": "UNHCR"}]}])
    )  # fmt: skip
    assessment = scenario.countries[0].assessments[0]
    assert assessment.source_kind is UNKNOWN and assessment.onward_refoulement_risk


ARRANGEMENT_V1: Final[Document] = {"ref": "A-1", "sending": "US", "receiving": "RW"}


@pytest.mark.parametrize(
    ("v1_keys", "cap", "terms"),
    [
        ({}, None, v2.Terms()),
        ({"cap": None, "terms": {}}, None, v2.Terms()),
        ({"cap": 5, "terms": {"requires_served_sentence": False}}, 5, v2.Terms()),
        (
            {"terms": {"requires_served_sentence": True}},
            None,
            v2.Terms(criminal_record="required", requires_completed_sentences=True),
        ),
        (
            {"terms": {"excluded_nationalities": ["SY", "IQ"], "notice_days": 3}},
            None,
            v2.Terms(excluded_nationalities=("IQ", "SY"), notice_days=3),
        ),
    ],
    ids=["nothing said", "said none", "served sentence false", "served sentence true", "copied"],
)
def test_at1_arrangements_are_read_with_their_at1_meanings(
    v1_keys: Document, cap: int | None, terms: v2.Terms
) -> None:
    scenario = as_v2(v1_world(arrangements=[{**ARRANGEMENT_V1, **v1_keys}]))
    arrangement = scenario.arrangements[0]
    assert (arrangement.cap, arrangement.terms) == (cap, terms)
    assert arrangement.period_caps == () and arrangement.concurrent_cap is None
    assert arrangement.model is UNKNOWN and arrangement.on_arrival is UNKNOWN


@pytest.mark.parametrize(
    ("lifted", "events"),
    [
        (ABSENT, ()),
        (None, ()),
        ("2025-03-01", (v2.Event(date=dt.date(2025, 3, 1), kind="lifted", by="a court"),)),
    ],
    ids=["absent", "null", "a date"],
)
def test_at1_lifting_becomes_an_event(lifted: Any, events: tuple[v2.Event, ...]) -> None:
    order = {"ref": "O-1", "kind": "interim_measure", "issuer": "a court",
             "issued": "2025-01-01", "scope": {"person": "P-1"}}  # fmt: skip
    if lifted is not ABSENT:
        order["lifted"] = lifted
    read = as_v2(v1_world(court_orders=[order])).court_orders[0]
    assert read.events == events
    assert read.effect == "prohibits"
    assert read.scope == v2.Selector(person="P-1")


@pytest.mark.parametrize(
    ("scope", "selector"),
    [
        ({"person": "P-1"}, v2.Selector(person="P-1")),
        ({"arrangement": "A-1"}, v2.Selector(arrangement="A-1")),
        ({"sending": "US", "destination": "RW"}, v2.Selector(sending="US", destination="RW")),
        ({"sending": "US"}, v2.Selector(sending="US")),
    ],
    ids=["person", "arrangement", "pair", "sending"],
)
def test_at1_scopes_become_selectors(scope: Document, selector: v2.Selector) -> None:
    order = {"ref": "O-1", "kind": "injunction", "issuer": "a court", "issued": "2025-01-01",
             "scope": scope}  # fmt: skip
    scenario = as_v2(v1_world(arrangements=[ARRANGEMENT_V1], court_orders=[order]))
    assert scenario.court_orders[0].scope == selector


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (ABSENT, UNKNOWN),
        (None, None),
        (
            {"date": "2025-01-01", "final": False},
            v2.RemovalDecision(
                date=dt.date(2025, 1, 1),
                final=False,
                appeal_deadline=None,
                appeal_pending=False,
            ),
        ),
        (
            {"date": "2025-01-01", "final": True, "appeal_deadline": "2025-02-01",
             "appeal_pending": True},
            v2.RemovalDecision(
                date=dt.date(2025, 1, 1),
                final=True,
                appeal_deadline=dt.date(2025, 2, 1),
                appeal_pending=True,
            ),
        ),
    ],
    ids=["unknown", "none", "defaults", "given"],
)  # fmt: skip
def test_at1_removal_decisions_take_their_at1_defaults(decision: Any, expected: Any) -> None:
    person = dict(V1_PERSON)
    if decision is not ABSENT:
        person["removal_decision"] = decision
    read = as_v2(v1_world(persons=[person])).persons[0].removal_decision
    assert read == expected
    if isinstance(read, v2.RemovalDecision):
        assert read.reviewable is UNKNOWN


def test_facts_at2_adds_to_persons_are_unknown() -> None:
    person = {**V1_PERSON, "fear_claims": [{"country": "SY", "status": "recognised"}],
              "convictions": [{"sentence_end": "2024-01-01"}, {"offence": "theft"}]}  # fmt: skip
    read = as_v2(v1_world(persons=[person])).persons[0]
    for name in ("known_adult_on", "sex", "vulnerabilities", "counsel", "classes",
                 "protections", "pending_charges"):  # fmt: skip
        assert getattr(read, name) is UNKNOWN, name
    claim = read.fear_claims[0]  # type: ignore[index]
    assert (claim.raised_on, claim.decided_on) == (UNKNOWN, UNKNOWN)
    assert [c.category for c in read.convictions] == [UNKNOWN, UNKNOWN]  # type: ignore[union-attr]
    assert read.convictions[1].sentence_end is UNKNOWN  # type: ignore[index]


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        (ABSENT, UNKNOWN),
        (None, None),
        (
            {"served": "2025-08-20", "language": "ar", "names_destination": False},
            {"served": "2025-08-20", "language": "ar", "names_destination": False},
        ),
    ],
    ids=["unknown", "none", "served"],
)
def test_at1_notices_keep_their_three_sub_facts(notice: Any, expected: Any) -> None:
    transfer = dict(V1_TRANSFER)
    if notice is not ABSENT:
        transfer["notice"] = notice
    read = as_v2(v1_world(transfers=[transfer])).transfers[0]
    written = scenario_to_document(Scenario(transfers=(read,)))["transfers"][0]
    assert written.get("notice", UNKNOWN) == expected
    for name in ("legal_basis", "opportunity", "assurances_relied_on", "designation_relied_on",
                 "on_arrival"):  # fmt: skip
        assert getattr(read, name) is UNKNOWN, name
    if isinstance(read.notice, v2.Notice):
        assert read.notice.served_on_counsel is UNKNOWN
        assert read.notice.explains_how_to_contest is UNKNOWN


def test_an_at1_document_is_refused_by_the_at1_rules() -> None:
    """Kosovo's code is an @2 addition: an @1 document with it is refused, by its path."""
    document = v1_world(transfers=[{**V1_TRANSFER, "destination": "XK"}])
    assert [p.partition(": ")[0] for p in problems_of(document)] == ["transfers[0].destination"]


def test_an_at1_document_with_at2_keys_is_refused() -> None:
    document = v1_world(transfers=[{**V1_TRANSFER, "legal_basis": "us-ina-1231"}])
    assert [p.partition(": ")[0] for p in problems_of(document)] == ["transfers[0].legal_basis"]


# -- properties ---------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(scenario_documents_v2())
def test_writing_and_reading_back_gives_the_same_world(document: Document) -> None:
    scenario = parse_scenario_v2(document)
    assert parse_scenario_v2(scenario_to_document(scenario)) == scenario
    assert loads_scenario_v2(scenario_to_json(scenario)) == scenario
    assert loads_scenario_v2(json.dumps(document)) == scenario


def _without_empty_languages(document: Document) -> Document:
    # An @1 person recorded as understanding no language ([]) has no @2 spelling: @2
    # requires a non-empty list (see test_at1_empty_languages_are_kept_as_known_none).
    for person in document["persons"]:
        if person.get("languages") == []:
            del person["languages"]
    return document


@settings(max_examples=60, deadline=None)
@given(scenario_documents().map(_without_empty_languages))
def test_an_at1_world_written_as_at2_reads_back_the_same(document: Document) -> None:
    scenario = as_v2(document)
    assert parse_scenario_v2(scenario_to_document(scenario)) == scenario


def test_at1_empty_languages_are_kept_as_known_none() -> None:
    """The mapping copies what it does not list: an @1 ``[]`` stays known-none, which @2
    cannot write (its ``languages`` may not be empty)."""
    read = as_v2(v1_world(persons=[{**V1_PERSON, "languages": []}])).persons[0]
    assert read.languages == ()


_JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 3),
        st.sampled_from(("", "XK", "2025-02-30", "2025-06-01", "P-0", "us-ina-1231", "true")),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=2), st.dictionaries(st.sampled_from(("ref", "to")), inner)
    ),
    max_leaves=4,
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


@settings(max_examples=150, deadline=None)
@given(scenario_documents_v2(), st.data())
def test_any_broken_value_is_refused_with_problems_never_a_crash(
    document: Document, data: st.DataObject
) -> None:
    place = data.draw(st.sampled_from(_places(document)[1:]))
    broken = copy.deepcopy(document)
    *parents, last = place
    target: Any = broken
    for step in parents:
        target = target[step]
    target[last] = data.draw(_JSON_VALUES)
    try:
        parse_scenario_v2(broken)
    except ScenarioError as error:
        assert error.problems
        with pytest.raises(ScenarioError) as loaded:
            loads_scenario_v2(json.dumps(broken))
        assert loaded.value.problems == error.problems
    else:
        assert loads_scenario_v2(json.dumps(broken)) == parse_scenario_v2(broken)

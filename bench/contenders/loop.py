"""Catalog 2026.1 as a plain Python loop over the proposed transfers of a scenario file.

What a team writes first: the file read with the standard ``json`` module, a few
dictionaries built once (persons and arrangements by ref, executed transfers counted per
arrangement, each arrangement's status and each country's assessment on the screening date,
the court orders in effect by what they cover), then one pass over the transfers calling the
17 rules of RULES.md in turn. Each rule returns its outcome and reason code; dates stay
ISO strings, which compare in date order. Nothing is validated: the file is taken to be a
valid ``thirdcountry/scenario@1`` document.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from contenders.languages import iso639_3

Finding = tuple[str, str]
#: A proposed transfer's ref, its verdict and its 17 findings in catalog order.
Screened = tuple[str, str, tuple[Finding, ...]]
Record = dict[str, Any]


def read(path: str | Path) -> Record:
    """The scenario document, as plain JSON."""
    with open(path, "rb") as file:
        document: Record = json.load(file)
    return document


def _entry_on(entries: list[Record], on: str) -> Record | None:
    """The latest entry dated on or before ``on``; on equal dates the later one."""
    chosen = None
    for entry in entries:
        if entry["date"] <= on and (chosen is None or entry["date"] >= chosen["date"]):
            chosen = entry
    return chosen


@dataclass
class Arrangement:
    """What the rules read of an arrangement, resolved on the screening date."""

    ref: str
    status: str | None
    cap: int | None
    executed: int
    excluded: frozenset[str]
    requires_served_sentence: bool
    notice_days: int | None
    commitments: frozenset[str]


@dataclass
class World:
    """The indexes the rules look things up in, built once per file."""

    as_of: str
    notice_days: int
    minor_age: int
    persons: dict[str, Record]
    arrangements: dict[str, Arrangement]
    #: Each country's assessment in force on the screening date: its onward refoulement risk.
    risk: dict[str, bool]
    orders_by_person: set[str] = field(default_factory=set)
    orders_by_arrangement: set[str] = field(default_factory=set)
    orders_by_pair: set[tuple[str, str]] = field(default_factory=set)
    orders_by_sending: set[str] = field(default_factory=set)


def index(document: Record, as_of: date | None = None) -> World:
    """The world's indexes on the screening date (the document's own ``as_of``, else today)."""
    on = as_of.isoformat() if as_of else document.get("as_of") or date.today().isoformat()
    parameters = document.get("parameters") or {}
    executed = Counter(
        t["arrangement"]
        for t in document.get("transfers", [])
        if t.get("status") == "executed" and t.get("arrangement") is not None
    )
    arrangements = {}
    for a in document.get("arrangements", []):
        terms = a.get("terms") or {}
        status = _entry_on(a.get("status_history", []), on)
        arrangements[a["ref"]] = Arrangement(
            ref=a["ref"],
            status=status["status"] if status else None,
            cap=a.get("cap"),
            executed=executed[a["ref"]],
            excluded=frozenset(terms.get("excluded_nationalities") or ()),
            requires_served_sentence=bool(terms.get("requires_served_sentence")),
            notice_days=terms.get("notice_days"),
            commitments=frozenset(a.get("commitments") or ()),
        )
    risk = {}
    for country in document.get("countries", []):
        assessment = _entry_on(country.get("assessments", []), on)
        if assessment is not None:
            risk[country["code"]] = assessment["onward_refoulement_risk"]
    world = World(
        as_of=on,
        notice_days=parameters.get("notice_days", 10),
        minor_age=parameters.get("minor_age", 18),
        persons={p["ref"]: p for p in document.get("persons", [])},
        arrangements=arrangements,
        risk=risk,
    )
    for order in document.get("court_orders", []):
        lifted = order.get("lifted")
        if order["issued"] > on or (lifted is not None and lifted <= on):
            continue
        scope = order["scope"]
        if scope.get("person") is not None:
            world.orders_by_person.add(scope["person"])
        elif scope.get("arrangement") is not None:
            world.orders_by_arrangement.add(scope["arrangement"])
        elif scope.get("destination") is not None:
            world.orders_by_pair.add((scope["sending"], scope["destination"]))
        else:
            world.orders_by_sending.add(scope["sending"])
    return world


# -- the rules, in catalog order -----------------------------------------------------------


def third_country(t: Record, p: Record) -> Finding:
    """Rule 1: the destination is not one of the person's nationalities."""
    nationalities = p.get("nationalities")
    if nationalities is None:
        return ("review", "nationalities-unknown")
    if t["destination"] in nationalities:
        return ("blocked", "own-country")
    return ("pass", "not-a-nationality" if nationalities else "stateless")


def arrangement_in_force(a: Arrangement | None) -> Finding:
    """Rule 2: an arrangement in force on the screening date."""
    if a is None:
        return ("blocked", "no-arrangement")
    if a.status is None:
        return ("blocked", "no-status")
    if a.status != "in_force":
        return ("blocked", "not-in-force")
    return ("pass", "in-force")


def arrangement_cap(a: Arrangement | None) -> Finding:
    """Rule 3: one more transfer stays within the arrangement's cap."""
    if a is None:
        return ("pass", "no-arrangement")
    if a.cap is None:
        return ("pass", "no-cap")
    if a.executed + 1 > a.cap:
        return ("blocked", "cap-exceeded")
    return ("pass", "within-cap")


def arrangement_terms(t: Record, p: Record, a: Arrangement | None) -> Finding:
    """Rule 4: the person falls under the arrangement's terms."""
    if a is None:
        return ("pass", "no-arrangement")
    nationalities = p.get("nationalities")
    convictions = p.get("convictions")
    ends = None if convictions is None else [c.get("sentence_end") for c in convictions]
    requires = a.requires_served_sentence
    if nationalities is not None and not a.excluded.isdisjoint(nationalities):
        return ("blocked", "nationality-excluded")
    if requires and ends is not None:
        if not ends:
            return ("blocked", "no-conviction")
        if any(end is not None and end > t["planned_date"] for end in ends):
            return ("blocked", "sentence-not-served")
    if a.excluded and nationalities is None:
        return ("review", "nationalities-unknown")
    if requires and ends is None:
        return ("review", "convictions-unknown")
    if requires and ends is not None and None in ends:
        return ("review", "sentence-end-unknown")
    if not a.excluded and not requires:
        return ("pass", "no-terms")
    return ("pass", "within-terms")


def receiving_acceptance(t: Record) -> Finding:
    """Rule 5: the receiving state accepted this person."""
    accepted = t.get("accepted_by_receiving")
    if accepted is False:
        return ("blocked", "refused")
    if accepted is None:
        return ("review", "acceptance-unknown")
    return ("pass", "accepted")


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def coming_of_age(birth: str, age: int) -> str:
    """The date someone born on ``birth`` turns ``age``: 1 March for 29 February births in
    a year that is not a leap year."""
    year = int(birth[:4]) + age
    month_day = birth[5:]
    if month_day == "02-29" and not _is_leap(year):
        month_day = "03-01"
    return f"{year:04d}-{month_day}"


def unaccompanied_minor(t: Record, p: Record, world: World) -> Finding:
    """Rule 6: no unaccompanied child."""
    birth = p.get("birth_date")
    if birth is None:
        return ("review", "birth-date-unknown")
    minor = t["planned_date"] < coming_of_age(birth, world.minor_age)
    accompanied = p.get("accompanied")
    if minor and accompanied is False:
        return ("blocked", "unaccompanied")
    if minor and accompanied is None:
        return ("review", "accompaniment-unknown")
    return ("pass", "accompanied" if minor else "adult")


def protection_granted(p: Record) -> Finding:
    """Rule 7: not a refugee the sending state already protects."""
    claim = p.get("asylum_claim")
    if claim == "granted":
        return ("blocked", "asylum-granted")
    if claim is None:
        return ("review", "claim-unknown")
    return ("pass", "not-granted")


def final_decision(p: Record, world: World) -> Finding:
    """Rule 8: a final removal decision, with no appeal open."""
    if "removal_decision" not in p:
        return ("review", "decision-unknown")
    decision = p["removal_decision"]
    if decision is None:
        return ("blocked", "no-decision")
    if not decision["final"]:
        return ("blocked", "not-final")
    if decision.get("appeal_pending"):
        return ("blocked", "appeal-pending")
    deadline = decision.get("appeal_deadline")
    if deadline is None:
        return ("pass", "final")
    if deadline >= world.as_of:
        return ("blocked", "appeal-deadline-open")
    return ("pass", "final-deadline-passed")


def written_notice(t: Record, p: Record, a: Arrangement | None, world: World) -> Finding:
    """Rule 9: written notice of the destination, understood, in time."""
    if "notice" not in t:
        return ("review", "notice-unknown")
    notice = t["notice"]
    if notice is None:
        return ("blocked", "not-served")
    served = notice["served"]
    if served > world.as_of:
        return ("blocked", "served-after-screening")
    if notice["names_destination"] is False:
        return ("blocked", "destination-not-named")
    codes = iso639_3()
    known = p.get("languages")
    languages = None if known is None else {codes[code] for code in known}
    if languages is not None and codes[notice["language"]] not in languages:
        return ("blocked", "not-understood")
    required = a.notice_days if a is not None and a.notice_days is not None else world.notice_days
    days = (date.fromisoformat(t["planned_date"]) - date.fromisoformat(served)).days
    if days < required:
        return ("blocked", "too-late")
    if languages is None:
        return ("review", "languages-unknown")
    return ("pass", "served-in-time")


def fear_of_destination(t: Record, p: Record) -> Finding:
    """Rule 10: no fear of the destination recognised or unscreened."""
    claims = p.get("fear_claims")
    if claims is None:
        return ("review", "fear-unknown")
    destination = t["destination"]
    statuses = {c["status"] for c in claims if c["country"] == destination}
    if "recognised" in statuses:
        return ("blocked", "fear-recognised")
    if "pending" in statuses:
        return ("blocked", "fear-pending")
    return ("pass", "no-fear-claim")


def chain_refoulement(t: Record, p: Record, world: World) -> Finding:
    """Rule 11: no risk of onward refoulement from the destination."""
    destination = t["destination"]
    claims = p.get("fear_claims")
    asylum_claim = p.get("asylum_claim")
    fears = claims is not None and any(
        c["status"] in ("pending", "recognised") and c["country"] != destination for c in claims
    )
    asylum = asylum_claim == "pending"
    assessed = destination in world.risk
    risk = world.risk.get(destination, False)
    which = "both-claims" if fears and asylum else "fear-claim" if fears else "asylum-claim"
    if (fears or asylum) and risk:
        return ("blocked", f"{which}-risk")
    unknown = claims is None or asylum_claim is None
    if (fears or asylum) and not assessed:
        return ("review", f"{which}-no-assessment")
    if unknown and not assessed:
        return ("review", "claims-unknown-no-assessment")
    if unknown and risk:
        return ("review", "claims-unknown-risk")
    if fears or asylum:
        return ("pass", f"{which}-no-risk")
    if assessed and not risk:
        return ("pass", "no-risk")
    return ("pass", "no-claim")


def asylum_procedure(p: Record, a: Arrangement | None) -> Finding:
    """Rule 12: a pending asylum claim can be heard in the receiving state."""
    claim = p.get("asylum_claim")
    if claim == "pending":
        if a is None:
            return ("blocked", "no-arrangement")
        if "asylum_procedure" not in a.commitments:
            return ("blocked", "not-committed")
        return ("pass", "committed")
    if claim is None:
        return ("review", "claim-unknown")
    return ("pass", "no-pending-claim")


def court_order(t: Record, world: World) -> Finding:
    """Rule 13: no court order in effect covers the transfer."""
    covered = (
        t["person"] in world.orders_by_person
        or t.get("arrangement") in world.orders_by_arrangement
        or (t["sending"], t["destination"]) in world.orders_by_pair
        or t["sending"] in world.orders_by_sending
    )
    return ("blocked", "order-in-effect") if covered else ("pass", "no-order")


def family_unity(p: Record) -> Finding:
    """Rule 14: family in the sending state is weighed."""
    family = p.get("family_in_sending_country")
    if family is None:
        return ("review", "family-unknown")
    return ("review", "family-in-sending-state") if family else ("pass", "no-family")


def fit_to_travel(p: Record) -> Finding:
    """Rule 15: medically fit to travel."""
    fit = p.get("fit_to_travel")
    if fit is None:
        return ("review", "fitness-unknown")
    return ("pass", "fit") if fit else ("blocked", "unfit")


def identity_verified(p: Record) -> Finding:
    """Rule 16: the person's identity is verified."""
    verified = p.get("identity_verified")
    if verified is None:
        return ("review", "verification-unknown")
    return ("pass", "verified") if verified else ("review", "not-verified")


def reception_commitments(a: Arrangement | None) -> Finding:
    """Rule 17: the receiving state commits to accommodation."""
    if a is None:
        return ("pass", "no-arrangement")
    if "accommodation" not in a.commitments:
        return ("review", "no-accommodation-commitment")
    return ("pass", "accommodation-committed")


RULES = (
    "third-country",
    "arrangement-in-force",
    "arrangement-cap",
    "arrangement-terms",
    "receiving-acceptance",
    "unaccompanied-minor",
    "protection-granted",
    "final-decision",
    "written-notice",
    "fear-of-destination",
    "chain-refoulement",
    "asylum-procedure",
    "court-order",
    "family-unity",
    "fit-to-travel",
    "identity-verified",
    "reception-commitments",
)


def verdict(findings: tuple[Finding, ...]) -> str:
    """``blocked`` if any finding is blocked, else ``review`` if any is, else ``clear``."""
    outcomes = {outcome for outcome, _code in findings}
    if "blocked" in outcomes:
        return "blocked"
    return "review" if "review" in outcomes else "clear"


def screen(document: Record, as_of: date | None = None) -> list[Screened]:
    """Every proposed transfer of the document, in file order, with its verdict and findings."""
    world = index(document, as_of)
    screened = []
    for t in document.get("transfers", []):
        if t.get("status", "proposed") != "proposed":
            continue
        p = world.persons[t["person"]]
        ref = t.get("arrangement")
        a = None if ref is None else world.arrangements[ref]
        findings = (
            third_country(t, p),
            arrangement_in_force(a),
            arrangement_cap(a),
            arrangement_terms(t, p, a),
            receiving_acceptance(t),
            unaccompanied_minor(t, p, world),
            protection_granted(p),
            final_decision(p, world),
            written_notice(t, p, a, world),
            fear_of_destination(t, p),
            chain_refoulement(t, p, world),
            asylum_procedure(p, a),
            court_order(t, world),
            family_unity(p),
            fit_to_travel(p),
            identity_verified(p),
            reception_commitments(a),
        )
        screened.append((t["ref"], verdict(findings), findings))
    return screened

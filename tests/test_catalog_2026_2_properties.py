"""Properties of catalog 2026.2 over generated scenario@2 worlds (RULES-2026.2).

1. An unknown fact never yields ``pass`` for a rule that reads it, unless no value of that
   fact could give the rule anything but ``pass`` (§1.2, "Unknown never passes"); a rule
   that does not read a fact is not moved by it.
2. The order of lists changes no outcome and no reason code (§1.4: list parameters are sorted
   codes or refs in file order).
3. A re-screen on a later day, with no date boundary of the world crossed in between, gives
   identical findings, parameters included (§1.4, "No screening date in parameters").
4. Screening never raises, is deterministic, and every finding carries exactly its reason's
   parameters, none null unless the reason lets it be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategies_catalog_v2 import (
    ASSURANCE_FLAGS,
    COUNTRIES,
    DESIGNATION_FLAGS,
    FACT_VALUES,
    LEGAL_BASES,
    PERSON_FACTS,
    TRANSFER_FACTS,
    designations_for,
    worlds,
)
from thirdcountry.rules.catalogs import any_catalog
from thirdcountry.rules.v2.catalog import CatalogV2, Finding, Result
from thirdcountry.rules.v2.rule import LIST_TYPES
from thirdcountry.scenario.v2 import parse_scenario_v2, scenario_to_document
from thirdcountry.scenario.v2.model import (
    ARRANGEMENT_MODELS,
    CUSTODIES,
    OFFENCE_CATEGORIES,
    SOURCE_KINDS,
    UNKNOWN,
    FearClaim,
    Protection,
    Scenario,
    Transfer,
)

CATALOG = any_catalog("2026.2")
assert isinstance(CATALOG, CatalogV2)

SETTINGS: Final[dict[str, Any]] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
#: Screening days: the regimes of §4 and some months either side.
SCREENING_DAYS: Final = st.dates(dt.date(2025, 2, 1), dt.date(2025, 12, 31))

# --- What each rule reads (RULES-2026.2 §3, each rule's "Reads." line) ---------------------
#
# Fact names: ``person.<key>`` is a (u) key of the transfer's person, ``others.<key>`` the
# same key of every other person (rule 15 reads them through the incidents of §2.11),
# ``transfer.<key>`` and ``arrangement.<key>`` keys of the transfer and its arrangement;
# ``notice.``, ``opportunity.``, ``removal_decision.``, ``on_arrival.`` sub-facts of those
# objects; ``protection.``, ``fear_claim.``, ``conviction.`` sub-facts of each entry of the
# person's lists; ``designation.`` and ``assurance.`` sub-facts of the records the transfer
# relies on, ``reliance.`` of its own entries; ``assessment.source_kind`` of the
# destination's assessments; ``court_order.effect`` of every order. A requirement a rule
# evaluates (§2.8) reads the selector facts (``transfer.legal_basis``, ``person.classes``) and
# ``court_order.effect``; ``notice-days`` also ``arrangement.terms``.

_SELECTION: Final = ("transfer.legal_basis", "person.classes", "court_order.effect")
_PROTECTION: Final = (
    "person.protections",
    "protection.granted_on",
    "protection.ended_on",
    "protection.end_kind",
)
_NOTICE_CHECKS: Final = (
    "transfer.notice",
    "notice.served",
    "notice.served_on_counsel",
    "notice.explains_how_to_contest",
    "person.counsel",
)
_OPPORTUNITY: Final = (
    "transfer.opportunity",
    "opportunity.cut_off",
    "opportunity.counsel_access",
    "opportunity.interpreter",
)
_DESIGNATION: Final = (
    "transfer.designation_relied_on",
    *(f"designation.{flag}" for flag in DESIGNATION_FLAGS),
)
_REMOVAL: Final = tuple(
    f"removal_decision.{key}"
    for key in ("date", "final", "appeal_deadline", "appeal_pending", "reviewable")
)
_ON_ARRIVAL: Final = tuple(
    f"on_arrival.{key}"
    for key in (
        "custody",
        "incommunicado",
        "individual_legal_basis",
        "counsel_access",
        "legal_status",
    )
)

READS: Final[dict[str, frozenset[str]]] = {
    rule: frozenset(facts)
    for rule, facts in {
        "planned-date": (),
        "third-country": ("person.nationalities",),
        "arrangement-in-force": ("transfer.legal_basis",),
        "arrangement-capacity": (
            "arrangement.cap",
            "arrangement.period_caps",
            "arrangement.concurrent_cap",
        ),
        "arrangement-terms": (
            "arrangement.terms",
            "person.nationalities",
            "person.convictions",
            "conviction.category",
            "conviction.sentence_end",
            "person.pending_charges",
            "person.sex",
            "person.vulnerabilities",
            "person.birth_date",
            "person.known_adult_on",
            "person.accompanied",
        ),
        "receiving-acceptance": ("transfer.accepted_by_receiving",),
        "unaccompanied-minor": ("person.birth_date", "person.known_adult_on", "person.accompanied"),
        "country-specific-protection": (*_PROTECTION, "person.asylum_claim"),
        "final-decision": (
            "person.removal_decision",
            *_REMOVAL,
            "arrangement.model",
            "transfer.legal_basis",
        ),
        "written-notice": (*_NOTICE_CHECKS, "notice.names_destination", *_SELECTION),
        "notice-language": ("transfer.notice", "notice.language", "person.languages"),
        "fear-window": (
            "transfer.notice",
            "notice.served",
            *_OPPORTUNITY,
            "arrangement.terms",
            *_SELECTION,
        ),
        "fear-screening": (
            "person.fear_claims",
            "fear_claim.raised_on",
            "fear_claim.decided_on",
            *_SELECTION,
        ),
        "fear-of-destination": ("person.fear_claims",),
        "chain-refoulement": (
            "arrangement.model",
            "person.nationalities",
            "person.fear_claims",
            *_PROTECTION,
            "person.asylum_claim",
            "assessment.source_kind",
            "others.fear_claims",
            "others.protections",
        ),
        "assurances": (
            "transfer.assurances_relied_on",
            "reliance.replaces_screening",
            *(f"assurance.{flag}" for flag in ASSURANCE_FLAGS),
        ),
        "asylum-procedure": ("person.asylum_claim", "arrangement.model"),
        "safe-country-designation": (*_DESIGNATION, "person.nationalities", *_SELECTION),
        # Rule 19 reads the checks of §2.9 for the conditions of orders: every fact a check
        # reads.
        "court-order": (
            *_SELECTION,
            *_NOTICE_CHECKS,
            *_OPPORTUNITY,
            "person.fear_claims",
            "fear_claim.decided_on",
            *_DESIGNATION,
        ),
        "treatment-on-arrival": ("transfer.on_arrival", *_ON_ARRIVAL),
        "family-unity": ("person.family_in_sending_country",),
        "fit-to-travel": ("person.fit_to_travel",),
        "identity-verified": ("person.identity_verified",),
        "reception-commitments": ("arrangement.model",),
    }.items()
}


def test_reads_name_every_rule() -> None:
    """The table of facts read has one entry per rule of the catalog."""
    assert sorted(READS) == sorted(CATALOG.ids)


# --- Replacing one fact ----------------------------------------------------------------------


def put(record: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """``record`` with the value at ``path`` (attribute names and list positions) replaced."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(record)
        items[head] = put(items[head], rest, value)
        return tuple(items)
    return msgspec.structs.replace(record, **{head: put(getattr(record, head), rest, value)})


@dataclass(frozen=True)
class Site:
    """One place in a world where a fact is recorded, and how to replace it."""

    fact: str
    where: str
    replace: Callable[[Scenario, Any], Scenario]
    #: The known values worth trying: every one for a small set, else a strategy's draws.
    values: tuple[Any, ...]
    drawn: st.SearchStrategy[Any] | None = None


def _at(path: tuple[str | int, ...]) -> Callable[[Scenario, Any], Scenario]:
    return lambda world, value: put(world, path, value)


_BOOLEAN: Final = (True, False)


def _dates(world: Scenario, t: Transfer, day: dt.date) -> tuple[dt.date, ...]:
    """Days on each side of the planned date and the screening date."""
    one = dt.timedelta(days=1)
    return (t.planned_date - one, t.planned_date, t.planned_date + one, day - one, day, day + one)


def _fear_lists() -> tuple[tuple[FearClaim, ...], ...]:
    """Fear claims that would each make a country feared or screened."""
    return (
        (),
        *((FearClaim(country=c, status="pending"),) for c in COUNTRIES),
        *((FearClaim(country=c, status="rejected"),) for c in COUNTRIES),
    )


def _protection_lists() -> tuple[tuple[Protection, ...], ...]:
    """Protections that would each stand against one country, granted by either sender."""
    return (
        (),
        *(
            (Protection(kind="withholding", country=c, granted_by="US", ended_on=None),)
            for c in COUNTRIES
        ),
        *(
            (Protection(kind="refugee_status", country=c, granted_by=s, ended_on=None),)
            for c in ("SV", "AF")
            for s in ("US", "IT")
        ),
    )


#: Facts whose known values are few: every one of them is tried.
_ENUMERATED: Final[dict[str, tuple[Any, ...]]] = {
    "person.sex": ("female", "male", "other"),
    "person.accompanied": _BOOLEAN,
    "person.identity_verified": _BOOLEAN,
    "person.counsel": _BOOLEAN,
    "person.asylum_claim": ("none", "pending", "granted", "refused"),
    "person.family_in_sending_country": _BOOLEAN,
    "person.fit_to_travel": _BOOLEAN,
    "person.classes": ((), ("class-a",), ("class-b",), ("class-a", "class-b")),
    "person.vulnerabilities": ((), ("pregnancy",)),
    "person.fear_claims": _fear_lists(),
    "person.protections": _protection_lists(),
    "others.fear_claims": _fear_lists(),
    "others.protections": _protection_lists(),
    "person.removal_decision": (None,),
    "person.convictions": ((),),
    "person.pending_charges": ((),),
    "transfer.accepted_by_receiving": _BOOLEAN,
    "transfer.notice": (None,),
    "transfer.assurances_relied_on": ((),),
    "arrangement.model": ARRANGEMENT_MODELS,
    "arrangement.cap": (None, 0, 1, 2),
    "arrangement.period_caps": ((),),
    "arrangement.concurrent_cap": (None, 1, 2),
    "notice.names_destination": _BOOLEAN,
    "notice.served_on_counsel": _BOOLEAN,
    "notice.explains_how_to_contest": _BOOLEAN,
    "opportunity.counsel_access": _BOOLEAN,
    "opportunity.interpreter": _BOOLEAN,
    "opportunity.cut_off": (None,),
    "removal_decision.final": _BOOLEAN,
    "removal_decision.appeal_pending": _BOOLEAN,
    "removal_decision.reviewable": _BOOLEAN,
    "removal_decision.appeal_deadline": (None,),
    "protection.ended_on": (None,),
    "protection.end_kind": ("cancelled", "revoked", "ceased"),
    "conviction.category": OFFENCE_CATEGORIES,
    "on_arrival.custody": CUSTODIES,
    **{
        f"on_arrival.{key}": _BOOLEAN
        for key in ("incommunicado", "individual_legal_basis", "counsel_access", "legal_status")
    },
    **{f"designation.{flag}": _BOOLEAN for flag in DESIGNATION_FLAGS},
    **{f"assurance.{flag}": _BOOLEAN for flag in ASSURANCE_FLAGS},
    "reliance.replaces_screening": _BOOLEAN,
    "assessment.source_kind": SOURCE_KINDS,
    "court_order.effect": ("prohibits",),
}
#: Facts that are dates: the days around P and D are tried besides drawn ones.
_DATED: Final = frozenset(
    {
        "person.birth_date",
        "person.known_adult_on",
        "notice.served",
        "opportunity.cut_off",
        "removal_decision.date",
        "removal_decision.appeal_deadline",
        "protection.granted_on",
        "protection.ended_on",
        "fear_claim.raised_on",
        "fear_claim.decided_on",
        "conviction.sentence_end",
    }
)


def _site(
    fact: str,
    where: str,
    replace: Callable[[Scenario, Any], Scenario],
    world: Scenario,
    t: Transfer,
    day: dt.date,
    drawn: st.SearchStrategy[Any] | None = None,
) -> Site:
    values = _ENUMERATED.get(fact, ())
    if fact in _DATED:
        values = (*values, *_dates(world, t, day))
    if fact == "person.nationalities":
        values = ((), (t.destination,), (t.destination, "AF"), ("AF",))
    elif fact == "transfer.legal_basis":
        values = LEGAL_BASES[t.sending]
    elif fact == "transfer.designation_relied_on":
        values = (None, *designations_for(world, t))
    if drawn is None:
        drawn = FACT_VALUES.get(fact)
    return Site(fact, where, replace, values, drawn)


def sites(world: Scenario, t: Transfer, day: dt.date) -> Iterator[Site]:
    """Every place a fact about transfer ``t`` is recorded, known or not."""
    ti = world.transfers.index(t)
    pi = next(i for i, p in enumerate(world.persons) if p.ref == t.person)
    p = world.persons[pi]
    for key, values in PERSON_FACTS.items():
        yield _site(f"person.{key}", p.ref, _at(("persons", pi, key)), world, t, day, values)
    for j, other in enumerate(world.persons):
        if j != pi:
            for key in ("fear_claims", "protections"):
                yield _site(
                    f"others.{key}",
                    other.ref,
                    _at(("persons", j, key)),
                    world,
                    t,
                    day,
                    PERSON_FACTS[key],
                )
    for key, strategy in TRANSFER_FACTS.items():
        if key == "on_arrival":
            continue
        drawn = None if key in ("legal_basis", "designation_relied_on") else strategy(world, t)
        yield _site(f"transfer.{key}", t.ref, _at(("transfers", ti, key)), world, t, day, drawn)
    yield from _on_arrival_sites(world, t, ti, day)
    if t.arrangement is not None:
        ai = next(i for i, a in enumerate(world.arrangements) if a.ref == t.arrangement)
        for key in ("model", "cap", "period_caps", "concurrent_cap", "terms"):
            path = ("arrangements", ai, key)
            yield _site(f"arrangement.{key}", t.arrangement, _at(path), world, t, day)
    yield from _object_sites(world, t, ti, pi, day)
    yield from _entry_sites(world, t, ti, pi, day)


def _on_arrival_sites(world: Scenario, t: Transfer, ti: int, day: dt.date) -> Iterator[Site]:
    """The on-arrival facts (§2.10): the transfer's own, else its arrangement's. Unknown
    means neither is recorded; a known value is recorded on the transfer."""
    ai = next((i for i, a in enumerate(world.arrangements) if a.ref == t.arrangement), None)

    def replace(scenario: Scenario, value: Any) -> Scenario:
        scenario = put(scenario, ("transfers", ti, "on_arrival"), value)
        if value is UNKNOWN and ai is not None:
            scenario = put(scenario, ("arrangements", ai, "on_arrival"), UNKNOWN)
        return scenario

    yield _site(
        "transfer.on_arrival",
        t.ref,
        replace,
        world,
        t,
        day,
        TRANSFER_FACTS["on_arrival"](world, t),
    )
    if t.on_arrival is not UNKNOWN:
        base: tuple[str | int, ...] = ("transfers", ti, "on_arrival")
    elif ai is not None and world.arrangements[ai].on_arrival is not UNKNOWN:
        base = ("arrangements", ai, "on_arrival")
    else:
        return
    for key in ("custody", "incommunicado", "individual_legal_basis", "counsel_access"):
        yield _site(f"on_arrival.{key}", t.ref, _at((*base, key)), world, t, day)
    yield _site("on_arrival.legal_status", t.ref, _at((*base, "legal_status")), world, t, day)


def _object_sites(world: Scenario, t: Transfer, ti: int, pi: int, day: dt.date) -> Iterator[Site]:
    """The sub-facts of the known objects a transfer and its person record."""
    p = world.persons[pi]
    objects: list[tuple[str, Any, tuple[str | int, ...]]] = [
        ("notice", t.notice, ("transfers", ti, "notice")),
        ("opportunity", t.opportunity, ("transfers", ti, "opportunity")),
        ("removal_decision", p.removal_decision, ("persons", pi, "removal_decision")),
    ]
    for name, record, path in objects:
        if record is UNKNOWN or record is None:
            continue
        for key in record.__struct_fields__:
            yield _site(f"{name}.{key}", t.ref, _at((*path, key)), world, t, day)
    relied = t.designation_relied_on
    if isinstance(relied, str):
        di = next(i for i, d in enumerate(world.designations) if d.ref == relied)
        for flag in DESIGNATION_FLAGS:
            path = ("designations", di, flag)
            yield _site(f"designation.{flag}", relied, _at(path), world, t, day)
    if t.assurances_relied_on is not UNKNOWN:
        refs = {r.ref for r in t.assurances_relied_on}
        for i, assurance in enumerate(world.assurances):
            if assurance.ref in refs:
                for flag in ASSURANCE_FLAGS:
                    path = ("assurances", i, flag)
                    yield _site(f"assurance.{flag}", assurance.ref, _at(path), world, t, day)
        for k in range(len(t.assurances_relied_on)):
            path = ("transfers", ti, "assurances_relied_on", k, "replaces_screening")
            yield _site("reliance.replaces_screening", f"{t.ref}[{k}]", _at(path), world, t, day)
    for ci, country in enumerate(world.countries):
        if country.code == t.destination:
            for k in range(len(country.assessments)):
                path = ("countries", ci, "assessments", k, "source_kind")
                yield _site("assessment.source_kind", country.code, _at(path), world, t, day)
    for oi, order in enumerate(world.court_orders):
        path = ("court_orders", oi, "effect")
        yield _site("court_order.effect", order.ref, _at(path), world, t, day)


def _entry_sites(world: Scenario, t: Transfer, ti: int, pi: int, day: dt.date) -> Iterator[Site]:
    """The sub-facts of each entry of the person's known lists."""
    p = world.persons[pi]
    lists: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        ("protections", "protection", ("granted_on", "ended_on", "end_kind")),
        ("fear_claims", "fear_claim", ("raised_on", "decided_on")),
        ("convictions", "conviction", ("category", "sentence_end")),
    )
    for key, name, subs in lists:
        recorded = getattr(p, key)
        if recorded is UNKNOWN:
            continue
        for k, entry in enumerate(recorded):
            for sub in subs:
                if sub == "decided_on" and entry.status == "pending":
                    # A pending claim has no decision date (SCENARIO.md, "Validation").
                    continue
                path = ("persons", pi, key, k, sub)
                yield _site(f"{name}.{sub}", f"{p.ref}.{key}[{k}]", _at(path), world, t, day)


def _possible(fact: str, value: Any, world: Scenario, t: Transfer) -> bool:
    """Whether a value of a fact agrees with the facts around it: a birth date that makes
    the person younger than ``minor_age`` on the day they are known to have been an adult
    (§2.2) is a value the person cannot have."""
    if fact != "person.birth_date":
        return True
    person = next(p for p in world.persons if p.ref == t.person)
    adult_on = person.known_adult_on
    age = world.parameters.minor_age
    if adult_on is UNKNOWN:
        return True
    birthday = dt.date(value.year + age, 3, 1)
    if (value.month, value.day) != (2, 29):
        birthday = value.replace(year=value.year + age)
    return bool(birthday <= adult_on)


def screen_one(world: Scenario, day: dt.date, ref: str) -> Result:
    """The screening of one transfer of ``world`` on ``day``."""
    transfer = next(t for t in world.transfers if t.ref == ref)
    return CATALOG.screen_transfer(CATALOG.world(world, day), transfer)


def _shown(finding: Finding) -> tuple[str, str, dict[str, Any]]:
    return finding.outcome, finding.reason.code, finding.params


@settings(max_examples=80, **SETTINGS)
@given(data=st.data())
def test_an_unknown_fact_never_yields_pass_for_a_rule_that_reads_it(data: st.DataObject) -> None:
    """For each rule, each fact it reads, made unknown: when the rule then passes, it passes
    for every value the fact could take (§1.2: "no rule gives pass … while a fact it reads is
    unknown and some value of that fact would give that rule blocked or review"). The
    exceptions §1.2 names (rule 20 out of custody, rule 24 under accommodation, rules 4 and 5
    with no arrangement) are such passes. A rule that does not read the fact gives the same
    finding either way."""
    world = data.draw(worlds(), label="world")
    day = data.draw(SCREENING_DAYS, label="screening day")
    rule_ids = CATALOG.ids
    for t in world.transfers:
        if t.status != "proposed":
            continue
        base = screen_one(world, day, t.ref)
        for site in sites(world, t, day):
            readers = {i for i, rule in enumerate(rule_ids) if site.fact in READS[rule]}
            unknown = screen_one(site.replace(world, UNKNOWN), day, t.ref)
            for i, (before, after) in enumerate(zip(base.findings, unknown.findings, strict=True)):
                if i not in readers:
                    assert _shown(after) == _shown(before), (
                        f"{rule_ids[i]} does not read {site.fact} ({site.where}) by §3, yet "
                        f"its finding on {t.ref} moved from {_shown(before)} to {_shown(after)}"
                    )
            passing = [i for i in readers if unknown.findings[i].outcome == "pass"]
            if not passing:
                continue
            values = list(site.values)
            if site.drawn is not None:
                values += [data.draw(site.drawn, label=site.fact) for _ in range(3)]
            for value in values:
                if not _possible(site.fact, value, world, t):
                    continue
                known = screen_one(site.replace(world, value), day, t.ref)
                for i in passing:
                    assert known.findings[i].outcome == "pass", (
                        f"{rule_ids[i]} passes on {t.ref} with {site.fact} ({site.where}) "
                        f"unknown ({unknown.findings[i].reason.code}), but the value {value!r} "
                        f"gives {_shown(known.findings[i])}"
                    )


# --- List order -----------------------------------------------------------------------------

#: A person's lists whose order the catalog must not read (§1.4).
_PERSON_LISTS: Final = ("nationalities", "languages", "protections", "fear_claims", "convictions")
#: Rule 19's review 3 names "the first pair that is not met" in loop order (orders in file
#: order, §1.4): which of its two codes that first pair gives depends on the order of
#: ``court_orders``, as the spec allows. Those two codes are compared as one.
_SAME_CODE: Final = {
    "court-order.condition-unknown": "court-order.condition-review",
    "court-order.may-cover-condition-unmet": "court-order.condition-review",
}


def _reorder(draw: Callable[[list[Any]], list[Any]], world: Scenario) -> Scenario:
    """The world with its order-free lists reordered by ``draw``: each person's
    nationalities, languages, protections, fear claims and convictions; the court orders,
    assurances and regimes; each transfer's assurances relied on."""
    persons = tuple(
        msgspec.structs.replace(
            person,
            **{
                key: tuple(draw(list(getattr(person, key))))
                for key in _PERSON_LISTS
                if getattr(person, key) is not UNKNOWN
            },
        )
        for person in world.persons
    )
    transfers = tuple(
        t
        if t.assurances_relied_on is UNKNOWN
        else msgspec.structs.replace(
            t, assurances_relied_on=tuple(draw(list(t.assurances_relied_on)))
        )
        for t in world.transfers
    )
    return msgspec.structs.replace(
        world,
        persons=persons,
        transfers=transfers,
        court_orders=tuple(draw(list(world.court_orders))),
        assurances=tuple(draw(list(world.assurances))),
        regimes=tuple(draw(list(world.regimes))),
    )


@st.composite
def reordered(draw: st.DrawFn, world: Scenario) -> Scenario:
    """The world with every order-free list permuted at random."""
    return _reorder(lambda items: draw(st.permutations(items)), world)


def reversed_lists(world: Scenario) -> Scenario:
    """The world with every order-free list reversed: whatever comes first in one comes
    last in the other, so a rule that reads only the first entry shows."""
    return _reorder(lambda items: items[::-1], world)


def _order_free(results: list[Result]) -> list[tuple[Any, ...]]:
    """Each finding's outcome and code, and its list parameters as sets."""
    return [
        (
            result.transfer,
            result.verdict,
            [
                (
                    f.outcome,
                    _SAME_CODE.get(f.reason.code, f.reason.code),
                    {
                        p.name: frozenset(f.params[p.name])
                        for p in f.reason.params
                        if p.type in LIST_TYPES
                    },
                )
                for f in result.findings
            ],
        )
        for result in results
    ]


@settings(max_examples=80, **SETTINGS)
@given(data=st.data())
def test_list_order_changes_no_outcome_and_no_code(data: st.DataObject) -> None:
    """Permuting lists the catalog reads as sets gives the same outcome and reason code on
    every finding, and the same values in every list parameter; those values are in the
    order §1.4 fixes, each once: codes sorted, refs in the order of the (permuted) file."""
    world = data.draw(worlds(), label="world")
    day = data.draw(SCREENING_DAYS, label="screening day")
    expected = _order_free(CATALOG.screen(world, day))
    assert _order_free(CATALOG.screen(reversed_lists(world), day)) == expected
    permuted = data.draw(reordered(world), label="permuted")
    screened = CATALOG.screen(permuted, day)
    assert _order_free(screened) == expected
    _in_file_order(permuted, screened)


def _in_file_order(world: Scenario, results: list[Result]) -> None:
    """Every list parameter of refs is in file order; of codes, sorted; each value once."""
    positions = {
        "orders": {o.ref: i for i, o in enumerate(world.court_orders)},
        "assurances": {a.ref: i for i, a in enumerate(world.assurances)},
    }
    for result in results:
        for f in result.findings:
            for p in f.reason.params:
                if p.type not in LIST_TYPES:
                    continue
                value = f.params[p.name]
                key = positions[p.type].__getitem__ if p.type in positions else None
                assert list(value) == sorted(set(value), key=key), (f.reason.code, p.name, value)


# --- A later day with no boundary crossed -------------------------------------------------------


def _dates_in(record: Any) -> Iterator[dt.date]:
    """Every date recorded anywhere in a record, its lists and sub-records."""
    if isinstance(record, dt.date):
        yield record
    elif isinstance(record, msgspec.Struct):
        for name in record.__struct_fields__:
            yield from _dates_in(getattr(record, name))
    elif isinstance(record, tuple | list):
        for item in record:
            yield from _dates_in(item)


def boundaries(world: Scenario) -> set[dt.date]:
    """The days on which a screening of ``world`` may change (§1.1, §1.4): every date of the
    world and of the catalog data (a change dated X holds from X: "on or before D"), the day
    after each (P < D from P + 1; an appeal deadline on or after D until the deadline + 1),
    the end of the 365 days an onward removal counts (§2.11), and each person's birthday at
    ``minor_age``."""
    one, year = dt.timedelta(days=1), dt.timedelta(days=365)
    days = set(_dates_in(world)) | set(_dates_in(CATALOG.data.regimes))
    days |= set(_dates_in(CATALOG.data.legal_bases))
    for t in world.transfers:
        for entry in t.monitoring:
            days |= {entry.date + year, entry.date + year + one}
    for person in world.persons:
        born = person.birth_date
        if born is not UNKNOWN:
            age = world.parameters.minor_age
            if (born.month, born.day) == (2, 29):
                days.add(dt.date(born.year + age, 3, 1))
            else:
                days.add(born.replace(year=born.year + age))
    return days | {day + one for day in days}


def _everything(results: list[Result]) -> list[tuple[Any, ...]]:
    return [
        (
            r.transfer,
            r.verdict,
            [(f.rule.id, f.outcome, f.reason.code, f.params) for f in r.findings],
        )
        for r in results
    ]


@settings(max_examples=80, **SETTINGS)
@given(data=st.data())
def test_a_later_screening_with_no_boundary_crossed_changes_nothing(data: st.DataObject) -> None:
    """Screened on D and on D + k with no date of the world in (D, D + k], every finding is
    identical, parameters included: no parameter holds the screening date (§1.4)."""
    world = data.draw(worlds(), label="world")
    crossing = boundaries(world)
    first, last = dt.date(2025, 2, 1), dt.date(2026, 12, 31)
    quiet = [
        first + dt.timedelta(days=n)
        for n in range((last - first).days)
        if first + dt.timedelta(days=n + 1) not in crossing
    ]
    day = data.draw(st.sampled_from(quiet), label="screening day")
    room = 1
    while day + dt.timedelta(days=room + 1) not in crossing and room < 400:
        room += 1
    later = day + dt.timedelta(days=data.draw(st.integers(1, room), label="days later"))
    assert _everything(CATALOG.screen(world, later)) == _everything(CATALOG.screen(world, day))


# --- Determinism and the shape of findings ------------------------------------------------------


def _well_formed(finding: Finding) -> None:
    params = finding.params
    declared = finding.reason.params
    assert set(params) == {p.name for p in declared}, finding.reason.code
    for p in declared:
        value = params[p.name]
        if p.type in LIST_TYPES:
            assert isinstance(value, list), (finding.reason.code, p.name, value)
        elif not p.nullable:
            assert value is not None, (finding.reason.code, p.name)
        if value is None:
            continue
        expected: type | tuple[type, ...] = {
            "date": dt.date,
            "int": int,
            "bool": bool,
            "assessment": dict,
        }.get(p.type, str)
        if p.type not in LIST_TYPES:
            assert isinstance(value, expected), (finding.reason.code, p.name, value)


@settings(max_examples=60, **SETTINGS)
@given(world=worlds(), day=SCREENING_DAYS)
def test_screening_is_deterministic_and_findings_carry_their_parameters(
    world: Scenario, day: dt.date
) -> None:
    """Every generated world is a valid scenario@2 document; screening it never raises,
    gives one finding per rule for each proposed transfer, the same each time and the same
    after a round trip through the document; each finding has exactly the parameters its
    reason declares, none null unless declared nullable, lists never null."""
    read = parse_scenario_v2(scenario_to_document(world))
    first = CATALOG.screen(world, day)
    assert _everything(CATALOG.screen(world, day)) == _everything(first)
    assert _everything(CATALOG.screen(read, day)) == _everything(first)
    assert [r.transfer for r in first] == [t.ref for t in world.transfers if t.status == "proposed"]
    for result in first:
        assert [f.rule.id for f in result.findings] == list(CATALOG.ids)
        for finding in result.findings:
            _well_formed(finding)

"""Hypothesis strategies for small ``thirdcountry/scenario@2`` worlds, as records, for the
properties of catalog 2026.2.

Worlds are small (up to 3 persons, 2 arrangements, 2 court orders, 4 transfers) and their
dates fall mostly from March to October 2025, often on the days the regimes of catalog data
``2026.2-r1`` begin or end, so that the dated rows decide. Countries include the United
States, Rwanda, El Salvador, Italy, Albania and Kosovo; languages include the pairs of
RULES-2026.2 §2.3 (``fa``/``prs``/``pes``, ``ar``/``arb``/``apc``, ``zh``/``cmn``/``yue``).
Every (u) fact is independently left out (unknown), set to its "none" where it has one, or
given a value; sub-facts of known objects likewise. Every ref names a record of the world and
each transfer agrees with its arrangement, legal basis and designation, so every world is a
valid document.

:data:`FACT_VALUES` gives, for each kind of (u) fact, the strategy of its known values: the
worlds are drawn from it, and a property that replaces one fact draws its values from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final

from hypothesis import strategies as st

from thirdcountry.scenario.v2.model import (
    ARRANGEMENT_MODELS,
    ARRANGEMENT_STATUSES,
    CUSTODIES,
    EVENT_KINDS,
    EXCLUDED_GROUPS,
    OFFENCE_CATEGORIES,
    PROTECTION_KINDS,
    REQUIREMENTS,
    SOURCE_KINDS,
    UNKNOWN,
    Arrangement,
    Assessment,
    Assurance,
    Charge,
    Condition,
    Conditions,
    Conviction,
    Country,
    CourtOrder,
    Designation,
    Event,
    FearClaim,
    LegalBasis,
    MonitoringEntry,
    Notice,
    OnArrival,
    Opportunity,
    Parameters,
    PeriodCap,
    Person,
    PersonClass,
    Protection,
    Regime,
    Reliance,
    RemovalDecision,
    Scenario,
    Selector,
    StatusChange,
    Terms,
    Transfer,
)

#: States that send people in generated worlds (both have rows in catalog data 2026.2-r1).
SENDING: Final = ("US", "IT")
#: States people are sent to; a sending state can also be a destination of the other.
DESTINATIONS: Final = ("RW", "SV", "AL", "XK", "US", "IT")
#: Countries a person may be a national of, fear, or be protected against.
COUNTRIES: Final = ("SV", "RW", "AL", "XK", "US", "IT", "VE", "AF")
#: Countries feared or protected against: few, and most of them destinations, so that
#: several entries of a person's lists often concern the destination of a transfer.
FEARED: Final = ("RW", "SV", "XK", "AF")
#: ISO 639-1 and 639-3 codes: macrolanguages, their individual languages, unrelated ones.
LANGUAGES: Final = ("fa", "prs", "pes", "ar", "arb", "apc", "zh", "cmn", "yue", "en", "es", "sq")
#: The classes every world defines (a person's ``classes`` and selectors name them).
CLASSES: Final = ("class-a", "class-b")
#: A legal basis of the scenario's own, with dates, beside the catalog's.
LOCAL_BASIS: Final = "us-local-basis"
#: The catalog's legal bases of each sending state, and the scenario's own.
LEGAL_BASES: Final = {
    "US": ("us-ina-1231", "us-aea-p10903", LOCAL_BASIS),
    "IT": ("it-al-protocol",),
}

FIRST: Final = dt.date(2025, 3, 1)
LAST: Final = dt.date(2025, 10, 31)
#: The days catalog data 2026.2-r1 rows begin or end within the range.
REGIME_DAYS: Final = tuple(
    dt.date(2025, m, d) for m, d in ((3, 14), (4, 7), (4, 18), (5, 16), (6, 23), (7, 9), (8, 1))
)


def _day_after(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


days: Final = st.one_of(st.sampled_from(REGIME_DAYS), st.dates(FIRST, LAST))
#: Birth dates around the 18th birthday within the range, and plainly adult ones.
birth_dates: Final = st.one_of(
    st.dates(dt.date(2007, 1, 1), dt.date(2007, 12, 31)),
    st.just(dt.date(2008, 2, 29)),
    st.dates(dt.date(1970, 1, 1), dt.date(2000, 12, 31)),
)
booleans: Final = st.booleans()
#: Booleans leaning to true or to false: most draws give the value that lets a rule
#: pass, so that worlds often reach pass conditions (where unknown facts matter most).
true_mostly: Final = st.one_of(st.just(True), st.just(True), booleans)
false_mostly: Final = st.one_of(st.just(False), st.just(False), booleans)


def destinations_from(sending: str) -> st.SearchStrategy[str]:
    """A destination other than the sending state, most often one that people fear."""
    return st.sampled_from([d for d in (*DESTINATIONS, *FEARED[:3]) if d != sending])


def fact(values: st.SearchStrategy[Any], *, none: Any = UNKNOWN) -> st.SearchStrategy[Any]:
    """A (u) fact: unknown, its known "none" (when it has one), or a value."""
    # Known values are drawn more often than the unknown, so that rules reach their pass
    # conditions and the properties that make a known fact unknown have facts to work on.
    choices = [values, values, values, values, st.just(UNKNOWN)]
    if none is not UNKNOWN:
        choices.insert(1, st.just(none))
    return st.one_of(*choices)


def listed(values: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[Any]:
    """A list of distinct values, as a tuple (the records' lists)."""
    return st.lists(values, max_size=max_size, unique=True).map(tuple)


def entries(values: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[Any]:
    """A list of entries (records, possibly equal), as a tuple."""
    return st.lists(values, max_size=max_size).map(tuple)


protections: Final = st.builds(
    Protection,
    kind=st.sampled_from(PROTECTION_KINDS),
    country=st.sampled_from(FEARED),
    granted_by=st.sampled_from(SENDING),
    granted_on=fact(days),
    ended_on=fact(days, none=None),
    end_kind=fact(st.sampled_from(("cancelled", "revoked", "ceased"))),
)
fear_claims: Final = st.one_of(
    st.builds(
        FearClaim,
        country=st.sampled_from(FEARED),
        status=st.just("pending"),
        raised_on=fact(days),
    ),
    st.builds(
        FearClaim,
        country=st.sampled_from(FEARED),
        status=st.sampled_from(("recognised", "rejected")),
        raised_on=fact(days),
        decided_on=fact(days),
    ),
)
removal_decisions: Final = st.builds(
    RemovalDecision,
    date=fact(days),
    final=fact(true_mostly),
    appeal_deadline=fact(days, none=None),
    appeal_pending=fact(false_mostly),
    reviewable=fact(true_mostly),
)
convictions: Final = st.builds(
    Conviction,
    category=fact(st.sampled_from(OFFENCE_CATEGORIES)),
    sentence_end=fact(days),
)
charges: Final = st.builds(Charge, category=fact(st.sampled_from(OFFENCE_CATEGORIES)))


def notices_before(planned: dt.date) -> st.SearchStrategy[Notice]:
    """A notice, often served some days before the planned date."""
    served = st.one_of(
        st.integers(0, 30).map(lambda n: _day_after(planned, -n)),
        st.integers(10, 30).map(lambda n: _day_after(planned, -n)),
        days,
    )
    return st.builds(
        Notice,
        served=fact(served),
        language=fact(st.sampled_from(LANGUAGES)),
        names_destination=fact(true_mostly),
        served_on_counsel=fact(true_mostly),
        explains_how_to_contest=fact(true_mostly),
    )


notices: Final = st.builds(
    Notice,
    served=fact(days),
    language=fact(st.sampled_from(LANGUAGES)),
    names_destination=fact(true_mostly),
    served_on_counsel=fact(true_mostly),
    explains_how_to_contest=fact(true_mostly),
)
opportunities: Final = st.builds(
    Opportunity,
    cut_off=fact(days, none=None),
    counsel_access=fact(true_mostly),
    interpreter=fact(true_mostly),
)
on_arrivals: Final = st.builds(
    OnArrival,
    custody=fact(st.sampled_from(CUSTODIES)),
    incommunicado=fact(false_mostly),
    individual_legal_basis=fact(true_mostly),
    counsel_access=fact(true_mostly),
    legal_status=fact(true_mostly),
)
terms: Final = st.builds(
    Terms,
    excluded_nationalities=listed(st.sampled_from(COUNTRIES), 2),
    eligible_nationalities=st.one_of(
        st.none(), st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2).map(tuple)
    ),
    criminal_record=st.sampled_from((None, "required", "excluded")),
    requires_completed_sentences=booleans,
    excludes_pending_charges=booleans,
    excluded_offence_categories=listed(st.sampled_from(OFFENCE_CATEGORIES), 2),
    excluded_groups=listed(st.sampled_from(EXCLUDED_GROUPS), 2),
    notice_days=st.sampled_from((None, 0, 3, 10, 15)),
)
vulnerabilities: Final = listed(st.sampled_from(("pregnancy", "disability", "elderly")), 2)


@st.composite
def periods(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    """A [from, to) pair within the range, ``to`` after ``from``."""
    start = draw(days)
    return start, _day_after(start, draw(st.integers(1, 120)))


@st.composite
def period_caps(draw: st.DrawFn) -> PeriodCap:
    """A cap on persons transferred within a period."""
    start, end = draw(periods())
    return PeriodCap(from_=start, to=end, persons=draw(st.integers(0, 2)), source="term")


def reliances(assurance_refs: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A transfer's ``assurances_relied_on`` over the world's assurances."""
    if not assurance_refs:
        return st.just(())
    reliance = st.builds(
        Reliance, ref=st.sampled_from(assurance_refs), replaces_screening=fact(booleans)
    )
    return entries(reliance, 2)


def designations_for(scenario: Scenario, transfer: Transfer) -> tuple[str, ...]:
    """The designations a transfer may rely on: its sending state's, and a safe third
    country only when it is the destination (SCENARIO.md, "Validation")."""
    return tuple(
        d.ref
        for d in scenario.designations
        if d.designating_state == transfer.sending
        and (d.kind == "safe_country_of_origin" or d.country == transfer.destination)
    )


def selectors(
    arrangements: tuple[str, ...], persons: tuple[str, ...], *, empty: bool
) -> st.SearchStrategy[Selector]:
    """A selector over the world's records; non-empty unless ``empty``."""
    keys = {
        "sending": st.sampled_from(SENDING),
        "destination": st.sampled_from(DESTINATIONS),
        "person": st.sampled_from(persons),
        "legal_basis": st.sampled_from((*LEGAL_BASES["US"], *LEGAL_BASES["IT"])),
        "class_": st.sampled_from(CLASSES),
    }
    if arrangements:
        keys["arrangement"] = st.sampled_from(arrangements)

    @st.composite
    def selector(draw: st.DrawFn) -> Selector:
        chosen = draw(
            st.lists(st.sampled_from(sorted(keys)), min_size=0 if empty else 1, max_size=2)
        )
        return Selector(**{key: draw(keys[key]) for key in chosen})

    return selector()


@st.composite
def court_orders(
    draw: st.DrawFn, ref: str, arrangements: tuple[str, ...], persons: tuple[str, ...]
) -> CourtOrder:
    """A prohibiting or conditioning order, or one whose effect is not recorded, with events
    on or after its issue."""
    issued = draw(days)
    events = tuple(
        Event(date=_day_after(issued, draw(st.integers(0, 60))), kind=kind, by="court")
        for kind in draw(st.lists(st.sampled_from(EVENT_KINDS), max_size=2))
    )
    return CourtOrder(
        ref=ref,
        kind=draw(st.sampled_from(("stay", "injunction", "tro", "interim_measure", "order"))),
        issuer="court",
        issued=issued,
        scope=draw(selectors(arrangements, persons, empty=False)),
        events=events,
        effect=draw(effects),
    )


def _condition(requirement: str) -> st.SearchStrategy[Condition]:
    if requirement in ("notice-days", "reopen-days"):
        return st.builds(Condition, requirement=st.just(requirement), value=st.integers(0, 15))
    return st.just(Condition(requirement=requirement, value=True))


conditions: Final = st.sampled_from(REQUIREMENTS).flatmap(_condition)
effects: Final = fact(
    st.one_of(
        st.just("prohibits"),
        st.builds(Conditions, conditions=st.lists(conditions, min_size=1, max_size=2).map(tuple)),
    )
)


@st.composite
def regimes(
    draw: st.DrawFn, ref: str, arrangements: tuple[str, ...], persons: tuple[str, ...]
) -> Regime:
    """A scenario's own requirement row, with or without dates."""
    condition = draw(conditions)
    start, end = draw(st.one_of(st.just((None, None)), periods()))
    return Regime(
        id=ref,
        requirement=condition.requirement,
        value=condition.value,
        force=draw(st.sampled_from(("binding", "contested", "floor", "practice"))),
        source="scenario row",
        from_=start,
        to=end,
        applies_to=draw(selectors(arrangements, persons, empty=True)),
    )


@st.composite
def arrangements(draw: st.DrawFn, ref: str) -> Arrangement:
    """An arrangement between a sending state and another, with dated status changes."""
    sending = draw(st.sampled_from(SENDING))
    receiving = draw(destinations_from(sending))
    history = tuple(
        StatusChange(date=draw(days), status=status, source="record")
        for status in draw(st.lists(st.sampled_from(ARRANGEMENT_STATUSES), max_size=3))
    )
    if draw(true_mostly):
        # In force from before the range, perhaps with a later change on record.
        history = (StatusChange(date=dt.date(2025, 1, 1), status="in_force", source="record"),)
        if draw(booleans):
            later = draw(st.sampled_from(ARRANGEMENT_STATUSES))
            history += (StatusChange(date=draw(days), status=later, source="record"),)
    return Arrangement(
        ref=ref,
        sending=sending,
        receiving=receiving,
        model=draw(fact(FACT_VALUES["arrangement.model"])),
        cap=draw(fact(st.integers(0, 3), none=None)),
        period_caps=draw(fact(entries(period_caps(), 2))),
        concurrent_cap=draw(fact(st.integers(1, 3), none=None)),
        terms=draw(fact(terms)),
        commitments=draw(listed(st.sampled_from(("asylum_procedure", "accommodation")), 2)),
        status_history=history,
        on_arrival=draw(fact(on_arrivals)),
    )


@st.composite
def persons(draw: st.DrawFn, ref: str) -> Person:
    """A person whose every (u) fact is drawn independently."""
    return Person(
        ref=ref,
        names=("Name",),
        **{name: draw(fact(values)) for name, values in PERSON_FACTS.items()},
    )


@st.composite
def transfers(draw: st.DrawFn, ref: str, world: Scenario) -> Transfer:
    """A transfer of one of the world's persons, under one of its arrangements or none."""
    refs = tuple(a.ref for a in world.arrangements)
    # Under an arrangement more often than not, when the world has one.
    arrangement = draw(st.sampled_from((None, *refs, *refs)))
    if arrangement is None:
        sending = draw(st.sampled_from(SENDING))
        destination = draw(destinations_from(sending))
    else:
        found = next(a for a in world.arrangements if a.ref == arrangement)
        sending, destination = found.sending, found.receiving
    transfer = Transfer(
        ref=ref,
        person=draw(st.sampled_from([p.ref for p in world.persons])),
        sending=sending,
        destination=destination,
        planned_date=draw(days),
        arrangement=arrangement,
        status=draw(st.sampled_from(("proposed", "executed", "cancelled"))),
        monitoring=draw(
            entries(
                st.builds(
                    MonitoringEntry,
                    date=days,
                    kind=st.sampled_from(("visit", "onward_removal", "departed")),
                    country=st.sampled_from(FEARED),
                ),
                2,
            )
        ),
    )
    values = {
        name: draw(fact(known(world, transfer)))
        for name, known in TRANSFER_FACTS.items()
        if name != "designation_relied_on"
    }
    compatible = designations_for(world, transfer)
    values["designation_relied_on"] = draw(
        fact(st.sampled_from(compatible) if compatible else st.nothing(), none=None)
    )
    return Transfer(**{**_fields(transfer), **values})


def _fields(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__struct_fields__}


@st.composite
def worlds(draw: st.DrawFn) -> Scenario:
    """A small valid scenario@2 world with at least one proposed transfer."""
    arrangement_list = tuple(
        draw(arrangements(f"a{i}")) for i in range(1, draw(st.integers(0, 2)) + 1)
    )
    person_list = tuple(draw(persons(f"p{i}")) for i in range(1, draw(st.integers(1, 3)) + 1))
    arrangement_refs = tuple(a.ref for a in arrangement_list)
    person_refs = tuple(p.ref for p in person_list)
    # The scenario's own legal basis is dated, so that a basis relied on may be out of force.
    start, end = draw(periods())
    world = Scenario(
        parameters=Parameters(
            minor_age=draw(st.sampled_from((18, 18, 16))),
            notice_floor_days=draw(st.sampled_from((None, None, 0, 7, 14))),
        ),
        legal_bases=(
            LegalBasis(
                code=LOCAL_BASIS,
                sending="US",
                title="A basis of the scenario's own",
                requires_arrangement=draw(booleans),
                source="statute",
                from_=start,
                to=end,
            ),
        ),
        regimes=tuple(
            draw(regimes(f"R-{i}", arrangement_refs, person_refs))
            for i in range(draw(st.integers(0, 2)))
        ),
        classes=tuple(PersonClass(ref=c, title=c, source="order") for c in CLASSES),
        designations=tuple(
            draw(designations(f"d{i}")) for i in range(1, draw(st.integers(0, 2)) + 1)
        ),
        assurances=tuple(draw(assurances(f"as{i}")) for i in range(1, draw(st.integers(0, 3)) + 1)),
        countries=tuple(
            Country(code=code, assessments=draw(entries(assessments, 2)))
            for code in draw(listed(st.sampled_from(DESTINATIONS), 3))
        ),
        arrangements=arrangement_list,
        court_orders=tuple(
            draw(court_orders(f"o{i}", arrangement_refs, person_refs))
            for i in range(1, draw(st.integers(0, 2)) + 1)
        ),
        persons=person_list,
    )
    count = draw(st.integers(1, 4))
    made: list[Transfer] = []
    for i in range(1, count + 1):
        made.append(draw(transfers(f"t{i}", world)))
    made[0] = Transfer(**{**_fields(made[0]), "status": "proposed"})
    return Scenario(**{**_fields(world), "transfers": tuple(made)})


@st.composite
def designations(draw: st.DrawFn, ref: str) -> Designation:
    """A safe-country designation by a sending state."""
    start = draw(st.one_of(st.just(dt.date(2024, 6, 1)), days))
    end = draw(st.one_of(st.none(), st.integers(1, 200).map(lambda n: _day_after(start, n))))
    return Designation(
        ref=ref,
        designating_state=draw(st.sampled_from(SENDING)),
        country=draw(st.sampled_from(COUNTRIES)),
        kind=draw(st.sampled_from(("safe_country_of_origin", "safe_third_country"))),
        from_=start,
        to=end,
        source="list",
        territorial_exceptions=draw(fact(false_mostly)),
        personal_exceptions=draw(fact(false_mostly)),
        judicial_review=draw(fact(true_mostly)),
    )


@st.composite
def assurances(draw: st.DrawFn, ref: str) -> Assurance:
    """A diplomatic assurance whose elements are each known or not."""
    return Assurance(
        ref=ref,
        given_by=draw(st.sampled_from(DESTINATIONS)),
        given_to=draw(st.sampled_from(SENDING)),
        subject=draw(st.sampled_from(("non_refoulement", "treatment", "both"))),
        source="note",
        given_on=draw(fact(days)),
        **{name: draw(fact(true_mostly)) for name in ASSURANCE_FLAGS},
    )


assessments: Final = st.builds(
    Assessment,
    date=days,
    onward_refoulement_risk=booleans,
    source=st.just("report"),
    source_kind=fact(st.sampled_from(SOURCE_KINDS)),
)

DESIGNATION_FLAGS: Final = ("territorial_exceptions", "personal_exceptions", "judicial_review")
ASSURANCE_FLAGS: Final = ("binding", "disclosed", "monitoring", "remedy")

#: A person's (u) facts and the strategies of their known values ("none" included).
PERSON_FACTS: Final[dict[str, st.SearchStrategy[Any]]] = {
    "birth_date": birth_dates,
    "known_adult_on": st.one_of(days, st.dates(dt.date(2020, 1, 1), dt.date(2026, 6, 30))),
    "sex": st.sampled_from(("female", "male", "other")),
    "nationalities": listed(st.sampled_from(COUNTRIES), 2),
    "languages": st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True).map(
        tuple
    ),
    "accompanied": true_mostly,
    "identity_verified": true_mostly,
    "vulnerabilities": vulnerabilities,
    "counsel": booleans,
    "classes": listed(st.sampled_from(CLASSES), 2),
    "asylum_claim": st.sampled_from(("none", "pending", "granted", "refused")),
    "protections": entries(protections, 4),
    "fear_claims": entries(fear_claims, 4),
    "removal_decision": st.one_of(removal_decisions, removal_decisions, st.none()),
    "convictions": entries(convictions, 2),
    "pending_charges": entries(charges, 2),
    "family_in_sending_country": false_mostly,
    "fit_to_travel": true_mostly,
}

#: A transfer's (u) facts: for a world and the transfer, the strategy of their known values.
TRANSFER_FACTS: Final[dict[str, Callable[[Scenario, Transfer], st.SearchStrategy[Any]]]] = {
    "legal_basis": lambda world, t: st.sampled_from(LEGAL_BASES[t.sending]),
    "accepted_by_receiving": lambda world, t: true_mostly,
    "notice": lambda world, t: st.one_of(
        notices_before(t.planned_date), notices_before(t.planned_date), st.none()
    ),
    "opportunity": lambda world, t: opportunities,
    "assurances_relied_on": lambda world, t: reliances(tuple(a.ref for a in world.assurances)),
    "designation_relied_on": lambda world, t: st.sampled_from((None, *designations_for(world, t))),
    "on_arrival": lambda world, t: on_arrivals,
}

#: Known values of the facts that are not a person's or a transfer's own key.
FACT_VALUES: Final[dict[str, st.SearchStrategy[Any]]] = {
    "arrangement.model": st.sampled_from(ARRANGEMENT_MODELS),
    "arrangement.cap": st.one_of(st.none(), st.integers(0, 3)),
    "arrangement.period_caps": entries(period_caps(), 2),
    "arrangement.concurrent_cap": st.one_of(st.none(), st.integers(1, 3)),
    "arrangement.terms": terms,
    "notice.served": days,
    "notice.language": st.sampled_from(LANGUAGES),
    "opportunity.cut_off": st.one_of(st.none(), days),
    "removal_decision.date": days,
    "removal_decision.appeal_deadline": st.one_of(st.none(), days),
    "protection.granted_on": days,
    "protection.ended_on": st.one_of(st.none(), days),
    "protection.end_kind": st.sampled_from(("cancelled", "revoked", "ceased")),
    "fear_claim.raised_on": days,
    "fear_claim.decided_on": days,
    "conviction.category": st.sampled_from(OFFENCE_CATEGORIES),
    "conviction.sentence_end": days,
    "on_arrival.custody": st.sampled_from(CUSTODIES),
    "assessment.source_kind": st.sampled_from(SOURCE_KINDS),
    "court_order.effect": st.one_of(
        st.just("prohibits"),
        st.builds(Conditions, conditions=st.lists(conditions, min_size=1, max_size=2).map(tuple)),
    ),
}

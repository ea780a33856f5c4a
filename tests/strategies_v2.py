"""Hypothesis strategies for valid ``thirdcountry/scenario@2`` documents (plain dicts).

Worlds are small and drawn from small pools of codes (Kosovo's ``XK`` among them) and dates
around 2025-06-01. Every (u) fact, and every (u) sub-fact of a known object, is independently
left out (unknown), set to its "none" (``null`` or ``[]``) where it has one, or given a value.
Every ref names an entry of the same document or of the catalog data, every selector is
non-empty where it must be, periods end after they start and events follow their order, so
every document parses.
"""

from __future__ import annotations

from typing import Any, Final

from hypothesis import strategies as st

from strategies import LANGUAGES, day, days
from thirdcountry.scenario.model import COMMITMENTS, PAYMENT_KINDS
from thirdcountry.scenario.v2.catalog_rows import CATALOG_2026_2_R1
from thirdcountry.scenario.v2.model import (
    ARRANGEMENT_MODELS,
    ARRANGEMENT_STATUSES,
    CUSTODIES,
    DAY_REQUIREMENTS,
    EVENT_KINDS,
    EXCLUDED_GROUPS,
    FORCES,
    OFFENCE_CATEGORIES,
    PROTECTION_KINDS,
    REQUIREMENTS,
    SOURCE_KINDS,
)

Document = dict[str, Any]

COUNTRIES: Final = ("US", "GB", "IT", "RW", "LY", "SV", "XK", "AL", "ER")
SENDING: Final = ("US", "GB", "IT")
RECEIVING: Final = ("RW", "LY", "SV", "XK", "AL", "US")

_TEXT = st.sampled_from(("a source", "a court ruling", "Décision n° 3"))
_BOOL = st.booleans()


#: A key left out of the document being drawn.
ABSENT: Final = object()


def maybe(fact: st.SearchStrategy[Any], none: Any = "no none") -> st.SearchStrategy[Any]:
    """A (u) fact: a value, its known none when it has one, or unknown (``ABSENT``)."""
    choices = [fact, st.just(ABSENT)]
    if none != "no none":
        choices.append(st.just(none))
    return st.one_of(*choices)


def present(document: Document) -> Document:
    """The document without the keys drawn as left out (at any depth)."""
    cleaned: Document = {}
    for key, value in document.items():
        if value is ABSENT:
            continue
        if isinstance(value, dict):
            value = present(value)
        elif isinstance(value, list):
            value = [present(v) if isinstance(v, dict) else v for v in value]
        cleaned[key] = value
    return cleaned


def one_or_more(values: list[str]) -> st.SearchStrategy[Any]:
    """A selector key's value: one of ``values`` or a non-empty list of them."""
    return st.one_of(
        st.sampled_from(values), st.lists(st.sampled_from(values), min_size=1, max_size=2)
    )


@st.composite
def period(draw: st.DrawFn, required_from: bool = False) -> Document:
    """A ``from``/``to`` pair: each bound a date or null, ``to`` after ``from``."""
    start = draw(st.integers(-200, 100))
    length = draw(st.integers(1, 200))
    from_ = day(start) if required_from else draw(st.sampled_from((day(start), None, ABSENT)))
    to = draw(st.sampled_from((day(start + length), None, ABSENT)))
    return {"from": from_, "to": to}


@st.composite
def selectors(draw: st.DrawFn, refs: dict[str, list[str]], non_empty: bool = False) -> Document:
    """A selector over the refs of the document being drawn."""
    pools = {
        "sending": list(SENDING),
        "destination": list(RECEIVING),
        **{key: values for key, values in refs.items() if values},
    }
    keys = draw(
        st.lists(st.sampled_from(sorted(pools)), min_size=1 if non_empty else 0, unique=True)
    )
    return {key: draw(one_or_more(pools[key])) for key in keys}


_ON_ARRIVAL = st.fixed_dictionaries(
    {
        "custody": maybe(st.sampled_from(CUSTODIES)),
        "incommunicado": maybe(_BOOL),
        "individual_legal_basis": maybe(_BOOL),
        "counsel_access": maybe(_BOOL),
        "legal_status": maybe(_BOOL),
    }
)
_COUNTRY_LIST = st.lists(st.sampled_from(COUNTRIES), max_size=2)
_TERMS = st.fixed_dictionaries(
    {},
    optional={
        "excluded_nationalities": _COUNTRY_LIST,
        "eligible_nationalities": st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2),
        "criminal_record": st.sampled_from(("required", "excluded")),
        "requires_completed_sentences": _BOOL,
        "excludes_pending_charges": _BOOL,
        "excluded_offence_categories": st.lists(st.sampled_from(OFFENCE_CATEGORIES), max_size=2),
        "excluded_groups": st.lists(st.sampled_from(EXCLUDED_GROUPS), max_size=2),
        "notice_days": st.integers(0, 30),
    },
)


@st.composite
def legal_bases(draw: st.DrawFn, code: str) -> Document:
    """A scenario legal basis."""
    return {
        "code": code,
        "sending": draw(st.sampled_from(SENDING)),
        "title": "a legal basis",
        "requires_arrangement": draw(_BOOL),
        "source": draw(_TEXT),
        **draw(period()),
    }


@st.composite
def regimes(draw: st.DrawFn, id_: str, refs: dict[str, list[str]]) -> Document:
    """A scenario regime row, its value fitting its requirement."""
    requirement = draw(st.sampled_from(REQUIREMENTS))
    value = draw(st.integers(0, 30)) if requirement in DAY_REQUIREMENTS else True
    return {
        "id": id_,
        "requirement": requirement,
        "value": value,
        "force": draw(st.sampled_from(FORCES)),
        "source": draw(_TEXT),
        "title": draw(st.sampled_from(("a regime", None, ABSENT))),
        "applies_to": draw(st.one_of(st.just(ABSENT), selectors(refs))),
        **draw(period()),
    }


@st.composite
def designations(draw: st.DrawFn, ref: str) -> Document:
    """A safe-country designation."""
    return {
        "ref": ref,
        "designating_state": draw(st.sampled_from(SENDING)),
        "country": draw(st.sampled_from(RECEIVING)),
        "kind": draw(st.sampled_from(("safe_country_of_origin", "safe_third_country"))),
        "source": draw(_TEXT),
        "territorial_exceptions": draw(maybe(_BOOL)),
        "personal_exceptions": draw(maybe(_BOOL)),
        "judicial_review": draw(maybe(_BOOL)),
        **draw(period(required_from=True)),
    }


@st.composite
def assurances(draw: st.DrawFn, ref: str) -> Document:
    """A diplomatic assurance."""
    return {
        "ref": ref,
        "given_by": draw(st.sampled_from(RECEIVING)),
        "given_to": draw(st.sampled_from(SENDING)),
        "subject": draw(st.sampled_from(("non_refoulement", "treatment", "both"))),
        "source": draw(_TEXT),
        "given_on": draw(maybe(days())),
        "binding": draw(maybe(_BOOL)),
        "disclosed": draw(maybe(_BOOL)),
        "monitoring": draw(maybe(_BOOL)),
        "remedy": draw(maybe(_BOOL)),
    }


_ASSESSMENT = st.fixed_dictionaries(
    {
        "date": days(),
        "onward_refoulement_risk": _BOOL,
        "source": _TEXT,
        "source_kind": maybe(st.sampled_from(SOURCE_KINDS)),
    }
)


@st.composite
def arrangements(draw: st.DrawFn, ref: str) -> Document:
    """An arrangement whose every (u) fact is unknown, none or a value."""
    sending = draw(st.sampled_from(SENDING))
    receiving = draw(st.sampled_from(RECEIVING).filter(lambda c: c != sending))
    caps = st.lists(
        st.builds(
            lambda p, persons: {**p, "persons": persons, "source": "a cap"},
            period(required_from=True).filter(lambda p: isinstance(p["to"], str)),
            st.integers(0, 5),
        ),
        max_size=2,
    )
    payments = st.lists(
        st.fixed_dictionaries(
            {
                "date": days(),
                "amount": st.sampled_from(("0.00", "1250.50")),
                "currency": st.sampled_from(("USD", "EUR")),
                "kind": st.sampled_from(PAYMENT_KINDS),
                "payer": st.just(sending),
                "payee": st.just(receiving),
                "note": st.sampled_from(("reported", ABSENT)),
            }
        ),
        max_size=1,
    )
    return {
        "ref": ref,
        "sending": sending,
        "receiving": receiving,
        "title": draw(st.sampled_from(("an arrangement", ABSENT))),
        "model": draw(maybe(st.sampled_from(ARRANGEMENT_MODELS))),
        "cap": draw(maybe(st.integers(0, 5), None)),
        "period_caps": draw(maybe(caps)),
        "concurrent_cap": draw(maybe(st.integers(1, 5), None)),
        "terms": draw(maybe(_TERMS)),
        "commitments": draw(st.lists(st.sampled_from(COMMITMENTS), max_size=3, unique=True)),
        "status_history": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "date": days(),
                        "status": st.sampled_from(ARRANGEMENT_STATUSES),
                        "source": _TEXT,
                    }
                ),
                max_size=2,
            )
        ),
        "payments": draw(payments),
        "on_arrival": draw(maybe(_ON_ARRIVAL)),
    }


@st.composite
def court_orders(draw: st.DrawFn, ref: str, refs: dict[str, list[str]]) -> Document:
    """An order with a non-empty scope, events on or after its issue, and any effect."""
    issued = draw(st.integers(-100, 30))
    events = st.lists(
        st.fixed_dictionaries(
            {
                "date": st.integers(0, 60).map(lambda n: day(issued + n)),
                "kind": st.sampled_from(EVENT_KINDS),
                "by": st.just("a court"),
                "source": st.sampled_from(("a docket entry", ABSENT)),
            }
        ),
        max_size=2,
    )
    conditions = st.lists(
        st.sampled_from(REQUIREMENTS).flatmap(
            lambda r: st.fixed_dictionaries(
                {
                    "requirement": st.just(r),
                    "value": st.integers(0, 30) if r in DAY_REQUIREMENTS else st.just(True),
                }
            )
        ),
        max_size=2,
    )
    return {
        "ref": ref,
        "kind": draw(st.sampled_from(("stay", "injunction", "tro", "interim_measure", "order"))),
        "issuer": "a court",
        "issued": day(issued),
        "scope": draw(selectors(refs, non_empty=True)),
        "events": draw(st.one_of(st.just(ABSENT), events)),
        "effect": draw(
            maybe(st.one_of(st.just("prohibits"), conditions.map(lambda c: {"conditions": c})))
        ),
    }


_PROTECTION = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(PROTECTION_KINDS),
        "country": st.sampled_from(COUNTRIES),
        "granted_by": st.sampled_from(SENDING),
        "granted_on": maybe(days()),
        "ended_on": maybe(days(), None),
        "end_kind": maybe(st.sampled_from(("cancelled", "revoked", "ceased"))),
    }
)
_FEAR_CLAIM = st.sampled_from(("pending", "recognised", "rejected")).flatmap(
    lambda status: st.fixed_dictionaries(
        {
            "country": st.sampled_from(COUNTRIES),
            "status": st.just(status),
            "raised_on": maybe(days()),
            "decided_on": st.just(ABSENT) if status == "pending" else maybe(days()),
        }
    )
)
_REMOVAL_DECISION = st.fixed_dictionaries(
    {
        "date": maybe(days()),
        "final": maybe(_BOOL),
        "appeal_deadline": maybe(days(), None),
        "appeal_pending": maybe(_BOOL),
        "reviewable": maybe(_BOOL),
    }
)
_CATEGORY = maybe(st.sampled_from(OFFENCE_CATEGORIES))
_OFFENCE = st.sampled_from(("theft", ABSENT))


@st.composite
def persons(draw: st.DrawFn, ref: str, class_refs: list[str]) -> Document:
    """A person whose every (u) fact is independently unknown, none or a value."""
    classes = st.lists(st.sampled_from(class_refs), max_size=2) if class_refs else st.just([])
    return {
        "ref": ref,
        "names": draw(st.lists(st.sampled_from(("A. B.", "É. F.")), min_size=1, max_size=2)),
        "birth_date": draw(maybe(st.dates().map(lambda d: d.isoformat()).filter(_past))),
        "known_adult_on": draw(maybe(days())),
        "sex": draw(maybe(st.sampled_from(("female", "male", "other")))),
        "nationalities": draw(maybe(_COUNTRY_LIST, [])),
        "languages": draw(maybe(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3))),
        "accompanied": draw(maybe(_BOOL)),
        "identity_verified": draw(maybe(_BOOL)),
        "vulnerabilities": draw(
            maybe(st.lists(st.sampled_from(("pregnancy", "elderly")), max_size=2), [])
        ),
        "counsel": draw(maybe(_BOOL)),
        "classes": draw(maybe(classes, [])),
        "asylum_claim": draw(maybe(st.sampled_from(("none", "pending", "granted", "refused")))),
        "protections": draw(maybe(st.lists(_PROTECTION, max_size=2), [])),
        "fear_claims": draw(maybe(st.lists(_FEAR_CLAIM, max_size=2), [])),
        "removal_decision": draw(maybe(_REMOVAL_DECISION, None)),
        "convictions": draw(
            maybe(
                st.lists(
                    st.fixed_dictionaries(
                        {"offence": _OFFENCE, "category": _CATEGORY, "sentence_end": maybe(days())}
                    ),
                    max_size=2,
                ),
                [],
            )
        ),
        "pending_charges": draw(
            maybe(st.lists(st.fixed_dictionaries({"offence": _OFFENCE, "category": _CATEGORY})), [])
        ),
        "family_in_sending_country": draw(maybe(_BOOL)),
        "fit_to_travel": draw(maybe(_BOOL)),
    }


def _past(text: str) -> bool:
    return text <= "2025-01-01"


_NOTICE = st.fixed_dictionaries(
    {
        "served": maybe(days()),
        "language": maybe(st.sampled_from(LANGUAGES)),
        "names_destination": maybe(_BOOL),
        "served_on_counsel": maybe(_BOOL),
        "explains_how_to_contest": maybe(_BOOL),
    }
)
_OPPORTUNITY = st.fixed_dictionaries(
    {
        "cut_off": maybe(days(), None),
        "counsel_access": maybe(_BOOL),
        "interpreter": maybe(_BOOL),
    }
)


@st.composite
def transfers(draw: st.DrawFn, ref: str, world: Document) -> Document:
    """A transfer of a person of ``world``, under one of its arrangements or none, relying
    on legal bases, designations and assurances that fit it."""
    person = draw(st.sampled_from(world["persons"]))
    under = draw(st.sampled_from([None, *world["arrangements"]]))
    if under is not None:
        sending, destination = under["sending"], under["receiving"]
    else:
        sending = draw(st.sampled_from(SENDING))
        destination = draw(st.sampled_from(RECEIVING).filter(lambda c: c != sending))
    bases = [code for code, state in CATALOG_2026_2_R1.legal_bases.items() if state == sending]
    bases += [b["code"] for b in world["legal_bases"] if b["sending"] == sending]
    fitting = [
        d["ref"]
        for d in world["designations"]
        if d["designating_state"] == sending
        and (d["kind"] == "safe_country_of_origin" or d["country"] == destination)
    ]
    assurance_refs = [a["ref"] for a in world["assurances"]]
    reliances = st.lists(
        st.fixed_dictionaries(
            {"ref": st.sampled_from(assurance_refs), "replaces_screening": maybe(_BOOL)}
        ),
        max_size=2,
    )
    monitoring = st.lists(
        st.fixed_dictionaries(
            {
                "date": days(),
                "kind": st.sampled_from(
                    ("visit", "support_delivered", "onward_removal", "departed")
                ),
                "country": st.sampled_from(COUNTRIES),
                "note": st.sampled_from(("seen", ABSENT)),
            }
        ),
        max_size=1,
    )
    return {
        "ref": ref,
        "person": person["ref"],
        "sending": sending,
        "destination": destination,
        "planned_date": draw(days()),
        "arrangement": (
            under["ref"] if under is not None else draw(st.sampled_from((None, ABSENT)))
        ),
        "status": draw(st.sampled_from(("proposed", "executed", "cancelled", ABSENT))),
        "legal_basis": draw(maybe(st.sampled_from(bases))) if bases else ABSENT,
        "accepted_by_receiving": draw(maybe(_BOOL)),
        "notice": draw(maybe(_NOTICE, None)),
        "opportunity": draw(maybe(_OPPORTUNITY)),
        "assurances_relied_on": draw(maybe(reliances if assurance_refs else st.just([]), [])),
        "designation_relied_on": draw(
            maybe(st.sampled_from(fitting), None) if fitting else maybe(st.nothing(), None)
        ),
        "on_arrival": draw(maybe(_ON_ARRIVAL)),
        "monitoring": draw(st.one_of(st.just(ABSENT), monitoring)),
    }


def _refs(count: int, prefix: str) -> list[str]:
    return [f"{prefix}-{i}" for i in range(count)]


@st.composite
def scenario_documents_v2(draw: st.DrawFn) -> Document:
    """A whole valid scenario@2 world."""
    small = st.integers(0, 2)
    world: Document = {
        "format": "thirdcountry/scenario@2",
        "description": draw(st.sampled_from(("a generated world", ABSENT))),
        "as_of": draw(maybe(days())),
        "parameters": draw(
            maybe(
                st.fixed_dictionaries(
                    {},
                    optional={"minor_age": st.integers(1, 30), "notice_floor_days": small},
                )
            )
        ),
        "legal_bases": [draw(legal_bases(c)) for c in _refs(draw(small), "lb")],
        "classes": [
            {"ref": ref, "title": "a class", "source": "an order"}
            for ref in _refs(draw(small), "C")
        ],
        "designations": [draw(designations(r)) for r in _refs(draw(small), "D")],
        "assurances": [draw(assurances(r)) for r in _refs(draw(small), "AS")],
        "countries": [
            {"code": code, "assessments": draw(st.lists(_ASSESSMENT, max_size=2))}
            for code in draw(st.lists(st.sampled_from(COUNTRIES), max_size=3, unique=True))
        ],
        "arrangements": [draw(arrangements(r)) for r in _refs(draw(small), "A")],
    }
    class_refs = [c["ref"] for c in world["classes"]]
    world["persons"] = [draw(persons(r, class_refs)) for r in _refs(draw(st.integers(1, 3)), "P")]
    refs = {
        "arrangement": [a["ref"] for a in world["arrangements"]],
        "person": [p["ref"] for p in world["persons"]],
        "legal_basis": [*CATALOG_2026_2_R1.legal_bases, *(b["code"] for b in world["legal_bases"])],
        "class": class_refs,
    }
    world["regimes"] = [draw(regimes(r, refs)) for r in _refs(draw(small), "R")]
    world["court_orders"] = [draw(court_orders(r, refs)) for r in _refs(draw(small), "O")]
    world["transfers"] = [draw(transfers(r, world)) for r in _refs(draw(st.integers(0, 3)), "T")]
    return present(world)

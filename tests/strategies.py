"""Hypothesis strategies for valid ``thirdcountry/scenario@1`` documents (plain dicts).

Worlds are small (up to 4 countries, 3 arrangements, 3 court orders, 4 persons and 8
transfers) and drawn from small pools of codes and dates around 2025-06-01, so that
boundaries (equal dates, notice exactly in time, caps reached, orders lifted on the
screening date) come up often. Every (u) fact of a person or transfer is independently left
out (unknown), set to its "none" (``null`` or ``[]``) where it has one, or given a value.
Every ref a document uses names an entry of the same document, so every document parses.

The strategies for entries are built once, at import: building strategies inside each draw
costs more than drawing from them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

from hypothesis import strategies as st

from thirdcountry.scenario.model import (
    ARRANGEMENT_STATUSES,
    ASYLUM_CLAIMS,
    COMMITMENTS,
    COURT_ORDER_KINDS,
    FEAR_CLAIM_STATUSES,
    MONITORING_KINDS,
    PAYMENT_KINDS,
)

Document = dict[str, Any]

COUNTRIES: Final = ("US", "GB", "RW", "LY", "SV", "IQ", "SY", "ER")
#: States that send people in generated worlds, and states they send them to.
SENDING: Final = ("US", "GB")
RECEIVING: Final = ("US", "GB", "RW", "LY", "SV")
#: ISO 639-1 and ISO 639-3 spellings of the same languages, so that rule 9 compares both.
LANGUAGES: Final = ("ar", "ara", "en", "eng", "es", "spa", "ti", "fr")
CENTRE: Final = date(2025, 6, 1)

#: (u) facts of a person and of a transfer: the keys a document may leave out.
PERSON_FACTS: Final = (
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
TRANSFER_FACTS: Final = ("accepted_by_receiving", "notice")


def day(offset: int) -> str:
    """The date ``offset`` days from 2025-06-01, as ``YYYY-MM-DD``."""
    return (CENTRE + timedelta(days=offset)).isoformat()


def days(low: int = -60, high: int = 60) -> st.SearchStrategy[str]:
    """A date ``low`` to ``high`` days from 2025-06-01."""
    return st.integers(low, high).map(day)


def unknown_keys(keys: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    """Which (u) facts to leave out: often none, often a few, sometimes any of them."""
    return st.one_of(
        st.just(frozenset()),
        st.frozensets(st.sampled_from(keys), max_size=2),
        st.frozensets(st.sampled_from(keys)),
    )


# -- entries, built once ----------------------------------------------------------------------

#: Booleans that lean towards the value that lets a rule pass, so that some worlds are clear.
_MOSTLY_TRUE = st.sampled_from((True, True, False))
_MOSTLY_FALSE = st.sampled_from((False, False, True))
_SOURCES = st.sampled_from(("court ruling", "press report", "official statement"))
_COUNTRY_SETS = st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True)

#: Birth dates of adults and of children, with 29 February and 18th birthdays near P often.
BIRTH_DATES: Final = st.one_of(
    st.sampled_from(("2008-02-29", "2004-02-29", "2007-06-01", "2007-06-02", "2007-08-01")),
    st.dates(date(1960, 1, 1), date(2015, 12, 31)).map(date.isoformat),
)

_FEAR_CLAIMS = st.lists(
    st.fixed_dictionaries(
        {"country": st.sampled_from(COUNTRIES), "status": st.sampled_from(FEAR_CLAIM_STATUSES)}
    ),
    max_size=3,
)
_REMOVAL_DECISIONS = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {"date": days(-300, 0), "final": st.sampled_from((True, True, False))},
        optional={
            "appeal_deadline": st.one_of(st.none(), days(-90, 30)),
            "appeal_pending": st.sampled_from((False, False, True)),
        },
    ),
)
_CONVICTIONS = st.lists(
    st.fixed_dictionaries(
        {}, optional={"offence": st.sampled_from(("theft", "assault")), "sentence_end": days()}
    ),
    max_size=3,
)
_PERSON = st.fixed_dictionaries(
    {
        "names": st.lists(st.sampled_from(("A. B.", "C. D.", "É. F.")), min_size=1, max_size=2),
        "birth_date": BIRTH_DATES,
        "nationalities": _COUNTRY_SETS,
        "languages": st.lists(st.sampled_from(LANGUAGES), max_size=3),
        "accompanied": st.booleans(),
        "identity_verified": _MOSTLY_TRUE,
        "asylum_claim": st.sampled_from(("none", "refused", *ASYLUM_CLAIMS)),
        "fear_claims": _FEAR_CLAIMS,
        "removal_decision": _REMOVAL_DECISIONS,
        "convictions": _CONVICTIONS,
        "family_in_sending_country": _MOSTLY_FALSE,
        "fit_to_travel": _MOSTLY_TRUE,
    }
)
_UNKNOWN_PERSON_FACTS = unknown_keys(PERSON_FACTS)
_UNKNOWN_TRANSFER_FACTS = unknown_keys(TRANSFER_FACTS)

_ASSESSMENTS = st.lists(
    st.fixed_dictionaries(
        {"date": days(-30, 30), "onward_refoulement_risk": st.booleans(), "source": _SOURCES}
    ),
    max_size=3,
)

_TERMS = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "requires_served_sentence": st.booleans(),
            "excluded_nationalities": _COUNTRY_SETS,
            "notice_days": st.integers(0, 20),
        },
    ),
)
_STATUS_HISTORY = st.lists(
    st.fixed_dictionaries(
        {
            "date": days(-40, 20),
            # in_force more often than the other statuses, so that arrangements pass too
            "status": st.sampled_from(("in_force", "in_force", *ARRANGEMENT_STATUSES)),
            "source": _SOURCES,
        }
    ),
    max_size=3,
)
_PAYMENTS = st.lists(
    st.fixed_dictionaries(
        {
            "date": days(),
            "amount": st.sampled_from(("0.00", "1250.50", "50000000.00")),
            "currency": st.sampled_from(("USD", "GBP", "RWF")),
            "kind": st.sampled_from(PAYMENT_KINDS),
        },
        optional={"note": st.just("reported")},
    ),
    max_size=1,
)
_ARRANGEMENT = st.fixed_dictionaries(
    {},
    optional={
        "title": st.just("an arrangement"),
        "cap": st.one_of(st.none(), st.integers(0, 3)),
        "terms": _TERMS,
        "commitments": st.lists(st.sampled_from(COMMITMENTS), max_size=3, unique=True),
        "payments": _PAYMENTS,
    },
)

_NOTICE = st.fixed_dictionaries(
    {
        "served": days(-60, 20),
        "language": st.sampled_from(LANGUAGES),
        "names_destination": _MOSTLY_TRUE,
    }
)
_MONITORING = st.lists(
    st.fixed_dictionaries(
        {"date": days(), "kind": st.sampled_from(MONITORING_KINDS)},
        optional={"note": st.just("seen")},
    ),
    max_size=1,
)
_PARAMETERS = st.fixed_dictionaries(
    {}, optional={"notice_days": st.integers(0, 20), "minor_age": st.integers(16, 21)}
)


# -- composites -------------------------------------------------------------------------------


@st.composite
def persons(draw: st.DrawFn, ref: str) -> Document:
    """A person whose every (u) fact is independently unknown, none or a value."""
    person = {"ref": ref, **draw(_PERSON)}
    for key in draw(_UNKNOWN_PERSON_FACTS):
        del person[key]
    return person


@st.composite
def countries(draw: st.DrawFn) -> list[Document]:
    """Some of the pool's countries, each with assessments (equal dates happen)."""
    codes = draw(st.lists(st.sampled_from(COUNTRIES), max_size=4, unique=True))
    return [{"code": code, "assessments": draw(_ASSESSMENTS)} for code in codes]


@st.composite
def arrangements(draw: st.DrawFn, ref: str) -> Document:
    """An arrangement with maybe a status history, cap, terms, commitments and payments."""
    sending = draw(st.sampled_from(SENDING))
    receiving = draw(st.sampled_from(RECEIVING).filter(lambda c: c != sending))
    arrangement = {"ref": ref, "sending": sending, "receiving": receiving, **draw(_ARRANGEMENT)}
    if draw(_MOSTLY_TRUE):
        arrangement["status_history"] = draw(_STATUS_HISTORY)
    for payment in arrangement.get("payments", []):
        payment |= {"payer": sending, "payee": receiving}
    return arrangement


@st.composite
def transfer_docs(
    draw: st.DrawFn, ref: str, person_docs: list[Document], arrangement_docs: list[Document]
) -> Document:
    """A transfer of one of ``person_docs``, under one of ``arrangement_docs`` or none; its
    (u) facts independently unknown, none or a value. A notice is often in a language the
    person understands."""
    person = draw(st.sampled_from(person_docs))
    under = draw(st.sampled_from([None, *arrangement_docs]))
    if under is not None:
        sending, destination = under["sending"], under["receiving"]
    else:
        sending = draw(st.sampled_from(SENDING))
        destination = draw(st.sampled_from(RECEIVING).filter(lambda c: c != sending))
    notice = draw(st.one_of(st.none(), _NOTICE))
    understood = person.get("languages") or []
    if notice is not None and understood and draw(st.booleans()):
        notice["language"] = understood[draw(st.integers(0, len(understood) - 1))]
    transfer: Document = {
        "ref": ref,
        "person": person["ref"],
        "sending": sending,
        "destination": destination,
        "planned_date": draw(days(-20, 80)),
        "accepted_by_receiving": draw(_MOSTLY_TRUE),
        "notice": notice,
    }
    for key in draw(_UNKNOWN_TRANSFER_FACTS):
        del transfer[key]
    if under is not None or draw(st.booleans()):
        transfer["arrangement"] = None if under is None else under["ref"]
    status = draw(st.sampled_from((None, "proposed", "executed", "cancelled")))
    if status is not None:
        transfer["status"] = status
    if draw(st.booleans()):
        transfer["monitoring"] = [entry | {"country": destination} for entry in draw(_MONITORING)]
    return transfer


@st.composite
def court_orders(
    draw: st.DrawFn,
    ref: str,
    person_refs: list[str],
    arrangement_refs: list[str],
    pairs: list[tuple[str, str]],
) -> Document:
    """An order with any of the four scopes, often one that covers some transfer."""
    kinds = ["person", "pair", "sending"] + (["arrangement"] if arrangement_refs else [])
    kind = draw(st.sampled_from(kinds))
    scope: Document
    if kind == "person":
        scope = {"person": draw(st.sampled_from(person_refs))}
    elif kind == "arrangement":
        scope = {"arrangement": draw(st.sampled_from(arrangement_refs))}
    else:
        sending, destination = draw(
            st.one_of(st.sampled_from(pairs), st.tuples(*[st.sampled_from(COUNTRIES)] * 2))
        )
        scope = {"sending": sending} | ({"destination": destination} if kind == "pair" else {})
    issued = draw(st.integers(-40, 20))
    order: Document = {
        "ref": ref,
        "kind": draw(st.sampled_from(COURT_ORDER_KINDS)),
        "issuer": draw(st.sampled_from(("a court", "European Court of Human Rights"))),
        "issued": day(issued),
        "scope": scope,
    }
    lifted = draw(st.one_of(st.just("absent"), st.none(), st.integers(0, 40)))
    if lifted != "absent":
        order["lifted"] = None if lifted is None else day(issued + lifted)
    return order


@st.composite
def scenario_documents(draw: st.DrawFn, max_transfers: int = 8) -> Document:
    """A whole valid world: countries, arrangements, court orders, persons and transfers."""
    person_docs = [draw(persons(f"P-{i}")) for i in range(draw(st.integers(1, 4)))]
    person_refs = [p["ref"] for p in person_docs]
    arrangement_docs = [draw(arrangements(f"A-{i}")) for i in range(draw(st.integers(0, 3)))]
    transfer_list = [
        draw(transfer_docs(f"T-{i}", person_docs, arrangement_docs))
        for i in range(draw(st.integers(1, max_transfers)))
    ]
    pairs = sorted({(t["sending"], t["destination"]) for t in transfer_list})
    orders = [
        draw(court_orders(f"O-{i}", person_refs, [a["ref"] for a in arrangement_docs], pairs))
        for i in range(draw(st.integers(0, 3)))
    ]
    document: Document = {
        "format": "thirdcountry/scenario@1",
        "as_of": draw(days(-15, 15)),
        "countries": draw(countries()),
        "arrangements": arrangement_docs,
        "court_orders": orders,
        "persons": person_docs,
        "transfers": transfer_list,
    }
    if draw(st.booleans()):
        document["parameters"] = draw(_PARAMETERS)
    if draw(st.booleans()):
        document["description"] = "a generated world"
    return document


def proposed_refs(document: Document) -> list[str]:
    """The refs of the document's proposed transfers, in file order."""
    return [t["ref"] for t in document["transfers"] if t.get("status", "proposed") == "proposed"]

"""How a scenario@2 record lies in storage: its @1 projection in the relational columns, and
in ``facts_v2`` exactly the top-level keys where the record differs from what those columns
read as @2 give.

For a record ``r2``: ``p = project(r2)`` is the nearest @1 record (what catalog 2026.1 and
every @1 reader see), kept in its stored form; ``facts_v2`` holds each top-level key where
``r2`` differs from ``record_from_v1(p)``, the published @1 -> @2 mapping. Reading inverts it:
the @1 record read back, mapped to @2, its keys replaced by the stored ones, validated as the
@2 record. A record stored before scenario@2 has ``{}`` there, so every fact @2 adds is
unknown, as SCENARIO.md reads an @1 document.

Where @1 cannot hold a value the projection takes the nearest it can: status ``abandoned``
is ``terminated``; kinds ``tro`` and ``order`` are ``injunction``; a selector that no @1
scope names (a list, a legal basis, a class, a destination alone) covers nothing; an order's
dated events become its ``lifted`` date when the last of them ends it; a notice or a removal
decision with an unknown required part is unknown; a ``departed`` monitoring entry is left
out; a number above the stored columns' range is none.

An @1 write (a page, the @1 API) changes the columns only; an overlay key whose value no
longer projects to what the columns hold is then stale and is dropped on reading, so the
newer @1 fact wins over the @2 one it replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import msgspec

from thirdcountry.scenario import model as v1
from thirdcountry.scenario.flat import child_rows, rebuild, row_of
from thirdcountry.scenario.layout import (
    ARRANGEMENT,
    COUNTRY,
    COURT_ORDER,
    PERSON,
    TRANSFER,
    Layout,
)
from thirdcountry.scenario.parse import decode_hook
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.scenario.v2.from_v1 import record_from_v1
from thirdcountry.scenario.v2.model import UNKNOWN
from thirdcountry.scenario.write import record_to_document

#: The largest number the stored integer columns hold (a cap, a notice period).
STORED_INTEGER_MAX: Final = 2**31 - 1

#: The key of ``facts_v2`` listing the keys that are unknown although @1 columns say a value
#: (JSON has no "absent" value to write under the key itself).
UNKNOWN_KEYS: Final = "unknown"
#: The key of ``facts_v2`` holding the keys set, each as its @2 document writes it.
SET_KEYS: Final = "set"


class StoredFacts(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """What ``facts_v2`` holds: the keys @2 sets beyond the @1 columns, and those it leaves
    unknown where the columns would say a value."""

    set: dict[str, Any] = {}
    unknown: tuple[str, ...] = ()


# -- @2 -> @1 ------------------------------------------------------------------------------


def _number(value: Any) -> int | None:
    """A count as the @1 columns hold it: none when unknown or beyond their range."""
    if isinstance(value, int) and not isinstance(value, bool) and value <= STORED_INTEGER_MAX:
        return value
    return None


def _one(value: str | tuple[str, ...] | None) -> str | None:
    return value if isinstance(value, str) else None


def _scope(selector: v2.Selector) -> v1.CourtOrderScope:
    keys = selector.keys()
    person, arrangement = _one(selector.person), _one(selector.arrangement)
    sending, destination = _one(selector.sending), _one(selector.destination)
    if set(keys) == {"person"} and person:
        return v1.CourtOrderScope(person=person)
    if set(keys) == {"arrangement"} and arrangement:
        return v1.CourtOrderScope(arrangement=arrangement)
    if set(keys) <= {"sending", "destination"} and sending and (destination or len(keys) == 1):
        return v1.CourtOrderScope(sending=sending, destination=destination)
    return v1.CourtOrderScope()


def _lifted(order: v2.CourtOrder) -> Any:
    """The date the order stopped being in effect, if its events end it."""
    ended = None
    for event in sorted(order.events, key=lambda e: e.date):
        ended = None if event.kind == "reinstated" else event.date
    return None if ended is None else max(ended, order.issued)


def _terms(terms: Any) -> v1.Terms | None:
    if terms is UNKNOWN:
        return None
    return v1.Terms(
        requires_served_sentence=(
            terms.criminal_record == "required" and terms.requires_completed_sentences
        ),
        excluded_nationalities=terms.excluded_nationalities,
        notice_days=_number(terms.notice_days),
    )


def _arrangement(a: v2.Arrangement) -> v1.Arrangement:
    return v1.Arrangement(
        ref=a.ref,
        sending=a.sending,
        receiving=a.receiving,
        title=a.title,
        cap=_number(a.cap),
        terms=_terms(a.terms),
        commitments=a.commitments,
        status_history=tuple(
            v1.StatusChange(
                date=s.date,
                status="terminated" if s.status == "abandoned" else s.status,
                source=s.source,
            )
            for s in a.status_history
        ),
        payments=tuple(
            v1.Payment(
                date=p.date,
                amount=p.amount,
                currency=p.currency,
                kind=p.kind,
                payer=p.payer,
                payee=p.payee,
                note=p.note,
            )
            for p in a.payments
        ),
    )


#: The @1 kinds of order, each as itself; a temporary restraining order and a plain order are
#: nearest an injunction, which @1 reads the same way.
_COURT_ORDER_KINDS: Final[Mapping[str, v1.CourtOrderKind]] = {
    "stay": "stay",
    "injunction": "injunction",
    "interim_measure": "interim_measure",
}
#: The monitoring entries @1 has; ``departed`` has no @1 kind.
_MONITORING_KINDS: Final[Mapping[str, v1.MonitoringKind]] = {
    "visit": "visit",
    "support_delivered": "support_delivered",
    "onward_removal": "onward_removal",
}


def _court_order(o: v2.CourtOrder) -> v1.CourtOrder:
    return v1.CourtOrder(
        ref=o.ref,
        kind=_COURT_ORDER_KINDS.get(o.kind, "injunction"),
        issuer=o.issuer,
        issued=o.issued,
        scope=_scope(o.scope),
        lifted=_lifted(o),
    )


def _removal_decision(decision: Any) -> Any:
    if decision is UNKNOWN or decision is None:
        return decision
    if decision.date is UNKNOWN or decision.final is UNKNOWN:
        return UNKNOWN
    return v1.RemovalDecision(
        date=decision.date,
        final=decision.final,
        appeal_deadline=None if decision.appeal_deadline is UNKNOWN else decision.appeal_deadline,
        appeal_pending=decision.appeal_pending is True,
    )


def _each(values: Any, convert: Any) -> Any:
    return UNKNOWN if values is UNKNOWN else tuple(convert(v) for v in values)


def _person(p: v2.Person) -> v1.Person:
    return v1.Person(
        ref=p.ref,
        names=p.names,
        birth_date=p.birth_date,
        nationalities=p.nationalities,
        languages=p.languages,
        accompanied=p.accompanied,
        identity_verified=p.identity_verified,
        asylum_claim=p.asylum_claim,
        fear_claims=_each(
            p.fear_claims, lambda c: v1.FearClaim(country=c.country, status=c.status)
        ),
        removal_decision=_removal_decision(p.removal_decision),
        convictions=_each(
            p.convictions, lambda c: v1.Conviction(offence=c.offence, sentence_end=c.sentence_end)
        ),
        family_in_sending_country=p.family_in_sending_country,
        fit_to_travel=p.fit_to_travel,
    )


def _notice(notice: Any) -> Any:
    if notice is UNKNOWN or notice is None:
        return notice
    parts = (notice.served, notice.language, notice.names_destination)
    if any(part is UNKNOWN for part in parts):
        return UNKNOWN
    return v1.Notice(
        served=notice.served, language=notice.language, names_destination=notice.names_destination
    )


def _transfer(t: v2.Transfer) -> v1.Transfer:
    return v1.Transfer(
        ref=t.ref,
        person=t.person,
        sending=t.sending,
        destination=t.destination,
        planned_date=t.planned_date,
        arrangement=t.arrangement,
        status=t.status,
        accepted_by_receiving=t.accepted_by_receiving,
        notice=_notice(t.notice),
        monitoring=tuple(
            v1.MonitoringEntry(
                date=m.date, kind=_MONITORING_KINDS[m.kind], country=m.country, note=m.note
            )
            for m in t.monitoring
            if m.kind in _MONITORING_KINDS
        ),
    )


def _country(c: v2.Country) -> v1.Country:
    return v1.Country(
        code=c.code,
        assessments=tuple(
            v1.Assessment(
                date=a.date, onward_refoulement_risk=a.onward_refoulement_risk, source=a.source
            )
            for a in c.assessments
        ),
    )


_PROJECTIONS: Final[Mapping[type, Any]] = {
    v2.Country: _country,
    v2.Arrangement: _arrangement,
    v2.CourtOrder: _court_order,
    v2.Person: _person,
    v2.Transfer: _transfer,
}


def project(record: Any) -> Any:
    """The @1 record nearest an @2 one: what the relational columns hold of it."""
    return _PROJECTIONS[type(record)](record)


def project_scenario(scenario: v2.Scenario) -> v1.Scenario:
    """The @1 world nearest an @2 one (parameters included: @1's notice period of 10 days
    where the world sets no floor), record for record and in the same order."""
    floor = scenario.parameters.notice_floor_days
    return v1.Scenario(
        as_of=scenario.as_of,
        description=scenario.description,
        parameters=v1.Parameters(
            notice_days=10 if floor is None or floor > STORED_INTEGER_MAX else floor,
            minor_age=scenario.parameters.minor_age,
        ),
        countries=tuple(_country(c) for c in scenario.countries),
        arrangements=tuple(_arrangement(a) for a in scenario.arrangements),
        court_orders=tuple(_court_order(o) for o in scenario.court_orders),
        persons=tuple(_person(p) for p in scenario.persons),
        transfers=tuple(_transfer(t) for t in scenario.transfers),
    )


# -- the overlay -----------------------------------------------------------------------------


def _document_value(value: Any) -> Any:
    """A fact's value as its @2 document writes it (plain JSON)."""
    return msgspec.json.decode(msgspec.json.encode(value, enc_hook=_encode))


def _encode(value: Any) -> Any:
    if isinstance(value, v1.Amount):
        return str(value)
    raise NotImplementedError(type(value))


def stored_facts(record: Any, stored_v1: Any) -> dict[str, Any]:
    """``facts_v2`` for an @2 record whose @1 columns hold ``stored_v1`` (in stored form):
    each top-level key where the record differs from ``stored_v1`` read as @2."""
    base = record_from_v1(stored_v1)
    known: dict[str, Any] = {}
    unknown: list[str] = []
    for field in msgspec.structs.fields(type(record)):
        value = getattr(record, field.name)
        if value == getattr(base, field.name):
            continue
        if value is UNKNOWN:
            unknown.append(field.encode_name)
        else:
            known[field.encode_name] = _document_value(value)
    # Through JSON, as the column gives it back (lists, not tuples), so that an unchanged
    # record's facts compare equal to their stored selves.
    stored: dict[str, Any] = msgspec.json.decode(
        msgspec.json.encode(StoredFacts(set=known, unknown=tuple(unknown)))
    )
    return stored


def read_facts(facts: Any) -> StoredFacts:
    """A stored ``facts_v2`` value, validated."""
    return msgspec.convert(facts or {}, StoredFacts)


def with_facts(stored_v1: Any, facts: Any) -> Any:
    """The @2 record that @1 columns holding ``stored_v1`` and ``facts_v2`` holding ``facts``
    describe. A key an @1 write has since changed under it is stale and left out."""
    base = record_from_v1(stored_v1)
    overlay = read_facts(facts)
    if not overlay.set and not overlay.unknown:
        return base
    kind = type(base)
    document = record_to_document(base)
    for name in overlay.unknown:
        document.pop(name, None)
    document.update(overlay.set)
    merged = msgspec.convert(document, kind, dec_hook=decode_hook)
    stale = _stale_keys(merged, stored_v1)
    if not stale:
        return merged
    fields = {f.encode_name: f.name for f in msgspec.structs.fields(kind)}
    return msgspec.structs.replace(
        merged, **{fields[name]: getattr(base, fields[name]) for name in stale if name in fields}
    )


#: The layout each @1 record lies flat by.
_LAYOUTS: Final[Mapping[type, Layout]] = {
    v1.Country: COUNTRY,
    v1.Arrangement: ARRANGEMENT,
    v1.CourtOrder: COURT_ORDER,
    v1.Person: PERSON,
    v1.Transfer: TRANSFER,
}
#: The @2 key an @1 key is read into, where they are named differently.
_READ_INTO: Final = {"lifted": "events"}


def in_stored_form(record: Any) -> Any:
    """An @1 record as storage gives it back (see :func:`thirdcountry.records.load.stored_form`)."""
    return rebuild(
        _LAYOUTS[type(record)],
        row_of(_LAYOUTS[type(record)], record),
        child_rows(_LAYOUTS[type(record)], record),
    )


def _stale_keys(merged: Any, stored_v1: Any) -> list[str]:
    projected = in_stored_form(project(merged))
    return [
        _READ_INTO.get(field.encode_name, field.encode_name)
        for field in msgspec.structs.fields(type(stored_v1))
        if getattr(projected, field.name) != getattr(stored_v1, field.name)
    ]


#: The ref of the world's parameters among the stored @2 facts (there is one world).
PARAMETERS: Final = "world"
#: @1's notice period when a world set none.
V1_NOTICE_DAYS: Final = 10


def parameters_facts(parameters: v2.Parameters) -> dict[str, Any]:
    """The stored facts of a world's parameters: its notice floor (the minimum age lies in
    the @1 column)."""
    return {"notice_floor_days": parameters.notice_floor_days}


def notice_floor(stored: Mapping[str, Any] | None, notice_days: int) -> int | None:
    """The notice floor of the stored world: the one a scenario@2 load set; else, for a
    world stored from @1, its notice period when it set one: @1 held 10 days when a world
    set none, and 2026.2 does not present that default as law."""
    if stored is not None:
        floor = stored.get("notice_floor_days")
        return floor if isinstance(floor, int) else None
    return None if notice_days == V1_NOTICE_DAYS else notice_days

"""An @1 world read as @2, by the exact mapping of SCENARIO.md ("Reading an @1 document as
@2"): what @1 fused is split, what @1 meant by an absent key is written out, and every fact
@2 adds that the mapping does not set is unknown.
"""

from __future__ import annotations

from typing import Any

from thirdcountry.scenario import model as v1
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.scenario.v2.model import UNKNOWN


def scenario_from_v1(scenario: v1.Scenario, *, notice_days_given: bool = True) -> v2.Scenario:
    """The @2 records of a world read from a ``thirdcountry/scenario@1`` document.

    ``notice_days_given`` says whether the document set ``parameters.notice_days`` (the @1
    record holds @1's default of 10 either way): only a value the document set becomes
    ``notice_floor_days``, so that a world which left it to the catalog still does.
    """
    notice_days = scenario.parameters.notice_days
    return v2.Scenario(
        as_of=scenario.as_of,
        description=scenario.description,
        parameters=v2.Parameters(
            minor_age=scenario.parameters.minor_age,
            notice_floor_days=notice_days if notice_days_given else None,
        ),
        countries=tuple(_country(c) for c in scenario.countries),
        arrangements=tuple(_arrangement(a) for a in scenario.arrangements),
        court_orders=tuple(_court_order(o) for o in scenario.court_orders),
        persons=tuple(_person(p) for p in scenario.persons),
        transfers=tuple(_transfer(t) for t in scenario.transfers),
    )


def _country(country: v1.Country) -> v2.Country:
    # source_kind stays unknown: a no-risk finding from an @1 file is not independent.
    return v2.Country(
        code=country.code,
        assessments=tuple(
            v2.Assessment(
                date=a.date, onward_refoulement_risk=a.onward_refoulement_risk, source=a.source
            )
            for a in country.assessments
        ),
    )


def _terms(terms: v1.Terms | None) -> v2.Terms:
    if terms is None:
        # Absent terms meant "none" in @1 (its default), not "unknown".
        return v2.Terms()
    served = terms.requires_served_sentence
    # @1's one term fused two: a conviction is required, and its sentence must be served.
    return v2.Terms(
        excluded_nationalities=terms.excluded_nationalities,
        criminal_record="required" if served else None,
        requires_completed_sentences=served,
        notice_days=terms.notice_days,
    )


def _arrangement(arrangement: v1.Arrangement) -> v2.Arrangement:
    return v2.Arrangement(
        ref=arrangement.ref,
        sending=arrangement.sending,
        receiving=arrangement.receiving,
        title=arrangement.title,
        cap=arrangement.cap,
        period_caps=(),
        concurrent_cap=None,
        terms=_terms(arrangement.terms),
        commitments=arrangement.commitments,
        status_history=tuple(
            v2.StatusChange(date=s.date, status=s.status, source=s.source)
            for s in arrangement.status_history
        ),
        payments=tuple(_payment(p) for p in arrangement.payments),
    )


def _payment(payment: v1.Payment) -> v2.Payment:
    return v2.Payment(
        date=payment.date,
        amount=payment.amount,
        currency=payment.currency,
        kind=payment.kind,
        payer=payment.payer,
        payee=payment.payee,
        note=payment.note,
    )


def _scope(scope: v1.CourtOrderScope) -> v2.Selector:
    # {"sending": cc} is copied as the selector that covers every transfer from that state,
    # returns included, as SCENARIO.md intends.
    return v2.Selector(
        sending=scope.sending,
        destination=scope.destination,
        arrangement=scope.arrangement,
        person=scope.person,
    )


def _court_order(order: v1.CourtOrder) -> v2.CourtOrder:
    events: tuple[v2.Event, ...] = ()
    if order.lifted is not None:
        events = (v2.Event(date=order.lifted, kind="lifted", by=order.issuer),)
    return v2.CourtOrder(
        ref=order.ref,
        kind=order.kind,
        issuer=order.issuer,
        issued=order.issued,
        scope=_scope(order.scope),
        events=events,
        effect="prohibits",
    )


def _removal_decision(decision: Any) -> Any:
    if not isinstance(decision, v1.RemovalDecision):
        return decision  # unknown, or null: no decision exists
    # appeal_deadline and appeal_pending are already their @1 defaults (null, false) when
    # the @1 file left them out; reviewable stays unknown.
    return v2.RemovalDecision(
        date=decision.date,
        final=decision.final,
        appeal_deadline=decision.appeal_deadline,
        appeal_pending=decision.appeal_pending,
    )


def _each(values: Any, convert: Any) -> Any:
    """A (u) list converted entry by entry; unknown stays unknown."""
    return UNKNOWN if values is UNKNOWN else tuple(convert(v) for v in values)


def _person(person: v1.Person) -> v2.Person:
    return v2.Person(
        ref=person.ref,
        names=person.names,
        birth_date=person.birth_date,
        nationalities=person.nationalities,
        languages=person.languages,
        accompanied=person.accompanied,
        identity_verified=person.identity_verified,
        asylum_claim=person.asylum_claim,
        fear_claims=_each(
            person.fear_claims, lambda c: v2.FearClaim(country=c.country, status=c.status)
        ),
        removal_decision=_removal_decision(person.removal_decision),
        convictions=_each(
            person.convictions,
            lambda c: v2.Conviction(offence=c.offence, sentence_end=c.sentence_end),
        ),
        family_in_sending_country=person.family_in_sending_country,
        fit_to_travel=person.fit_to_travel,
    )


def _notice(notice: Any) -> Any:
    if not isinstance(notice, v1.Notice):
        return notice  # unknown, or null: no notice served
    return v2.Notice(
        served=notice.served, language=notice.language, names_destination=notice.names_destination
    )


def _transfer(transfer: v1.Transfer) -> v2.Transfer:
    return v2.Transfer(
        ref=transfer.ref,
        person=transfer.person,
        sending=transfer.sending,
        destination=transfer.destination,
        planned_date=transfer.planned_date,
        arrangement=transfer.arrangement,
        status=transfer.status,
        accepted_by_receiving=transfer.accepted_by_receiving,
        notice=_notice(transfer.notice),
        monitoring=tuple(
            v2.MonitoringEntry(date=m.date, kind=m.kind, country=m.country, note=m.note)
            for m in transfer.monitoring
        ),
    )


def record_from_v1(record: Any) -> Any:
    """One @1 record (a country, arrangement, court order, person or transfer) read as @2,
    by the same mapping as a whole world."""
    conversions: dict[type, Any] = {
        v1.Country: _country,
        v1.Arrangement: _arrangement,
        v1.CourtOrder: _court_order,
        v1.Person: _person,
        v1.Transfer: _transfer,
    }
    return conversions[type(record)](record)

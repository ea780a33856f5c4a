"""Write domain objects back out as a ``thirdcountry/scenario@1`` document.

The inverse of :mod:`thirdcountry.scenario.parse`: an unknown fact is left out, a known
"none" is written as ``null`` or ``[]``, so the three states survive a round trip.
"""

from __future__ import annotations

import json
from typing import Any

from thirdcountry.scenario.model import (
    UNKNOWN,
    Arrangement,
    Country,
    CourtOrder,
    Fact,
    Person,
    Scenario,
    Transfer,
)
from thirdcountry.scenario.parse import FORMAT


def _put(out: dict[str, Any], key: str, value: Fact[Any], convert: Any = None) -> None:
    """Set ``key`` unless the fact is unknown, converting a known value."""
    if value is UNKNOWN:
        return
    out[key] = convert(value) if convert is not None and value is not None else value


def _country(country: Country) -> dict[str, Any]:
    return {
        "code": country.code,
        "assessments": [
            {
                "date": a.date.isoformat(),
                "onward_refoulement_risk": a.onward_refoulement_risk,
                "source": a.source,
            }
            for a in country.assessments
        ],
    }


def _arrangement(arrangement: Arrangement) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ref": arrangement.ref,
        "sending": arrangement.sending,
        "receiving": arrangement.receiving,
    }
    if arrangement.title is not None:
        out["title"] = arrangement.title
    out["cap"] = arrangement.cap
    if arrangement.terms is not None:
        terms: dict[str, Any] = {
            "requires_served_sentence": arrangement.terms.requires_served_sentence,
            "excluded_nationalities": list(arrangement.terms.excluded_nationalities),
        }
        if arrangement.terms.notice_days is not None:
            terms["notice_days"] = arrangement.terms.notice_days
        out["terms"] = terms
    out["commitments"] = list(arrangement.commitments)
    out["status_history"] = [
        {"date": s.date.isoformat(), "status": s.status, "source": s.source}
        for s in arrangement.status_history
    ]
    payments = []
    for p in arrangement.payments:
        payment = {
            "date": p.date.isoformat(),
            "amount": str(p.amount),
            "currency": p.currency,
            "kind": p.kind,
            "payer": p.payer,
            "payee": p.payee,
        }
        if p.note is not None:
            payment["note"] = p.note
        payments.append(payment)
    out["payments"] = payments
    return out


def _court_order(order: CourtOrder) -> dict[str, Any]:
    scope = {
        key: value
        for key, value in (
            ("person", order.scope.person),
            ("arrangement", order.scope.arrangement),
            ("sending", order.scope.sending),
            ("destination", order.scope.destination),
        )
        if value is not None
    }
    return {
        "ref": order.ref,
        "kind": order.kind,
        "issuer": order.issuer,
        "issued": order.issued.isoformat(),
        "lifted": order.lifted.isoformat() if order.lifted else None,
        "scope": scope,
    }


def _person(person: Person) -> dict[str, Any]:
    out: dict[str, Any] = {"ref": person.ref, "names": list(person.names)}
    _put(out, "birth_date", person.birth_date, lambda d: d.isoformat())
    _put(out, "nationalities", person.nationalities, list)
    _put(out, "languages", person.languages, list)
    _put(out, "accompanied", person.accompanied)
    _put(out, "identity_verified", person.identity_verified)
    _put(out, "asylum_claim", person.asylum_claim)
    _put(
        out,
        "fear_claims",
        person.fear_claims,
        lambda claims: [{"country": c.country, "status": c.status} for c in claims],
    )
    _put(
        out,
        "removal_decision",
        person.removal_decision,
        lambda d: {
            "date": d.date.isoformat(),
            "final": d.final,
            "appeal_deadline": d.appeal_deadline.isoformat() if d.appeal_deadline else None,
            "appeal_pending": d.appeal_pending,
        },
    )

    def conviction(c: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if c.offence is not None:
            entry["offence"] = c.offence
        _put(entry, "sentence_end", c.sentence_end, lambda d: d.isoformat())
        return entry

    _put(out, "convictions", person.convictions, lambda cs: [conviction(c) for c in cs])
    _put(out, "family_in_sending_country", person.family_in_sending_country)
    _put(out, "fit_to_travel", person.fit_to_travel)
    return out


def _transfer(transfer: Transfer) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ref": transfer.ref,
        "person": transfer.person,
        "sending": transfer.sending,
        "destination": transfer.destination,
        "arrangement": transfer.arrangement,
        "planned_date": transfer.planned_date.isoformat(),
        "status": transfer.status,
    }
    _put(out, "accepted_by_receiving", transfer.accepted_by_receiving)
    _put(
        out,
        "notice",
        transfer.notice,
        lambda n: {
            "served": n.served.isoformat(),
            "language": n.language,
            "names_destination": n.names_destination,
        },
    )
    monitoring = []
    for m in transfer.monitoring:
        entry = {"date": m.date.isoformat(), "kind": m.kind, "country": m.country}
        if m.note is not None:
            entry["note"] = m.note
        monitoring.append(entry)
    out["monitoring"] = monitoring
    return out


def scenario_to_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a JSON-ready ``thirdcountry/scenario@1`` document."""
    document: dict[str, Any] = {"format": FORMAT}
    if scenario.description is not None:
        document["description"] = scenario.description
    if scenario.as_of is not None:
        document["as_of"] = scenario.as_of.isoformat()
    document["parameters"] = {
        "notice_days": scenario.parameters.notice_days,
        "minor_age": scenario.parameters.minor_age,
    }
    document["countries"] = [_country(c) for c in scenario.countries]
    document["arrangements"] = [_arrangement(a) for a in scenario.arrangements]
    document["court_orders"] = [_court_order(o) for o in scenario.court_orders]
    document["persons"] = [_person(p) for p in scenario.persons]
    document["transfers"] = [_transfer(t) for t in scenario.transfers]
    return document


def dumps_scenario(scenario: Scenario, *, indent: int | None = 1) -> str:
    """The scenario as JSON text."""
    return json.dumps(scenario_to_document(scenario), indent=indent, ensure_ascii=False)

"""Read the database back into domain objects: the inverse of loading.

A fixed number of queries whatever the number of records: one per table, grouped in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from thirdcountry.cases import models as cases
from thirdcountry.registry import models as registry
from thirdcountry.scenario.model import (
    UNKNOWN,
    Arrangement,
    Assessment,
    Conviction,
    Country,
    CourtOrder,
    CourtOrderScope,
    FearClaim,
    MonitoringEntry,
    Notice,
    Payment,
    Person,
    RemovalDecision,
    Scenario,
    StatusChange,
    Terms,
    Transfer,
)


def _grouped(rows: Any, key: str) -> dict[Any, list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _filter(queryset: Any, field: str, refs: Collection[str] | None) -> Any:
    return queryset if refs is None else queryset.filter(**{f"{field}__in": list(refs)})


def export_countries(codes: Collection[str] | None = None) -> list[Country]:
    """Countries that have assessments (or the given codes), with their assessments."""
    rows = _filter(registry.Assessment.objects, "country_id", codes).order_by("country", "seq")
    by_country = _grouped(rows.values(), "country_id")
    wanted = sorted(by_country) if codes is None else list(codes)
    return [
        Country(
            code=code,
            assessments=tuple(
                Assessment(r["date"], r["onward_refoulement_risk"], r["source"])
                for r in by_country.get(code, [])
            ),
        )
        for code in wanted
    ]


def export_arrangements(refs: Collection[str] | None = None) -> list[Arrangement]:
    """Arrangements (all, or those with the given refs) with their histories and ledgers."""
    arrangements = list(_filter(registry.Arrangement.objects, "ref", refs).order_by("id").values())
    ids = [a["id"] for a in arrangements]
    excluded = _grouped(
        registry.ExcludedNationality.objects.filter(arrangement_id__in=ids).values(),
        "arrangement_id",
    )
    commitments = _grouped(
        registry.Commitment.objects.filter(arrangement_id__in=ids).values(), "arrangement_id"
    )
    statuses = _grouped(
        registry.ArrangementStatus.objects.filter(arrangement_id__in=ids).order_by("seq").values(),
        "arrangement_id",
    )
    payments = _grouped(
        registry.Payment.objects.filter(arrangement_id__in=ids).order_by("seq").values(),
        "arrangement_id",
    )
    out = []
    for a in arrangements:
        excluded_codes = tuple(sorted(e["country_id"] for e in excluded.get(a["id"], [])))
        has_terms = a["requires_served_sentence"] or excluded_codes or a["notice_days"] is not None
        out.append(
            Arrangement(
                ref=a["ref"],
                sending=a["sending_id"],
                receiving=a["receiving_id"],
                title=a["title"],
                cap=a["cap"],
                terms=Terms(a["requires_served_sentence"], excluded_codes, a["notice_days"])
                if has_terms
                else None,
                commitments=tuple(sorted(c["commitment"] for c in commitments.get(a["id"], []))),
                status_history=tuple(
                    StatusChange(s["date"], s["status"], s["source"])
                    for s in statuses.get(a["id"], [])
                ),
                payments=tuple(
                    Payment(
                        p["date"],
                        _plain_amount(p["amount"]),
                        p["currency_id"],
                        p["kind"],
                        p["payer_id"],
                        p["payee_id"],
                        p["note"],
                    )
                    for p in payments.get(a["id"], [])
                ),
            )
        )
    return out


def _plain_amount(amount: Decimal) -> Decimal:
    """An amount without the storage's extra trailing zeros, keeping two decimals."""
    cents = amount.quantize(Decimal("0.01"))
    return cents if cents == amount else amount.normalize()


def export_court_orders(refs: Collection[str] | None = None) -> list[CourtOrder]:
    """Court orders (all, or those with the given refs)."""
    rows = (
        _filter(registry.CourtOrder.objects, "ref", refs)
        .order_by("id")
        .values(
            "ref",
            "kind",
            "issuer",
            "issued",
            "lifted",
            "scope_person__ref",
            "scope_arrangement__ref",
            "scope_sending_id",
            "scope_destination_id",
        )
    )
    return [
        CourtOrder(
            ref=r["ref"],
            kind=r["kind"],
            issuer=r["issuer"],
            issued=r["issued"],
            lifted=r["lifted"],
            scope=CourtOrderScope(
                person=r["scope_person__ref"],
                arrangement=r["scope_arrangement__ref"],
                sending=r["scope_sending_id"],
                destination=r["scope_destination_id"],
            ),
        )
        for r in rows
    ]


def export_persons(refs: Collection[str] | None = None) -> list[Person]:
    """Persons (all, or those with the given refs) with every (u) fact in its three states."""
    persons = list(_filter(cases.Person.objects, "ref", refs).order_by("id").values())
    ids = [p["id"] for p in persons]

    def children(model: Any, *order: str) -> dict[Any, list[dict[str, Any]]]:
        return _grouped(
            model.objects.filter(person_id__in=ids).order_by(*order).values(), "person_id"
        )

    names = children(cases.PersonName, "seq")
    nationalities = children(cases.Nationality, "country_id")
    languages = children(cases.PersonLanguage, "language_id")
    fear_claims = children(cases.FearClaim, "seq")
    convictions = children(cases.Conviction, "seq")
    out = []
    for p in persons:
        pid = p["id"]
        decision: Any = UNKNOWN
        if p["removal_decision_recorded"]:
            decision = (
                RemovalDecision(
                    p["removal_decision_date"],
                    p["removal_decision_final"],
                    p["appeal_deadline"],
                    p["appeal_pending"],
                )
                if p["removal_decision_date"] is not None
                else None
            )
        out.append(
            Person(
                ref=p["ref"],
                names=tuple(n["name"] for n in names.get(pid, [])),
                birth_date=_fact(p["birth_date"]),
                nationalities=tuple(n["country_id"] for n in nationalities.get(pid, []))
                if p["nationalities_recorded"]
                else UNKNOWN,
                languages=tuple(n["language_id"] for n in languages.get(pid, []))
                if p["languages_recorded"]
                else UNKNOWN,
                accompanied=_fact(p["accompanied"]),
                identity_verified=_fact(p["identity_verified"]),
                asylum_claim=_fact(p["asylum_claim"]),
                fear_claims=tuple(
                    FearClaim(c["country_id"], c["status"]) for c in fear_claims.get(pid, [])
                )
                if p["fear_claims_recorded"]
                else UNKNOWN,
                removal_decision=decision,
                convictions=tuple(
                    Conviction(c["offence"], _fact(c["sentence_end"]))
                    for c in convictions.get(pid, [])
                )
                if p["convictions_recorded"]
                else UNKNOWN,
                family_in_sending_country=_fact(p["family_in_sending_country"]),
                fit_to_travel=_fact(p["fit_to_travel"]),
            )
        )
    return out


def _fact(value: Any) -> Any:
    """A nullable scalar column as a (u) fact: NULL is unknown."""
    return UNKNOWN if value is None else value


def export_transfers(refs: Collection[str] | None = None) -> list[Transfer]:
    """Transfers (all, or those with the given refs), with their monitoring entries."""
    rows = list(
        _filter(cases.Transfer.objects, "ref", refs)
        .order_by("id")
        .values(
            "id",
            "ref",
            "person__ref",
            "sending_id",
            "destination_id",
            "arrangement__ref",
            "planned_date",
            "status",
            "accepted_by_receiving",
            "notice_recorded",
            "notice_served",
            "notice_language_id",
            "notice_names_destination",
        )
    )
    monitoring = _grouped(
        cases.MonitoringEntry.objects.filter(transfer_id__in=[r["id"] for r in rows])
        .order_by("seq")
        .values(),
        "transfer_id",
    )
    out = []
    for r in rows:
        notice: Any = UNKNOWN
        if r["notice_recorded"]:
            notice = (
                Notice(r["notice_served"], r["notice_language_id"], r["notice_names_destination"])
                if r["notice_served"] is not None
                else None
            )
        out.append(
            Transfer(
                ref=r["ref"],
                person=r["person__ref"],
                sending=r["sending_id"],
                destination=r["destination_id"],
                planned_date=r["planned_date"],
                arrangement=r["arrangement__ref"],
                status=r["status"],
                accepted_by_receiving=_fact(r["accepted_by_receiving"]),
                notice=notice,
                monitoring=tuple(
                    MonitoringEntry(m["date"], m["kind"], m["country_id"], m["note"])
                    for m in monitoring.get(r["id"], [])
                ),
            )
        )
    return out


def export_scenario() -> Scenario:
    """The whole database as a scenario: what ``thirdcountry export`` writes."""
    defaults = registry.ScreeningDefaults.current()
    return Scenario(
        as_of=defaults.as_of,
        description=defaults.description or None,
        parameters=defaults.parameters,
        countries=tuple(export_countries()),
        arrangements=tuple(export_arrangements()),
        court_orders=tuple(export_court_orders()),
        persons=tuple(export_persons()),
        transfers=tuple(export_transfers()),
    )

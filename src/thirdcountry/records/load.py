"""Load a scenario into the database: validate everything first, then write in one
transaction, creating new records and updating changed ones by ref. Loading the same file
twice changes nothing (and so adds no history)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from thirdcountry.cases import models as cases
from thirdcountry.records.export import (
    export_arrangements,
    export_countries,
    export_court_orders,
    export_persons,
    export_transfers,
)
from thirdcountry.registry import models as registry
from thirdcountry.scenario.model import (
    UNKNOWN,
    Arrangement,
    Country,
    CourtOrder,
    Fact,
    Notice,
    Person,
    RemovalDecision,
    Scenario,
    Terms,
    Transfer,
)
from thirdcountry.scenario.parse import Problem, ScenarioError

R = TypeVar("R", Arrangement, Person, CourtOrder, Transfer)

#: The most digits an amount may have in storage, before and after the decimal point.
AMOUNT_INTEGER_DIGITS = 20
AMOUNT_DECIMAL_PLACES = 4
#: The largest cap or notice period storage holds (a 32-bit integer column).
STORED_INTEGER_MAX = 2**31 - 1


@dataclass
class LoadSummary:
    """How many records of each kind a load created, updated or left unchanged."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        per_kind = self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        per_kind[outcome] += n

    @property
    def changed(self) -> bool:
        """Whether the load wrote anything."""
        return any(c["created"] or c["updated"] for c in self.counts.values())


def storage_problems(scenario: Scenario) -> list[Problem]:
    """What a valid scenario may still hold that storage cannot keep exactly."""
    problems = []
    limits = (("ref", 100),)
    sections: Sequence[tuple[str, Sequence[Any]]] = (
        ("arrangements", scenario.arrangements),
        ("court_orders", scenario.court_orders),
        ("persons", scenario.persons),
        ("transfers", scenario.transfers),
    )
    for section, entries in sections:
        for i, entry in enumerate(entries):
            for key, most in limits:
                if len(getattr(entry, key)) > most:
                    problems.append(
                        Problem(f"{section}[{i}].{key}", f"is longer than {most} characters")
                    )
    for i, person in enumerate(scenario.persons):
        for j, name in enumerate(person.names):
            if len(name) > 300:
                problems.append(
                    Problem(f"persons[{i}].names[{j}]", "is longer than 300 characters")
                )
    for i, arrangement in enumerate(scenario.arrangements):
        numbers = (
            ("cap", arrangement.cap),
            ("terms.notice_days", arrangement.terms.notice_days if arrangement.terms else None),
        )
        for key, number in numbers:
            if number is not None and number > STORED_INTEGER_MAX:
                problems.append(
                    Problem(f"arrangements[{i}].{key}", f"{number} is above {STORED_INTEGER_MAX}")
                )
        for j, payment in enumerate(arrangement.payments):
            _sign, digits, exponent = payment.amount.as_tuple()
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            integer_digits = len(digits) - places
            if places > AMOUNT_DECIMAL_PLACES or integer_digits > AMOUNT_INTEGER_DIGITS:
                problems.append(
                    Problem(
                        f"arrangements[{i}].payments[{j}].amount",
                        f"{payment.amount} has more than {AMOUNT_INTEGER_DIGITS} digits before "
                        f"or {AMOUNT_DECIMAL_PLACES} after the decimal point",
                    )
                )
    return problems


def _known(value: Fact[Any]) -> Any:
    return None if value is UNKNOWN else value


def _normalized_arrangement(arrangement: Arrangement) -> Arrangement:
    """The arrangement as storage keeps it: terms that say nothing are no terms."""
    terms = None if arrangement.terms == Terms() else arrangement.terms
    return replace(arrangement, terms=terms, commitments=tuple(sorted(arrangement.commitments)))


class _Writer:
    """Writes one scenario; every write records history with the load as its reason."""

    def __init__(self, summary: LoadSummary, reason: str, user: Any = None) -> None:
        self.summary = summary
        self.reason = reason
        self.user = user if getattr(user, "is_authenticated", False) else None

    # -- generic helpers ----------------------------------------------------------------

    def create(self, model: type[models.Model], objects: list[Any]) -> None:
        if objects:
            bulk_create_with_history(
                objects,
                model,
                batch_size=2000,
                default_user=self.user,
                default_change_reason=self.reason,
            )

    def save(self, instance: models.Model) -> None:
        instance._change_reason = self.reason
        if self.user is not None:
            instance._history_user = self.user
        instance.save()

    def replace_children(
        self, model: type[models.Model], parent: str, parent_id: object, rows: Iterable[Any]
    ) -> None:
        for old in model.objects.filter(**{parent: parent_id}):
            old._change_reason = self.reason
            if self.user is not None:
                old._history_user = self.user
            old.delete()
        self.create(model, list(rows))

    def ids(self, model: type[models.Model], refs: Iterable[str]) -> dict[str, int]:
        return dict(model.objects.filter(ref__in=list(refs)).values_list("ref", "id"))

    def upsert(
        self,
        kind: str,
        model: type[models.Model],
        incoming: Sequence[R],
        existing: dict[str, R],
        fields: Callable[[R], dict[str, Any]],
        children: Callable[[R, int], dict[type[models.Model], tuple[str, list[Any]]]],
    ) -> None:
        """Create the new records, update the changed ones, leave the rest untouched."""
        new = [r for r in incoming if r.ref not in existing]
        changed = [r for r in incoming if r.ref in existing and existing[r.ref] != r]
        self.summary.add(kind, "unchanged", len(incoming) - len(new) - len(changed))
        self.summary.add(kind, "created", len(new))
        self.summary.add(kind, "updated", len(changed))
        self.create(model, [model(ref=r.ref, **fields(r)) for r in new])
        ids = self.ids(model, [r.ref for r in new])
        batches: dict[type[models.Model], list[Any]] = {}
        for record in new:
            for child_model, (_, rows) in children(record, ids[record.ref]).items():
                batches.setdefault(child_model, []).extend(rows)
        for child_model, rows in batches.items():
            self.create(child_model, rows)
        if not changed:
            return
        stored = {obj.ref: obj for obj in model.objects.filter(ref__in=[r.ref for r in changed])}
        for record in changed:
            instance = stored[record.ref]
            for name, value in fields(record).items():
                setattr(instance, name, value)
            self.save(instance)
            before = children(existing[record.ref], instance.pk)
            for child_model, (parent, rows) in children(record, instance.pk).items():
                if _child_values(rows) != _child_values(before[child_model][1]):
                    self.replace_children(child_model, parent, instance.pk, rows)

    # -- each kind of record --------------------------------------------------------------

    def defaults(self, scenario: Scenario) -> None:
        stored = registry.ScreeningDefaults.objects.filter(pk=1).first()
        values = {
            "description": scenario.description or "",
            "as_of": scenario.as_of,
            "notice_days": scenario.parameters.notice_days,
            "minor_age": scenario.parameters.minor_age,
        }
        if stored is None:
            self.save(registry.ScreeningDefaults(pk=1, **values))
            self.summary.add("screening defaults", "created")
        elif any(getattr(stored, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(stored, k, v)
            self.save(stored)
            self.summary.add("screening defaults", "updated")
        else:
            self.summary.add("screening defaults", "unchanged")

    def countries(self, countries: Sequence[Country]) -> None:
        existing = {c.code: c for c in export_countries([c.code for c in countries])}
        for country in countries:
            if existing[country.code] == country:
                self.summary.add("countries", "unchanged")
                continue
            self.summary.add("countries", "updated")
            self.replace_children(
                registry.Assessment,
                "country_id",
                country.code,
                [
                    registry.Assessment(
                        country_id=country.code,
                        seq=seq,
                        date=a.date,
                        onward_refoulement_risk=a.onward_refoulement_risk,
                        source=a.source,
                    )
                    for seq, a in enumerate(country.assessments)
                ],
            )

    def arrangements(self, arrangements: Sequence[Arrangement]) -> None:
        incoming = [_normalized_arrangement(a) for a in arrangements]
        existing = {a.ref: a for a in export_arrangements([a.ref for a in incoming])}

        def fields(a: Arrangement) -> dict[str, Any]:
            return {
                "sending_id": a.sending,
                "receiving_id": a.receiving,
                "title": a.title,
                "cap": a.cap,
                "requires_served_sentence": bool(a.terms and a.terms.requires_served_sentence),
                "notice_days": a.terms.notice_days if a.terms else None,
            }

        def children(a: Arrangement, pk: int) -> dict[type[models.Model], tuple[str, list[Any]]]:
            excluded = a.terms.excluded_nationalities if a.terms else ()
            return {
                registry.ExcludedNationality: (
                    "arrangement_id",
                    [
                        registry.ExcludedNationality(arrangement_id=pk, country_id=c)
                        for c in excluded
                    ],
                ),
                registry.Commitment: (
                    "arrangement_id",
                    [registry.Commitment(arrangement_id=pk, commitment=c) for c in a.commitments],
                ),
                registry.ArrangementStatus: (
                    "arrangement_id",
                    [
                        registry.ArrangementStatus(
                            arrangement_id=pk, seq=i, date=s.date, status=s.status, source=s.source
                        )
                        for i, s in enumerate(a.status_history)
                    ],
                ),
                registry.Payment: (
                    "arrangement_id",
                    [
                        registry.Payment(
                            arrangement_id=pk,
                            seq=i,
                            date=p.date,
                            amount=p.amount,
                            currency_id=p.currency,
                            kind=p.kind,
                            payer_id=p.payer,
                            payee_id=p.payee,
                            note=p.note,
                        )
                        for i, p in enumerate(a.payments)
                    ],
                ),
            }

        self.upsert("arrangements", registry.Arrangement, incoming, existing, fields, children)

    def persons(self, persons: Sequence[Person]) -> None:
        existing = {p.ref: p for p in export_persons([p.ref for p in persons])}

        def fields(p: Person) -> dict[str, Any]:
            decision = p.removal_decision
            known = decision if isinstance(decision, RemovalDecision) else None
            return {
                "birth_date": _known(p.birth_date),
                "nationalities_recorded": p.nationalities is not UNKNOWN,
                "languages_recorded": p.languages is not UNKNOWN,
                "accompanied": _known(p.accompanied),
                "identity_verified": _known(p.identity_verified),
                "asylum_claim": _known(p.asylum_claim),
                "fear_claims_recorded": p.fear_claims is not UNKNOWN,
                "removal_decision_recorded": decision is not UNKNOWN,
                "removal_decision_date": known.date if known else None,
                "removal_decision_final": known.final if known else None,
                "appeal_deadline": known.appeal_deadline if known else None,
                "appeal_pending": known.appeal_pending if known else None,
                "convictions_recorded": p.convictions is not UNKNOWN,
                "family_in_sending_country": _known(p.family_in_sending_country),
                "fit_to_travel": _known(p.fit_to_travel),
            }

        def children(p: Person, pk: int) -> dict[type[models.Model], tuple[str, list[Any]]]:
            return {
                cases.PersonName: (
                    "person_id",
                    [
                        cases.PersonName(person_id=pk, seq=i, name=n).derive()
                        for i, n in enumerate(p.names)
                    ],
                ),
                cases.Nationality: (
                    "person_id",
                    [cases.Nationality(person_id=pk, country_id=c) for c in p.nationalities or ()]
                    if p.nationalities is not UNKNOWN
                    else [],
                ),
                cases.PersonLanguage: (
                    "person_id",
                    [cases.PersonLanguage(person_id=pk, language_id=c) for c in p.languages]
                    if p.languages is not UNKNOWN
                    else [],
                ),
                cases.FearClaim: (
                    "person_id",
                    [
                        cases.FearClaim(person_id=pk, seq=i, country_id=c.country, status=c.status)
                        for i, c in enumerate(p.fear_claims)
                    ]
                    if p.fear_claims is not UNKNOWN
                    else [],
                ),
                cases.Conviction: (
                    "person_id",
                    [
                        cases.Conviction(
                            person_id=pk,
                            seq=i,
                            offence=c.offence,
                            sentence_end=_known(c.sentence_end),
                        )
                        for i, c in enumerate(p.convictions)
                    ]
                    if p.convictions is not UNKNOWN
                    else [],
                ),
            }

        self.upsert("persons", cases.Person, persons, existing, fields, children)

    def court_orders(self, orders: Sequence[CourtOrder]) -> None:
        existing = {o.ref: o for o in export_court_orders([o.ref for o in orders])}
        persons = self.ids(cases.Person, {o.scope.person for o in orders if o.scope.person})
        arrangements = self.ids(
            registry.Arrangement, {o.scope.arrangement for o in orders if o.scope.arrangement}
        )

        def fields(o: CourtOrder) -> dict[str, Any]:
            return {
                "kind": o.kind,
                "issuer": o.issuer,
                "issued": o.issued,
                "lifted": o.lifted,
                "scope_person_id": persons[o.scope.person] if o.scope.person else None,
                "scope_arrangement_id": arrangements[o.scope.arrangement]
                if o.scope.arrangement
                else None,
                "scope_sending_id": o.scope.sending,
                "scope_destination_id": o.scope.destination,
            }

        self.upsert("court orders", registry.CourtOrder, orders, existing, fields, lambda o, pk: {})

    def transfers(self, transfers: Sequence[Transfer]) -> None:
        existing = {t.ref: t for t in export_transfers([t.ref for t in transfers])}
        persons = self.ids(cases.Person, {t.person for t in transfers})
        arrangements = self.ids(
            registry.Arrangement, {t.arrangement for t in transfers if t.arrangement}
        )

        def fields(t: Transfer) -> dict[str, Any]:
            notice = t.notice if isinstance(t.notice, Notice) else None
            return {
                "person_id": persons[t.person],
                "sending_id": t.sending,
                "destination_id": t.destination,
                "arrangement_id": arrangements[t.arrangement] if t.arrangement else None,
                "planned_date": t.planned_date,
                "status": t.status,
                "accepted_by_receiving": _known(t.accepted_by_receiving),
                "notice_recorded": t.notice is not UNKNOWN,
                "notice_served": notice.served if notice else None,
                "notice_language_id": notice.language if notice else None,
                "notice_names_destination": notice.names_destination if notice else None,
            }

        def children(t: Transfer, pk: int) -> dict[type[models.Model], tuple[str, list[Any]]]:
            return {
                cases.MonitoringEntry: (
                    "transfer_id",
                    [
                        cases.MonitoringEntry(
                            transfer_id=pk,
                            seq=i,
                            date=m.date,
                            kind=m.kind,
                            country_id=m.country,
                            note=m.note,
                        )
                        for i, m in enumerate(t.monitoring)
                    ],
                )
            }

        self.upsert("transfers", cases.Transfer, transfers, existing, fields, children)


def _child_values(rows: Sequence[models.Model]) -> list[dict[str, Any]]:
    """Child rows as comparable values, ignoring their primary keys."""
    return [
        {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key}
        for row in rows
    ]


def load_scenario_records(scenario: Scenario, *, source: str = "scenario") -> LoadSummary:
    """Write a parsed scenario into the database in one transaction.

    Records are matched by ref (countries by code): new ones are created, changed ones
    updated, the rest untouched. Records in the database that the scenario does not mention
    are kept. Raises :class:`ScenarioError` (and writes nothing) when the scenario holds
    something storage cannot keep exactly.
    """
    problems = storage_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    summary = LoadSummary()
    writer = _Writer(summary, f"load {source}"[:100])
    with transaction.atomic():
        writer.defaults(scenario)
        _write_records(writer, scenario)
    return summary


def write_records(scenario: Scenario, *, reason: str, user: Any = None) -> LoadSummary:
    """Create or update the records ``scenario`` holds (matched by ref, countries by code)
    in one transaction, as :func:`load_scenario_records` does, but leave the stored
    screening defaults (description, as-of date, parameters) alone.

    For writing a few records at a time (the REST API): ``reason`` and ``user`` go into
    their history. Raises :class:`ScenarioError` when storage cannot keep a value exactly.
    """
    problems = storage_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    summary = LoadSummary()
    writer = _Writer(summary, reason[:100], user)
    with transaction.atomic():
        _write_records(writer, scenario)
    return summary


def _write_records(writer: _Writer, scenario: Scenario) -> None:
    writer.countries(scenario.countries)
    writer.arrangements(scenario.arrangements)
    writer.persons(scenario.persons)
    writer.court_orders(scenario.court_orders)
    writer.transfers(scenario.transfers)

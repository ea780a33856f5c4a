"""A world prepared for screening under catalog 2026.2: its records indexed once, the catalog
data joined to the scenario's own rows, and the shared definitions of RULES-2026.2 §2 that
read more than one transfer (arrangement status, assessments, order effect, incidents,
counts of persons).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from thirdcountry.rules.v2.data import CatalogData
from thirdcountry.scenario.v2.model import (
    INDEPENDENT_SOURCES,
    UNKNOWN,
    Arrangement,
    Assessment,
    Assurance,
    CourtOrder,
    Designation,
    LegalBasis,
    Person,
    Regime,
    Scenario,
    Selector,
    Transfer,
)

Cover = Literal["covers", "may", "no"]


@dataclass(frozen=True, slots=True)
class RegimeRow:
    """A requirement row of §2.8, from any of its four origins."""

    id: str
    requirement: str
    value: bool | int
    force: str
    applies_to: Selector
    origin: int
    position: int
    title: str | None = None
    source: str | None = None
    from_: dt.date | None = None
    to: dt.date | None = None
    #: For an order's condition (origin 4): the order, whose effect dates the row.
    order: CourtOrder | None = None


@dataclass(frozen=True)
class Persons:
    """The persons with transfers under an arrangement, or in one of its periods (§2.12): E,
    those with an executed transfer, and how many proposed transfers each person has (Q is
    every person with a proposed transfer other than the one being screened)."""

    executed: frozenset[str]
    proposed: Mapping[str, int]

    @cached_property
    def _everyone(self) -> int:
        return len(self.executed | set(self.proposed))

    @cached_property
    def _only_pending(self) -> int:
        return len(set(self.proposed) - self.executed)

    def reach(self, person: str) -> int:
        """The size of E, Q and ``person`` together: how many persons the arrangement
        would cover if every pending proposal went ahead, this person's included."""
        known_here = person in self.executed or person in self.proposed
        return self._everyone + (0 if known_here else 1)

    def pending(self, person: str) -> int:
        """The size of Q without E for a transfer of ``person``: the others whose proposals
        are pending and who are not covered yet (a person counts once however many
        transfers they have)."""
        alone = self.proposed.get(person) == 1 and person not in self.executed
        return self._only_pending - (1 if alone else 0)


@dataclass(frozen=True, slots=True)
class Incident:
    """An onward removal in the same channel (§2.11), and whether it is only possible."""

    date: dt.date
    country: str
    person: str
    possible: bool


def in_force(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Whether a half-open range [start, end) holds on ``day`` (§1.1)."""
    return (start is None or start <= day) and (end is None or day < end)


def status_on(arrangement: Arrangement, day: dt.date) -> tuple[str | None, dt.date | None]:
    """The arrangement's status on ``day`` and the date it took effect (§2.1)."""
    found: tuple[str | None, dt.date | None] = (None, None)
    for change in arrangement.status_history:
        if change.date <= day and (found[1] is None or change.date >= found[1]):
            found = (change.status, change.date)
    return found


def order_in_effect(order: CourtOrder, day: dt.date) -> bool:
    """Whether the order is in effect on ``day`` (§2.7)."""
    if order.issued > day:
        return False
    latest = None
    for event in order.events:
        if event.date <= day and (latest is None or event.date >= latest.date):
            latest = event
    return latest is None or latest.kind == "reinstated"


def order_in_effect_within(order: CourtOrder, first: dt.date, last: dt.date) -> bool:
    """Whether the order is in effect on some day from ``first`` to ``last`` (the window W):
    its effect changes only on its issue date and its events' dates."""
    days = {first} | {
        d for d in (order.issued, *(e.date for e in order.events)) if first < d <= last
    }
    return any(order_in_effect(order, day) for day in days)


@dataclass
class World:
    """A scenario and its screening date ``day`` (D), indexed for the rules."""

    scenario: Scenario
    day: dt.date
    data: CatalogData
    persons: dict[str, Person] = field(init=False)
    transfers: dict[str, Transfer] = field(init=False)
    arrangements: dict[str, Arrangement] = field(init=False)
    designations: dict[str, Designation] = field(init=False)
    assurances: dict[str, Assurance] = field(init=False)
    legal_bases: dict[str, LegalBasis] = field(init=False)
    _persons: dict[tuple[str, tuple[dt.date, dt.date] | None], Persons] = field(
        init=False, default_factory=dict
    )
    _present: dict[tuple[str, dt.date], frozenset[str]] = field(init=False, default_factory=dict)
    _selectors: dict[int, dict[str, tuple[str, ...]]] = field(init=False, default_factory=dict)
    _rows: dict[tuple[str, dt.date], tuple[RegimeRow, ...]] = field(
        init=False, default_factory=dict
    )
    _incidents: dict[tuple[str | None, str, str], tuple[Incident | None, Incident | None]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        s = self.scenario
        self.persons = {p.ref: p for p in s.persons}
        self.transfers = {t.ref: t for t in s.transfers}
        self.arrangements = {a.ref: a for a in s.arrangements}
        self.designations = {d.ref: d for d in s.designations}
        self.assurances = {a.ref: a for a in s.assurances}
        self.legal_bases = {b.code: b for b in (*self.data.legal_bases, *s.legal_bases)}

    @property
    def minor_age(self) -> int:
        """The age under which a person is a minor (§1.5)."""
        return self.scenario.parameters.minor_age

    @cached_property
    def order_positions(self) -> dict[str, int]:
        """Each court order's position in the file (list parameters keep file order)."""
        return {o.ref: i for i, o in enumerate(self.scenario.court_orders)}

    @cached_property
    def assurance_positions(self) -> dict[str, int]:
        """Each assurance's position in the file."""
        return {a.ref: i for i, a in enumerate(self.scenario.assurances)}

    @cached_property
    def fixed_rows(self) -> tuple[RegimeRow, ...]:
        """The requirement rows that do not depend on the transfer's arrangement: the
        catalog's (origin 1), the scenario's (origin 3) and the orders' conditions (origin 4)."""
        rows: list[RegimeRow] = []
        floor = self.scenario.parameters.notice_floor_days
        for position, regime in enumerate(self.data.regimes):
            value = floor if regime.id == "CF-NOTICE-DAYS" and floor is not None else regime.value
            rows.append(_row(regime, 1, position, value))
        for position, regime in enumerate(self.scenario.regimes):
            rows.append(_row(regime, 3, position, regime.value))
        position = 0
        for order in self.scenario.court_orders:
            effect = order.effect
            if effect is UNKNOWN or isinstance(effect, str):
                continue
            for number, condition in enumerate(effect.conditions, start=1):
                rows.append(
                    RegimeRow(
                        id=f"{order.ref}#{number}",
                        requirement=condition.requirement,
                        value=condition.value,
                        force="binding",
                        applies_to=order.scope,
                        origin=4,
                        position=position,
                        order=order,
                    )
                )
                position += 1
        return tuple(rows)

    def selector_keys(self, selector: Selector) -> dict[str, tuple[str, ...]]:
        """A selector's keys and values (:meth:`Selector.keys`), read once per selector:
        the world's selectors live as long as the world."""
        found = self._selectors.get(id(selector))
        if found is None:
            found = self._selectors[id(selector)] = selector.keys()
        return found

    def rows_in_force(self, requirement: str, day: dt.date) -> tuple[RegimeRow, ...]:
        """The fixed rows of ``requirement`` in force on ``day`` that a rule reads (not a
        recorded practice), in origin order; found once per requirement and day."""
        key = (requirement, day)
        found = self._rows.get(key)
        if found is None:
            found = tuple(
                row
                for row in self.fixed_rows
                if row.requirement == requirement
                and row.force != "practice"
                and (
                    order_in_effect(row.order, day)
                    if row.order is not None
                    else in_force(row.from_, row.to, day)
                )
            )
            self._rows[key] = found
        return found

    def assessment_in_force(self, country: str) -> tuple[int, Assessment] | None:
        """The assessment in force for ``country`` on D and its index among that country's
        assessments (§2.4): the latest that is independent or finds a risk."""
        found: tuple[int, Assessment] | None = None
        for entry in self.scenario.countries:
            if entry.code != country:
                continue
            for index, assessment in enumerate(entry.assessments):
                if assessment.date > self.day:
                    continue
                kind = assessment.source_kind
                counts = assessment.onward_refoulement_risk or (
                    kind is not UNKNOWN and kind in INDEPENDENT_SOURCES
                )
                if counts and (found is None or assessment.date >= found[1].date):
                    found = (index, assessment)
        return found

    @cached_property
    def _by_arrangement(self) -> dict[str, list[Transfer]]:
        found: dict[str, list[Transfer]] = defaultdict(list)
        for transfer in self.scenario.transfers:
            if transfer.arrangement is not None:
                found[transfer.arrangement].append(transfer)
        return found

    @cached_property
    def _by_route(self) -> dict[tuple[str, str], list[Transfer]]:
        found: dict[tuple[str, str], list[Transfer]] = defaultdict(list)
        for transfer in self.scenario.transfers:
            if transfer.arrangement is None:
                found[(transfer.sending, transfer.destination)].append(transfer)
        return found

    def under(self, arrangement: str) -> list[Transfer]:
        """The transfers under an arrangement, in file order."""
        return self._by_arrangement.get(arrangement, [])

    def persons_under(
        self, arrangement: str, period: tuple[dt.date, dt.date] | None = None
    ) -> Persons:
        """The persons under an arrangement, or with transfers planned (or carried out) in
        the period [from, to) (§2.12); counted once per arrangement and period."""
        key = (arrangement, period)
        found = self._persons.get(key)
        if found is None:
            transfers = [
                u
                for u in self.under(arrangement)
                if period is None or period[0] <= u.planned_date < period[1]
            ]
            found = Persons(
                frozenset(u.person for u in transfers if u.status == "executed"),
                Counter(u.person for u in transfers if u.status == "proposed"),
            )
            self._persons[key] = found
        return found

    def present(self, arrangement: str, day: dt.date) -> frozenset[str]:
        """C: the persons present under an arrangement on ``day``: carried there on or
        before it, and not recorded as departed or sent on by then (§2.12)."""
        key = (arrangement, day)
        found = self._present.get(key)
        if found is None:
            found = frozenset(
                u.person
                for u in self.under(arrangement)
                if u.status == "executed"
                and u.planned_date <= day
                and not any(
                    m.kind in ("departed", "onward_removal") and m.date <= day for m in u.monitoring
                )
            )
            self._present[key] = found
        return found

    def channel(self, transfer: Transfer) -> list[Transfer]:
        """Every transfer of ``transfer``'s channel, in file order, itself included: those
        under its arrangement, or without one, those with no arrangement on its route."""
        if transfer.arrangement is not None:
            return self.under(transfer.arrangement)
        return self._by_route.get((transfer.sending, transfer.destination), [])

    def same_channel(self, transfer: Transfer) -> list[Transfer]:
        """The executed transfers in the same channel as ``transfer`` (§2.11), file order."""
        return [u for u in self.channel(transfer) if u.status == "executed"]

    def incidents(self, transfer: Transfer) -> tuple[Incident | None, Incident | None]:
        """The latest incident and the latest possible incident for ``transfer`` (§2.11),
        found once per channel."""
        key = (transfer.arrangement, transfer.sending, transfer.destination)
        if transfer.arrangement is not None:
            key = (transfer.arrangement, "", "")
        found = self._incidents.get(key)
        if found is None:
            found = self._channel_incidents(transfer)
            self._incidents[key] = found
        return found

    def _channel_incidents(self, transfer: Transfer) -> tuple[Incident | None, Incident | None]:
        latest: Incident | None = None
        latest_possible: Incident | None = None
        for other in self.same_channel(transfer):
            person = self.persons.get(other.person)
            for entry in other.monitoring:
                if entry.kind != "onward_removal" or entry.date > self.day:
                    continue
                if (self.day - entry.date).days >= 365:
                    continue
                if person is not None and _feared_on_record(person, entry.country):
                    if latest is None or entry.date > latest.date:
                        latest = Incident(entry.date, entry.country, other.person, False)
                elif (
                    person is None or person.fear_claims is UNKNOWN or person.protections is UNKNOWN
                ) and (latest_possible is None or entry.date > latest_possible.date):
                    latest_possible = Incident(entry.date, entry.country, other.person, True)
        return latest, latest_possible


def _feared_on_record(person: Person, country: str) -> bool:
    """Whether the record shows a pending or recognised fear of ``country``, or any
    protection as to it whatever its end (§2.11)."""
    claims = () if person.fear_claims is UNKNOWN else person.fear_claims
    protections = () if person.protections is UNKNOWN else person.protections
    return any(
        c.country == country and c.status in ("pending", "recognised") for c in claims
    ) or any(p.country == country for p in protections)


def _row(regime: Regime, origin: int, position: int, value: bool | int) -> RegimeRow:
    return RegimeRow(
        id=regime.id,
        requirement=regime.requirement,
        value=value,
        force=regime.force,
        applies_to=regime.applies_to,
        origin=origin,
        position=position,
        title=regime.title,
        source=regime.source,
        from_=regime.from_,
        to=regime.to,
    )

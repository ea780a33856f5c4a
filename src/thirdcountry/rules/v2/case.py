"""One proposed transfer as the rules of catalog 2026.2 see it: its person, arrangement and
dates, and the shared definitions of RULES-2026.2 §2 that read one transfer (age, protections
standing, fears, selectors, requirement evaluation and checks, treatment on arrival).

Unknown facts are msgspec's ``UNSET`` (:data:`UNKNOWN`): a test on one is false (§1.2), so
every helper here says in its name or its return value when a fact is unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, TypeVar

from msgspec import UnsetType
from typing_extensions import TypeIs

from thirdcountry.rules.v2.world import (
    Cover,
    RegimeRow,
    World,
    order_in_effect,
)
from thirdcountry.scenario.v2.model import (
    DAY_REQUIREMENTS,
    UNKNOWN,
    Arrangement,
    CourtOrder,
    OnArrival,
    Person,
    Protection,
    Selector,
    Transfer,
)

T = TypeVar("T")
Check = Literal["met", "unmet", "unknown"]
Standing = Literal["stands", "possibly", "not"]
Age = Literal["minor", "adult", "known_adult", "unknown"]
#: How a requirement evaluates (§2.8).
Result = Literal["met", "unmet", "short", "unknown", "possibly_unmet"]

_FORCE_RANK = {"binding": 1, "contested": 2, "floor": 3}


def known(value: T | UnsetType) -> TypeIs[T]:
    """Whether a fact is known (possibly known to be none)."""
    return value is not UNKNOWN


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A requirement's evaluation: its result, the row that decided it (if any), the failing
    detail of that row's check, and for *possibly unmet* the arrangement or order named."""

    result: Result
    row: RegimeRow | None = None
    detail: Any = None
    arrangement: str | None = None
    order: CourtOrder | None = None

    @property
    def regime(self) -> str:
        """The id of the row that decided (every evaluation but *possibly unmet* names one)."""
        if self.row is None:
            raise ValueError(f"a {self.result} evaluation names no row")
        return self.row.id


def _birthday(born: dt.date, age: int) -> dt.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        # Born on 29 February: the birthday falls on 1 March in other years (§2.2).
        return dt.date(born.year + age, 3, 1)


def standing(protection: Protection, day: dt.date) -> Standing:
    """Whether a protection entry stands on ``day`` (§2.5)."""
    granted, ended, end_kind = protection.granted_on, protection.ended_on, protection.end_kind
    if known(granted) and granted > day:
        return "not"
    if known(ended) and ended is not None and ended <= day and end_kind in ("revoked", "ceased"):
        return "not"
    if ended is None or (known(ended) and ended > day) or end_kind == "cancelled":
        return "stands"
    return "possibly"


class Case:
    """A proposed transfer ``t`` in its world, on the screening date D."""

    def __init__(self, world: World, transfer: Transfer) -> None:
        self.world = world
        self.t = transfer
        self.p: Person = world.persons[transfer.person]
        self.a: Arrangement | None = (
            None if transfer.arrangement is None else world.arrangements[transfer.arrangement]
        )
        self.D = world.day
        self.P = transfer.planned_date
        self.W = (min(self.D, self.P), max(self.D, self.P))

    @property
    def model(self) -> Any:
        """The arrangement's model M: ``"none"`` without one, possibly unknown."""
        return "none" if self.a is None else self.a.model

    # §2.2 -----------------------------------------------------------------------------
    @cached_property
    def age(self) -> Age:
        """The person's age on P: minor, adult (by birth date), known adult, or unknown."""
        born = self.p.birth_date
        if known(born):
            minor = _birthday(born, self.world.minor_age) > self.P
            return "minor" if minor else "adult"
        adult_on = self.p.known_adult_on
        if known(adult_on) and adult_on <= self.P:
            return "known_adult"
        return "unknown"

    # §2.5, §2.6 -------------------------------------------------------------------------
    def protections_about(self, country: str) -> list[tuple[Protection, Standing]]:
        """The known protection entries as to ``country`` and whether each stands on P."""
        if not known(self.p.protections):
            return []
        return [
            (entry, standing(entry, self.P))
            for entry in self.p.protections
            if entry.country == country
        ]

    def fears(self, country: str) -> bool:
        """Whether the person fears ``country`` on the known record (§2.6)."""
        claims = self.p.fear_claims
        if known(claims) and any(
            c.country == country and c.status in ("pending", "recognised") for c in claims
        ):
            return True
        return any(s == "stands" for _, s in self.protections_about(country))

    def never_screened(self, country: str) -> bool:
        """Whether fear claims are known and none is about ``country`` (§2.6)."""
        claims = self.p.fear_claims
        return known(claims) and not any(c.country == country for c in claims)

    # §2.7 -------------------------------------------------------------------------------
    def cover(self, selector: Selector) -> Cover:
        """Whether a selector covers, may cover or does not cover this transfer."""
        undetermined = False
        for key, values in self.world.selector_keys(selector).items():
            if key == "legal_basis":
                value = self.t.legal_basis
                if not known(value):
                    undetermined = True
                    continue
                if value not in values:
                    return "no"
            elif key == "class":
                classes = self.p.classes
                if not known(classes):
                    undetermined = True
                    continue
                if not set(classes) & set(values):
                    return "no"
            else:
                value = getattr(self.t, key)
                if value is None or value not in values:
                    return "no"
        return "may" if undetermined else "covers"

    # §2.8 -------------------------------------------------------------------------------
    def _rows(self, requirement: str) -> list[tuple[RegimeRow, Cover]]:
        rows = list(self.world.rows_in_force(requirement, self.P))
        a = self.a
        if (
            requirement == "notice-days"
            and a is not None
            and known(a.terms)
            and a.terms.notice_days is not None
        ):
            rows.append(
                RegimeRow(
                    id=f"{a.ref}#notice_days",
                    requirement="notice-days",
                    value=a.terms.notice_days,
                    force="binding",
                    applies_to=Selector(arrangement=a.ref),
                    origin=2,
                    position=0,
                )
            )
        found = []
        for row in rows:
            cover = self.cover(row.applies_to)
            if cover != "no":
                found.append((row, cover))

        def order(item: tuple[RegimeRow, Cover]) -> tuple[int, int, int, int]:
            row, cover = item
            rank = 0 if row.force == "binding" and cover == "covers" else _FORCE_RANK[row.force]
            strict = -int(row.value) if requirement in DAY_REQUIREMENTS else 0
            return rank, strict, row.origin, row.position

        return sorted(found, key=order)

    def evaluate(self, requirement: str) -> Evaluation:
        """Evaluate a requirement for this transfer on P (§2.8)."""
        rows = self._rows(requirement)
        checked = [(row, cover, *self.check(requirement, row.value)) for row, cover in rows]
        for row, cover, check, detail in checked:
            if row.force == "binding" and cover == "covers" and check == "unmet":
                return Evaluation("unmet", row, detail)
        for row, _cover, check, detail in checked:
            if check != "met":
                return Evaluation("unknown" if check == "unknown" else "short", row, detail)
        if requirement == "notice-days" and self.a is not None and not known(self.a.terms):
            return Evaluation("possibly_unmet", arrangement=self.a.ref)
        for order in self.world.scenario.court_orders:
            if (
                not known(order.effect)
                and self.cover(order.scope) != "no"
                and order_in_effect(order, self.P)
            ):
                return Evaluation("possibly_unmet", order=order)
        return Evaluation("met", rows[0][0] if rows else None)

    # §2.9 -------------------------------------------------------------------------------
    @cached_property
    def window(self) -> tuple[int | None, int | None, dt.date | None]:
        """The notice window: N (None when unknown), its upper bound U, and its end E."""
        notice = self.t.notice
        if not known(notice) or notice is None or not known(notice.served):
            return None, None, None
        served: dt.date = notice.served
        opportunity = self.t.opportunity
        end: dt.date | None = None
        if known(opportunity):
            cut_off = opportunity.cut_off
            if cut_off is None:
                end = self.P
            elif known(cut_off):
                end = min(self.P, cut_off)
        upper = max(0, (self.P - served).days)
        days = None if end is None else max(0, (end - served).days)
        return days, upper, end

    def check(self, requirement: str, value: bool | int) -> tuple[Check, Any]:
        """Check one requirement row's value against this transfer (§2.9), with the entry
        that failed it where the rule names one."""
        notice = self.t.notice
        if requirement == "notice-days":
            if notice is None:
                return "unmet", None
            if not known(notice) or not known(notice.served):
                return "unknown", None
            days, upper, _end = self.window
            if days is not None:
                return ("met" if days >= int(value) else "unmet"), None
            return ("unmet" if upper is not None and upper < int(value) else "unknown"), None
        if requirement == "notice-to-counsel":
            if notice is None:
                return "unmet", None
            if not known(notice):
                return "unknown", None
            counsel = self.p.counsel
            if counsel is False:
                return "met", None
            if not known(counsel):
                return "unknown", None
            return _flag(notice.served_on_counsel), None
        if requirement == "notice-explains-contest":
            if notice is None:
                return "unmet", None
            if not known(notice):
                return "unknown", None
            return _flag(notice.explains_how_to_contest), None
        if requirement in ("counsel-access", "interpreter"):
            if notice is None:
                return "unmet", None
            opportunity = self.t.opportunity
            name = requirement.replace("-", "_")
            flag = getattr(opportunity, name) if known(opportunity) else UNKNOWN
            if flag is False:
                return "unmet", None
            if not known(notice) or not known(flag):
                return "unknown", None
            return "met", None
        if requirement == "reopen-days":
            return self._reopen(int(value))
        return self._designation(requirement)

    def _reopen(self, days: int) -> tuple[Check, Any]:
        claims = self.p.fear_claims
        if not known(claims):
            return "unknown", None
        unknown = False
        for claim in claims:
            if claim.country != self.t.destination or claim.status != "rejected":
                continue
            if not known(claim.decided_on):
                unknown = True
            elif (self.P - claim.decided_on).days < days:
                return "unmet", claim
        return ("unknown" if unknown else "met"), None

    def _designation(self, requirement: str) -> tuple[Check, Any]:
        relied = self.t.designation_relied_on
        if relied is None:
            return "met", None
        if not known(relied):
            return "unknown", None
        designation = self.world.designations[relied]
        if requirement == "designation-judicial-review":
            return _flag(designation.judicial_review), None
        exceptions = (
            designation.territorial_exceptions
            if requirement == "designation-whole-territory"
            else designation.personal_exceptions
        )
        if not known(exceptions):
            return "unknown", None
        return ("unmet" if exceptions else "met"), None

    # §2.10 ------------------------------------------------------------------------------
    @property
    def on_arrival(self) -> OnArrival | None:
        """The on-arrival facts: the transfer's own, else its arrangement's; None if unknown."""
        if known(self.t.on_arrival):
            return self.t.on_arrival
        if self.a is not None and known(self.a.on_arrival):
            return self.a.on_arrival
        return None


def _flag(value: Any) -> Check:
    """A boolean sub-fact as a check: true met, false unmet, unknown unknown."""
    if not known(value):
        return "unknown"
    return "met" if value else "unmet"

"""Domain types of a scenario: the facts of a world of third-country transfers.

Facts marked (u) in SCENARIO.md have three states that must never be confused:
``UNKNOWN`` (nobody has recorded it), ``None`` or an empty tuple (known: there is
none) and a value. ``UNKNOWN`` is a distinct singleton so that a type checker and a
reader both see where a fact may be missing.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal, TypeAlias, TypeVar

T = TypeVar("T")


class Unknown(enum.Enum):
    """The state of a fact nobody has recorded. Unknown is not "no"."""

    UNKNOWN = "unknown"

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        # Truth-testing an unknown fact is almost always a bug: force an explicit check.
        raise TypeError("an unknown fact has no truth value; compare with UNKNOWN first")


UNKNOWN: Final = Unknown.UNKNOWN

#: A fact marked (u): unknown, or a value (which for some facts may itself be ``None``).
Fact: TypeAlias = T | Unknown

ArrangementStatus = Literal[
    "negotiating", "signed", "in_force", "suspended", "ruled_unlawful", "terminated"
]
ARRANGEMENT_STATUSES: Final[tuple[str, ...]] = (
    "negotiating",
    "signed",
    "in_force",
    "suspended",
    "ruled_unlawful",
    "terminated",
)
Commitment = Literal[
    "asylum_procedure",
    "accommodation",
    "education",
    "employment_support",
    "health_care",
    "legal_aid",
    "monitoring_access",
]
COMMITMENTS: Final[tuple[str, ...]] = (
    "asylum_procedure",
    "accommodation",
    "education",
    "employment_support",
    "health_care",
    "legal_aid",
    "monitoring_access",
)
PaymentKind = Literal["committed", "paid", "claimed", "disputed"]
PAYMENT_KINDS: Final[tuple[str, ...]] = ("committed", "paid", "claimed", "disputed")
CourtOrderKind = Literal["stay", "injunction", "interim_measure"]
COURT_ORDER_KINDS: Final[tuple[str, ...]] = ("stay", "injunction", "interim_measure")
AsylumClaim = Literal["none", "pending", "granted", "refused"]
ASYLUM_CLAIMS: Final[tuple[str, ...]] = ("none", "pending", "granted", "refused")
FearClaimStatus = Literal["pending", "recognised", "rejected"]
FEAR_CLAIM_STATUSES: Final[tuple[str, ...]] = ("pending", "recognised", "rejected")
TransferStatus = Literal["proposed", "executed", "cancelled"]
TRANSFER_STATUSES: Final[tuple[str, ...]] = ("proposed", "executed", "cancelled")
MonitoringKind = Literal["visit", "support_delivered", "onward_removal"]
MONITORING_KINDS: Final[tuple[str, ...]] = ("visit", "support_delivered", "onward_removal")


@dataclass(frozen=True, slots=True)
class Parameters:
    """The catalog's parameters, as overridden by a scenario."""

    notice_days: int = 10
    minor_age: int = 18


@dataclass(frozen=True, slots=True)
class Assessment:
    """A dated finding on whether a country risks sending people on (onward refoulement)."""

    date: dt.date
    onward_refoulement_risk: bool
    source: str


@dataclass(frozen=True, slots=True)
class Country:
    """A country and its assessments, in the order they were recorded."""

    code: str
    assessments: tuple[Assessment, ...] = ()


@dataclass(frozen=True, slots=True)
class Terms:
    """An arrangement's eligibility terms."""

    requires_served_sentence: bool = False
    excluded_nationalities: tuple[str, ...] = ()
    notice_days: int | None = None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One dated entry of an arrangement's status history."""

    date: dt.date
    status: ArrangementStatus
    source: str


@dataclass(frozen=True, slots=True)
class Payment:
    """One entry of an arrangement's payment ledger; ``amount`` is exact."""

    date: dt.date
    amount: Decimal
    currency: str
    kind: PaymentKind
    payer: str
    payee: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Arrangement:
    """A bilateral arrangement under which a sending state transfers people."""

    ref: str
    sending: str
    receiving: str
    title: str | None = None
    cap: int | None = None
    terms: Terms | None = None
    commitments: tuple[Commitment, ...] = ()
    status_history: tuple[StatusChange, ...] = ()
    payments: tuple[Payment, ...] = ()


@dataclass(frozen=True, slots=True)
class CourtOrderScope:
    """What an order covers: exactly one of a person, an arrangement, a pair of states or a
    sending state as a whole (``destination`` is ``None`` then)."""

    person: str | None = None
    arrangement: str | None = None
    sending: str | None = None
    destination: str | None = None

    @property
    def kind(self) -> Literal["person", "arrangement", "pair", "sending"]:
        """Which of the four scopes this is."""
        if self.person is not None:
            return "person"
        if self.arrangement is not None:
            return "arrangement"
        return "pair" if self.destination is not None else "sending"


@dataclass(frozen=True, slots=True)
class CourtOrder:
    """A stay, injunction or interim measure; in effect from ``issued`` until ``lifted``."""

    ref: str
    kind: CourtOrderKind
    issuer: str
    issued: dt.date
    scope: CourtOrderScope
    lifted: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RemovalDecision:
    """The decision to remove the person from the sending state."""

    date: dt.date
    final: bool
    appeal_deadline: dt.date | None = None
    appeal_pending: bool = False


@dataclass(frozen=True, slots=True)
class Conviction:
    """A criminal conviction; ``sentence_end`` is when the sentence is fully served (u)."""

    offence: str | None = None
    sentence_end: Fact[dt.date] = UNKNOWN


@dataclass(frozen=True, slots=True)
class FearClaim:
    """A fear of persecution, torture or death in ``country``, and where its screening stands."""

    country: str
    status: FearClaimStatus


@dataclass(frozen=True, slots=True)
class Person:
    """A person who may be transferred. Every field after ``names`` is a (u) fact."""

    ref: str
    names: tuple[str, ...]
    birth_date: Fact[dt.date] = UNKNOWN
    nationalities: Fact[tuple[str, ...]] = UNKNOWN
    languages: Fact[tuple[str, ...]] = UNKNOWN
    accompanied: Fact[bool] = UNKNOWN
    identity_verified: Fact[bool] = UNKNOWN
    asylum_claim: Fact[AsylumClaim] = UNKNOWN
    fear_claims: Fact[tuple[FearClaim, ...]] = UNKNOWN
    removal_decision: Fact[RemovalDecision | None] = UNKNOWN
    convictions: Fact[tuple[Conviction, ...]] = UNKNOWN
    family_in_sending_country: Fact[bool] = UNKNOWN
    fit_to_travel: Fact[bool] = UNKNOWN


@dataclass(frozen=True, slots=True)
class Notice:
    """Written notice of the intended destination served on the person."""

    served: dt.date
    language: str
    names_destination: bool


@dataclass(frozen=True, slots=True)
class MonitoringEntry:
    """What was seen after a transfer; ``onward_removal`` records where the person was sent on."""

    date: dt.date
    kind: MonitoringKind
    country: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Transfer:
    """A proposed, executed or cancelled transfer of one person to a third country."""

    ref: str
    person: str
    sending: str
    destination: str
    planned_date: dt.date
    arrangement: str | None = None
    status: TransferStatus = "proposed"
    accepted_by_receiving: Fact[bool] = UNKNOWN
    notice: Fact[Notice | None] = UNKNOWN
    monitoring: tuple[MonitoringEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole world: what ``thirdcountry/scenario@1`` describes."""

    as_of: dt.date | None = None
    description: str | None = None
    parameters: Parameters = field(default_factory=Parameters)
    countries: tuple[Country, ...] = ()
    arrangements: tuple[Arrangement, ...] = ()
    court_orders: tuple[CourtOrder, ...] = ()
    persons: tuple[Person, ...] = ()
    transfers: tuple[Transfer, ...] = ()

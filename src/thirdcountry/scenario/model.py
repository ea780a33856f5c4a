"""The scenario format's one schema: the records of a world of third-country transfers.

Each record is a ``msgspec.Struct``: the same class is the domain type the engine and the
database read, the shape the file parser decodes and checks (in C, as it reads), the shape the
writer encodes, and the source of the API's JSON Schema. An enum is declared once, as a
``Literal``; its tuple of values is derived from it.

Facts marked (u) in SCENARIO.md have three states that must never be confused: ``UNKNOWN``
(the key is absent: nobody has recorded it), ``None`` or an empty tuple (known: there is
none) and a value. ``UNKNOWN`` is msgspec's ``UNSET``, the value of a key left out, so a
type checker and a reader both see where a fact may be missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Final, Literal, TypeAlias, TypeVar, get_args

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from thirdcountry.scenario.codes import CountryCode, CurrencyCode, LanguageCode

T = TypeVar("T")

#: The state of a fact nobody has recorded. Unknown is not "no".
Unknown: TypeAlias = UnsetType
UNKNOWN: Final = UNSET

#: A fact marked (u): unknown, or a value (which for some facts may itself be ``None``).
Fact: TypeAlias = T | UnsetType

#: The largest whole number the engine's 64-bit columns hold (caps and notice periods).
INT64_MAX: Final = 2**63 - 1
#: The oldest age of majority a scenario may set: ages are human ages, and the engine must be
#: able to compute the date a person comes of age.
MAX_MINOR_AGE: Final = 150

#: Free text that says something (not empty, not only spaces) and holds no NUL character,
#: which no database stores in text and which never belongs in a record. A lookahead, not a
#: pattern around ``\S``, so a long text with a NUL is refused in one pass.
TEXT_PATTERN: Final = r"^(?=[^\x00]*$)\s*\S"
Text = Annotated[str, Meta(pattern=TEXT_PATTERN)]

#: The one pattern of a record's ref: ASCII letters and digits, then also ``.``, ``_`` and
#: ``-``, at most :data:`REF_MAX_LENGTH` characters. A ref is part of a web address and a file
#: name, a spreadsheet cell and a command's argument, so it never holds a slash, a space or a
#: sign a spreadsheet reads as a formula. (``(?!\n)``: Python's ``$`` also matches before a
#: final line break.)
REF_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]*$(?!\n)"
REF_MAX_LENGTH: Final = 100
REF_RULE: Final = (
    "is not a ref: a ref starts with a letter or digit (A-Z, a-z, 0-9) followed by letters, "
    f"digits, '.', '_' or '-', at most {REF_MAX_LENGTH} characters"
)
Ref = Annotated[
    str,
    Meta(
        pattern=REF_PATTERN,
        max_length=REF_MAX_LENGTH,
        description="A ref: " + REF_RULE.removeprefix("is not a ref: ") + ".",
        extra={"pattern_message": REF_RULE},
    ),
]
#: A whole number of persons or days.
Count = Annotated[int, Meta(ge=0, le=INT64_MAX)]
MinorAge = Annotated[int, Meta(ge=1, le=MAX_MINOR_AGE)]


class Amount(Decimal):
    """An exact amount of money, written as a decimal string (``"1250.00"``), never a float."""


ArrangementStatus = Literal[
    "negotiating", "signed", "in_force", "suspended", "ruled_unlawful", "terminated"
]
Commitment = Literal[
    "asylum_procedure",
    "accommodation",
    "education",
    "employment_support",
    "health_care",
    "legal_aid",
    "monitoring_access",
]
PaymentKind = Literal["committed", "paid", "claimed", "disputed"]
CourtOrderKind = Literal["stay", "injunction", "interim_measure"]
AsylumClaim = Literal["none", "pending", "granted", "refused"]
FearClaimStatus = Literal["pending", "recognised", "rejected"]
TransferStatus = Literal["proposed", "executed", "cancelled"]
MonitoringKind = Literal["visit", "support_delivered", "onward_removal"]

ARRANGEMENT_STATUSES: Final[tuple[str, ...]] = get_args(ArrangementStatus)
COMMITMENTS: Final[tuple[str, ...]] = get_args(Commitment)
PAYMENT_KINDS: Final[tuple[str, ...]] = get_args(PaymentKind)
COURT_ORDER_KINDS: Final[tuple[str, ...]] = get_args(CourtOrderKind)
ASYLUM_CLAIMS: Final[tuple[str, ...]] = get_args(AsylumClaim)
FEAR_CLAIM_STATUSES: Final[tuple[str, ...]] = get_args(FearClaimStatus)
TRANSFER_STATUSES: Final[tuple[str, ...]] = get_args(TransferStatus)
MONITORING_KINDS: Final[tuple[str, ...]] = get_args(MonitoringKind)


class Record(Struct, frozen=True, forbid_unknown_fields=True, gc=False):
    """A record of the format: immutable, and no key beyond those it declares.

    ``gc=False``: a world is millions of small acyclic records, which Python's cycle
    collector would otherwise walk again and again while they are read.
    """


def _set_of(values: tuple[str, ...]) -> tuple[str, ...]:
    """A list that means a set, as the format keeps it: each value once, in order."""
    return values if values == tuple(sorted(set(values))) else tuple(sorted(set(values)))


def _normalise(record: Record, *names: str) -> None:
    """Keep the set-valued fields ``names`` of a just-built record as sets (see :func:`_set_of`)."""
    for name in names:
        value = getattr(record, name)
        if isinstance(value, tuple) and len(value) > 1:
            msgspec.structs.force_setattr(record, name, _set_of(value))


class Parameters(Record, frozen=True):
    """The catalog's parameters, as overridden by a scenario."""

    notice_days: Count = 10
    minor_age: MinorAge = 18


class Assessment(Record, frozen=True):
    """A dated finding on whether a country risks sending people on (onward refoulement)."""

    date: dt.date
    onward_refoulement_risk: bool
    source: Text


class Country(Record, frozen=True):
    """A country and its assessments, in the order they were recorded."""

    code: CountryCode
    assessments: tuple[Assessment, ...] = ()


class Terms(Record, frozen=True):
    """An arrangement's eligibility terms."""

    requires_served_sentence: bool = False
    excluded_nationalities: tuple[CountryCode, ...] = ()
    notice_days: Count | None = None

    def __post_init__(self) -> None:
        _normalise(self, "excluded_nationalities")


class StatusChange(Record, frozen=True):
    """One dated entry of an arrangement's status history."""

    date: dt.date
    status: ArrangementStatus
    source: Text


class Payment(Record, frozen=True, omit_defaults=True):
    """One entry of an arrangement's payment ledger; ``amount`` is exact."""

    date: dt.date
    amount: Amount
    currency: CurrencyCode
    kind: PaymentKind
    payer: CountryCode
    payee: CountryCode
    note: Text | None = None


class Arrangement(Record, frozen=True):
    """A bilateral arrangement under which a sending state transfers people."""

    ref: Ref
    sending: CountryCode
    receiving: CountryCode
    title: Text | None = None
    cap: Count | None = None
    terms: Terms | None = None
    commitments: tuple[Commitment, ...] = ()
    status_history: tuple[StatusChange, ...] = ()
    payments: tuple[Payment, ...] = ()

    def __post_init__(self) -> None:
        # Commitments mean a set, but one listed twice is a mistake the checks must still see.
        if len(self.commitments) > 1 and list(self.commitments) != sorted(self.commitments):
            msgspec.structs.force_setattr(self, "commitments", tuple(sorted(self.commitments)))


class CourtOrderScope(Record, frozen=True):
    """What an order covers: exactly one of a person, an arrangement, a pair of states or a
    sending state as a whole (``destination`` is ``None`` then)."""

    person: Ref | None = None
    arrangement: Ref | None = None
    sending: CountryCode | None = None
    destination: CountryCode | None = None

    @property
    def kind(self) -> Literal["person", "arrangement", "pair", "sending"]:
        """Which of the four scopes this is."""
        if self.person is not None:
            return "person"
        if self.arrangement is not None:
            return "arrangement"
        return "pair" if self.destination is not None else "sending"


class CourtOrder(Record, frozen=True):
    """A stay, injunction or interim measure; in effect from ``issued`` until ``lifted``."""

    ref: Ref
    kind: CourtOrderKind
    issuer: Text
    issued: dt.date
    scope: CourtOrderScope
    lifted: dt.date | None = None


class RemovalDecision(Record, frozen=True):
    """The decision to remove the person from the sending state."""

    date: dt.date
    final: bool
    appeal_deadline: dt.date | None = None
    appeal_pending: bool = False


class Conviction(Record, frozen=True, omit_defaults=True):
    """A criminal conviction; ``sentence_end`` is when the sentence is fully served (u)."""

    offence: Text | None = None
    sentence_end: Fact[dt.date] = UNKNOWN


class FearClaim(Record, frozen=True):
    """A fear of persecution, torture or death in ``country``, and where its screening stands."""

    country: CountryCode
    status: FearClaimStatus


class Person(Record, frozen=True):
    """A person who may be transferred. Every field after ``names`` is a (u) fact."""

    ref: Ref
    names: Annotated[
        tuple[Text, ...], Meta(min_length=1, extra={"too_short": "at least one name is required"})
    ]
    birth_date: Fact[dt.date] = UNKNOWN
    nationalities: Fact[tuple[CountryCode, ...]] = UNKNOWN
    languages: Fact[tuple[LanguageCode, ...]] = UNKNOWN
    accompanied: Fact[bool] = UNKNOWN
    identity_verified: Fact[bool] = UNKNOWN
    asylum_claim: Fact[AsylumClaim] = UNKNOWN
    fear_claims: Fact[tuple[FearClaim, ...]] = UNKNOWN
    removal_decision: Fact[RemovalDecision | None] = UNKNOWN
    convictions: Fact[tuple[Conviction, ...]] = UNKNOWN
    family_in_sending_country: Fact[bool] = UNKNOWN
    fit_to_travel: Fact[bool] = UNKNOWN

    def __post_init__(self) -> None:
        _normalise(self, "nationalities", "languages")


class Notice(Record, frozen=True):
    """Written notice of the intended destination served on the person."""

    served: dt.date
    language: LanguageCode
    names_destination: bool


class MonitoringEntry(Record, frozen=True, omit_defaults=True):
    """What was seen after a transfer; ``onward_removal`` records where the person was sent on."""

    date: dt.date
    kind: MonitoringKind
    country: CountryCode
    note: Text | None = None


class Transfer(Record, frozen=True):
    """A proposed, executed or cancelled transfer of one person to a third country."""

    ref: Ref
    person: Ref
    sending: CountryCode
    destination: CountryCode
    planned_date: dt.date
    arrangement: Ref | None = None
    status: TransferStatus = "proposed"
    accepted_by_receiving: Fact[bool] = UNKNOWN
    notice: Fact[Notice | None] = UNKNOWN
    monitoring: tuple[MonitoringEntry, ...] = ()


FORMAT: Final = "thirdcountry/scenario@1"


class Scenario(Record, frozen=True):
    """A whole world: what ``thirdcountry/scenario@1`` describes."""

    as_of: dt.date | None = None
    description: Text | None = None
    parameters: Parameters = msgspec.field(default_factory=Parameters)
    countries: tuple[Country, ...] = ()
    arrangements: tuple[Arrangement, ...] = ()
    court_orders: tuple[CourtOrder, ...] = ()
    persons: tuple[Person, ...] = ()
    transfers: tuple[Transfer, ...] = ()


class ScenarioDocument(Scenario, frozen=True, kw_only=True):
    """A scenario file as written: a :class:`Scenario` under its ``format`` key."""

    format: Literal["thirdcountry/scenario@1"]

    def scenario(self) -> Scenario:
        """The world the document describes."""
        return Scenario(**{name: getattr(self, name) for name in Scenario.__struct_fields__})

"""The records of ``thirdcountry/scenario@2``: the facts catalog 2026.2 reads.

Each record is a ``msgspec.Struct`` whose attributes are named as the document's keys
(``from`` is ``from_`` and ``class`` is ``class_``, Python words; they keep their names in
the document). As in scenario@1, a fact marked (u) has three states: :data:`UNKNOWN` (the
key is absent), ``None`` or ``()`` (known: there is none) and a value. In @2 the sub-facts of
a known object can be unknown one by one: a notice known to exist whose language nobody
recorded is ``Notice(served=..., language=UNKNOWN)``.

Unlike @1, lists are kept as recorded: a list parameter of a finding is sorted when it is
computed (RULES-2026.2 §1.4), and a round trip writes back what was read.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal, get_args

import msgspec
from msgspec import Meta

from thirdcountry.scenario.codes import CountryCodeV2 as CountryCode
from thirdcountry.scenario.codes import CurrencyCode, LanguageCode
from thirdcountry.scenario.model import (
    UNKNOWN,
    Amount,
    Count,
    Fact,
    PaymentKind,
    Record,
    Ref,
    Text,
)

__all__ = ["UNKNOWN", "Amount", "Fact", "Payment"]

FORMAT: Final = "thirdcountry/scenario@2"

#: A legal basis's code: lower-case letters, digits and hyphens.
LegalBasisCode = Annotated[
    str,
    Meta(
        pattern=r"^[a-z0-9][a-z0-9-]*$(?!\n)",
        max_length=100,
        extra={
            "pattern_message": "is not a legal-basis code: lower-case letters, digits and "
            "hyphens, starting with a letter or digit"
        },
    ),
]
#: A regime's id: any text without ``#`` (which joins an order's ref to its condition number).
RegimeId = Annotated[
    str,
    Meta(
        pattern=r"^[^#\x00]+$",
        max_length=100,
        extra={"pattern_message": "is not a regime id: some text, without '#'"},
    ),
]

ArrangementStatus = Literal[
    "negotiating", "signed", "in_force", "suspended", "ruled_unlawful", "abandoned", "terminated"
]
ArrangementModel = Literal["final_destination", "transit_to_origin", "extraterritorial_processing"]
Commitment = Literal[
    "asylum_procedure",
    "accommodation",
    "education",
    "employment_support",
    "health_care",
    "legal_aid",
    "monitoring_access",
]
Requirement = Literal[
    "notice-days",
    "notice-to-counsel",
    "notice-explains-contest",
    "counsel-access",
    "interpreter",
    "reopen-days",
    "designation-whole-territory",
    "designation-whole-population",
    "designation-judicial-review",
]
#: The requirements whose value is a number of days; every other one's value is ``true``.
DAY_REQUIREMENTS: Final = frozenset({"notice-days", "reopen-days"})
Force = Literal["binding", "contested", "floor", "practice"]
SourceKind = Literal[
    "court", "unhcr", "treaty_body", "ngo", "sending_state", "receiving_state", "statute", "other"
]
#: The kinds of source whose finding of no risk counts (RULES-2026.2 §2.4).
INDEPENDENT_SOURCES: Final = frozenset({"court", "unhcr", "treaty_body", "ngo"})
DesignationKind = Literal["safe_country_of_origin", "safe_third_country"]
AssuranceSubject = Literal["non_refoulement", "treatment", "both"]
AssuranceElement = Literal["binding", "disclosed", "monitoring", "remedy"]
CriminalRecord = Literal["required", "excluded"]
OffenceCategory = Literal[
    "child_sexual_offence",
    "sexual_offence",
    "violent_offence",
    "drug_offence",
    "property_offence",
    "immigration_offence",
    "terrorism_offence",
    "other",
]
ExcludedGroup = Literal["minors", "unaccompanied_minors", "women", "vulnerable"]
Custody = Literal["none", "reception", "immigration_detention", "prison"]
CourtOrderKind = Literal["stay", "injunction", "tro", "interim_measure", "order"]
EventKind = Literal["stayed", "vacated", "lifted", "expired", "reinstated"]
Sex = Literal["female", "male", "other"]
Vulnerability = Literal[
    "serious_illness",
    "mental_illness",
    "disability",
    "pregnancy",
    "torture_survivor",
    "trafficking_victim",
    "sexual_violence_survivor",
    "elderly",
    "single_parent",
]
ProtectionKind = Literal["refugee_status", "protection_finding", "withholding", "cat", "subsidiary"]
EndKind = Literal["cancelled", "revoked", "ceased"]
AsylumClaim = Literal["none", "pending", "granted", "refused"]
FearClaimStatus = Literal["pending", "recognised", "rejected"]
TransferStatus = Literal["proposed", "executed", "cancelled"]
MonitoringKind = Literal["visit", "support_delivered", "onward_removal", "departed"]

ARRANGEMENT_STATUSES: Final[tuple[str, ...]] = get_args(ArrangementStatus)
ARRANGEMENT_MODELS: Final[tuple[str, ...]] = get_args(ArrangementModel)
REQUIREMENTS: Final[tuple[str, ...]] = get_args(Requirement)
FORCES: Final[tuple[str, ...]] = get_args(Force)
SOURCE_KINDS: Final[tuple[str, ...]] = get_args(SourceKind)
ASSURANCE_ELEMENTS: Final[tuple[str, ...]] = get_args(AssuranceElement)
OFFENCE_CATEGORIES: Final[tuple[str, ...]] = get_args(OffenceCategory)
EXCLUDED_GROUPS: Final[tuple[str, ...]] = get_args(ExcludedGroup)
CUSTODIES: Final[tuple[str, ...]] = get_args(Custody)
PROTECTION_KINDS: Final[tuple[str, ...]] = get_args(ProtectionKind)
EVENT_KINDS: Final[tuple[str, ...]] = get_args(EventKind)
ASYLUM_CLAIMS: Final[tuple[str, ...]] = get_args(AsylumClaim)
MONITORING_KINDS: Final[tuple[str, ...]] = get_args(MonitoringKind)

#: The age of majority a scenario@2 may set (SCENARIO.md: an integer from 1 to 30).
MinorAge = Annotated[int, Meta(ge=1, le=30)]

#: A selector key holds one value or a non-empty list of values.
_SOME: Final = Meta(
    min_length=1,
    extra={"too_short": "must not be empty: give one value or a list of values, or leave it out"},
)
SomeCountries = Annotated[tuple[CountryCode, ...], _SOME]
SomeRefs = Annotated[tuple[Ref, ...], _SOME]
SomeLegalBasisCodes = Annotated[tuple[LegalBasisCode, ...], _SOME]


class Payment(Record, frozen=True, omit_defaults=True):
    """One entry of an arrangement's payment ledger; ``amount`` is exact. As in @1, with
    scenario@2's country codes (Kosovo's among them)."""

    date: dt.date
    amount: Amount
    currency: CurrencyCode
    kind: PaymentKind
    payer: CountryCode
    payee: CountryCode
    note: Text | None = None


class Parameters(Record, frozen=True, omit_defaults=True):
    """The catalog's parameters as a scenario overrides them (RULES-2026.2 §1.5)."""

    minor_age: MinorAge = 18
    notice_floor_days: Count | None = None


class Selector(Record, frozen=True, omit_defaults=True):
    """Which transfers an order or a regime row applies to (RULES-2026.2 §2.7)."""

    sending: CountryCode | SomeCountries | None = None
    destination: CountryCode | SomeCountries | None = None
    arrangement: Ref | SomeRefs | None = None
    person: Ref | SomeRefs | None = None
    legal_basis: LegalBasisCode | SomeLegalBasisCodes | None = None
    class_: Ref | SomeRefs | None = msgspec.field(default=None, name="class")

    def keys(self) -> dict[str, tuple[str, ...]]:
        """The keys set, each as a tuple of its values, in the order of the format."""
        found: dict[str, tuple[str, ...]] = {}
        for name in ("sending", "destination", "arrangement", "person", "legal_basis", "class_"):
            value = getattr(self, name)
            if value is not None:
                found[name.rstrip("_")] = (value,) if isinstance(value, str) else value
        return found


class LegalBasis(Record, frozen=True):
    """A legal basis a transfer may rely on (extends the catalog's table)."""

    code: LegalBasisCode
    sending: CountryCode
    title: Text
    requires_arrangement: bool
    source: Text
    from_: dt.date | None = msgspec.field(default=None, name="from")
    to: dt.date | None = None


class Regime(Record, frozen=True):
    """A requirement that holds over a period for the transfers its selector covers."""

    id: RegimeId
    requirement: Requirement
    value: bool | Count
    force: Force
    source: Text
    title: Text | None = None
    from_: dt.date | None = msgspec.field(default=None, name="from")
    to: dt.date | None = None
    applies_to: Selector = msgspec.field(default_factory=Selector)


class PersonClass(Record, frozen=True):
    """A class of persons defined by an order or decision (a certified class)."""

    ref: Ref
    title: Text
    source: Text


class Designation(Record, frozen=True, omit_defaults=True):
    """A safe-country designation a procedure may rely on."""

    ref: Ref
    designating_state: CountryCode
    country: CountryCode
    kind: DesignationKind
    from_: dt.date = msgspec.field(name="from")
    source: Text
    to: dt.date | None = None
    territorial_exceptions: Fact[bool] = UNKNOWN
    personal_exceptions: Fact[bool] = UNKNOWN
    judicial_review: Fact[bool] = UNKNOWN


class Assurance(Record, frozen=True, omit_defaults=True):
    """A diplomatic assurance given by a receiving state to a sending state."""

    ref: Ref
    given_by: CountryCode
    given_to: CountryCode
    subject: AssuranceSubject
    source: Text
    given_on: Fact[dt.date] = UNKNOWN
    binding: Fact[bool] = UNKNOWN
    disclosed: Fact[bool] = UNKNOWN
    monitoring: Fact[bool] = UNKNOWN
    remedy: Fact[bool] = UNKNOWN


class Assessment(Record, frozen=True, omit_defaults=True):
    """A dated finding on whether a country risks sending people on, and who made it."""

    date: dt.date
    onward_refoulement_risk: bool
    source: Text
    source_kind: Fact[SourceKind] = UNKNOWN


class Country(Record, frozen=True):
    """A country and its assessments, in the order they were recorded."""

    code: CountryCode
    assessments: tuple[Assessment, ...] = ()


class Terms(Record, frozen=True, omit_defaults=True):
    """An arrangement's eligibility terms; a key left out sets no such term."""

    excluded_nationalities: tuple[CountryCode, ...] = ()
    eligible_nationalities: (
        Annotated[
            tuple[CountryCode, ...],
            Meta(
                min_length=1,
                extra={"too_short": "must not be empty: leave the key out when none is set"},
            ),
        ]
        | None
    ) = None
    criminal_record: CriminalRecord | None = None
    requires_completed_sentences: bool = False
    excludes_pending_charges: bool = False
    excluded_offence_categories: tuple[OffenceCategory, ...] = ()
    excluded_groups: tuple[ExcludedGroup, ...] = ()
    notice_days: Count | None = None

    def sets_eligibility(self) -> bool:
        """Whether any of the seven eligibility terms is set (``notice_days`` is not one)."""
        return bool(
            self.excluded_nationalities
            or self.eligible_nationalities
            or self.criminal_record
            or self.requires_completed_sentences
            or self.excludes_pending_charges
            or self.excluded_offence_categories
            or self.excluded_groups
        )


class StatusChange(Record, frozen=True):
    """One dated entry of an arrangement's status history."""

    date: dt.date
    status: ArrangementStatus
    source: Text


class PeriodCap(Record, frozen=True):
    """At most ``persons`` persons transferred in [from, to)."""

    from_: dt.date = msgspec.field(name="from")
    to: dt.date
    persons: Count
    source: Text


class OnArrival(Record, frozen=True, omit_defaults=True):
    """How people are treated on arrival in the receiving state."""

    custody: Fact[Custody] = UNKNOWN
    incommunicado: Fact[bool] = UNKNOWN
    individual_legal_basis: Fact[bool] = UNKNOWN
    counsel_access: Fact[bool] = UNKNOWN
    legal_status: Fact[bool] = UNKNOWN


class Arrangement(Record, frozen=True, omit_defaults=True):
    """A bilateral arrangement under which a sending state transfers people."""

    ref: Ref
    sending: CountryCode
    receiving: CountryCode
    title: Text | None = None
    model: Fact[ArrangementModel] = UNKNOWN
    cap: Fact[Count | None] = UNKNOWN
    period_caps: Fact[tuple[PeriodCap, ...]] = UNKNOWN
    concurrent_cap: Fact[Annotated[int, Meta(ge=1, le=2**63 - 1)] | None] = UNKNOWN
    terms: Fact[Terms] = UNKNOWN
    commitments: tuple[Commitment, ...] = ()
    status_history: tuple[StatusChange, ...] = ()
    payments: tuple[Payment, ...] = ()
    on_arrival: Fact[OnArrival] = UNKNOWN


class Event(Record, frozen=True, omit_defaults=True):
    """A later event of a court order: a stay, a vacatur, a lifting, an expiry, a
    reinstatement."""

    date: dt.date
    kind: EventKind
    by: Text
    source: Text | None = None


class Condition(Record, frozen=True):
    """A requirement a conditioning order sets (as a regime row's requirement and value)."""

    requirement: Requirement
    value: bool | Count


class Conditions(Record, frozen=True):
    """The effect of an order that lets transfers go only if each condition is met."""

    conditions: tuple[Condition, ...]


#: What an order does: prohibit the transfers it covers, or set conditions on them.
Effect = Literal["prohibits"] | Conditions


class CourtOrder(Record, frozen=True, omit_defaults=True):
    """A stay, injunction, restraining order, interim measure or other order of a court."""

    ref: Ref
    kind: CourtOrderKind
    issuer: Text
    issued: dt.date
    scope: Selector
    events: tuple[Event, ...] = ()
    effect: Fact[Effect] = UNKNOWN


class Protection(Record, frozen=True, omit_defaults=True):
    """Protection the person holds as to ``country`` (the country it protects against)."""

    kind: ProtectionKind
    country: CountryCode
    granted_by: CountryCode
    granted_on: Fact[dt.date] = UNKNOWN
    ended_on: Fact[dt.date | None] = UNKNOWN
    end_kind: Fact[EndKind] = UNKNOWN


class FearClaim(Record, frozen=True, omit_defaults=True):
    """A fear of persecution, torture or death in ``country`` the person raised."""

    country: CountryCode
    status: FearClaimStatus
    raised_on: Fact[dt.date] = UNKNOWN
    decided_on: Fact[dt.date] = UNKNOWN


class RemovalDecision(Record, frozen=True, omit_defaults=True):
    """The decision to remove the person (under extraterritorial processing: the decision
    ordering the transfer); each sub-fact may be unknown."""

    date: Fact[dt.date] = UNKNOWN
    final: Fact[bool] = UNKNOWN
    appeal_deadline: Fact[dt.date | None] = UNKNOWN
    appeal_pending: Fact[bool] = UNKNOWN
    reviewable: Fact[bool] = UNKNOWN


class Conviction(Record, frozen=True, omit_defaults=True):
    """A criminal conviction."""

    offence: Text | None = None
    category: Fact[OffenceCategory] = UNKNOWN
    sentence_end: Fact[dt.date] = UNKNOWN


class Charge(Record, frozen=True, omit_defaults=True):
    """A pending criminal charge."""

    offence: Text | None = None
    category: Fact[OffenceCategory] = UNKNOWN


class Person(Record, frozen=True, omit_defaults=True):
    """A person who may be transferred. Every field after ``names`` is a (u) fact."""

    ref: Ref
    names: Annotated[
        tuple[Text, ...], Meta(min_length=1, extra={"too_short": "at least one name is required"})
    ]
    birth_date: Fact[dt.date] = UNKNOWN
    known_adult_on: Fact[dt.date] = UNKNOWN
    sex: Fact[Sex] = UNKNOWN
    nationalities: Fact[tuple[CountryCode, ...]] = UNKNOWN
    languages: Fact[
        Annotated[
            tuple[LanguageCode, ...],
            Meta(
                min_length=1,
                extra={"too_short": "must not be empty: leave the key out when it is unknown"},
            ),
        ]
    ] = UNKNOWN
    accompanied: Fact[bool] = UNKNOWN
    identity_verified: Fact[bool] = UNKNOWN
    vulnerabilities: Fact[tuple[Vulnerability, ...]] = UNKNOWN
    counsel: Fact[bool] = UNKNOWN
    classes: Fact[tuple[Ref, ...]] = UNKNOWN
    asylum_claim: Fact[AsylumClaim] = UNKNOWN
    protections: Fact[tuple[Protection, ...]] = UNKNOWN
    fear_claims: Fact[tuple[FearClaim, ...]] = UNKNOWN
    removal_decision: Fact[RemovalDecision | None] = UNKNOWN
    convictions: Fact[tuple[Conviction, ...]] = UNKNOWN
    pending_charges: Fact[tuple[Charge, ...]] = UNKNOWN
    family_in_sending_country: Fact[bool] = UNKNOWN
    fit_to_travel: Fact[bool] = UNKNOWN


class Notice(Record, frozen=True, omit_defaults=True):
    """Written notice of the intended destination; each sub-fact may be unknown."""

    served: Fact[dt.date] = UNKNOWN
    language: Fact[LanguageCode] = UNKNOWN
    names_destination: Fact[bool] = UNKNOWN
    served_on_counsel: Fact[bool] = UNKNOWN
    explains_how_to_contest: Fact[bool] = UNKNOWN


class Opportunity(Record, frozen=True, omit_defaults=True):
    """The person's opportunity to raise a fear claim between notice and transfer."""

    cut_off: Fact[dt.date | None] = UNKNOWN
    counsel_access: Fact[bool] = UNKNOWN
    interpreter: Fact[bool] = UNKNOWN


class Reliance(Record, frozen=True, omit_defaults=True):
    """An assurance a transfer relies on."""

    ref: Ref
    replaces_screening: Fact[bool] = UNKNOWN


class MonitoringEntry(Record, frozen=True, omit_defaults=True):
    """What was seen after a transfer; ``onward_removal`` records where the person was sent
    on, ``departed`` that they left otherwise."""

    date: dt.date
    kind: MonitoringKind
    country: CountryCode
    note: Text | None = None


class Transfer(Record, frozen=True, omit_defaults=True):
    """A proposed, executed or cancelled transfer of one person."""

    ref: Ref
    person: Ref
    sending: CountryCode
    destination: CountryCode
    planned_date: dt.date
    arrangement: Ref | None = None
    status: TransferStatus = "proposed"
    legal_basis: Fact[LegalBasisCode] = UNKNOWN
    accepted_by_receiving: Fact[bool] = UNKNOWN
    notice: Fact[Notice | None] = UNKNOWN
    opportunity: Fact[Opportunity] = UNKNOWN
    assurances_relied_on: Fact[tuple[Reliance, ...]] = UNKNOWN
    designation_relied_on: Fact[Ref | None] = UNKNOWN
    on_arrival: Fact[OnArrival] = UNKNOWN
    monitoring: tuple[MonitoringEntry, ...] = ()


class Scenario(Record, frozen=True, omit_defaults=True):
    """A whole world: what ``thirdcountry/scenario@2`` describes."""

    as_of: dt.date | None = None
    description: Text | None = None
    parameters: Parameters = msgspec.field(default_factory=Parameters)
    legal_bases: tuple[LegalBasis, ...] = ()
    regimes: tuple[Regime, ...] = ()
    classes: tuple[PersonClass, ...] = ()
    designations: tuple[Designation, ...] = ()
    assurances: tuple[Assurance, ...] = ()
    countries: tuple[Country, ...] = ()
    arrangements: tuple[Arrangement, ...] = ()
    court_orders: tuple[CourtOrder, ...] = ()
    persons: tuple[Person, ...] = ()
    transfers: tuple[Transfer, ...] = ()


class ScenarioDocument(Scenario, frozen=True, kw_only=True, omit_defaults=True):
    """A scenario@2 file as written: a :class:`Scenario` under its ``format`` key."""

    format: Literal["thirdcountry/scenario@2"]

    def scenario(self) -> Scenario:
        """The world the document describes."""
        return Scenario(**{name: getattr(self, name) for name in Scenario.__struct_fields__})

"""The shapes the REST API reads and writes, for its OpenAPI description.

Every record is written in the scenario format (SCENARIO.md): the API reads and returns the
same objects as a ``thirdcountry/scenario@1`` file holds, and validates what it reads with
the scenario parser itself, so one set of rules applies everywhere. These models describe
those objects; they do not validate requests (the parser does).

A fact marked (u) keeps three states. In a representation the API returns, and in the
body of a POST or PUT: a key left out means *unknown*; ``null`` (``[]`` for a list) means
*known: there is none*; a value means *known: that value*. A ``null`` for a yes/no fact or a
date is refused, as in a scenario file: leave the key out when nobody knows. In a PATCH a
key left out means *unchanged*; to make a known fact unknown again, PUT the whole record
without it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Country = str
Language = str

_COUNTRY = {"pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 country code"}
_LANGUAGE = {"pattern": "^[a-z]{2,3}$", "description": "ISO 639-1 or ISO 639-3 language code"}


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(description: str, **extra: Any) -> Any:
    """An optional key with no default in the schema: leaving it out means something."""
    return Field(None, description=description, json_schema_extra=_no_default, **extra)


def country(description: str, required: bool = True) -> Any:
    """A country-code field."""
    extra = {**_COUNTRY, "description": f"{description} ({_COUNTRY['description']})"}
    if required:
        return Field(..., pattern=extra["pattern"], description=extra["description"])
    return Field(
        None,
        pattern=extra["pattern"],
        description=extra["description"],
        json_schema_extra=_no_default,
    )


class Strict(BaseModel):
    """No keys beyond those listed (unknown keys are an error, as in a scenario file)."""

    model_config = ConfigDict(extra="forbid")


# -- problems (RFC 9457) -------------------------------------------------------------------


class FieldError(Strict):
    """One thing wrong with a request: where (a JSON path into the body, or
    ``query.NAME``/``header.NAME``) and what was expected."""

    path: str
    message: str


class Problem(Strict):
    """An error, as ``application/problem+json`` (RFC 9457)."""

    type: str = Field(..., description="A URI reference naming the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str = Field(..., description="The path of the request that failed.")
    errors: list[FieldError] = absent("For invalid input: every problem, by its path.")


# -- persons --------------------------------------------------------------------------------


class FearClaim(Strict):
    country: Country = country("the country feared")
    status: Literal["pending", "recognised", "rejected"]


class RemovalDecision(Strict):
    date: dt.date
    final: bool
    appeal_deadline: dt.date | None = absent("null or left out: no appeal deadline")
    appeal_pending: bool = absent("left out: false")


class Conviction(Strict):
    offence: str = absent("free text; left out for monitors")
    sentence_end: dt.date = absent("(u) when the sentence is fully served")


_PERSON_FACTS = (
    "Facts marked (u): a key left out is unknown, null or [] is known none, a value is "
    "known. A null yes/no fact or date is refused."
)


class PersonIn(Strict):
    """A person, as in a scenario file's ``persons``. In a POST or PUT, a (u) key left out
    makes the fact unknown."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"description": _PERSON_FACTS})

    ref: str = Field(..., min_length=1, max_length=100)
    names: list[str] = Field(..., min_length=1, description="The first is the primary name.")
    birth_date: dt.date = absent("(u)")
    nationalities: list[Country] = absent("(u) [] means stateless")
    languages: list[Language] = absent("(u) languages the person understands")
    accompanied: bool = absent("(u) a minor travels with a parent or guardian")
    identity_verified: bool = absent("(u)")
    asylum_claim: Literal["none", "pending", "granted", "refused"] = absent("(u)")
    fear_claims: list[FearClaim] = absent("(u)")
    removal_decision: RemovalDecision | None = absent("(u) null: no removal decision exists")
    convictions: list[Conviction] = absent("(u)")
    family_in_sending_country: bool = absent("(u)")
    fit_to_travel: bool = absent("(u)")


class PersonPatch(Strict):
    """Changes to a person: a key left out is unchanged; a key given replaces the fact
    (lists are replaced whole). null or [] records a known none, as in a scenario file; a
    null yes/no fact or date is refused (PUT the person without the key to make it unknown).
    """

    ref: str = absent("if given, must be the person's ref")
    names: list[str] = absent("", min_length=1)
    birth_date: dt.date = absent("")
    nationalities: list[Country] = absent("")
    languages: list[Language] = absent("")
    accompanied: bool = absent("")
    identity_verified: bool = absent("")
    asylum_claim: Literal["none", "pending", "granted", "refused"] = absent("")
    fear_claims: list[FearClaim] = absent("needs cases.record_fear_screening")
    removal_decision: RemovalDecision | None = absent("needs cases.record_decision")
    convictions: list[Conviction] = absent("")
    family_in_sending_country: bool = absent("")
    fit_to_travel: bool = absent("")


class PersonOut(Strict):
    """A person as stored, every (u) fact in its three states. For a monitor the person is
    pseudonymised: ``ref`` is a pseudonym, and names, the birth date (``birth_year`` is
    given instead) and offences are left out."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"description": _PERSON_FACTS})

    ref: str
    names: list[str] = absent("left out for monitors", min_length=1)
    birth_date: dt.date = absent("(u) left out for monitors")
    birth_year: int = absent("monitors only: the year of birth, when known")
    nationalities: list[Country] = absent("(u)")
    languages: list[Language] = absent("(u)")
    accompanied: bool = absent("(u)")
    identity_verified: bool = absent("(u)")
    asylum_claim: Literal["none", "pending", "granted", "refused"] = absent("(u)")
    fear_claims: list[FearClaim] = absent("(u)")
    removal_decision: RemovalDecision | None = absent("(u)")
    convictions: list[Conviction] = absent("(u)")
    family_in_sending_country: bool = absent("(u)")
    fit_to_travel: bool = absent("(u)")


# -- transfers ------------------------------------------------------------------------------


class Notice(Strict):
    served: dt.date
    language: Language = Field(..., pattern=_LANGUAGE["pattern"])
    names_destination: bool


class MonitoringEntry(Strict):
    date: dt.date
    kind: Literal["visit", "support_delivered", "onward_removal"]
    country: Country = country("where the person was (or was sent on to)")
    note: str = absent("free text; left out for monitors")


_STATUS = Literal["proposed", "executed", "cancelled"]


class TransferIn(Strict):
    """A transfer, as in a scenario file's ``transfers``. In a POST or PUT,
    ``accepted_by_receiving`` or ``notice`` left out is unknown."""

    ref: str = Field(..., min_length=1, max_length=100)
    person: str = Field(..., description="The person's ref.")
    sending: Country = country("the sending state")
    destination: Country = country("the third country")
    arrangement: str | None = absent("the arrangement's ref; null or left out: none")
    planned_date: dt.date
    status: _STATUS = absent("left out: proposed")
    accepted_by_receiving: bool = absent("(u) needs cases.record_acceptance to change")
    notice: Notice | None = absent("(u) null: no notice served; needs cases.record_notice")
    monitoring: list[MonitoringEntry] = absent("after transfer; left out: none")


class TransferPatch(Strict):
    """Changes to a transfer: a key left out is unchanged, a key given replaces the value."""

    ref: str = absent("if given, must be the transfer's ref")
    person: str = absent("")
    sending: Country = country("", required=False)
    destination: Country = country("", required=False)
    arrangement: str | None = absent("")
    planned_date: dt.date = absent("")
    status: _STATUS = absent("")
    accepted_by_receiving: bool = absent("needs cases.record_acceptance")
    notice: Notice | None = absent("needs cases.record_notice")
    monitoring: list[MonitoringEntry] = absent("")


class TransferOut(Strict):
    """A transfer as stored; for a monitor ``person`` is the person's pseudonym and
    monitoring notes are left out."""

    ref: str
    person: str
    sending: Country
    destination: Country
    arrangement: str | None
    planned_date: dt.date
    status: _STATUS
    accepted_by_receiving: bool = absent("(u)")
    notice: Notice | None = absent("(u) null: no notice served")
    monitoring: list[MonitoringEntry]


# -- arrangements ---------------------------------------------------------------------------


_COMMITMENT = Literal[
    "asylum_procedure",
    "accommodation",
    "education",
    "employment_support",
    "health_care",
    "legal_aid",
    "monitoring_access",
]
_ARRANGEMENT_STATUS = Literal[
    "negotiating", "signed", "in_force", "suspended", "ruled_unlawful", "terminated"
]


class Terms(Strict):
    requires_served_sentence: bool = absent("left out: false")
    excluded_nationalities: list[Country] = absent("left out: none")
    notice_days: int = absent("overrides the catalog's notice period", ge=0)


class StatusChange(Strict):
    """One dated entry of an arrangement's status history."""

    date: dt.date
    status: _ARRANGEMENT_STATUS
    source: str = Field(..., min_length=1)


class Payment(Strict):
    """One entry of an arrangement's payment ledger; ``amount`` is a decimal string."""

    date: dt.date
    amount: str = Field(..., pattern=r"^\d+(\.\d+)?$")
    currency: str = Field(..., pattern="^[A-Z]{3}$", description="ISO 4217 currency code")
    kind: Literal["committed", "paid", "claimed", "disputed"]
    payer: Country = country("who pays")
    payee: Country = country("who is paid")
    note: str = absent("free text; left out for monitors")


class ArrangementIn(Strict):
    """An arrangement, as in a scenario file's ``arrangements``."""

    ref: str = Field(..., min_length=1, max_length=100)
    sending: Country = country("the sending state")
    receiving: Country = country("the receiving state")
    title: str | None = absent("")
    cap: int | None = absent("most persons it may ever cover; null or left out: no cap", ge=0)
    terms: Terms | None = absent("")
    commitments: list[_COMMITMENT] = absent("")
    status_history: list[StatusChange] = absent("needs registry.add_arrangementstatus")
    payments: list[Payment] = absent("needs registry.add_payment")


class ArrangementPatch(Strict):
    """Changes to an arrangement's title, cap, terms or commitments (a key left out is
    unchanged). Its status history and payments grow by POSTing entries to them."""

    title: str | None = absent("")
    cap: int | None = absent("", ge=0)
    terms: Terms | None = absent("replaces the terms whole")
    commitments: list[_COMMITMENT] = absent("replaces the list whole")


class ArrangementOut(Strict):
    ref: str
    sending: Country
    receiving: Country
    title: str = absent("")
    cap: int | None
    terms: Terms = absent("left out: no terms")
    commitments: list[_COMMITMENT]
    status_history: list[StatusChange]
    payments: list[Payment]


# -- court orders ---------------------------------------------------------------------------


class Scope(Strict):
    """Exactly one of: ``person``; ``arrangement``; ``sending`` with ``destination``;
    ``sending`` alone (every third-country transfer from that state)."""

    person: str = absent("a person's ref (for monitors, the person's pseudonym)")
    arrangement: str = absent("an arrangement's ref")
    sending: Country = country("", required=False)
    destination: Country = country("", required=False)


_ORDER_KIND = Literal["stay", "injunction", "interim_measure"]


class CourtOrderIn(Strict):
    ref: str = Field(..., min_length=1, max_length=100)
    kind: _ORDER_KIND
    issuer: str = Field(..., min_length=1)
    issued: dt.date
    lifted: dt.date | None = absent("null or left out: still in effect")
    scope: Scope


class CourtOrderPatch(Strict):
    """Record the date an order was lifted."""

    lifted: dt.date


class CourtOrderOut(Strict):
    ref: str
    kind: _ORDER_KIND
    issuer: str
    issued: dt.date
    lifted: dt.date | None
    scope: Scope


# -- country assessments --------------------------------------------------------------------


class AssessmentIn(Strict):
    country: Country = country("the country assessed")
    date: dt.date
    onward_refoulement_risk: bool
    source: str = Field(..., min_length=1)


class AssessmentOut(AssessmentIn):
    id: int


# -- screenings -----------------------------------------------------------------------------


_VERDICT = Literal["clear", "review", "blocked"]


class Finding(Strict):
    rule: str
    outcome: Literal["pass", "review", "blocked"]
    reason: str
    basis: str = Field(..., description="The rule's legal basis, from the catalog.")


class ScreeningOut(Strict):
    """A stored screening of one transfer: its verdict and a finding per rule."""

    id: int
    transfer: str
    verdict: _VERDICT
    as_of: dt.date
    catalog: str
    facts_sha256: str = absent("hash of the facts screened; left out for monitors")
    screened_at: dt.datetime
    run: int | None
    findings: list[Finding]


class RuleChange(Strict):
    rule: str
    before: Literal["pass", "review", "blocked"] | None
    after: Literal["pass", "review", "blocked"]
    reason: str


class VerdictChange(Strict):
    transfer: str
    verdict_before: _VERDICT | None
    verdict_after: _VERDICT
    rules_changed: list[RuleChange]


class ScreenOut(Strict):
    """A screening made now: the run that made it and the transfer's latest verdict."""

    run: int
    as_of: dt.date
    catalog: str
    changed: list[VerdictChange] = Field(
        ..., description="Empty when the findings are the same as the latest stored ones."
    )
    verdict: ScreeningOut


class ScenarioDocument(BaseModel):
    """A ``thirdcountry/scenario@1`` document (see SCENARIO.md for every key)."""

    model_config = ConfigDict(extra="allow")

    format: Literal["thirdcountry/scenario@1"]


class VerdictResult(Strict):
    transfer: str
    verdict: _VERDICT
    facts_sha256: str
    findings: list[Finding]


class VerdictsDocument(Strict):
    """A ``thirdcountry/verdicts@1`` document: one result per proposed transfer."""

    format: Literal["thirdcountry/verdicts@1"]
    as_of: dt.date
    catalog: str
    results: list[VerdictResult]


# -- pages ----------------------------------------------------------------------------------


_NEXT = Field(..., description="The URL of the next page; null on the last page.")


class PersonPage(Strict):
    items: list[PersonOut]
    next: str | None = _NEXT


class TransferPage(Strict):
    items: list[TransferOut]
    next: str | None = _NEXT


class ArrangementPage(Strict):
    items: list[ArrangementOut]
    next: str | None = _NEXT


class CourtOrderPage(Strict):
    items: list[CourtOrderOut]
    next: str | None = _NEXT


class AssessmentPage(Strict):
    items: list[AssessmentOut]
    next: str | None = _NEXT


class ScreeningPage(Strict):
    items: list[ScreeningOut]
    next: str | None = _NEXT


#: Request bodies the parser validates; listed so the OpenAPI description names them.
REQUEST_BODIES: tuple[type[BaseModel], ...] = (
    PersonIn,
    PersonPatch,
    TransferIn,
    TransferPatch,
    ArrangementIn,
    ArrangementPatch,
    StatusChange,
    Payment,
    CourtOrderIn,
    CourtOrderPatch,
    AssessmentIn,
    ScenarioDocument,
)

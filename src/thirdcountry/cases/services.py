"""Writes of case records: recording facts about persons and transfers, and screening the
stored world. Every write that can change a verdict re-screens what it touches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from thirdcountry.cases.models import (
    ExecutionIncident,
    FearClaim,
    LatestScreening,
    Person,
    ScreeningRun,
    Transfer,
)
from thirdcountry.cases.rescreening import Progress, execute_run, rescreen, start_run
from thirdcountry.cases.tasks import rescreen_for_event
from thirdcountry.cases.world_v2 import stored_scenario_v2
from thirdcountry.history import next_seq, save_with_history
from thirdcountry.rules import catalogs
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.scenario.model import Notice, RemovalDecision
from thirdcountry.screening import Screening
from thirdcountry.screening_v2 import ScreeningV2, screen_scenario_v2


@dataclass(frozen=True)
class StoredScreening:
    """A screening of stored transfers and how many verdict rows it wrote."""

    screening: Screening | ScreeningV2
    stored: int
    run: ScreeningRun


def screen_stored(
    as_of: date | None = None, user: Any = None, progress: Progress | None = None
) -> StoredScreening:
    """Screen every proposed transfer in storage as one run, storing a new screening for each
    transfer whose findings changed; returns the whole screening."""
    run = start_run({"all": True}, "thirdcountry screen: every pending transfer", as_of, user)
    outcome = execute_run(run, progress, keep_screening=True)
    screening: Screening | ScreeningV2 | None = outcome.screening
    if screening is None:
        # A scenario@2 run keeps no whole screening: the stored world is screened again
        # for the document, as the run screened it.
        catalog = catalogs.any_catalog(run.catalog)
        assert isinstance(catalog, CatalogV2)
        screening = screen_scenario_v2(stored_scenario_v2(), catalog, run.as_of)
    return StoredScreening(screening, outcome.run.changed, outcome.run)


def screen_transfer(transfer: str, user: Any = None) -> ScreeningRun:
    """Screen one pending transfer now against the stored facts, as a run of that transfer
    alone; a screening is stored if its findings changed. The run, its screening and its
    audit entry are written in one short transaction."""
    with transaction.atomic():
        return rescreen(
            {"transfers": [transfer]}, f"transfer {transfer} screened on request", user=user
        )


# -- recording facts: each write re-screens the pending transfers it can affect -------------


def _transfer_run(transfer: Transfer, what: str, user: Any) -> ScreeningRun:
    return rescreen_for_event(
        {"transfers": [transfer.ref]}, f"{what} for transfer {transfer.ref}", user=user
    )


def _person_run(person: Person, what: str, user: Any) -> ScreeningRun:
    return rescreen_for_event({"person": person.ref}, f"{what} for person {person.ref}", user=user)


@transaction.atomic
def record_notice(
    transfer: Transfer, notice: Notice | None, user: Any = None, reason: str | None = None
) -> ScreeningRun:
    """Record the written notice served for a transfer (``None``: known that none was).
    ``reason`` goes into the transfer's history."""
    transfer.notice_recorded = True
    transfer.notice_served = notice.served if notice else None
    transfer.notice_language_id = notice.language if notice else None
    transfer.notice_names_destination = notice.names_destination if notice else None
    save_with_history(transfer, user, reason or "notice recorded")
    return _transfer_run(transfer, "notice recorded", user)


@transaction.atomic
def record_acceptance(
    transfer: Transfer, accepted: bool, user: Any = None, reason: str | None = None
) -> ScreeningRun:
    """Record whether the receiving state accepted (true) or refused (false) the person.
    ``reason`` goes into the transfer's history."""
    transfer.accepted_by_receiving = accepted
    what = "acceptance" if accepted else "refusal"
    save_with_history(transfer, user, reason or f"receiving state's {what} recorded")
    return _transfer_run(transfer, f"receiving state's {what} recorded", user)


@transaction.atomic
def record_fear_claim(
    person: Person, country: str, status: str, user: Any = None, reason: str | None = None
) -> ScreeningRun:
    """Record a fear claim about ``country``, or where its screening now stands.
    ``reason`` goes into the person's history."""
    claim = person.fear_claims.filter(country_id=country).first()
    if claim is None:
        claim = FearClaim(person=person, seq=next_seq(person.fear_claims.all()), country_id=country)
    claim.status = status
    save_with_history(claim, user, reason or f"fear claim about {country}: {status}")
    if not person.fear_claims_recorded:
        person.fear_claims_recorded = True
        save_with_history(person, user, reason or "fear claims recorded")
    return _person_run(person, f"fear claim about {country} {status}", user)


@transaction.atomic
def record_removal_decision(
    person: Person,
    decision: RemovalDecision | None,
    user: Any = None,
    reason: str | None = None,
) -> ScreeningRun:
    """Record the removal decision and its appeal (``None``: known that none exists).
    ``reason`` goes into the person's history."""
    person.removal_decision_recorded = True
    person.removal_decision_date = decision.date if decision else None
    person.removal_decision_final = decision.final if decision else None
    person.appeal_deadline = decision.appeal_deadline if decision else None
    person.appeal_pending = decision.appeal_pending if decision else None
    save_with_history(person, user, reason or "removal decision recorded")
    return _person_run(person, "removal decision recorded", user)


#: Person facts that :func:`set_person_facts` may change (each NULL when unknown).
PERSON_SCALAR_FACTS = (
    "birth_date",
    "accompanied",
    "identity_verified",
    "asylum_claim",
    "family_in_sending_country",
    "fit_to_travel",
)


@transaction.atomic
def set_person_facts(person: Person, user: Any = None, **facts: Any) -> ScreeningRun:
    """Change a person's yes/no, date or asylum facts (``None`` makes a fact unknown)."""
    unknown = set(facts) - set(PERSON_SCALAR_FACTS)
    if unknown:
        raise ValueError(f"not a person fact: {', '.join(sorted(unknown))}")
    for name, value in facts.items():
        setattr(person, name, value)
    save_with_history(person, user, "facts changed: " + ", ".join(sorted(facts)))
    return _person_run(person, "facts changed", user)


# -- executions recorded against the safeguards ------------------------------------------------

_OUTCOMES = {"b": "blocked", "r": "review"}


@dataclass(frozen=True)
class SeenState:
    """What a caller saw of a transfer before changing it: its latest verdict
    (``unscreened`` when it has none) and the transfers then executed under its
    arrangement."""

    verdict: str
    executed: frozenset[int]


def seen_state(transfer_ref: str) -> SeenState:
    """A transfer's latest verdict and its arrangement's executed transfers, as they stand
    now (read before the transfer is locked for a change)."""
    row = (
        Transfer.objects.filter(ref=transfer_ref)
        .values_list("arrangement_id", "latest_screening__verdict")
        .first()
    )
    if row is None:
        return SeenState("unscreened", frozenset())
    arrangement, verdict = row
    executed = (
        Transfer.objects.filter(arrangement_id=arrangement, status="executed").values_list(
            "pk", flat=True
        )
        if arrangement is not None
        else []
    )
    return SeenState(verdict or "unscreened", frozenset(executed))


def flag_execution(
    transfer: Transfer, *, reason: str = "", user: Any = None, seen: SeenState | None = None
) -> ExecutionIncident | None:
    """Flag an execution just recorded while the transfer's latest screening is not
    ``clear`` (the execution itself is kept: the system records what states do). Call it
    in the transaction that recorded the execution, before anything re-screens.

    ``seen`` is what the caller saw when it asked: when the verdict was ``clear`` then and
    is not now, the executions under the same arrangement recorded since changed it
    (together with this one they pass its cap), and they are flagged too."""
    latest = LatestScreening.objects.filter(transfer=transfer).first()
    kind = latest.verdict if latest is not None else "unscreened"
    if kind == "clear":
        return None
    findings: list[dict[str, str]] = []
    if latest is not None:
        ids = catalogs.rule_ids(latest.catalog)
        findings = [
            {"rule": rule_id, "outcome": _OUTCOMES[letter]}
            for rule_id, letter in zip(ids, latest.outcomes, strict=False)
            if letter in _OUTCOMES
        ]
    actor = user.get_username() if getattr(user, "is_authenticated", False) else ""
    partners: list[Transfer] = []
    if seen is not None and seen.verdict == "clear" and transfer.arrangement_id is not None:
        partners = list(
            Transfer.objects.filter(arrangement_id=transfer.arrangement_id, status="executed")
            .exclude(pk__in=[*seen.executed, transfer.pk])
            .order_by("ref")
        )
    incident: ExecutionIncident = ExecutionIncident.objects.create(
        transfer=transfer,
        kind=kind,
        catalog=latest.catalog if latest is not None else "",
        findings=findings,
        reason=reason.strip(),
        concurrent_with=[p.ref for p in partners],
        actor=actor[:150],
    )
    for partner in partners:
        if not partner.execution_incidents.exists():
            ExecutionIncident.objects.create(
                transfer=partner,
                kind=kind,
                catalog=incident.catalog,
                findings=findings,
                reason="",
                concurrent_with=[transfer.ref],
                actor=actor[:150],
            )
    return incident

"""Rules 7 to 9 of catalog 2026.2: the person's status (age, protection held, the decision)."""

from __future__ import annotations

from thirdcountry.rules.catalog import gettext_noop as _
from thirdcountry.rules.v2.case import Case, known, standing
from thirdcountry.rules.v2.rule import Decision, decide, rule
from thirdcountry.scenario.v2.model import UNKNOWN


@rule(
    7,
    "unaccompanied-minor",
    title=_("No unaccompanied child"),
    basis=(
        _("Convention on the Rights of the Child, arts 3 and 22"),
        _("UNHCR Guidance Note (May 2013)"),
    ),
)
def unaccompanied_minor(c: Case) -> Decision:
    """A child is not transferred without a parent or guardian."""
    age, accompanied, minor_age = c.age, c.p.accompanied, c.world.minor_age
    if age == "minor" and accompanied is False:
        return decide("unaccompanied", minor_age=minor_age)
    if age == "unknown":
        return decide("age-unknown", minor_age=minor_age)
    if age == "minor" and not known(accompanied):
        return decide("accompaniment-unknown", minor_age=minor_age)
    if age == "adult":
        return decide("adult", minor_age=minor_age)
    if age == "known_adult":
        return decide("known-adult", minor_age=minor_age, known_adult_on=c.p.known_adult_on)
    return decide("accompanied", minor_age=minor_age)


@rule(
    8,
    "country-specific-protection",
    title=_("Protection the person holds"),
    basis=(
        _("1951 Refugee Convention arts 32 and 33(1)"),
        _(
            "8 U.S.C. §1231(b)(3) (withholding of removal) and Convention against Torture "
            "art. 3 with 8 C.F.R. §§208.16–208.18"  # noqa: RUF001 - a range of sections
        ),
        _("Noem v. Abrego Garcia (US Supreme Court, 10 April 2025)"),
    ),
)
def country_specific_protection(c: Case) -> Decision:
    """Protection as to the destination bars it; refugee status in the sending state needs a
    finding of effective protection."""
    destination, sending, p = c.t.destination, c.t.sending, c.p
    about = c.protections_about(destination)
    for entry, stands in about:
        if stands == "stands":
            return decide("against-destination", kind=entry.kind, destination=destination)
    for entry, stands in about:
        if stands == "possibly":
            return decide("possibly-against-destination", kind=entry.kind, destination=destination)
    if not known(p.protections):
        return decide("protections-unknown")
    refugee = [
        entry
        for entry in p.protections
        if entry.kind in ("refugee_status", "protection_finding") and entry.granted_by == sending
    ]
    for entry in refugee:
        if standing(entry, c.P) == "stands":
            return decide("refugee-in-sending-state", country=entry.country, sending=sending)
    if p.asylum_claim == "granted":
        return decide("refugee-in-sending-state", country=None, sending=sending)
    for entry in refugee:
        if standing(entry, c.P) == "possibly":
            return decide(
                "refugee-status-possibly-standing", country=entry.country, sending=sending
            )
    if p.asylum_claim is UNKNOWN:
        return decide("asylum-claim-unknown")
    held = sorted({e.country for e in p.protections if standing(e, c.P) == "stands"})
    return decide("none-against-destination", destination=destination, countries=held)


@rule(
    9,
    "final-decision",
    title=_("A final, reviewable decision"),
    basis=(
        _("Right to an effective remedy: ECHR art. 13"),
        _("ICCPR art. 13"),
        _("where EU law applies, EU Charter of Fundamental Rights art. 47"),
    ),
)
def final_decision(c: Case) -> Decision:
    """A final removal order with no appeal open or, under extraterritorial processing, a
    decision ordering the transfer that a court can review."""
    decision, model = c.p.removal_decision, c.model
    if c.a is not None and model == "extraterritorial_processing":
        ref = c.a.ref
        if decision is None:
            return decide("no-transfer-decision", arrangement=ref)
        if known(decision) and decision.reviewable is False:
            return decide("not-reviewable", arrangement=ref)
        if not known(decision):
            return decide("unknown")
        if not known(decision.reviewable):
            return decide("reviewability-unknown", arrangement=ref)
        return decide("reviewable", arrangement=ref, date=_date(decision.date))
    basis = c.t.legal_basis if known(c.t.legal_basis) else None
    if c.a is not None and not known(model):
        if decision is None:
            return decide("none", legal_basis=basis)
        if not known(decision):
            return decide("unknown")
        return decide("model-unknown", arrangement=c.a.ref, date=_date(decision.date))
    if decision is None:
        return decide("none", legal_basis=basis)
    if not known(decision):
        return decide("unknown")
    date, deadline = _date(decision.date), decision.appeal_deadline
    if decision.final is False:
        return decide("not-final", date=date)
    if decision.appeal_pending is True:
        return decide("appeal-pending", date=date)
    if known(deadline) and deadline is not None and deadline >= c.P:
        return decide("appeal-window-open", appeal_deadline=deadline, planned_date=c.P)
    if not known(decision.final):
        return decide("finality-unknown")
    if not known(decision.appeal_pending):
        return decide("appeal-pending-unknown")
    if not known(deadline):
        return decide("appeal-deadline-unknown")
    if deadline is not None and deadline >= c.D:
        return decide("appeal-window-closes-before-transfer", appeal_deadline=deadline)
    return decide("final", date=date)


def _date(value: object) -> object:
    """A sub-fact date as a parameter: ``None`` (not recorded) when unknown."""
    return value if known(value) else None

"""Rules 14 to 16 of catalog 2026.2: refoulement, direct and onward, and the assurances relied
on against it."""

from __future__ import annotations

from typing import Any

from thirdcountry.rules.catalog import gettext_noop as _
from thirdcountry.rules.v2.case import Case, known, standing
from thirdcountry.rules.v2.rule import Decision, decide, rule
from thirdcountry.scenario.v2.model import ASSURANCE_ELEMENTS


@rule(
    14,
    "fear-of-destination",
    title=_("No known danger in the destination itself"),
    basis=(_("1951 Refugee Convention art. 33(1)"), _("Convention against Torture art. 3")),
)
def fear_of_destination(c: Case) -> Decision:
    """A recognised fear of the destination bars it (direct refoulement)."""
    claims, destination = c.p.fear_claims, c.t.destination
    if known(claims):
        about = [claim.status for claim in claims if claim.country == destination]
        if "recognised" in about:
            return decide("recognised", destination=destination)
    else:
        return decide("unknown", destination=destination)
    if "pending" in about:
        return decide("pending", destination=destination)
    if about:
        return decide("rejected", destination=destination)
    return decide("none", destination=destination)


@rule(
    15,
    "chain-refoulement",
    title=_("No onward return to danger"),
    basis=(
        _('1951 Refugee Convention art. 33(1) ("in any manner whatsoever")'),
        _("Convention against Torture art. 3"),
        _(
            "R (AAA) v SSHD [2023] UKSC 42 (15 November 2023: a real risk that Rwanda would send "
            "people on; assurances in good faith do not remove it)"
        ),
        _("UNHCR Guidance Note (May 2013)"),
    ),
)
def chain_refoulement(c: Case) -> Decision:
    """No claim to protection meets a destination that sends people on, by design, by an
    assessment in force or by a recorded onward removal."""
    p, destination, model = c.p, c.t.destination, c.model
    ref = c.a.ref if c.a is not None else None
    if model == "extraterritorial_processing":
        return decide("sending-state-processing", arrangement=ref)
    claims, protections = p.fear_claims, p.protections
    feared = {
        claim.country
        for claim in (claims if known(claims) else ())
        if claim.status in ("pending", "recognised")
    }
    standings = [
        (entry.country, standing(entry, c.P))
        for entry in (protections if known(protections) else ())
    ]
    feared |= {country for country, stands in standings if stands == "stands"}
    countries = sorted(feared - {destination})
    claim = bool(countries) or p.asylum_claim == "pending"
    possibly_other = any(
        stands == "possibly" and country != destination for country, stands in standings
    )
    incomplete = (
        not known(claims) or not known(protections) or not known(p.asylum_claim) or possibly_other
    )
    found = c.world.assessment_in_force(destination)
    assessment = None if found is None else {"country": destination, "index": found[0]}
    incident, possible = c.world.incidents(c.t)
    risk = (found is not None and found[1].onward_refoulement_risk) or incident is not None
    transit = model == "transit_to_origin"
    nationalities = p.nationalities if known(p.nationalities) else None
    others = [n for n in (nationalities or ()) if n != destination]
    if transit:
        for country in others:
            if c.fears(country):
                return decide("transit-to-feared-country", arrangement=ref, country=country)
        for country in others:
            if c.never_screened(country):
                return decide("transit-unscreened", arrangement=ref, country=country)
    if claim and found is not None and found[1].onward_refoulement_risk:
        return decide(
            "risk-found", destination=destination, countries=countries, assessment=assessment
        )
    if claim and incident is not None:
        return decide("onward-removal-recorded", **_incident(destination, countries, incident))
    if transit and (
        nationalities is None
        or not nationalities
        or not known(claims)
        or not known(protections)
        or any(stands == "possibly" and country in others for country, stands in standings)
    ):
        return decide("transit-facts-unknown", arrangement=ref)
    if c.a is not None and not known(model):
        return decide("model-unknown", arrangement=ref)
    if claim and found is None:
        return decide("no-assessment", destination=destination, countries=countries)
    if claim and possible is not None:
        return decide("onward-removal-possible", **_incident(destination, countries, possible))
    if not claim and incomplete and (found is None or risk or possible is not None):
        return decide("claims-unknown-risk", destination=destination, assessment=assessment)
    if claim:
        return decide(
            "no-risk-found", destination=destination, countries=countries, assessment=assessment
        )
    if not incomplete and risk:
        return decide("no-claim-risk-noted", destination=destination, assessment=assessment)
    if not incomplete and found is not None:
        return decide("no-claim-no-risk", destination=destination, assessment=assessment)
    if not incomplete:
        return decide("no-claim-no-assessment", destination=destination)
    return decide("claims-unknown-no-risk", destination=destination, assessment=assessment)


def _incident(destination: str, countries: list[str], incident: Any) -> dict[str, Any]:
    return {
        "destination": destination,
        "countries": countries,
        "country": incident.country,
        "date": incident.date,
        "person": incident.person,
    }


@rule(
    16,
    "assurances",
    title=_("Assurances relied on are of a kind that can protect"),
    basis=(
        _(
            "UNHCR, Note on Diplomatic Assurances and International Refugee Protection (August "
            "2006): assurances can be relied on only when they bind, can be enforced, are "
            "monitored and give access to a remedy"
        ),
        _("R (AAA) v SSHD [2023] UKSC 42"),
    ),
)
def assurances(c: Case) -> Decision:
    """Assurances relied on bind, are disclosed, monitored and give a remedy; undisclosed
    ones never replace a fear screening."""
    relied = c.t.assurances_relied_on
    if known(relied) and not relied:
        return decide("none-relied-on")
    if known(relied):
        for reliance in relied:
            given = c.world.assurances[reliance.ref]
            if reliance.replaces_screening is True and given.disclosed is False:
                return decide("undisclosed-in-lieu-of-screening", assurance=reliance.ref)
    else:
        return decide("unknown")
    pairs = [
        (reliance.ref, element, getattr(c.world.assurances[reliance.ref], element))
        for reliance in relied
        for element in ASSURANCE_ELEMENTS
    ]
    for ref, element, value in pairs:
        if value is False:
            return decide("element-missing", assurance=ref, element=element)
    for ref, element, value in pairs:
        if not known(value):
            return decide("element-unknown", assurance=ref, element=element)
    positions = c.world.assurance_positions
    refs = sorted({r.ref for r in relied}, key=positions.__getitem__)
    return decide("complete", assurances=refs)

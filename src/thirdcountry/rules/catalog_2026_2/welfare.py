"""Rules 20 to 24 of catalog 2026.2: treatment on arrival and the person's welfare."""

from __future__ import annotations

from thirdcountry.rules.catalog import gettext_noop as _
from thirdcountry.rules.v2.case import Case, known
from thirdcountry.rules.v2.rule import Decision, decide, rule

_IN_CUSTODY = ("immigration_detention", "prison")


@rule(
    20,
    "treatment-on-arrival",
    title=_("No arbitrary detention or isolation on arrival"),
    basis=(
        _("ICCPR arts 7, 9, 10 and 14"),
        _(
            "UNHCR Guidance Note (May 2013): treatment in line with the Refugee Convention and "
            "human-rights standards, no arbitrary detention"
        ),
        _("UNHCR monitoring visit to the Republic of Nauru (7–9 October 2013)"),  # noqa: RUF001 - a range of days
    ),
)
def treatment_on_arrival(c: Case) -> Decision:
    """No incommunicado detention, no custody without an individual legal basis, no refusal
    of counsel on arrival."""
    facts = c.on_arrival
    if facts is None:
        return decide("unknown")
    custody = facts.custody if known(facts.custody) else None
    in_custody = custody in _IN_CUSTODY
    if facts.incommunicado is True:
        return decide("incommunicado")
    if in_custody and facts.individual_legal_basis is False:
        return decide("custody-without-individual-basis", custody=custody)
    if facts.counsel_access is False:
        return decide("counsel-access-refused")
    if custody is None:
        return decide("custody-unknown")
    if in_custody and not known(facts.individual_legal_basis):
        return decide("individual-basis-unknown", custody=custody)
    if not known(facts.incommunicado):
        return decide("incommunicado-unknown", custody=custody)
    if not known(facts.counsel_access):
        return decide("counsel-access-unknown", custody=custody)
    if facts.legal_status is False:
        return decide("no-legal-status")
    if not known(facts.legal_status):
        return decide("legal-status-unknown")
    return decide("acceptable", custody=custody)


@rule(
    21, "family-unity", title=_("Family unity"), basis=(_("ECHR art. 8"), _("ICCPR arts 17 and 23"))
)
def family_unity(c: Case) -> Decision:
    """Close family in the sending state is weighed by a person."""
    family = c.p.family_in_sending_country
    if family is True:
        return decide("family-in-sending-country")
    if not known(family):
        return decide("unknown")
    return decide("none")


@rule(
    22,
    "fit-to-travel",
    title=_("Fit to travel"),
    basis=(_("ECHR art. 3"), _("Paposhvili v. Belgium (ECtHR Grand Chamber, 13 December 2016)")),
)
def fit_to_travel(c: Case) -> Decision:
    """The person is medically fit to travel."""
    fit = c.p.fit_to_travel
    if fit is False:
        return decide("unfit")
    if not known(fit):
        return decide("unknown")
    return decide("fit")


@rule(
    23,
    "identity-verified",
    title=_("Identity verified"),
    basis=_("Good administration: a transfer must concern the right person"),
)
def identity_verified(c: Case) -> Decision:
    """The transfer concerns the right person."""
    verified = c.p.identity_verified
    if verified is False:
        return decide("not-verified")
    if not known(verified):
        return decide("unknown")
    return decide("verified")


@rule(
    24,
    "reception-commitments",
    title=_("Reception commitments"),
    basis=_("UNHCR Guidance Note (May 2013): standards of treatment in the receiving state"),
)
def reception_commitments(c: Case) -> Decision:
    """The receiving state is committed to accommodate the person."""
    a = c.a
    if a is not None and a.model == "extraterritorial_processing":
        return decide("sending-state-runs-reception", arrangement=a.ref)
    if a is None:
        return decide("no-arrangement")
    if "accommodation" not in a.commitments:
        return decide("no-accommodation", arrangement=a.ref)
    return decide("accommodation", arrangement=a.ref)

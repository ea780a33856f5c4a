"""Rules 17 to 19 of catalog 2026.2: procedure (the asylum procedure after transfer, a
safe-country designation relied on) and court orders."""

from __future__ import annotations

from thirdcountry.rules.catalog import gettext_noop as _
from thirdcountry.rules.v2.case import Case, Evaluation, known
from thirdcountry.rules.v2.rule import Decision, decide, rule
from thirdcountry.rules.v2.world import (
    in_force,
    order_in_effect,
    order_in_effect_within,
)
from thirdcountry.scenario.v2.model import UNKNOWN, Conditions


@rule(
    17,
    "asylum-procedure",
    title=_("A pending claim will be decided"),
    basis=(
        _("UNHCR Guidance Note (May 2013): access to a fair and efficient procedure"),
        _('INA §208(a)(2)(A) (a "full and fair procedure" in the third country)'),
        _("Ilias and Ahmed v. Hungary (ECtHR Grand Chamber, 21 November 2019)"),
    ),
)
def asylum_procedure(c: Case) -> Decision:
    """Someone is committed to decide a pending asylum claim after the transfer."""
    claim, a, model = c.p.asylum_claim, c.a, c.model
    pending = claim == "pending"
    if pending and a is None:
        return decide("no-arrangement")
    ref = a.ref if a is not None else None
    if pending and model == "transit_to_origin":
        return decide("transit", arrangement=ref)
    committed = a is not None and "asylum_procedure" in a.commitments
    if pending and model == "final_destination" and not committed:
        return decide("no-commitment", arrangement=ref, destination=c.t.destination)
    if claim is UNKNOWN:
        return decide("asylum-claim-unknown")
    if pending and not known(model):
        return decide("model-unknown", arrangement=ref)
    if not pending:
        return decide("no-pending-claim", asylum_claim=claim)
    if model == "extraterritorial_processing":
        return decide("sending-state-procedure", arrangement=ref)
    return decide("receiving-state-procedure", arrangement=ref, destination=c.t.destination)


_DESIGNATION_STANDARDS = (
    ("designation-whole-territory", "whole-territory"),
    ("designation-whole-population", "whole-population"),
    ("designation-judicial-review", "judicial-review"),
)


@rule(
    18,
    "safe-country-designation",
    title=_("A safe-country designation relied on is valid"),
    basis=(
        _("Directive 2013/32/EU art. 37 and Annex I"),
        _("CJEU C-406/22, CV (4 October 2024: a country must be safe in all its territory)"),
        _(
            "CJEU joined cases C-758/24 and C-759/24, Alace and Canpelli (1 August 2025: safe for "
            "the entire population; the designation open to effective judicial review)"
        ),
        _("Regulation (EU) 2024/1348, applicable from 12 June 2026"),
    ),
)
def safe_country_designation(c: Case) -> Decision:
    """A designation relied on is in force, concerns the person's nationality and meets the
    standards in force on the planned date."""
    relied = c.t.designation_relied_on
    if relied is None:
        return decide("none-relied-on")
    if not known(relied):
        return decide("unknown")
    designation = c.world.designations[relied]
    ref = designation.ref
    if not in_force(designation.from_, designation.to, c.P):
        return decide("not-in-force", designation=ref)
    nationalities = c.p.nationalities
    origin = designation.kind == "safe_country_of_origin"
    if origin and known(nationalities) and designation.country not in nationalities:
        return decide("not-a-national", designation=ref, country=designation.country)
    evaluations: list[tuple[str, str, Evaluation]] = [
        (requirement, slug, c.evaluate(requirement)) for requirement, slug in _DESIGNATION_STANDARDS
    ]
    for _requirement, slug, evaluation in evaluations:
        if evaluation.result == "unmet":
            return decide(f"{slug}-unmet", designation=ref, regime=evaluation.regime)
    if origin and not known(nationalities):
        return decide("nationalities-unknown", designation=ref)
    for _requirement, slug, evaluation in evaluations:
        if evaluation.result == "unknown":
            return decide(f"{slug}-unknown", designation=ref, regime=evaluation.regime)
        if evaluation.result == "short":
            return decide(f"{slug}-below-standard", designation=ref, regime=evaluation.regime)
    for requirement, _slug, evaluation in evaluations:
        if evaluation.result == "possibly_unmet" and evaluation.order is not None:
            return decide(
                "order-effect-unknown",
                designation=ref,
                order=evaluation.order.ref,
                requirement=requirement,
            )
    return decide("valid", designation=ref)


@rule(
    19,
    "court-order",
    title=_("Court orders and interim measures"),
    basis=_(
        "The order itself (a stay, an injunction, a temporary restraining order, an interim "
        "measure), as recorded with its effect, scope and later events"
    ),
)
def court_order(c: Case) -> Decision:
    """No order in effect prohibits the transfer, and the conditions of those that set some
    are met."""
    first, last = c.W
    covering = [(order, c.cover(order.scope)) for order in c.world.scenario.court_orders]
    covering = [(order, cover) for order, cover in covering if cover != "no"]
    in_window = [(o, cover) for o, cover in covering if order_in_effect_within(o, first, last)]
    on_planned = [(o, cover) for o, cover in covering if order_in_effect(o, c.P)]
    prohibiting = [o.ref for o, cover in in_window if o.effect == "prohibits" and cover == "covers"]
    if prohibiting:
        return decide("prohibited", orders=prohibiting)
    conditioning = [
        (order, cover, order.effect.conditions)
        for order, cover in on_planned
        if isinstance(order.effect, Conditions)
    ]
    checked = [
        (order, cover, condition.requirement, c.check(condition.requirement, condition.value)[0])
        for order, cover, conditions in conditioning
        for condition in conditions
    ]
    for order, cover, requirement, check in checked:
        if cover == "covers" and check == "unmet":
            return decide("condition-unmet", order=order.ref, requirement=requirement)
    may_prohibit = [o.ref for o, cover in in_window if o.effect == "prohibits" and cover == "may"]
    if may_prohibit:
        return decide("may-prohibit", orders=may_prohibit)
    unrecorded = [o.ref for o, _cover in in_window if not known(o.effect)]
    if unrecorded:
        return decide("effect-unknown", orders=unrecorded)
    for order, cover, requirement, check in checked:
        if check == "unknown":
            return decide("condition-unknown", order=order.ref, requirement=requirement)
        if check == "unmet" and cover == "may":
            return decide("may-cover-condition-unmet", order=order.ref, requirement=requirement)
    met = [order.ref for order, cover, _conditions in conditioning if cover == "covers"]
    if met:
        return decide("conditions-met", orders=met)
    return decide("none")

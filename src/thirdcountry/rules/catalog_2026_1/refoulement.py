"""Rules 10 to 12: no return to danger, directly or through the third country, and access to
asylum there."""

import polars as pl

from thirdcountry.rules.catalog import (
    Logic,
    _,
    arrangement,
    blocked,
    col,
    countries,
    country,
    on_date,
    passes,
    review,
    rule,
    word,
)
from thirdcountry.rules.catalog_2026_1.arrangement import AAA_UKSC
from thirdcountry.rules.catalog_2026_1.definition import UNHCR_2013


def _concerns_destination(claims: str) -> pl.Expr:
    return col(claims).list.contains(col("destination"))


def claims_elsewhere() -> pl.Expr:
    """Countries other than the destination that the person has a pending or recognised fear
    claim about (null when fear claims are unknown)."""
    return (
        pl.concat_list("fear_recognised", "fear_pending")
        .list.set_difference(pl.concat_list("destination"))
        .list.unique()
        .list.sort()
    )


@rule(
    10,
    "fear-of-destination",
    title=_("No fear of the destination itself left unscreened or recognised"),
    basis=(_("1951 Refugee Convention art. 33(1)"), _("Convention against Torture art. 3")),
    reads=("fear_recognised", "fear_pending", "destination"),
)
def fear_of_destination() -> Logic:
    destination = country("destination")
    return Logic(
        checks=[
            blocked(
                _concerns_destination("fear_recognised"),
                "fear-recognised",
                _(
                    "the person's fear of {destination} has been recognised: sending them "
                    "there would be refoulement"
                ),
                destination=destination,
            ),
            blocked(
                _concerns_destination("fear_pending"),
                "fear-pending",
                _(
                    "the person's fear claim about {destination} is pending: it has not been "
                    "screened"
                ),
                destination=destination,
            ),
            review(
                col("fear_recognised").is_null(),
                "fear-unknown",
                _("whether the person fears {destination} is unknown"),
                destination=destination,
            ),
        ],
        passes=passes(
            "no-fear-claim",
            _("the person has no pending or recognised fear claim about {destination}"),
            destination=destination,
        ),
    )


@rule(
    11,
    "chain-refoulement",
    title=_("No risk of onward (chain) refoulement from the destination"),
    basis=(AAA_UKSC, UNHCR_2013),
    reads=(
        "fear_recognised",
        "fear_pending",
        "asylum_claim",
        "destination",
        "assessment_date",
        "onward_refoulement_risk",
    ),
)
def chain_refoulement() -> Logic:
    elsewhere = claims_elsewhere()
    fears_elsewhere = elsewhere.list.len() > 0
    asylum_pending = col("asylum_claim") == "pending"
    # The claims the person has: a fear claim about other countries, a pending asylum claim,
    # or both (each way a sentence of its own; together, exactly when either holds).
    fears = fears_elsewhere.fill_null(False)
    asylum = asylum_pending.fill_null(False)
    only_fears = fears & ~asylum
    only_asylum = asylum & ~fears
    both = fears & asylum
    risk = col("onward_refoulement_risk")
    no_assessment = col("assessment_date").is_null()
    destination = country("destination")
    assessed = on_date("assessment_date")
    claimed = countries(elsewhere)
    claims_unknown = col("fear_recognised").is_null() | col("asylum_claim").is_null()

    return Logic(
        checks=[
            blocked(
                only_fears & risk,
                "fear-claim-risk",
                _(
                    "the person has a pending or recognised fear claim about {claimed}, and "
                    "{destination}'s assessment of {assessed} finds a risk of onward "
                    "refoulement"
                ),
                claimed=claimed,
                destination=destination,
                assessed=assessed,
            ),
            blocked(
                only_asylum & risk,
                "asylum-claim-risk",
                _(
                    "the person has a pending asylum claim, and {destination}'s assessment of "
                    "{assessed} finds a risk of onward refoulement"
                ),
                destination=destination,
                assessed=assessed,
            ),
            blocked(
                both & risk,
                "both-claims-risk",
                _(
                    "the person has a pending or recognised fear claim about {claimed} and a "
                    "pending asylum claim, and {destination}'s assessment of {assessed} finds "
                    "a risk of onward refoulement"
                ),
                claimed=claimed,
                destination=destination,
                assessed=assessed,
            ),
            review(
                only_fears & no_assessment,
                "fear-claim-no-assessment",
                _(
                    "the person has a pending or recognised fear claim about {claimed}, and "
                    "{destination} has no country assessment in force"
                ),
                claimed=claimed,
                destination=destination,
            ),
            review(
                only_asylum & no_assessment,
                "asylum-claim-no-assessment",
                _(
                    "the person has a pending asylum claim, and {destination} has no country "
                    "assessment in force"
                ),
                destination=destination,
            ),
            review(
                both & no_assessment,
                "both-claims-no-assessment",
                _(
                    "the person has a pending or recognised fear claim about {claimed} and a "
                    "pending asylum claim, and {destination} has no country assessment in "
                    "force"
                ),
                claimed=claimed,
                destination=destination,
            ),
            review(
                claims_unknown & no_assessment,
                "claims-unknown-no-assessment",
                _(
                    "the person's fear claims or asylum claim are unknown, and {destination} "
                    "has no country assessment in force"
                ),
                destination=destination,
            ),
            review(
                claims_unknown & ~no_assessment & risk.fill_null(False),
                "claims-unknown-risk",
                _(
                    "the person's fear claims or asylum claim are unknown, and {destination}'s "
                    "assessment of {assessed} finds a risk of onward refoulement"
                ),
                destination=destination,
                assessed=assessed,
            ),
        ],
        passes=[
            passes(
                "fear-claim-no-risk",
                _(
                    "the person has a pending or recognised fear claim about {claimed}, and "
                    "{destination}'s assessment of {assessed} finds no risk of onward "
                    "refoulement"
                ),
                when=only_fears,
                claimed=claimed,
                destination=destination,
                assessed=assessed,
            ),
            passes(
                "asylum-claim-no-risk",
                _(
                    "the person has a pending asylum claim, and {destination}'s assessment of "
                    "{assessed} finds no risk of onward refoulement"
                ),
                when=only_asylum,
                destination=destination,
                assessed=assessed,
            ),
            passes(
                "both-claims-no-risk",
                _(
                    "the person has a pending or recognised fear claim about {claimed} and a "
                    "pending asylum claim, and {destination}'s assessment of {assessed} finds "
                    "no risk of onward refoulement"
                ),
                when=both,
                claimed=claimed,
                destination=destination,
                assessed=assessed,
            ),
            passes(
                "no-risk",
                _("{destination}'s assessment of {assessed} finds no risk of onward refoulement"),
                when=~no_assessment & ~risk,
                destination=destination,
                assessed=assessed,
            ),
            passes(
                "no-claim",
                _(
                    "the person has no pending or recognised fear claim about another country "
                    "and no pending asylum claim"
                ),
            ),
        ],
    )


@rule(
    12,
    "asylum-procedure",
    title=_("Access to an asylum procedure in the receiving state"),
    basis=(
        UNHCR_2013,
        _("access to a fair and efficient asylum procedure in the receiving state"),
    ),
    reads=("asylum_claim", "arrangement", "commitments"),
)
def asylum_procedure() -> Logic:
    committed = col("commitments").list.contains(pl.lit("asylum_procedure"))
    pending = col("asylum_claim") == "pending"
    named = arrangement("arrangement")
    return Logic(
        checks=[
            blocked(
                pending & col("arrangement").is_null(),
                "no-arrangement",
                _(
                    "the person's asylum claim is pending and there is no arrangement to "
                    "commit the receiving state to an asylum procedure"
                ),
            ),
            blocked(
                pending & ~committed,
                "not-committed",
                _(
                    "the person's asylum claim is pending and arrangement {arrangement} does "
                    "not commit the receiving state to an asylum procedure"
                ),
                arrangement=named,
            ),
            review(
                col("asylum_claim").is_null(),
                "claim-unknown",
                _("whether the person has a pending asylum claim is unknown"),
            ),
        ],
        passes=[
            passes(
                "committed",
                _(
                    "the person's asylum claim is pending and arrangement {arrangement} "
                    "commits the receiving state to an asylum procedure"
                ),
                when=pending,
                arrangement=named,
            ),
            passes(
                "no-pending-claim",
                _("the person has no pending asylum claim ({claim})"),
                claim=word("asylum_claim"),
            ),
        ],
    )

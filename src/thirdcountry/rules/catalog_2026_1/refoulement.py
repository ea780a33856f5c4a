"""Rules 10 to 12: no return to danger, directly or through the third country, and access to
asylum there."""

import polars as pl

from thirdcountry.rules.catalog import Logic, blocked, col, fmt, listing, review, rule
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
    title="No fear of the destination itself left unscreened or recognised",
    basis="1951 Refugee Convention art. 33(1); Convention against Torture art. 3",
    reads=("fear_recognised", "fear_pending", "destination"),
)
def fear_of_destination() -> Logic:
    return Logic(
        checks=[
            blocked(
                _concerns_destination("fear_recognised"),
                fmt(
                    "the person's fear of {} has been recognised: sending them there would be "
                    "refoulement",
                    col("destination"),
                ),
            ),
            blocked(
                _concerns_destination("fear_pending"),
                fmt(
                    "the person's fear claim about {} is pending: it has not been screened",
                    col("destination"),
                ),
            ),
            review(
                col("fear_recognised").is_null(),
                fmt("whether the person fears {} is unknown", col("destination")),
            ),
        ],
        passes=fmt(
            "the person has no pending or recognised fear claim about {}", col("destination")
        ),
    )


@rule(
    11,
    "chain-refoulement",
    title="No risk of onward (chain) refoulement from the destination",
    basis=f"{AAA_UKSC}; {UNHCR_2013}",
    reads=(
        "fear_recognised",
        "fear_pending",
        "asylum_claim",
        "destination",
        "assessment_date",
        "onward_refoulement_risk",
        "as_of",
    ),
)
def chain_refoulement() -> Logic:
    elsewhere = claims_elsewhere()
    fears_elsewhere = elsewhere.list.len() > 0
    asylum_pending = col("asylum_claim") == "pending"
    has_claim = fears_elsewhere.fill_null(False) | asylum_pending.fill_null(False)
    claim = pl.concat_str(
        pl.when(fears_elsewhere).then(
            fmt("a pending or recognised fear claim about {}", listing(elsewhere))
        ),
        pl.when(asylum_pending).then(pl.lit("a pending asylum claim")),
        separator=" and ",
        ignore_nulls=True,
    )
    risk = col("onward_refoulement_risk")
    no_assessment = col("assessment_date").is_null()
    assessment = fmt("{}'s assessment of {}", col("destination"), col("assessment_date"))
    return Logic(
        checks=[
            blocked(
                has_claim & risk,
                fmt(
                    "the person has {}, and {} finds a risk of onward refoulement",
                    claim,
                    assessment,
                ),
            ),
            review(
                has_claim & no_assessment,
                fmt(
                    "the person has {}, and {} has no country assessment in force on {}",
                    claim,
                    col("destination"),
                    col("as_of"),
                ),
            ),
            review(
                (col("fear_recognised").is_null() | col("asylum_claim").is_null())
                & (no_assessment | risk.fill_null(False)),
                fmt(
                    "the person's fear claims or asylum claim are unknown, and {}",
                    pl.when(no_assessment)
                    .then(
                        fmt(
                            "{} has no country assessment in force on {}",
                            col("destination"),
                            col("as_of"),
                        )
                    )
                    .otherwise(fmt("{} finds a risk of onward refoulement", assessment)),
                ),
            ),
        ],
        passes=pl.when(has_claim)
        .then(
            fmt(
                "the person has {}, and {} finds no risk of onward refoulement",
                claim,
                assessment,
            )
        )
        .when(~no_assessment & ~risk)
        .then(fmt("{} finds no risk of onward refoulement", assessment))
        .otherwise(
            pl.lit(
                "the person has no pending or recognised fear claim about another country "
                "and no pending asylum claim"
            )
        ),
    )


@rule(
    12,
    "asylum-procedure",
    title="Access to an asylum procedure in the receiving state",
    basis=f"{UNHCR_2013}: access to a fair and efficient asylum procedure in the receiving state",
    reads=("asylum_claim", "arrangement", "commitments"),
)
def asylum_procedure() -> Logic:
    committed = col("commitments").list.contains(pl.lit("asylum_procedure"))
    pending = col("asylum_claim") == "pending"
    return Logic(
        checks=[
            blocked(
                pending & col("arrangement").is_null(),
                "the person's asylum claim is pending and there is no arrangement to commit "
                "the receiving state to an asylum procedure",
            ),
            blocked(
                pending & ~committed,
                fmt(
                    "the person's asylum claim is pending and arrangement {} does not commit "
                    "the receiving state to an asylum procedure",
                    col("arrangement"),
                ),
            ),
            review(
                col("asylum_claim").is_null(),
                "whether the person has a pending asylum claim is unknown",
            ),
        ],
        passes=pl.when(pending)
        .then(
            fmt(
                "the person's asylum claim is pending and arrangement {} commits the receiving "
                "state to an asylum procedure",
                col("arrangement"),
            )
        )
        .otherwise(fmt("the person has no pending asylum claim ({})", col("asylum_claim"))),
    )

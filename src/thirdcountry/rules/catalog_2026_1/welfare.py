"""Rules 14 to 17: family, health, identity, and how the person will be received."""

import polars as pl

from thirdcountry.rules.catalog import Logic, blocked, col, fmt, review, rule
from thirdcountry.rules.catalog_2026_1.definition import UNHCR_2013


@rule(
    14,
    "family-unity",
    title="Family life in the sending state weighed",
    basis="ECHR art. 8; ICCPR art. 17 and 23",
    reads=("family_in_sending_country",),
)
def family_unity() -> Logic:
    family = col("family_in_sending_country")
    return Logic(
        checks=[
            review(
                family,
                "the person has a spouse, partner or minor child living in the sending state",
            ),
            review(
                family.is_null(),
                "whether the person has family in the sending state is unknown",
            ),
        ],
        passes="the person has no spouse, partner or minor child living in the sending state",
    )


@rule(
    15,
    "fit-to-travel",
    title="Medically fit to travel",
    basis="ECHR art. 3 (Paposhvili v. Belgium, 2016)",
    reads=("fit_to_travel",),
)
def fit_to_travel() -> Logic:
    fit = col("fit_to_travel")
    return Logic(
        checks=[
            blocked(~fit, "the person is not medically fit to travel"),
            review(fit.is_null(), "whether the person is medically fit to travel is unknown"),
        ],
        passes="the person is medically fit to travel",
    )


@rule(
    16,
    "identity-verified",
    title="The person's identity is verified",
    basis="good administration: a transfer must concern the right person",
    reads=("identity_verified",),
)
def identity_verified() -> Logic:
    verified = col("identity_verified")
    return Logic(
        checks=[
            review(~verified, "the person's identity has not been verified"),
            review(verified.is_null(), "whether the person's identity is verified is unknown"),
        ],
        passes="the person's identity is verified",
    )


@rule(
    17,
    "reception-commitments",
    title="The receiving state commits to accommodation",
    basis=f"{UNHCR_2013}: standards of treatment in the receiving state",
    reads=("arrangement", "commitments"),
)
def reception_commitments() -> Logic:
    return Logic(
        checks=[
            review(
                col("arrangement").is_not_null()
                & ~col("commitments").list.contains("accommodation"),
                fmt(
                    "arrangement {} does not commit the receiving state to accommodation",
                    col("arrangement"),
                ),
            ),
        ],
        passes=pl.when(col("arrangement").is_null())
        .then(pl.lit("no arrangement, so no reception commitments to weigh"))
        .otherwise(
            fmt("arrangement {} commits the receiving state to accommodation", col("arrangement"))
        ),
    )

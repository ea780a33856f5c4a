"""Rules 14 to 17: family, health, identity, and how the person will be received."""

from thirdcountry.rules.catalog import Logic, _, arrangement, blocked, col, passes, review, rule
from thirdcountry.rules.catalog_2026_1.definition import UNHCR_2013


@rule(
    14,
    "family-unity",
    title=_("Family life in the sending state weighed"),
    basis=(_("ECHR art. 8"), _("ICCPR art. 17 and 23")),
    reads=("family_in_sending_country",),
)
def family_unity() -> Logic:
    family = col("family_in_sending_country")
    return Logic(
        checks=[
            review(
                family,
                "family-in-sending-state",
                _("the person has a spouse, partner or minor child living in the sending state"),
            ),
            review(
                family.is_null(),
                "family-unknown",
                _("whether the person has family in the sending state is unknown"),
            ),
        ],
        passes=passes(
            "no-family",
            _("the person has no spouse, partner or minor child living in the sending state"),
        ),
    )


@rule(
    15,
    "fit-to-travel",
    title=_("Medically fit to travel"),
    basis=_("ECHR art. 3 (Paposhvili v. Belgium, 2016)"),
    reads=("fit_to_travel",),
)
def fit_to_travel() -> Logic:
    fit = col("fit_to_travel")
    return Logic(
        checks=[
            blocked(~fit, "unfit", _("the person is not medically fit to travel")),
            review(
                fit.is_null(),
                "fitness-unknown",
                _("whether the person is medically fit to travel is unknown"),
            ),
        ],
        passes=passes("fit", _("the person is medically fit to travel")),
    )


@rule(
    16,
    "identity-verified",
    title=_("The person's identity is verified"),
    basis=_("good administration: a transfer must concern the right person"),
    reads=("identity_verified",),
)
def identity_verified() -> Logic:
    verified = col("identity_verified")
    return Logic(
        checks=[
            review(~verified, "not-verified", _("the person's identity has not been verified")),
            review(
                verified.is_null(),
                "verification-unknown",
                _("whether the person's identity is verified is unknown"),
            ),
        ],
        passes=passes("verified", _("the person's identity is verified")),
    )


@rule(
    17,
    "reception-commitments",
    title=_("The receiving state commits to accommodation"),
    basis=(UNHCR_2013, _("standards of treatment in the receiving state")),
    reads=("arrangement", "commitments"),
)
def reception_commitments() -> Logic:
    return Logic(
        checks=[
            review(
                col("arrangement").is_not_null()
                & ~col("commitments").list.contains("accommodation"),
                "no-accommodation-commitment",
                _("arrangement {arrangement} does not commit the receiving state to accommodation"),
                arrangement=arrangement("arrangement"),
            ),
        ],
        passes=[
            passes(
                "no-arrangement",
                _("no arrangement, so no reception commitments to weigh"),
                when=col("arrangement").is_null(),
            ),
            passes(
                "accommodation-committed",
                _("arrangement {arrangement} commits the receiving state to accommodation"),
                arrangement=arrangement("arrangement"),
            ),
        ],
    )

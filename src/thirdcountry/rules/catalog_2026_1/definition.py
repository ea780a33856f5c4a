"""Rule 1: is this a third-country transfer at all, or a return to the person's own country?"""

from thirdcountry.rules.catalog import (
    Logic,
    _,
    blocked,
    col,
    countries,
    country,
    passes,
    review,
    rule,
)

UNHCR_2013 = _(
    "UNHCR Guidance Note on bilateral and/or multilateral transfer arrangements of "
    "asylum-seekers (May 2013)"
)


@rule(
    1,
    "third-country",
    title=_("The destination is a third country"),
    basis=(_("definition of a third-country transfer"), UNHCR_2013),
    reads=("destination", "nationalities"),
)
def third_country() -> Logic:
    destination = country("destination")
    nationalities = countries("nationalities")
    return Logic(
        checks=[
            blocked(
                col("nationalities").list.contains(col("destination")),
                "own-country",
                _(
                    "destination {destination} is one of the person's nationalities "
                    "({nationalities}): this is a return, not a third-country transfer"
                ),
                destination=destination,
                nationalities=nationalities,
            ),
            review(
                col("nationalities").is_null(),
                "nationalities-unknown",
                _(
                    "the person's nationalities are unknown, so destination {destination} may "
                    "be their own country"
                ),
                destination=destination,
            ),
        ],
        passes=[
            passes(
                "stateless",
                _(
                    "destination {destination} is not among the person's nationalities "
                    "(none: stateless)"
                ),
                when=col("nationalities").list.len() == 0,
                destination=destination,
            ),
            passes(
                "not-a-nationality",
                _(
                    "destination {destination} is not among the person's nationalities "
                    "({nationalities})"
                ),
                destination=destination,
                nationalities=nationalities,
            ),
        ],
    )

"""Rule 1: is this a third-country transfer at all, or a return to the person's own country?"""

from thirdcountry.rules.catalog import Logic, blocked, col, fmt, listing, review, rule

UNHCR_2013 = (
    "UNHCR Guidance Note on bilateral and/or multilateral transfer arrangements of "
    "asylum-seekers (May 2013)"
)


@rule(
    1,
    "third-country",
    title="The destination is a third country",
    basis=f"definition of a third-country transfer; {UNHCR_2013}",
    reads=("destination", "nationalities"),
)
def third_country() -> Logic:
    nationalities = listing("nationalities", empty="none: stateless")
    return Logic(
        checks=[
            blocked(
                col("nationalities").list.contains(col("destination")),
                fmt(
                    "destination {} is one of the person's nationalities ({}): this is a "
                    "return, not a third-country transfer",
                    col("destination"),
                    nationalities,
                ),
            ),
            review(
                col("nationalities").is_null(),
                fmt(
                    "the person's nationalities are unknown, so destination {} may be their "
                    "own country",
                    col("destination"),
                ),
            ),
        ],
        passes=fmt(
            "destination {} is not among the person's nationalities ({})",
            col("destination"),
            nationalities,
        ),
    )

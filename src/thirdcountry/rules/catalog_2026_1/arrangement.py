"""Rules 2 to 5: the arrangement the transfer would be made under, and its terms."""

import polars as pl

from thirdcountry.rules.catalog import Logic, blocked, col, fmt, listing, review, rule
from thirdcountry.rules.catalog_2026_1.definition import UNHCR_2013

AAA_UKSC = "R (AAA) v SSHD [2023] UKSC 42"
OWN_TERMS = "the arrangement's own terms"

no_arrangement = col("arrangement").is_null()


@rule(
    2,
    "arrangement-in-force",
    title="An arrangement in force on the screening date",
    basis=f"{UNHCR_2013}: transfers only under a formal arrangement; {AAA_UKSC}",
    reads=("arrangement", "arrangement_status", "arrangement_status_since", "as_of"),
)
def arrangement_in_force() -> Logic:
    return Logic(
        checks=[
            blocked(no_arrangement, "the transfer names no arrangement to be made under"),
            blocked(
                col("arrangement_status").is_null(),
                fmt(
                    "arrangement {} has no status on {}: its status history has no entry "
                    "on or before that date",
                    col("arrangement"),
                    col("as_of"),
                ),
            ),
            blocked(
                col("arrangement_status") != "in_force",
                fmt(
                    "arrangement {} is {} on {} (since {})",
                    col("arrangement"),
                    col("arrangement_status"),
                    col("as_of"),
                    col("arrangement_status_since"),
                ),
            ),
        ],
        passes=fmt(
            "arrangement {} is in_force on {} (since {})",
            col("arrangement"),
            col("as_of"),
            col("arrangement_status_since"),
        ),
    )


@rule(
    3,
    "arrangement-cap",
    title="Within the arrangement's cap",
    basis=OWN_TERMS,
    reads=("arrangement", "arrangement_cap", "arrangement_executed"),
)
def arrangement_cap() -> Logic:
    executed = col("arrangement_executed")
    return Logic(
        checks=[
            blocked(
                executed + 1 > col("arrangement_cap"),
                fmt(
                    "arrangement {} has a cap of {} and {} transfers executed under it: "
                    "one more would exceed it",
                    col("arrangement"),
                    col("arrangement_cap"),
                    executed,
                ),
            ),
        ],
        passes=pl.when(no_arrangement)
        .then(pl.lit("no arrangement, so no cap applies"))
        .when(col("arrangement_cap").is_null())
        .then(fmt("arrangement {} has no cap", col("arrangement")))
        .otherwise(
            fmt(
                "arrangement {} has a cap of {} and {} transfers executed under it",
                col("arrangement"),
                col("arrangement_cap"),
                executed,
            )
        ),
    )


@rule(
    4,
    "arrangement-terms",
    title="The person falls under the arrangement's terms",
    basis=OWN_TERMS,
    reads=(
        "arrangement",
        "excluded_nationalities",
        "requires_served_sentence",
        "nationalities",
        "sentence_ends",
        "planned_date",
    ),
)
def arrangement_terms() -> Logic:
    excluded = col("excluded_nationalities")
    requires_served = col("requires_served_sentence")
    sentence_ends = col("sentence_ends")
    latest_known_end = sentence_ends.list.drop_nulls().list.max()
    return Logic(
        checks=[
            blocked(
                col("nationalities").list.set_intersection(excluded).list.len() > 0,
                fmt(
                    "arrangement {} excludes nationals of {}; the person is a national of {}",
                    col("arrangement"),
                    listing(excluded),
                    listing(col("nationalities").list.set_intersection(excluded)),
                ),
            ),
            blocked(
                requires_served & (sentence_ends.list.len() == 0),
                fmt(
                    "arrangement {} requires a served criminal sentence and the person has "
                    "no conviction",
                    col("arrangement"),
                ),
            ),
            blocked(
                requires_served & (latest_known_end > col("planned_date")),
                fmt(
                    "arrangement {} requires a served sentence; a sentence ends {}, after "
                    "the planned date {}",
                    col("arrangement"),
                    latest_known_end,
                    col("planned_date"),
                ),
            ),
            review(
                (excluded.list.len() > 0) & col("nationalities").is_null(),
                fmt(
                    "arrangement {} excludes nationals of {} and the person's nationalities "
                    "are unknown",
                    col("arrangement"),
                    listing(excluded),
                ),
            ),
            review(
                requires_served & sentence_ends.is_null(),
                fmt(
                    "arrangement {} requires a served criminal sentence and the person's "
                    "convictions are unknown",
                    col("arrangement"),
                ),
            ),
            review(
                requires_served & sentence_ends.list.eval(pl.element().is_null()).list.any(),
                fmt(
                    "arrangement {} requires a served sentence and the end of one of the "
                    "person's sentences is unknown",
                    col("arrangement"),
                ),
            ),
        ],
        passes=pl.when(no_arrangement)
        .then(pl.lit("no arrangement, so no terms apply"))
        .when((excluded.list.len() == 0) & ~requires_served)
        .then(fmt("arrangement {} sets no eligibility terms", col("arrangement")))
        .otherwise(fmt("the person falls under arrangement {}'s terms", col("arrangement"))),
    )


@rule(
    5,
    "receiving-acceptance",
    title="The receiving state accepted this person",
    basis=(
        "the receiving state's right to accept each person individually under the "
        f"arrangement; {UNHCR_2013}"
    ),
    reads=("accepted_by_receiving", "destination"),
)
def receiving_acceptance() -> Logic:
    return Logic(
        checks=[
            blocked(
                ~col("accepted_by_receiving"),
                fmt("the receiving state {} refused this person", col("destination")),
            ),
            review(
                col("accepted_by_receiving").is_null(),
                fmt(
                    "whether the receiving state {} accepts this person is unknown",
                    col("destination"),
                ),
            ),
        ],
        passes=fmt("the receiving state {} accepted this person", col("destination")),
    )

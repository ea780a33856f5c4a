"""Rules 2 to 5: the arrangement the transfer would be made under, and its terms."""

import polars as pl

from thirdcountry.rules.catalog import (
    Logic,
    _,
    arrangement,
    blocked,
    col,
    countries,
    country,
    number,
    on_date,
    passes,
    review,
    rule,
    word,
)
from thirdcountry.rules.catalog_2026_1.definition import UNHCR_2013

AAA_UKSC = _("R (AAA) v SSHD [2023] UKSC 42")
OWN_TERMS = _("the arrangement's own terms")

no_arrangement = col("arrangement").is_null()


@rule(
    2,
    "arrangement-in-force",
    title=_("An arrangement in force on the screening date"),
    basis=(UNHCR_2013, _("transfers only under a formal arrangement"), AAA_UKSC),
    reads=("arrangement", "arrangement_status", "arrangement_status_since", "as_of"),
)
def arrangement_in_force() -> Logic:
    named = arrangement("arrangement")
    return Logic(
        checks=[
            blocked(
                no_arrangement,
                "no-arrangement",
                _("the transfer names no arrangement to be made under"),
            ),
            blocked(
                col("arrangement_status").is_null(),
                "no-status",
                _(
                    "arrangement {arrangement} has no status on the screening date: its "
                    "status history has no entry on or before that date"
                ),
                arrangement=named,
            ),
            blocked(
                col("arrangement_status") != "in_force",
                "not-in-force",
                _("arrangement {arrangement} is {status} (since {since})"),
                arrangement=named,
                status=word("arrangement_status"),
                since=on_date("arrangement_status_since"),
            ),
        ],
        passes=passes(
            "in-force",
            _("arrangement {arrangement} is {status} (since {since})"),
            arrangement=named,
            status=word("arrangement_status"),
            since=on_date("arrangement_status_since"),
        ),
    )


@rule(
    3,
    "arrangement-cap",
    title=_("Within the arrangement's cap"),
    basis=OWN_TERMS,
    reads=("arrangement", "arrangement_cap", "arrangement_executed"),
)
def arrangement_cap() -> Logic:
    executed = col("arrangement_executed")
    return Logic(
        checks=[
            blocked(
                executed + 1 > col("arrangement_cap"),
                "cap-exceeded",
                _(
                    "arrangement {arrangement} has a cap of {cap} and {executed} transfers "
                    "executed under it: one more would exceed it"
                ),
                arrangement=arrangement("arrangement"),
                cap=number("arrangement_cap"),
                executed=number(executed),
            ),
        ],
        passes=[
            passes(
                "no-arrangement",
                _("no arrangement, so no cap applies"),
                when=no_arrangement,
            ),
            passes(
                "no-cap",
                _("arrangement {arrangement} has no cap"),
                when=col("arrangement_cap").is_null(),
                arrangement=arrangement("arrangement"),
            ),
            passes(
                "within-cap",
                _(
                    "arrangement {arrangement} has a cap of {cap} and {executed} transfers "
                    "executed under it"
                ),
                arrangement=arrangement("arrangement"),
                cap=number("arrangement_cap"),
                executed=number(executed),
            ),
        ],
    )


@rule(
    4,
    "arrangement-terms",
    title=_("The person falls under the arrangement's terms"),
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
    named = arrangement("arrangement")
    excluded = col("excluded_nationalities")
    requires_served = col("requires_served_sentence")
    sentence_ends = col("sentence_ends")
    latest_known_end = sentence_ends.list.drop_nulls().list.max()
    return Logic(
        checks=[
            blocked(
                col("nationalities").list.set_intersection(excluded).list.len() > 0,
                "nationality-excluded",
                _(
                    "arrangement {arrangement} excludes nationals of {excluded}; the person is "
                    "a national of {nationals}"
                ),
                arrangement=named,
                excluded=countries(excluded),
                nationals=countries(col("nationalities").list.set_intersection(excluded)),
            ),
            blocked(
                requires_served & (sentence_ends.list.len() == 0),
                "no-conviction",
                _(
                    "arrangement {arrangement} requires a served criminal sentence and the "
                    "person has no conviction"
                ),
                arrangement=named,
            ),
            blocked(
                requires_served & (latest_known_end > col("planned_date")),
                "sentence-not-served",
                _(
                    "arrangement {arrangement} requires a served sentence; a sentence ends "
                    "{ends}, after the planned date {planned}"
                ),
                arrangement=named,
                ends=on_date(latest_known_end),
                planned=on_date("planned_date"),
            ),
            review(
                (excluded.list.len() > 0) & col("nationalities").is_null(),
                "nationalities-unknown",
                _(
                    "arrangement {arrangement} excludes nationals of {excluded} and the "
                    "person's nationalities are unknown"
                ),
                arrangement=named,
                excluded=countries(excluded),
            ),
            review(
                requires_served & sentence_ends.is_null(),
                "convictions-unknown",
                _(
                    "arrangement {arrangement} requires a served criminal sentence and the "
                    "person's convictions are unknown"
                ),
                arrangement=named,
            ),
            review(
                requires_served & sentence_ends.list.eval(pl.element().is_null()).list.any(),
                "sentence-end-unknown",
                _(
                    "arrangement {arrangement} requires a served sentence and the end of one "
                    "of the person's sentences is unknown"
                ),
                arrangement=named,
            ),
        ],
        passes=[
            passes(
                "no-arrangement",
                _("no arrangement, so no terms apply"),
                when=no_arrangement,
            ),
            passes(
                "no-terms",
                _("arrangement {arrangement} sets no eligibility terms"),
                when=(excluded.list.len() == 0) & ~requires_served,
                arrangement=named,
            ),
            passes(
                "within-terms",
                _("the person falls under arrangement {arrangement}'s terms"),
                arrangement=named,
            ),
        ],
    )


@rule(
    5,
    "receiving-acceptance",
    title=_("The receiving state accepted this person"),
    basis=(
        _("the receiving state's right to accept each person individually under the arrangement"),
        UNHCR_2013,
    ),
    reads=("accepted_by_receiving", "destination"),
)
def receiving_acceptance() -> Logic:
    destination = country("destination")
    return Logic(
        checks=[
            blocked(
                ~col("accepted_by_receiving"),
                "refused",
                _("the receiving state {destination} refused this person"),
                destination=destination,
            ),
            review(
                col("accepted_by_receiving").is_null(),
                "acceptance-unknown",
                _("whether the receiving state {destination} accepts this person is unknown"),
                destination=destination,
            ),
        ],
        passes=passes(
            "accepted",
            _("the receiving state {destination} accepted this person"),
            destination=destination,
        ),
    )

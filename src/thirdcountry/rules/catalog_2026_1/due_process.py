"""Rules 8 and 9: a final removal decision, and written notice of the destination in time."""

import polars as pl

from thirdcountry.rules.catalog import Logic, blocked, col, fmt, listing, review, rule

DVD = (
    "D.V.D. v. DHS (D. Mass., injunction of 18 April 2025, stayed by the US Supreme Court on "
    "23 June 2025): written notice of the third country, in a language the person "
    "understands, and a meaningful opportunity to raise a fear claim"
)
JGG_AARP = (
    "Trump v. J.G.G. (US, 7 April 2025) and A.A.R.P. v. Trump (US, 16 May 2025): notice in "
    "time, and in a form, that lets the person seek relief"
)


@rule(
    8,
    "final-decision",
    title="A final removal decision, with no appeal open",
    basis="right to an effective remedy (ECHR art. 13; ICCPR art. 13); due process",
    reads=(
        "removal_decision_recorded",
        "removal_decision_date",
        "removal_decision_final",
        "appeal_pending",
        "appeal_deadline",
        "as_of",
    ),
)
def final_decision() -> Logic:
    decided = col("removal_decision_date")
    return Logic(
        checks=[
            blocked(
                col("removal_decision_recorded") & decided.is_null(),
                "no removal decision exists for the person",
            ),
            blocked(
                ~col("removal_decision_final"),
                fmt("the removal decision of {} is not final", decided),
            ),
            blocked(
                col("appeal_pending"),
                fmt("an appeal against the removal decision of {} is pending", decided),
            ),
            blocked(
                col("appeal_deadline") >= col("as_of"),
                fmt(
                    "the deadline to appeal the removal decision of {} is {}, on or after {}",
                    decided,
                    col("appeal_deadline"),
                    col("as_of"),
                ),
            ),
            review(
                ~col("removal_decision_recorded"),
                "whether a removal decision exists is unknown",
            ),
        ],
        passes=pl.when(col("appeal_deadline").is_null())
        .then(fmt("the removal decision of {} is final and no appeal is pending", decided))
        .otherwise(
            fmt(
                "the removal decision of {} is final, no appeal is pending and the appeal "
                "deadline {} has passed",
                decided,
                col("appeal_deadline"),
            )
        ),
    )


@rule(
    9,
    "written-notice",
    title="Written notice of the destination, in a language the person understands, in time",
    basis=f"{DVD}; {JGG_AARP}",
    reads=(
        "notice_recorded",
        "notice_served",
        "notice_names_destination",
        "notice_language",
        "languages",
        "notice_days",
        "planned_date",
        "destination",
        "as_of",
    ),
)
def written_notice() -> Logic:
    served = col("notice_served")
    days_before = (col("planned_date") - served).dt.total_days()
    return Logic(
        checks=[
            blocked(col("notice_recorded") & served.is_null(), "no written notice was served"),
            blocked(
                served > col("as_of"),
                fmt("notice served {} is after the screening date {}", served, col("as_of")),
            ),
            blocked(
                ~col("notice_names_destination"),
                fmt(
                    "notice served {} does not name the destination {}", served, col("destination")
                ),
            ),
            blocked(
                col("notice_language").is_not_null()
                & ~col("languages").list.contains(col("notice_language")),
                fmt(
                    "notice served {} is in {}, which is not among the person's languages ({})",
                    served,
                    col("notice_language"),
                    listing("languages"),
                ),
            ),
            blocked(
                days_before < col("notice_days"),
                fmt(
                    "notice served {} is {} days before the planned date {}; {} are required",
                    served,
                    days_before,
                    col("planned_date"),
                    col("notice_days"),
                ),
            ),
            review(~col("notice_recorded"), "whether written notice was served is unknown"),
            review(
                col("languages").is_null(),
                fmt(
                    "notice served {} is in {} and the languages the person understands are "
                    "unknown",
                    served,
                    col("notice_language"),
                ),
            ),
        ],
        passes=fmt(
            "notice served {} in {} names {} and is {} days before the planned date {}; {} are "
            "required",
            served,
            col("notice_language"),
            col("destination"),
            days_before,
            col("planned_date"),
            col("notice_days"),
        ),
    )

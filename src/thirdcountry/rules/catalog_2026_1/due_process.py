"""Rules 8 and 9: a final removal decision, and written notice of the destination in time."""

from thirdcountry.rules.catalog import (
    Logic,
    _,
    blocked,
    col,
    country,
    language,
    languages,
    number,
    on_date,
    passes,
    review,
    rule,
)

DVD = _(
    "D.V.D. v. DHS (D. Mass., injunction of 18 April 2025, stayed by the US Supreme Court on "
    "23 June 2025): written notice of the third country, in a language the person "
    "understands, and a meaningful opportunity to raise a fear claim"
)
JGG_AARP = _(
    "Trump v. J.G.G. (US, 7 April 2025) and A.A.R.P. v. Trump (US, 16 May 2025): notice in "
    "time, and in a form, that lets the person seek relief"
)


@rule(
    8,
    "final-decision",
    title=_("A final removal decision, with no appeal open"),
    basis=(
        _("right to an effective remedy (ECHR art. 13; ICCPR art. 13)"),
        _("due process"),
    ),
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
    decided = on_date("removal_decision_date")
    return Logic(
        checks=[
            blocked(
                col("removal_decision_recorded") & col("removal_decision_date").is_null(),
                "no-decision",
                _("no removal decision exists for the person"),
            ),
            blocked(
                ~col("removal_decision_final"),
                "not-final",
                _("the removal decision of {decided} is not final"),
                decided=decided,
            ),
            blocked(
                col("appeal_pending"),
                "appeal-pending",
                _("an appeal against the removal decision of {decided} is pending"),
                decided=decided,
            ),
            blocked(
                col("appeal_deadline") >= col("as_of"),
                "appeal-deadline-open",
                _(
                    "the deadline to appeal the removal decision of {decided} is {deadline}, "
                    "not before the screening date"
                ),
                decided=decided,
                deadline=on_date("appeal_deadline"),
            ),
            review(
                ~col("removal_decision_recorded"),
                "decision-unknown",
                _("whether a removal decision exists is unknown"),
            ),
        ],
        passes=[
            passes(
                "final",
                _("the removal decision of {decided} is final and no appeal is pending"),
                when=col("appeal_deadline").is_null(),
                decided=decided,
            ),
            passes(
                "final-deadline-passed",
                _(
                    "the removal decision of {decided} is final, no appeal is pending and the "
                    "appeal deadline {deadline} has passed"
                ),
                decided=decided,
                deadline=on_date("appeal_deadline"),
            ),
        ],
    )


@rule(
    9,
    "written-notice",
    title=_("Written notice of the destination, in a language the person understands, in time"),
    basis=(DVD, JGG_AARP),
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
    served = on_date("notice_served")
    days_before = (col("planned_date") - col("notice_served")).dt.total_days()
    return Logic(
        checks=[
            blocked(
                col("notice_recorded") & col("notice_served").is_null(),
                "not-served",
                _("no written notice was served"),
            ),
            blocked(
                col("notice_served") > col("as_of"),
                "served-after-screening",
                _("notice served {served} is after the screening date"),
                served=served,
            ),
            blocked(
                ~col("notice_names_destination"),
                "destination-not-named",
                _("notice served {served} does not name the destination {destination}"),
                served=served,
                destination=country("destination"),
            ),
            blocked(
                col("notice_language").is_not_null()
                & ~col("languages").list.contains(col("notice_language")),
                "not-understood",
                _(
                    "notice served {served} is in {language}, which is not among the person's "
                    "languages ({languages})"
                ),
                served=served,
                language=language("notice_language"),
                languages=languages("languages"),
            ),
            blocked(
                days_before < col("notice_days"),
                "too-late",
                _(
                    "notice served {served} is {days} days before the planned date {planned}; "
                    "{required} are required"
                ),
                served=served,
                days=number(days_before),
                planned=on_date("planned_date"),
                required=number("notice_days"),
            ),
            review(
                ~col("notice_recorded"),
                "notice-unknown",
                _("whether written notice was served is unknown"),
            ),
            review(
                col("languages").is_null(),
                "languages-unknown",
                _(
                    "notice served {served} is in {language} and the languages the person "
                    "understands are unknown"
                ),
                served=served,
                language=language("notice_language"),
            ),
        ],
        passes=passes(
            "served-in-time",
            _(
                "notice served {served} in {language} names {destination} and is {days} days "
                "before the planned date {planned}; {required} are required"
            ),
            served=served,
            language=language("notice_language"),
            destination=country("destination"),
            days=number(days_before),
            planned=on_date("planned_date"),
            required=number("notice_days"),
        ),
    )

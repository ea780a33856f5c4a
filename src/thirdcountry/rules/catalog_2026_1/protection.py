"""Rules 6 and 7: unaccompanied children, and people the sending state already protects."""

import polars as pl

from thirdcountry.rules.catalog import Logic, blocked, col, fmt, review, rule
from thirdcountry.rules.catalog_2026_1.definition import UNHCR_2013


def _is_leap(year: pl.Expr) -> pl.Expr:
    return ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)


def coming_of_age() -> pl.Expr:
    """The date the person turns ``minor_age``: the same month and day ``minor_age`` years
    after birth, except that someone born on 29 February turns a year older on 1 March in a
    year that is not a leap year."""
    birth = col("birth_date")
    year = birth.dt.year().cast(pl.Int32) + col("minor_age").cast(pl.Int32)
    leap_day_moves = (birth.dt.month() == 2) & (birth.dt.day() == 29) & ~_is_leap(year)
    month = pl.when(leap_day_moves).then(3).otherwise(birth.dt.month())
    day = pl.when(leap_day_moves).then(1).otherwise(birth.dt.day())
    return pl.date(year, month, day)


@rule(
    6,
    "unaccompanied-minor",
    title="No unaccompanied child",
    basis=f"Convention on the Rights of the Child, art. 3 and 22; {UNHCR_2013}",
    reads=("birth_date", "minor_age", "planned_date", "accompanied"),
)
def unaccompanied_minor() -> Logic:
    adult_on = coming_of_age()
    minor = col("planned_date") < adult_on
    return Logic(
        checks=[
            blocked(
                minor & ~col("accompanied"),
                fmt(
                    "born {}, the person is under {} on the planned date {} (turns {} on {}) "
                    "and would travel unaccompanied",
                    col("birth_date"),
                    col("minor_age"),
                    col("planned_date"),
                    col("minor_age"),
                    adult_on,
                ),
            ),
            review(col("birth_date").is_null(), "the person's birth date is unknown"),
            review(
                minor & col("accompanied").is_null(),
                fmt(
                    "born {}, the person is under {} on the planned date {} and whether they "
                    "travel with a parent or guardian is unknown",
                    col("birth_date"),
                    col("minor_age"),
                    col("planned_date"),
                ),
            ),
        ],
        passes=pl.when(minor)
        .then(
            fmt(
                "born {}, the person is under {} on the planned date {} and travels with a "
                "parent or guardian",
                col("birth_date"),
                col("minor_age"),
                col("planned_date"),
            )
        )
        .otherwise(
            fmt(
                "born {}, the person is {} or over on the planned date {}",
                col("birth_date"),
                col("minor_age"),
                col("planned_date"),
            )
        ),
    )


@rule(
    7,
    "protection-granted",
    title="Not a refugee already protected by the sending state",
    basis="1951 Refugee Convention, art. 32-33",
    reads=("asylum_claim",),
)
def protection_granted() -> Logic:
    return Logic(
        checks=[
            blocked(
                col("asylum_claim") == "granted",
                "the sending state granted the person asylum",
            ),
            review(
                col("asylum_claim").is_null(),
                "whether the person claimed asylum in the sending state is unknown",
            ),
        ],
        passes=fmt("the person's asylum claim in the sending state: {}", col("asylum_claim")),
    )

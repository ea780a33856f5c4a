"""Rules 6 and 7: unaccompanied children, and people the sending state already protects."""

import polars as pl

from thirdcountry.rules.catalog import (
    Logic,
    _,
    birth_date,
    blocked,
    col,
    number,
    on_date,
    passes,
    review,
    rule,
    word,
)
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


def _month_day(day: pl.Expr) -> pl.Expr:
    return day.dt.month().cast(pl.Int32) * 100 + day.dt.day().cast(pl.Int32)


def under_age_on(day: pl.Expr) -> pl.Expr:
    """Whether the person is under ``minor_age`` on ``day``, i.e. ``day`` is before
    :func:`coming_of_age`: fewer whole years than that since birth, a year being complete
    on the birthday's month and day (for someone born on 29 February, on 1 March in a year
    that is not a leap year, where no day compares equal to 29 February). Cheaper than the
    date itself, which only a finding's parameters need."""
    birth = col("birth_date")
    years = (
        day.dt.year().cast(pl.Int32)
        - birth.dt.year().cast(pl.Int32)
        - (_month_day(day) < _month_day(birth)).cast(pl.Int32)
    )
    return years < col("minor_age").cast(pl.Int32)


@rule(
    6,
    "unaccompanied-minor",
    title=_("No unaccompanied child"),
    basis=(_("Convention on the Rights of the Child, art. 3 and 22"), UNHCR_2013),
    reads=("birth_date", "minor_age", "planned_date", "accompanied"),
)
def unaccompanied_minor() -> Logic:
    adult_on = coming_of_age()
    minor = under_age_on(col("planned_date"))
    born = birth_date("birth_date")
    age = number("minor_age")
    planned = on_date("planned_date")
    return Logic(
        checks=[
            blocked(
                minor & ~col("accompanied"),
                "unaccompanied",
                _(
                    "born {born}, the person is under {age} on the planned date {planned} "
                    "(turns {turns} on {adult_on}) and would travel unaccompanied"
                ),
                born=born,
                age=age,
                planned=planned,
                turns=number("minor_age"),
                adult_on=on_date(adult_on),
            ),
            review(
                col("birth_date").is_null(),
                "birth-date-unknown",
                _("the person's birth date is unknown"),
            ),
            review(
                minor & col("accompanied").is_null(),
                "accompaniment-unknown",
                _(
                    "born {born}, the person is under {age} on the planned date {planned} and "
                    "whether they travel with a parent or guardian is unknown"
                ),
                born=born,
                age=age,
                planned=planned,
            ),
        ],
        passes=[
            passes(
                "accompanied",
                _(
                    "born {born}, the person is under {age} on the planned date {planned} and "
                    "travels with a parent or guardian"
                ),
                when=minor,
                born=born,
                age=age,
                planned=planned,
            ),
            passes(
                "adult",
                _("born {born}, the person is {age} or over on the planned date {planned}"),
                born=born,
                age=age,
                planned=planned,
            ),
        ],
    )


@rule(
    7,
    "protection-granted",
    title=_("Not a refugee already protected by the sending state"),
    basis=_("1951 Refugee Convention, art. 32-33"),
    reads=("asylum_claim",),
)
def protection_granted() -> Logic:
    return Logic(
        checks=[
            blocked(
                col("asylum_claim") == "granted",
                "asylum-granted",
                _("the sending state granted the person asylum"),
            ),
            review(
                col("asylum_claim").is_null(),
                "claim-unknown",
                _("whether the person claimed asylum in the sending state is unknown"),
            ),
        ],
        passes=passes(
            "not-granted",
            _("the person's asylum claim in the sending state: {claim}"),
            claim=word("asylum_claim"),
        ),
    )

"""Person records laid out for linkage: names folded across scripts and transliterations,
their words and sound keys, the birth date and its parts, nationalities as a set, and any
other attribute the records hold.

The input is a Polars frame with ``unique_id`` (text), ``names`` (a list of text: the
primary name first, then aliases and other spellings), ``birth_date`` (a date, or null when
unknown), ``nationalities`` (a list of alpha-2 codes, or null when unknown) and any other
text columns, which are compared as they are (an address, a place of birth, a document
number). This module needs no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from thirdcountry.names import MIN_WORD, normalise, soundex

#: The columns every record frame has; any other text column is an extra attribute.
REQUIRED: Final = ("unique_id", "names", "birth_date", "nationalities")
#: The columns :func:`prepare` derives, which the model compares and blocks on.
DERIVED: Final = (
    "name",
    "given",
    "surname",
    "name_words",
    "name_keys",
    "alias_names",
    "dob",
    "birth_year",
    "nationality_set",
)


def _words(folded: str) -> list[str]:
    return [w for w in folded.split(" ") if len(w) >= MIN_WORD]


def extra_columns(frame: pl.DataFrame) -> list[str]:
    """The frame's attributes beyond the required ones (compared as they are)."""
    return [c for c in frame.columns if c not in REQUIRED and c not in DERIVED]


def prepare(frame: pl.DataFrame) -> pl.DataFrame:
    """The records with the columns the model compares added (see :data:`DERIVED`).

    Names are folded once per distinct spelling (``unidecode`` then lower-case ASCII words),
    so "Müller", "MULLER" and "Мюллер" meet; ``given`` and ``surname`` are the first and
    last words of the primary name (a name of one word is taken as a surname: records often
    hold the family name alone); ``name_words`` and ``name_keys`` (American Soundex) cover
    every name and alias, so a record whose alias is another's name shares a word and a key.
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"the records have no {', '.join(missing)} column")
    spellings = frame.get_column("names").explode().drop_nulls().unique()
    folding = dict(zip(spellings, map(normalise, spellings), strict=True))
    keys = {w: soundex(w) for f in folding.values() for w in _words(f)}
    folded = frame.select(
        pl.col("unique_id").cast(pl.String),
        pl.col("names")
        .list.eval(pl.element().replace_strict(folding, default=None, return_dtype=pl.String))
        .list.eval(pl.element().filter(pl.element().str.len_chars() > 0))
        .alias("folded"),
    )
    first = pl.col("folded").list.first()
    words = pl.col("folded").list.join(" ").str.split(" ")
    names = folded.select(
        "unique_id",
        first.alias("name"),
        pl.when(first.str.contains(" "))
        .then(first.str.split(" ").list.first())
        .otherwise(None)
        .alias("given"),
        first.str.split(" ").list.last().alias("surname"),
        words.list.eval(pl.element().filter(pl.element().str.len_chars() >= MIN_WORD))
        .list.unique()
        .list.sort()
        .alias("name_words"),
        pl.col("folded").list.unique().list.sort().alias("alias_names"),
    ).with_columns(
        pl.col("name_words")
        .list.eval(pl.element().replace_strict(keys, default=None, return_dtype=pl.String))
        .list.unique()
        .list.sort()
        .alias("name_keys"),
    )
    extras = extra_columns(frame)
    birth = pl.col("birth_date").cast(pl.Date)
    return frame.select(
        pl.col("unique_id").cast(pl.String),
        birth.dt.strftime("%Y-%m-%d").alias("dob"),
        birth.dt.year().cast(pl.String).alias("birth_year"),
        pl.col("nationalities").list.unique().list.sort().alias("nationality_set"),
        *(pl.col(c).cast(pl.String).str.to_lowercase().str.strip_chars() for c in extras),
    ).join(names, on="unique_id", how="left", maintain_order="left")


def records_frame(
    unique_ids: Sequence[str],
    names: Sequence[Sequence[str]],
    birth_dates: Sequence[object],
    nationalities: Sequence[Sequence[str] | None],
    **extras: Sequence[str | None],
) -> pl.DataFrame:
    """A record frame from columns (see the module's description)."""
    return pl.DataFrame(
        {
            "unique_id": list(unique_ids),
            "names": [list(n) for n in names],
            "birth_date": list(birth_dates),
            "nationalities": [None if n is None else list(n) for n in nationalities],
            **{k: list(v) for k, v in extras.items()},
        },
        schema_overrides={
            "names": pl.List(pl.String),
            "birth_date": pl.Date,
            "nationalities": pl.List(pl.String),
        },
    )

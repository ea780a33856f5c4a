"""A few rows (one transfer's) take shorter paths than a table's, with the same results: a
child table read without its own numbers is numbered within each parent in the order its
rows were read, and language codes are given as ISO 639-3 codes."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from thirdcountry.cases import mapping
from thirdcountry.rules import sources
from thirdcountry.scenario.layout import PARENT, SEQ

# Rows grouped by parent, as the reads order them: runs of parents, each a few rows long.
grouped = st.lists(st.tuples(st.integers(1, 10**9), st.integers(1, 4)), max_size=30).map(
    lambda runs: [parent for parent, length in dict(runs).items() for _ in range(length)]
)


@given(grouped)
def test_rows_are_numbered_within_their_parent(parents: list[int]) -> None:
    frame = pl.DataFrame({PARENT: parents, "country": ["RW"] * len(parents)})
    numbered = mapping._numbered(frame, 1)
    assert numbered.columns == [PARENT, SEQ, "country"]
    expected = frame.select(pl.int_range(pl.len()).over(PARENT).cast(pl.Int64).alias(SEQ))
    assert numbered[SEQ].equals(expected[SEQ])
    assert frame.columns == [PARENT, "country"]  # the frame read is left as it was


def test_many_rows_are_numbered_by_polars_the_same_way() -> None:
    parents = [parent for parent in range(sources.IN_PYTHON_UP_TO) for _ in range(2)]
    frame = pl.DataFrame({PARENT: parents})
    assert mapping._numbered(frame, 1)[SEQ].to_list() == [0, 1] * sources.IN_PYTHON_UP_TO


codes = st.lists(st.sampled_from(["fr", "fra", "fre", "ar", "ara", "xx", "Spa", "", None]))


@given(codes)
def test_language_codes_are_looked_up_alike_in_python_and_by_a_join(
    languages: list[str | None],
) -> None:
    frame = pl.DataFrame(
        {PARENT: range(len(languages)), "language": languages},
        schema={PARENT: pl.Int64, "language": pl.String},
    )
    looked_up = sources._iso639_3_of(frame, "language")
    joined = (
        frame.join(sources._iso639_3(), left_on="language", right_on="code", how="left")
        .with_columns(pl.col("iso639_3").alias("language"))
        .drop("iso639_3")
    )
    assert looked_up.equals(joined)
    assert frame["language"].to_list() == languages  # the frame read is left as it was


def test_many_language_codes_are_joined() -> None:
    frame = pl.DataFrame({"language": ["fr", "xx"] * sources.IN_PYTHON_UP_TO})
    assert sources._iso639_3_of(frame, "language")["language"].to_list()[:2] == ["fra", None]

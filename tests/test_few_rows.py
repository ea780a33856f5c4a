"""A few rows (one transfer's) take shorter paths than a table's, with the same results: a
child table read without its own numbers is numbered within each parent in the order its
rows were read, language codes are given as ISO 639-3 codes, and a person's lists are
built from their child tables."""

from __future__ import annotations

import dataclasses
from datetime import date

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thirdcountry.cases import mapping
from thirdcountry.rules import facts, few, sources
from thirdcountry.rules.sources import tables_from_scenario
from thirdcountry.scenario.layout import PARENT, SEQ
from thirdcountry.scenario.synthetic import generate_world
from thirdcountry.screening import screen_scenario

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


# A person's lists: owners (some recorded, some not, some unknown) and child rows in any
# order, some of other owners, with duplicates and nulls.
VALUES = {
    "country": st.sampled_from(["RW", "GB", "SV", None]),
    "language": st.sampled_from(["fra", "ara", None]),
    "status": st.sampled_from(["pending", "rejected", None]),
    "sentence_end": st.sampled_from([date(2020, 1, 1), date(2019, 5, 2), None]),
}
flags = st.sampled_from([True, True, False, None])


@st.composite
def person_flat_tables(draw: st.DrawFn) -> dict[str, pl.DataFrame]:
    owners = draw(st.lists(st.integers(1, 3), unique=True, max_size=3))
    recorded = {sources.PERSON.child(child).recorded for child in sources.PERSON_LISTS} - {None}
    flat = {
        sources.PERSON.name: pl.DataFrame(
            {sources.ID: owners, **{r: [draw(flags) for _ in owners] for r in recorded}},
            schema={sources.ID: pl.Int64, **dict.fromkeys(recorded, pl.Boolean)},
        )
    }
    for child, spec in sources.PERSON_LISTS.items():
        parents = draw(st.lists(st.integers(1, 4), max_size=8))
        seqs = list(range(len(parents)))
        order = draw(st.permutations(range(len(parents))))
        columns = {c: [draw(VALUES[c]) for _ in parents] for c in spec.columns}
        flat[child] = pl.DataFrame(
            {
                PARENT: [parents[i] for i in order],
                SEQ: [seqs[i] for i in order],
                **{c: [values[i] for i in order] for c, values in columns.items()},
            },
            schema={
                PARENT: pl.Int64,
                SEQ: pl.Int64,
                **{c: pl.Date if c == "sentence_end" else pl.String for c in spec.columns},
            },
        )
    return flat


@given(person_flat_tables())
def test_a_few_persons_lists_are_built_alike_in_python_and_by_polars(
    flat: dict[str, pl.DataFrame],
) -> None:
    names = [spec.name for spec in sources.PERSON_LISTS.values()]
    schema = {name: sources.PERSONS_SCHEMA[name] for name in names}
    args = (flat, sources.PERSON, sources.PERSON_LISTS)
    in_python = pl.DataFrame(list(sources._lists_in_python(*args, sources.PERSONS_SCHEMA).values()))
    in_polars = sources._lists_in_polars(*args).select(names).cast(schema).collect()
    assert in_python.equals(in_polars), (in_python, in_polars)


def test_a_few_persons_transfers_and_arrangements_are_tabled_alike_either_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A few owners' tables, built from their columns without a query, equal the tables
    Polars' queries build of them."""
    flat = sources.flat_tables(generate_world(300, seed=5))
    built = [sources._persons(flat), sources._transfers(flat), sources._arrangements(flat)]
    monkeypatch.setattr(sources, "IN_PYTHON_UP_TO", -1)
    queried = [sources._persons(flat), sources._transfers(flat), sources._arrangements(flat)]
    for few_way, polars_way in zip(built, queried, strict=True):
        assert few_way.height > 0
        assert few_way.equals(polars_way), (few_way, polars_way)


def test_many_persons_lists_are_built_by_polars(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(sources, "_lists_in_polars", lambda flat, *_: calls.append(1))
    flat = {sources.PERSON.name: pl.DataFrame({sources.ID: range(sources.IN_PYTHON_UP_TO + 1)})}
    with pytest.raises(AttributeError):  # what the stand-in returns is no query
        sources._owner_table(flat, sources.PERSON, {}, sources.PERSONS_SCHEMA, "person")
    assert calls == [1]


def test_a_persons_languages_are_each_once_sorted_a_null_first() -> None:
    flat = {
        sources.PERSON.name: pl.DataFrame(
            {sources.ID: [1, 2], "languages_recorded": [True, None]},
            schema={sources.ID: pl.Int64, "languages_recorded": pl.Boolean},
        ),
        "person_language": pl.DataFrame(
            {PARENT: [1, 1, 1, 1, 2], SEQ: [3, 0, 2, 1, 0]},
            schema={PARENT: pl.Int64, SEQ: pl.Int64},
        ).with_columns(pl.Series("language", ["fra", "fra", None, "ara", "eng"], pl.String)),
    }
    lists = {"person_language": sources.PERSON_LISTS["person_language"]}
    args = (flat, sources.PERSON, lists)
    in_python = sources._lists_in_python(*args, sources.PERSONS_SCHEMA)["languages"]
    in_polars = sources._lists_in_polars(*args).collect()["languages"]
    assert in_python.to_list() == in_polars.to_list() == [[None, "ara", "fra"], None]


def test_a_world_screened_with_its_queries_as_written_gives_the_same_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A few rows' queries run unoptimised: on a world of every kind of fact (more rows than
    that), unoptimised queries give the same facts and findings as optimised ones."""
    world = generate_world(few.IN_PYTHON_UP_TO + 500, seed=3)
    optimised = screen_scenario(world).table
    monkeypatch.setattr(few, "_OPTIMISED", pl.QueryOptFlags.none())
    assert screen_scenario(world).table.equals(optimised)


def test_a_transfer_alone_has_the_facts_it_has_among_all() -> None:
    """A transfer's facts built on its own (where the court orders are joined only when
    one in effect is about it) are its row of the whole world's facts."""
    world = generate_world(400, seed=11)
    everything = tables_from_scenario(world)
    executed = facts._executed(everything).rename({"arrangement_executed": "executed"})
    everything = dataclasses.replace(everything, executed=executed)
    whole = facts.build_facts(everything, world.as_of).drop("position")
    keys = facts.order_keys(everything.court_orders, world.as_of)
    alone_without_orders = 0
    for row in range(everything.transfers.height):
        one = dataclasses.replace(everything, transfers=everything.transfers[row : row + 1])
        alone = facts.build_facts(one, world.as_of).drop("position")
        if alone.height:
            expected = whole.filter(pl.col("transfer") == alone["transfer"][0])
            assert alone.equals(expected), (alone, expected)
            alone_without_orders += not keys.may_cover(one.transfers)
    assert keys.persons or keys.arrangements or keys.pairs or keys.sending
    assert alone_without_orders > 0


keys = st.fixed_dictionaries(
    {
        "person": st.sampled_from(["P-1", "P-2", None]),
        "arrangement": st.sampled_from(["A-1", "A-2", None]),
        "sending": st.sampled_from(["US", "GB", None]),
        "destination": st.sampled_from(["RW", "SV", None]),
    }
)


@given(st.lists(keys, min_size=1, max_size=3), keys, st.booleans())
def test_the_orders_keys_say_whether_an_order_covers_a_transfer(
    scopes: list[dict[str, str | None]], transfer: dict[str, str | None], lifted: bool
) -> None:
    """An order in effect covers one of the transfers exactly when one of the transfers'
    keys is one of the orders' (an order lifted covers none)."""
    on = date(2025, 9, 1)
    schema = sources.empty_tables().court_orders.schema
    orders = pl.DataFrame(
        [
            {
                "order": f"O-{n}",
                "kind": "stay",
                "issuer": "court",
                "issued": date(2025, 1, 1),
                "lifted": date(2025, 2, 1) if lifted else None,
                **{f"scope_{key}": value for key, value in scope.items()},
            }
            for n, scope in enumerate(scopes)
        ],
        schema=schema,
    )
    transfers = pl.DataFrame([transfer], schema=dict.fromkeys(transfer, pl.String))
    transfers = transfers.with_row_index("position")
    covered = facts._covering_orders(transfers.lazy(), orders.lazy(), on).collect()
    assert facts.order_keys(orders, on).may_cover(transfers) == (not covered.is_empty())

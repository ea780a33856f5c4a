"""The facts table: one row per proposed transfer, holding every fact the catalog reads.

It is built from the source tables with joins and group-bys only, so one transfer and a
million go through the same code. Facts that depend on the as-of date D (an arrangement's
status on D, the assessment in force on D, the orders active on D) are resolved here, once,
so that each rule reads plain columns.
"""

from __future__ import annotations

import hashlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from operator import methodcaller
from typing import Final

import polars as pl

from thirdcountry.dated import arrangement_status_on, assessment_on, order_in_effect
from thirdcountry.rules.few import IN_PYTHON_UP_TO, optimisations
from thirdcountry.rules.memo import last_result
from thirdcountry.rules.sources import SourceTables
from thirdcountry.scenario.model import Parameters

COURT_ORDER_FACT = pl.Struct(
    {
        "order": pl.String,
        "kind": pl.String,
        "issuer": pl.String,
        "issued": pl.Date,
        "covers": pl.String,
    }
)

#: Columns that identify a row rather than state a fact.
IDENTITY_COLUMNS: Final = ("position", "transfer", "person")


def _status_on(statuses: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Each arrangement's status on ``as_of``, and since when."""
    return arrangement_status_on(statuses, as_of).select(
        "arrangement",
        pl.col("status").alias("arrangement_status"),
        pl.col("date").alias("arrangement_status_since"),
    )


@last_result
def _assessment_on(assessments: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Each destination's assessment in force on ``as_of``."""
    return assessment_on(assessments, as_of).select(
        pl.col("country").alias("destination"),
        pl.col("date").alias("assessment_date"),
        "onward_refoulement_risk",
    )


def _executed(sources: SourceTables) -> pl.DataFrame:
    """How many transfers were executed under each arrangement (those of ``sources`` with
    an arrangement, unless the sources count them)."""
    if sources.executed is not None:
        return sources.executed.rename({"executed": "arrangement_executed"})
    return (
        sources.transfers.filter(
            (pl.col("status") == "executed") & pl.col("arrangement").is_not_null()
        )
        .group_by("arrangement")
        .agg(pl.len().cast(pl.Int64).alias("arrangement_executed"))
    )


@last_result
def _arrangement_facts(
    arrangements: pl.DataFrame, statuses: pl.DataFrame, as_of: date
) -> pl.DataFrame:
    """Each arrangement's facts on ``as_of``: its terms and its status (the transfers
    executed under it are joined beside: they change more often)."""
    return arrangements.select(
        "arrangement",
        pl.col("cap").alias("arrangement_cap"),
        "requires_served_sentence",
        pl.col("excluded_nationalities", "commitments").list.unique().list.sort(),
        pl.col("notice_days").alias("arrangement_notice_days"),
    ).join(_status_on(statuses, as_of), on="arrangement", how="left")


#: Below this many persons, list facts are computed row by row: a join would not pay.
DISTINCT_FROM: Final = 1_000


def _per_distinct(frame: pl.LazyFrame, rows: int, column: str, **exprs: pl.Expr) -> pl.LazyFrame:
    """``frame`` (of ``rows`` rows) with ``exprs``, which read ``column`` only, computed once
    per distinct value of ``column`` and joined back: many persons share their
    nationalities, languages or fear claims, and list operations cost far more per row than
    a join. A few rows (one transfer's person) get them directly."""
    if rows < DISTINCT_FROM:
        return frame.with_columns(**exprs)
    distinct = frame.select(column).unique().with_columns(**exprs)
    return frame.join(distinct, on=column, how="left", nulls_equal=True, maintain_order="left")


def _person_facts(persons: pl.DataFrame) -> pl.LazyFrame:
    def claims_with(status: str) -> pl.Expr:
        return (
            pl.col("fear_claims")
            .list.eval(
                pl.element()
                .filter(pl.element().struct.field("status") == status)
                .struct.field("country")
            )
            .list.unique()
            .list.sort()
        )

    def normalised(column: str) -> pl.Expr:
        return pl.col(column).list.unique().list.sort()

    facts = persons.lazy().with_columns(pl.col("sentence_ends").list.sort(nulls_last=True))
    rows = persons.height
    facts = _per_distinct(facts, rows, "nationalities", _nationalities=normalised("nationalities"))
    facts = _per_distinct(facts, rows, "languages", _languages=normalised("languages"))
    facts = _per_distinct(
        facts,
        rows,
        "fear_claims",
        fear_recognised=claims_with("recognised"),
        fear_pending=claims_with("pending"),
    )
    return facts.with_columns(
        pl.col("_nationalities").alias("nationalities"),
        pl.col("_languages").alias("languages"),
    ).drop("fear_claims", "_nationalities", "_languages")


def _covering_orders(proposed: pl.LazyFrame, orders: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """For each proposed transfer, the orders in effect on ``as_of`` that cover it."""
    active = orders.filter(order_in_effect(as_of))
    keys = proposed.select("position", "person", "arrangement", "sending", "destination")
    by_person = keys.join(
        active.filter(pl.col("scope_person").is_not_null()),
        left_on="person",
        right_on="scope_person",
    ).with_columns(covers=pl.format("person {}", pl.col("person")))
    by_arrangement = keys.join(
        active.filter(pl.col("scope_arrangement").is_not_null()),
        left_on="arrangement",
        right_on="scope_arrangement",
    ).with_columns(covers=pl.format("arrangement {}", pl.col("arrangement")))
    by_pair = keys.join(
        active.filter(pl.col("scope_destination").is_not_null()),
        left_on=["sending", "destination"],
        right_on=["scope_sending", "scope_destination"],
    ).with_columns(
        covers=pl.format("transfers from {} to {}", pl.col("sending"), pl.col("destination"))
    )
    by_sending = keys.join(
        active.filter(
            pl.col("scope_sending").is_not_null() & pl.col("scope_destination").is_null()
        ),
        left_on="sending",
        right_on="scope_sending",
    ).with_columns(covers=pl.format("every transfer from {}", pl.col("sending")))
    columns = ("position", "order", "kind", "issuer", "issued", "covers")
    matches = pl.concat(
        [frame.select(columns) for frame in (by_person, by_arrangement, by_pair, by_sending)]
    )
    return (
        matches.sort("position", "order")
        .group_by("position", maintain_order=True)
        .agg(pl.struct("order", "kind", "issuer", "issued", "covers").alias("court_orders"))
    )


@dataclass(frozen=True, slots=True)
class OrderKeys:
    """What the orders in effect on a day are about: the keys :func:`_covering_orders`
    joins a transfer's on (persons, arrangements, sending and destination pairs, sending
    states whatever the destination)."""

    persons: frozenset[str]
    arrangements: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    sending: frozenset[str]

    def may_cover(self, transfers: pl.DataFrame) -> bool:
        """Whether an order could cover one of ``transfers``: one of their keys is an
        order's."""
        # The columns as lists, not a query: it is for a few transfers.
        keys = ("person", "arrangement", "sending", "destination")
        return any(
            person in self.persons
            or arrangement in self.arrangements
            or (sending, destination) in self.pairs
            or sending in self.sending
            for person, arrangement, sending, destination in zip(
                *(transfers[key].to_list() for key in keys), strict=True
            )
        )


@last_result  # the same orders for every transfer screened one after another
def order_keys(orders: pl.DataFrame, as_of: date) -> OrderKeys:
    """The :class:`OrderKeys` of the ``orders`` in effect on ``as_of``."""
    active = orders.filter(order_in_effect(as_of))

    def values(*columns: str) -> list[tuple[str, ...]]:
        return list(active.select(columns).drop_nulls().iter_rows())

    sending_alone = active.filter(pl.col("scope_destination").is_null())
    return OrderKeys(
        persons=frozenset(p for (p,) in values("scope_person")),
        arrangements=frozenset(a for (a,) in values("scope_arrangement")),
        pairs=frozenset((s, d) for s, d in values("scope_sending", "scope_destination")),
        sending=frozenset(sending_alone["scope_sending"].drop_nulls().to_list()),
    )


def build_facts(
    sources: SourceTables, as_of: date, parameters: Parameters | None = None
) -> pl.DataFrame:
    """The facts table for every ``proposed`` transfer in ``sources``, in their order.

    ``position`` keeps the transfers' order; ``as_of``, ``notice_days`` and ``minor_age``
    are columns too, so each row holds everything its screening reads.
    """
    parameters = parameters or Parameters()
    proposed = (
        sources.transfers.lazy()
        .with_row_index("position")
        .filter(pl.col("status") == "proposed")
        .drop("status")
    )
    arrangements = (
        _arrangement_facts(sources.arrangements, sources.arrangement_statuses, as_of)
        .lazy()
        .join(_executed(sources).lazy(), on="arrangement", how="left")
        .with_columns(pl.col("arrangement_executed").fill_null(0))
    )
    facts = (
        proposed.join(_person_facts(sources.persons), on="person", how="left")
        .join(arrangements, on="arrangement", how="left")
        .join(_assessment_on(sources.assessments, as_of).lazy(), on="destination", how="left")
    )
    no_orders = pl.lit([], dtype=pl.List(COURT_ORDER_FACT))
    few = sources.transfers.height <= IN_PYTHON_UP_TO
    if few and not order_keys(sources.court_orders, as_of).may_cover(sources.transfers):
        # No order in effect is about these transfers (one screened on its own, mostly): the
        # joins that would find none cost half of their facts' time.
        facts = facts.with_columns(no_orders.alias("court_orders"))
    else:
        orders = _covering_orders(proposed, sources.court_orders.lazy(), as_of)
        facts = facts.join(orders, on="position", how="left").with_columns(
            pl.col("court_orders").fill_null(no_orders)
        )
    facts = (
        facts.with_columns(
            pl.lit(as_of).alias("as_of"),
            pl.coalesce("arrangement_notice_days", pl.lit(parameters.notice_days))
            .cast(pl.Int64)
            .alias("notice_days"),
            pl.lit(parameters.minor_age, dtype=pl.Int64).alias("minor_age"),
        )
        .drop("arrangement_notice_days")
        .sort("position")
    )
    names = set(facts.collect_schema().names()) - set(IDENTITY_COLUMNS)
    ordered = facts.select(*IDENTITY_COLUMNS, *sorted(names))
    return ordered.collect(
        engine="in-memory", optimizations=optimisations(sources.transfers.height)
    )


#: Rows encoded at a time when hashing: bounds the memory the encoded rows take.
HASH_CHUNK: Final = 65_536
#: Chunks encoded ahead of the one being hashed.
ENCODE_AHEAD: Final = 2


def facts_sha256(facts: pl.DataFrame) -> pl.Series:
    """SHA-256 of each row's facts: the canonical JSON of the row (keys in name order, dates
    as ``YYYY-MM-DD``, lists sorted where order carries no meaning), without ``position``
    and without the screening date, which is recorded beside the screening: the same facts
    screened on another day hash alike (facts derived from the date, such as the status in
    force, are part of the row).

    The same facts give the same hash whatever else the world holds, so a verdict can be
    traced to exactly what it read.
    """
    columns = sorted(c for c in facts.columns if c not in ("position", "as_of"))

    def encode(start: int) -> pl.Series:
        rows = facts.slice(start, HASH_CHUNK)
        return rows.select(pl.struct(columns).struct.json_encode().cast(pl.Binary)).to_series()

    if facts.height <= HASH_CHUNK:
        # One chunk: nothing to overlap, and a pool of threads costs more than a few rows.
        return pl.Series(
            "facts_sha256",
            list(map(_hexdigest, map(hashlib.sha256, encode(0).to_list()))),
            dtype=pl.String,
        )
    digests: list[str] = []
    # Polars encodes the next chunks (on two threads, without the GIL) while Python hashes.
    starts = range(0, facts.height, HASH_CHUNK)
    with ThreadPoolExecutor(max_workers=ENCODE_AHEAD) as pool:
        pending = deque(pool.submit(encode, start) for start in starts[:ENCODE_AHEAD])
        for index in range(len(starts)):
            encoded = pending.popleft().result()
            if index + ENCODE_AHEAD < len(starts):
                pending.append(pool.submit(encode, starts[index + ENCODE_AHEAD]))
            digests.extend(map(_hexdigest, map(hashlib.sha256, encoded.to_list())))
    return pl.Series("facts_sha256", digests, dtype=pl.String)


_hexdigest: Final = methodcaller("hexdigest")

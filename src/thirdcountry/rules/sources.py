"""The engine's input: a few normalised tables (persons, transfers, arrangements, their
status histories, country assessments, court orders), each with a fixed schema.

Every store feeds the engine the same way: it gives the world as flat tables, laid out as
:mod:`thirdcountry.scenario.layout` says (a scenario in memory below, the database in
``cases``), and :func:`tables_from_flat` turns them into these tables. A (u) fact that is
unknown is ``null``; a known "none" is an empty list or, for the two nullable objects (removal
decision, notice), ``*_recorded`` true with a null date.
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import polars as pl

from thirdcountry.rules.few import IN_PYTHON_UP_TO
from thirdcountry.rules.memo import last_result
from thirdcountry.scenario import codes
from thirdcountry.scenario.flat import child_entries, flatten, known
from thirdcountry.scenario.layout import (
    ARRANGEMENT,
    COUNTRY,
    COURT_ORDER,
    PARENT,
    PERSON,
    SEQ,
    TRANSFER,
    Child,
    Column,
    Layout,
)
from thirdcountry.scenario.model import Scenario


def _schema(columns: Mapping[str, Any]) -> pl.Schema:
    return pl.Schema(columns)


FEAR_CLAIM = pl.Struct({"country": pl.String, "status": pl.String})

PERSONS_SCHEMA: Final = _schema(
    {
        "person": pl.String,
        "birth_date": pl.Date,
        "nationalities": pl.List(pl.String),
        # ISO 639-3, so that a notice in "ar" matches a person who understands "ara".
        "languages": pl.List(pl.String),
        "accompanied": pl.Boolean,
        "identity_verified": pl.Boolean,
        "asylum_claim": pl.String,
        "fear_claims": pl.List(FEAR_CLAIM),
        "removal_decision_recorded": pl.Boolean,
        "removal_decision_date": pl.Date,
        "removal_decision_final": pl.Boolean,
        "appeal_deadline": pl.Date,
        "appeal_pending": pl.Boolean,
        # One entry per conviction: when its sentence is fully served (null: unknown).
        "sentence_ends": pl.List(pl.Date),
        "family_in_sending_country": pl.Boolean,
        "fit_to_travel": pl.Boolean,
    }
)

TRANSFERS_SCHEMA: Final = _schema(
    {
        "transfer": pl.String,
        "person": pl.String,
        "sending": pl.String,
        "destination": pl.String,
        "arrangement": pl.String,
        "planned_date": pl.Date,
        "status": pl.String,
        "accepted_by_receiving": pl.Boolean,
        "notice_recorded": pl.Boolean,
        "notice_served": pl.Date,
        "notice_language": pl.String,
        "notice_names_destination": pl.Boolean,
    }
)

ARRANGEMENTS_SCHEMA: Final = _schema(
    {
        "arrangement": pl.String,
        "sending": pl.String,
        "receiving": pl.String,
        "cap": pl.Int64,
        "requires_served_sentence": pl.Boolean,
        "excluded_nationalities": pl.List(pl.String),
        "notice_days": pl.Int64,
        "commitments": pl.List(pl.String),
    }
)

# ``seq`` is the entry's position in its list: on equal dates the later entry wins.
ARRANGEMENT_STATUSES_SCHEMA: Final = _schema(
    {"arrangement": pl.String, "date": pl.Date, "status": pl.String, "seq": pl.Int64}
)

ASSESSMENTS_SCHEMA: Final = _schema(
    {"country": pl.String, "date": pl.Date, "onward_refoulement_risk": pl.Boolean, "seq": pl.Int64}
)

COURT_ORDERS_SCHEMA: Final = _schema(
    {
        "order": pl.String,
        "kind": pl.String,
        "issuer": pl.String,
        "issued": pl.Date,
        "lifted": pl.Date,
        "scope_person": pl.String,
        "scope_arrangement": pl.String,
        "scope_sending": pl.String,
        "scope_destination": pl.String,
    }
)


EXECUTED_SCHEMA: Final = _schema({"arrangement": pl.String, "executed": pl.Int64})


@dataclass(frozen=True, slots=True)
class SourceTables:
    """Everything the engine reads, as tables with the schemas above."""

    persons: pl.DataFrame
    transfers: pl.DataFrame
    arrangements: pl.DataFrame
    arrangement_statuses: pl.DataFrame
    assessments: pl.DataFrame
    court_orders: pl.DataFrame
    #: How many transfers were executed under each arrangement (``arrangement``,
    #: ``executed``), when counted where they are stored; None: count the executed ones in
    #: ``transfers``. A few transfers screened from storage need not read every executed one.
    executed: pl.DataFrame | None = None

    def __post_init__(self) -> None:
        for name, schema in _SCHEMAS.items():
            actual = getattr(self, name).schema
            if actual != schema:
                raise ValueError(f"source table {name} has schema {actual}, expected {schema}")
        if self.executed is not None and self.executed.schema != EXECUTED_SCHEMA:
            raise ValueError(
                f"source table executed has schema {self.executed.schema}, "
                f"expected {EXECUTED_SCHEMA}"
            )


_SCHEMAS: Final = {
    "persons": PERSONS_SCHEMA,
    "transfers": TRANSFERS_SCHEMA,
    "arrangements": ARRANGEMENTS_SCHEMA,
    "arrangement_statuses": ARRANGEMENT_STATUSES_SCHEMA,
    "assessments": ASSESSMENTS_SCHEMA,
    "court_orders": COURT_ORDERS_SCHEMA,
}

#: The column of a flat table that identifies its row (a child's :data:`PARENT` points at it).
ID: Final = "id"

#: The flat tables of a world: each layout's table, and each child table, by layout name.
FlatTables = Mapping[str, pl.DataFrame]


# -- flat tables to the engine's tables ----------------------------------------------------------


@cache
def _iso639_3() -> pl.DataFrame:
    table = codes.language_table()
    return pl.DataFrame(
        {"code": list(table), "iso639_3": list(table.values())},
        schema={"code": pl.String, "iso639_3": pl.String},
    )


@dataclass(frozen=True, slots=True)
class ListOf:
    """A list column built from a child table: ``name``, holding for each row of the owner
    its child rows' ``columns`` (a struct of them when more than one) in the rows' order,
    or each value once, sorted (``distinct``, one column)."""

    name: str
    columns: tuple[str, ...]
    distinct: bool = False

    @property
    def value(self) -> pl.Expr:
        """What the list holds of each child row, as an expression of its group."""
        value = pl.col(self.columns[0]) if len(self.columns) == 1 else pl.struct(*self.columns)
        return value.unique().sort() if self.distinct else value


def _nested(base: pl.LazyFrame, rows: pl.LazyFrame, table: Child, spec: ListOf) -> pl.LazyFrame:
    """``base`` with the list ``spec.name``: for each row, ``spec.value`` of its child
    ``rows`` in their order; for a (u) list, null when not recorded (unknown) and empty when
    recorded with no rows."""
    name = spec.name
    lists = rows.sort(PARENT, SEQ).group_by(PARENT, maintain_order=True).agg(spec.value.alias(name))
    joined = base.join(lists, left_on=ID, right_on=PARENT, how="left", maintain_order="left")
    dtype = joined.collect_schema()[name]
    empty = pl.col(name).fill_null(pl.lit([], dtype=dtype))
    if table.recorded is None:
        return joined.with_columns(empty)
    known = pl.when(pl.col(table.recorded)).then(empty).otherwise(pl.lit(None, dtype=dtype))
    return joined.with_columns(known.alias(name))


def _owner_table(
    flat: FlatTables,
    owner: Layout,
    lists: Mapping[str, ListOf],
    schema: pl.Schema,
    key: str,
    engine: Any = "in-memory",
) -> pl.DataFrame:
    """The owner's table in ``schema``: the columns of its flat table (its ref named
    ``key``) and a list column for each child table named in ``lists`` (child table → the
    list). A few owners' lists are built in Python (:func:`_lists_in_python`), and their
    table from its columns, without a query."""
    frame = flat[owner.name]
    if frame.height <= IN_PYTHON_UP_TO:
        held = _columns_keyed(frame, key) | _lists_in_python(flat, owner, lists, schema)
        return pl.DataFrame([held[name].cast(dtype).alias(name) for name, dtype in schema.items()])
    return (
        _lists_in_polars(flat, owner, lists)
        .rename({"ref": key})
        .select(schema.names())
        .cast(dict(schema))  # type: ignore[arg-type]
        .collect(engine=engine)
    )


def _columns_keyed(frame: pl.DataFrame, key: str) -> dict[str, pl.Series]:
    """A flat table's columns by name, its ref named ``key`` (as the engine's table names
    it): to make that table of them without a query."""
    return {key if name == "ref" else name: frame[name] for name in frame.columns}


def _lists_in_polars(flat: FlatTables, owner: Layout, lists: Mapping[str, ListOf]) -> pl.LazyFrame:
    """The owner's flat table with its lists (see :func:`_owner_table`), as one query: a
    join of each child table's lists."""
    frame = flat[owner.name].lazy()
    for child, spec in lists.items():
        frame = _nested(frame, flat[child].lazy(), owner.child(child), spec)
    return frame


def _lists_in_python(
    flat: FlatTables, owner: Layout, lists: Mapping[str, ListOf], schema: pl.Schema
) -> dict[str, pl.Series]:
    """A few owners' lists (one transfer's person), by name, of the type ``schema`` gives
    each: four joins of one or two rows cost Polars 2 ms of fixed cost, where Python takes
    a tenth of it."""
    frame = flat[owner.name]
    owners = frame[ID].to_list()
    added = {}
    for child, spec in lists.items():
        rows = flat[child]
        columns = [rows[column].to_list() for column in spec.columns]
        entries = (
            columns[0]
            if len(columns) == 1
            else [dict(zip(spec.columns, row, strict=True)) for row in zip(*columns, strict=True)]
        )
        parents, seqs = rows[PARENT].to_list(), rows[SEQ].to_list()
        held: dict[Any, list[Any]] = {}
        for row in sorted(range(rows.height), key=lambda row: (parents[row], seqs[row])):
            held.setdefault(parents[row], []).append(entries[row])
        if spec.distinct:
            # Polars sorts a null first.
            held = {p: sorted(set(v), key=lambda x: (x is not None, x)) for p, v in held.items()}
        recorded = owner.child(child).recorded
        known_of = frame[recorded].to_list() if recorded else [True] * len(owners)
        column = [held.get(o, []) if k else None for o, k in zip(owners, known_of, strict=True)]
        added[spec.name] = pl.Series(spec.name, column, dtype=schema[spec.name])
    return added


def _iso639_3_of(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """``frame`` with the language codes of ``column`` as ISO 639-3 codes (null for a code
    that is none). A few rows (one transfer's) are looked up in Python: joining them to
    the 8,000 codes took Polars a millisecond, most of it hashing the codes again."""
    if frame.height > IN_PYTHON_UP_TO:
        return (
            frame.join(
                _iso639_3(), left_on=column, right_on="code", how="left", maintain_order="left"
            )
            .with_columns(pl.col("iso639_3").alias(column))
            .drop("iso639_3")
        )
    table = codes.language_table()
    found = [None if code is None else table.get(code) for code in frame[column].to_list()]
    # A shallow copy: the caller's frame keeps its codes.
    return frame.clone().replace_column(
        frame.get_column_index(column), pl.Series(column, found, dtype=pl.String)
    )


#: Below this many persons, their table is built by Polars' in-memory engine: the streaming
#: engine's start costs more than the work on a few rows (1.4 ms of one transfer's 5 ms).
IN_MEMORY_BELOW: Final = 20_000


#: A person's lists, by child table.
PERSON_LISTS: Final = {
    "nationality": ListOf("nationalities", ("country",)),
    # ISO 639-3 codes by then: "ar" and "ara" are one language.
    "person_language": ListOf("languages", ("language",), distinct=True),
    "fear_claim": ListOf("fear_claims", ("country", "status")),
    "conviction": ListOf("sentence_ends", ("sentence_end",)),
}
#: An arrangement's lists, by child table.
ARRANGEMENT_LISTS: Final = {
    "excluded_nationality": ListOf("excluded_nationalities", ("country",)),
    "commitment": ListOf("commitments", ("commitment",)),
}


def _persons(flat: FlatTables) -> pl.DataFrame:
    languages = _iso639_3_of(flat["person_language"], "language")
    engine = "in-memory" if flat[PERSON.name].height < IN_MEMORY_BELOW else "auto"
    flat = {**flat, "person_language": languages}
    return _owner_table(flat, PERSON, PERSON_LISTS, PERSONS_SCHEMA, "person", engine)


def _transfers(flat: FlatTables) -> pl.DataFrame:
    transfers = _iso639_3_of(flat[TRANSFER.name], "notice_language")
    # Its columns taken as they are, without a query.
    columns = _columns_keyed(transfers, "transfer")
    return pl.DataFrame([columns[name].alias(name) for name in TRANSFERS_SCHEMA.names()])


def _arrangements(flat: FlatTables) -> pl.DataFrame:
    # A few hundred arrangements at most: the in-memory engine.
    return _owner_table(flat, ARRANGEMENT, ARRANGEMENT_LISTS, ARRANGEMENTS_SCHEMA, "arrangement")


def _entries(
    flat: FlatTables, owner: Layout, child: str, key: str, columns: Sequence[str]
) -> pl.DataFrame:
    """A child table with its parent's ``key`` (its ref or code) in place of the parent's row."""
    parents = flat[owner.name].lazy().select(pl.col(ID), pl.col(key))
    return (
        flat[child]
        .lazy()
        .join(parents, left_on=PARENT, right_on=ID, how="inner", maintain_order="left")
        .sort(PARENT, SEQ)
        .select(pl.col(key), *columns)
        .collect(engine="in-memory")  # statuses and assessments: a few thousand at most
    )


#: The child tables :func:`tables_from_flat` reads (a world's other child tables, such as
#: names, payments and monitoring, are not screened).
SCREENED_CHILD_TABLES: Final = frozenset(
    {
        "nationality",
        "person_language",
        "fear_claim",
        "conviction",
        "excluded_nationality",
        "commitment",
        "arrangement_status",
        "assessment",
    }
)


#: The flat tables the arrangements, their statuses, the assessments and the court orders are
#: built from: the same for every transfer of a world, however few are screened.
_WORLD_TABLES: Final = (
    ARRANGEMENT.name,
    "arrangement_status",
    "excluded_nationality",
    "commitment",
    COUNTRY.name,
    "assessment",
    COURT_ORDER.name,
)


@last_result
def _world(*tables: pl.DataFrame) -> tuple[pl.DataFrame, ...]:
    """The arrangements, their statuses, the assessments and the court orders, from the
    flat tables named in :data:`_WORLD_TABLES` (in that order)."""
    flat = dict(zip(_WORLD_TABLES, tables, strict=True))
    statuses = _entries(flat, ARRANGEMENT, "arrangement_status", "ref", ("date", "status", SEQ))
    assessments = _entries(
        flat, COUNTRY, "assessment", "code", ("date", "onward_refoulement_risk", SEQ)
    )
    orders = flat[COURT_ORDER.name].rename({"ref": "order"})
    return (
        _arrangements(flat),
        statuses.rename({"ref": "arrangement"}).cast(
            dict(ARRANGEMENT_STATUSES_SCHEMA)  # type: ignore[arg-type]
        ),
        assessments.rename({"code": "country"}).cast(
            dict(ASSESSMENTS_SCHEMA)  # type: ignore[arg-type]
        ),
        orders.select(COURT_ORDERS_SCHEMA.names()),
    )


def tables_from_flat(flat: FlatTables, executed: pl.DataFrame | None = None) -> SourceTables:
    """The engine's tables from a world's flat tables, and the executed transfers counted
    per arrangement where they are stored (see :attr:`SourceTables.executed`)."""
    arrangements, statuses, assessments, orders = _world(*(flat[t] for t in _WORLD_TABLES))
    return SourceTables(
        persons=_persons(flat),
        transfers=_transfers(flat),
        arrangements=arrangements,
        arrangement_statuses=statuses,
        assessments=assessments,
        court_orders=orders,
        executed=executed,
    )


# -- a scenario in memory to flat tables ---------------------------------------------------------
# Polars converts Python objects one at a time (microseconds each): a column of values that
# repeat (dates) is handed to Polars one distinct value at a time, and gathered by index.


def _interned(values: Sequence[Hashable], dtype: Any) -> pl.Series:
    index: dict[Hashable, int] = {}
    ids = [index.setdefault(v, len(index)) for v in values]
    distinct = pl.Series(known(list(index)), dtype=dtype)
    return distinct.gather(pl.Series(ids, dtype=pl.UInt32))


#: A yes/no fact as Polars takes it: an unknown one (any other value) becomes ``None``.
_BOOLEAN: Final = {True: True, False: False}.get


def _series(column: Column, values: Sequence[Any]) -> pl.Series:
    if column.dtype == pl.Boolean:
        return pl.Series(column.name, list(map(_BOOLEAN, values)), dtype=pl.Boolean)
    if column.dtype == pl.Date:
        return _interned(values, pl.Date).alias(column.name)
    if isinstance(column.dtype, pl.Decimal):
        text = [None if v is None else str(v) for v in values]
        return pl.Series(column.name, text).cast(column.dtype)
    plain = known(list(values)) if column.fact else values
    return pl.Series(column.name, plain, dtype=column.dtype)


def _frame(layout: Layout, columns: Mapping[str, Sequence[Any]]) -> pl.DataFrame:
    return pl.DataFrame([_series(c, columns[c.name]) for c in layout.columns])


def flat_records(layout: Layout, records: Sequence[Any]) -> dict[str, pl.DataFrame]:
    """The flat tables of ``records`` of one layout: its own (with an :data:`ID`, the
    record's position) and each child table."""
    base = _frame(layout, flatten(layout, records, unknown_as_none=False))
    tables = {layout.name: base.with_row_index(ID).cast({ID: pl.Int64})}
    for table in layout.children:
        lengths, columns = child_entries(table, records, unknown_as_none=False)
        counts = pl.Series(lengths, dtype=pl.Int64)
        owners = pl.int_range(counts.len(), dtype=pl.Int64, eager=True)
        entries = _frame(table.layout, columns).with_columns(
            owners.repeat_by(counts).explode().drop_nulls().alias(PARENT),
            pl.int_ranges(0, counts).explode().drop_nulls().cast(pl.Int64).alias(SEQ),
        )
        tables[table.layout.name] = entries.select(table.layout.schema(parent=True).names())
    return tables


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: flattening makes millions of short-lived, acyclic
    objects, and each full collection would walk the whole world again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def flat_tables(scenario: Scenario) -> dict[str, pl.DataFrame]:
    """A scenario's flat tables, every layout's and every child table's."""
    tables: dict[str, pl.DataFrame] = {}
    with _collector_paused():
        for layout, records in (
            (COUNTRY, scenario.countries),
            (ARRANGEMENT, scenario.arrangements),
            (COURT_ORDER, scenario.court_orders),
            (PERSON, scenario.persons),
            (TRANSFER, scenario.transfers),
        ):
            tables.update(flat_records(layout, records))
    return tables


def tables_from_scenario(scenario: Scenario) -> SourceTables:
    """The engine's source tables for a parsed scenario."""
    return tables_from_flat(flat_tables(scenario))


def empty_tables() -> SourceTables:
    """Source tables with no rows (a world with nothing in it)."""
    return SourceTables(**{name: pl.DataFrame(schema=schema) for name, schema in _SCHEMAS.items()})


__all__ = [
    "ARRANGEMENTS_SCHEMA",
    "ARRANGEMENT_STATUSES_SCHEMA",
    "ASSESSMENTS_SCHEMA",
    "COURT_ORDERS_SCHEMA",
    "ID",
    "PERSONS_SCHEMA",
    "TRANSFERS_SCHEMA",
    "FlatTables",
    "SourceTables",
    "empty_tables",
    "flat_tables",
    "tables_from_flat",
    "tables_from_scenario",
]

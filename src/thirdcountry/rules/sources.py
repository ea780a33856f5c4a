"""The engine's input: a few normalised tables (persons, transfers, arrangements, their
status histories, country assessments, court orders), each with a fixed schema.

Any store can feed the engine by producing these tables: a scenario file (below), or a
database. A (u) fact that is unknown is ``null``; a known "none" is an empty list or, for
the two nullable objects (removal decision, notice), ``*_recorded`` true with a null date.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Final

import polars as pl

from thirdcountry.scenario.codes import language_identity
from thirdcountry.scenario.model import (
    UNKNOWN,
    Fact,
    FearClaim,
    Notice,
    Person,
    RemovalDecision,
    Scenario,
    Transfer,
)


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


@dataclass(frozen=True, slots=True)
class SourceTables:
    """Everything the engine reads, as tables with the schemas above."""

    persons: pl.DataFrame
    transfers: pl.DataFrame
    arrangements: pl.DataFrame
    arrangement_statuses: pl.DataFrame
    assessments: pl.DataFrame
    court_orders: pl.DataFrame

    def __post_init__(self) -> None:
        for name, schema in _SCHEMAS.items():
            actual = getattr(self, name).schema
            if actual != schema:
                raise ValueError(f"source table {name} has schema {actual}, expected {schema}")


_SCHEMAS: Final = {
    "persons": PERSONS_SCHEMA,
    "transfers": TRANSFERS_SCHEMA,
    "arrangements": ARRANGEMENTS_SCHEMA,
    "arrangement_statuses": ARRANGEMENT_STATUSES_SCHEMA,
    "assessments": ASSESSMENTS_SCHEMA,
    "court_orders": COURT_ORDERS_SCHEMA,
}


# -- building columns from domain objects ------------------------------------------------------
# Polars converts Python objects one at a time, and a list of lists one inner list at a time
# (microseconds each). The helpers below read each attribute once, in C where they can, and
# hand Polars each distinct value once, gathering the column from them by index.


def _field(objects: Sequence[Any], name: str) -> list[Any]:
    return list(map(attrgetter(name), objects))


def _known(values: Sequence[Fact[Any]]) -> list[Any]:
    """The values with an unknown fact as ``None``."""
    return [None if v is UNKNOWN else v for v in values]


def _interned(
    values: Sequence[Hashable], dtype: Any, convert: Callable[[Any], Any] | None = None
) -> pl.Series:
    """A column of values that repeat (dates, lists of codes): each distinct value is
    converted and handed to Polars once, and the column gathered from them by index.
    ``None`` stays ``None``."""
    index: dict[Hashable, int] = {}
    ids = [index.setdefault(v, len(index)) for v in values]
    distinct = pl.Series(
        [v if convert is None or v is None else convert(v) for v in index], dtype=dtype
    )
    return distinct.gather(pl.Series(ids, dtype=pl.UInt32))


def _date_lists(lengths: list[int], known: list[bool], dates: pl.Series) -> pl.Series:
    """A List(Date) column from one flat column of dates and each row's length (null where
    ``known`` is false): the rows' index ranges, with each index replaced by its date."""
    frame = pl.DataFrame(
        [pl.Series("length", lengths, dtype=pl.Int64), pl.Series("known", known, dtype=pl.Boolean)]
    )
    end = pl.col("length").cum_sum()
    positions = pl.int_range(0, dates.len(), dtype=pl.Int64, eager=True)
    built = pl.when("known").then(
        pl.int_ranges(end - pl.col("length"), end).list.eval(
            pl.element().replace_strict(positions, dates, return_dtype=pl.Date)
        )
    )
    return frame.select(built).to_series()


def _frame(columns: Mapping[str, Any], schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(
        [pl.Series(name, columns[name], dtype=dtype) for name, dtype in schema.items()]
    )


def _fear_claims(claims: tuple[FearClaim, ...]) -> list[dict[str, str]]:
    return [{"country": c.country, "status": c.status} for c in claims]


def _languages(codes: tuple[str, ...]) -> list[str]:
    return sorted({language_identity(code) for code in codes})


def _persons(persons: Sequence[Person]) -> pl.DataFrame:
    def field(name: str) -> list[Any]:
        return _field(persons, name)

    decision = field("removal_decision")
    decisions = [d if d.__class__ is RemovalDecision else None for d in decision]
    recorded = field("convictions")
    convictions = [() if c is UNKNOWN else c for c in recorded]
    sentence_ends = [c.sentence_end for each in convictions for c in each]
    list_of = pl.List(pl.String)
    return _frame(
        {
            "person": field("ref"),
            "birth_date": _interned(_known(field("birth_date")), pl.Date),
            "nationalities": _interned(_known(field("nationalities")), list_of, list),
            "languages": _interned(_known(field("languages")), list_of, _languages),
            "accompanied": _known(field("accompanied")),
            "identity_verified": _known(field("identity_verified")),
            "asylum_claim": _known(field("asylum_claim")),
            "fear_claims": _interned(
                _known(field("fear_claims")), pl.List(FEAR_CLAIM), _fear_claims
            ),
            "removal_decision_recorded": [d is not UNKNOWN for d in decision],
            "removal_decision_date": _interned([d and d.date for d in decisions], pl.Date),
            "removal_decision_final": [d and d.final for d in decisions],
            "appeal_deadline": _interned([d and d.appeal_deadline for d in decisions], pl.Date),
            "appeal_pending": [d and d.appeal_pending for d in decisions],
            "sentence_ends": _date_lists(
                list(map(len, convictions)),
                [c is not UNKNOWN for c in recorded],
                _interned(_known(sentence_ends), pl.Date),
            ),
            "family_in_sending_country": _known(field("family_in_sending_country")),
            "fit_to_travel": _known(field("fit_to_travel")),
        },
        PERSONS_SCHEMA,
    )


def _transfers(transfers: Sequence[Transfer]) -> pl.DataFrame:
    def field(name: str) -> list[Any]:
        return _field(transfers, name)

    notice = field("notice")
    notices = [n if n.__class__ is Notice else None for n in notice]
    return _frame(
        {
            "transfer": field("ref"),
            "person": field("person"),
            "sending": field("sending"),
            "destination": field("destination"),
            "arrangement": field("arrangement"),
            "planned_date": _interned(field("planned_date"), pl.Date),
            "status": field("status"),
            "accepted_by_receiving": _known(field("accepted_by_receiving")),
            "notice_recorded": [n is not UNKNOWN for n in notice],
            "notice_served": _interned([n and n.served for n in notices], pl.Date),
            "notice_language": _interned(
                [n and n.language for n in notices], pl.String, language_identity
            ),
            "notice_names_destination": [n and n.names_destination for n in notices],
        },
        TRANSFERS_SCHEMA,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: building the tables makes millions of short-lived,
    acyclic objects, and each full collection would walk the whole world again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def tables_from_scenario(scenario: Scenario) -> SourceTables:
    """The engine's source tables for a parsed scenario."""
    arrangements = _frame(
        {
            "arrangement": [a.ref for a in scenario.arrangements],
            "sending": [a.sending for a in scenario.arrangements],
            "receiving": [a.receiving for a in scenario.arrangements],
            "cap": [a.cap for a in scenario.arrangements],
            "requires_served_sentence": [
                bool(a.terms and a.terms.requires_served_sentence) for a in scenario.arrangements
            ],
            "excluded_nationalities": [
                list(a.terms.excluded_nationalities) if a.terms else []
                for a in scenario.arrangements
            ],
            "notice_days": [
                a.terms.notice_days if a.terms else None for a in scenario.arrangements
            ],
            "commitments": [sorted(a.commitments) for a in scenario.arrangements],
        },
        ARRANGEMENTS_SCHEMA,
    )
    statuses = [
        (a.ref, s.date, s.status, seq)
        for a in scenario.arrangements
        for seq, s in enumerate(a.status_history)
    ]
    assessments = [
        (c.code, x.date, x.onward_refoulement_risk, seq)
        for c in scenario.countries
        for seq, x in enumerate(c.assessments)
    ]
    orders = [
        (
            o.ref,
            o.kind,
            o.issuer,
            o.issued,
            o.lifted,
            o.scope.person,
            o.scope.arrangement,
            o.scope.sending,
            o.scope.destination,
        )
        for o in scenario.court_orders
    ]
    with _collector_paused():
        persons = _persons(scenario.persons)
        transfers = _transfers(scenario.transfers)
    return SourceTables(
        persons=persons,
        transfers=transfers,
        arrangements=arrangements,
        arrangement_statuses=pl.DataFrame(
            statuses, schema=ARRANGEMENT_STATUSES_SCHEMA, orient="row"
        ),
        assessments=pl.DataFrame(assessments, schema=ASSESSMENTS_SCHEMA, orient="row"),
        court_orders=pl.DataFrame(orders, schema=COURT_ORDERS_SCHEMA, orient="row"),
    )


def empty_tables() -> SourceTables:
    """Source tables with no rows (a world with nothing in it)."""
    return SourceTables(**{name: pl.DataFrame(schema=schema) for name, schema in _SCHEMAS.items()})


__all__ = [
    "ARRANGEMENTS_SCHEMA",
    "ARRANGEMENT_STATUSES_SCHEMA",
    "ASSESSMENTS_SCHEMA",
    "COURT_ORDERS_SCHEMA",
    "PERSONS_SCHEMA",
    "TRANSFERS_SCHEMA",
    "SourceTables",
    "empty_tables",
    "tables_from_scenario",
]

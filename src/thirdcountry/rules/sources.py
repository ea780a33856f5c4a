"""The engine's input: a few normalised tables (persons, transfers, arrangements, their
status histories, country assessments, court orders), each with a fixed schema.

Any store can feed the engine by producing these tables: a scenario file (below), or a
database. A (u) fact that is unknown is ``null``; a known "none" is an empty list or, for
the two nullable objects (removal decision, notice), ``*_recorded`` true with a null date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from thirdcountry.scenario.codes import language_identity
from thirdcountry.scenario.model import (
    UNKNOWN,
    Fact,
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


def _known(value: Fact[Any]) -> Any:
    return None if value is UNKNOWN else value


def _frame(columns: dict[str, list[Any]], schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=schema)


def _persons(persons: Iterable[Person]) -> pl.DataFrame:
    cols: dict[str, list[Any]] = {name: [] for name in PERSONS_SCHEMA.names()}
    for p in persons:
        decision = p.removal_decision
        recorded = decision is not UNKNOWN
        known_decision = decision if isinstance(decision, RemovalDecision) else None
        cols["person"].append(p.ref)
        cols["birth_date"].append(_known(p.birth_date))
        cols["nationalities"].append(_known(p.nationalities))
        cols["languages"].append(
            None
            if p.languages is UNKNOWN
            else sorted({language_identity(code) for code in p.languages})
        )
        cols["accompanied"].append(_known(p.accompanied))
        cols["identity_verified"].append(_known(p.identity_verified))
        cols["asylum_claim"].append(_known(p.asylum_claim))
        cols["fear_claims"].append(
            None
            if p.fear_claims is UNKNOWN
            else [{"country": c.country, "status": c.status} for c in p.fear_claims]
        )
        cols["removal_decision_recorded"].append(recorded)
        cols["removal_decision_date"].append(known_decision.date if known_decision else None)
        cols["removal_decision_final"].append(known_decision.final if known_decision else None)
        cols["appeal_deadline"].append(known_decision.appeal_deadline if known_decision else None)
        cols["appeal_pending"].append(known_decision.appeal_pending if known_decision else None)
        cols["sentence_ends"].append(
            None if p.convictions is UNKNOWN else [_known(c.sentence_end) for c in p.convictions]
        )
        cols["family_in_sending_country"].append(_known(p.family_in_sending_country))
        cols["fit_to_travel"].append(_known(p.fit_to_travel))
    return _frame(cols, PERSONS_SCHEMA)


def _transfers(transfers: Iterable[Transfer]) -> pl.DataFrame:
    cols: dict[str, list[Any]] = {name: [] for name in TRANSFERS_SCHEMA.names()}
    for t in transfers:
        notice = t.notice
        recorded = notice is not UNKNOWN
        known_notice = notice if isinstance(notice, Notice) else None
        cols["transfer"].append(t.ref)
        cols["person"].append(t.person)
        cols["sending"].append(t.sending)
        cols["destination"].append(t.destination)
        cols["arrangement"].append(t.arrangement)
        cols["planned_date"].append(t.planned_date)
        cols["status"].append(t.status)
        cols["accepted_by_receiving"].append(_known(t.accepted_by_receiving))
        cols["notice_recorded"].append(recorded)
        cols["notice_served"].append(known_notice.served if known_notice else None)
        cols["notice_language"].append(
            language_identity(known_notice.language) if known_notice else None
        )
        cols["notice_names_destination"].append(
            known_notice.names_destination if known_notice else None
        )
    return _frame(cols, TRANSFERS_SCHEMA)


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
    return SourceTables(
        persons=_persons(scenario.persons),
        transfers=_transfers(scenario.transfers),
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

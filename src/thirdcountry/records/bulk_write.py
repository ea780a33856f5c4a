"""Writing a national-size population fast: ``COPY … FROM STDIN`` on PostgreSQL, batched
inserts on SQLite.

This is for generated (synthetic) populations and first imports into an empty database. It
bypasses per-row history: history records changes to records, and a first bulk import has no
earlier state to keep. Later changes to these records are recorded as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Model

from thirdcountry.cases import models as cases
from thirdcountry.oversight.audit import log_records
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry import models as registry
from thirdcountry.scenario.model import UNKNOWN, Notice, RemovalDecision, Scenario

Progress = Callable[[str, int, int], None]

#: The models whose rows :func:`write_population` streams, bypassing Django's saves.
STREAMED_MODELS: tuple[type[Model], ...] = (
    cases.Person,
    cases.PersonName,
    cases.Nationality,
    cases.PersonLanguage,
    cases.FearClaim,
    cases.Conviction,
    cases.Transfer,
    cases.MonitoringEntry,
)

BATCH = 10_000


def _table(model: type[Model]) -> str:
    return str(model._meta.db_table)


def write_rows(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Append ``rows`` (values in ``columns`` order) to ``model``'s table; returns the count."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {quote(_table(model))} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        sql = (
            f"INSERT INTO {quote(_table(model))} ({names}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _next_id(model: type[Model]) -> int:
    highest = model.objects.aggregate(highest=Max("id"))["highest"]
    return 1 if highest is None else int(highest) + 1


def _reset_sequences(models: Sequence[type[Model]]) -> None:
    """After explicit ids, point PostgreSQL's id sequences past them (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _known(value: Any) -> Any:
    return None if value is UNKNOWN else value


def write_population(scenario: Scenario, progress: Progress | None = None) -> dict[str, int]:
    """Write a whole scenario into a database that holds no persons or transfers yet.

    Countries, arrangements and court orders go through the ordinary load (they are few);
    persons, transfers and their details are streamed. One transaction: all or nothing.
    """
    if cases.Person.objects.exists() or cases.Transfer.objects.exists():
        raise ValueError("the database already holds persons or transfers; use load instead")

    def report(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    counts: dict[str, int] = {}
    with transaction.atomic():
        load_scenario_records(
            replace(scenario, persons=(), transfers=(), court_orders=()), source="generate"
        )
        first_person = _next_id(cases.Person)
        person_id = {p.ref: first_person + i for i, p in enumerate(scenario.persons)}
        total = len(scenario.persons)
        report("persons", 0, total)
        counts["persons"] = write_rows(
            cases.Person,
            ["id", "ref", *cases.PERSON_FACT_COLUMNS],
            (
                (
                    person_id[p.ref],
                    p.ref,
                    _known(p.birth_date),
                    p.nationalities is not UNKNOWN,
                    p.languages is not UNKNOWN,
                    _known(p.accompanied),
                    _known(p.identity_verified),
                    _known(p.asylum_claim),
                    p.fear_claims is not UNKNOWN,
                    p.removal_decision is not UNKNOWN,
                    *(
                        (d.date, d.final, d.appeal_deadline, d.appeal_pending)
                        if isinstance(d := p.removal_decision, RemovalDecision)
                        else (None, None, None, None)
                    ),
                    p.convictions is not UNKNOWN,
                    _known(p.family_in_sending_country),
                    _known(p.fit_to_travel),
                )
                for p in scenario.persons
            ),
        )
        report("persons", total, total)
        persons = scenario.persons
        counts["names"] = write_rows(
            cases.PersonName,
            ["person_id", "seq", "name", *cases.PersonName.DERIVED],
            (
                (person_id[p.ref], i, n, *cases.PersonName.derived(n))
                for p in persons
                for i, n in enumerate(p.names)
            ),
        )
        counts["nationalities"] = write_rows(
            cases.Nationality,
            ["person_id", "country_id"],
            (
                (person_id[p.ref], c)
                for p in persons
                if p.nationalities is not UNKNOWN
                for c in p.nationalities
            ),
        )
        counts["languages"] = write_rows(
            cases.PersonLanguage,
            ["person_id", "language_id"],
            (
                (person_id[p.ref], c)
                for p in persons
                if p.languages is not UNKNOWN
                for c in p.languages
            ),
        )
        counts["fear claims"] = write_rows(
            cases.FearClaim,
            ["person_id", "seq", "country_id", "status"],
            (
                (person_id[p.ref], i, c.country, c.status)
                for p in persons
                if p.fear_claims is not UNKNOWN
                for i, c in enumerate(p.fear_claims)
            ),
        )
        counts["convictions"] = write_rows(
            cases.Conviction,
            ["person_id", "seq", "offence", "sentence_end"],
            (
                (person_id[p.ref], i, c.offence, _known(c.sentence_end))
                for p in persons
                if p.convictions is not UNKNOWN
                for i, c in enumerate(p.convictions)
            ),
        )
        report("details", total, total)
        arrangement_id = dict(registry.Arrangement.objects.values_list("ref", "id"))
        first_transfer = _next_id(cases.Transfer)
        total = len(scenario.transfers)
        counts["transfers"] = write_rows(
            cases.Transfer,
            [
                "id",
                "ref",
                "person_id",
                "sending_id",
                "destination_id",
                "arrangement_id",
                "planned_date",
                "status",
                "accepted_by_receiving",
                "notice_recorded",
                "notice_served",
                "notice_language_id",
                "notice_names_destination",
            ],
            (
                (
                    first_transfer + i,
                    t.ref,
                    person_id[t.person],
                    t.sending,
                    t.destination,
                    arrangement_id[t.arrangement] if t.arrangement else None,
                    t.planned_date,
                    t.status,
                    _known(t.accepted_by_receiving),
                    t.notice is not UNKNOWN,
                    *(
                        (n.served, n.language, n.names_destination)
                        if isinstance(n := t.notice, Notice)
                        else (None, None, None)
                    ),
                )
                for i, t in enumerate(scenario.transfers)
            ),
        )
        counts["monitoring entries"] = write_rows(
            cases.MonitoringEntry,
            ["transfer_id", "seq", "date", "kind", "country_id", "note"],
            (
                (first_transfer + i, j, m.date, m.kind, m.country, m.note)
                for i, t in enumerate(scenario.transfers)
                for j, m in enumerate(t.monitoring)
            ),
        )
        report("transfers", total, total)
        _reset_sequences([cases.Person, cases.Transfer])
        # These rows bypassed Django's saves: put them on the audit trail, in this transaction.
        for model in STREAMED_MODELS:
            log_records(model.objects.all(), action="create", reason="generate")
        load_scenario_records(replace(scenario, persons=(), transfers=()), source="generate")
        counts["court orders"] = len(scenario.court_orders)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner takes a million rows for a handful.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts

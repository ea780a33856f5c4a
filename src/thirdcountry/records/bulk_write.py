"""Writing a national-size population fast: ``COPY … FROM STDIN`` on PostgreSQL, batched
inserts on SQLite.

This is for generated (synthetic) populations and first imports into an empty database. It
bypasses per-row history: history records changes to records, and a first bulk import has no
earlier state to keep. Later changes to these records are recorded as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final

import msgspec
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Model

from thirdcountry.cases import models as cases
from thirdcountry.cases.mapping import TABLES
from thirdcountry.oversight.audit.bulk_log import WrittenLog
from thirdcountry.records.load import load_scenario_records
from thirdcountry.registry import models as registry
from thirdcountry.scenario.flat import flatten, flatten_child
from thirdcountry.scenario.layout import (
    PARENT,
    PERSON,
    SEQ,
    TRANSFER,
    Layout,
)
from thirdcountry.scenario.model import Scenario

Progress = Callable[[str, int, int], None]

#: The layouts whose records :func:`write_population` streams, bypassing Django's saves.
STREAMED: Final = (PERSON, TRANSFER)
#: Their models, child tables included.
STREAMED_MODELS: tuple[type[Model], ...] = tuple(
    TABLES[name].model
    for layout in STREAMED
    for name in (layout.name, *(child.layout.name for child in layout.children))
)

BATCH = 10_000

#: What each table's rows are called in the counts the command prints.
_COUNTED: Final = {
    "person": "persons",
    "person_name": "names",
    "nationality": "nationalities",
    "person_language": "languages",
    "fear_claim": "fear claims",
    "conviction": "convictions",
    "transfer": "transfers",
    "monitoring_entry": "monitoring entries",
}


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
            copying = raw.copy(f"COPY {quote(_table(model))} ({names}) FROM STDIN")
            # Its errors as Django's (a ref stored already: IntegrityError), as the ORM's are.
            with connection.wrap_database_errors, copying as copy:
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


#: What :func:`any_of` joins values with: a control character no ref or id holds.
_SEPARATOR: Final = "\x1f"


def any_of(values: Sequence[str | int]) -> tuple[str, Any]:
    """The operand of ``= ANY(…)`` for ``values`` on PostgreSQL, and its one parameter: the
    values joined into one text the server splits (psycopg dumps a million strings as an
    array in seconds, one joined text in milliseconds); as an array when a value holds the
    separator."""
    if values and all(isinstance(v, int) for v in values):
        return "string_to_array(%s, ',')::bigint[]", ",".join(map(str, values))
    if any(not isinstance(v, str) or _SEPARATOR in v for v in values):
        return "%s", list(values)
    return "string_to_array(%s, chr(31))", _SEPARATOR.join(values)  # type: ignore[arg-type]


def stored_ids(model: type[Model], refs: Sequence[str]) -> dict[str, int]:
    """The ids of those of ``refs`` that ``model`` stores, by ref. On PostgreSQL one query
    with the refs as one array parameter (``= ANY``): a list of a million placeholders costs
    more to build and parse than the lookup itself. Elsewhere in batches of ``IN``."""
    found: dict[str, int] = {}
    if connection.vendor == "postgresql":
        operand, parameter = any_of(refs)
        table = connection.ops.quote_name(_table(model))
        sql = f"SELECT ref, id FROM {table} WHERE ref = ANY({operand})"
        with connection.cursor() as cursor:
            cursor.execute(sql, [parameter])
            found.update(cursor.fetchall())
        return found
    for start in range(0, len(refs), BATCH):
        chunk = refs[start : start + BATCH]
        found.update(model._default_manager.filter(ref__in=chunk).values_list("ref", "id"))
    return found


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


#: What the streamed write sets for its transaction on PostgreSQL: the trigram (GIN) indexes
#: of refs and names gather new entries in a pending list this long, then merge them into
#: the index in one sorted pass with this much memory, instead of a pass every 4 MB.
_BULK_SETTINGS: Final = {"gin_pending_list_limit": "64MB", "work_mem": "128MB"}


@contextmanager
def _index_batching() -> Iterator[None]:
    """Within a transaction, let PostgreSQL batch the GIN index entries of the rows streamed
    here (:data:`_BULK_SETTINGS`, for this transaction only), and merge what is still
    pending when the rows are written, so that searches never scan a long pending list.
    Merging needs the indexes' owner, as the role that migrated them is; otherwise the
    next vacuum merges them."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for name, value in _BULK_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        yield
        tables = [_table(model) for model in STREAMED_MODELS]
        cursor.execute(
            "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE a.amname = 'gin' AND i.indrelid::regclass::text = ANY(%s) "
            "AND pg_has_role(c.relowner, 'USAGE')",
            [tables],
        )


#: Told each table :func:`_write_layout` has written: its model and the columns written, by
#: attname (the ids included), each a list of the values in the rows' order.
Written = Callable[[type[Model], dict[str, list[Any]]], None]


def _write_layout(
    layout: Layout,
    records: Sequence[Any],
    refs: Mapping[str, Mapping[str, int]],
    written: Written = lambda model, columns: None,
) -> dict[str, int]:
    """Stream ``records`` and their child rows into their tables, each row with an id
    following its table's highest stored one; returns the rows written per table.
    ``written`` is told each table written, with the values written (the audit trail's
    digests are made from them, not from the rows read back)."""
    where = TABLES[layout.name]
    first = _next_id(where.model)
    ids = list(range(first, first + len(records)))
    columns = flatten(layout, records)
    for column in layout.columns:
        if column.refers_to is not None:
            lookup = refs[column.refers_to]
            columns[column.name] = [None if v is None else lookup[v] for v in columns[column.name]]
    names = [c.name for c in layout.columns]
    values = {"id": ids, **{where.attname(n): columns[n] for n in names}}
    layout_rows = zip(*values.values(), strict=True)
    counts = {layout.name: write_rows(where.model, list(values), layout_rows)}
    written(where.model, values)
    for child in layout.children:
        place = TABLES[child.layout.name]
        rows = flatten_child(child, records, ids)
        names = [c.name for c in child.layout.columns]
        # Ids given here, as the parent's are, so the rows written are known without reading
        # them back.
        start = _next_id(place.model)
        values = {
            "id": list(range(start, start + len(rows[PARENT]))),
            place.parent_attname: rows[PARENT],
            **({SEQ: rows[SEQ]} if child.ordered else {}),
            **{place.attname(n): rows[n] for n in names},
        }
        streamed: Iterator[tuple[Any, ...]] = zip(*values.values(), strict=True)
        derived: tuple[str, ...] = getattr(place.model, "DERIVED", ())
        if derived:
            # Columns kept from another (a name's search keys), computed as save() would, row
            # by row as the rows stream: the database stores the rows before while this
            # process computes the next ones.
            source = list(values).index(place.attname(names[0]))
            values.update((name, []) for name in derived)
            kept = [values[n] for n in derived]
            streamed = _with_derived(streamed, source, place.model.derived, kept)
        counts[child.layout.name] = write_rows(place.model, list(values), streamed)
        written(place.model, values)
    return counts


def _with_derived(
    rows: Iterable[tuple[Any, ...]],
    source: int,
    derive: Callable[[Any], tuple[Any, ...]],
    kept: Sequence[list[Any]],
) -> Iterator[tuple[Any, ...]]:
    """Each of ``rows`` followed by the columns ``derive`` makes of its value at ``source``,
    which are also appended to ``kept`` (one list per derived column)."""
    for row in rows:
        made = derive(row[source])
        for column, value in zip(kept, made, strict=True):
            column.append(value)
        yield (*row, *made)


def write_population(scenario: Scenario, progress: Progress | None = None) -> dict[str, int]:
    """Write a whole scenario into a database that holds no persons or transfers yet.

    Countries, arrangements and court orders go through the ordinary load (they are few);
    persons, transfers and their details are streamed. One transaction: all or nothing.
    """
    if cases.Person.objects.exists() or cases.Transfer.objects.exists():
        raise ValueError("the database already holds persons or transfers; use load instead")

    # Progress goes in steps: each table written, the rows put on the audit trail, the
    # records before and after.
    steps = len(STREAMED_MODELS) + 3
    done = 0

    def step(stage: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(stage, done, steps)

    if progress is not None:
        progress("starting", 0, steps)
    counts: dict[str, int] = {}

    def table_written(model: type[Model], columns: dict[str, list[Any]]) -> None:
        trail.add(model, columns)
        step(_label(model))

    with transaction.atomic(), WrittenLog(reason="generate") as trail, _index_batching():
        load_scenario_records(
            msgspec.structs.replace(scenario, persons=(), transfers=(), court_orders=()),
            source="generate",
        )
        step("countries and arrangements written")
        written = _write_layout(PERSON, scenario.persons, {}, table_written)
        refs = {
            "person": dict(cases.Person.objects.values_list("ref", "id")),
            "arrangement": dict(registry.Arrangement.objects.values_list("ref", "id")),
        }
        written.update(_write_layout(TRANSFER, scenario.transfers, refs, table_written))
        _reset_sequences(STREAMED_MODELS)
        # These rows bypassed Django's saves: put them on the audit trail, in this transaction.
        trail.write()
        step("rows on the audit trail")
        load_scenario_records(
            msgspec.structs.replace(scenario, persons=(), transfers=()), source="generate"
        )
        step("court orders written")
        counts = {_COUNTED.get(name, name): n for name, n in written.items()}
        counts["court orders"] = len(scenario.court_orders)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner takes a million rows for a handful.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


def _label(model: type[Model]) -> str:
    table = next(name for name, where in TABLES.items() if where.model is model)
    return f"{_COUNTED.get(table, table)} written"


def write_new_records(scenario: Scenario, *, reason: str) -> dict[str, int]:
    """Stream persons and transfers none of which is stored yet (an import's new records),
    with their details; the arrangements and persons they refer to must be stored or among
    them. Their rows go on the audit trail with ``reason``. Call it in a transaction.

    Like :func:`write_population`, no per-row history is written: a new record has no earlier
    state to keep, and its later changes are recorded as usual.
    """
    try:
        # A savepoint: a ref stored already fails the write (its unique index), and only then
        # are the refs looked up, to say so; a million refs cost seconds to look up.
        with transaction.atomic():
            return _write_new(scenario, reason=reason)
    except IntegrityError:
        persons = [p.ref for p in scenario.persons]
        transfers = [t.ref for t in scenario.transfers]
        for model, given in ((cases.Person, persons), (cases.Transfer, transfers)):
            if stored_ids(model, given):
                raise ValueError(
                    f"some {model._meta.verbose_name_plural} are stored already"
                ) from None
        raise


def _write_new(scenario: Scenario, *, reason: str) -> dict[str, int]:
    new_persons: dict[str, int] = {}

    def table_written(model: type[Model], columns: dict[str, list[Any]]) -> None:
        trail.add(model, columns)
        if model is cases.Person:
            new_persons.update(zip(columns["ref"], columns["id"], strict=True))

    with WrittenLog(reason=reason) as trail, _index_batching():
        written = _write_layout(PERSON, scenario.persons, {}, table_written)
        # The persons just written are known by their ids; only the others are looked up.
        wanted = sorted({t.person for t in scenario.transfers} - new_persons.keys())
        refs = {
            "person": {**new_persons, **stored_ids(cases.Person, wanted)},
            "arrangement": dict(registry.Arrangement.objects.values_list("ref", "id")),
        }
        written.update(_write_layout(TRANSFER, scenario.transfers, refs, table_written))
        _reset_sequences(STREAMED_MODELS)
        trail.write()
    return {_COUNTED.get(name, name): n for name, n in written.items()}

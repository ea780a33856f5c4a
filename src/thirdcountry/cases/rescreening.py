"""Re-screening runs: screen exactly the pending transfers a legal event can affect, in bulk,
store a new screening only where the findings changed, and record what changed.

A run's scope names what it selects (see :class:`~thirdcountry.cases.models.ScreeningRun`).
Its transfers are screened in chunks through the engine's vectorised path; each chunk's
writes are one transaction. A run interrupted half-way stays ``running``; running it again
first removes what the interrupted attempt wrote, so a run is never complete with part of
its changes, and its diff is always against the screenings before it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import polars as pl
from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from thirdcountry.atomic import in_application_transaction
from thirdcountry.cases import screening_v2
from thirdcountry.cases.bulk import (
    flush_at_leisure,
    insert_frame,
    insert_screenings,
    point_latest,
    refresh_latest,
)
from thirdcountry.cases.engine_reads import (
    Query,
    Statement,
    close_reader,
    parameters_of,
    parameters_read,
    read_all,
    read_frame,
    snapshot,
    source_reads,
    tables_of,
)
from thirdcountry.cases.mapping import FlatRead
from thirdcountry.cases.models import (
    LatestScreening,
    RunChange,
    ScreeningRecord,
    ScreeningRun,
    Transfer,
)
from thirdcountry.cases.run_changes import ScreenedChunk, compared, verdict_counts
from thirdcountry.cases.run_scope import describe_scope, pending_transfers, scope_filter
from thirdcountry.registry.selectors import order_labels, run_settings
from thirdcountry.rules import catalogs
from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import empty_tables
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.rules.v2.world import World
from thirdcountry.screening import Screening, screen_tables

#: At most this many transfers are screened and written per transaction.
CHUNK = 100_000
#: Fewer transfers per chunk than this cost more in queries than overlapping saves.
MIN_CHUNK = 20_000
#: At most this many transfers per chunk of a run under a scenario@2 catalog.
V2_CHUNK = 5_000

Progress = Callable[[int, int], None]
#: A DataFrame schema: column names and their dtypes.
Schema = dict[str, Any]


@dataclass(frozen=True)
class RunOutcome:
    """A finished run and, when asked for, the whole screening it made."""

    run: ScreeningRun
    screening: Screening | None


def default_as_of() -> date:
    """The stored world's screening date if one was loaded, else today."""
    return run_settings()[0] or date.today()


def start_run(
    scope: dict[str, Any],
    trigger: str | None = None,
    as_of: date | None = None,
    user: Any = None,
) -> ScreeningRun:
    """Record a pending run; :func:`execute_run` carries it out."""
    scope_filter(scope)  # refuse an unknown scope now, not in the worker
    stored_as_of, catalog = run_settings()
    run: ScreeningRun = ScreeningRun.objects.create(
        trigger=(trigger or describe_scope(scope))[:300],
        scope=scope,
        as_of=as_of or stored_as_of or date.today(),
        catalog=catalog,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return run


def _latest(transfers: QuerySet[Transfer, Transfer]) -> pl.DataFrame:
    """The latest screening per transfer of ``transfers``: its verdict, catalog and stored
    findings (no row for a transfer never screened)."""
    return read_frame(*_latest_read(transfers))


def _latest_read(transfers: QuerySet[Transfer, Transfer]) -> tuple[QuerySet[Any, Any], Schema]:
    return (
        LatestScreening.objects.filter(transfer__in=transfers)
        .order_by()
        .values_list("transfer_id", "verdict", "catalog", "outcomes", "findings"),
        {
            "transfer_id": pl.Int64,
            "verdict_before": pl.String,
            "catalog_before": pl.String,
            "outcomes_before": pl.String,
            "findings_before": pl.String,
        },
    )


#: From this many transfers, a chunk's reads go through the Arrow-native driver.
FAST_READ_FROM = 2_000


def _id_by_ref(chunk: QuerySet[Transfer, Transfer]) -> pl.DataFrame:
    return read_frame(*_id_by_ref_read(chunk))


def _id_by_ref_read(chunk: QuerySet[Transfer, Transfer]) -> tuple[QuerySet[Any, Any], Schema]:
    return chunk.values_list("ref", "id"), {"transfer": pl.String, "transfer_id": pl.Int64}


#: Stands for the transfer's id in the reads of one transfer, compiled once per process.
_ONE_TRANSFER = -7_319_004_411


@cache
def _one_transfer_reads(vendor: str) -> tuple[list[FlatRead], list[tuple[Statement, Schema]]]:
    """The reads of one pending transfer (see :func:`_chunk_reads`), compiled with
    :data:`_ONE_TRANSFER` for its id; a process compiles them once per database vendor."""
    chunk = Transfer.objects.filter(pk=_ONE_TRANSFER, status="proposed")
    reads, queries = _chunk_reads(chunk, few=True)
    return reads, [(Statement.of(query), schema) for query, schema in queries]


def _chunk_reads(
    chunk: QuerySet[Transfer, Transfer] | int, *, few: bool = False
) -> tuple[list[FlatRead], list[tuple[Query, Schema]]]:
    """A chunk's source reads, and every query of the chunk: the source reads, then the ids
    by ref, the latest screenings and the catalog parameters. ``chunk`` is a queryset of
    pending transfers (``few`` of them: see :func:`source_reads`), or the id of one pending
    transfer."""
    if isinstance(chunk, int):
        reads, statements = _one_transfer_reads(connection.vendor)
        return reads, [(s.bound(_ONE_TRANSFER, chunk), schema) for s, schema in statements]
    reads = source_reads(chunk, few=few)
    queries: list[tuple[Query, Schema]] = [r.query for r in reads]
    return reads, [*queries, _id_by_ref_read(chunk), _latest_read(chunk), parameters_read()]


def _screen_chunk(
    run: ScreeningRun, chunk: QuerySet[Transfer, Transfer] | int, size: int
) -> ScreenedChunk:
    """Read one chunk's facts and latest screenings in one snapshot, screen it, and find
    what changed. ``chunk`` is a queryset of pending transfers or one's id."""
    reads, queries = _chunk_reads(chunk)
    with snapshot(fast=size >= FAST_READ_FROM):
        *frames, id_by_ref, latest, parameters = read_all(queries)
    sources = tables_of(reads, frames)
    # The run's own catalog: taken up again later, it screens as it began.
    catalog = catalogs.catalog(run.catalog)
    # The court orders' labels render findings; the run stores them as data, unrendered.
    screening = screen_tables(sources, run.as_of, parameters_of(parameters), catalog)
    return compared(screening.table, catalog, id_by_ref, latest, screening)


def _screen_chunk_v2(
    catalog: CatalogV2, world: World, chunk: QuerySet[Transfer, Transfer]
) -> ScreenedChunk:
    """Screen one chunk under a scenario@2 catalog on a world read once for the run, and
    find what changed."""
    id_by_ref = _id_by_ref(chunk)
    table = screening_v2.findings_table(catalog, world, id_by_ref["transfer"].to_list())
    return compared(table, catalog, id_by_ref, _latest(chunk), None)


def _store_chunk(run: ScreeningRun, screened: ScreenedChunk, progress_seen: bool) -> None:
    """Store a chunk's changed screenings and the run's changes, in one transaction, and the
    run's counts so far if others see its progress (``progress_seen``)."""
    alone = not connection.in_atomic_block
    with transaction.atomic(savepoint=False):
        if alone:
            # Only a chunk committed by itself: a caller's own transaction keeps its
            # durability (a single transfer's run is written in one).
            flush_at_leisure()
        point_latest(insert_screenings(screened.changed, run.as_of, run.catalog, run_id=run.pk))
        insert_frame(RunChange, screened.changes, {"run_id": run.pk})
        if progress_seen:
            ScreeningRun.objects.filter(pk=run.pk).update(
                transfers_screened=run.transfers_screened + screened.table.height,
                changed=run.changed + screened.changes.height,
            )
    run.transfers_screened += screened.table.height
    run.changed += screened.changes.height


def _screen_chunk_in_thread(
    run: ScreeningRun, chunk: QuerySet[Transfer, Transfer], size: int
) -> ScreenedChunk:
    """:func:`_screen_chunk` on a worker thread, which then closes its connections."""
    try:
        return _screen_chunk(run, chunk, size)
    finally:
        close_reader()
        connections.close_all()


def chunk_size(transfers: int) -> int:
    """Transfers per chunk: at most :data:`CHUNK` (memory stays bounded), and small enough
    that a run of a few hundred thousand has four chunks or more to overlap."""
    return min(CHUNK, max(MIN_CHUNK, -(-transfers // 4)))


def _screened_chunks(run: ScreeningRun, ids: list[int]) -> Iterator[ScreenedChunk]:
    """Each chunk of the run's transfers, screened. On PostgreSQL, outside a transaction,
    the next chunk is read and screened on a second thread while the caller stores this
    one, so the database's writing and the reading and evaluating share the two cores."""
    size = chunk_size(len(ids))
    overlap = (
        len(ids) > size
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and size >= FAST_READ_FROM
    )
    if not ids:
        return
    catalog = catalogs.any_catalog(run.catalog)
    if isinstance(catalog, CatalogV2):
        yield from _screened_chunks_v2(run, catalog, ids, size)
        return
    if len(ids) == 1:
        # One transfer (a saved fact, a request to screen it): its reads are compiled once.
        yield _screen_chunk(run, ids[0], 1)
        return
    # Overlapping, the first chunk is read alone: a small one lets the writing start soon.
    first = max(FAST_READ_FROM, size // 4) if overlap else size
    starts = [0, *range(first, len(ids), size)]
    chunks = [
        (
            pending_transfers(run.scope).filter(id__gte=ids[start], id__lte=ids[end - 1]),
            end - start,
        )
        for start, end in zip(starts, [*starts[1:], len(ids)], strict=True)
    ]
    if not overlap:
        for chunk, count in chunks:
            yield _screen_chunk(run, chunk, count)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="screening-run") as reader:
        ahead: Future[ScreenedChunk] = reader.submit(_screen_chunk_in_thread, run, *chunks[0])
        for position in range(len(chunks)):
            screened = ahead.result()
            if position + 1 < len(chunks):
                ahead = reader.submit(_screen_chunk_in_thread, run, *chunks[position + 1])
            yield screened


def _take_back(run: ScreeningRun) -> None:
    """Remove what an interrupted attempt at ``run`` wrote, so its diff stays whole (a run
    still pending was never attempted: nothing to remove)."""
    touched = list(
        ScreeningRecord.objects.filter(run=run).order_by().values_list("transfer_id", flat=True)
    )
    LatestScreening.objects.filter(screening__run=run).delete()
    ScreeningRecord.objects.filter(run=run).delete()
    RunChange.objects.filter(run=run).delete()
    refresh_latest(touched)


def _screened_chunks_v2(
    run: ScreeningRun, catalog: CatalogV2, ids: list[int], size: int
) -> Iterator[ScreenedChunk]:
    """Each chunk of a run under a scenario@2 catalog, screened on the stored world read
    once: whole for a run of every pending transfer, else what its transfers' screening
    reads."""
    refs = None
    # A large scope reads the whole world: fewer queries than naming each record, and no
    # list of refs past the database's limit on parameters.
    if not run.scope.get("all") and len(ids) <= V2_CHUNK:
        refs = list(pending_transfers(run.scope).values_list("ref", flat=True))
    world = screening_v2.stored_world(catalog, run.as_of, refs)
    # Screened one transfer at a time, so small chunks cost little and show progress.
    size = min(size, V2_CHUNK)
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        chunk = pending_transfers(run.scope).filter(id__gte=part[0], id__lte=part[-1])
        yield _screen_chunk_v2(catalog, world, chunk)


def execute_run(
    run: ScreeningRun, progress: Progress | None = None, *, keep_screening: bool = False
) -> RunOutcome:
    """Carry out a run (again, if an earlier attempt was interrupted) until it is complete.

    With ``keep_screening``, the outcome also holds the whole screening (every transfer in
    scope, changed or not), as ``thirdcountry screen`` prints it.
    """
    # In a transaction the caller holds (one transfer screened as a fact is saved), no one
    # sees the run running or its progress: it is saved once, complete.
    seen_running = not in_application_transaction(connection)
    # No savepoint inside the caller's transaction: what fails here fails the run.
    with transaction.atomic(savepoint=False):
        if run.status != "pending":
            _take_back(run)
        ids = list(pending_transfers(run.scope).order_by("id").values_list("id", flat=True))
        run.status = "running"
        run.started_at = timezone.now()
        run.transfers_in_scope = len(ids)
        run.transfers_screened = 0
        run.changed = 0
        run.error = ""
        if seen_running:
            run.save()
    if progress is not None:
        progress(0, len(ids))
    clock = time.perf_counter()
    befores: list[pl.DataFrame] = []
    afters: list[pl.DataFrame] = []
    tables: list[pl.DataFrame] = []
    try:
        for screened in _screened_chunks(run, ids):
            _store_chunk(run, screened, seen_running)
            befores.append(screened.table.select("verdict_before"))
            afters.append(screened.table.select("verdict"))
            if keep_screening and screened.screening is not None:
                tables.append(screened.screening.table)
            if progress is not None:
                progress(run.transfers_screened, len(ids))
    except Exception as error:
        ScreeningRun.objects.filter(pk=run.pk).update(status="failed", error=str(error)[:2000])
        raise
    before_all = pl.concat(befores).to_series() if befores else pl.Series("verdict_before", [])
    after_all = pl.concat(afters).to_series() if afters else None
    run.counts_before = verdict_counts(before_all.cast(pl.String), len(ids))
    run.counts_after = verdict_counts(
        after_all.cast(pl.String) if after_all is not None else pl.Series("verdict", []),
        len(ids),
    )
    run.duration_seconds = time.perf_counter() - clock
    run.finished_at = timezone.now()
    run.status = "complete"
    run.save()
    screening: Screening | None = None
    if keep_screening and catalogs.is_tabular(run.catalog):
        catalog = catalogs.catalog(run.catalog)
        table = (
            pl.concat(tables)
            if tables
            else evaluate(build_facts(empty_tables(), run.as_of), catalog)
        )
        screening = Screening(run.as_of, catalog, table, order_labels())
    return RunOutcome(run, screening)


def rescreen(
    scope: dict[str, Any],
    trigger: str | None = None,
    as_of: date | None = None,
    user: Any = None,
    progress: Progress | None = None,
) -> ScreeningRun:
    """Start and carry out a run now, in this process."""
    return execute_run(start_run(scope, trigger, as_of, user), progress).run

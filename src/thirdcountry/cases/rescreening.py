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
from django.db.models import Q, QuerySet
from django.utils import timezone

from thirdcountry.cases import screening_v2
from thirdcountry.cases.bulk import (
    change_keys,
    flush_at_leisure,
    insert_frame,
    insert_screenings,
    json_text,
    point_latest,
    refresh_latest,
)
from thirdcountry.cases.catalog_diff import across_catalogs
from thirdcountry.cases.engine_reads import (
    Query,
    Statement,
    close_reader,
    read_all,
    read_frame,
    screening_parameters,
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
from thirdcountry.findings.stored import OUTCOME_OF
from thirdcountry.registry.models import CourtOrder, ScreeningDefaults
from thirdcountry.registry.selectors import current_catalog, order_labels
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import RULE_SEP
from thirdcountry.rules.catalogs import AnyCatalog
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


SCOPE_KINDS = ("all", "person", "arrangement", "destination", "sending", "order", "transfers")


def _scope_filter(scope: dict[str, Any]) -> Q:
    """The transfers a scope selects (any status)."""
    if scope.get("all"):
        return Q()
    if "transfers" in scope:
        return Q(ref__in=list(scope["transfers"]))
    if "person" in scope:
        return Q(person__ref=scope["person"])
    if "arrangement" in scope:
        return Q(arrangement__ref=scope["arrangement"])
    if "sending" in scope and "destination" in scope:
        return Q(sending_id=scope["sending"], destination_id=scope["destination"])
    if "destination" in scope:
        return Q(destination_id=scope["destination"])
    if "sending" in scope:
        return Q(sending_id=scope["sending"])
    if "order" in scope:
        order = CourtOrder.objects.select_related("scope_person", "scope_arrangement").get(
            ref=scope["order"]
        )
        return _scope_filter(order_scope(order))
    raise ValueError(f"unknown scope {scope!r}; expected one key of {', '.join(SCOPE_KINDS)}")


def order_scope(order: CourtOrder) -> dict[str, Any]:
    """The transfers a court order can cover, as a run scope."""
    if order.scope_person_id is not None:
        return {"person": order.scope_person.ref}
    if order.scope_arrangement_id is not None:
        return {"arrangement": order.scope_arrangement.ref}
    if order.scope_destination_id is not None:
        return {"sending": order.scope_sending_id, "destination": order.scope_destination_id}
    return {"sending": order.scope_sending_id}


def pending_transfers(scope: dict[str, Any]) -> QuerySet[Transfer, Transfer]:
    """The proposed transfers a scope selects."""
    return Transfer.objects.filter(_scope_filter(scope), status="proposed")


def describe_scope(scope: dict[str, Any]) -> str:
    """A scope in words, for a run's trigger."""
    if scope.get("all"):
        return "every pending transfer"
    if "transfers" in scope:
        return (
            "transfers "
            + ", ".join(scope["transfers"][:5])
            + (", …" if len(scope["transfers"]) > 5 else "")
        )
    parts = [f"{key} {value}" for key, value in scope.items()]
    return "pending transfers of " + " and ".join(parts)


def default_as_of() -> date:
    """The stored world's screening date if one was loaded, else today."""
    return ScreeningDefaults.current().as_of or date.today()


def start_run(
    scope: dict[str, Any],
    trigger: str | None = None,
    as_of: date | None = None,
    user: Any = None,
) -> ScreeningRun:
    """Record a pending run; :func:`execute_run` carries it out."""
    _scope_filter(scope)  # refuse an unknown scope now, not in the worker
    run: ScreeningRun = ScreeningRun.objects.create(
        trigger=(trigger or describe_scope(scope))[:300],
        scope=scope,
        as_of=as_of or default_as_of(),
        catalog=current_catalog(),
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


def _counts(verdicts: pl.Series, total: int) -> dict[str, int]:
    counted = verdicts.value_counts()
    found = dict(zip(counted[verdicts.name].to_list(), counted["count"].to_list(), strict=True))
    counts = {v: int(found.get(v, 0)) for v in ("clear", "review", "blocked")}
    counts["unscreened"] = total - sum(counts.values())
    return counts


def _rules_changed(changed: pl.DataFrame, catalog: AnyCatalog) -> pl.DataFrame:
    """Per changed transfer, each rule whose finding changed (its outcome, reason code or
    parameters), in catalog order: ``{rule, before, after, finding}``, where ``finding`` is
    the new finding as stored (rendered when read). ``before`` is null for a transfer never
    screened, or last screened under another catalog."""
    long = (
        changed.select("transfer_id", *_change_entries(catalog.version, catalog.ids))
        .unpivot(index="transfer_id", variable_name="position", value_name="change")
        .drop_nulls("change")
    )
    return long.group_by("transfer_id", maintain_order=True).agg(
        pl.col("change").alias("rules_changed")
    )


@cache
def _change_entries(version: str, ids: tuple[str, ...]) -> tuple[pl.Expr, ...]:
    """Per rule, its ``{rule, before, after, finding}`` where its finding changed, else null
    (built once per catalog and process)."""
    same_catalog = pl.col("catalog_before") == version
    entries = []
    for position, rule_id in enumerate(ids):
        then = pl.col("findings_before").str.split(RULE_SEP).list.get(position, null_on_oob=True)
        now = pl.col(rule_id).struct.field("finding")
        before = (
            pl.when(same_catalog)
            .then(pl.col("outcomes_before").str.slice(position, 1))
            .replace_strict(OUTCOME_OF, default=None, return_dtype=pl.String)
        )
        differs = ~same_catalog.fill_null(False) | (then != now).fill_null(True)
        entries.append(
            pl.when(differs)
            .then(
                pl.struct(
                    pl.lit(rule_id).alias("rule"),
                    before.alias("before"),
                    pl.col(rule_id).struct.field("outcome").cast(pl.String).alias("after"),
                    now.alias("finding"),
                )
            )
            .alias(f"change_{position}")
        )
    return tuple(entries)


#: From this many transfers, a chunk's reads go through the Arrow-native driver.
FAST_READ_FROM = 2_000


@dataclass(frozen=True)
class _Screened:
    """One chunk screened and compared with the latest screenings, not yet stored."""

    table: pl.DataFrame
    changed: pl.DataFrame
    changes: pl.DataFrame
    #: The whole screening (catalog 2026.1 only: a 2026.2 run keeps its table alone).
    screening: Screening | None


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
    reads, queries = _chunk_reads(chunk)
    return reads, [(Statement.of(query), schema) for query, schema in queries]


def _chunk_reads(
    chunk: QuerySet[Transfer, Transfer] | int,
) -> tuple[list[FlatRead], list[tuple[Query, Schema]]]:
    """A chunk's source reads, and every query of the chunk: the source reads, then the ids
    by ref and the latest screenings. ``chunk`` is a queryset of pending transfers, or the
    id of one pending transfer."""
    if isinstance(chunk, int):
        reads, statements = _one_transfer_reads(connection.vendor)
        return reads, [(s.bound(_ONE_TRANSFER, chunk), schema) for s, schema in statements]
    reads = source_reads(chunk)
    queries: list[tuple[Query, Schema]] = [(r.queryset, r.schema) for r in reads]
    return reads, [*queries, _id_by_ref_read(chunk), _latest_read(chunk)]


def _screen_chunk(
    run: ScreeningRun, chunk: QuerySet[Transfer, Transfer] | int, size: int
) -> _Screened:
    """Read one chunk's facts and latest screenings in one snapshot, screen it, and find
    what changed. ``chunk`` is a queryset of pending transfers or one's id."""
    reads, queries = _chunk_reads(chunk)
    with snapshot(fast=size >= FAST_READ_FROM):
        *frames, id_by_ref, latest = read_all(queries)
    sources = tables_of(reads, frames)
    # The run's own catalog: taken up again later, it screens as it began.
    catalog = catalogs.catalog(run.catalog)
    # The court orders' labels render findings; the run stores them as data, unrendered.
    screening = screen_tables(sources, run.as_of, screening_parameters(), catalog)
    return _compared(screening.table, catalog, id_by_ref, latest, screening)


def _screen_chunk_v2(
    catalog: CatalogV2, world: World, chunk: QuerySet[Transfer, Transfer]
) -> _Screened:
    """Screen one chunk under a scenario@2 catalog on a world read once for the run, and
    find what changed."""
    id_by_ref = _id_by_ref(chunk)
    table = screening_v2.findings_table(catalog, world, id_by_ref["transfer"].to_list())
    return _compared(table, catalog, id_by_ref, _latest(chunk), None)


def _compared(
    findings: pl.DataFrame,
    catalog: AnyCatalog,
    id_by_ref: pl.DataFrame,
    latest: pl.DataFrame,
    screening: Screening | None,
) -> _Screened:
    """A chunk's findings table compared with its transfers' latest screenings."""
    table = findings.with_columns(change_keys(catalog))
    table = table.join(id_by_ref, on="transfer", how="left").join(
        latest, on="transfer_id", how="left"
    )
    changed = table.filter(
        pl.col("findings_before").is_null()
        | (pl.col("findings_before") != pl.col("findings"))
        | (pl.col("catalog_before") != catalog.version)
    )
    verdicts = changed.select(
        "transfer_id",
        "verdict_before",
        pl.col("verdict").cast(pl.String).alias("verdict_after"),
    )
    if changed.is_empty():
        # Nothing changed (as when a transfer is screened again on unchanged facts): no
        # rule to list, and listing none costs as much as listing a few.
        changes = verdicts.with_columns(pl.lit(None, dtype=pl.String).alias("rules_changed"))
        return _Screened(table, changed, changes, screening)
    across = pl.col("catalog_before").is_not_null() & (pl.col("catalog_before") != catalog.version)
    crossed = changed.filter(across)
    within = changed.filter(~across.fill_null(False))
    rules_changed = _rules_changed(within, catalog)
    if crossed.height:
        # Screened under another catalog before: both sides listed, each by its own ids.
        rules_changed = pl.concat(
            [
                rules_changed.with_columns(json_text("rules_changed")),
                across_catalogs(crossed, catalog.ids),
            ]
        )
    changes = verdicts.join(rules_changed, on="transfer_id", how="inner")
    return _Screened(table, changed, changes, screening)


def _store_chunk(run: ScreeningRun, screened: _Screened) -> None:
    """Store a chunk's changed screenings and the run's changes, in one transaction."""
    alone = not connection.in_atomic_block
    with transaction.atomic():
        if alone:
            # Only a chunk committed by itself: a caller's own transaction keeps its
            # durability (a single transfer's run is written in one).
            flush_at_leisure()
        point_latest(insert_screenings(screened.changed, run.as_of, run.catalog, run_id=run.pk))
        insert_frame(RunChange, screened.changes, {"run_id": run.pk})
        ScreeningRun.objects.filter(pk=run.pk).update(
            transfers_screened=run.transfers_screened + screened.table.height,
            changed=run.changed + screened.changes.height,
        )
    run.transfers_screened += screened.table.height
    run.changed += screened.changes.height


def _screen_chunk_in_thread(
    run: ScreeningRun, chunk: QuerySet[Transfer, Transfer], size: int
) -> _Screened:
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


def _screened_chunks(run: ScreeningRun, ids: list[int]) -> Iterator[_Screened]:
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
        ahead: Future[_Screened] = reader.submit(_screen_chunk_in_thread, run, *chunks[0])
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
) -> Iterator[_Screened]:
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
    with transaction.atomic():
        if run.status != "pending":
            _take_back(run)
        ids = list(pending_transfers(run.scope).order_by("id").values_list("id", flat=True))
        run.status = "running"
        run.started_at = timezone.now()
        run.transfers_in_scope = len(ids)
        run.transfers_screened = 0
        run.changed = 0
        run.error = ""
        run.save()
    if progress is not None:
        progress(0, len(ids))
    clock = time.perf_counter()
    befores: list[pl.DataFrame] = []
    afters: list[pl.DataFrame] = []
    tables: list[pl.DataFrame] = []
    try:
        for screened in _screened_chunks(run, ids):
            _store_chunk(run, screened)
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
    run.counts_before = _counts(before_all.cast(pl.String), len(ids))
    run.counts_after = _counts(
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

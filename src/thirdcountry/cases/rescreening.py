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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from thirdcountry.cases.bulk import insert_rows, insert_screenings, with_findings_sha256
from thirdcountry.cases.models import RunChange, Screening, ScreeningRun, Transfer
from thirdcountry.cases.selectors import screening_parameters, source_tables
from thirdcountry.registry.models import CourtOrder, ScreeningDefaults
from thirdcountry.rules.catalog_2026_1 import CATALOG
from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import empty_tables
from thirdcountry.screening import Screening as Screening_
from thirdcountry.screening import screen_tables

#: Transfers screened and written per transaction.
CHUNK = 100_000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunOutcome:
    """A finished run and, when asked for, the whole screening it made."""

    run: ScreeningRun
    screening: Screening_ | None


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
        as_of=as_of or ScreeningDefaults.current().as_of or date.today(),
        catalog=CATALOG.version,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return run


def _latest(transfers: QuerySet[Transfer, Transfer]) -> pl.DataFrame:
    """The latest screening per transfer of ``transfers``: its id, verdict and findings hash
    (no row for a transfer never screened)."""
    latest = (
        Screening.objects.filter(transfer__in=transfers)
        .values("transfer_id")
        .annotate(latest=Max("id"))
        .values("latest")
    )
    rows = Screening.objects.filter(id__in=latest).values_list(
        "transfer_id", "verdict", "findings_sha256", "id"
    )
    return pl.DataFrame(
        list(rows),
        schema={
            "transfer_id": pl.Int64,
            "verdict_before": pl.String,
            "sha_before": pl.String,
            "screening_id": pl.Int64,
        },
        orient="row",
    )


def _findings_of(screening_ids: list[int]) -> dict[int, Any]:
    """Stored findings by transfer id, read in slices under the databases' parameter limits."""
    found: dict[int, Any] = {}
    for start in range(0, len(screening_ids), 10_000):
        found.update(
            Screening.objects.filter(id__in=screening_ids[start : start + 10_000]).values_list(
                "transfer_id", "findings"
            )
        )
    return found


def _counts(verdicts: pl.Series, total: int) -> dict[str, int]:
    counted = verdicts.value_counts()
    found = dict(zip(counted[verdicts.name].to_list(), counted["count"].to_list(), strict=True))
    counts = {v: int(found.get(v, 0)) for v in ("clear", "review", "blocked")}
    counts["unscreened"] = total - sum(counts.values())
    return counts


def _rules_changed(before: list[dict[str, Any]] | None, row: dict[str, Any]) -> list[Any]:
    changes = []
    previous = {f["rule"]: f for f in before or []}
    for rule_id in CATALOG.ids:
        now = row[rule_id]
        then = previous.get(rule_id)
        if then is None or then["outcome"] != now["outcome"] or then["reason"] != now["reason"]:
            changes.append(
                {
                    "rule": rule_id,
                    "before": then["outcome"] if then else None,
                    "after": now["outcome"],
                    "reason": now["reason"],
                }
            )
    return changes


def _screen_chunk(
    run: ScreeningRun, chunk: QuerySet[Transfer, Transfer]
) -> tuple[pl.DataFrame, Screening_]:
    """Screen one chunk of transfers; write the changed screenings and the run's changes.
    Returns the verdicts before the run and the chunk's screening."""
    screening = screen_tables(source_tables(chunk), run.as_of, screening_parameters(), CATALOG)
    table = with_findings_sha256(screening.table, CATALOG)
    id_by_ref = pl.DataFrame(
        list(chunk.values_list("ref", "id")),
        schema={"transfer": pl.String, "transfer_id": pl.Int64},
        orient="row",
    )
    table = table.join(id_by_ref, on="transfer", how="left").join(
        _latest(chunk), on="transfer_id", how="left"
    )
    changed = table.filter(
        pl.col("sha_before").is_null() | (pl.col("sha_before") != pl.col("findings_sha256"))
    )
    before_findings = _findings_of(changed.get_column("screening_id").drop_nulls().to_list())
    changes = [
        {
            "run_id": run.pk,
            "transfer_id": row["transfer_id"],
            "verdict_before": row["verdict_before"],
            "verdict_after": row["verdict"],
            "rules_changed": _rules_changed(before_findings.get(row["transfer_id"]), row),
        }
        for row in changed.iter_rows(named=True)
    ]
    with transaction.atomic():
        insert_screenings(changed, run.as_of, CATALOG, run_id=run.pk)
        insert_rows(RunChange, changes)
        ScreeningRun.objects.filter(pk=run.pk).update(
            transfers_screened=run.transfers_screened + table.height,
            changed=run.changed + len(changes),
        )
    run.transfers_screened += table.height
    run.changed += len(changes)
    return table.select("verdict_before"), screening


def execute_run(
    run: ScreeningRun, progress: Progress | None = None, *, keep_screening: bool = False
) -> RunOutcome:
    """Carry out a run (again, if an earlier attempt was interrupted) until it is complete.

    With ``keep_screening``, the outcome also holds the whole screening (every transfer in
    scope, changed or not), as ``thirdcountry screen`` prints it.
    """
    with transaction.atomic():
        # What an interrupted attempt wrote is taken back, so the diff stays whole.
        Screening.objects.filter(run=run).delete()
        RunChange.objects.filter(run=run).delete()
        ids = list(pending_transfers(run.scope).order_by("id").values_list("id", flat=True))
        run.status = "running"
        run.started_at = timezone.now()
        run.transfers_in_scope = len(ids)
        run.transfers_screened = 0
        run.changed = 0
        run.error = ""
        run.save()
    clock = time.perf_counter()
    befores, tables = [], []
    try:
        for start in range(0, len(ids), CHUNK):
            first, last = ids[start], ids[min(start + CHUNK, len(ids)) - 1]
            chunk = pending_transfers(run.scope).filter(id__gte=first, id__lte=last)
            before, chunk_screening = _screen_chunk(run, chunk)
            befores.append(before)
            tables.append(chunk_screening.table)
            if progress is not None:
                progress(run.transfers_screened, len(ids))
    except Exception as error:
        ScreeningRun.objects.filter(pk=run.pk).update(status="failed", error=str(error)[:2000])
        raise
    before_all = pl.concat(befores).to_series() if befores else pl.Series("verdict_before", [])
    after_all = pl.concat([t.select("verdict") for t in tables]).to_series() if tables else None
    run.counts_before = _counts(before_all.cast(pl.String), len(ids))
    run.counts_after = _counts(
        after_all.cast(pl.String) if after_all is not None else pl.Series("verdict", []),
        len(ids),
    )
    run.duration_seconds = time.perf_counter() - clock
    run.finished_at = timezone.now()
    run.status = "complete"
    run.save()
    screening: Screening_ | None = None
    if keep_screening:
        table = pl.concat(tables) if tables else evaluate(build_facts(empty_tables(), run.as_of))
        screening = Screening_(as_of=run.as_of, catalog=CATALOG, table=table)
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

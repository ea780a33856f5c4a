"""Background work: a queued re-screening run, carried out by `thirdcountry worker`, and the
choice a legal event makes between re-screening now and queuing a run."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django_tasks import task

from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.rescreening import execute_run, rescreen, start_run
from thirdcountry.cases.run_scope import pending_transfers

#: Up to this many pending transfers, an event re-screens at once, in the same request, so the
#: page can show what changed; beyond it the run goes to the background worker.
INLINE_LIMIT = 5_000


@task()
def execute_screening_run(run_id: int) -> int:
    """Carry out a queued run; returns how many transfers' findings changed."""
    run = ScreeningRun.objects.get(pk=run_id)
    if run.status == "complete":
        return int(run.changed)
    return int(execute_run(run).run.changed)


def queue_run(
    scope: dict[str, Any],
    trigger: str | None = None,
    as_of: date | None = None,
    user: Any = None,
) -> ScreeningRun:
    """Record a run and queue it for the background worker; returns at once.

    The queue entry is written in the same transaction as the run, so a run is queued
    exactly when it is recorded.
    """
    with transaction.atomic():
        run = start_run(scope, trigger, as_of, user)
        execute_screening_run.enqueue(run.pk)
    return run


def rescreen_for_event(
    scope: dict[str, Any], trigger: str, user: Any = None, as_of: date | None = None
) -> ScreeningRun:
    """Re-screen what a legal event touches: now when it is small, else in the background."""
    if pending_transfers(scope).count() <= INLINE_LIMIT:
        return rescreen(scope, trigger, as_of, user)
    return queue_run(scope, trigger, as_of, user)

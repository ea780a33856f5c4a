"""Background work: a queued re-screening run, carried out by `thirdcountry worker`."""

from __future__ import annotations

from django_tasks import task

from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.rescreening import execute_run


@task()
def execute_screening_run(run_id: int) -> int:
    """Carry out a queued run; returns how many transfers' findings changed."""
    run = ScreeningRun.objects.get(pk=run_id)
    if run.status == "complete":
        return int(run.changed)
    return int(execute_run(run).run.changed)

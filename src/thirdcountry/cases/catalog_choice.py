"""Choosing the catalog new screenings are made under: a stored setting with its history,
and a run that re-screens every pending transfer under the catalog chosen, so the run's
changes show, transfer by transfer, what changed between the catalogs."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.rescreening import Progress, execute_run, start_run
from thirdcountry.history import save_with_history
from thirdcountry.registry.models import CatalogChoice
from thirdcountry.registry.selectors import current_catalog
from thirdcountry.rules import catalogs


def use_catalog(
    version: str,
    *,
    user: Any = None,
    reason: str | None = None,
    progress: Progress | None = None,
) -> ScreeningRun:
    """Make ``version`` the current catalog and re-screen every pending transfer under it
    as one run (returned, complete). :class:`~thirdcountry.rules.catalogs.UnknownCatalog`
    if no such catalog is registered."""
    catalogs.any_catalog(version)
    with transaction.atomic():
        choice = CatalogChoice.objects.select_for_update().filter(pk=1).first()
        before = current_catalog()
        if choice is None:
            choice = CatalogChoice(pk=1)
        choice.version = version
        save_with_history(choice, user, reason or f"catalog {before} → {version}")
        run = start_run(
            {"all": True},
            f"catalog {before} → {version}: every pending transfer re-screened",
            user=user,
        )
    return execute_run(run, progress).run

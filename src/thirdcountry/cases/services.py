"""Writes of case records: screening the stored world and keeping each verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from thirdcountry.cases.bulk import insert_screenings
from thirdcountry.cases.selectors import screening_parameters, source_tables
from thirdcountry.registry.models import ScreeningDefaults
from thirdcountry.rules.catalog_2026_1 import CATALOG
from thirdcountry.screening import Screening, screen_tables


@dataclass(frozen=True)
class StoredScreening:
    """A screening of stored transfers and how many verdict rows it wrote."""

    screening: Screening
    stored: int


def default_as_of() -> date:
    """The stored world's screening date if one was loaded, else today."""
    return ScreeningDefaults.current().as_of or date.today()


def screen_stored(
    as_of: date | None = None, transfers: QuerySet[Any, Any] | None = None
) -> StoredScreening:
    """Screen every proposed transfer in storage (or those in ``transfers``) and store each
    verdict with its findings, as-of date, catalog version and facts hash."""
    when = as_of or default_as_of()
    screening = screen_tables(source_tables(transfers), when, screening_parameters(), CATALOG)
    with transaction.atomic():
        stored = insert_screenings(screening.table, when, CATALOG)
    return StoredScreening(screening, stored)

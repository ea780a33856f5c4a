"""The rules engine: the safeguard catalogs and their evaluation over a facts table.

Plain Python and Polars; it imports nothing of the web application or the database.
"""

from thirdcountry.rules.catalog import Catalog, Rule
from thirdcountry.rules.catalogs import UnknownCatalog, catalog, current, versions
from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import SourceTables, tables_from_scenario

__all__ = [
    "Catalog",
    "Rule",
    "SourceTables",
    "UnknownCatalog",
    "build_facts",
    "catalog",
    "current",
    "evaluate",
    "tables_from_scenario",
    "versions",
]

"""The rules engine: the safeguard catalog and its evaluation over a facts table.

Plain Python and Polars; it imports nothing of the web application or the database.
"""

from thirdcountry.rules.catalog import CATALOG_VERSION, Catalog, Rule
from thirdcountry.rules.catalog_2026_1 import CATALOG
from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import SourceTables, tables_from_scenario

__all__ = [
    "CATALOG",
    "CATALOG_VERSION",
    "Catalog",
    "Rule",
    "SourceTables",
    "build_facts",
    "evaluate",
    "tables_from_scenario",
]

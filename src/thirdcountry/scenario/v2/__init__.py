"""Scenario files of the second version (``thirdcountry/scenario@2``), read by catalog 2026.2.

A reader takes an @2 document, or an @1 one read as @2 (SCENARIO.md, "Reading an @1 document
as @2"); a writer always writes @2.
"""

from thirdcountry.scenario.problems import FieldError, ScenarioError
from thirdcountry.scenario.v2.catalog_rows import CATALOG_2026_2_R1, CatalogRows
from thirdcountry.scenario.v2.from_v1 import scenario_from_v1
from thirdcountry.scenario.v2.model import FORMAT, UNKNOWN, Scenario
from thirdcountry.scenario.v2.read import load_scenario_v2, loads_scenario_v2, parse_scenario_v2
from thirdcountry.scenario.v2.write import scenario_to_document, scenario_to_json

__all__ = [
    "CATALOG_2026_2_R1",
    "FORMAT",
    "UNKNOWN",
    "CatalogRows",
    "FieldError",
    "Scenario",
    "ScenarioError",
    "load_scenario_v2",
    "loads_scenario_v2",
    "parse_scenario_v2",
    "scenario_from_v1",
    "scenario_to_document",
    "scenario_to_json",
]

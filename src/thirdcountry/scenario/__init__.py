"""Scenario files (``thirdcountry/scenario@1``): domain types, parsing and validation."""

from thirdcountry.scenario.model import UNKNOWN, Scenario, Unknown
from thirdcountry.scenario.parse import (
    FieldError,
    ScenarioError,
    load_scenario,
    loads_scenario,
    parse_scenario,
)

__all__ = [
    "UNKNOWN",
    "FieldError",
    "Scenario",
    "ScenarioError",
    "Unknown",
    "load_scenario",
    "loads_scenario",
    "parse_scenario",
]

"""thirdcountry: case management and legal-safeguard screening for third-country transfers."""

from thirdcountry.scenario import ScenarioError, load_scenario, loads_scenario, parse_scenario
from thirdcountry.screening import (
    Finding,
    Screening,
    Verdict,
    screen_file,
    screen_scenario,
    screen_tables,
)

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "ScenarioError",
    "Screening",
    "Verdict",
    "__version__",
    "load_scenario",
    "loads_scenario",
    "parse_scenario",
    "screen_file",
    "screen_scenario",
    "screen_tables",
]

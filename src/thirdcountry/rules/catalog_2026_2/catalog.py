"""Catalog 2026.2 as a whole: its rules in order, its data revision, and the screening of a
scenario@2 world on a date (RULES-2026.2 §1.3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from thirdcountry.rules.catalog import Outcome
from thirdcountry.rules.catalog_2026_2.case import Case
from thirdcountry.rules.catalog_2026_2.data import catalog_data
from thirdcountry.rules.catalog_2026_2.reasons import Reason
from thirdcountry.rules.catalog_2026_2.rule import Rule
from thirdcountry.rules.catalog_2026_2.world import World
from thirdcountry.scenario.v2.model import Scenario

_SEVERITY = {"pass": 0, "review": 1, "blocked": 2}
_VERDICT = ("clear", "review", "blocked")


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's finding on one transfer: outcome, reason and the reason's parameters."""

    rule: Rule
    outcome: Outcome
    reason: Reason
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Result:
    """The screening of one proposed transfer: its verdict and one finding per rule."""

    transfer: str
    verdict: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class CatalogV2:
    """The rules of a catalog in rule-number order, and the data revision it ships."""

    version: str
    data_revision: str
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        numbers = [r.number for r in self.rules]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("rules must be numbered 1, 2, … in catalog order")

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids in catalog order."""
        return tuple(r.id for r in self.rules)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id."""
        for candidate in self.rules:
            if candidate.id == rule_id:
                return candidate
        raise KeyError(rule_id)

    def reason(self, code: str) -> Reason:
        """The reason with this code (``rule-id.slug``)."""
        return self.rule(code.partition(".")[0]).reason(code)

    def world(self, scenario: Scenario, day: dt.date) -> World:
        """The scenario indexed for screening on ``day`` with this catalog's data."""
        return World(scenario, day, catalog_data(self.data_revision))

    def screen_transfer(self, world: World, transfer_ref: str) -> Result:
        """Screen one transfer of a prepared world (§1.3)."""
        transfer = next(t for t in world.scenario.transfers if t.ref == transfer_ref)
        case = Case(world, transfer)
        findings = []
        for rule in self.rules:
            outcome, reason, params = rule(case)
            findings.append(Finding(rule, outcome, reason, params))
        worst = max(_SEVERITY[f.outcome] for f in findings)
        return Result(transfer.ref, _VERDICT[worst], tuple(findings))

    def screen(self, scenario: Scenario, day: dt.date) -> list[Result]:
        """Screen every proposed transfer of ``scenario`` on ``day``, in file order."""
        world = self.world(scenario, day)
        return [
            self.screen_transfer(world, t.ref) for t in scenario.transfers if t.status == "proposed"
        ]

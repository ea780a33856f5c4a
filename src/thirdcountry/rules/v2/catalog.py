"""A scenario@2 catalog as a whole: its rules in order, their reasons, the catalog data it
ships, and the screening of a world on a date (RULES-2026.2 §1.3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from thirdcountry.rules.catalog import Outcome
from thirdcountry.rules.v2.case import Case
from thirdcountry.rules.v2.data import CatalogData
from thirdcountry.rules.v2.rule import Reason, Rule
from thirdcountry.rules.v2.world import World
from thirdcountry.scenario.v2.model import Scenario, Transfer

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
    """The rules of a catalog in rule-number order, their reasons in the catalog's order, and
    the catalog data it ships (whose revision every verdict names)."""

    version: str
    rules: tuple[Rule, ...]
    reasons: tuple[Reason, ...]
    data: CatalogData

    def __post_init__(self) -> None:
        numbers = [r.number for r in self.rules]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("rules must be numbered 1, 2, and so on, in catalog order")
        ids = set(self.ids)
        for reason in self.reasons:
            if reason.rule not in ids:
                raise ValueError(f"reason {reason.code} belongs to no rule of the catalog")
        if len(self._by_code) != len(self.reasons):
            raise ValueError("each reason code once")

    @cached_property
    def _by_code(self) -> dict[str, Reason]:
        return {reason.code: reason for reason in self.reasons}

    @cached_property
    def _by_slug(self) -> dict[tuple[str, str], tuple[Reason, frozenset[str]]]:
        return {
            (r.rule, r.code.partition(".")[2]): (r, frozenset(p.name for p in r.params))
            for r in self.reasons
        }

    @property
    def data_revision(self) -> str:
        """The revision of the catalog data it ships."""
        return self.data.catalog_data

    def reasons_of(self, rule: Rule) -> tuple[Reason, ...]:
        """A rule's reasons, in the order the catalog lists them."""
        return tuple(r for r in self.reasons if r.rule == rule.id)

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
        return self._by_code[code]

    def world(self, scenario: Scenario, day: dt.date) -> World:
        """The scenario indexed for screening on ``day`` with this catalog's data."""
        return World(scenario, day, self.data)

    def decide(self, rule: Rule, case: Case) -> Finding:
        """The rule's finding on one case, checked against the reason it names."""
        decision = rule.function(case)
        found = self._by_slug.get((rule.id, decision.slug))
        if found is None:
            raise KeyError(f"{rule.id} gave {decision.slug!r}, not one of its reasons")
        reason, names = found
        if decision.params.keys() != names:
            raise ValueError(f"{reason.code}: parameters {sorted(decision.params)}")
        return Finding(rule, reason.outcome, reason, decision.params)

    def screen_transfer(self, world: World, transfer: Transfer) -> Result:
        """Screen one transfer of a prepared world (§1.3)."""
        case = Case(world, transfer)
        findings = [self.decide(rule, case) for rule in self.rules]
        worst = max(_SEVERITY[f.outcome] for f in findings)
        return Result(transfer.ref, _VERDICT[worst], tuple(findings))

    def screen(self, scenario: Scenario, day: dt.date) -> list[Result]:
        """Screen every proposed transfer of ``scenario`` on ``day``, in file order."""
        world = self.world(scenario, day)
        return [
            self.screen_transfer(world, t) for t in scenario.transfers if t.status == "proposed"
        ]

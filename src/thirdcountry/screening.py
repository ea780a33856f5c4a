"""Screen proposed transfers and read the results: the Python API behind every interface.

>>> from thirdcountry import screen_file
>>> screening = screen_file("seed-world.json")
>>> screening.verdict("T-101").verdict
'clear'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Final, Literal

import polars as pl

from thirdcountry.findings import OrderLabel, Renderer, decode_part
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import Catalog, Outcome
from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import SourceTables, tables_from_scenario
from thirdcountry.scenario.model import Parameters, Scenario
from thirdcountry.scenario.parse import load_scenario

VERDICTS_FORMAT: Final = "thirdcountry/verdicts@1"
VerdictName = Literal["clear", "review", "blocked"]


@dataclass(frozen=True, slots=True)
class Finding:
    """What one rule found for one transfer: the outcome, the reason code and its typed
    parameters (the data), and the reason and legal basis rendered in English from them."""

    rule: str
    outcome: Outcome
    code: str | None
    params: dict[str, Any]
    reason: str
    basis: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The screening of one proposed transfer: its verdict and a finding per rule."""

    transfer: str
    verdict: VerdictName
    facts_sha256: str
    findings: tuple[Finding, ...]

    @property
    def not_passing(self) -> dict[str, Outcome]:
        """The rules that did not pass, with their outcome, in catalog order."""
        return {f.rule: f.outcome for f in self.findings if f.outcome != "pass"}

    def finding(self, rule: str) -> Finding:
        """The finding of one rule."""
        for candidate in self.findings:
            if candidate.rule == rule:
                return candidate
        raise KeyError(rule)

    def to_dict(self) -> dict[str, Any]:
        """This verdict as an entry of the verdicts document's ``results``."""
        return {
            "transfer": self.transfer,
            "verdict": self.verdict,
            "facts_sha256": self.facts_sha256,
            "findings": [
                {
                    "rule": f.rule,
                    "outcome": f.outcome,
                    "reason": f.reason,
                    "code": f.code,
                    "params": f.params,
                    "basis": f.basis,
                }
                for f in self.findings
            ],
        }


@dataclass(frozen=True)
class Screening:
    """The result of screening a world on one date against one catalog.

    ``table`` holds the findings as a Polars DataFrame (one row per proposed transfer, in
    order); ``results`` gives them as typed objects, built on first use.
    """

    as_of: date
    catalog: Catalog
    table: pl.DataFrame
    #: The court orders of the world screened, so findings can say what each order is.
    orders: Mapping[str, OrderLabel] = field(default_factory=dict)

    @cached_property
    def results(self) -> tuple[Verdict, ...]:
        """A :class:`Verdict` per proposed transfer, in order, its reasons in English."""
        rules = self.catalog.rules
        renderer = Renderer(self.catalog, orders=self.orders)
        stored = self.table.select(
            "transfer", "verdict", "facts_sha256",
            *(pl.col(r.id).struct.field("finding").alias(r.id) for r in rules),
        )  # fmt: skip
        sentences = renderer.sentences(stored.select(self.catalog.ids))
        verdicts = []
        for row, reasons in zip(stored.iter_rows(), sentences.iter_rows(), strict=True):
            findings = []
            for rule, part, reason in zip(rules, row[3:], reasons, strict=True):
                decoded = decode_part(rule, part)
                findings.append(
                    Finding(
                        rule.id, decoded.outcome, decoded.code, decoded.params, reason, rule.basis
                    )
                )
            verdicts.append(Verdict(row[0], row[1], row[2], tuple(findings)))
        return tuple(verdicts)

    def __iter__(self) -> Iterator[Verdict]:
        return iter(self.results)

    def __len__(self) -> int:
        return self.table.height

    def verdict(self, transfer: str) -> Verdict:
        """The verdict of one transfer, by its ref."""
        for candidate in self.results:
            if candidate.transfer == transfer:
                return candidate
        raise KeyError(transfer)

    def counts(self) -> dict[str, int]:
        """How many transfers have each verdict."""
        counted = dict(self.table.group_by("verdict").len().iter_rows())
        return {name: counted.get(name, 0) for name in ("clear", "review", "blocked")}

    def to_document(self) -> dict[str, Any]:
        """The ``thirdcountry/verdicts@1`` document of SCENARIO.md."""
        return {
            "format": VERDICTS_FORMAT,
            "as_of": self.as_of.isoformat(),
            "catalog": self.catalog.version,
            "results": [v.to_dict() for v in self.results],
        }


def screen_tables(
    sources: SourceTables,
    as_of: date,
    parameters: Parameters | None = None,
    catalog: Catalog | str | None = None,
    orders: Mapping[str, OrderLabel] | None = None,
) -> Screening:
    """Screen every proposed transfer in ``sources`` on ``as_of`` against ``catalog`` (a
    catalog, a registered version, or by default the current catalog). ``orders`` describe
    the court orders findings may mention."""
    chosen = catalogs.resolve(catalog)
    facts = build_facts(sources, as_of, parameters)
    return Screening(
        as_of=as_of, catalog=chosen, table=evaluate(facts, chosen), orders=orders or {}
    )


def screen_scenario(
    scenario: Scenario, as_of: date | None = None, catalog: Catalog | str | None = None
) -> Screening:
    """Screen a parsed scenario. The date is ``as_of`` if given, else the scenario's own
    ``as_of``, else today; the catalog as for :func:`screen_tables`."""
    when = as_of or scenario.as_of or date.today()
    return screen_tables(
        tables_from_scenario(scenario),
        when,
        scenario.parameters,
        catalog,
        order_labels(scenario),
    )


def order_labels(scenario: Scenario) -> dict[str, OrderLabel]:
    """What each court order of a scenario is, for the findings that mention it."""
    labels = {}
    for order in scenario.court_orders or ():
        scope = order.scope
        labels[order.ref] = OrderLabel(
            order.ref,
            order.kind,
            order.issuer,
            order.issued.isoformat(),
            person=scope.person,
            arrangement=scope.arrangement,
            sending=scope.sending,
            destination=scope.destination,
        )
    return labels


def screen_file(
    path: str | Path, as_of: date | None = None, catalog: Catalog | str | None = None
) -> Screening:
    """Read, validate and screen a scenario file (``"-"`` reads standard input); the date
    and catalog as for :func:`screen_scenario`.

    Raises :class:`thirdcountry.scenario.ScenarioError` listing every problem in a bad file.
    """
    return screen_scenario(load_scenario(path), as_of, catalog)

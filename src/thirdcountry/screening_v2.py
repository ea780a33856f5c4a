"""Screening a scenario@2 world under catalog 2026.2, and its ``thirdcountry/verdicts@2``
document (SCENARIO.md): one result per proposed transfer, in file order, each finding with
its reason as data (code and typed parameters), its sentence and its basis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Final

import msgspec

from thirdcountry.findings.render_v2 import RendererV2
from thirdcountry.rules.v2.catalog import CatalogV2, Finding, Result
from thirdcountry.rules.v2.world import World
from thirdcountry.scenario.model import Amount
from thirdcountry.scenario.v2.model import UNKNOWN, Scenario, Transfer

FORMAT: Final = "thirdcountry/verdicts@2"


def _encode(value: Any) -> Any:
    if isinstance(value, Amount):
        return str(value)
    raise NotImplementedError(type(value))


def _or_unknown(value: Any) -> Any:
    return "unknown" if value is UNKNOWN else value


def param_json(value: Any) -> Any:
    """A parameter as the document holds it: dates as strings, lists as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [param_json(v) for v in value]
    return value


def _channel_key(transfer: Transfer) -> tuple[str | None, str, str]:
    if transfer.arrangement is not None:
        return (transfer.arrangement, "", "")
    return (None, transfer.sending, transfer.destination)


def _channel_sha256(world: World, transfer: Transfer) -> str:
    """A fingerprint of what a screening reads of ``transfer``'s channel (RULES-2026.2
    §2.11, §2.12): every transfer of it with its person's ref, status and date, the
    monitoring of the executed ones (it places persons and records onward removals), and
    what the record shows of the fears of the persons an executed transfer records as sent
    on (an onward removal is weighed by them). Nothing else of the channel's persons is
    read, so a fact of theirs changes no other transfer's fingerprint. The same for every
    transfer of the channel, so it is made once per channel."""
    others = world.channel(transfer)
    executed = [u for u in others if u.status == "executed"]
    sent_on = [
        world.persons.get(u.person)
        for u in executed
        if any(m.kind == "onward_removal" for m in u.monitoring)
    ]
    read = {
        "others": [(u.ref, u.person, u.status, u.planned_date) for u in others],
        "monitoring": [(u.ref, u.monitoring) for u in executed],
        "others_fears": [
            (p.ref, _or_unknown(p.fear_claims), _or_unknown(p.protections))
            for p in sent_on
            if p is not None
        ],
    }
    encoded = msgspec.json.encode(read, enc_hook=_encode, order="sorted")
    return hashlib.sha256(encoded).hexdigest()


def facts_sha256(
    world: World,
    transfer: Transfer,
    revision: str,
    channels: dict[tuple[str | None, str, str], str] | None = None,
) -> str:
    """A fingerprint of the facts a screening of ``transfer`` reads (SCENARIO.md,
    verdicts@2): its own record, its person, arrangement, the destination's assessments,
    every order, class, designation, assurance, scenario legal basis and regime, the
    parameters, its channel (:func:`_channel_sha256`) and the data revision. Never the
    screening date. ``channels`` keeps each channel's fingerprint across calls (a world's
    transfers share a few channels: without it the work grows with the square of their
    number)."""
    s = world.scenario
    key = _channel_key(transfer)
    channel = None if channels is None else channels.get(key)
    if channel is None:
        channel = _channel_sha256(world, transfer)
        if channels is not None:
            channels[key] = channel
    read = {
        "revision": revision,
        "transfer": transfer,
        "person": world.persons.get(transfer.person),
        "arrangement": world.arrangements.get(transfer.arrangement or ""),
        "assessments": [c for c in s.countries if c.code == transfer.destination],
        "court_orders": s.court_orders,
        "classes": s.classes,
        "designations": s.designations,
        "assurances": s.assurances,
        "legal_bases": s.legal_bases,
        "regimes": s.regimes,
        "parameters": s.parameters,
        "channel": channel,
    }
    encoded = msgspec.json.encode(read, enc_hook=_encode, order="sorted")
    return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class ScreeningV2:
    """The screening of a scenario@2 world on one date under catalog 2026.2."""

    as_of: dt.date
    catalog: CatalogV2
    world: World
    results: tuple[Result, ...]
    #: Each channel's fingerprint, made once (see :func:`facts_sha256`).
    _channels: dict[tuple[str | None, str, str], str] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __iter__(self) -> Any:
        return iter(self.results)

    def result(self, transfer: str) -> Result:
        """The result of one proposed transfer; ``KeyError`` if there is none."""
        for result in self.results:
            if result.transfer == transfer:
                return result
        raise KeyError(transfer)

    def counts(self) -> dict[str, int]:
        """How many transfers got each verdict."""
        counts = dict.fromkeys(("clear", "review", "blocked"), 0)
        for result in self.results:
            counts[result.verdict] += 1
        return counts

    def finding_json(self, finding: Finding, renderer: RendererV2) -> dict[str, Any]:
        """One finding as verdicts@2 holds it."""
        return {
            "rule": finding.rule.id,
            "outcome": finding.outcome,
            "reason": {
                "code": finding.reason.code,
                "params": {k: param_json(v) for k, v in finding.params.items()},
            },
            "text": renderer.text(finding),
            "basis": renderer.basis(finding),
        }

    def result_json(self, result: Result, renderer: RendererV2) -> dict[str, Any]:
        """One transfer's result as verdicts@2 holds it."""
        return {
            "transfer": result.transfer,
            "verdict": result.verdict,
            "facts_sha256": facts_sha256(
                self.world,
                self.world.transfers[result.transfer],
                self.catalog.data_revision,
                self._channels,
            ),
            "findings": [self.finding_json(f, renderer) for f in result.findings],
        }

    def to_document(self, language: str = "en") -> dict[str, Any]:
        """The ``thirdcountry/verdicts@2`` document, rendered in ``language``."""
        renderer = RendererV2(self.world, language)
        return {
            "format": FORMAT,
            "as_of": self.as_of.isoformat(),
            "catalog": self.catalog.version,
            "catalog_data": self.catalog.data_revision,
            "results": [self.result_json(r, renderer) for r in self.results],
        }


def screen_scenario_v2(
    scenario: Scenario, catalog: CatalogV2, as_of: dt.date | None = None
) -> ScreeningV2:
    """Screen every proposed transfer of a scenario@2 world on ``as_of``, else the file's
    ``as_of``, else today (RULES-2026.2 §1.1)."""
    day = as_of or scenario.as_of or dt.date.today()
    world = catalog.world(scenario, day)
    results = tuple(
        catalog.screen_transfer(world, t) for t in scenario.transfers if t.status == "proposed"
    )
    return ScreeningV2(day, catalog, world, results)

"""Stored findings of a scenario@2 catalog (2026.2) as a reader reads them: rendered by
:class:`~thirdcountry.findings.render_v2.RendererV2` on the stored world's records they name,
in the reader's language, and for those who may not see personal data with every person
replaced by its pseudonym."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from thirdcountry.cases.world_v2 import stored_scenario_v2
from thirdcountry.findings.render import translate
from thirdcountry.findings.render_v2 import RendererV2
from thirdcountry.findings.stored_v2 import decode_finding, decode_findings, params_json
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.registry.models import CourtOrder, ScreeningDefaults
from thirdcountry.rules.v2.catalog import CatalogV2, Finding

#: The parameter types that name a stored record by its ref.
_RECORD_TYPES = frozenset({"person", "arrangement", "order", "orders"})


def _named(findings: Iterable[Finding], types: frozenset[str]) -> set[str]:
    found: set[str] = set()
    for finding in findings:
        for param in finding.reason.params:
            value = finding.params[param.name]
            if param.type in types and value is not None:
                found.update(value if isinstance(value, list | tuple) else [value])
    return found


def renderer_v2(
    catalog: CatalogV2, findings: list[Finding], *, personal: bool, language: str
) -> RendererV2:
    """A renderer for these findings and this reader, on the stored records they name and
    every court order (an order's conditions are regimes a finding may cite)."""
    refs = _named(findings, _RECORD_TYPES) | set(CourtOrder.objects.values_list("ref", flat=True))
    day = ScreeningDefaults.current().as_of or date.today()
    world = catalog.world(stored_scenario_v2(refs), day)
    pseudonyms = None
    if not personal:
        pseudonyms = {ref: pseudonym(ref) for ref in _named(findings, frozenset({"person"}))}
    return RendererV2(world, language, pseudonyms)


def shown_params(finding: Finding, renderer: RendererV2) -> dict[str, Any]:
    """A finding's parameters as data, as the reader may see them."""
    shown = params_json(finding)
    if renderer.pseudonyms is not None:
        for param in finding.reason.params:
            if param.type == "person" and shown[param.name] is not None:
                shown[param.name] = renderer.pseudonyms.get(shown[param.name], "")
    return shown


def shown_findings_v2(
    catalog: CatalogV2, stored: str, *, personal: bool, language: str
) -> list[dict[str, Any]]:
    """A stored screening's findings in catalog order as a reader reads them."""
    findings = decode_findings(catalog, stored)
    renderer = renderer_v2(catalog, findings, personal=personal, language=language)
    return [
        {
            "number": f.rule.number,
            "rule": f.rule.id,
            "title": translate(f.rule.title, language),
            "outcome": f.outcome,
            "code": f.reason.code,
            "params": shown_params(f, renderer),
            "reason": renderer.text(f),
            "basis": renderer.basis(f),
        }
        for f in findings
    ]


def shown_changes_v2(
    catalog: CatalogV2, changes: list[dict[str, Any]], *, personal: bool, language: str
) -> list[dict[str, Any]]:
    """Changed findings of one transfer (``{rule, before, after, finding}``) stored under
    ``catalog``, each with its reason rendered for the reader, its code and parameters."""
    findings = [decode_finding(catalog, catalog.rule(c["rule"]), c["finding"]) for c in changes]
    renderer = renderer_v2(catalog, findings, personal=personal, language=language)
    return [
        {
            "rule": change["rule"],
            "catalog": catalog.version,
            "before": change["before"],
            "after": change["after"],
            "code": finding.reason.code,
            "params": shown_params(finding, renderer),
            "reason": renderer.text(finding),
        }
        for change, finding in zip(changes, findings, strict=True)
    ]

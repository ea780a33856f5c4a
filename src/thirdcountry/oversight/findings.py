"""Stored findings as a reader reads them: rendered in the reader's language, with the
titles and bases of the catalog the screening was made under, and for those who may not see
personal data, every person ref replaced by its pseudonym and a birth date cut to its year.

Pages, the API, the command line and exports all read findings through this module, so what
a monitor sees is decided in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from thirdcountry.findings import Decoded, Renderer, decode_part, split_parts
from thirdcountry.findings.render import LANGUAGES
from thirdcountry.oversight.findings_v2 import shown_changes_v2, shown_findings_v2
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.registry.selectors import order_labels
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import Catalog
from thirdcountry.rules.v2.catalog import CatalogV2


@dataclass(frozen=True, slots=True)
class ShownFinding:
    """One finding as a reader reads it: the data (outcome, code, typed parameters, with
    person refs already pseudonymised for those who may not see them) and the sentences."""

    number: int
    rule: str
    title: str
    outcome: str
    code: str | None
    params: dict[str, Any]
    reason: str
    basis: str


def reader_language(language: str | None = None) -> str:
    """``language`` if given, else the active one, as one of the findings' languages."""
    chosen = (language or get_language() or "en")[:2]
    return chosen if chosen in LANGUAGES else "en"


def _refs(decoded: Iterable[Decoded], kinds: set[str]) -> set[str]:
    found: set[str] = set()
    for finding in decoded:
        if finding.reason is None:
            continue
        for name, kind in finding.reason.params:
            value = finding.params.get(name)
            if kind in kinds and value is not None:
                found.update(value if isinstance(value, list) else [value])
    return found


def renderer_for(
    catalog: Catalog, decoded: list[Decoded], *, personal: bool, language: str | None = None
) -> Renderer:
    """A renderer for these findings and this reader: the court orders they mention, and
    (for a reader who may not see personal data) the pseudonyms of every person in them."""
    orders = order_labels(_refs(decoded, {"court_orders"}))
    pseudonyms = None
    if not personal:
        people = _refs(decoded, {"person", "persons"})
        people |= {o.person for o in orders.values() if o.person is not None}
        pseudonyms = {ref: pseudonym(ref) for ref in people}
    return Renderer(catalog, reader_language(language), pseudonyms, orders)


def _params(finding: Decoded, renderer: Renderer) -> dict[str, Any]:
    """A finding's parameters as the reader may see them."""
    if renderer.pseudonyms is None or finding.reason is None:
        return finding.params
    shown: dict[str, Any] = {}
    for name, kind in finding.reason.params:
        value = finding.params[name]
        if value is not None and kind == "person":
            value = renderer.pseudonyms.get(value, "")
        elif value is not None and kind == "persons":
            value = [renderer.pseudonyms.get(v, "") for v in value]
        elif value is not None and kind == "birth_date":
            value = value[:4]
        shown[name] = value
    return shown


def shown_findings(
    catalog_version: str, stored: str, *, personal: bool, language: str | None = None
) -> list[ShownFinding]:
    """A stored screening's findings (made under ``catalog_version``) as a reader reads
    them, in catalog order."""
    found = catalogs.find_any(catalog_version)
    if isinstance(found, CatalogV2):
        return [
            ShownFinding(**shown)
            for shown in shown_findings_v2(
                found, stored, personal=personal, language=reader_language(language)
            )
        ]
    catalog = found
    if catalog is None:
        return []
    parts = split_parts(stored)
    decoded = [decode_part(rule, part) for rule, part in zip(catalog.rules, parts, strict=True)]
    renderer = renderer_for(catalog, decoded, personal=personal, language=language)
    reasons = renderer.reasons(parts)
    return [
        ShownFinding(
            rule.number,
            rule.id,
            renderer.title(rule),
            finding.outcome,
            finding.code,
            _params(finding, renderer),
            reason,
            renderer.basis(rule),
        )
        for rule, finding, reason in zip(catalog.rules, decoded, reasons, strict=True)
    ]


def shown_changes(
    catalog_version: str,
    rules_changed: list[dict[str, Any]],
    *,
    personal: bool,
    language: str | None = None,
) -> list[dict[str, Any]]:
    """A run's changed rules of one transfer (``{rule, before, after, finding}``) with the
    new finding's reason rendered for the reader (``reason``), its code and parameters,
    and the catalog it was made under (``catalog``): the run's, or for a finding of the
    screening before a change of catalog, that screening's (:mod:`~thirdcountry.cases.
    catalog_diff`), each in its original order."""
    groups: dict[str, list[int]] = {}
    for position, change in enumerate(rules_changed):
        groups.setdefault(change.get("catalog") or catalog_version, []).append(position)
    shown: list[dict[str, Any]] = [{} for _ in rules_changed]
    for version, positions in groups.items():
        changes = [rules_changed[p] for p in positions]
        for position, entry in zip(
            positions, _shown_changes_of(version, changes, personal, language), strict=True
        ):
            shown[position] = entry
    return shown


def _shown_changes_of(
    catalog_version: str,
    rules_changed: list[dict[str, Any]],
    personal: bool,
    language: str | None,
) -> list[dict[str, Any]]:
    found = catalogs.find_any(catalog_version)
    if isinstance(found, CatalogV2):
        return shown_changes_v2(
            found, rules_changed, personal=personal, language=reader_language(language)
        )
    catalog = found
    if catalog is None:
        return [
            {**c, "catalog": catalog_version, "reason": "", "code": None, "params": {}}
            for c in rules_changed
        ]
    decoded = [decode_part(catalog.rule(c["rule"]), c["finding"]) for c in rules_changed]
    renderer = renderer_for(catalog, decoded, personal=personal, language=language)
    shown = []
    for change, finding in zip(rules_changed, decoded, strict=True):
        rule = catalog.rule(change["rule"])
        shown.append(
            {
                "rule": change["rule"],
                "catalog": catalog_version,
                "before": change["before"],
                "after": change["after"],
                "code": finding.code,
                "params": _params(finding, renderer),
                "reason": renderer.reason_of(rule, change["finding"]),
            }
        )
    return shown

"""The stored form of a screening made under a scenario@2 catalog (2026.2), and reading it
back.

As for catalog 2026.1 (:mod:`thirdcountry.findings.stored`), a screening's findings are one
text with one part per rule, in catalog order, separated by ``RULE_SEP``, so what compares,
counts and filters stored screenings by rule works for both. A part is the reason's slug
(its code after the rule id), then, if the reason has parameters, ``PARAM_SEP`` and the
parameters in the reason's order as one JSON array (dates as ``YYYY-MM-DD``, unknown as
``null``). JSON escapes every control character, so no separator occurs inside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from thirdcountry.rules.catalog import PARAM_SEP, RULE_SEP
from thirdcountry.rules.v2.catalog import CatalogV2, Finding, Result
from thirdcountry.rules.v2.rule import Param, Rule


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def encode_finding(finding: Finding) -> str:
    """One finding's stored part."""
    slug = finding.reason.code.partition(".")[2]
    if not finding.reason.params:
        return slug
    values = [_json(finding.params[p.name]) for p in finding.reason.params]
    return slug + PARAM_SEP + msgspec.json.encode(values).decode()


def encode_result(result: Result) -> str:
    """A screening's stored findings: one part per rule, in catalog order."""
    return RULE_SEP.join(encode_finding(f) for f in result.findings)


def _typed(param: Param, value: Any) -> Any:
    if value is None:
        return None
    if param.type == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            # A date erased with its person's personal data is kept as its tombstone.
            return value
    return value


def decode_finding(catalog: CatalogV2, rule: Rule, part: str) -> Finding:
    """One rule's stored finding read back, its parameters typed as the rule gave them."""
    slug, _sep, encoded = part.partition(PARAM_SEP)
    reason = catalog.reason(f"{rule.id}.{slug}")
    values = msgspec.json.decode(encoded) if encoded else []
    if len(values) != len(reason.params):
        raise ValueError(
            f"{rule.id}: {len(values)} parameters stored, {reason.code} has {len(reason.params)}"
        )
    params = {p.name: _typed(p, v) for p, v in zip(reason.params, values, strict=True)}
    return Finding(rule, reason.outcome, reason, params)


def decode_findings(catalog: CatalogV2, stored: str) -> list[Finding]:
    """Every finding of a screening stored under ``catalog``, in catalog order."""
    parts = stored.split(RULE_SEP) if stored else []
    if len(parts) != len(catalog.rules):
        raise ValueError(
            f"{len(parts)} findings stored, catalog {catalog.version} has "
            f"{len(catalog.rules)} rules"
        )
    return [decode_finding(catalog, r, p) for r, p in zip(catalog.rules, parts, strict=True)]


def params_json(finding: Finding) -> dict[str, Any]:
    """A finding's parameters as data for a reader (dates as strings)."""
    return {p.name: _json(finding.params[p.name]) for p in finding.reason.params}

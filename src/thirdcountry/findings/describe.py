"""A catalog described for its readers, whatever its kind: each rule with its title, legal
basis and reasons (outcome, parameters, template) in the reader's language, and for a
catalog that ships data (2026.2) its legal bases and dated regimes with their force and
sources. The command line (``rules --format json``) and the catalog page show the same."""

from __future__ import annotations

from typing import Any

from thirdcountry.findings.render import Renderer, translate
from thirdcountry.findings.render_v2 import catalog_document
from thirdcountry.rules.catalog import Catalog
from thirdcountry.rules.v2.catalog import CatalogV2


def describe_catalog(catalog: Catalog | CatalogV2, language: str = "en") -> dict[str, Any]:
    """The catalog as :func:`thirdcountry.findings.render_v2.catalog_document` shapes it;
    a catalog without data has no ``catalog_data``, ``legal_bases`` or ``regimes``."""
    if isinstance(catalog, CatalogV2):
        return catalog_document(catalog, language)
    shown = Renderer(catalog, language)
    return {
        "catalog": catalog.version,
        "rules": [
            {
                "number": rule.number,
                "id": rule.id,
                "title": shown.title(rule),
                "basis": shown.basis(rule),
                "reasons": [
                    {
                        "code": r.code,
                        "outcome": r.outcome,
                        "params": dict(r.params),
                        "template": translate(r.template, language),
                    }
                    for r in rule.reasons
                ],
            }
            for rule in catalog.rules
        ],
    }

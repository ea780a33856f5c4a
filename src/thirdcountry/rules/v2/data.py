"""A catalog's data table (RULES-2026.2 §4): the law that changes over time, as dated rows,
shipped as a file in the catalog's package and named by its revision in every verdict.
"""

from __future__ import annotations

from importlib import resources

import msgspec

from thirdcountry.scenario.v2.model import LegalBasis, Regime


class CatalogData(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One revision of the catalog data: legal bases and regime rows, in table order."""

    catalog_data: str
    macrolanguage_table: str
    iso639_1_to_3: str
    legal_bases: tuple[LegalBasis, ...]
    regimes: tuple[Regime, ...]

    @property
    def legal_basis_codes(self) -> frozenset[str]:
        """The codes a scenario's own legal bases may not repeat."""
        return frozenset(b.code for b in self.legal_bases)

    @property
    def regime_ids(self) -> frozenset[str]:
        """The ids a scenario's own regimes may not repeat."""
        return frozenset(r.id for r in self.regimes)


def load_catalog_data(package: str, revision: str) -> CatalogData:
    """The catalog data of ``revision``, read from the ``data`` folder of ``package``."""
    raw = resources.files(package).joinpath("data").joinpath(f"{revision}.json").read_bytes()
    data = msgspec.json.decode(raw, type=CatalogData)
    if data.catalog_data != revision:
        raise ValueError(f"data file {revision}.json holds revision {data.catalog_data}")
    return data

"""Safeguard catalog ``2026.1``: the 17 rules of RULES.md, one module per family of rules."""

from thirdcountry.rules.catalog import Catalog
from thirdcountry.rules.catalog_2026_1.arrangement import (
    arrangement_cap,
    arrangement_in_force,
    arrangement_terms,
    receiving_acceptance,
)
from thirdcountry.rules.catalog_2026_1.court_orders import court_order
from thirdcountry.rules.catalog_2026_1.definition import third_country
from thirdcountry.rules.catalog_2026_1.due_process import final_decision, written_notice
from thirdcountry.rules.catalog_2026_1.protection import protection_granted, unaccompanied_minor
from thirdcountry.rules.catalog_2026_1.refoulement import (
    asylum_procedure,
    chain_refoulement,
    fear_of_destination,
)
from thirdcountry.rules.catalog_2026_1.welfare import (
    family_unity,
    fit_to_travel,
    identity_verified,
    reception_commitments,
)

CATALOG = Catalog(
    version="2026.1",
    rules=(
        third_country,
        arrangement_in_force,
        arrangement_cap,
        arrangement_terms,
        receiving_acceptance,
        unaccompanied_minor,
        protection_granted,
        final_decision,
        written_notice,
        fear_of_destination,
        chain_refoulement,
        asylum_procedure,
        court_order,
        family_unity,
        fit_to_travel,
        identity_verified,
        reception_commitments,
    ),
)

__all__ = ["CATALOG"]

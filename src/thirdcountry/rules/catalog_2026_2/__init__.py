"""Safeguard catalog ``2026.2`` (RULES-2026.2.md): 24 rules in a fixed order, each a small
function of one proposed transfer beside its legal basis, and the catalog data table (the law
that changes over time, as dated rows) shipped as a file and named in every verdict."""

from thirdcountry.rules.catalog_2026_2.arrangement import (
    arrangement_capacity,
    arrangement_in_force,
    arrangement_terms,
    planned_date,
    receiving_acceptance,
    third_country,
)
from thirdcountry.rules.catalog_2026_2.due_process import (
    fear_screening,
    fear_window,
    notice_language,
    written_notice,
)
from thirdcountry.rules.catalog_2026_2.person import (
    country_specific_protection,
    final_decision,
    unaccompanied_minor,
)
from thirdcountry.rules.catalog_2026_2.procedure import (
    asylum_procedure,
    court_order,
    safe_country_designation,
)
from thirdcountry.rules.catalog_2026_2.reasons import REASONS
from thirdcountry.rules.catalog_2026_2.refoulement import (
    assurances,
    chain_refoulement,
    fear_of_destination,
)
from thirdcountry.rules.catalog_2026_2.welfare import (
    family_unity,
    fit_to_travel,
    identity_verified,
    reception_commitments,
    treatment_on_arrival,
)
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.rules.v2.data import load_catalog_data

CATALOG = CatalogV2(
    version="2026.2",
    reasons=REASONS,
    data=load_catalog_data(__name__, "2026.2-r1"),
    rules=(
        planned_date,
        third_country,
        arrangement_in_force,
        arrangement_capacity,
        arrangement_terms,
        receiving_acceptance,
        unaccompanied_minor,
        country_specific_protection,
        final_decision,
        written_notice,
        notice_language,
        fear_window,
        fear_screening,
        fear_of_destination,
        chain_refoulement,
        assurances,
        asylum_procedure,
        safe_country_designation,
        court_order,
        treatment_on_arrival,
        family_unity,
        fit_to_travel,
        identity_verified,
        reception_commitments,
    ),
)

__all__ = ["CATALOG"]

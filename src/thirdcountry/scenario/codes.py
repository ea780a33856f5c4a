"""ISO code lists (3166-1 countries, 4217 currencies, 639 languages), looked up in pycountry."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def _languages() -> dict[str, str]:
    """Every accepted language code mapped to its ISO 639-3 code."""
    table: dict[str, str] = {}
    for language in pycountry.languages:
        alpha_3 = language.alpha_3
        table[alpha_3] = alpha_3
        alpha_2 = getattr(language, "alpha_2", None)
        if alpha_2:
            table[alpha_2] = alpha_3
    return table


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 country code, in upper case."""
    return code in _countries()


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code."""
    return code in _currencies()


def is_language(code: str) -> bool:
    """Whether ``code`` is an ISO 639-1 or ISO 639-3 language code."""
    return code in _languages()


def language_identity(code: str) -> str:
    """The ISO 639-3 code of a language given in ISO 639-1 or 639-3, so that ``ar`` and
    ``ara`` compare equal (rule 9 compares languages as languages, not as strings)."""
    return _languages()[code]


def country_name(code: str) -> str:
    """A country's short English name, or the code itself when it has none."""
    country = pycountry.countries.get(alpha_2=code)
    return str(country.name) if country is not None else code

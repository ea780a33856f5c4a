"""ISO code lists (3166-1 countries, 4217 currencies, 639 languages), looked up in pycountry,
and the types of the scenario format that hold them.

At run time each code type is a ``Literal`` of every valid code, so the decoder checks a code
in C as it reads it; to a type checker each is a plain ``str``. ``metadata`` says which list a
type draws from, so a problem can name the list and the API's description can show a pattern
instead of thousands of values.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated, Final, Literal, TypeAlias

import pycountry
from msgspec import Meta


@cache
def _countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


@cache
def language_table() -> dict[str, str]:
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


#: Kosovo's code: user-assigned in ISO 3166-1 (never to be assigned by ISO), used by the
#: European Commission, the IMF, SWIFT and Unicode CLDR. scenario@2 accepts it, and no other
#: user-assigned code.
KOSOVO: Final = "XK"


def is_country_v2(code: str) -> bool:
    """Whether ``code`` is a country code of scenario@2: ISO 3166-1 alpha-2 or ``XK``."""
    return code == KOSOVO or is_country(code)


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code."""
    return code in _currencies()


def is_language(code: str) -> bool:
    """Whether ``code`` is an ISO 639-1 or ISO 639-3 language code."""
    return code in language_table()


def language_identity(code: str) -> str:
    """The ISO 639-3 code of a language given in ISO 639-1 or 639-3, so that ``ar`` and
    ``ara`` compare equal (rule 9 compares languages as languages, not as strings)."""
    return language_table()[code]


#: What each code list is called in a problem, and the pattern the API describes it by.
CODE_LISTS: Final = {
    "country": ("an ISO 3166-1 alpha-2 country code", "^[A-Z]{2}$"),
    "country_v2": ("an ISO 3166-1 alpha-2 country code or XK (Kosovo)", "^[A-Z]{2}$"),
    "language": ("an ISO 639-1 or ISO 639-3 language code", "^[a-z]{2,3}$"),
    "currency": ("an ISO 4217 currency code", "^[A-Z]{3}$"),
}


def _code_type(kind: str, codes: frozenset[str] | set[str]) -> object:
    return Annotated[
        Literal[tuple(sorted(codes))],
        Meta(extra={"code": kind}, extra_json_schema={"x-code": kind}),
    ]


if TYPE_CHECKING:
    CountryCode: TypeAlias = str
    CountryCodeV2: TypeAlias = str
    LanguageCode: TypeAlias = str
    CurrencyCode: TypeAlias = str
else:
    CountryCode = _code_type("country", _countries())
    CountryCodeV2 = _code_type("country_v2", _countries() | {KOSOVO})
    LanguageCode = _code_type("language", set(language_table()))
    CurrencyCode = _code_type("currency", _currencies())

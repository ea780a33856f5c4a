"""Countries, languages and currencies chosen by name, in the page's language.

A person is recorded by caseworkers who know "Spanish", not ``spa``: the forms offer each code
list by name (pycountry's ISO 3166, 639 and 4217 lists, with their translations) and accept a
name, a name with its code in brackets, or the code itself; anything else is refused with the
names it may have meant, never stored as a guess.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from typing import Final

import pycountry
from django.utils.translation import get_language

from thirdcountry.scenario.codes import KOSOVO

#: The pycountry translation domain of each code list.
_DOMAINS: Final = {
    "country": "iso3166-1",
    "country_v2": "iso3166-1",
    "language": "iso639-3",
    "currency": "iso4217",
}
_BRACKETED = re.compile(r"\(([A-Za-z]{2,3})\)\s*$")


@cache
def _translation(kind: str, language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(_DOMAINS[kind], pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def _language() -> str:
    return (get_language() or "en").split("-")[0]


@cache
def _english(kind: str) -> tuple[tuple[str, str], ...]:
    """Every ``(code, English name)`` of a list, the codes as the scenario format writes
    them (countries upper case, languages in ISO 639-1 where one exists)."""
    if kind == "country":
        return tuple((c.alpha_2, c.name) for c in pycountry.countries)
    if kind == "country_v2":
        # scenario@2 takes Kosovo's code beside ISO 3166-1's.
        return (*_english("country"), (KOSOVO, "Kosovo"))
    if kind == "currency":
        return tuple((c.alpha_3, c.name) for c in pycountry.currencies)
    pairs = []
    for language in pycountry.languages:
        pairs.append((language.alpha_3, language.name))
        alpha_2 = getattr(language, "alpha_2", None)
        if alpha_2:
            pairs.append((alpha_2, language.name))
    return tuple(pairs)


def name_of(kind: str, code: str) -> str:
    """The name of a code in the page's language (the code itself when it is not listed)."""
    names = dict(_english(kind))
    english = names.get(code)
    return _translation(kind, _language()).gettext(english) if english else code


def options(kind: str) -> list[tuple[str, str]]:
    """``(code, name)`` of a list as a picker offers it, sorted by name in the page's
    language. Languages are offered by their ISO 639-1 codes, the languages a notice is
    commonly written in; any other ISO 639-3 language is accepted by name or code."""
    translation = _translation(kind, _language())
    pairs = _english(kind)
    if kind == "language":
        pairs = tuple((code, name) for code, name in pairs if len(code) == 2)
    return sorted(((c, translation.gettext(n)) for c, n in pairs), key=lambda p: p[1].casefold())


def shown(kind: str, code: str) -> str:
    """How a picker shows a recorded code: its name with the code in brackets."""
    return f"{name_of(kind, code)} ({code})"


def resolve(kind: str, text: str) -> str | None:
    """The code ``text`` names: a code, a name in English or in the page's language, or a
    name followed by its code in brackets; ``None`` when it names none (or several)."""
    text = text.strip()
    if not text:
        return None
    bracketed = _BRACKETED.search(text)
    if bracketed:
        text = bracketed.group(1)
    codes = {code for code, _ in _english(kind)}
    for candidate in (text, text.upper(), text.lower()):
        if candidate in codes:
            return candidate
    wanted = text.casefold()
    translation = _translation(kind, _language())
    found = {
        code
        for code, name in _english(kind)
        if wanted in (name.casefold(), translation.gettext(name).casefold())
    }
    if kind == "language" and len(found) > 1:
        # A language with an ISO 639-1 code is found twice, as "es" and as "spa".
        short = {code for code in found if len(code) == 2}
        found = short if len(short) == 1 else found
    return found.pop() if len(found) == 1 else None


def suggestions(kind: str, text: str, limit: int = 5) -> list[str]:
    """Names of the list that contain ``text``, for an error that says what was meant."""
    wanted = text.strip().casefold()
    if not wanted:
        return []
    return [
        f"{name} ({code})"
        for code, name in options(kind)
        if wanted[:4] in name.casefold() or name.casefold() in wanted
    ][:limit]

"""One cell's value as the scenario format writes it: yes/no in any common spelling as a
boolean, a country's name or code in any common form as its ISO 3166-1 alpha-2 code
(pycountry), a language as its ISO 639 code, a date in the mapping's formats as
``YYYY-MM-DD``. What cannot be translated is a :class:`CellError` naming why."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Final

import pycountry

from thirdcountry.imports.mapping import ColumnRule, FactKind

#: Cell values read as yes and as no (compared folded to lower case).
YES: Final = frozenset({"y", "yes", "1", "true", "t", "x", "oui", "o", "vrai"})
NO: Final = frozenset({"n", "no", "0", "false", "f", "non", "faux"})
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class CellError(ValueError):
    """A cell whose value the column's fact cannot take; the message says why."""


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """The alpha-2 code of a country named or coded in any form pycountry knows (alpha-2,
    alpha-3, numeric, short, official or common name; a close spelling when only one country
    is that close), or ``None``."""
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        pass
    try:
        found = pycountry.countries.search_fuzzy(value)
    except LookupError:
        return None
    return str(found[0].alpha_2) if len(found) == 1 else None


@lru_cache(maxsize=4096)
def language_code(value: str) -> str | None:
    """The ISO 639-1 code of a language (ISO 639-3 when it has none), from its code or its
    English name, or ``None``."""
    try:
        language = pycountry.languages.lookup(value)
    except LookupError:
        return None
    return str(getattr(language, "alpha_2", None) or language.alpha_3)


def _date(value: Any, formats: tuple[str, ...]) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise CellError("is not a day of the calendar") from None
    for pattern in formats:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    wanted = " or ".join(["YYYY-MM-DD", *formats])
    raise CellError(f"is not a date ({wanted})")


def _one(value: Any, rule: ColumnRule, kind: FactKind) -> Any:
    if isinstance(value, str):
        value = rule.values.get(value, value)
    if kind.kind == "date":
        return _date(value, rule.date_formats)
    text = str(value).strip() if not isinstance(value, float) else _number_text(value)
    if kind.kind == "boolean":
        if isinstance(value, bool):
            return value
        folded = text.casefold()
        if folded in YES:
            return True
        if folded in NO:
            return False
        raise CellError("is not yes or no (Y/Yes/1/true or N/No/0/false)")
    if kind.kind == "country":
        code = country_code(text)
        if code is None:
            raise CellError("matches no country (ISO 3166-1 code or name)")
        return code
    if kind.kind == "language":
        code = language_code(text)
        if code is None:
            raise CellError("matches no language (ISO 639 code or English name)")
        return code
    if kind.kind == "choice":
        folded = text.casefold().replace(" ", "_").replace("-", "_")
        if folded in kind.choices:
            return folded
        raise CellError(f"is not one of {', '.join(kind.choices)}")
    if kind.kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise CellError("is not a whole number") from None
    return text


def _number_text(value: float) -> str:
    """A spreadsheet number as it was typed: 12.0 → "12"."""
    return str(int(value)) if value.is_integer() else str(value)


def is_empty(value: Any) -> bool:
    """Whether a cell holds nothing (a fact left unknown)."""
    return value is None or (isinstance(value, str) and not value.strip())


def translate(value: Any, rule: ColumnRule) -> Any:
    """The value a cell gives its column's fact, as the scenario format writes it.

    An empty cell is never passed here (it leaves the fact unknown). A cell listed in the
    rule's ``none`` values means "known: there is none" (``[]`` for a list, ``null`` where
    the fact may be null). Raises :class:`CellError`.
    """
    kind = rule.kind
    if isinstance(value, str) and value.strip() in rule.none_values:
        if kind.many:
            return []
        if kind.nullable:
            return None
        raise CellError("cannot be none: this fact has no 'none' value")
    if not kind.many:
        return _one(value, rule, kind)
    parts = (
        [p.strip() for p in str(value).split(rule.separator)] if isinstance(value, str) else [value]
    )
    return [_one(p, rule, kind) for p in parts if not is_empty(p)]

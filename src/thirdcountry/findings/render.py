"""Findings rendered into sentences when read: in the reader's language (English or
French), and for the reader's role (those who may not see personal data read a person's
pseudonym, never a ref, and a birth date's year only).

Rendering is vectorised: a column of stored findings becomes a column of sentences through
one Polars expression per rule, so a page renders its seventeen findings and an export its
millions the same way.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import polars as pl
import pycountry

from thirdcountry.findings.stored import LEGACY
from thirdcountry.rules.catalog import (
    ITEM_SEP,
    LETTERS,
    LIST_KINDS,
    NULL,
    OUTCOMES,
    PARAM_SEP,
    Catalog,
    Reason,
    Rule,
)
from thirdcountry.rules.engine import VERDICTS
from thirdcountry.scenario.model import (
    ARRANGEMENT_STATUSES,
    ASYLUM_CLAIMS,
    COMMITMENTS,
    COURT_ORDER_KINDS,
    FEAR_CLAIM_STATUSES,
    MONITORING_KINDS,
    PAYMENT_KINDS,
    TRANSFER_STATUSES,
)

#: The languages findings are rendered in (the application's languages).
LANGUAGES: Final = ("en", "fr")
_LOCALE: Final = Path(__file__).resolve().parent.parent / "locale"
_PLACEHOLDER: Final = re.compile(r"\{(\w+)\}")
#: The months as French writes them in a date ("25 septembre 2025", as French pages do).
FRENCH_MONTHS: Final = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
#: The kind of each item of a list parameter.
_ITEM_KIND: Final[dict[str, str]] = {
    "countries": "country",
    "languages": "language",
    "persons": "person",
    "court_orders": "court_order",
}


#: The stored words a finding or a page may show (each rendered by :func:`word_label`).
STORED_WORDS: Final[tuple[str, ...]] = (
    *OUTCOMES,
    *VERDICTS,
    *ARRANGEMENT_STATUSES,
    *ASYLUM_CLAIMS,
    *COMMITMENTS,
    *COURT_ORDER_KINDS,
    *FEAR_CLAIM_STATUSES,
    *MONITORING_KINDS,
    *PAYMENT_KINDS,
    *TRANSFER_STATUSES,
)


@cache
def _catalog_of(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation("django", _LOCALE, languages=[language], fallback=True)


def translate(message: str, language: str = "en") -> str:
    """``message`` (an English msgid of the catalogs or the application) in ``language``."""
    return _catalog_of(language).gettext(message)


@cache
def country_names(language: str) -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code with its country's common name in ``language``."""
    names = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    return {
        c.alpha_2: names.gettext(getattr(c, "common_name", None) or c.name)
        for c in pycountry.countries
    }


@cache
def language_names(language: str) -> dict[str, str]:
    """Every ISO 639 code (two- and three-letter) with its language's name in
    ``language``: "Spanish" in English, "espagnol" in French."""
    names = gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    found: dict[str, str] = {}
    for entry in pycountry.languages:
        name = names.gettext(entry.name)
        # French writes language names in lower case; the ISO list capitalises them.
        shown = name[0].lower() + name[1:] if language == "fr" and name else name
        for code in (getattr(entry, "alpha_2", None), entry.alpha_3):
            if code:
                found.setdefault(code, shown)
    return found


def day_text(iso: str, language: str = "en") -> str:
    """An ISO date (``2025-09-25``) as a sentence in ``language`` writes it: ISO in English
    (as English pages show dates), "25 septembre 2025" in French. Text that is no ISO date
    is returned as it is."""
    if language != "fr" or len(iso) != 10 or iso[4] != "-" or iso[7] != "-":
        return iso
    year, month, day = iso[:4], iso[5:7], iso[8:]
    if not (year.isdigit() and month.isdigit() and day.isdigit()) or not 1 <= int(month) <= 12:
        return iso
    return f"{int(day)} {FRENCH_MONTHS[int(month) - 1]} {year}"


def _day_expr(value: pl.Expr, language: str) -> pl.Expr:
    """:func:`day_text` of a column of ISO dates."""
    if language != "fr":
        return value
    months = {f"{m:02d}": name for m, name in enumerate(FRENCH_MONTHS, start=1)}
    return pl.concat_str(
        value.str.slice(8, 2).str.strip_chars_start("0"),
        pl.lit(" "),
        value.str.slice(5, 2).replace(months),
        pl.lit(" "),
        value.str.slice(0, 4),
    )


def word_label(value: str) -> str:
    """The English label of a stored word (``in_force`` → "in force")."""
    return "not screened" if value == "unscreened" else value.replace("_", " ")


@cache
def _word_labels_in(language: str) -> dict[str, str]:
    """Every stored word with its label in ``language``."""
    return {w: translate(word_label(w), language) for w in STORED_WORDS}


@dataclass(frozen=True, slots=True)
class OrderLabel:
    """What a court order is, for its mention in a finding: kind, issuer, date issued, and
    what it covers (a person, an arrangement, transfers from a country, to a country)."""

    ref: str
    kind: str
    issuer: str
    issued: str
    person: str | None = None
    arrangement: str | None = None
    sending: str | None = None
    destination: str | None = None


@dataclass(frozen=True)
class Renderer:
    """Renders a catalog's findings for one reader.

    ``language`` is one of :data:`LANGUAGES`. ``pseudonyms`` is ``None`` for a reader who
    may see personal data; otherwise it maps the person refs the reader may meet to their
    pseudonyms (a ref it lacks is shown as "a person", never as itself). ``orders`` gives
    the court orders findings mention, to say what each is; an order it lacks is named by
    its ref.
    """

    catalog: Catalog
    language: str = "en"
    pseudonyms: Mapping[str, str] | None = None
    orders: Mapping[str, OrderLabel] | None = None

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"no findings in {self.language!r}: one of {', '.join(LANGUAGES)}")

    @property
    def personal(self) -> bool:
        """Whether the reader may see personal data."""
        return self.pseudonyms is None

    def _(self, message: str) -> str:
        return translate(message, self.language)

    def title(self, rule: Rule) -> str:
        """The rule's title in the reader's language."""
        return self._(rule.title)

    def basis(self, rule: Rule) -> str:
        """The rule's legal basis in the reader's language."""
        return "; ".join(self._(part) for part in rule.basis_parts)

    def word(self, value: str) -> str:
        """A stored word (a status, a kind, an outcome) in the reader's language."""
        return self._(word_label(value))

    # -- parameters ---------------------------------------------------------------------

    def _person(self, value: pl.Expr) -> pl.Expr:
        if self.pseudonyms is None:
            return value
        return value.replace_strict(
            dict(self.pseudonyms), default=pl.lit(self._("a person")), return_dtype=pl.String
        )

    def _order(self, value: pl.Expr) -> pl.Expr:
        described = {ref: self.order_text(label) for ref, label in (self.orders or {}).items()}
        if not described:
            return value
        return value.replace_strict(described, default=value, return_dtype=pl.String)

    def order_text(self, order: OrderLabel) -> str:
        """A court order as a finding mentions it: what it is and what it covers."""
        return self._("{order} ({kind} by {issuer}, issued {issued}, covers {scope})").format(
            order=order.ref,
            kind=self.word(order.kind),
            issuer=order.issuer,
            issued=day_text(order.issued, self.language),
            scope=self.scope_text(order),
        )

    def scope_text(self, order: OrderLabel) -> str:
        """What a court order covers, in words."""
        countries = country_names(self.language)
        if order.person is not None:
            shown = order.person
            if self.pseudonyms is not None:
                shown = self.pseudonyms.get(order.person, self._("a person"))
            return self._("person {person}").format(person=shown)
        if order.arrangement is not None:
            return self._("arrangement {arrangement}").format(arrangement=order.arrangement)
        sending = countries.get(order.sending or "", order.sending or "")
        if order.destination is not None:
            destination = countries.get(order.destination, order.destination)
            return self._("transfers from {sending} to {destination}").format(
                sending=sending, destination=destination
            )
        return self._("every transfer from {sending}").format(sending=sending)

    def _shown(self, value: pl.Expr, kind: str) -> pl.Expr:
        """A stored parameter (text) as the reader reads it."""
        if kind in LIST_KINDS:
            item = self._shown(pl.element(), _ITEM_KIND[kind])
            listed = value.str.split(ITEM_SEP).list.eval(item).list.join(", ")
            shown = pl.when(value == "").then(pl.lit(self._("none"))).otherwise(listed)
        elif kind == "country":
            shown = value.replace_strict(
                country_names(self.language), default=value, return_dtype=pl.String
            )
        elif kind == "language":
            shown = value.replace_strict(
                language_names(self.language), default=value, return_dtype=pl.String
            )
        elif kind == "person":
            shown = self._person(value)
        elif kind == "court_order":
            shown = self._order(value)
        elif kind == "birth_date" and not self.personal:
            shown = value.str.slice(0, 4)
        elif kind in ("date", "birth_date"):
            shown = _day_expr(value, self.language)
        elif kind == "word":
            shown = value.replace_strict(
                self._word_labels(), default=value.str.replace_all("_", " "), return_dtype=pl.String
            )
        else:
            shown = value
        return pl.when(value == NULL).then(pl.lit(self._("unknown"))).otherwise(shown)

    def _word_labels(self) -> dict[str, str]:
        return _word_labels_in(self.language)

    # -- sentences ----------------------------------------------------------------------

    def _sentence(self, reason: Reason, params: pl.Expr) -> pl.Expr:
        template = self._(reason.template)
        kinds = dict(reason.params)
        index = {name: i for i, (name, _kind) in enumerate(reason.params)}
        pieces: list[pl.Expr] = []
        position = 0
        for match in _PLACEHOLDER.finditer(template):
            pieces.append(pl.lit(template[position : match.start()]))
            name = match.group(1)
            pieces.append(self._shown(params.list.get(index[name]), kinds[name]))
            position = match.end()
        pieces.append(pl.lit(template[position:]))
        return pl.concat_str(pieces)

    def sentence(self, rule: Rule, stored: pl.Expr) -> pl.Expr:
        """The sentence of each stored finding of ``rule`` (a column of its stored parts)."""
        letter = stored.str.slice(0, 1)
        params = stored.str.slice(1).str.split(PARAM_SEP)
        chain: Any = pl.when(letter == LEGACY).then(stored.str.slice(2))
        for code_letter, reason in zip(LETTERS, rule.reasons, strict=False):
            chain = chain.when(letter == code_letter).then(self._sentence(reason, params))
        shown: pl.Expr = chain.otherwise(pl.lit(None, dtype=pl.String))
        return shown

    def sentences(self, parts: pl.DataFrame) -> pl.DataFrame:
        """A sentence per stored finding: ``parts`` has a column per rule id holding its
        stored parts (or the engine's ``{outcome, finding}`` structs)."""
        columns = []
        for rule in self.catalog.rules:
            if rule.id not in parts.columns:
                continue
            stored = pl.col(rule.id)
            if isinstance(parts.schema[rule.id], pl.Struct):
                stored = stored.struct.field("finding")
            columns.append(self.sentence(rule, stored).alias(rule.id))
        return parts.select(columns)

    def reason_of(self, rule: Rule, part: str) -> str:
        """The sentence of one stored finding of ``rule``."""
        return str(self.sentence_of(rule, part))

    def reasons(self, stored_parts: list[str]) -> list[str]:
        """The sentences of one screening's findings (its stored parts, in catalog order)."""
        return [
            str(self.sentence_of(rule, part))
            for rule, part in zip(self.catalog.rules, stored_parts, strict=True)
        ]

    # -- one finding at a time ------------------------------------------------------------
    # The same sentences as :meth:`sentence`, in plain Python: a page or an answer of the API
    # shows one screening's findings, for which building and planning a Polars expression
    # per rule costs far more than the few string operations it does.

    def sentence_of(self, rule: Rule, stored: str | None) -> str | None:
        """The sentence of one stored finding of ``rule`` (None where :meth:`sentence` gives
        null)."""
        if stored is None:
            return None
        letter = stored[:1]
        if letter == LEGACY:
            return stored[2:]
        for code_letter, reason in zip(LETTERS, rule.reasons, strict=False):
            if letter == code_letter:
                return self._sentence_of(reason, stored[1:].split(PARAM_SEP))
        return None

    def _sentence_of(self, reason: Reason, params: list[str]) -> str:
        index = {name: i for i, (name, _kind) in enumerate(reason.params)}
        kinds = dict(reason.params)

        def shown(match: re.Match[str]) -> str:
            name = match.group(1)
            return self._shown_value(params[index[name]], kinds[name])

        return _PLACEHOLDER.sub(shown, self._(reason.template))

    def _shown_value(self, value: str, kind: str) -> str:
        """A stored parameter as the reader reads it (as :meth:`_shown` shows a column)."""
        if value == NULL:
            return self._("unknown")
        if kind in LIST_KINDS:
            if value == "":
                return self._("none")
            item = _ITEM_KIND[kind]
            return ", ".join(self._shown_value(v, item) for v in value.split(ITEM_SEP))
        if kind == "country":
            return country_names(self.language).get(value, value)
        if kind == "language":
            return language_names(self.language).get(value, value)
        if kind == "person":
            if self.pseudonyms is None:
                return value
            return self.pseudonyms.get(value, self._("a person"))
        if kind == "court_order":
            label = (self.orders or {}).get(value)
            return self.order_text(label) if label is not None else value
        if kind == "birth_date" and not self.personal:
            return value[:4]
        if kind in ("date", "birth_date"):
            return day_text(value, self.language)
        if kind == "word":
            return self._word_labels().get(value, value.replace("_", " "))
        return value

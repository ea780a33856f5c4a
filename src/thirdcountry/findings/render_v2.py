"""Findings of a scenario@2 catalog (2026.2) rendered into sentences when read
(RULES-2026.2 §1.4): the reason's template in the reader's language, each parameter shown as
its type says, and the finding's basis: the rule's own, then the source of each regime,
order, assessment or legal basis the finding names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from thirdcountry.findings.render import country_names, day_text, language_names, translate
from thirdcountry.rules.catalog import gettext_noop
from thirdcountry.rules.v2.catalog import CatalogV2, Finding
from thirdcountry.rules.v2.languages import normalised
from thirdcountry.rules.v2.rule import Param, ParamType
from thirdcountry.rules.v2.world import World
from thirdcountry.scenario.codes import KOSOVO
from thirdcountry.scenario.v2.model import (
    ARRANGEMENT_STATUSES,
    ASSURANCE_ELEMENTS,
    ASYLUM_CLAIMS,
    CUSTODIES,
    EXCLUDED_GROUPS,
    OFFENCE_CATEGORIES,
    PROTECTION_KINDS,
    REQUIREMENTS,
)

_PLACEHOLDER: Final = re.compile(r"\{(\w+)\}")

#: The type of each item of a list parameter.
_ITEM_TYPE: Final[dict[str, ParamType]] = {
    "countries": "country",
    "languages": "language",
    "orders": "order",
    "assurances": "assurance",
}
#: How a regime's force is labelled wherever it is cited.
FORCE_LABELS: Final = {
    "binding": gettext_noop("binding"),
    "contested": gettext_noop("contested standard"),
    "floor": gettext_noop("catalog floor, not law"),
    "practice": gettext_noop("practice, read by no rule"),
}
#: Words whose label is not the stored word with its underscores as spaces, by the type of
#: the parameter that holds them (the same word means different things: ``none`` as custody
#: is "no custody", as an asylum claim "no claim").
WORD_LABELS: Final[dict[str, dict[str, str]]] = {
    "custody": {
        "none": gettext_noop("no custody"),
        "reception": gettext_noop("reception accommodation"),
    },
    "assurance_element": {
        "disclosed": gettext_noop("disclosed to the person and a court"),
        "remedy": gettext_noop("backed by a remedy"),
        "monitoring": gettext_noop("monitored"),
    },
    "protection_kind": {"cat": gettext_noop("Convention against Torture")},
    "asylum_claim_status": {"none": gettext_noop("no claim")},
    "requirement": {
        "notice-days": gettext_noop("enough days to raise a fear claim"),
        "notice-to-counsel": gettext_noop("notice served on counsel"),
        "notice-explains-contest": gettext_noop("a notice that explains how to contest"),
        "counsel-access": gettext_noop("access to counsel"),
        "interpreter": gettext_noop("an interpreter"),
        "reopen-days": gettext_noop("time to seek reopening after a rejected fear claim"),
        "designation-whole-territory": gettext_noop("safety in all the territory"),
        "designation-whole-population": gettext_noop("safety for the entire population"),
        "designation-judicial-review": gettext_noop("effective judicial review"),
    },
}
#: The stored words of each enumerated parameter type.
STORED_WORDS_V2: Final[dict[str, tuple[str, ...]]] = {
    "arrangement_status": ARRANGEMENT_STATUSES,
    "protection_kind": PROTECTION_KINDS,
    "offence_category": OFFENCE_CATEGORIES,
    "excluded_group": EXCLUDED_GROUPS,
    "custody": CUSTODIES,
    "assurance_element": ASSURANCE_ELEMENTS,
    "asylum_claim_status": ASYLUM_CLAIMS,
    "requirement": REQUIREMENTS,
}
#: Sentences' words that are not templates: a value not on record, an empty list, and so on.
PHRASES: Final = (
    gettext_noop("Kosovo"),
    gettext_noop("a person"),
    gettext_noop("not recorded"),
    gettext_noop("none"),
    gettext_noop("none yet"),
    gettext_noop("the terms of"),
)


def word_label_v2(value: str, kind: str = "") -> str:
    """The English label of a stored word of scenario@2 held by a parameter of type
    ``kind`` (``immigration_detention`` → "immigration detention"; ``none`` as custody →
    "no custody")."""
    return WORD_LABELS.get(kind, {}).get(value) or value.replace("_", " ")


def catalog_msgids(catalog: CatalogV2) -> list[str]:
    """The texts of a catalog's data a reader sees translated: regime and legal-basis
    titles (sources are citations, shown as written)."""
    data = catalog.data
    titles = [r.title for r in data.regimes if r.title] + [b.title for b in data.legal_bases]
    labels = [word_label_v2(w, kind) for kind, ws in STORED_WORDS_V2.items() for w in ws]
    return [*titles, *FORCE_LABELS.values(), *labels]


@dataclass(frozen=True)
class RendererV2:
    """Renders findings of catalog 2026.2 on one world for one reader: ``language`` ``en``
    or ``fr``; ``pseudonyms`` ``None`` for a reader entitled to personal data, else the
    pseudonym of each person ref (a ref it lacks is shown as "a person")."""

    world: World
    language: str = "en"
    pseudonyms: Mapping[str, str] | None = None

    def _(self, message: str) -> str:
        return translate(message, self.language)

    @cached_property
    def _regimes(self) -> dict[str, Any]:
        return {row.id: row for row in self.world.fixed_rows}

    def country(self, code: str) -> str:
        """A country's name; Kosovo's user-assigned code by its name."""
        if code == KOSOVO:
            return self._(PHRASES[0])
        return country_names(self.language).get(code, code)

    def language_name(self, code: str) -> str:
        """A language's reference name (ISO 639-3)."""
        names = language_names(self.language)
        return names.get(code) or names.get(normalised(code), code)

    def person(self, ref: str) -> str:
        """A person's first name for those who may see it, else their pseudonym."""
        if self.pseudonyms is None:
            person = self.world.persons.get(ref)
            return person.names[0] if person is not None else ref
        return self.pseudonyms.get(ref) or self._("a person")

    def regime(self, regime_id: str) -> str:
        """A regime row by its title or source, with its force label."""
        row = self._regimes.get(regime_id)
        if row is None:
            # An arrangement's own notice term: named by the arrangement.
            ref = regime_id.partition("#")[0]
            arrangement = self.world.arrangements.get(ref)
            name = arrangement.title or ref if arrangement is not None else ref
            return f"{self._('the terms of')} {name} ({self._(FORCE_LABELS['binding'])})"
        if row.order is not None:
            return f"{self.order(row.order.ref)} ({self._(FORCE_LABELS['binding'])})"
        name = row.title or row.source or row.id
        return f"{self._(name) if row.origin == 1 else name} ({self._(FORCE_LABELS[row.force])})"

    def order(self, ref: str) -> str:
        """A court order as "ref (issuer, issued)"."""
        for order in self.world.scenario.court_orders:
            if order.ref == ref:
                return f"{ref} ({order.issuer}, {self.day(order.issued)})"
        return ref

    def assessment(self, value: Mapping[str, Any]) -> str:
        """An assessment as "source (date)"."""
        for entry in self.world.scenario.countries:
            if entry.code == value["country"]:
                found = entry.assessments[value["index"]]
                return f"{found.source} ({self.day(found.date)})"
        return str(value)

    def day(self, value: Any) -> str:
        """A date as the reader's language writes it in a sentence (ISO in English)."""
        return day_text(value.isoformat(), self.language)

    def word(self, value: str, kind: str = "") -> str:
        """A stored word (a status, a kind) held by a parameter of type ``kind``, as its
        label."""
        return self._(word_label_v2(value, kind))

    def value(self, param: Param, value: Any) -> str:
        """One parameter as shown in a sentence."""
        if value is None:
            return self._("not recorded")
        kind = param.type
        if kind in ("countries", "languages", "orders", "assurances"):
            item = Param(param.name, _ITEM_TYPE[kind])
            shown = [self.value(item, v) for v in value]
            return ", ".join(shown) if shown else self._("none")
        match kind:
            case "date":
                # Not a date: what erasing a person's personal data left in its place.
                return self.day(value) if isinstance(value, dt.date) else str(value)
            case "int":
                return str(value)
            case "country":
                return self.country(value)
            case "language":
                return self.language_name(value)
            case "person":
                return self.person(value)
            case "arrangement":
                arrangement = self.world.arrangements.get(value)
                return (arrangement.title or value) if arrangement is not None else value
            case "order":
                return self.order(value)
            case "regime":
                return self.regime(value)
            case "legal_basis":
                basis = self.world.legal_bases.get(value)
                return basis.title if basis is not None else value
            case "assessment":
                return self.assessment(value)
            case "designation" | "assurance":
                return str(value)
            case _:
                return self.word(str(value), kind)

    def text(self, finding: Finding) -> str:
        """The finding's sentence."""
        params = {p.name: p for p in finding.reason.params}
        template = self._(finding.reason.template)

        def shown(match: re.Match[str]) -> str:
            name = match.group(1)
            value = finding.params[name]
            if name == "status" and value is None:
                return self._("none yet")
            return self.value(params[name], value)

        return _PLACEHOLDER.sub(shown, template)

    def basis(self, finding: Finding) -> str:
        """The rule's basis, then the source of each regime, order, assessment or legal
        basis the finding names."""
        parts = [self._(part) for part in finding.rule.basis_parts]
        for param in finding.reason.params:
            value = finding.params[param.name]
            if value is None:
                continue
            if param.type == "regime":
                row = self._regimes.get(value)
                if row is not None and row.source:
                    parts.append(row.source)
                elif row is not None and row.order is not None:
                    parts.append(self.order(row.order.ref))
            elif param.type in ("order", "orders"):
                parts.extend(
                    self.order(ref) for ref in ([value] if param.type == "order" else value)
                )
            elif param.type == "assessment":
                parts.append(self.assessment(value))
            elif param.type == "legal_basis":
                basis = self.world.legal_bases.get(value)
                if basis is not None:
                    parts.append(basis.source)
        return "; ".join(dict.fromkeys(parts))


def catalog_document(catalog: CatalogV2, language: str = "en") -> dict[str, Any]:
    """The catalog as a reader sees it, in ``language``: each rule with its basis and its
    reasons in the order they take precedence (not applicable, blocked, review, pass), and
    the catalog data's legal bases and regimes with their dates, force and sources."""

    def _(message: str) -> str:
        return translate(message, language)

    data = catalog.data
    return {
        "catalog": catalog.version,
        "catalog_data": catalog.data_revision,
        "rules": [
            {
                "number": rule.number,
                "id": rule.id,
                "title": _(rule.title),
                "basis": "; ".join(_(part) for part in rule.basis_parts),
                "reasons": [
                    {
                        "code": reason.code,
                        "outcome": reason.outcome,
                        "params": {
                            p.name: p.type + ("?" if p.nullable else "") for p in reason.params
                        },
                        "template": _(reason.template),
                    }
                    for reason in catalog.reasons_of(rule)
                ],
            }
            for rule in catalog.rules
        ],
        "legal_bases": [
            {
                "code": basis.code,
                "sending": basis.sending,
                "requires_arrangement": basis.requires_arrangement,
                "from": _day(basis.from_),
                "to": _day(basis.to),
                "title": _(basis.title),
                "source": basis.source,
            }
            for basis in data.legal_bases
        ],
        "regimes": [
            {
                "id": regime.id,
                "requirement": regime.requirement,
                "value": regime.value,
                "force": regime.force,
                "force_label": _(FORCE_LABELS[regime.force]),
                "from": _day(regime.from_),
                "to": _day(regime.to),
                "applies_to": {k: list(v) for k, v in regime.applies_to.keys().items()},
                "title": _(regime.title) if regime.title else None,
                "source": regime.source,
            }
            for regime in data.regimes
        ],
    }


def _day(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())

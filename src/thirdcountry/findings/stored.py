"""The stored form of a screening's findings, and reading it back.

A screening's findings are one text: one part per rule of its catalog, in catalog order,
separated by ``RULE_SEP``. A part is the letter of the check that gave the finding (its index
in the rule's :attr:`~thirdcountry.rules.catalog.Rule.precedence`, which names the reason
code and the outcome), followed by the parameters, separated by ``PARAM_SEP`` (list items by
``ITEM_SEP``; an unknown value is ``NULL``). The catalog version is stored beside, so a part
is read with the rules it was made under. A typical screening of catalog 2026.1 takes about
150 bytes.

A finding stored before reasons had codes, whose sentence no template of its rule matches,
is kept as it was written: ``LEGACY``, its outcome's letter, then the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from thirdcountry.rules.catalog import (
    ITEM_SEP,
    LETTERS,
    LIST_KINDS,
    NULL,
    PARAM_SEP,
    RULE_SEP,
    Catalog,
    Kind,
    Outcome,
    Reason,
    Rule,
)

#: The mark of a finding kept as the sentence it was stored with.
LEGACY: Final = "~"
#: An outcome's letter (in the ``outcomes`` column and in a legacy part).
OUTCOME_LETTERS: Final[dict[Outcome, str]] = {"pass": "p", "review": "r", "blocked": "b"}
#: The outcome each letter stands for.
OUTCOME_OF: Final[dict[str, Outcome]] = {letter: o for o, letter in OUTCOME_LETTERS.items()}


@dataclass(frozen=True, slots=True)
class Decoded:
    """One stored finding read back: its rule, outcome, reason (``None`` for a legacy
    finding), typed parameters, and for a legacy finding the sentence it was stored with."""

    rule: str
    outcome: Outcome
    reason: Reason | None
    params: dict[str, Any]
    legacy_text: str | None = None

    @property
    def code(self) -> str | None:
        """The reason code, or ``None`` for a legacy finding."""
        return None if self.reason is None else self.reason.code


def split_parts(stored: str) -> list[str]:
    """A screening's stored findings as one part per rule, in catalog order."""
    return stored.split(RULE_SEP) if stored else []


def join_parts(parts: list[str]) -> str:
    """The stored findings of a screening from its parts, in catalog order."""
    return RULE_SEP.join(parts)


def _typed(kind: Kind, text: str) -> Any:
    if text == NULL:
        return None
    if kind in LIST_KINDS:
        return text.split(ITEM_SEP) if text else []
    if kind == "number":
        return int(text)
    return text


def decode_part(rule: Rule, part: str) -> Decoded:
    """One rule's stored finding, with its parameters typed (dates as ``YYYY-MM-DD``
    strings, numbers as ints, lists as lists, unknown as ``None``)."""
    if part.startswith(LEGACY):
        return Decoded(rule.id, OUTCOME_OF[part[1]], None, {}, part[2:])
    reason = rule.reasons[LETTERS.index(part[0])]
    values = part[1:].split(PARAM_SEP) if reason.params else []
    if len(values) != len(reason.params):
        raise ValueError(
            f"{rule.id}: {len(values)} parameters stored, {reason.code} has {len(reason.params)}"
        )
    params = {name: _typed(kind, v) for (name, kind), v in zip(reason.params, values, strict=True)}
    return Decoded(rule.id, reason.outcome, reason, params)


def decode(catalog: Catalog, stored: str) -> list[Decoded]:
    """Every finding of a screening stored under ``catalog``, in catalog order."""
    parts = split_parts(stored)
    if len(parts) != len(catalog.rules):
        raise ValueError(
            f"{len(parts)} findings stored, catalog {catalog.version} has "
            f"{len(catalog.rules)} rules"
        )
    return [decode_part(rule, part) for rule, part in zip(catalog.rules, parts, strict=True)]


def outcome_letters(catalog: Catalog, stored: str) -> str:
    """The outcome of each rule as one letter (p, r, b), in catalog order."""
    return "".join(OUTCOME_LETTERS[d.outcome] for d in decode(catalog, stored))


def encode_legacy(outcome: Outcome, sentence: str) -> str:
    """A finding kept as the sentence it was stored with."""
    return f"{LEGACY}{OUTCOME_LETTERS[outcome]}{sentence.replace(RULE_SEP, ' ')}"


#: What a parameter of each kind looked like in the sentences stored before codes.
_SHAPES: Final[dict[str, str]] = {
    "date": r"\d{4}-\d{2}-\d{2}",
    "number": r"-?\d+",
    "country": r"[A-Z]{2}",
    "language": r"[a-z]{2,3}",
    "birth_date": r"\d{4}-\d{2}-\d{2}",
    "word": r"[a-z_]+",
    "person": r"\S+",
    "arrangement": r"\S+",
    "countries": r"none.*|[A-Z]{2}(?:, [A-Z]{2})*",
    "languages": r"none.*|[a-z]{2,3}(?:, [a-z]{2,3})*",
}
_PLACEHOLDER: Final = re.compile(r"\{(\w+)\}")


@cache
def _pattern(reason: Reason) -> re.Pattern[str]:
    kinds = dict(reason.params)
    pieces: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(reason.template):
        pieces.append(re.escape(reason.template[position : match.start()]))
        name = match.group(1)
        shape = _SHAPES.get(kinds[name], ".*?")
        pieces.append(f"(?P<{name}>{shape}|unknown|null)")
        position = match.end()
    pieces.append(re.escape(reason.template[position:]))
    return re.compile("".join(pieces))


def _recovered(kind: Kind, text: str) -> str:
    if text in ("null", "unknown"):
        return NULL
    if kind in LIST_KINDS:
        return "" if text.startswith("none") else ITEM_SEP.join(text.split(", "))
    return text


def recover(rule: Rule, outcome: Outcome, sentence: str) -> str:
    """The stored part of a finding written as a sentence before reasons had codes: the
    reason whose English template matches the sentence, with the parameters read from it;
    else the sentence kept as legacy text."""
    for letter, reason in zip(LETTERS, rule.reasons, strict=False):
        if reason.outcome != outcome:
            continue
        found = _pattern(reason).fullmatch(sentence)
        if found is None:
            continue
        values = [_recovered(kind, found.group(name)) for name, kind in reason.params]
        return letter + PARAM_SEP.join(values)
    return encode_legacy(outcome, sentence)

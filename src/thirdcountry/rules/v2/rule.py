"""What a rule of a scenario@2 catalog is: a small named function of one case, beside its basis.

A rule returns a :class:`Decision`: the slug of the reason it gives (the part of the code
after the rule's id) and that reason's parameters. The outcome is the reason's own (§1.3: the
rule's conditions are written in the order not applicable, blocked, review, pass, so the
first that holds decides).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from thirdcountry.rules.catalog import Outcome

if TYPE_CHECKING:
    from thirdcountry.rules.v2.case import Case


#: A parameter's type (§1.4); ``?`` after it in the catalog means it may be null.
ParamType = Literal[
    "date",
    "int",
    "bool",
    "country",
    "countries",
    "language",
    "languages",
    "person",
    "arrangement",
    "order",
    "orders",
    "regime",
    "legal_basis",
    "designation",
    "assurance",
    "assurances",
    "assessment",
    "arrangement_status",
    "protection_kind",
    "offence_category",
    "excluded_group",
    "custody",
    "requirement",
    "assurance_element",
    "asylum_claim_status",
    "force",
]
#: The types whose value is a list (never null; possibly empty).
LIST_TYPES: Final = frozenset({"countries", "languages", "orders", "assurances"})


@dataclass(frozen=True, slots=True)
class Param:
    """A reason's parameter: its name, type, and whether it may be null."""

    name: str
    type: ParamType
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason a rule gives: ``rule-id.slug``, its outcome, template and parameters."""

    code: str
    outcome: Outcome
    template: str
    params: tuple[Param, ...]

    @property
    def rule(self) -> str:
        """The id of the rule that gives it."""
        return self.code.partition(".")[0]


def reason(code: str, outcome: Outcome, template: str, *params: str) -> Reason:
    """A reason, its parameters written as ``name:type`` (``?`` after a nullable type)."""
    parsed = []
    for param in params:
        name, _sep, kind = param.partition(":")
        parsed.append(Param(name, cast(ParamType, kind.rstrip("?")), kind.endswith("?")))
    return Reason(code, outcome, template, tuple(parsed))


@dataclass(frozen=True, slots=True)
class Decision:
    """A rule's finding as data: the reason's slug and its parameters."""

    slug: str
    params: dict[str, Any] = field(default_factory=dict)


def decide(slug: str, **params: Any) -> Decision:
    """The finding for the reason ``slug`` of the rule deciding, with these parameters."""
    return Decision(slug, params)


@dataclass(frozen=True)
class Rule:
    """One safeguard of a scenario@2 catalog: number, id, title, legal basis and its function."""

    number: int
    id: str
    title: str
    basis_parts: tuple[str, ...]
    function: Callable[[Case], Decision] = field(repr=False)

    @property
    def basis(self) -> str:
        """The static legal basis in English."""
        return "; ".join(self.basis_parts)


def rule(
    number: int, id: str, *, title: str, basis: str | tuple[str, ...]
) -> Callable[[Callable[[Case], Decision]], Rule]:
    """Declare a rule: its number (catalog order), id, title and legal basis, beside its
    function."""
    parts = (basis,) if isinstance(basis, str) else basis

    def declare(function: Callable[[Case], Decision]) -> Rule:
        return Rule(number, id, title, parts, function)

    return declare

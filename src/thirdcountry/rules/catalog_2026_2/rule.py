"""What a rule of catalog 2026.2 is: a small named function of one case, beside its basis.

A rule returns a :class:`Decision`: the slug of the reason it gives (the part of the code
after the rule's id) and that reason's parameters. The outcome is the reason's own (§1.3: the
rule's conditions are written in the order not applicable, blocked, review, pass, so the
first that holds decides).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

from thirdcountry.rules.catalog import Outcome
from thirdcountry.rules.catalog_2026_2.reasons import BY_CODE, REASONS, Reason

if TYPE_CHECKING:
    from thirdcountry.rules.catalog_2026_2.case import Case


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
    """One safeguard of catalog 2026.2: number, id, title, legal basis and its function."""

    number: int
    id: str
    title: str
    basis_parts: tuple[str, ...]
    function: Callable[[Case], Decision] = field(repr=False)

    @property
    def basis(self) -> str:
        """The static legal basis in English."""
        return "; ".join(self.basis_parts)

    @cached_property
    def reasons(self) -> tuple[Reason, ...]:
        """The rule's reasons, in the order the catalog lists them."""
        return tuple(r for r in REASONS if r.rule == self.id)

    def reason(self, code: str) -> Reason:
        """The reason with this code (``rule-id.slug`` or the slug alone)."""
        found = BY_CODE.get(code) or BY_CODE.get(f"{self.id}.{code}")
        if found is None or found.rule != self.id:
            raise KeyError(code)
        return found

    def __call__(self, case: Case) -> tuple[Outcome, Reason, dict[str, Any]]:
        decision = self.function(case)
        reason = self.reason(decision.slug)
        names = {p.name for p in reason.params}
        if set(decision.params) != names:
            raise ValueError(f"{reason.code}: parameters {sorted(decision.params)}, not {names}")
        return reason.outcome, reason, decision.params


#: Rules as they are declared, in the order of their modules; the catalog sorts them.
DECLARED: Final[list[Rule]] = []


def rule(
    number: int, id: str, *, title: str, basis: str | tuple[str, ...]
) -> Callable[[Callable[[Case], Decision]], Rule]:
    """Declare a rule: its number (catalog order), id, title and legal basis, beside its
    function."""
    parts = (basis,) if isinstance(basis, str) else basis

    def declare(function: Callable[[Case], Decision]) -> Rule:
        declared = Rule(number, id, title, parts, function)
        DECLARED.append(declared)
        return declared

    return declare

"""What a rule is, and the catalog that holds the rules in order.

A rule is a small named function over the facts table. It returns its checks: the ways it
can block, then the ways it can call for review, each a Polars condition with the reason it
gives, plus the reason it gives when it passes. The engine composes them into one
expression per rule, so the same code screens one transfer or a million.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import polars as pl

Outcome = Literal["pass", "review", "blocked"]
OUTCOMES: Final[tuple[Outcome, ...]] = ("pass", "review", "blocked")
#: The dtype of an outcome column; its order is the order of severity.
OUTCOME_DTYPE: Final = pl.Enum(list(OUTCOMES))

CATALOG_VERSION: Final = "2026.1"


@dataclass(frozen=True, slots=True)
class Check:
    """One way a rule fails: when ``condition`` holds, the finding is ``outcome`` with ``reason``.

    A null condition (a fact it needs is unknown) does not hold: unknowns are caught by the
    rule's own ``review`` checks, never by accident.
    """

    outcome: Literal["blocked", "review"]
    condition: pl.Expr
    reason: pl.Expr


def blocked(condition: pl.Expr, reason: pl.Expr | str) -> Check:
    """A bar: the transfer must not go ahead while ``condition`` holds."""
    return Check("blocked", condition, _text(reason))


def review(condition: pl.Expr, reason: pl.Expr | str) -> Check:
    """A fact is missing or a person must weigh it."""
    return Check("review", condition, _text(reason))


def _text(reason: pl.Expr | str) -> pl.Expr:
    return pl.lit(reason, dtype=pl.String) if isinstance(reason, str) else reason


@dataclass(frozen=True, slots=True)
class Logic:
    """A rule's checks, in the order RULES.md writes them, and its reason for passing."""

    checks: Sequence[Check]
    passes: pl.Expr | str


@dataclass(frozen=True, slots=True)
class Rule:
    """One safeguard of the catalog, with its legal basis beside its logic."""

    number: int
    id: str
    title: str
    basis: str
    #: The facts columns the rule reads (parameters included).
    reads: tuple[str, ...]
    logic: Callable[[], Logic] = field(repr=False)

    def expression(self) -> pl.Expr:
        """A struct column ``{outcome, reason}`` named after the rule.

        A blocked reason wins over a review reason; within each, the first that applies in
        the order written wins.
        """
        logic = self.logic()
        ordered = [c for c in logic.checks if c.outcome == "blocked"] + [
            c for c in logic.checks if c.outcome == "review"
        ]
        when_then: Any = None
        for check in ordered:
            finding = pl.struct(
                pl.lit(check.outcome, dtype=OUTCOME_DTYPE).alias("outcome"),
                check.reason.alias("reason"),
            )
            condition = check.condition.fill_null(False)
            when_then = (
                pl.when(condition).then(finding)
                if when_then is None
                else when_then.when(condition).then(finding)
            )
        passing = pl.struct(
            pl.lit("pass", dtype=OUTCOME_DTYPE).alias("outcome"),
            _text(logic.passes).alias("reason"),
        )
        chain: pl.Expr = passing if when_then is None else when_then.otherwise(passing)
        return chain.alias(self.id)


@dataclass(frozen=True, slots=True)
class Catalog:
    """The rules in catalog order, with the catalog's version."""

    version: str
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        numbers = [r.number for r in self.rules]
        if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
            raise ValueError("rules must be in catalog order, each number once")
        ids = [r.id for r in self.rules]
        if len(set(ids)) != len(ids):
            raise ValueError("rule ids must be unique")

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id."""
        for candidate in self.rules:
            if candidate.id == rule_id:
                return candidate
        raise KeyError(rule_id)

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids in catalog order."""
        return tuple(r.id for r in self.rules)


def rule(
    number: int, id: str, *, title: str, basis: str, reads: Sequence[str]
) -> Callable[[Callable[[], Logic]], Rule]:
    """Declare a rule of the catalog: its number (catalog order), id, title, legal basis and
    the facts it reads, beside the function that gives its logic."""

    def declare(logic: Callable[[], Logic]) -> Rule:
        return Rule(number, id, title, basis, tuple(reads), logic)

    return declare


# -- small helpers the rules share, so reasons read the same everywhere -----------------------


def listing(column: str | pl.Expr, empty: str = "none") -> pl.Expr:
    """A list column as ``"A, B"``, or ``empty`` when the list is empty."""
    expr = pl.col(column) if isinstance(column, str) else column
    return pl.when(expr.list.len() == 0).then(pl.lit(empty)).otherwise(expr.list.join(", "))


def col(name: str) -> pl.Expr:
    """A facts column (a shorter spelling of ``pl.col``)."""
    return pl.col(name)


fmt = pl.format

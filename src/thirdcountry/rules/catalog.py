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

    def precedence(self) -> tuple[list[Check], pl.Expr]:
        """The rule's checks in the order they take precedence, and its reason for passing.

        A blocked reason wins over a review reason; within each, the first that applies in
        the order written wins. A null condition (a fact it needs is unknown) does not hold.
        """
        logic = self.logic()
        ordered = [c for c in logic.checks if c.outcome == "blocked"] + [
            c for c in logic.checks if c.outcome == "review"
        ]
        return ordered, _text(logic.passes)

    def branch(self) -> pl.Expr:
        """For each row, which finding it gets: the index of the first check in
        :meth:`precedence` that holds, or the number of checks when it passes."""
        checks, _ = self.precedence()
        when_then: Any = None
        for index, check in enumerate(checks):
            condition = check.condition.fill_null(False)
            chosen = pl.lit(index, dtype=pl.UInt8)
            when_then = (
                pl.when(condition).then(chosen)
                if when_then is None
                else when_then.when(condition).then(chosen)
            )
        passing = pl.lit(len(checks), dtype=pl.UInt8)
        chain: pl.Expr = passing if when_then is None else when_then.otherwise(passing)
        return chain.alias(self.id)

    def expression(self) -> pl.Expr:
        """A struct column ``{outcome, reason}`` named after the rule: for each row, the
        finding of the first check in :meth:`precedence` that holds, else the passing one."""
        checks, passes = self.precedence()
        when_then: Any = None
        for check in checks:
            condition = check.condition.fill_null(False)
            found = finding(check.outcome, check.reason)
            when_then = (
                pl.when(condition).then(found)
                if when_then is None
                else when_then.when(condition).then(found)
            )
        passing = finding("pass", passes)
        chain: pl.Expr = passing if when_then is None else when_then.otherwise(passing)
        return chain.alias(self.id)


def finding(outcome: Outcome, reason: pl.Expr) -> pl.Expr:
    """A finding as a struct ``{outcome, reason}``."""
    return pl.struct(pl.lit(outcome, dtype=OUTCOME_DTYPE).alias("outcome"), reason.alias("reason"))


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

"""What a rule is, and the catalog that holds the rules in order.

A rule is a small named function over the facts table. It returns its checks: the ways it
can block, the ways it can call for review, and the ways it passes. Each check has a stable
reason code (``written-notice.not-understood``), an English template and typed parameters
computed from the facts. A finding is data: the check that applied and its parameters. It is
stored as such and rendered into a sentence when read (:mod:`thirdcountry.findings`), in the
reader's language and for the reader's role.

The engine composes the checks into one expression per rule, so the same code screens one
transfer or a million.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final, Literal, get_args

import polars as pl

Outcome = Literal["pass", "review", "blocked"]
OUTCOMES: Final[tuple[Outcome, ...]] = ("pass", "review", "blocked")
#: The dtype of an outcome column; its order is the order of severity.
OUTCOME_DTYPE: Final = pl.Enum(list(OUTCOMES))

#: What a reason's parameter is, which decides how it is stored and shown: a date
#: (``YYYY-MM-DD``), a birth date (personal data: those who may not see it read its year), a
#: whole number, an ISO country or language code, a ref (person,
#: arrangement, court order), a stored word (a status, a kind), or a list of codes or refs.
Kind = Literal[
    "date",
    "birth_date",
    "number",
    "country",
    "countries",
    "language",
    "languages",
    "person",
    "persons",
    "arrangement",
    "court_orders",
    "word",
]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
LIST_KINDS: Final = frozenset({"countries", "languages", "persons", "court_orders"})

#: Separators of the stored form: between rules, between a finding's parameters, between the
#: items of a list parameter; and the mark of an unknown (null) parameter. Control characters
#: no code, ref, date or number contains.
RULE_SEP: Final = "\x1e"
PARAM_SEP: Final = "\x1f"
ITEM_SEP: Final = "\x1d"
NULL: Final = "\x15"


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it (read when rendered)."""
    return message


_ = gettext_noop


@dataclass(frozen=True, slots=True)
class Param:
    """A reason's parameter: what it is, and the facts expression that gives its value."""

    kind: Kind
    expr: pl.Expr

    def stored(self) -> pl.Expr:
        """The parameter as stored: text, list items joined, unknown as :data:`NULL`."""
        expr = self.expr
        if self.kind == "court_orders":
            expr = expr.list.eval(pl.element().struct.field("order"))
        if self.kind in LIST_KINDS:
            text = expr.cast(pl.List(pl.String)).list.join(ITEM_SEP)
        elif self.kind in ("date", "birth_date"):
            text = expr.dt.to_string("%Y-%m-%d")
        else:
            text = expr.cast(pl.String)
        return text.fill_null(NULL)


def _param(kind: Kind) -> Callable[[pl.Expr | str], Param]:
    def make(expr: pl.Expr | str) -> Param:
        return Param(kind, pl.col(expr) if isinstance(expr, str) else expr)

    make.__doc__ = f"A parameter of kind ``{kind}`` (a facts column or expression)."
    return make


on_date = _param("date")
birth_date = _param("birth_date")
number = _param("number")
country = _param("country")
countries = _param("countries")
language = _param("language")
languages = _param("languages")
person = _param("person")
persons = _param("persons")
arrangement = _param("arrangement")
court_orders = _param("court_orders")
word = _param("word")


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule gives a finding: a stable code, the outcome, an English template naming
    its parameters in braces (``"notice served {served} is in {language}"``), and the kind
    of each parameter, in the order they are stored."""

    code: str
    outcome: Outcome
    template: str
    params: tuple[tuple[str, Kind], ...]


@dataclass(frozen=True, slots=True)
class Check:
    """One way a rule decides: when ``condition`` holds, the finding is ``outcome`` for the
    reason ``code`` (local to the rule), with these parameters.

    A null condition (a fact it needs is unknown) does not hold: unknowns are caught by the
    rule's own ``review`` checks, never by accident.
    """

    outcome: Outcome
    condition: pl.Expr
    code: str
    template: str
    params: tuple[tuple[str, Param], ...]

    def stored(self, letter: str) -> pl.Expr:
        """The finding this check gives, as stored: its letter, then its parameters."""
        parts: list[pl.Expr] = [pl.lit(letter)]
        for index, (_name, param) in enumerate(self.params):
            if index:
                parts.append(pl.lit(PARAM_SEP))
            parts.append(param.stored())
        return pl.concat_str(parts) if len(parts) > 1 else parts[0]


def blocked(condition: pl.Expr, code: str, template: str, **params: Param) -> Check:
    """A bar: the transfer must not go ahead while ``condition`` holds."""
    return Check("blocked", condition, code, template, tuple(params.items()))


def review(condition: pl.Expr, code: str, template: str, **params: Param) -> Check:
    """A fact is missing or a person must weigh it."""
    return Check("review", condition, code, template, tuple(params.items()))


def passes(code: str, template: str, when: pl.Expr | None = None, **params: Param) -> Check:
    """A way the rule passes: when ``when`` holds, or (without it) whenever nothing else
    applied. A rule's last way of passing has no condition."""
    condition = pl.lit(True) if when is None else when
    return Check("pass", condition, code, template, tuple(params.items()))


@dataclass(frozen=True, slots=True)
class Logic:
    """A rule's checks, in the order RULES.md writes them, and its ways of passing (the
    last with no condition)."""

    checks: Sequence[Check]
    passes: Sequence[Check] | Check


#: A finding's letter: the index of the check that gave it, in :meth:`Rule.precedence`.
LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Rule:
    """One safeguard of the catalog, with its legal basis beside its logic.

    ``basis`` is written as its parts (a treaty article, a judgment, a guidance note), each
    translated on its own and shown joined by semicolons.
    """

    number: int
    id: str
    title: str
    basis_parts: tuple[str, ...]
    #: The facts columns the rule reads (parameters included).
    reads: tuple[str, ...]
    logic: Callable[[], Logic] = field(repr=False)

    @property
    def basis(self) -> str:
        """The legal basis in English."""
        return "; ".join(self.basis_parts)

    @cached_property
    def precedence(self) -> tuple[Check, ...]:
        """The rule's checks in the order they take precedence: a blocked reason wins over a
        review reason, which wins over passing; within each, the first that applies in the
        order written wins."""
        logic = self.logic()
        ways = [logic.passes] if isinstance(logic.passes, Check) else list(logic.passes)
        if not ways or ways[-1].outcome != "pass":
            raise ValueError(f"rule {self.id}: the last way of passing must be passes(...)")
        ordered = [c for c in logic.checks if c.outcome == "blocked"]
        ordered += [c for c in logic.checks if c.outcome == "review"]
        ordered += ways
        if len(ordered) > len(LETTERS):
            raise ValueError(f"rule {self.id}: more checks than letters")
        codes = [c.code for c in ordered]
        if len(set(codes)) != len(codes):
            raise ValueError(f"rule {self.id}: each reason code once")
        return tuple(ordered)

    @cached_property
    def reasons(self) -> tuple[Reason, ...]:
        """The rule's reasons, in :attr:`precedence` order (a finding's letter indexes it)."""
        return tuple(
            Reason(
                f"{self.id}.{c.code}",
                c.outcome,
                c.template,
                tuple((name, p.kind) for name, p in c.params),
            )
            for c in self.precedence
        )

    def reason(self, code: str) -> Reason:
        """The reason with this code (``rule-id.reason`` or the part after the rule id)."""
        for candidate in self.reasons:
            if code in (candidate.code, candidate.code.removeprefix(f"{self.id}.")):
                return candidate
        raise KeyError(code)

    def branch(self) -> pl.Expr:
        """For each row, the index of the check in :attr:`precedence` that gives its
        finding: the first whose condition holds (the last always does)."""
        return self._branch

    def expression(self) -> pl.Expr:
        """A struct column ``{outcome, finding}`` named after the rule: for each row, the
        outcome and the stored finding (letter and parameters) of its branch."""
        return self._expression

    def finding_of(self, index: int) -> pl.Expr:
        """The ``{outcome, finding}`` struct of the check at ``index`` in :attr:`precedence`,
        named after the rule (what :meth:`expression` gives on a row of that branch)."""
        return self._findings[index]

    # Built once per rule and process: composing a rule's expression costs more than
    # evaluating it on the one row of a single transfer's screening.
    @cached_property
    def _branch(self) -> pl.Expr:
        checks = self.precedence
        chain: Any = None
        for index, check in enumerate(checks[:-1]):
            condition = check.condition.fill_null(False)
            chosen = pl.lit(index, dtype=pl.UInt8)
            chain = (
                pl.when(condition).then(chosen)
                if chain is None
                else chain.when(condition).then(chosen)
            )
        last = pl.lit(len(checks) - 1, dtype=pl.UInt8)
        return (last if chain is None else chain.otherwise(last)).alias(self.id)

    @cached_property
    def _findings(self) -> tuple[pl.Expr, ...]:
        return tuple(
            finding(check, index).alias(self.id) for index, check in enumerate(self.precedence)
        )

    @cached_property
    def _expression(self) -> pl.Expr:
        checks = self.precedence
        chain: Any = None
        for index, check in enumerate(checks[:-1]):
            condition = check.condition.fill_null(False)
            found = finding(check, index)
            chain = (
                pl.when(condition).then(found)
                if chain is None
                else chain.when(condition).then(found)
            )
        last = finding(checks[-1], len(checks) - 1)
        return (last if chain is None else chain.otherwise(last)).alias(self.id)


def finding(check: Check, index: int) -> pl.Expr:
    """The finding of one check as a struct ``{outcome, finding}``."""
    return pl.struct(
        pl.lit(check.outcome, dtype=OUTCOME_DTYPE).alias("outcome"),
        check.stored(LETTERS[index]).alias("finding"),
    )


@dataclass(frozen=True)
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

    def reason(self, code: str) -> Reason:
        """The reason with this code (``rule-id.reason``)."""
        rule_id, _dot, _rest = code.partition(".")
        return self.rule(rule_id).reason(code)

    @property
    def ids(self) -> tuple[str, ...]:
        """The rule ids in catalog order."""
        return tuple(r.id for r in self.rules)


def rule(
    number: int,
    id: str,
    *,
    title: str,
    basis: str | Sequence[str],
    reads: Sequence[str],
) -> Callable[[Callable[[], Logic]], Rule]:
    """Declare a rule of the catalog: its number (catalog order), id, title, legal basis (one
    part or several) and the facts it reads, beside the function that gives its logic."""
    parts = (basis,) if isinstance(basis, str) else tuple(basis)

    def declare(logic: Callable[[], Logic]) -> Rule:
        return Rule(number, id, title, parts, tuple(reads), logic)

    return declare


def col(name: str) -> pl.Expr:
    """A facts column (a shorter spelling of ``pl.col``)."""
    return pl.col(name)

"""Evaluate a catalog over a facts table: one finding per rule per transfer, and a verdict.

Each rule is a Polars expression over the facts it reads, so a transfer's findings depend on
its own row only. That lets a large table be evaluated in ways that give the same result for
less work: a rule whose inputs repeat across many rows (the arrangement's status, the
person's claims, the destination's assessment) is evaluated once per distinct combination of
the columns it reads and joined back; any other rule has its conditions evaluated on every
row and each finding's parameters only on the rows that get it. One transfer's row is
evaluated directly, each rule's finding remembered by the values it read, so the next
transfer with the same values is not evaluated again. The rules run on Polars' threads
while Python hashes each row's facts.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any, Final

import polars as pl

from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import OUTCOMES, Catalog, Rule, finding
from thirdcountry.rules.facts import facts_sha256
from thirdcountry.rules.memo import Recent

VERDICTS: Final = ("clear", "review", "blocked")
VERDICT_DTYPE: Final = pl.Enum(list(VERDICTS))

#: Below this many rows every rule is evaluated row by row: grouping would not pay.
GROUP_FROM: Final = 20_000
#: Rows sampled to judge whether the columns a rule reads repeat enough to group them.
SAMPLE: Final = 4_000


@cache
def _columns_read(rule: Rule) -> tuple[str, ...]:
    """The facts columns the rule's expression reads, as Polars sees them (found once per
    rule and process: one transfer's screening asks for every rule's)."""
    return tuple(dict.fromkeys(rule.expression().meta.root_names()))


def _repeats(facts: pl.DataFrame, columns: list[str]) -> bool:
    """Whether the rows of ``columns`` repeat enough to evaluate each distinct one once
    (judged on an evenly spaced sample; either answer gives the same findings)."""
    if facts.height < GROUP_FROM or not columns:
        return False
    sample = facts.select(columns).gather_every(max(1, facts.height // SAMPLE))
    return sample.n_unique() * 2 <= sample.height


def _finding(facts: pl.DataFrame, rule: Rule) -> pl.LazyFrame:
    """The rule's ``{outcome, finding}`` column, one row per facts row, in order."""
    columns = list(_columns_read(rule))
    if _repeats(facts, columns):
        return _by_distinct_rows(facts, rule, columns)
    if facts.height >= GROUP_FROM and columns:
        return _by_branch(facts, rule, columns)
    return facts.lazy().with_columns(rule.expression()).select(rule.id)


def _by_distinct_rows(facts: pl.DataFrame, rule: Rule, columns: list[str]) -> pl.LazyFrame:
    """Evaluate the rule once per distinct row of the columns it reads, and join back."""
    rows = facts.lazy().select(columns)
    distinct = rows.unique().with_columns(rule.expression())
    return rows.join(
        distinct, on=columns, how="left", nulls_equal=True, maintain_order="left"
    ).select(rule.id)


def _by_branch(facts: pl.DataFrame, rule: Rule, columns: list[str]) -> pl.LazyFrame:
    """Evaluate the rule's conditions on every row, then each finding's parameters only on
    the rows that get it (most rows pass, and parameters cost more than a condition)."""
    rows = (
        facts.lazy()
        .select(columns)
        .with_columns(rule.branch().alias("_branch"))
        .with_row_index("_row")
    )
    parts = [
        rows.filter(pl.col("_branch") == index).select("_row", finding(check, index).alias(rule.id))
        for index, check in enumerate(rule.precedence)
    ]
    return pl.concat(parts).sort("_row").select(rule.id)


#: One transfer's findings remembered, per rule, by the values of the facts it reads.
ONE_ROW_MEMORY: Final = 65_536
_remembered: Recent[tuple[Any, ...], tuple[pl.Series, int]] = Recent(ONE_ROW_MEMORY)


def _frozen(value: Any) -> Any:
    """A facts value as a key: lists as tuples, structs as tuples of their fields."""
    if isinstance(value, list):
        return tuple(map(_frozen, value))
    if isinstance(value, dict):
        return tuple((name, _frozen(field)) for name, field in value.items())
    return value


def _one_row(facts: pl.DataFrame, catalog: Catalog) -> list[tuple[pl.Series, int]]:
    """Every rule's finding on a single row, with its outcome's rank (pass 0, review 1,
    blocked 2). A rule's finding depends on the facts it reads alone, so one evaluated before
    on the same values is taken from memory: a transfer screened again after a fact is saved
    reads, for most rules, what it read the last time. The others are evaluated in two Polars
    queries, which check decides each rule and then only those checks' findings: a fixed cost
    per query, whatever the rows, dominates one transfer's screening."""
    row = facts.row(0, named=True)
    schema = facts.schema
    keys = {
        rule.id: (
            catalog.version,
            rule.id,
            tuple(schema[column] for column in _columns_read(rule)),
            tuple(_frozen(row[column]) for column in _columns_read(rule)),
        )
        for rule in catalog.rules
    }
    found = {rule.id: _remembered.get(keys[rule.id]) for rule in catalog.rules}
    missing = [rule for rule in catalog.rules if found[rule.id] is None]
    if missing:
        branches = facts.select(rule.branch() for rule in missing).row(0)
        fresh = facts.select(
            rule.finding_of(index) for rule, index in zip(missing, branches, strict=True)
        )
        for rule, index, column in zip(missing, branches, fresh.get_columns(), strict=True):
            outcome = OUTCOMES.index(rule.precedence[index].outcome)
            found[rule.id] = (column, outcome)
            _remembered.put(keys[rule.id], (column, outcome))
    return [found[rule.id] for rule in catalog.rules]  # type: ignore[misc]


def _evaluate_one(facts: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    """:func:`evaluate` of a single row, its verdict taken from the findings' outcomes."""
    findings = _one_row(facts, catalog)
    worst = max((outcome for _column, outcome in findings), default=0)
    return pl.DataFrame(
        [
            facts["position"],
            facts["transfer"],
            pl.Series("verdict", [VERDICTS[worst]], dtype=VERDICT_DTYPE),
            facts_sha256(facts),
            *(column for column, _outcome in findings),
        ]
    )


def _findings(facts: pl.DataFrame, catalog: Catalog) -> pl.DataFrame:
    # The in-memory engine: the streaming one is far slower at joins on a few distinct keys.
    frames = pl.collect_all([_finding(facts, rule) for rule in catalog.rules], engine="in-memory")
    return pl.concat([facts.select("position", "transfer"), *frames], how="horizontal")


def evaluate(facts: pl.DataFrame, catalog: Catalog | str | None = None) -> pl.DataFrame:
    """The findings table: ``position``, ``transfer``, ``verdict``, ``facts_sha256`` and one
    ``{outcome, finding}`` struct column per rule (the finding as stored: see
    :mod:`thirdcountry.findings`), named by its id, in catalog order.

    ``catalog`` is a catalog, a registered version, or (``None``) the current catalog.
    ``verdict`` is ``blocked`` if any finding is blocked, else ``review`` if any is review,
    else ``clear``.
    """
    catalog = catalogs.resolve(catalog)
    if facts.height == 1:
        return _evaluate_one(facts, catalog)
    if facts.height == 0:
        findings = _findings(facts, catalog)
        digests = facts_sha256(facts)
    else:
        # Python hashes the rows while the rules run on Polars' threads.
        with ThreadPoolExecutor(max_workers=1) as pool:
            evaluated = pool.submit(_findings, facts, catalog)
            digests = facts_sha256(facts)
            findings = evaluated.result()
    # Outcomes are an Enum ordered pass < review < blocked, so the verdict is the worst one.
    worst = pl.max_horizontal(
        *(pl.col(rule_id).struct.field("outcome").to_physical() for rule_id in catalog.ids)
    )
    verdict = (
        pl.when(worst == 2)
        .then(pl.lit("blocked"))
        .when(worst == 1)
        .then(pl.lit("review"))
        .otherwise(pl.lit("clear"))
        .cast(VERDICT_DTYPE)
    )
    return findings.select(
        "position",
        "transfer",
        verdict.alias("verdict"),
        digests,
        *catalog.ids,
    )

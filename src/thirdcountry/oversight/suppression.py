"""Small-count suppression for published tables of counts, with secondary suppression so
that no suppressed count can be worked out from what is published.

Every count from 1 to 4 is suppressed (shown ``<5``): the primary suppression. A table's
row totals, column totals and grand total are published too, so each row and column is an
equation (the total is the sum of its cells), and so are the totals' own row and column.
Secondary suppression (shown ``x``) then hides more counts until no suppressed count can be
recovered:

1. an equation with exactly one suppressed count gives it away by subtraction, so another
   count of that equation is suppressed: the smallest non-zero one, a cell rather than a
   total where possible; repeated until no equation has exactly one;
2. an attacker who knows the method also knows that a ``<5`` count is between 1 and 4 and an
   ``x`` count at least 5 (zeros are never suppressed). Bounds propagated through every
   equation, and for small groups of linked suppressed counts an exhaustive search of every
   solution, find each suppressed count's possible values; where only one is possible, one
   more count of an equation holding it is suppressed, and the steps start over.

Tables that publish the same quantity (the number of transfers by status, say, as one
table's row totals and another's column totals) name it with the same key, so they are
suppressed together and an attacker gains nothing by putting tables side by side.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

#: Counts from 1 to this are suppressed.
PRIMARY_MAX: Final = 4
PRIMARY: Final = "primary"
SECONDARY: Final = "secondary"
#: How a suppressed count is published.
SHOWN: Final = {PRIMARY: "<5", SECONDARY: "x"}
#: The bounds an attacker knows for each kind of suppressed count.
PRIMARY_BOUNDS: Final = (1, PRIMARY_MAX)
SECONDARY_LOW: Final = PRIMARY_MAX + 1
#: Search budget (nodes) for the exhaustive check of one group of linked counts.
SEARCH_BUDGET: Final = 20_000

Key = Hashable
Equation = tuple[Key, tuple[Key, ...]]


class Undisclosable(ValueError):
    """A count that would be recovered whatever else is suppressed (every non-zero count
    linked to it already is): the tables holding it cannot be published."""

    def __init__(self, key: Key) -> None:
        super().__init__(f"cannot protect {key!r}: nothing left to suppress")
        self.key = key


@dataclass
class CountTable:
    """A table of counts: ``counts[r][c]`` for each row and column, with row totals, column
    totals and a grand total.

    ``row_margin``, ``column_margin`` and ``total_margin`` name totals this table shares
    with others (e.g. ``"status"``): two tables whose row totals are the same quantities
    give them the same margin name.
    """

    name: str
    title: str
    dimension: str
    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    row_margin: str | None = None
    column_margin: str | None = None
    total_margin: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.rows) or any(
            len(row) != len(self.columns) for row in self.counts
        ):
            raise ValueError(f"table {self.name}: counts do not match its rows and columns")
        if any(v < 0 for row in self.counts for v in row):
            raise ValueError(f"table {self.name}: a count is negative")

    def cell_key(self, r: int, c: int) -> Key:
        return (self.name, self.rows[r], self.columns[c])

    def row_key(self, r: int) -> Key:
        return (self.row_margin or f"{self.name}:row", self.rows[r])

    def column_key(self, c: int) -> Key:
        return (self.column_margin or f"{self.name}:column", self.columns[c])

    def total_key(self) -> Key:
        return (self.total_margin or f"{self.name}:total",)

    def row_totals(self) -> list[int]:
        return [sum(row) for row in self.counts]

    def column_totals(self) -> list[int]:
        return [sum(row[c] for row in self.counts) for c in range(len(self.columns))]

    def total(self) -> int:
        return sum(self.row_totals())

    def quantities(self) -> dict[Key, int]:
        """Every count the table publishes, by key."""
        found: dict[Key, int] = {}
        for r, row in enumerate(self.counts):
            for c, value in enumerate(row):
                found[self.cell_key(r, c)] = value
        for r, value in enumerate(self.row_totals()):
            found[self.row_key(r)] = value
        for c, value in enumerate(self.column_totals()):
            found[self.column_key(c)] = value
        found[self.total_key()] = self.total()
        return found

    def equations(self) -> list[Equation]:
        """Each total with the counts it sums."""
        rows, columns = range(len(self.rows)), range(len(self.columns))
        found: list[Equation] = [
            (self.row_key(r), tuple(self.cell_key(r, c) for c in columns)) for r in rows
        ]
        found += [(self.column_key(c), tuple(self.cell_key(r, c) for r in rows)) for c in columns]
        found.append((self.total_key(), tuple(self.row_key(r) for r in rows)))
        found.append((self.total_key(), tuple(self.column_key(c) for c in columns)))
        return [(whole, parts) for whole, parts in found if parts]


@dataclass
class Suppression:
    """What is published of a set of tables: each quantity's value and which are suppressed
    (and why)."""

    values: dict[Key, int]
    marks: dict[Key, str]
    equations: list[Equation]
    rounds: int = 0

    def shown(self, key: Key) -> str:
        """The published text of a quantity: its count, ``<5`` or ``x``."""
        mark = self.marks.get(key)
        return SHOWN[mark] if mark else str(self.values[key])

    def published(self, key: Key) -> int | None:
        """The count, or None when it is suppressed."""
        return None if key in self.marks else self.values[key]


def known_bounds(
    published: Mapping[Key, int | None], marks: Mapping[Key, str], ceiling: int
) -> tuple[dict[Key, int], dict[Key, int]]:
    """What an attacker knows of each quantity before using any equation."""
    low: dict[Key, int] = {}
    high: dict[Key, int] = {}
    for key, value in published.items():
        if value is not None:
            low[key] = high[key] = value
        elif marks.get(key) == PRIMARY:
            low[key], high[key] = PRIMARY_BOUNDS
        else:
            low[key], high[key] = SECONDARY_LOW, ceiling
    return low, high


def propagate(equations: Sequence[Equation], low: dict[Key, int], high: dict[Key, int]) -> bool:
    """Tighten bounds through every equation until nothing changes; False when they
    contradict each other."""
    changed = True
    while changed:
        changed = False
        for whole, parts in equations:
            lows = sum(low[p] for p in parts)
            highs = sum(high[p] for p in parts)
            new_low, new_high = max(low[whole], lows), min(high[whole], highs)
            if new_low > new_high:
                return False
            if (new_low, new_high) != (low[whole], high[whole]):
                low[whole], high[whole] = new_low, new_high
                changed = True
            for p in parts:
                p_low = max(low[p], low[whole] - (highs - high[p]))
                p_high = min(high[p], high[whole] - (lows - low[p]))
                if p_low > p_high:
                    return False
                if (p_low, p_high) != (low[p], high[p]):
                    lows += p_low - low[p]
                    highs += p_high - high[p]
                    low[p], high[p] = p_low, p_high
                    changed = True
    return True


def _groups(unknown: set[Key], equations: Sequence[Equation]) -> list[list[Key]]:
    """Suppressed quantities linked through equations, each group in a stable order."""
    parent = {k: k for k in unknown}

    def find(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for whole, parts in equations:
        members = [m for m in (whole, *parts) if m in unknown]
        for m in members[1:]:
            parent[find(m)] = find(members[0])
    groups: dict[Key, list[Key]] = {}
    for k in sorted(unknown, key=repr):
        groups.setdefault(find(k), []).append(k)
    return list(groups.values())


def _possible_values(
    group: list[Key],
    equations: Sequence[Equation],
    low: Mapping[Key, int],
    high: Mapping[Key, int],
) -> dict[Key, set[int]] | None:
    """Every value each quantity of ``group`` takes in some solution of the equations, by
    exhaustive search; None when the search is too large to finish."""
    members = set(group)
    relevant = [
        (whole, parts) for whole, parts in equations if whole in members or members & set(parts)
    ]
    # Each equation as: sum of coefficient * unknown = constant (known quantities moved over).
    rows: list[tuple[dict[Key, int], int]] = []
    for whole, parts in relevant:
        coefficients: dict[Key, int] = {}
        constant = 0
        for key, sign in ((whole, -1), *((p, 1) for p in parts)):
            if key in members:
                coefficients[key] = coefficients.get(key, 0) + sign
            else:
                constant -= sign * low[key]  # a known quantity: low == high
        rows.append((coefficients, constant))
    order = sorted(group, key=lambda k: high[k] - low[k])
    seen: dict[Key, set[int]] = {k: set() for k in group}
    values: dict[Key, int] = {}
    nodes = 0

    def feasible() -> bool:
        for coefficients, constant in rows:
            least = most = 0
            for key, coefficient in coefficients.items():
                if key in values:
                    least += coefficient * values[key]
                    most += coefficient * values[key]
                elif coefficient > 0:
                    least += coefficient * low[key]
                    most += coefficient * high[key]
                else:
                    least += coefficient * high[key]
                    most += coefficient * low[key]
            if not least <= constant <= most:
                return False
        return True

    def undecided() -> bool:
        return any(len(v) < 2 for v in seen.values())

    def search(i: int) -> bool:
        nonlocal nodes
        if i == len(order):
            for k, v in values.items():
                seen[k].add(v)
            return undecided()
        key = order[i]
        for value in range(low[key], high[key] + 1):
            nodes += 1
            if nodes > SEARCH_BUDGET:
                raise TimeoutError
            values[key] = value
            if feasible() and not search(i + 1):
                del values[key]
                return False
            del values[key]
        return True

    try:
        search(0)
    except TimeoutError:
        return None
    return seen


def disclosed(
    published: Mapping[Key, int | None],
    marks: Mapping[Key, str],
    equations: Sequence[Equation],
    ceiling: int | None = None,
) -> set[Key]:
    """The suppressed quantities an attacker can work out exactly from what is published
    and the method: by bounds through the equations, then by exhaustive search of small
    groups of linked quantities. ``ceiling`` stands for "no upper bound" (by default, more
    than every published count together)."""
    if ceiling is None:
        ceiling = 10 * sum(v for v in published.values() if v is not None) + 10 * SECONDARY_LOW
    low, high = known_bounds(published, marks, ceiling)
    if not propagate(equations, low, high):
        raise ValueError("the published counts contradict each other")
    unknown = {k for k, v in published.items() if v is None}
    found = {k for k in unknown if low[k] == high[k]}
    for group in _groups(unknown - found, equations):
        space = 1
        for k in group:
            space *= high[k] - low[k] + 1
        if space <= 1:
            continue
        possible = _possible_values(group, equations, low, high)
        if possible is not None:
            found |= {k for k, v in possible.items() if len(v) == 1}
    return found


def _candidate(
    equation: Equation, values: Mapping[Key, int], marks: Mapping[Key, str]
) -> Key | None:
    """The count of an equation to suppress next: the smallest non-zero published one, a
    part rather than the total where there is one."""
    whole, parts = equation
    for pool in (parts, (whole,)):
        open_ = [k for k in pool if k not in marks and values[k] > 0]
        if open_:
            return min(open_, key=lambda k: values[k])
    return None


def suppress(tables: Iterable[CountTable]) -> Suppression:
    """Suppress small counts in ``tables`` (together) and as many others as needed so that
    none can be recovered; raises :class:`Undisclosable` when that cannot be done."""
    values: dict[Key, int] = {}
    equations: list[Equation] = []
    for table in tables:
        for key, value in table.quantities().items():
            if values.setdefault(key, value) != value:
                raise ValueError(f"tables disagree on {key!r}: {values[key]} and {value}")
        equations += table.equations()
    marks = {k: PRIMARY for k, v in values.items() if 1 <= v <= PRIMARY_MAX}
    rounds = 0
    while True:
        rounds += 1
        added = False
        for equation in equations:
            whole, parts = equation
            if sum(1 for k in (whole, *parts) if k in marks) == 1:
                pick = _candidate(equation, values, marks)
                if pick is not None:
                    marks[pick] = SECONDARY
                    added = True
        if added:
            continue
        published = {k: (None if k in marks else v) for k, v in values.items()}
        exposed = disclosed(published, marks, equations, 10 * sum(values.values()) + 100)
        if not exposed:
            return Suppression(values, marks, equations, rounds)
        for key in sorted(exposed, key=repr):
            if key in marks and _protect(key, equations, values, marks) is None:
                raise Undisclosable(key)


def _protect(
    key: Key, equations: Sequence[Equation], values: Mapping[Key, int], marks: dict[Key, str]
) -> Key | None:
    """Suppress one more count to protect ``key``: the smallest candidate of an equation
    holding it, else of an equation holding a suppressed count linked to it, and so on
    outwards."""
    reached, frontier = {key}, [key]
    while frontier:
        holding = [e for e in equations if e[0] in frontier or set(frontier) & set(e[1])]
        picks = [p for p in (_candidate(e, values, marks) for e in holding) if p is not None]
        if picks:
            pick = min(picks, key=lambda p: (values[p], repr(p)))
            marks[pick] = SECONDARY
            return pick
        linked = {m for e in holding for m in (e[0], *e[1]) if m in marks} - reached
        reached |= linked
        frontier = sorted(linked, key=repr)
    return None

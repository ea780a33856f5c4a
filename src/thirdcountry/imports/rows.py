"""Rows of a spreadsheet as persons and transfers of the scenario format, validated with the
format's one schema (the parser that checks scenario files and API bodies), each problem
named by its row, column and value.

Two steps, so that the caller can read what storage already holds in between:
:func:`read_rows` translates each row's cells (what it fills of a person and a transfer);
:func:`assemble` lays the filled facts over the stored records of the same refs, parses the
whole set at once and, with ``skip_invalid``, drops the rows that fail until what is left is
valid. This module needs no Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from thirdcountry.imports.cells import CellError, is_empty, translate
from thirdcountry.imports.mapping import ColumnRule, ImportMapping
from thirdcountry.imports.sheets import FIRST_ROW, Sheet
from thirdcountry.scenario.model import FORMAT, Scenario
from thirdcountry.scenario.parse import ScenarioError, parse_scenario

_INDEX: Final = re.compile(r"\[\d+\]")
_PATH: Final = re.compile(r"(persons|transfers)\[(\d+)\]\.?([A-Za-z_.\[\]0-9]*)")
#: How many times rejected rows are dropped and the rest parsed again (a dropped person can
#: leave a later row's transfer without its person, which the next round finds).
_ROUNDS: Final = 20
#: Rows read between two reports of progress.
PROGRESS_EVERY: Final = 20_000
#: A value not translated yet.
_UNSEEN: Final = object()


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with a row: its spreadsheet row number (the header is row 1), the
    column, the value as read, and what is wrong."""

    row: int
    column: str
    value: str
    problem: str


@dataclass
class FilledRow:
    """What one row fills: part of a person and part of a transfer (as JSON objects)."""

    number: int
    cells: tuple[Any, ...]
    person: dict[str, Any] = field(default_factory=dict)
    transfer: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReadRows:
    """Every row as filled facts, the problems found cell by cell, and the values no country
    or language matched (by column), for the report."""

    header: tuple[str, ...]
    rows: list[FilledRow]
    problems: list[RowProblem]
    unmatched: dict[str, set[str]]

    def person_refs(self) -> set[str]:
        """The refs of the persons the rows fill or refer to."""
        refs = {r.person["ref"] for r in self.rows if isinstance(r.person.get("ref"), str)}
        refs.update(r.transfer["person"] for r in self.rows if "person" in r.transfer)
        return refs

    def transfer_refs(self) -> set[str]:
        """The refs of the transfers the rows fill."""
        return {r.transfer["ref"] for r in self.rows if isinstance(r.transfer.get("ref"), str)}

    def arrangement_refs(self) -> set[str]:
        """The refs of the arrangements the rows' transfers name."""
        return {
            r.transfer["arrangement"]
            for r in self.rows
            if isinstance(r.transfer.get("arrangement"), str)
        }


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _put(target: dict[str, Any], steps: list[str], value: Any) -> None:
    for step in steps[:-1]:
        inner = target.get(step)
        if not isinstance(inner, dict):
            inner = target[step] = {}
        target = inner
    target[steps[-1]] = value


def read_rows(
    sheet: Sheet, mapping: ImportMapping, progress: Callable[[int], None] | None = None
) -> ReadRows:
    """Translate every row's cells into the facts the mapping says they fill; ``progress``
    is told how many rows are done, every :data:`PROGRESS_EVERY` rows."""
    problems: list[RowProblem] = []
    unmatched: dict[str, set[str]] = {}
    positions = {name: i for i, name in enumerate(sheet.header)}
    missing = [r.column for r in mapping.rules if r.column not in positions]
    for column in missing:
        problems.append(RowProblem(1, column, "", "the file has no such column"))
    # Each column's rule, where its fact goes, and what each distinct value of a coded column
    # (a country, a date, yes or no) translated to: a million rows hold few distinct values.
    rules: list[tuple[int, ColumnRule, bool, list[str], dict[Any, Any]]] = [
        (positions[r.column], r, r.fact.split(".")[0] == "person", r.fact.split(".")[1:], {})
        for r in mapping.rules
        if r.column in positions
    ]
    constants = [
        (fact.split(".")[0] == "person", fact.split(".")[1:], value)
        for fact, value in mapping.constants.items()
    ]
    fills_person = mapping.fills("person")
    fills_both = fills_person and mapping.fills("transfer")
    rows: list[FilledRow] = []
    for offset, cells in enumerate(sheet.rows):
        filled = FilledRow(FIRST_ROW + offset, cells)
        for is_person, steps, value in constants:
            _put(filled.person if is_person else filled.transfer, steps, value)
        for position, rule, is_person, steps, memo in rules:
            value = cells[position] if position < len(cells) else None
            if is_empty(value):
                continue
            translated = memo.get(value, _UNSEEN) if rule.kind.kind != "text" else _UNSEEN
            if translated is _UNSEEN:
                try:
                    translated = translate(value, rule)
                except CellError as error:
                    translated = error
                if rule.kind.kind != "text":
                    memo[value] = translated
            if isinstance(translated, CellError):
                problems.append(
                    RowProblem(filled.number, rule.column, _text(value), str(translated))
                )
                if rule.kind.kind in ("country", "language"):
                    unmatched.setdefault(rule.column, set()).add(_text(value))
                continue
            _put(filled.person if is_person else filled.transfer, steps, translated)
        if fills_both and "ref" in filled.person:
            filled.transfer.setdefault("person", filled.person["ref"])
        rows.append(filled)
        if progress is not None and offset % PROGRESS_EVERY == 0:
            progress(offset)
    return ReadRows(sheet.header, rows, problems, unmatched)


def _overlay(stored: Mapping[str, Any] | None, filled: Mapping[str, Any]) -> dict[str, Any]:
    """The stored record with the row's facts laid over it (an object fact key by key)."""
    merged = dict(stored or {})
    for key, value in filled.items():
        before = merged.get(key)
        if isinstance(value, dict) and isinstance(before, dict):
            merged[key] = {**before, **value}
        else:
            merged[key] = value
    return merged


@dataclass
class Assembled:
    """The records the valid rows give (``scenario`` holds only them), the rows rejected and
    every problem found."""

    scenario: Scenario
    valid_rows: list[int]
    rejected_rows: list[int]
    problems: list[RowProblem]


@dataclass
class _Round:
    document: dict[str, Any]
    person_rows: list[int]
    transfer_rows: list[int]
    in_file: tuple[int, int]


def _build(
    read: ReadRows,
    mapping: ImportMapping,
    rows: Sequence[FilledRow],
    stored: Mapping[str, Mapping[str, Mapping[str, Any]]],
    problems: list[RowProblem],
) -> _Round:
    persons: dict[str, dict[str, Any]] = {}
    person_rows: list[int] = []
    given: dict[str, tuple[int, dict[str, Any]]] = {}
    transfers: list[dict[str, Any]] = []
    transfer_rows: list[int] = []
    ref_column = mapping.column_of("person.ref") or ""
    fills_person, fills_transfer = mapping.fills("person"), mapping.fills("transfer")
    stored_persons, stored_transfers = stored["persons"], stored["transfers"]
    for row in rows:
        if fills_person:
            ref = row.person.get("ref")
            if not isinstance(ref, str):
                problems.append(RowProblem(row.number, ref_column, "", "no person ref"))
                continue
            if ref in given:
                first, facts = given[ref]
                if facts != row.person:
                    problems.append(
                        RowProblem(
                            row.number,
                            ref_column,
                            ref,
                            f"person {ref} is given other facts on row {first}",
                        )
                    )
                    continue
            else:
                given[ref] = (row.number, row.person)
                before = stored_persons.get(ref)
                # A record not stored is the row's facts as they are (a copy of them).
                persons[ref] = dict(row.person) if before is None else _overlay(before, row.person)
                person_rows.append(row.number)
        if fills_transfer:
            ref = row.transfer.get("ref")
            before = stored_transfers.get(ref) if isinstance(ref, str) else None
            transfers.append(
                dict(row.transfer) if before is None else _overlay(before, row.transfer)
            )
            transfer_rows.append(row.number)
    # Records the transfers refer to that the file does not hold: as storage holds them.
    named = {t.get("person") for t in transfers} - set(persons)
    person_stubs = [
        {"ref": ref, "names": ["-"]} for ref in sorted(stored["known_persons"]) if ref in named
    ]
    arrangements = [dict(a) for a in stored["arrangements"].values()]
    document = {
        "format": FORMAT,
        "arrangements": arrangements,
        "persons": [*persons.values(), *person_stubs],
        "transfers": transfers,
    }
    return _Round(document, person_rows, transfer_rows, (len(persons), len(transfers)))


def _row_problems(
    error: ScenarioError, built: _Round, mapping: ImportMapping, read: ReadRows
) -> list[RowProblem]:
    by_number = {r.number: r for r in read.rows}
    positions = {name: i for i, name in enumerate(read.header)}
    found: list[RowProblem] = []
    for problem in error.problems:
        match = _PATH.match(problem.path)
        if match is None:
            found.append(RowProblem(0, problem.path, "", problem.message))
            continue
        section, index, key = match.group(1), int(match.group(2)), match.group(3)
        numbers = built.person_rows if section == "persons" else built.transfer_rows
        if index >= len(numbers):
            continue
        number = numbers[index]
        record = "person" if section == "persons" else "transfer"
        fact = f"{record}.{_INDEX.sub('', key)}" if key else f"{record}.ref"
        column = mapping.column_of(fact) or ""
        cells = by_number[number].cells
        value = cells[positions[column]] if column in positions else ""
        found.append(RowProblem(number, column or fact, _text(value), problem.message))
    return found


def assemble(
    read: ReadRows,
    mapping: ImportMapping,
    stored: Mapping[str, Mapping[str, Any]],
    *,
    skip_invalid: bool = False,
) -> Assembled:
    """The persons and transfers the rows give, laid over ``stored`` and validated.

    ``stored`` holds what storage has for the refs the rows name: ``persons`` and
    ``transfers`` (scenario-format objects by ref), ``arrangements`` (by ref) and
    ``known_persons`` (refs of stored persons). Without ``skip_invalid``, any problem
    rejects every row; with it, the rows with problems are dropped and the rest kept.
    """
    problems = list(read.problems)
    if any(p.row == 1 for p in problems):
        return Assembled(Scenario(), [], [r.number for r in read.rows], problems)
    rejected = {p.row for p in problems}
    for _ in range(_ROUNDS):
        round_problems: list[RowProblem] = []
        kept = [r for r in read.rows if r.number not in rejected]
        built = _build(read, mapping, kept, stored, round_problems)
        try:
            parsed = parse_scenario(built.document)
        except ScenarioError as error:
            round_problems.extend(_row_problems(error, built, mapping, read))
            parsed = None
        problems.extend(round_problems)
        new = {p.row for p in round_problems} - rejected
        rejected |= new
        if parsed is not None and not new:
            persons, transfers = built.in_file
            scenario = Scenario(
                persons=parsed.persons[:persons], transfers=parsed.transfers[:transfers]
            )
            valid = [r.number for r in kept]
            problems.sort(key=lambda p: p.row)
            if rejected and not skip_invalid:
                return Assembled(Scenario(), [], [r.number for r in read.rows], problems)
            return Assembled(scenario, valid, sorted(rejected), problems)
        if not skip_invalid or not new:
            break
    problems.sort(key=lambda p: p.row)
    return Assembled(Scenario(), [], [r.number for r in read.rows], problems)

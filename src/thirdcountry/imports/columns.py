"""Reading a spreadsheet's rows column by column: each column's distinct values translated
once, the row's facts then put together from the translated columns.

It gives exactly what :func:`thirdcountry.imports.rows.read_rows` gives (the same filled
facts, the same problems in the same order, the same unmatched values): a million rows hold
few distinct countries, dates or yes/no spellings, and a cell is translated by the same
:func:`~thirdcountry.imports.cells.translate` whichever way it is read. This module needs
no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any, Final

from thirdcountry.imports.cells import CellError, is_empty, translate
from thirdcountry.imports.mapping import ColumnRule, ImportMapping
from thirdcountry.imports.rows import FilledRow, ReadRows, RowProblem, read_rows
from thirdcountry.imports.sheets import FIRST_ROW, Sheet

#: A cell left empty: its fact stays unknown.
_EMPTY: Final = object()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _keys(values: Sequence[Any], rule: ColumnRule) -> list[Any]:
    """What each cell is remembered by. A coded column remembers a value as the row-wise
    reader does (the first of equal values decides); text is translated cell by cell there,
    so equal values of other types (``1``, ``1.0`` and ``True`` are equal in Python) are
    told apart here by their type."""
    if rule.kind.kind != "text" or {type(v) for v in values} <= {str, type(None)}:
        return list(values)
    return list(zip(map(type, values), values, strict=True))


def _plain_text(values: Sequence[Any], rule: ColumnRule) -> list[Any] | None:
    """A text column of strings that no ``values`` or ``none`` entry rewrites, translated as
    :func:`~thirdcountry.imports.cells.translate` does (trimmed; a list split at the
    separator, its empty entries left out) without a call per cell: most of a file's cells
    are such text, nearly every one distinct (refs, names). ``None`` for any other column."""
    kind = rule.kind
    if kind.kind != "text" or rule.values or rule.none_values:
        return None
    if not {type(v) for v in values} <= {str, type(None)}:
        return None
    trimmed = [None if v is None else v.strip() for v in values]
    if not kind.many:
        return [t if t else _EMPTY for t in trimmed]
    separator = rule.separator
    return [
        [p for p in map(str.strip, v.split(separator)) if p] if t else _EMPTY
        for v, t in zip(values, trimmed, strict=True)
    ]


def _translated(values: Sequence[Any], rule: ColumnRule) -> list[Any]:
    """Each cell's translation (:data:`_EMPTY`, a value or a :class:`CellError`), each
    distinct cell translated once."""
    plain = _plain_text(values, rule)
    if plain is not None:
        return plain
    keys = _keys(values, rule)
    memo: dict[Any, Any] = {}
    for key, value in zip(keys, values, strict=True):
        if key in memo:
            continue
        if is_empty(value):
            memo[key] = _EMPTY
            continue
        try:
            memo[key] = translate(value, rule)
        except CellError as error:
            memo[key] = error
    return list(map(memo.__getitem__, keys))


def _flat(mapping: ImportMapping) -> bool:
    """Whether every fact the mapping fills is a key of the record itself (no nested
    object): then a row's record is built from its cells in one step."""
    return all(len(r.fact.split(".")) == 2 for r in mapping.rules) and all(
        len(fact.split(".")) == 2 for fact in mapping.constants
    )


def read_columns(
    sheet: Sheet, mapping: ImportMapping, progress: Callable[[int], None] | None = None
) -> ReadRows:
    """Translate every row's cells into the facts the mapping says they fill, column by
    column; what :func:`~thirdcountry.imports.rows.read_rows` gives, in less time. A
    mapping that fills nested facts (``person.removal_decision.date``) is read row by row."""
    if not _flat(mapping):
        return read_rows(sheet, mapping, progress)
    count = len(sheet.rows)
    problems: list[RowProblem] = []
    unmatched: dict[str, set[str]] = {}
    positions = {name: i for i, name in enumerate(sheet.header)}
    for column in (r.column for r in mapping.rules if r.column not in positions):
        problems.append(RowProblem(1, column, "", "the file has no such column"))
    rules = [r for r in mapping.rules if r.column in positions]
    width = len(sheet.header)
    cells_by_column: list[Sequence[Any]] = (
        list(zip(*sheet.rows, strict=True))
        if count and all(len(row) == width for row in sheet.rows)
        else [[row[i] if i < len(row) else None for row in sheet.rows] for i in range(width)]
    )
    if not count:
        cells_by_column = [[] for _ in range(width)]
    records: dict[str, tuple[list[str], list[list[Any]], dict[str, Any]]] = {
        "person": ([], [], {}),
        "transfer": ([], [], {}),
    }
    for fact, value in mapping.constants.items():
        record, key = fact.split(".")
        records[record][2][key] = value
    # Problems by (row offset, rule position): the row-wise reader's order.
    found: list[tuple[int, int, RowProblem]] = []
    gaps: dict[str, list[tuple[int, str]]] = {"person": [], "transfer": []}
    for place, rule in enumerate(rules):
        values = cells_by_column[positions[rule.column]]
        translated = _translated(values, rule)
        record, key = rule.fact.split(".")
        for offset, result in enumerate(translated):
            if result is _EMPTY:
                gaps[record].append((offset, key))
            elif isinstance(result, CellError):
                gaps[record].append((offset, key))
                value = _text(values[offset])
                found.append(
                    (offset, place, RowProblem(FIRST_ROW + offset, rule.column, value, str(result)))
                )
                if rule.kind.kind in ("country", "language"):
                    unmatched.setdefault(rule.column, set()).add(value)
        records[record][0].append(key)
        records[record][1].append(translated)
        if progress is not None:
            progress(count * (place + 1) // max(1, len(rules)))
    found.sort(key=lambda item: (item[0], item[1]))
    problems.extend(problem for _, _, problem in found)
    filled: dict[str, list[dict[str, Any]]] = {}
    for record, (keys, columns, constants) in records.items():
        if columns:
            built = list(map(dict, map(zip, repeat(keys), zip(*columns, strict=True))))
        else:
            built = [{} for _ in range(count)]
        for offset, key in gaps[record]:
            del built[offset][key]
        if constants:
            for facts in built:
                facts.update(constants)
        filled[record] = built
    persons, transfers = filled["person"], filled["transfer"]
    if mapping.fills("person") and mapping.fills("transfer"):
        for person, transfer in zip(persons, transfers, strict=True):
            if "ref" in person:
                transfer.setdefault("person", person["ref"])
    rows = list(map(FilledRow, range(FIRST_ROW, FIRST_ROW + count), sheet.rows, persons, transfers))
    return ReadRows(sheet.header, rows, problems, unmatched)

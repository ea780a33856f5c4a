"""Records to rows and back, as each record type's layout (:mod:`.layout`) lays them out.

Reading goes column by column over many records at once (a million persons are flattened
in a few passes, each in C where it can be); rebuilding goes one record at a time, from the
stored row and its child rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

import msgspec
import msgspec.inspect as mi

from thirdcountry.scenario.layout import PARENT, SEQ, Child, Layout, fields_of, is_fact, plain_type
from thirdcountry.scenario.model import UNKNOWN

# -- records to rows -----------------------------------------------------------------------------


def _lookup(values: list[Any], step: str, *, records: bool) -> list[Any]:
    """The attribute ``step`` of each value; ``None`` where the value is not a record (unknown,
    or known to be none). ``records``: every value is a record (read in C)."""
    get = attrgetter(step)
    if records:
        return list(map(get, values))
    return [None if v is None or v is UNKNOWN else get(v) for v in values]


@cache
def _default_of(record: type, steps: tuple[str, ...]) -> Any:
    """What a column holds when the nested object on its path is ``None``: the field's own
    default for an object that may simply be left out (an arrangement with no terms requires
    no served sentence), NULL for a (u) object (a removal decision known not to exist)."""
    owner: Any = record
    for step in steps[:-1]:
        info = next(f for f in fields_of(owner) if f.name == step)
        kind = plain_type(info.type)
        if is_fact(info) or not isinstance(kind, mi.StructType):
            return None
        owner = kind.cls
    default = next(f.default for f in fields_of(owner) if f.name == steps[-1])
    return None if default is msgspec.NODEFAULT else default


def known(values: list[Any]) -> list[Any]:
    """The values with an unknown fact as ``None``."""
    return [None if v is UNKNOWN else v for v in values]


def flatten(
    layout: Layout, records: Sequence[Any], *, unknown_as_none: bool = True
) -> dict[str, list[Any]]:
    """The layout's columns for ``records``, column by column (read once per column, in C
    where it can be). An unknown scalar is ``None``, or stays ``UNKNOWN`` without
    ``unknown_as_none`` (for a reader that replaces it faster, once per distinct value)."""
    nested: dict[tuple[str, ...], list[Any]] = {(): list(records)}

    def at(steps: tuple[str, ...]) -> list[Any]:
        if steps not in nested:
            nested[steps] = _lookup(at(steps[:-1]), steps[-1], records=len(steps) == 1)
        return nested[steps]

    out: dict[str, list[Any]] = {}
    for col in layout.columns:
        if col.recorded:
            out[col.name] = [v is not UNKNOWN for v in at(col.steps)]
            continue
        found = at(col.steps)
        if unknown_as_none and col.fact:
            found = known(found)
        if layout.record is not None and len(col.steps) > 1:
            default = _default_of(layout.record, col.steps)
            if default is not None:
                found = [default if v is None else v for v in found]
        out[col.name] = found
    return out


def _lists_at(records: Sequence[Any], steps: tuple[str, ...]) -> list[Sequence[Any]]:
    """The list at ``steps`` in each record; empty where it is unknown or none."""
    values: list[Any] = list(records)
    for index, step in enumerate(steps):
        values = _lookup(values, step, records=index == 0)
    return [() if v is None or v is UNKNOWN else v for v in values]


def child_entries(
    table: Child, records: Sequence[Any], *, unknown_as_none: bool = True
) -> tuple[list[int], dict[str, list[Any]]]:
    """The entries of each record's list, one after another: how many each record has, and
    the child table's columns for all of them (without :data:`PARENT` and :data:`SEQ`)."""
    lists = _lists_at(records, table.steps)
    lengths = list(map(len, lists))
    items = list(chain.from_iterable(lists))
    if table.layout.record is None:
        return lengths, {table.layout.columns[0].name: items}
    return lengths, flatten(table.layout, items, unknown_as_none=unknown_as_none)


def flatten_child(
    table: Child, records: Sequence[Any], parents: Sequence[Any] | None = None
) -> dict[str, list[Any]]:
    """The child table's rows for the lists of ``records``: each row's :data:`PARENT` (the
    record's entry in ``parents``, by default its position), :data:`SEQ` and columns."""
    lengths, columns = child_entries(table, records)
    parent_of = range(len(records)) if parents is None else parents
    return {
        PARENT: list(chain.from_iterable(map(repeat, parent_of, lengths))),
        SEQ: list(chain.from_iterable(map(range, lengths))),
        **columns,
    }


def getattr_path(record: Any, steps: Sequence[str]) -> Any:
    """The value at ``steps`` inside a record; ``None`` when it, or an object on the way, is
    unknown or none."""
    value = record
    for step in steps:
        if value is None or value is UNKNOWN:
            return None
        value = getattr(value, step)
    return None if value is UNKNOWN else value


def row_of(layout: Layout, record: Any) -> dict[str, Any]:
    """One record's columns."""
    return {name: values[0] for name, values in flatten(layout, [record]).items()}


def child_rows(layout: Layout, record: Any) -> dict[str, list[dict[str, Any]]]:
    """One record's child rows, by child table (each row with :data:`SEQ` and its columns)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in layout.children:
        flat = flatten_child(table, [record])
        names = [SEQ, *(c.name for c in table.layout.columns)]
        out[table.layout.name] = [
            dict(zip(names, row, strict=True))
            for row in zip(*(flat[n] for n in names), strict=True)
        ]
    return out


def rebuild(
    layout: Layout, row: Mapping[str, Any], children: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Any:
    """The record a row and its child rows (by child table, in :data:`SEQ` order) hold."""
    assert layout.record is not None
    values: dict[tuple[str, ...], Any] = {}
    known: dict[tuple[str, ...], bool] = {}
    for col in layout.columns:
        if col.recorded:
            known[col.steps] = bool(row[col.name])
        else:
            values[col.steps] = row[col.name]
    for table in layout.children:
        rows = children.get(table.layout.name, ())
        if table.layout.record is None:
            name = table.layout.columns[0].name
            entries = [r[name] for r in rows]
            values[table.steps] = tuple(entries if table.ordered else sorted(entries))
        else:
            values[table.steps] = tuple(rebuild(table.layout, r, {}) for r in rows)
        if table.recorded is not None:
            known[table.steps] = bool(row[table.recorded])
    return _assemble(layout.record, (), values, known)


def _assemble(
    record: type,
    prefix: tuple[str, ...],
    values: Mapping[tuple[str, ...], Any],
    known: Mapping[tuple[str, ...], bool],
) -> Any:
    """The record at ``prefix`` from the flat values; ``None`` for a nested object known to
    be none (a required field is NULL)."""
    arguments: dict[str, Any] = {}
    for info in fields_of(record):
        steps = (*prefix, info.name)
        if known.get(steps) is False:
            continue  # unknown: the field keeps its UNKNOWN default
        kind = plain_type(info.type)
        if steps in values:
            value = values[steps]
        elif isinstance(kind, mi.StructType) and any(s[: len(steps)] == steps for s in values):
            value = _assemble(kind.cls, steps, values, known)
            if value is not None and info.default is None and value == kind.cls():
                value = None  # an object that may be left out says nothing: none
        else:
            continue
        if value is None and info.required:
            return None
        if value is None and is_fact(info) and not known.get(steps):
            continue  # a (u) scalar left NULL is unknown
        if isinstance(kind, mi.CustomType) and value is not None:
            value = kind.cls(value)
        arguments[info.name] = value
    return record(**arguments)

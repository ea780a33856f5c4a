"""The rows of an import that give records exactly as storage holds them, found by reading
the stored columns of the facts the mapping fills (one query per table) instead of
rebuilding each stored record: a file imported again is mostly such rows, and they need
neither validating again nor writing.

A row counts as unchanged only when every fact it fills equals the stored one and nothing
else in the file names its records; any doubt leaves it to the full comparison.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

from thirdcountry.cases import models as cases
from thirdcountry.cases.mapping import TABLES
from thirdcountry.imports.mapping import ImportMapping
from thirdcountry.imports.rows import ReadRows
from thirdcountry.records.bulk_write import any_of
from thirdcountry.scenario.layout import PERSON, SEQ, TRANSFER, Child, Layout

#: Refs asked about per query where the database takes no array parameter.
BATCH = 10_000


@dataclass(frozen=True)
class _Fact:
    """Where a record's fact is stored: a column of the record's table (``lookup``, read
    through a relation for a reference), or the values of a child table."""

    key: str
    lookup: str | None = None
    child: Child | None = None
    recorded: str | None = None


def _fact(layout: Layout, key: str) -> _Fact | None:
    place = TABLES[layout.name]
    for column in layout.columns:
        if column.path == key and not column.recorded:
            if column.refers_to is not None:
                return _Fact(key, lookup=f"{column.name}__ref")
            return _Fact(key, lookup=place.attname(column.name))
    for child in layout.children:
        if child.path == key and child.layout.record is None:
            recorded = place.attname(child.recorded) if child.recorded else None
            return _Fact(key, child=child, recorded=recorded)
    return None


def _plan(mapping: ImportMapping) -> dict[str, list[_Fact]] | None:
    """How to read each fact the mapping fills, by record; ``None`` when one of them is not
    a plain column or list of values (the full comparison then decides)."""
    plan: dict[str, list[_Fact]] = {"person": [], "transfer": []}
    layouts = {"person": PERSON, "transfer": TRANSFER}
    facts = [r.fact for r in mapping.rules] + list(mapping.constants)
    if mapping.fills("person") and mapping.fills("transfer"):
        facts.append("transfer.person")
    for fact in dict.fromkeys(facts):
        record, _, key = fact.partition(".")
        found = _fact(layouts[record], key) if "." not in key else None
        if found is None:
            return None
        plan[record].append(found)
    return plan


def _among(queryset: QuerySet[Any], column: str, wanted: Sequence[Any]) -> list[QuerySet[Any]]:
    """``queryset`` narrowed to the rows whose ``column`` is one of ``wanted``: on
    PostgreSQL one query with them as one array (a million placeholders cost more to build
    and parse than the lookup itself); elsewhere in batches."""
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        operand, parameter = any_of(wanted)
        where = f"{quote(queryset.model._meta.db_table)}.{quote(column)} = ANY({operand})"
        return [queryset.extra(where=[where], params=[parameter])]
    return [
        queryset.filter(**{f"{column}__in": wanted[start : start + BATCH]})
        for start in range(0, len(wanted), BATCH)
    ]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _stored(model: type[Model], facts: list[_Fact], refs: list[str]) -> dict[str, dict[str, Any]]:
    """The stored value of each fact of the records with these refs, by ref; a list fact not
    known (not recorded) is ``None``."""
    lookups = [f.lookup for f in facts if f.lookup is not None]
    recorded = [f.recorded for f in facts if f.recorded is not None]
    found: dict[str, dict[str, Any]] = {}
    ids: dict[int, str] = {}
    for part in _among(model._default_manager.all(), "ref", refs):
        for pk, ref, *values in part.values_list("id", "ref", *lookups, *recorded):
            ids[pk] = ref
            found[ref] = dict(zip(lookups + recorded, map(_plain, values), strict=True))
    for fact in facts:
        if fact.child is None or not ids:
            continue
        place = TABLES[fact.child.layout.name]
        parent = place.parent_attname
        column = place.attname(fact.child.layout.columns[0].name)
        lists: dict[int, list[Any]] = {pk: [] for pk in ids}
        order = (parent, SEQ) if fact.child.ordered else (parent, column)
        for rows in _among(place.model._default_manager.all(), parent, sorted(ids)):
            for pk, value in rows.order_by(*order).values_list(parent, column):
                lists[pk].append(value)
        for pk, ref in ids.items():
            known = fact.recorded is None or found[ref][fact.recorded]
            found[ref][fact.key] = lists[pk] if known else None
    for fact in facts:
        if fact.lookup is not None and fact.lookup != fact.key:
            for values in found.values():
                values[fact.key] = values[fact.lookup]
    return found


def _same(given: Any, stored: Any, fact: _Fact) -> bool:
    """Whether a row's translated fact is the stored one. Only plain values are compared (a
    ``null`` for "known: none", or anything else, is left to the full comparison)."""
    if fact.child is not None:
        if not isinstance(given, list) or stored is None:
            return False
        if fact.child.ordered:
            return bool(given == stored)
        return len(set(given)) == len(given) and sorted(given) == sorted(stored)
    if not isinstance(given, str | bool | int):
        return False
    return bool(type(given) is type(stored) and given == stored)


def unchanged_rows(read: ReadRows, mapping: ImportMapping) -> set[int]:
    """The numbers of the rows whose every fact is as stored, for records no other row of
    the file names; the rest go through the full comparison."""
    plan = _plan(mapping)
    if plan is None:
        return set()
    bad = {p.row for p in read.problems}
    person_refs = Counter(r.person.get("ref") for r in read.rows)
    transfer_refs = Counter(r.transfer.get("ref") for r in read.rows)
    named = Counter(r.transfer.get("person") for r in read.rows)
    fills = {record: bool(facts) for record, facts in plan.items()}
    candidates = []
    for row in read.rows:
        if row.number in bad:
            continue
        person, transfer = row.person.get("ref"), row.transfer.get("ref")
        if fills["person"] and (
            not isinstance(person, str) or person_refs[person] != 1 or named[person] > 1
        ):
            continue
        if fills["transfer"] and (not isinstance(transfer, str) or transfer_refs[transfer] != 1):
            continue
        candidates.append(row)
    if not candidates:
        return set()
    stored = {
        "person": _stored(cases.Person, plan["person"], [r.person["ref"] for r in candidates])
        if fills["person"]
        else {},
        "transfer": _stored(
            cases.Transfer, plan["transfer"], [r.transfer["ref"] for r in candidates]
        )
        if fills["transfer"]
        else {},
    }
    unchanged: set[int] = set()
    for row in candidates:
        if all(
            _holds(facts, plan[record], stored[record])
            for record, facts in (("person", row.person), ("transfer", row.transfer))
            if fills[record]
        ):
            unchanged.add(row.number)
    return unchanged


def _holds(facts: dict[str, Any], plan: list[_Fact], stored: dict[str, dict[str, Any]]) -> bool:
    """Whether the stored record of ``facts``' ref holds each fact the row gives (a fact the
    row leaves empty stays as stored)."""
    record = stored.get(facts["ref"])
    if record is None:
        return False
    return all(f.key not in facts or _same(facts[f.key], record[f.key], f) for f in plan)

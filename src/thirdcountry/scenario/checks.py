"""The format's rules that a schema cannot state: unique refs, references that must name a
record, a transfer that agrees with its arrangement, one scope per court order, dates in
order, nothing listed twice.

Each check reads the document through :func:`get`, so it runs alike on decoded records (a
valid document, fast) and on plain decoded JSON (a document with other problems, so that one
refusal lists them all); a value that is itself malformed is left to the schema's problems.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any, Final

from msgspec import UNSET, Struct

from thirdcountry.scenario.problems import FieldError, describe, parse_date

#: A key left out of an object (or a field left unknown).
ABSENT: Final = object()

Document = Any
Check = Callable[[Document], Iterator[FieldError]]


def get(record: Any, key: str) -> Any:
    """The value of ``key`` in a record or a JSON object; :data:`ABSENT` when left out."""
    if isinstance(record, dict):
        return record.get(key, ABSENT)
    if isinstance(record, Struct):
        value = getattr(record, key, ABSENT)
        return ABSENT if value is UNSET else value
    return ABSENT


def entries(document: Document, section: str) -> Iterator[tuple[int, Any]]:
    """The records of a section (a list), with their index; anything not a record is skipped."""
    items = get(document, section)
    if isinstance(items, list | tuple):
        for index, item in enumerate(items):
            if isinstance(item, dict | Struct):
                yield index, item


def column(document: Document, section: str, key: str) -> list[Any]:
    """The value of ``key`` in each entry of a section, in order (:data:`ABSENT` where it is
    left out or the entry is not a record): checks over a million records read columns."""
    items = get(document, section)
    if not isinstance(items, list | tuple):
        return []
    if isinstance(document, Struct):
        return [ABSENT if v is UNSET else v for v in map(attrgetter(key), items)]
    return [item.get(key, ABSENT) if isinstance(item, dict) else ABSENT for item in items]


def unique_refs(
    document: Document, section: str, key: str = "ref"
) -> tuple[list[FieldError], dict[str, int]]:
    """Each later duplicate of a ref in ``section`` as a problem, and the first index of
    each ref."""
    problems: list[FieldError] = []
    seen: dict[str, int] = {}
    values = column(document, section, key)
    for index, ref in enumerate(values):
        if isinstance(ref, str) and seen.setdefault(ref, index) != index:
            problems.append(
                FieldError(
                    f"{section}[{index}].{key}",
                    f'"{ref}" is already used by {section}[{seen[ref]}]; refs must be unique',
                )
            )
    return problems, seen


def check_arrangements(document: Document) -> Iterator[FieldError]:
    """An arrangement's states differ; a commitment is listed once."""
    for i, arrangement in entries(document, "arrangements"):
        path = f"arrangements[{i}]"
        sending, receiving = get(arrangement, "sending"), get(arrangement, "receiving")
        if isinstance(sending, str) and sending == receiving:
            yield FieldError(f"{path}.receiving", f'"{receiving}" is also the sending state')
        commitments = get(arrangement, "commitments")
        if isinstance(commitments, list | tuple):
            counted = Counter(c for c in commitments if isinstance(c, str))
            for item, count in counted.items():
                if count > 1:
                    yield FieldError(f"{path}.commitments", f'"{item}" is listed {count} times')


_SCOPES: Final = ("person", "arrangement", "sending", "destination")
_ALLOWED_SCOPES: Final = ({"person"}, {"arrangement"}, {"sending", "destination"}, {"sending"})


def check_court_orders(document: Document) -> Iterator[FieldError]:
    """An order has exactly one scope, and is not lifted before it was issued."""
    for i, order in entries(document, "court_orders"):
        path = f"court_orders[{i}]"
        issued, lifted = parse_date(get(order, "issued")), parse_date(get(order, "lifted"))
        if issued is not None and lifted is not None and lifted < issued:
            yield FieldError(
                f"{path}.lifted", f"{lifted} is before the order was issued ({issued})"
            )
        scope = get(order, "scope")
        if not isinstance(scope, dict | Struct):
            continue
        keys = {key for key in _SCOPES if get(scope, key) not in (ABSENT, None)}
        if keys not in _ALLOWED_SCOPES:
            found = ", ".join(sorted(keys)) or "none"
            yield FieldError(
                f"{path}.scope",
                "expected exactly one scope: person, arrangement, sending with destination, "
                f"or sending alone (found: {found})",
            )


def check_birth_dates(document: Document) -> Iterator[FieldError]:
    """A birth date is not after today: nobody is recorded before they are born (a date
    like 9999-12-31 is a typing slip, and would make the person a child for ever)."""
    today = dt.datetime.now(dt.UTC).date()
    for i, born in enumerate(column(document, "persons", "birth_date")):
        if born is ABSENT:
            continue
        day = parse_date(born)
        if day is not None and day > today:
            yield FieldError(
                f"persons[{i}].birth_date", f"{day} is in the future: a birth date is past"
            )


def check_references(document: Document) -> Iterator[FieldError]:
    """Refs are unique in their section; every ref names a record; a transfer's states are
    its arrangement's."""
    for section, key in (("countries", "code"), ("court_orders", "ref"), ("transfers", "ref")):
        yield from unique_refs(document, section, key)[0]
    arrangement_problems, arrangements = unique_refs(document, "arrangements")
    person_problems, persons = unique_refs(document, "persons")
    yield from arrangement_problems
    yield from person_problems

    for i, order in entries(document, "court_orders"):
        scope = get(order, "scope")
        person, arrangement = get(scope, "person"), get(scope, "arrangement")
        if isinstance(person, str) and person not in persons:
            yield FieldError(f"court_orders[{i}].scope.person", f'"{person}" names no person')
        if isinstance(arrangement, str) and arrangement not in arrangements:
            yield FieldError(
                f"court_orders[{i}].scope.arrangement", f'"{arrangement}" names no arrangement'
            )

    stated = (
        column(document, "arrangements", "sending"),
        column(document, "arrangements", "receiving"),
    )
    transfers = zip(
        column(document, "transfers", "person"),
        column(document, "transfers", "arrangement"),
        column(document, "transfers", "sending"),
        column(document, "transfers", "destination"),
        strict=True,
    )
    for i, (person, ref, *own_states) in enumerate(transfers):
        if isinstance(person, str) and person not in persons:
            yield FieldError(f"transfers[{i}].person", f'"{person}" names no person')
        if not isinstance(ref, str):
            continue
        if ref not in arrangements:
            yield FieldError(f"transfers[{i}].arrangement", f'"{ref}" names no arrangement')
            continue
        its_states = (stated[0][arrangements[ref]], stated[1][arrangements[ref]])
        for own, theirs, mine, its in zip(
            ("sending", "destination"),
            ("sending", "receiving"),
            own_states,
            its_states,
            strict=True,
        ):
            if mine != its:
                yield FieldError(
                    f"transfers[{i}].{own}",
                    f"{describe(_shown(mine))} differs from arrangement {ref}'s "
                    f"{theirs} state {describe(_shown(its))}",
                )


def _shown(value: Any) -> Any:
    return None if value is ABSENT else value


#: Every check, in the order their problems are listed.
CHECKS: Final[tuple[Check, ...]] = (
    check_arrangements,
    check_court_orders,
    check_birth_dates,
    check_references,
)


def world_problems(document: Document) -> list[FieldError]:
    """Every problem the checks find in a document (records or plain JSON)."""
    return [problem for check in CHECKS for problem in check(document)]

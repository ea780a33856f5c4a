"""How each record type lies flat in tables: the one mapping between the format's records and
rows, used by the database (load, bulk write, export, reads for screening) and by the engine's
own tables.

A record type's :class:`Layout` lists its columns and its child tables (one row per entry of
a list). A column holds a scalar of the record, found by its path (``notice.served`` inside
the notice), or says whether a (u) list or object is recorded at all. Columns are named as the
database names them; a reference to another record (a transfer's person) holds that record's
ref, which the database keeps as a foreign key.

The three states of a (u) fact lie flat like this: a scalar is NULL when unknown (a yes/no
fact or a date has no "none"); a list, and an object that may be ``null``, has a
``*_recorded`` column, false when unknown; a known "none" is a recorded list with no child
rows, or a recorded object whose required columns are NULL.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter
from typing import Any, Final

import msgspec
import msgspec.inspect as mi
import polars as pl

from thirdcountry.scenario.model import (
    UNKNOWN,
    Amount,
    Arrangement,
    Assessment,
    Conviction,
    Country,
    CourtOrder,
    FearClaim,
    MonitoringEntry,
    Payment,
    Person,
    StatusChange,
    Transfer,
)

#: The column of a child table that holds the entry's position in its list.
SEQ: Final = "seq"
#: The column of a child table that points at its parent's row.
PARENT: Final = "parent"


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a flat table.

    ``path`` finds the value inside a record, through nested objects (``notice.served``; the
    empty path is the entry itself, for a list of scalars). A ``recorded`` column holds
    whether the (u) fact at ``path`` is known, not the fact. ``refers_to`` names the layout
    whose ref a column holds.
    """

    path: str
    name: str
    dtype: Any
    recorded: bool = False
    refers_to: str | None = None

    @property
    def steps(self) -> tuple[str, ...]:
        """The path as attribute names."""
        return tuple(self.path.split(".")) if self.path else ()


@dataclass(frozen=True, slots=True)
class Child:
    """A list of a record (at ``path``) lying in a table of its own, one row per entry, with
    the entry's position (``ordered`` lists) and its parent's row. ``recorded`` names the
    parent's column that says whether a (u) list is known."""

    path: str
    layout: Layout
    ordered: bool
    recorded: str | None = None

    @property
    def steps(self) -> tuple[str, ...]:
        """The path as attribute names."""
        return tuple(self.path.split("."))


@dataclass(frozen=True, slots=True)
class Layout:
    """A record type flat: its table's name, its columns in order and its child tables.
    ``record`` is the type of each row's record (``None``: each row is one scalar)."""

    name: str
    record: type | None
    columns: tuple[Column, ...]
    children: tuple[Child, ...] = ()

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for candidate in self.columns:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def child(self, name: str) -> Child:
        """The child table called ``name``."""
        for candidate in self.children:
            if candidate.layout.name == name:
                return candidate
        raise KeyError(name)

    def schema(self, *, parent: bool = False) -> pl.Schema:
        """The Polars schema of the flat table (with its :data:`PARENT` and :data:`SEQ`
        columns for a child table)."""
        columns: dict[str, Any] = {PARENT: pl.Int64, SEQ: pl.Int64} if parent else {}
        columns.update((c.name, c.dtype) for c in self.columns)
        return pl.Schema(columns)


# -- declaring layouts from the schema -----------------------------------------------------------

_DTYPES: Final[dict[type, Any]] = {
    mi.DateType: pl.Date,
    mi.BoolType: pl.Boolean,
    mi.IntType: pl.Int64,
    mi.StrType: pl.String,
    mi.LiteralType: pl.String,
}


def _plain(kind: mi.Type) -> mi.Type:
    """A schema type without its metadata and without the ``null`` it may allow."""
    if isinstance(kind, mi.Metadata):
        kind = kind.type
    if isinstance(kind, mi.UnionType):
        kind = next(t for t in kind.types if not isinstance(t, mi.NoneType))
    return kind.type if isinstance(kind, mi.Metadata) else kind


def _field_type(record: type, steps: Sequence[str]) -> mi.Type:
    kind: mi.Type = mi.type_info(record)
    for step in steps:
        kind = _plain(kind)
        assert isinstance(kind, mi.StructType), f"{record.__name__}.{step}: not inside a record"
        kind = next(f.type for f in kind.fields if f.name == step)
    return _plain(kind)


def _dtype(kind: mi.Type) -> Any:
    if isinstance(kind, mi.CustomType) and kind.cls is Amount:
        return pl.Decimal(24, 4)
    if isinstance(kind, mi.VarTupleType):
        return pl.List(_dtype(_plain(kind.item_type)))
    return _DTYPES[type(kind)]


def column(
    record: type, path: str, name: str | None = None, refers_to: str | None = None
) -> Column:
    """The column of the scalar at ``path`` in ``record``, its type read from the schema;
    named after its path unless ``name`` is given."""
    steps = tuple(path.split("."))
    return Column(
        path, name or "_".join(steps), _dtype(_field_type(record, steps)), False, refers_to
    )


def recorded(path: str) -> Column:
    """The column saying whether the (u) list or object at ``path`` is known."""
    return Column(path, f"{path.replace('.', '_')}_recorded", pl.Boolean, recorded=True)


def entries(name: str, record: type, *paths: str | Column) -> Layout:
    """The layout of a list's entries, each a ``record`` (columns given by path)."""
    columns = tuple(p if isinstance(p, Column) else column(record, p) for p in paths)
    return Layout(name, record, columns)


def values(name: str, record: type, path: str, column_name: str) -> Layout:
    """The layout of the entries of a list of scalars at ``path`` in ``record``."""
    kind = _field_type(record, tuple(path.split(".")))
    assert isinstance(kind, mi.VarTupleType)
    return Layout(name, None, (Column("", column_name, _dtype(_plain(kind.item_type))),))


def child(path: str, layout: Layout, *, ordered: bool, recorded_by: Column | None = None) -> Child:
    """A list lying in a child table."""
    return Child(path, layout, ordered, recorded_by.name if recorded_by is not None else None)


# -- the layouts of the format's records ---------------------------------------------------------

COUNTRY = Layout(
    "country",
    Country,
    (column(Country, "code"),),
    (
        child(
            "assessments",
            entries("assessment", Assessment, "date", "onward_refoulement_risk", "source"),
            ordered=True,
        ),
    ),
)

ARRANGEMENT = Layout(
    "arrangement",
    Arrangement,
    (
        column(Arrangement, "ref"),
        column(Arrangement, "sending"),
        column(Arrangement, "receiving"),
        column(Arrangement, "title"),
        column(Arrangement, "cap"),
        column(Arrangement, "terms.requires_served_sentence", "requires_served_sentence"),
        column(Arrangement, "terms.notice_days", "notice_days"),
    ),
    (
        child(
            "terms.excluded_nationalities",
            values("excluded_nationality", Arrangement, "terms.excluded_nationalities", "country"),
            ordered=False,
        ),
        child(
            "commitments",
            values("commitment", Arrangement, "commitments", "commitment"),
            ordered=False,
        ),
        child(
            "status_history",
            entries("arrangement_status", StatusChange, "date", "status", "source"),
            ordered=True,
        ),
        child(
            "payments",
            entries(
                "payment", Payment, "date", "amount", "currency", "kind", "payer", "payee", "note"
            ),
            ordered=True,
        ),
    ),
)

COURT_ORDER = Layout(
    "court_order",
    CourtOrder,
    (
        column(CourtOrder, "ref"),
        column(CourtOrder, "kind"),
        column(CourtOrder, "issuer"),
        column(CourtOrder, "issued"),
        column(CourtOrder, "lifted"),
        column(CourtOrder, "scope.person", refers_to="person"),
        column(CourtOrder, "scope.arrangement", refers_to="arrangement"),
        column(CourtOrder, "scope.sending"),
        column(CourtOrder, "scope.destination"),
    ),
)

_NATIONALITIES = recorded("nationalities")
_LANGUAGES = recorded("languages")
_FEAR_CLAIMS = recorded("fear_claims")
_CONVICTIONS = recorded("convictions")

PERSON = Layout(
    "person",
    Person,
    (
        column(Person, "ref"),
        column(Person, "birth_date"),
        _NATIONALITIES,
        _LANGUAGES,
        column(Person, "accompanied"),
        column(Person, "identity_verified"),
        column(Person, "asylum_claim"),
        _FEAR_CLAIMS,
        recorded("removal_decision"),
        column(Person, "removal_decision.date"),
        column(Person, "removal_decision.final"),
        column(Person, "removal_decision.appeal_deadline", "appeal_deadline"),
        column(Person, "removal_decision.appeal_pending", "appeal_pending"),
        _CONVICTIONS,
        column(Person, "family_in_sending_country"),
        column(Person, "fit_to_travel"),
    ),
    (
        child("names", values("person_name", Person, "names", "name"), ordered=True),
        child(
            "nationalities",
            values("nationality", Person, "nationalities", "country"),
            ordered=False,
            recorded_by=_NATIONALITIES,
        ),
        child(
            "languages",
            values("person_language", Person, "languages", "language"),
            ordered=False,
            recorded_by=_LANGUAGES,
        ),
        child(
            "fear_claims",
            entries("fear_claim", FearClaim, "country", "status"),
            ordered=True,
            recorded_by=_FEAR_CLAIMS,
        ),
        child(
            "convictions",
            entries("conviction", Conviction, "offence", "sentence_end"),
            ordered=True,
            recorded_by=_CONVICTIONS,
        ),
    ),
)

TRANSFER = Layout(
    "transfer",
    Transfer,
    (
        column(Transfer, "ref"),
        column(Transfer, "person", refers_to="person"),
        column(Transfer, "sending"),
        column(Transfer, "destination"),
        column(Transfer, "arrangement", refers_to="arrangement"),
        column(Transfer, "planned_date"),
        column(Transfer, "status"),
        column(Transfer, "accepted_by_receiving"),
        recorded("notice"),
        column(Transfer, "notice.served"),
        column(Transfer, "notice.language"),
        column(Transfer, "notice.names_destination"),
    ),
    (
        child(
            "monitoring",
            entries("monitoring_entry", MonitoringEntry, "date", "kind", "country", "note"),
            ordered=True,
        ),
    ),
)

#: Every record type's layout, by name.
LAYOUTS: Final = {
    layout.name: layout for layout in (COUNTRY, ARRANGEMENT, COURT_ORDER, PERSON, TRANSFER)
}


# -- records to rows -----------------------------------------------------------------------------


def _lookup(values: list[Any], step: str, *, records: bool) -> list[Any]:
    """The attribute ``step`` of each value; ``None`` where the value is not a record (unknown,
    or known to be none). ``records``: every value is a record (read in C)."""
    get = attrgetter(step)
    if records:
        return list(map(get, values))
    return [None if v is None or v is UNKNOWN else get(v) for v in values]


def _default_of(record: type, steps: tuple[str, ...]) -> Any:
    """What a column holds when the nested object on its path is ``None``: the field's own
    default for an object that may simply be left out (an arrangement with no terms requires
    no served sentence), NULL for a (u) object (a removal decision known not to exist)."""
    owner: Any = record
    for step in steps[:-1]:
        info = next(f for f in _fields(owner) if f.name == step)
        kind = _plain(info.type)
        if is_fact(info) or not isinstance(kind, mi.StructType):
            return None
        owner = kind.cls
    default = next(f.default for f in _fields(owner) if f.name == steps[-1])
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
        found = known(at(col.steps)) if unknown_as_none else at(col.steps)
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


def flatten_child(
    table: Child,
    records: Sequence[Any],
    parents: Sequence[Any] | None = None,
    *,
    unknown_as_none: bool = True,
) -> dict[str, list[Any]]:
    """The child table's rows for the lists of ``records``: each row's :data:`PARENT` (the
    record's entry in ``parents``, by default its position), :data:`SEQ` and columns."""
    lists = _lists_at(records, table.steps)
    lengths = list(map(len, lists))
    parent_of = range(len(records)) if parents is None else parents
    items = list(chain.from_iterable(lists))
    out: dict[str, list[Any]] = {
        PARENT: list(chain.from_iterable(map(repeat, parent_of, lengths))),
        SEQ: list(chain.from_iterable(map(range, lengths))),
    }
    if table.layout.record is None:
        out[table.layout.columns[0].name] = items
    else:
        out.update(flatten(table.layout, items, unknown_as_none=unknown_as_none))
    return out


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


# -- rows to records -----------------------------------------------------------------------------


def _fields(record: type) -> tuple[mi.Field, ...]:
    info = mi.type_info(record)
    assert isinstance(info, mi.StructType)
    return info.fields


def is_fact(info: mi.Field) -> bool:
    """Whether a field is a (u) fact: left out, it is unknown (msgspec reports the UNKNOWN
    default as no default on a field that is not required)."""
    return (
        not info.required
        and info.default is msgspec.NODEFAULT
        and info.default_factory is msgspec.NODEFAULT
    )


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
    for info in _fields(record):
        steps = (*prefix, info.name)
        if known.get(steps) is False:
            continue  # unknown: the field keeps its UNKNOWN default
        kind = _plain(info.type)
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


def iter_layouts() -> Iterator[Layout]:
    """Every layout, children included, parents first."""
    for layout in LAYOUTS.values():
        yield layout
        for table in layout.children:
            yield table.layout

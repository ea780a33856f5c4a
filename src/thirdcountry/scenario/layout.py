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

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import msgspec
import msgspec.inspect as mi
import polars as pl

from thirdcountry.scenario.model import (
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
    #: Whether the value may be unknown (a (u) fact lies on its path).
    fact: bool = False

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


@cache
def fields_of(record: type) -> tuple[mi.Field, ...]:
    """The fields of a record type (inspected once per type: inspecting resolves every
    annotation, code lists included, which costs far more than the record it describes)."""
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


# -- declaring layouts from the schema -----------------------------------------------------------

_DTYPES: Final[dict[type, Any]] = {
    mi.DateType: pl.Date,
    mi.BoolType: pl.Boolean,
    mi.IntType: pl.Int64,
    mi.StrType: pl.String,
    mi.LiteralType: pl.String,
}


def plain_type(kind: mi.Type) -> mi.Type:
    """A schema type without its metadata and without the ``null`` it may allow."""
    if isinstance(kind, mi.Metadata):
        kind = kind.type
    if isinstance(kind, mi.UnionType):
        kind = next(t for t in kind.types if not isinstance(t, mi.NoneType))
    return kind.type if isinstance(kind, mi.Metadata) else kind


def _field_type(record: type, steps: Sequence[str]) -> mi.Type:
    kind: mi.Type = mi.type_info(record)
    for step in steps:
        kind = plain_type(kind)
        assert isinstance(kind, mi.StructType), f"{record.__name__}.{step}: not inside a record"
        kind = next(f.type for f in kind.fields if f.name == step)
    return plain_type(kind)


def _dtype(kind: mi.Type) -> Any:
    if isinstance(kind, mi.CustomType) and kind.cls is Amount:
        return pl.Decimal(24, 4)
    if isinstance(kind, mi.VarTupleType):
        return pl.List(_dtype(plain_type(kind.item_type)))
    return _DTYPES[type(kind)]


def column(
    record: type, path: str, name: str | None = None, refers_to: str | None = None
) -> Column:
    """The column of the scalar at ``path`` in ``record``, its type read from the schema;
    named after its path unless ``name`` is given."""
    steps = tuple(path.split("."))
    kind = _field_type(record, steps)
    return Column(
        path, name or "_".join(steps), _dtype(kind), False, refers_to, _crosses_fact(record, steps)
    )


def _crosses_fact(record: type, steps: Sequence[str]) -> bool:
    """Whether the value at ``steps`` in ``record`` lies in, or is, a (u) fact."""
    owner: Any = record
    for step in steps:
        info = next(f for f in fields_of(owner) if f.name == step)
        if is_fact(info):
            return True
        kind = plain_type(info.type)
        owner = kind.cls if isinstance(kind, mi.StructType) else None
        if owner is None:
            break
    return False


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
    return Layout(name, None, (Column("", column_name, _dtype(plain_type(kind.item_type))),))


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

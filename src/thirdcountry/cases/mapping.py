"""The database side of each record type's layout (:mod:`thirdcountry.scenario.layout`):
which model holds each flat table, and the reads and writes every path shares.

A layout's column is the model field of the same name; a column that holds another record's
ref is a foreign key, written by looking the ref up and read through the relation. Load,
bulk write, export, the API and the engine's reads all go through here, so a record is kept
and read back the same way whichever way it came in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import polars as pl
from django.db import connection, models

from thirdcountry.cases import models as cases
from thirdcountry.registry import models as registry
from thirdcountry.rules.few import IN_PYTHON_UP_TO
from thirdcountry.scenario.flat import child_rows, rebuild, row_of
from thirdcountry.scenario.layout import (
    ARRANGEMENT,
    COUNTRY,
    COURT_ORDER,
    PARENT,
    PERSON,
    SEQ,
    TRANSFER,
    Child,
    Column,
    Layout,
)


@dataclass(frozen=True, slots=True)
class Table:
    """Where a flat table lies in the database: its model, and for a child table the
    foreign key to its parent's row."""

    model: type[models.Model]
    parent: str | None = None

    def attname(self, name: str) -> str:
        """The model's column for a layout column (``sending`` → ``sending_id``)."""
        return str(self.model._meta.get_field(name).attname)

    @property
    def parent_attname(self) -> str:
        assert self.parent is not None
        return self.attname(self.parent)


#: Each flat table's model, by layout name.
TABLES: Final[dict[str, Table]] = {
    "country": Table(registry.Country),
    "assessment": Table(registry.Assessment, "country"),
    "arrangement": Table(registry.Arrangement),
    "excluded_nationality": Table(registry.ExcludedNationality, "arrangement"),
    "commitment": Table(registry.Commitment, "arrangement"),
    "arrangement_status": Table(registry.ArrangementStatus, "arrangement"),
    "payment": Table(registry.Payment, "arrangement"),
    "court_order": Table(registry.CourtOrder),
    "person": Table(cases.Person),
    "person_name": Table(cases.PersonName, "person"),
    "nationality": Table(cases.Nationality, "person"),
    "person_language": Table(cases.PersonLanguage, "person"),
    "fear_claim": Table(cases.FearClaim, "person"),
    "conviction": Table(cases.Conviction, "person"),
    "transfer": Table(cases.Transfer),
    "monitoring_entry": Table(cases.MonitoringEntry, "transfer"),
}

#: The layout of each record type whose records are kept by ref.
BY_REF: Final = {
    "arrangement": ARRANGEMENT,
    "court_order": COURT_ORDER,
    "person": PERSON,
    "transfer": TRANSFER,
}


def table(layout: Layout) -> Table:
    """Where ``layout``'s table lies."""
    return TABLES[layout.name]


def ids_by_ref(layout_name: str, refs: Iterable[str]) -> dict[str, int]:
    """The row id of each stored record of a record type, by ref."""
    model = TABLES[layout_name].model
    return dict(model.objects.filter(ref__in=list(set(refs))).values_list("ref", "id"))


def _has_seq(child: Child) -> bool:
    return child.ordered


# -- writes --------------------------------------------------------------------------------------


def model_values(
    layout: Layout, record: Any, refs: Mapping[str, Mapping[str, int]]
) -> dict[str, Any]:
    """A record's own columns as model field values (by attname); a ref is replaced by the
    id ``refs`` gives it (by layout name, then ref)."""
    where = table(layout)
    values: dict[str, Any] = {}
    for name, value in row_of(layout, record).items():
        column = layout.column(name)
        if column.refers_to is not None and value is not None:
            value = refs[column.refers_to][value]
        values[where.attname(name)] = value
    return values


def child_models(layout: Layout, record: Any, pk: Any) -> dict[str, list[models.Model]]:
    """A record's child rows as unsaved model instances, by child table."""
    out: dict[str, list[models.Model]] = {}
    for name, rows in child_rows(layout, record).items():
        child = layout.child(name)
        where = TABLES[name]
        instances = []
        for row in rows:
            values = {where.parent_attname: pk}
            for column in child.layout.columns:
                values[where.attname(column.name)] = row[column.name]
            if _has_seq(child):
                values[SEQ] = row[SEQ]
            instance = where.model(**values)
            # Models that keep columns derived from others (a name's search keys) set them
            # in derive(), which bulk writes call since they bypass save().
            derive = getattr(instance, "derive", None)
            if derive is not None:
                derive()
            instances.append(instance)
        out[name] = instances
    return out


# -- reads ---------------------------------------------------------------------------------------


def _read_name(where: Table, column: Column) -> str:
    """What to select for a layout column: the field, or the ref behind a foreign key."""
    if column.refers_to is not None:
        return f"{column.name}__ref"
    return where.attname(column.name)


def _plain_amount(amount: Decimal) -> Decimal:
    """An amount without the storage's extra trailing zeros, keeping two decimals."""
    cents = amount.quantize(Decimal("0.01"))
    return cents if cents == amount else amount.normalize()


def _as_layout_row(layout: Layout, where: Table, stored: Mapping[str, Any]) -> dict[str, Any]:
    row = {}
    for column in layout.columns:
        value = stored[_read_name(where, column)]
        row[column.name] = _plain_amount(value) if isinstance(value, Decimal) else value
    return row


#: From this many values, a filter on PostgreSQL passes them as one array (``= ANY``).
ARRAY_FROM: Final = 1000


def among(queryset: models.QuerySet[Any, Any], field: str, values: Collection[Any]) -> Any:
    """``queryset`` filtered to rows whose ``field`` (a column name) is one of ``values``.

    On PostgreSQL a long list goes as one array parameter: ``IN`` with a placeholder per
    value costs more to build and parse than the lookup itself at an import's scale.
    """
    if connection.vendor != "postgresql" or len(values) < ARRAY_FROM:
        return queryset.filter(**{f"{field}__in": list(values)})
    column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.{field}"
    return queryset.extra(where=[f"{column} = ANY(%s)"], params=[list(values)])


def stored_rows(layout: Layout, queryset: models.QuerySet[Any, Any]) -> list[dict[str, Any]]:
    """The layout's rows of the records in ``queryset`` (with their ``id``), in id order."""
    where = table(layout)
    names = [_read_name(where, c) for c in layout.columns]
    return [
        {"id": stored["id"], **_as_layout_row(layout, where, stored)}
        for stored in queryset.order_by("id").values("id", *names)
    ]


def stored_children(
    layout: Layout, parents: Collection[Any]
) -> dict[str, dict[Any, list[dict[str, Any]]]]:
    """The child rows of the given parent rows, by child table and parent id, in order."""
    out: dict[str, dict[Any, list[dict[str, Any]]]] = {}
    for child in layout.children:
        where = TABLES[child.layout.name]
        parent = where.parent_attname
        names = [_read_name(where, c) for c in child.layout.columns]
        rows = among(where.model.objects.all(), parent, parents)
        order = (parent, SEQ) if _has_seq(child) else (parent, "id")
        grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for stored in rows.order_by(*order).values(parent, *names):
            grouped[stored[parent]].append(_as_layout_row(child.layout, where, stored))
        out[child.layout.name] = grouped
    return out


def stored_records(layout: Layout, queryset: models.QuerySet[Any, Any]) -> list[Any]:
    """The records of ``queryset`` as domain records, in id order."""
    rows = stored_rows(layout, queryset)
    children = stored_children(layout, [row["id"] for row in rows])
    return [
        rebuild(
            layout,
            row,
            {name: by_parent.get(row["id"], []) for name, by_parent in children.items()},
        )
        for row in rows
    ]


def stored_countries(codes: Collection[str] | None = None) -> list[Any]:
    """Countries with their assessments: those that have any, or exactly ``codes``."""
    assessments = registry.Assessment.objects.all()
    if codes is not None:
        assessments = assessments.filter(country_id__in=list(codes))
    children = stored_children(COUNTRY, assessments.values_list("country_id", flat=True).distinct())
    wanted = sorted(children["assessment"]) if codes is None else list(codes)
    return [
        rebuild(COUNTRY, {"code": code}, {"assessment": children["assessment"].get(code, [])})
        for code in wanted
    ]


# -- reads for screening, as flat tables ---------------------------------------------------------


def _frame(rows: Iterable[Sequence[Any]], schema: Mapping[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=dict(schema), orient="row")


@dataclass(frozen=True)
class FlatRead:
    """One query of :func:`flat_reads`: the flat table ``name``, read with ``queryset`` (a
    ``values_list``) into ``schema``; ``child`` is the child layout it holds rows of, and
    ``numbered`` whether its rows come with their own ``seq``."""

    name: str
    queryset: models.QuerySet[Any, Any]
    schema: dict[str, Any]
    child: Any = None
    numbered: bool = True

    @property
    def query(self) -> tuple[models.QuerySet[Any, Any], dict[str, Any]]:
        """The read as the readers take it: its queryset and the schema of its frame."""
        return self.queryset, self.schema


def flat_reads(
    layout: Layout,
    queryset: models.QuerySet[Any, Any],
    children: Collection[str] | None = None,
    parents: models.QuerySet[Any, Any] | None = None,
) -> list[FlatRead]:
    """The queries of the flat tables of the records in ``queryset`` (its own, with
    ``id``, and its child tables, with :data:`PARENT` the parent's id): one per table,
    whatever the number of records. With ``children``, only the child tables it names.
    ``parents`` (one column of ids) selects the same records as ``queryset`` for the child
    tables' reads, more directly where ``queryset`` is itself a selection by ids (the
    database then finds the parents once per child table, not twice)."""
    where = table(layout)
    names = [_read_name(where, c) for c in layout.columns]
    schema = {"id": pl.Int64, **layout.schema()}
    reads = [FlatRead(layout.name, queryset.order_by("id").values_list("id", *names), schema)]
    for child in layout.children:
        if children is not None and child.layout.name not in children:
            continue
        place = TABLES[child.layout.name]
        parent = place.parent_attname
        chosen = queryset.values("id") if parents is None else parents
        rows = place.model.objects.filter(**{f"{parent}__in": chosen})
        columns = [_read_name(place, c) for c in child.layout.columns]
        seq = [SEQ] if _has_seq(child) else []
        child_schema = {PARENT: pl.Int64, **dict.fromkeys(seq, pl.Int64), **child.layout.schema()}
        reads.append(
            FlatRead(
                child.layout.name,
                rows.order_by(parent, *seq or ["id"]).values_list(parent, *seq, *columns),
                child_schema,
                child,
                bool(seq),
            )
        )
    return reads


def flat_tables(
    reads: Sequence[FlatRead], frames: Sequence[pl.DataFrame]
) -> dict[str, pl.DataFrame]:
    """The flat tables, by name, from the rows each of ``reads`` gave (``frames``, in the
    same order): a child table's rows numbered within their parent where storage does not
    number them."""
    tables = {}
    for read, frame in zip(reads, frames, strict=True):
        if read.child is not None:
            names = read.child.layout.schema(parent=True).names()
            if not read.numbered:
                frame = _numbered(frame, names.index(SEQ))
            if frame.columns != names:
                frame = frame.select(names)
        tables[read.name] = frame
    return tables


def _numbered(frame: pl.DataFrame, at: int) -> pl.DataFrame:
    """``frame`` (rows grouped by parent) with each row's number within its parent as
    column :data:`SEQ`, at position ``at``. A few rows (one transfer's screening reads a
    person's and the arrangements') are numbered in Python: a Polars query's fixed cost
    was most of the work, eight times what counting them takes."""
    if frame.height > IN_PYTHON_UP_TO:
        numbers = frame.select(pl.int_range(pl.len()).over(PARENT).cast(pl.Int64)).to_series()
    else:
        counted: list[int] = []
        previous: object = object()
        for parent in frame[PARENT].to_list():
            counted.append(counted[-1] + 1 if parent == previous else 0)
            previous = parent
        numbers = pl.Series(SEQ, counted, dtype=pl.Int64)
    # A shallow copy: the caller's frame keeps its columns.
    return frame.clone().insert_column(at, numbers.alias(SEQ))


def read_flat(
    layout: Layout,
    queryset: models.QuerySet[Any, Any],
    read: Any,
    children: Collection[str] | None = None,
) -> dict[str, pl.DataFrame]:
    """The flat tables of the records in ``queryset`` (see :func:`flat_reads`), read
    set-based with ``read`` (a function of a ``values_list`` queryset and a schema giving a
    DataFrame)."""
    reads = flat_reads(layout, queryset, children)
    return flat_tables(reads, [read(*r.query) for r in reads])

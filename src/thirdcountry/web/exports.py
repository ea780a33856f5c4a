"""What each list page gives as a CSV file: the same records as the page, every row of them
(not one page), with the columns the page shows and words in the reader's language.

Rows are read with ``.iterator()`` in chunks; what a row needs from other tables (a
person's first name, their nationalities) is read once per chunk, so the memory taken does
not grow with the list. Monitors get pseudonyms where staff get names and refs, as on the
pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any, Final, TypeVar

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _

from thirdcountry import words
from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import Nationality, Person, PersonName, ScreeningRun, Transfer
from thirdcountry.oversight.pseudonyms import pseudonym
from thirdcountry.oversight.statistics import Statistics
from thirdcountry.web import display, selectors
from thirdcountry.web import transfer_list as transfer_list_reads
from thirdcountry.web.read_ahead import read_ahead

#: Rows read from the database at a time.
CHUNK: Final = 5000

Row = TypeVar("Row")


@dataclass(frozen=True)
class Export:
    """A list as a file: its name, its header and its rows (read as they are written)."""

    filename: str
    header: list[str]
    rows: Iterable[Sequence[Any]]


def chunks(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    """``rows`` in lists of at most ``size``."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _labeller() -> Callable[[str | None], str]:
    """:func:`words.label` remembered per value (a list repeats a handful of words)."""
    known: dict[str | None, str] = {}

    def shown(value: str | None) -> str:
        if value not in known:
            known[value] = words.label(value)
        return known[value]

    return shown


def _dated(name: str, on: date) -> str:
    return f"{name}-{on.isoformat()}.csv"


# -- transfers ----------------------------------------------------------------------------

_TRANSFER_FIELDS: Final = (
    "ref",
    "person__ref",
    "sending_id",
    "destination_id",
    "arrangement__ref",
    "planned_date",
    "status",
    "verdict",
)


def transfers(user: Any, filters: transfer_list_reads.TransferFilters, on: date) -> Export:
    """The transfers the list's filters keep, in the list's order."""
    personal = sees_personal_data(user)
    header = [_("Transfer")]
    header += [_("Person ref"), _("Person")] if personal else [_("Person (pseudonym)")]
    header += [
        _("From"),
        _("To"),
        _("Arrangement"),
        _("Planned"),
        _("Status"),
        _("Verdict"),
    ]
    shown = _labeller()
    transfers = transfer_list_reads.filtered(filters)
    fields: tuple[str, ...] = _TRANSFER_FIELDS
    if personal:
        # The person's first name, read with the row: one index lookup each in the database,
        # against a query per chunk.
        first = PersonName.objects.filter(person_id=OuterRef("person_id")).order_by("seq")
        transfers = transfers.annotate(first_name=Subquery(first.values("name")[:1]))
        fields = (*fields, "first_name")
    listed = transfers.order_by(*transfer_list_reads.ordering(filters)).values_list(*fields)

    def rows() -> Iterator[list[Any]]:
        read = read_ahead(lambda: listed.iterator(chunk_size=CHUNK))
        for ref, person_ref, *rest in read:
            sending, destination, arrangement, planned, status, verdict, *name = rest
            person = (
                [person_ref, name[0] or pseudonym(person_ref)]
                if personal
                else [pseudonym(person_ref)]
            )
            pending = status == "proposed"
            yield [
                ref,
                *person,
                sending,
                destination,
                arrangement,
                planned,
                shown(status),
                shown(verdict) if pending else None,
            ]

    return Export(_dated("transfers", on), header, rows())


# -- persons ------------------------------------------------------------------------------


def _nationalities(person_ids: Iterable[int]) -> dict[int, list[str]]:
    held: dict[int, list[str]] = defaultdict(list)
    rows = (
        Nationality.objects.filter(person_id__in=set(person_ids))
        .order_by("person_id", "country_id")
        .values_list("person_id", "country_id")
    )
    for person_id, country in rows:
        held[person_id].append(country)
    return held


def _transfer_counts(person_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Transfer.objects.filter(person_id__in=set(person_ids))
        .order_by()
        .values_list("person_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def persons(user: Any, query: str, on: date) -> Export:
    """The persons the list shows: those a search found, best first, or everyone by ref."""
    personal = sees_personal_data(user)
    who = [_("Ref"), _("Name"), _("Aliases and spellings")] if personal else [_("Pseudonym")]
    header = [*who, _("Nationalities"), _("Transfers")]
    if query and personal:
        ids, _matched = selectors.person_search(user, query)
        found = {p[0]: p for p in Person.objects.filter(id__in=ids).values_list(*_PERSON_FIELDS)}
        read: Iterable[tuple[Any, ...]] = (found[i] for i in ids if i in found)
    else:
        everyone = Person.objects.order_by("ref").values_list(*_PERSON_FIELDS)
        read = read_ahead(lambda: everyone.iterator(CHUNK))
    unknown, stateless = _("unknown"), _("stateless")

    def rows() -> Iterator[list[Any]]:
        for chunk in chunks(read):
            ids = [row[0] for row in chunk]
            held = _nationalities(ids)
            counts = _transfer_counts(ids)
            names = _all_names(ids) if personal else {}
            for person_id, ref, recorded in chunk:
                if personal:
                    own = names.get(person_id, [])
                    who = [ref, own[0] if own else pseudonym(ref), "; ".join(own[1:])]
                else:
                    who = [pseudonym(ref)]
                nationalities = " ".join(held.get(person_id, [])) or stateless
                yield [
                    *who,
                    nationalities if recorded else unknown,
                    counts.get(person_id, 0),
                ]

    return Export(_dated("persons", on), header, rows())


_PERSON_FIELDS: Final = ("id", "ref", "nationalities_recorded")


def _all_names(person_ids: Iterable[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        PersonName.objects.filter(person_id__in=set(person_ids))
        .order_by("person_id", "seq")
        .values_list("person_id", "name")
    )
    for person_id, name in rows:
        names[person_id].append(name)
    return names


# -- arrangements, court orders, runs -------------------------------------------------------


def arrangements(on: date) -> Export:
    """Every arrangement with its status on the screening date and its cap use."""
    header = [
        _("Arrangement"),
        _("Title"),
        _("Sending state"),
        _("Receiving state"),
        _("Status on the screening date"),
        _("Since"),
        _("Pending"),
        _("Executed"),
        _("Cap"),
        _("Remaining"),
    ]
    rows = (
        [
            row.arrangement.ref,
            row.arrangement.title,
            row.arrangement.sending_id,
            row.arrangement.receiving_id,
            words.label(row.status.status) if row.status else _("no status yet"),
            row.status.date if row.status else None,
            row.pending,
            row.executed,
            row.arrangement.cap,
            row.remaining,
        ]
        for row in selectors.arrangement_rows(on)
    )
    return Export(_dated("arrangements", on), header, rows)


def court_orders(user: Any, on: date) -> Export:
    """Every court order, what it covers and whether it is in effect on the screening date."""
    header = [
        _("Order"),
        _("Kind"),
        _("Issued by"),
        _("Issued"),
        _("Lifted"),
        _("Covers"),
        _("In effect"),
    ]
    orders = selectors.court_orders().order_by("-issued", "ref")
    rows = (
        [
            order.ref,
            words.label(order.kind),
            order.issuer,
            order.issued,
            order.lifted,
            display.order_scope_text(user, order),
            _("yes") if active else _("no"),
        ]
        for order, active in selectors.with_effect(orders, on)
    )
    return Export(_dated("court-orders", on), header, rows)


def runs(on: date) -> Export:
    """Every screening run, newest first."""
    header = [
        _("Run"),
        _("Triggered by"),
        _("As of"),
        _("Catalog"),
        _("Status"),
        _("In scope"),
        _("Screened"),
        _("Changed"),
        _("Started"),
        _("Finished"),
        _("Seconds"),
    ]
    shown = _labeller()
    read = (
        ScreeningRun.objects.order_by("-id")
        .values_list(
            "id",
            "trigger",
            "as_of",
            "catalog",
            "status",
            "transfers_in_scope",
            "transfers_screened",
            "changed",
            "started_at",
            "finished_at",
            "duration_seconds",
        )
        .iterator(CHUNK)
    )
    rows = ([*row[:4], shown(row[4]), *row[5:]] for row in read)
    return Export(_dated("runs", on), header, rows)


# -- statistics ---------------------------------------------------------------------------


def statistics_table(statistics: Statistics, key: str, on: date) -> Export:
    """One statistics table, its headings in words and its stored words in the reader's
    language; numbers unformatted, so a spreadsheet reads them as numbers."""
    from thirdcountry.oversight.statistics_words import HEADINGS, WORD_COLUMNS

    frame = statistics.tables[key]
    header = [str(HEADINGS.get(column, column)) for column in frame.columns]
    shown = _labeller()
    word_columns = [column in WORD_COLUMNS for column in frame.columns]
    rows = (
        [
            shown(value) if is_word and value is not None else value
            for value, is_word in zip(row, word_columns, strict=True)
        ]
        for row in frame.iter_rows()
    )
    return Export(_dated(f"statistics-{key.replace('_', '-')}", on), header, rows)

"""A record's history as its pages show it: each recorded change, newest first, with when it
was made, by whom, why, and what it changed.

Every write keeps the versions of the rows it touches (``simple_history``): the record's
own row and its lists (a person's names, nationalities, languages, fear claims and
convictions; a transfer's monitoring; an arrangement's excluded nationalities, commitments,
status history and payments). A write replaces a changed list whole, so a change is read
as the versions one save left, grouped: the record's own facts compared with its previous
version, and each list's entries before and after (those removed, those added).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Final
from uuid import UUID

from django.db import models

from thirdcountry.cases import models as cases
from thirdcountry.registry import models as registry

#: Rows one save writes carry one reason and one user, within this time of each other:
#: how the versions of one save are found where they do not name it (``save_id``).
SAME_SAVE: Final = timedelta(seconds=2)

#: Columns that are no fact of the record: keys, order and search helpers.
_NOT_FACTS: Final = frozenset({"id", "seq", "folded", "sound_keys"})


@dataclass(frozen=True)
class Recorded:
    """Whether a list is known (a ``*_recorded`` flag): unknown, or known (possibly
    none)."""

    known: bool


@dataclass(frozen=True)
class NotKept:
    """A value from before history was kept (the record was written in bulk)."""


NOT_KEPT: Final = NotKept()


@dataclass(frozen=True)
class FactChange:
    """One fact of the record before and after a change. ``fact`` is the record's key in
    the scenario format (``birth_date``) or a stored column (``removal_decision_date``).
    For a list, ``removed`` and ``added`` hold its entries, each a tuple of values."""

    fact: str
    before: Any = None
    after: Any = None
    removed: tuple[tuple[Any, ...], ...] = ()
    added: tuple[tuple[Any, ...], ...] = ()
    #: For a list, the stored column of each value of an entry.
    columns: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        """Whether this is a change of a list of entries."""
        return bool(self.removed or self.added)


@dataclass
class Change:
    """One save: when, by whom, why, what it did to the record, and which facts moved."""

    when: datetime
    user_id: int | None
    username: str | None
    reason: str
    action: str  # "created", "changed" or "withdrawn"
    facts: list[FactChange] = field(default_factory=list)
    #: The saves that wrote it, where its versions name them (``save_id``).
    saves: set[UUID] = field(default_factory=set)


@dataclass(frozen=True)
class _Table:
    """A list of entries kept in its own table: the scenario key, the model, its parent
    column, and its columns shown for each entry."""

    key: str
    model: type[models.Model]
    parent: str
    columns: tuple[str, ...]


_PERSON_LISTS: Final = (
    _Table("names", cases.PersonName, "person_id", ("name",)),
    _Table("nationalities", cases.Nationality, "person_id", ("country_id",)),
    _Table("languages", cases.PersonLanguage, "person_id", ("language_id",)),
    _Table("fear_claims", cases.FearClaim, "person_id", ("country_id", "status")),
    _Table("convictions", cases.Conviction, "person_id", ("offence", "sentence_end")),
)
_TRANSFER_LISTS: Final = (
    _Table(
        "monitoring",
        cases.MonitoringEntry,
        "transfer_id",
        ("date", "kind", "country_id", "note"),
    ),
)
_ARRANGEMENT_LISTS: Final = (
    _Table(
        "excluded_nationalities", registry.ExcludedNationality, "arrangement_id", ("country_id",)
    ),
    _Table("commitments", registry.Commitment, "arrangement_id", ("commitment",)),
    _Table(
        "status_history", registry.ArrangementStatus, "arrangement_id", ("date", "status", "source")
    ),
    _Table(
        "payments",
        registry.Payment,
        "arrangement_id",
        ("date", "amount", "currency_id", "kind", "payer_id", "payee_id", "note"),
    ),
)

#: Each kind of record with a page: its model and its lists.
KINDS: Final[dict[str, tuple[type[models.Model], tuple[_Table, ...]]]] = {
    "person": (cases.Person, _PERSON_LISTS),
    "transfer": (cases.Transfer, _TRANSFER_LISTS),
    "arrangement": (registry.Arrangement, _ARRANGEMENT_LISTS),
    "court_order": (registry.CourtOrder, ()),
    "world_record": (registry.WorldRecord, ()),
}

#: The columns that refer to another record by its id, and that record's model: shown as
#: its ref.
_REFERENCES: Final[dict[str, type[models.Model]]] = {
    "person_id": cases.Person,
    "arrangement_id": registry.Arrangement,
    "scope_person_id": cases.Person,
    "scope_arrangement_id": registry.Arrangement,
}


def _fact_columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in _NOT_FACTS]


def _versions(model: type[models.Model], **where: Any) -> list[Any]:
    history = model.history.model
    return list(
        history.objects.filter(**where)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def _shown(column: str, value: Any, refs: dict[str, dict[int, str]]) -> Any:
    if column.endswith("_recorded"):
        return Recorded(bool(value))
    if column in _REFERENCES and value is not None:
        return refs[column].get(value, str(value))
    return value


def _own_changes(columns: Sequence[str], before: Any, after: Any, refs: Any) -> list[FactChange]:
    """The facts of the record's own row that differ between two versions. With no earlier
    version (``before`` is ``None``), each fact the record then held: its creation, or a
    first change of a record written in bulk, whose earlier values were not kept."""
    out = []
    not_kept = before is None and after.history_type != "+"
    for column in columns:
        old = None if before is None else getattr(before, column)
        new = getattr(after, column)
        if before is not None and old == new:
            continue
        if before is None and (new is None or (column.endswith("_recorded") and not new)):
            continue
        if column == "document" and isinstance(new, dict):
            out.extend(_document_changes(old if isinstance(old, dict) else {}, new, not_kept))
            continue
        fact = column.removesuffix("_recorded").removesuffix("_id")
        shown_old = NOT_KEPT if not_kept else _shown(column, old, refs)
        out.append(FactChange(fact, shown_old, _shown(column, new, refs)))
    return out


def _document_changes(old: dict[str, Any], new: dict[str, Any], not_kept: bool) -> list[FactChange]:
    """The keys of a whole @2 document (a world section's entry) that differ, one fact
    each: a key left out is unknown (``None``)."""
    return [
        FactChange(key, NOT_KEPT if not_kept else old.get(key), new.get(key))
        for key in (*new, *(k for k in old if k not in new))
        if old.get(key) != new.get(key)
    ]


def _entry(table: _Table, row: Any, refs: dict[str, dict[int, str]]) -> tuple[Any, ...]:
    return tuple(_shown(c, getattr(row, c), refs) for c in table.columns)


def _reference_refs(rows: Iterable[Any]) -> dict[str, dict[int, str]]:
    """For each reference column, the refs of the records the rows name (one query each)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        for column in _REFERENCES:
            value = getattr(row, column, None)
            if value is not None:
                wanted[column].add(value)
    out: dict[str, dict[int, str]] = defaultdict(dict)
    for column, ids in wanted.items():
        model = _REFERENCES[column]
        out[column] = dict(model.objects.filter(pk__in=ids).values_list("pk", "ref"))
    return out


#: One stored version: when, 0 for the record's own row or 1 for a list entry, the list's
#: key ("" for the record), and the historical row.
_Stamped = tuple[datetime, int, str, Any]


#: A write as a save is told apart where versions do not name it: who, why and when.
_Write = tuple[Any, str, datetime]


def _one_save(earlier: _Write, later: _Write) -> bool:
    """Whether two writes are one save: one user, one reason, moments apart
    (:data:`SAME_SAVE`)."""
    return earlier[:2] == later[:2] and later[2] - earlier[2] <= SAME_SAVE


def _saves(stamped: list[_Stamped]) -> list[list[_Stamped]]:
    """The versions grouped by the save that wrote them (one user, one reason, moments
    apart), in time order."""
    groups: list[list[_Stamped]] = []
    for item in sorted(stamped, key=lambda s: (s[0], s[1])):
        version = item[3]
        last = groups[-1][0] if groups else None
        if last is not None and _one_save(
            (last[3].history_user_id, last[3].history_change_reason or "", last[0]),
            (version.history_user_id, version.history_change_reason or "", item[0]),
        ):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _list_changes(
    change: Change,
    save: list[_Stamped],
    lists: tuple[_Table, ...],
    current: dict[str, dict[int, tuple[Any, ...]]],
    refs: dict[str, dict[int, str]],
) -> None:
    """Add to ``change`` the entries one save removed from and added to each list;
    ``current`` (each list's entries by id) is brought up to date."""
    tables = {t.key: t for t in lists}
    before = {key: dict(entries) for key, entries in current.items()}
    for _, _, key, version in save:
        if not key:
            continue
        if version.history_type == "-":
            # An entry written in bulk has no earlier version: it is known from its removal.
            if version.id not in current[key]:
                before[key][version.id] = _entry(tables[key], version, refs)
            current[key].pop(version.id, None)
        else:
            current[key][version.id] = _entry(tables[key], version, refs)
    for table in lists:
        old = sorted(before[table.key].values(), key=repr)
        new = sorted(current[table.key].values(), key=repr)
        removed = tuple(e for e in old if e not in new)
        added = tuple(e for e in new if e not in old)
        if not (removed or added):
            continue
        listed = FactChange(table.key, removed=removed, added=added, columns=table.columns)
        flag = next((f for f in change.facts if f.fact == table.key), None)
        if flag is None:
            change.facts.append(listed)
        else:
            # Whether the list is known, and its entries, are one fact: said in one line.
            merged = replace(flag, removed=removed, added=added, columns=table.columns)
            change.facts[change.facts.index(flag)] = merged


def record_history(kind: str, record_id: int) -> list[Change]:
    """Every recorded change of one record (by its stored id), newest first."""
    model, lists = KINDS[kind]
    own = _versions(model, id=record_id)
    stamped: list[_Stamped] = [(v.history_date, 0, "", v) for v in own]
    for table in lists:
        versions = _versions(table.model, **{table.parent: record_id})
        stamped.extend((v.history_date, 1, table.key, v) for v in versions)
    refs = _reference_refs(own)
    columns = _fact_columns(model)
    previous_own: Any = None
    current: dict[str, dict[int, tuple[Any, ...]]] = {t.key: {} for t in lists}
    changes: list[Change] = []
    for save in _saves(stamped):
        first = save[0][3]
        change = Change(
            when=first.history_date,
            user_id=first.history_user_id,
            username=first.history_user.get_username() if first.history_user else None,
            reason=first.history_change_reason or "",
            action="changed",
        )
        for _, _, key, version in save:
            if key:
                continue
            # A world section's entry is written by itself: its versions name no save.
            if getattr(version, "save_id", None) is not None:
                change.saves.add(version.save_id)
            if version.history_type == "-":
                change.action = "withdrawn"
                continue
            if version.history_type == "+":
                change.action = "created"
            change.facts.extend(_own_changes(columns, previous_own, version, refs))
            previous_own = version
        _list_changes(change, save, lists, current, refs)
        if change.facts or change.action != "changed":
            changes.append(change)
    if kind in _FACTS_V2_KINDS and own:
        facts_v2 = _facts_v2_changes(_FACTS_V2_KINDS[kind], own[-1].ref)
        changes = _with_facts_v2(changes, facts_v2)
    changes.reverse()
    return changes


#: The kind of a record's ``FactsV2`` row, by the kind of record.
_FACTS_V2_KINDS: Final = {
    "person": "persons",
    "transfer": "transfers",
    "arrangement": "arrangements",
    "court_order": "court_orders",
}


def _facts_v2_changes(kind: str, ref: str) -> list[Change]:
    """The changes of a record's scenario@2 facts kept beside its columns (``FactsV2``),
    oldest first, each key that moved as one fact."""
    versions = _versions(registry.FactsV2, kind=kind, ref=ref)
    changes = []
    previous: dict[str, Any] = {}
    for version in versions:
        # Stored as {"set": {key: value}, "unknown": [key]}: a key not set reads from the
        # record's columns or is unknown, and shows as not recorded here.
        held = {} if version.history_type == "-" else (version.facts or {})
        facts = dict(held.get("set") or {})
        moved = _document_changes(previous, facts, False)
        previous = facts
        if moved:
            changes.append(
                Change(
                    when=version.history_date,
                    user_id=version.history_user_id,
                    username=version.history_user.get_username() if version.history_user else None,
                    reason=version.history_change_reason or "",
                    action="changed",
                    facts=moved,
                    saves={version.save_id} if version.save_id is not None else set(),
                )
            )
    return changes


def _with_facts_v2(changes: list[Change], facts_v2: list[Change]) -> list[Change]:
    """The record's changes and those of its @2 facts in time order, a change of both made
    by one save shown as one: the save both versions name, or for versions kept before
    they named it, one user and one reason moments apart (:data:`SAME_SAVE`)."""
    by_save = {save: change for change in changes for save in change.saves}
    merged: list[Change] = []
    for change in sorted([*changes, *facts_v2], key=lambda c: c.when):
        last = merged[-1] if merged else None
        same: Change | None = None
        if change.saves:
            named = (by_save[s] for s in change.saves if s in by_save)
            same = next((c for c in named if c is not change), None)
        elif (
            last is not None
            and not last.saves
            and _one_save(
                (last.user_id, last.reason, last.when), (change.user_id, change.reason, change.when)
            )
        ):
            same = last
        if same is None:
            merged.append(change)
            continue
        same.facts.extend(change.facts)
        if same.action == "changed":
            same.action = change.action
    return merged

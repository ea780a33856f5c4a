"""Load a scenario into the database: validate everything first, then write in one
transaction, creating new records and updating changed ones by ref. Loading the same file
twice changes nothing (and so adds no history)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from thirdcountry.cases.mapping import (
    TABLES,
    Table,
    child_models,
    ids_by_ref,
    model_values,
    stored_countries,
    stored_records,
)
from thirdcountry.history import SavedBy, mark_save, new_save_id
from thirdcountry.registry import models as registry
from thirdcountry.scenario.flat import child_rows, getattr_path, rebuild, row_of
from thirdcountry.scenario.layout import (
    ARRANGEMENT,
    COUNTRY,
    COURT_ORDER,
    PERSON,
    TRANSFER,
    Layout,
)
from thirdcountry.scenario.model import Country, Scenario
from thirdcountry.scenario.parse import FieldError, ScenarioError

R = TypeVar("R")

#: The most digits an amount may have in storage, before and after the decimal point.
AMOUNT_INTEGER_DIGITS = 20
AMOUNT_DECIMAL_PLACES = 4
#: The largest cap or notice period storage holds (a 32-bit integer column).
STORED_INTEGER_MAX = 2**31 - 1


@dataclass
class LoadSummary:
    """How many records of each kind a load created, updated or left unchanged."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        per_kind = self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        per_kind[outcome] += n

    @property
    def changed(self) -> bool:
        """Whether the load wrote anything."""
        return any(c["created"] or c["updated"] for c in self.counts.values())


def storage_problems(scenario: Scenario) -> list[FieldError]:
    """What a valid scenario may still hold that storage cannot keep exactly."""
    problems = []
    limits = (("ref", 100),)
    sections: Sequence[tuple[str, Sequence[Any]]] = (
        ("arrangements", scenario.arrangements),
        ("court_orders", scenario.court_orders),
        ("persons", scenario.persons),
        ("transfers", scenario.transfers),
    )
    for section, entries in sections:
        for i, entry in enumerate(entries):
            for key, most in limits:
                if len(getattr(entry, key)) > most:
                    problems.append(
                        FieldError(f"{section}[{i}].{key}", f"is longer than {most} characters")
                    )
    for i, person in enumerate(scenario.persons):
        for j, name in enumerate(person.names):
            if len(name) > 300:
                problems.append(
                    FieldError(f"persons[{i}].names[{j}]", "is longer than 300 characters")
                )
    for i, arrangement in enumerate(scenario.arrangements):
        numbers = (
            ("cap", arrangement.cap),
            ("terms.notice_days", arrangement.terms.notice_days if arrangement.terms else None),
        )
        for key, number in numbers:
            if number is not None and number > STORED_INTEGER_MAX:
                problems.append(
                    FieldError(
                        f"arrangements[{i}].{key}", f"{number} is above {STORED_INTEGER_MAX}"
                    )
                )
        for j, payment in enumerate(arrangement.payments):
            _sign, digits, exponent = payment.amount.as_tuple()
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            integer_digits = len(digits) - places
            if places > AMOUNT_DECIMAL_PLACES or integer_digits > AMOUNT_INTEGER_DIGITS:
                problems.append(
                    FieldError(
                        f"arrangements[{i}].payments[{j}].amount",
                        f"{payment.amount} has more than {AMOUNT_INTEGER_DIGITS} digits before "
                        f"or {AMOUNT_DECIMAL_PLACES} after the decimal point",
                    )
                )
    return problems


def stored_form(layout: Layout, record: R) -> R:
    """The record as storage keeps it and gives it back (terms that say nothing are no
    terms; a set in its order), so an unchanged record compares equal to its stored self."""
    return cast(R, rebuild(layout, row_of(layout, record), child_rows(layout, record)))


class _Writer:
    """Writes one scenario; every write records history with the load as its reason."""

    def __init__(self, summary: LoadSummary, reason: str, user: Any = None) -> None:
        self.summary = summary
        self.reason = reason
        self.user = user if getattr(user, "is_authenticated", False) else None
        #: Every version this load writes keeps it: a record's own row and its @2 facts,
        #: written in two tables, read as one change in its history.
        self.save_id = new_save_id()

    # -- generic helpers ----------------------------------------------------------------

    def create(self, model: type[models.Model], objects: list[Any]) -> None:
        if objects:
            bulk_create_with_history(
                objects,
                model,
                batch_size=2000,
                default_user=self.user,
                default_change_reason=self.reason,
                custom_historical_attrs=self.saved_by(model),
            )

    def saved_by(self, model: type[models.Model]) -> dict[str, Any] | None:
        """The columns a version of ``model`` written in bulk keeps beside who and why."""
        return {"save_id": self.save_id} if issubclass(model.history.model, SavedBy) else None

    def save(self, instance: models.Model) -> None:
        self.mark(instance)
        instance.save()

    def mark(self, instance: models.Model) -> None:
        """Have the next version of ``instance`` say who wrote it, why, and in which save."""
        instance._change_reason = self.reason
        if self.user is not None:
            instance._history_user = self.user
        mark_save(instance, self.save_id)

    def replace_children(self, where: Table, parent_id: object, rows: list[models.Model]) -> None:
        for old in where.model.objects.filter(**{where.parent_attname: parent_id}):
            self.mark(old)
            old.delete()
        self.create(where.model, rows)

    def upsert(self, kind: str, layout: Layout, incoming: Sequence[Any]) -> None:
        """Create the new records, update the changed ones, leave the rest untouched."""
        model = TABLES[layout.name].model
        records = [stored_form(layout, r) for r in incoming]
        existing = {
            r.ref: r
            for r in stored_records(layout, model.objects.filter(ref__in=[r.ref for r in records]))
        }
        new = [r for r in records if r.ref not in existing]
        changed = [r for r in records if r.ref in existing and existing[r.ref] != r]
        self.summary.add(kind, "unchanged", len(records) - len(new) - len(changed))
        self.summary.add(kind, "created", len(new))
        self.summary.add(kind, "updated", len(changed))
        refs = _references(layout, [*new, *changed])
        self.create(model, [model(**model_values(layout, r, refs)) for r in new])
        ids = ids_by_ref(layout.name, [r.ref for r in new])
        batches: dict[str, list[models.Model]] = {}
        for record in new:
            for name, rows in child_models(layout, record, ids[record.ref]).items():
                batches.setdefault(name, []).extend(rows)
        for name, rows in batches.items():
            self.create(TABLES[name].model, rows)
        if not changed:
            return
        stored = {obj.ref: obj for obj in model.objects.filter(ref__in=[r.ref for r in changed])}
        for record in changed:
            instance = stored[record.ref]
            for name, value in model_values(layout, record, refs).items():
                setattr(instance, name, value)
            self.save(instance)
            before = child_models(layout, existing[record.ref], instance.pk)
            for name, rows in child_models(layout, record, instance.pk).items():
                if _child_values(rows) != _child_values(before[name]):
                    self.replace_children(TABLES[name], instance.pk, rows)

    # -- what is not kept by ref ----------------------------------------------------------

    def defaults(self, scenario: Scenario) -> None:
        stored = registry.ScreeningDefaults.objects.filter(pk=1).first()
        values = {
            "description": scenario.description or "",
            "as_of": scenario.as_of,
            "notice_days": scenario.parameters.notice_days,
            "minor_age": scenario.parameters.minor_age,
        }
        if stored is None:
            self.save(registry.ScreeningDefaults(pk=1, **values))
            self.summary.add("screening defaults", "created")
        elif any(getattr(stored, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(stored, k, v)
            self.save(stored)
            self.summary.add("screening defaults", "updated")
        else:
            self.summary.add("screening defaults", "unchanged")

    def countries(self, countries: Sequence[Country]) -> None:
        existing = {c.code: c for c in stored_countries([c.code for c in countries])}
        where = TABLES["assessment"]
        for country in countries:
            if existing[country.code] == country:
                self.summary.add("countries", "unchanged")
                continue
            self.summary.add("countries", "updated")
            rows = child_models(COUNTRY, country, country.code)["assessment"]
            self.replace_children(where, country.code, rows)


def _references(layout: Layout, records: Sequence[Any]) -> dict[str, dict[str, int]]:
    """The stored ids of the records ``records`` refer to, by layout name and ref."""
    wanted: dict[str, set[str]] = {}
    for column in layout.columns:
        if column.refers_to is not None:
            found = {getattr_path(r, column.steps) for r in records}
            wanted.setdefault(column.refers_to, set()).update(v for v in found if v is not None)
    return {name: ids_by_ref(name, refs) for name, refs in wanted.items()}


def _child_values(rows: Sequence[models.Model]) -> list[dict[str, Any]]:
    """Child rows as comparable values, ignoring their primary keys."""
    return [
        {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key}
        for row in rows
    ]


def load_scenario_records(
    scenario: Scenario,
    *,
    source: str = "scenario",
    progress: Callable[[str, int, int], None] | None = None,
) -> LoadSummary:
    """Write a parsed scenario into the database in one transaction.

    Records are matched by ref (countries by code): new ones are created, changed ones
    updated, the rest untouched. Records in the database that the scenario does not mention
    are kept. Raises :class:`ScenarioError` (and writes nothing) when the scenario holds
    something storage cannot keep exactly. ``progress`` is told, as records are written,
    which kind of record and how many of all are done.
    """
    problems = storage_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    summary = LoadSummary()
    writer = _Writer(summary, f"load {source}"[:100])
    with transaction.atomic():
        writer.defaults(scenario)
        # An @1 world's notice floor is read from its notice period (see facts_v2), not
        # from what an earlier scenario@2 load set.
        for row in registry.FactsV2.objects.filter(kind="parameters"):
            writer.mark(row)
            row.delete()
        _write_records(writer, scenario, progress)
    return summary


def write_records(
    scenario: Scenario,
    *,
    reason: str,
    user: Any = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> LoadSummary:
    """Create or update the records ``scenario`` holds (matched by ref, countries by code)
    in one transaction, as :func:`load_scenario_records` does, but leave the stored
    screening defaults (description, as-of date, parameters) alone.

    For writing a few records at a time (the REST API): ``reason`` and ``user`` go into
    their history; ``progress`` is told, as records are written, how many of all are done.
    Raises :class:`ScenarioError` when storage cannot keep a value exactly.
    """
    problems = storage_problems(scenario)
    if problems:
        raise ScenarioError(problems)
    summary = LoadSummary()
    writer = _Writer(summary, reason[:100], user)
    with transaction.atomic():
        _write_records(writer, scenario, progress)
    return summary


#: Records written at a time (between two reports of progress).
CHUNK = 2000


def _write_records(
    writer: _Writer,
    scenario: Scenario,
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    kinds: list[tuple[str, Layout, Sequence[Any]]] = [
        ("arrangements", ARRANGEMENT, scenario.arrangements),
        ("persons", PERSON, scenario.persons),
        ("court orders", COURT_ORDER, scenario.court_orders),
        ("transfers", TRANSFER, scenario.transfers),
    ]
    total = len(scenario.countries) + sum(len(records) for _, _, records in kinds)
    report = progress or (lambda kind, done, total: None)
    report("countries", 0, total)
    writer.countries(scenario.countries)
    done = len(scenario.countries)
    for kind, layout, records in kinds:
        # Records of one kind refer only to kinds written before them: any slice is whole.
        for start in range(0, len(records), CHUNK):
            report(kind, done, total)
            writer.upsert(kind, layout, records[start : start + CHUNK])
            done += len(records[start : start + CHUNK])
    report("written", done, total)

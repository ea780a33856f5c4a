"""Load a scenario@2 world into the database: its @1 projection into the relational columns
(as an @1 load writes them), each record's further @2 facts into its ``facts_v2``, and the
world sections @1 has not, all in one transaction. Loading the same world twice changes
nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from thirdcountry.cases.facts_v2 import (
    PARAMETERS,
    STORED_INTEGER_MAX,
    in_stored_form,
    parameters_facts,
    project,
    project_scenario,
    stored_facts,
)
from thirdcountry.cases.sections_v2 import SECTIONS, document_of, key_of
from thirdcountry.records.load import LoadSummary, _write_records, _Writer, storage_problems
from thirdcountry.registry import models as registry
from thirdcountry.scenario.codes import KOSOVO
from thirdcountry.scenario.parse import FieldError, ScenarioError
from thirdcountry.scenario.v2.model import Scenario

#: Records whose facts are compared and written at a time.
CHUNK: Final = 2000


def load_scenario_v2_records(
    scenario: Scenario,
    *,
    source: str = "scenario",
    progress: Callable[[str, int, int], None] | None = None,
) -> LoadSummary:
    """Write a parsed scenario@2 world into the database in one transaction, its defaults
    (description, as-of date, parameters) included.

    Records are matched by ref (countries by code, section entries by key): new ones are
    created, changed ones updated with the load as the reason in their history, the rest
    untouched; records the world does not mention are kept. Raises :class:`ScenarioError`
    (and writes nothing) when storage cannot keep a value exactly.
    """
    return _load(scenario, f"load {source}"[:100], None, progress, with_defaults=True)


def write_records_v2(scenario: Scenario, *, reason: str, user: Any = None) -> LoadSummary:
    """Create or update the records an @2 world holds, as :func:`load_scenario_v2_records`
    does, but leave the stored defaults alone: for a few records at a time (the REST API);
    ``reason`` and ``user`` go into their history."""
    return _load(scenario, reason[:100], user, None, with_defaults=False)


def _load(
    scenario: Scenario,
    reason: str,
    user: Any,
    progress: Callable[[str, int, int], None] | None,
    *,
    with_defaults: bool,
) -> LoadSummary:
    projected = project_scenario(scenario)
    problems = storage_problems(projected)
    floor = scenario.parameters.notice_floor_days
    if with_defaults and floor is not None and floor > STORED_INTEGER_MAX:
        problems.append(
            FieldError("parameters.notice_floor_days", f"{floor} is above {STORED_INTEGER_MAX}")
        )
    if problems:
        raise ScenarioError(problems)
    summary = LoadSummary()
    writer = _Writer(summary, reason, user)
    with transaction.atomic():
        ensure_kosovo()
        if with_defaults:
            writer.defaults(projected)
        _write_records(writer, projected, progress)
        facts = _FactsWriter(summary, writer)
        facts.write("countries", _record_facts(scenario.countries, "code"))
        facts.write("arrangements", _record_facts(scenario.arrangements))
        facts.write("court_orders", _record_facts(scenario.court_orders))
        facts.write("persons", _record_facts(scenario.persons))
        facts.write("transfers", _record_facts(scenario.transfers))
        if with_defaults:
            facts.write("parameters", [(PARAMETERS, parameters_facts(scenario.parameters))])
        for name, section in SECTIONS.items():
            write_world_entries(
                summary,
                name,
                [(key_of(section, e), document_of(e)) for e in getattr(scenario, name)],
                reason,
                writer.user,
            )
    return summary


class _FactsWriter:
    """Writes each record's ``FactsV2`` row: created, replaced or (when the @1 columns say
    it all) removed, with history."""

    def __init__(self, summary: LoadSummary, writer: _Writer) -> None:
        self.summary = summary
        self.writer = writer

    def write(self, kind: str, refs_and_facts: Sequence[tuple[str, dict[str, Any]]]) -> None:
        label = f"{kind.replace('_', ' ')}: @2 facts"
        for start in range(0, len(refs_and_facts), CHUNK):
            wanted = dict(refs_and_facts[start : start + CHUNK])
            held = {
                row.ref: row
                for row in registry.FactsV2.objects.filter(kind=kind, ref__in=list(wanted))
            }
            new = [
                registry.FactsV2(kind=kind, ref=ref, facts=facts)
                for ref, facts in wanted.items()
                if facts and ref not in held
            ]
            if new:
                bulk_create_with_history(
                    new,
                    registry.FactsV2,
                    batch_size=CHUNK,
                    default_user=self.writer.user,
                    default_change_reason=self.writer.reason,
                    custom_historical_attrs=self.writer.saved_by(registry.FactsV2),
                )
            changed = 0
            for ref, row in held.items():
                if row.facts == wanted[ref]:
                    continue
                changed += 1
                self.writer.mark(row)
                if wanted[ref]:
                    row.facts = wanted[ref]
                    row.save()
                else:
                    row.delete()
            self.summary.add(label, "created", len(new))
            self.summary.add(label, "updated", changed)
            self.summary.add(label, "unchanged", len(wanted) - len(new) - changed)


def _record_facts(records: Sequence[Any], key: str = "ref") -> list[tuple[str, dict[str, Any]]]:
    """Each record's key and the @2 facts its @1 columns cannot hold."""
    return [(getattr(r, key), stored_facts(r, in_stored_form(project(r)))) for r in records]


def ensure_kosovo() -> None:
    """Kosovo's code, which scenario@2 takes beside ISO 3166-1, in the reference table:
    saved as one record, so that it reaches the audit trail by its signal."""
    if not registry.Country.objects.filter(code=KOSOVO).exists():
        registry.Country(code=KOSOVO, name="Kosovo").save()


def write_world_entries(
    summary: LoadSummary,
    section: str,
    entries: Iterable[tuple[str, dict[str, Any]]],
    reason: str,
    user: Any = None,
) -> None:
    """Create or update the entries of one world section, by key, with history."""
    wanted = dict(entries)
    held = {
        row.key: row
        for row in registry.WorldRecord.objects.filter(section=section, key__in=list(wanted))
    }
    kind = section.replace("_", " ")
    new = [
        registry.WorldRecord(section=section, key=k, document=d)
        for k, d in wanted.items()
        if k not in held
    ]
    summary.add(kind, "created", len(new))
    if new:
        bulk_create_with_history(
            new, registry.WorldRecord, default_user=user, default_change_reason=reason
        )
    for k, document in wanted.items():
        row = held.get(k)
        if row is None:
            continue
        if row.document == document:
            summary.add(kind, "unchanged")
            continue
        row.document = document
        row._change_reason = reason
        if user is not None:
            row._history_user = user
        row.save()
        summary.add(kind, "updated")

"""Writes of scenario@2 facts, one record or one world-section entry at a time (as the REST
API receives them): validated as a scenario@2 document is, by JSON path, written with the
loader's own mappings with a reason in the record's history (and so in the audit trail),
then what the write can affect is re-screened."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import msgspec
from django.db import transaction

from thirdcountry.cases.models import Person as StoredPerson
from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.models import Transfer as StoredTransfer
from thirdcountry.cases.rescreening import rescreen
from thirdcountry.cases.sections_v2 import (
    SECTIONS,
    Section,
    document_of,
    entry_of,
    key_of,
    stored_entries,
)
from thirdcountry.cases.services import flag_execution
from thirdcountry.records.load import LoadSummary
from thirdcountry.records.load_v2 import write_records_v2, write_world_entries
from thirdcountry.records.scenario_v2 import stored_scenario_v2
from thirdcountry.records.signals import announce_person_created
from thirdcountry.scenario.problems import FieldError, ScenarioError, schema_problems
from thirdcountry.scenario.v2 import model as v2
from thirdcountry.scenario.v2.catalog_rows import CATALOG_2026_2_R1
from thirdcountry.scenario.v2.checks import world_problems
from thirdcountry.scenario.v2.read import HINTS
from thirdcountry.scenario.v2.write import scenario_to_document

#: The sections of records that have @2 facts, each stored by its ref.
RECORD_SECTIONS: Final[Mapping[str, Section]] = {
    "persons": Section("persons", v2.Person, what="a person"),
    "transfers": Section("transfers", v2.Transfer, what="a transfer"),
    "arrangements": Section("arrangements", v2.Arrangement, what="an arrangement"),
    "court_orders": Section("court_orders", v2.CourtOrder, what="a court order"),
}


def stored_record_v2(section: str, ref: str) -> Any | None:
    """One stored record of ``section`` as scenario@2 holds it; ``None`` when there is none."""
    found = getattr(stored_scenario_v2(refs=[ref]), section)
    return next((r for r in found if r.ref == ref), None)


#: Where each record type that names stored records holds its selector of them.
_SELECTORS: Final[Mapping[type, str]] = {v2.CourtOrder: "scope", v2.Regime: "applies_to"}


def _references(record: Any) -> set[str]:
    """The refs of the stored records a record's checks read (its person, its arrangement,
    the persons and arrangements an order's scope or a regime row's names)."""
    if isinstance(record, v2.Transfer):
        return {record.person, *((record.arrangement,) if record.arrangement else ())}
    attribute = _SELECTORS.get(type(record))
    selector = getattr(record, attribute) if attribute else None
    if selector is None:
        return set()
    return {v for key in ("person", "arrangement") for v in selector.keys().get(key, ())}


def _within(problems: list[FieldError], prefix: str) -> list[FieldError]:
    """The problems at or below ``prefix``, their paths relative to it."""
    found = []
    for problem in problems:
        if problem.path == prefix:
            found.append(FieldError("$", problem.message))
        elif problem.path.startswith(prefix + ".") or problem.path.startswith(prefix + "["):
            found.append(FieldError(problem.path.removeprefix(prefix).lstrip("."), problem.message))
    return found


def parse_record_v2(section: str, document: Any) -> Any:
    """A record of ``section`` from its scenario@2 document, checked as part of the stored
    world (the refs it names must be stored, a legal basis must be the catalog's or the
    world's, ...). Raises :class:`ScenarioError` with every problem by its JSON path."""
    return _parsed(RECORD_SECTIONS[section], document)


def _parsed(section: Section, document: Any) -> Any:
    """An entry of ``section`` from its scenario@2 document, checked in the stored world
    with the records it names, in place of the stored entry of its key."""
    problems = schema_problems(document, section.record, section.entry_called, HINTS)
    if problems:
        raise ScenarioError(problems)
    entry = entry_of(section, document)
    key = key_of(section, entry)
    world = stored_scenario_v2(refs=_references(entry))
    others = tuple(e for e in getattr(world, section.name) if key_of(section, e) != key)
    world = msgspec.structs.replace(world, **{section.name: (*others, entry)})
    found = world_problems(scenario_to_document(world), CATALOG_2026_2_R1)
    problems = _within(found, f"{section.name}[{len(others)}]")
    if problems:
        raise ScenarioError(problems)
    return entry


def require_reason(reason: str | None) -> str:
    """The reason given for a change, stripped; refused when missing or blank."""
    if reason is None or not reason.strip():
        raise ScenarioError([FieldError("reason", "is required: say why the facts change")])
    if "\x00" in reason:
        raise ScenarioError([FieldError("reason", "contains a NUL character")])
    return reason.strip()


def _scope(section: str, ref: str) -> dict[str, Any]:
    """What a record's change can affect, as a re-screening scope (an order: anything)."""
    scopes: dict[str, dict[str, Any]] = {
        "persons": {"person": ref},
        "transfers": {"transfers": [ref]},
        "arrangements": {"arrangement": ref},
    }
    return scopes.get(section, {"all": True})


@transaction.atomic
def save_record_v2(
    section: str, record: Any, *, reason: str | None, user: Any = None
) -> ScreeningRun | None:
    """Create or replace a stored record by its scenario@2 version (validated by
    :func:`parse_record_v2`), with ``reason`` (required) in its history, and re-screen the
    pending transfers it can affect; returns that run (``None`` when nothing changed).

    A new person is announced at once (:data:`records.signals.person_created`, as an @1
    creation is) and linked, so a likely duplicate waits for
    review before their first transfer is screened; a transfer whose change executes it is
    flagged when its latest screening is not ``clear``."""
    why = require_reason(reason)
    new_person = section == "persons" and not StoredPerson.objects.filter(ref=record.ref).exists()
    executed_before = (
        section == "transfers"
        and StoredTransfer.objects.filter(ref=record.ref, status="executed").exists()
    )
    summary: LoadSummary = write_records_v2(
        msgspec.structs.replace(v2.Scenario(), **{section: (record,)}), reason=why, user=user
    )
    if new_person:
        announce_person_created(record.ref)
    if section == "transfers" and record.status == "executed" and not executed_before:
        flag_execution(StoredTransfer.objects.get(ref=record.ref), user=user)
    if not summary.changed:
        return None
    return rescreen(
        _scope(section, record.ref), f"{section} {record.ref}: @2 facts changed", user=user
    )


def parse_world_entry(section: str, document: Any) -> Any:
    """An entry of a world section from its scenario@2 document, checked beside the stored
    entries (its key must not be the catalog's own). Raises :class:`ScenarioError`."""
    return _parsed(SECTIONS[section], document)


def stored_world_entries(section: str) -> list[Any]:
    """The stored entries of a world section, in key order."""
    return stored_entries(SECTIONS[section])


@transaction.atomic
def save_world_entry(section: str, entry: Any, *, reason: str | None, user: Any = None) -> bool:
    """Create or replace an entry of a world section by its key, with ``reason`` (required)
    in its history; returns whether it was created."""
    why = require_reason(reason)
    summary = LoadSummary()
    where = SECTIONS[section]
    write_world_entries(summary, section, [(key_of(where, entry), document_of(entry))], why, user)
    counts = summary.counts[section.replace("_", " ")]
    return bool(counts["created"])

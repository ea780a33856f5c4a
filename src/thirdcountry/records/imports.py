"""Importing persons and transfers from a spreadsheet: every row validated with the format's
schema, then written through the loader (matched by ref, with history whose reason is
``import FILE``), one audit entry for the import, and one re-screening run of what it touched.

Idempotent by ref: a row that gives a record as storage already holds it changes nothing, so
importing the same file twice writes nothing the second time.
"""

from __future__ import annotations

import gc
import hashlib
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from django.db import transaction

from thirdcountry.cases import models as cases
from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.tasks import rescreen_for_event
from thirdcountry.imports.columns import read_columns
from thirdcountry.imports.mapping import ImportMapping, MappingError, parse_mapping
from thirdcountry.imports.rows import Assembled, ReadRows, RowProblem, assemble
from thirdcountry.imports.sheets import Sheet
from thirdcountry.oversight import audit
from thirdcountry.records.bulk_write import stored_ids, write_new_records
from thirdcountry.records.export import export_persons, export_transfers
from thirdcountry.records.load import LoadSummary, stored_form, write_records
from thirdcountry.records.signals import announce_person_created
from thirdcountry.records.unchanged import unchanged_rows
from thirdcountry.registry import models as registry
from thirdcountry.scenario.layout import PERSON, TRANSFER
from thirdcountry.scenario.model import Scenario
from thirdcountry.scenario.write import scenario_to_document

#: Told how far an import has come: a stage, the rows done and the rows in all.
Progress = Callable[[str, int, int], None]
#: Refs asked about per query.
BATCH = 10_000
#: From this many records, an import of records none of which is stored streams them
#: (``COPY`` on PostgreSQL) instead of saving them through the ORM.
STREAM_FROM = 5_000
#: Above this many touched transfers the re-screen covers every pending transfer: a run's
#: scope lists refs, and one pass over all is cheaper than a list of a million refs.
RESCREEN_ALL_ABOVE = 20_000


@dataclass
class ImportOutcome:
    """What an import found and did. Nothing was written when ``written`` is false."""

    source: str
    rows: int
    valid_rows: list[int]
    rejected_rows: list[int]
    problems: list[RowProblem]
    unmatched: dict[str, set[str]]
    summary: LoadSummary = field(default_factory=LoadSummary)
    written: bool = False
    run: ScreeningRun | None = None
    #: Pairs of a new person and a stored one queued as possible duplicates; None when the
    #: import created too many persons to link one by one (a linkage run links them).
    duplicates: int | None = None
    seconds: float = 0.0


def _stored_refs(read: ReadRows) -> tuple[list[str], list[str]]:
    """The refs of the persons and of the transfers the rows name that storage holds."""
    return (
        sorted(stored_ids(cases.Person, sorted(read.person_refs()))),
        sorted(stored_ids(cases.Transfer, sorted(read.transfer_refs()))),
    )


def _stored(read: ReadRows, refs: tuple[list[str], list[str]] | None = None) -> dict[str, Any]:
    """What storage holds for the refs the rows name (``refs``, when already looked up), as
    the rows are laid over: each record read once, kept both as the rows are laid over (a
    document) and as the domain record the import's result is compared with."""
    person_refs, transfer_refs = refs if refs is not None else _stored_refs(read)
    persons = export_persons(person_refs) if person_refs else []
    transfers = export_transfers(transfer_refs) if transfer_refs else []
    documents = scenario_to_document(Scenario(persons=tuple(persons), transfers=tuple(transfers)))
    arrangements = {
        ref: {"ref": ref, "sending": sending, "receiving": receiving}
        for ref, sending, receiving in registry.Arrangement.objects.filter(
            ref__in=sorted(read.arrangement_refs())
        ).values_list("ref", "sending_id", "receiving_id")
    }
    return {
        "persons": {p["ref"]: p for p in documents.get("persons", [])},
        "transfers": {t["ref"]: t for t in documents.get("transfers", [])},
        "arrangements": arrangements,
        "known_persons": set(person_refs),
        "person_records": {p.ref: p for p in persons},
        "transfer_records": {t.ref: t for t in transfers},
    }


def _scope(transfers: set[str]) -> dict[str, Any]:
    if len(transfers) > RESCREEN_ALL_ABOVE:
        return {"all": True}
    return {"transfers": sorted(transfers)}


@dataclass
class _Changes:
    """What an import changes: the records to write (new or changed, in the file's order),
    how many it leaves as they are, and the scope of the re-screen (``None``: nothing)."""

    scenario: Scenario
    unchanged: dict[str, int]
    scope: dict[str, Any] | None


def _changes(scenario: Scenario, stored: dict[str, Any]) -> _Changes:
    """Compare each record with its stored self (read once, before): an unchanged one is
    left out of the write. The re-screen covers the transfers the import creates or changes
    and the transfers of the persons it creates or changes."""
    stored_persons = stored["person_records"]
    stored_transfers = stored["transfer_records"]
    persons = [
        p
        for p in scenario.persons
        if p.ref not in stored_persons or stored_form(PERSON, p) != stored_persons[p.ref]
    ]
    changed_persons = {p.ref for p in persons}
    transfers = [
        t
        for t in scenario.transfers
        if t.ref not in stored_transfers or stored_form(TRANSFER, t) != stored_transfers[t.ref]
    ]
    touched = {t.ref for t in transfers}
    touched.update(t.ref for t in scenario.transfers if t.person in changed_persons)
    changed_stored = sorted(changed_persons & set(stored_persons))
    for start in range(0, len(changed_stored), BATCH):
        touched.update(
            cases.Transfer.objects.filter(
                person__ref__in=changed_stored[start : start + BATCH]
            ).values_list("ref", flat=True)
        )
    unchanged = {
        "persons": len(scenario.persons) - len(persons),
        "transfers": len(scenario.transfers) - len(transfers),
    }
    # A transfer written must find its person: an unchanged person it names is stored.
    writing = msgspec.structs.replace(scenario, persons=tuple(persons), transfers=tuple(transfers))
    scope = _scope(touched) if changed_persons or touched else None
    return _Changes(writing, unchanged, scope)


#: Up to this many new persons an import links each at once, as a form does; above it, the
#: next linkage run (``thirdcountry link``) scores them all together, which is faster.
LINK_EACH_UP_TO = 2000


def _link_new(
    scenario: Scenario, stored: dict[str, Any], report: Callable[[str, int], None]
) -> int | None:
    """Score each person the import creates against the stored persons and queue the likely
    duplicates (:data:`records.signals.person_created`); the number of pairs queued."""
    new = [p.ref for p in scenario.persons if p.ref not in stored["known_persons"]]
    if len(new) > LINK_EACH_UP_TO:
        return None
    queued = 0
    for done, ref in enumerate(new):
        queued += announce_person_created(ref)
        report("linking", done + 1)
    return queued


def _assembled(
    read: ReadRows, mapping: ImportMapping, *, skip_invalid: bool
) -> tuple[set[int], dict[str, Any], Assembled]:
    """The rows that give their records as stored (left out of the rest: they are valid as
    they are and write nothing), what storage holds for the other rows' refs, and those rows
    assembled and validated.

    Should the other rows have any problem, the whole file is assembled again, so that the
    report and the decision are those of every row compared with its stored record."""
    refs = _stored_refs(read)
    # A file of records none of which is stored (a first import) has no unchanged row.
    stores_any = bool(refs[0] or refs[1])
    same = unchanged_rows(read, mapping) if stores_any and not read.problems else set()
    if same:
        rest = ReadRows(
            read.header,
            [r for r in read.rows if r.number not in same],
            read.problems,
            read.unmatched,
        )
        stored = _stored(rest)
        assembled = assemble(rest, mapping, stored, skip_invalid=skip_invalid)
        if not assembled.problems:
            return same, stored, assembled
    stored = _stored(read, refs)
    return set(), stored, assemble(read, mapping, stored, skip_invalid=skip_invalid)


def _all_new(scenario: Scenario, stored: dict[str, Any]) -> bool:
    return not stored["persons"] and not stored["transfers"]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a file's rows become millions of objects (none of
    them in a cycle): each of its full passes walks every object built so far, about a fifth
    of the time of reading and validating the rows."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, so the audit entry names exactly what was imported."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_sheet(
    sheet: Sheet,
    mapping: ImportMapping,
    *,
    source: Path,
    dry_run: bool = False,
    skip_invalid: bool = False,
    user: Any = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Validate every row of ``sheet`` and, unless ``dry_run``, write the records it gives.

    Nothing is written when any row has a problem, unless ``skip_invalid``: then the valid
    rows are written and the others listed in the outcome. The write, its audit entry and
    the re-screening run of what it touched are one transaction.
    """
    clock = time.perf_counter()

    rows = len(sheet.rows)

    def report(stage: str, done: int) -> None:
        # Counted in rows of the file, whatever the stage counts: the page shows one bar.
        if progress is not None:
            progress(stage, done, rows)

    report("reading", 0)
    with _collector_paused():
        read = read_columns(sheet, mapping, lambda done: report("reading", done))
        report("validating", len(sheet.rows))
        same, stored, assembled = _assembled(read, mapping, skip_invalid=skip_invalid)
    outcome = ImportOutcome(
        source=source.name,
        rows=len(sheet.rows),
        valid_rows=sorted([*assembled.valid_rows, *same]) if same else assembled.valid_rows,
        rejected_rows=assembled.rejected_rows,
        problems=assembled.problems,
        unmatched=read.unmatched,
    )
    writable = outcome.valid_rows and (skip_invalid or not assembled.rejected_rows)
    if dry_run or not writable:
        outcome.seconds = time.perf_counter() - clock
        return outcome
    reason = f"import {source.name}"[:100]
    scenario = assembled.scenario
    with _collector_paused(), transaction.atomic():
        changes = _changes(scenario, stored)
        scenario, scope = changes.scenario, changes.scope
        report("writing", 0)
        if _all_new(scenario, stored) and len(scenario.persons) + len(scenario.transfers) >= (
            STREAM_FROM
        ):
            written = write_new_records(scenario, reason=reason)
            outcome.summary.add("persons", "created", written.get("persons", 0))
            outcome.summary.add("transfers", "created", written.get("transfers", 0))
        else:
            writing = max(1, len(scenario.persons) + len(scenario.transfers))
            outcome.summary = write_records(
                scenario,
                reason=reason,
                user=user,
                progress=lambda _kind, done, _total: report("writing", done * rows // writing),
            )
        for kind, count in changes.unchanged.items():
            outcome.summary.add(kind, "unchanged", count)
        if same:
            for kind in ("person", "transfer"):
                if mapping.fills(kind):
                    outcome.summary.add(f"{kind}s", "unchanged", len(same))
        report("writing", len(sheet.rows))
        outcome.duplicates = _link_new(scenario, stored, report)
        audit.append(
            "import",
            reason=reason,
            actor=getattr(user, "username", "") or "",
            detail={
                "file": source.name,
                "sha256": file_digest(source) if source.is_file() else "",
                "mapping": mapping.name,
                "rows": outcome.rows,
                "written_rows": len(outcome.valid_rows),
                "rejected_rows": len(outcome.rejected_rows),
                "counts": outcome.summary.counts,
            },
        )
        if scope is not None:
            report("screening", 0)
            outcome.run = rescreen_for_event(scope, reason, user=user)
            report("screening", len(sheet.rows))
    outcome.written = True
    outcome.seconds = time.perf_counter() - clock
    return outcome


def save_mapping(name: str, text: str, *, user: Any = None) -> cases.ImportMapping:
    """Save (or replace) a mapping under ``name`` after checking it; :class:`MappingError`
    says what is wrong with it."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError([f"not TOML: {error}"]) from None
    parse_mapping(document, name)
    saved: cases.ImportMapping
    saved, _created = cases.ImportMapping.objects.update_or_create(
        name=name,
        defaults={
            "text": text,
            "saved_by": user if getattr(user, "is_authenticated", False) else None,
        },
    )
    return saved

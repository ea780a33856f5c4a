"""Writes of whole records one at a time: creating or replacing a person, a transfer or an
arrangement given as a scenario-format object (as the REST API receives them).

Records are written with the loader's own mappings (:func:`thirdcountry.records.load.
write_records`), so a record written this way is stored exactly as the same record loaded
from a file; then what the write can affect is re-screened. These services live beside the
loader, above the cases and registry apps, because they use its mappings.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from thirdcountry.cases.models import ScreeningRun
from thirdcountry.cases.models import Transfer as StoredTransfer
from thirdcountry.cases.rescreening import rescreen
from thirdcountry.cases.services import SeenState, flag_execution
from thirdcountry.records.load import write_records
from thirdcountry.records.signals import announce_person_created
from thirdcountry.scenario.model import Arrangement, Person, Scenario, Transfer


@transaction.atomic
def save_person(
    person: Person, user: Any = None, *, created: bool = False, reason: str | None = None
) -> ScreeningRun:
    """Create or replace a person (matched by ref) and re-screen their pending transfers; a
    person created is scored against the stored persons and its likely duplicates queued for
    review (:data:`records.signals.person_created`). ``reason`` (why the change was made)
    goes into the person's history."""
    what = "created" if created else "changed"
    write_records(
        Scenario(persons=(person,)), reason=reason or f"person {what} through the API", user=user
    )
    if created:
        # A new record is linked at once, so a duplicate waits for review before the
        # person's first transfer is screened against one copy only.
        announce_person_created(person.ref)
    return rescreen({"person": person.ref}, f"person {person.ref} {what}", user=user)


@transaction.atomic
def save_transfer(
    transfer: Transfer,
    before: Transfer | None = None,
    user: Any = None,
    *,
    reason: str | None = None,
    execution_reason: str = "",
    seen: SeenState | None = None,
) -> list[ScreeningRun]:
    """Create or replace a transfer (matched by ref) and re-screen it. When it is or was
    executed, every pending transfer under its arrangement (then and now) is re-screened
    too: executed transfers count toward the arrangement's cap. ``reason`` goes into the
    transfer's history.

    A change that executes the transfer while its latest screening is not ``clear`` is
    recorded and flagged as an incident, with ``execution_reason`` (see
    :func:`~thirdcountry.cases.services.flag_execution`; ``seen`` is what the caller saw)."""
    what = "created" if before is None else "changed"
    write_records(
        Scenario(transfers=(transfer,)),
        reason=reason or f"transfer {what} through the API",
        user=user,
    )
    if before is not None and before.status != "executed" and transfer.status == "executed":
        stored = StoredTransfer.objects.get(ref=transfer.ref)
        flag_execution(stored, reason=execution_reason, user=user, seen=seen)
    scopes: list[dict[str, Any]] = [{"transfers": [transfer.ref]}]
    for version in (before, transfer):
        if version is not None and version.status == "executed" and version.arrangement:
            scope = {"arrangement": version.arrangement}
            if scope not in scopes:
                scopes.append(scope)
    return [rescreen(scope, f"transfer {transfer.ref} {what}", user=user) for scope in scopes]


@transaction.atomic
def save_arrangement(
    arrangement: Arrangement,
    user: Any = None,
    *,
    created: bool = False,
    reason: str | None = None,
) -> ScreeningRun:
    """Create or replace an arrangement (matched by ref) and re-screen its transfers.
    ``reason`` goes into the arrangement's history (a corrected or withdrawn status entry
    says why)."""
    what = "created" if created else "changed"
    write_records(
        Scenario(arrangements=(arrangement,)),
        reason=reason or f"arrangement {what} through the API",
        user=user,
    )
    return rescreen(
        {"arrangement": arrangement.ref}, f"arrangement {arrangement.ref} {what}", user=user
    )

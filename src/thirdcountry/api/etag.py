"""No lost updates: every single record carries an ``ETag``, and a change must name the
ETag it was based on in ``If-Match``.

The ETag is a hash of the record's representation, so any change to the record (by the
API, a page, the command line or a re-load) changes it. A PATCH or PUT without
``If-Match`` is refused with 428, one whose ETag is stale with 412. The check and the write
happen in one transaction that first locks the record, so of two concurrent changes based
on the same ETag exactly one succeeds.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, models

from thirdcountry.api.problems import ApiProblem
from thirdcountry.cases.models import Transfer
from thirdcountry.registry.models import Arrangement


def etag_of(representation: Any) -> str:
    """A strong ETag for a JSON-ready representation."""
    canonical = json.dumps(representation, sort_keys=True, separators=(",", ":"), default=str)
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:40] + '"'


def check_if_match(if_match: str | None, current: str) -> None:
    """Refuse unless ``If-Match`` names the current ETag (or is ``*``)."""
    if if_match is None or not if_match.strip():
        raise ApiProblem(
            428,
            "send the record's current ETag in If-Match (GET it first), so that a change "
            "made meanwhile by someone else is not overwritten",
        )
    offered = [tag.strip() for tag in if_match.split(",")]
    if "*" in offered or current in offered:
        return
    raise ApiProblem(
        412, "the record changed since that ETag was read: GET it again and redo the change"
    )


def lock(model: type[models.Model], **lookup: Any) -> bool:
    """Lock one record for the rest of the transaction; whether it exists.

    PostgreSQL locks the row (SELECT … FOR NO KEY UPDATE: another transaction may still
    write rows that refer to it, as a re-screening of its neighbours stores their
    screenings, so two changes re-screening each other's transfers do not deadlock). A
    transfer's arrangement is locked first: the transfers of one arrangement count toward
    its cap, so changes of two of them take turns, and each re-screens with the other's
    written. SQLite has no row locks: writing first takes the database's write lock at once,
    before anything is read, which serialises concurrent changes instead of letting two
    read the same state.
    """
    rows = model._default_manager.filter(**lookup)
    if connection.vendor == "sqlite":
        name = model._meta.pk.name
        return bool(rows.update(**{name: models.F(name)}))
    if model is Transfer:
        arrangement = rows.values("arrangement_id")
        Arrangement.objects.select_for_update(no_key=True).filter(pk__in=arrangement).exists()
    return bool(rows.select_for_update(no_key=True).exists())

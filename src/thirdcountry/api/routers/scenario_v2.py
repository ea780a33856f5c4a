"""scenario@2 facts: a person, transfer, arrangement or court order as scenario@2 holds it
(read, and changed by PATCH), and the world sections @1 has not (legal bases, regimes,
classes, designations, assurances: list, read, create or replace)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Header, Query

from thirdcountry.api.auth import caller, require, require_any
from thirdcountry.api.documents import object_body
from thirdcountry.api.editing import change_record
from thirdcountry.api.http import operation, respond
from thirdcountry.api.privacy import pseudonymised
from thirdcountry.api.problems import invalid, not_found
from thirdcountry.cases import models as cases
from thirdcountry.cases.sections_v2 import SECTIONS, document_of
from thirdcountry.oversight.pseudonyms import entry_for_monitor
from thirdcountry.records.services_v2 import (
    parse_record_v2,
    parse_world_entry,
    require_reason,
    save_record_v2,
    save_world_entry,
    stored_record_v2,
    stored_world_entries,
)
from thirdcountry.registry import models as registry

router = Router(tags=["scenario@2"])

IF_MATCH = Header(
    None,
    alias="If-Match",
    description="Required: the ETag of the record as last read (428 without it).",
)
REASON = Query(
    None,
    description="Required: why the facts change (kept in the record's history).",
    max_length=100,
)

#: Per kind of record: its section, its model, the permissions to read it and to change it,
#: and the facts whose change needs a permission of their own. A record's @2 document is
#: read whole, persons' refs, names and notes included, so it is for those who may see
#: personal data (a monitor reads the pseudonymised @1 endpoints).
_KINDS: dict[str, tuple[str, type[models.Model], tuple[str, ...], str, dict[str, str]]] = {
    "persons": (
        "persons",
        cases.Person,
        ("cases.view_person", "cases.view_personal_data"),
        "cases.change_person",
        {
            "removal_decision": "cases.record_decision",
            "fear_claims": "cases.record_fear_screening",
            "protections": "cases.record_fear_screening",
        },
    ),
    "transfers": (
        "transfers",
        cases.Transfer,
        ("cases.view_transfer", "cases.view_personal_data"),
        "cases.change_transfer",
        {"notice": "cases.record_notice", "accepted_by_receiving": "cases.record_acceptance"},
    ),
    "arrangements": (
        "arrangements",
        registry.Arrangement,
        ("registry.view_arrangement", "cases.view_personal_data"),
        "registry.change_arrangement",
        {},
    ),
    "court_orders": (
        "court_orders",
        registry.CourtOrder,
        ("registry.view_courtorder", "cases.view_personal_data"),
        "registry.change_courtorder",
        {},
    ),
}
_COMPONENTS = {
    "persons": "V2Person",
    "transfers": "V2Transfer",
    "arrangements": "V2Arrangement",
    "court_orders": "V2CourtOrder",
}
#: The world sections as the URLs name them.
# Paths name sections as the rest of the API names its collections (``court_orders``).
_SECTIONS = {name: name for name in SECTIONS}
_SECTION_COMPONENTS = {
    "legal_bases": "V2LegalBasis",
    "regimes": "V2Regime",
    "classes": "V2PersonClass",
    "designations": "V2Designation",
    "assurances": "V2Assurance",
}


def _read(section: str, ref: str) -> dict[str, Any] | None:
    record = stored_record_v2(section, ref)
    return None if record is None else document_of(record)


def _record_routes(path: str) -> None:
    section, model, view_permissions, change_permission, fields = _KINDS[path]
    what = path.rstrip("s").replace("_", " ")
    component = _COMPONENTS[path]

    @router.get(
        f"/{path}/{{ref}}/v2",
        **operation({200: component}, 403, 404, etag=200),
        summary=f"Read a {what} as scenario@2 holds it",
        operation_id=f"get_{section}_v2",
    )
    def read(request: HttpRequest, ref: str) -> HttpResponse:
        """Every fact of the record as a scenario@2 file holds it: a (u) key left out is
        unknown; what @1 could not say is unknown until recorded."""
        require(request, *view_permissions)
        document = _read(section, ref)
        if document is None:
            raise not_found(f"{what} {ref}")
        return respond(document, etag=True)

    @router.patch(
        f"/{path}/{{ref}}/v2",
        **operation({200: component}, 403, 404, 412, 428, body=f"{component}Patch", etag=200),
        summary=f"Change some scenario@2 facts of a {what}",
        operation_id=f"patch_{section}_v2",
    )
    def change(
        request: HttpRequest,
        ref: str,
        if_match: str | None = IF_MATCH,
        reason: str | None = REASON,
    ) -> HttpResponse:
        """Set the top-level facts given, as scenario@2 writes them (a key left out is
        unchanged; null or [] is known none). The record is validated as in a scenario@2
        file, beside the stored world; each problem is named by its JSON path."""
        require(request, *view_permissions)
        require_any(request, change_permission, *fields.values())
        why = require_reason(reason)
        data = object_body(request)
        changed = change_record(
            request,
            model=model,
            ref=ref,
            what=f"{what} {ref}",
            if_match=if_match,
            read=lambda r: _read(section, r),
            view=lambda document: document,
            merge=lambda current: {**current, **data},
            parse=lambda document: parse_record_v2(section, document),
            written=document_of,
            save=lambda record, _: save_record_v2(
                section, record, reason=why, user=caller(request)
            ),
            permission=change_permission,
            field_permissions=fields,
            requested=set(data),
        )
        return respond(changed, etag=True)


def _section_routes(path: str) -> None:
    section = _SECTIONS[path]
    component = _SECTION_COMPONENTS[section]
    what = path.replace("_", " ")

    @router.get(
        f"/{path}",
        **operation({200: None}, 403),
        summary=f"List the {what}",
        operation_id=f"list_{section}",
    )
    def listing(request: HttpRequest) -> HttpResponse:
        """Every stored entry, in key order, each as a scenario@2 file writes it:
        ``{"items": [...]}``."""
        require(request, "registry.view_worldrecord")
        shown = entry_for_monitor if pseudonymised(request) else dict
        return respond({"items": [shown(document_of(e)) for e in stored_world_entries(section)]})

    @router.get(
        f"/{path}/{{key}}",
        **operation({200: component}, 403, 404),
        summary=f"Read an entry of the {what}",
        operation_id=f"get_{section}",
    )
    def read(request: HttpRequest, key: str) -> HttpResponse:
        """One entry by its key (a legal basis's code, a regime's id, the others' ref)."""
        require(request, "registry.view_worldrecord")
        where = SECTIONS[section]
        for entry in stored_world_entries(section):
            if str(getattr(entry, where.key)) == key:
                document = document_of(entry)
                return respond(entry_for_monitor(document) if pseudonymised(request) else document)
        raise not_found(f"{what} {key}")

    @router.put(
        f"/{path}/{{key}}",
        **operation({200: component, 201: component}, 403, body=component),
        summary=f"Record or replace an entry of the {what}",
        operation_id=f"put_{section}",
    )
    def put(request: HttpRequest, key: str, reason: str | None = REASON) -> HttpResponse:
        """Record the entry under its key, or replace it; validated as in a scenario@2
        file (a key the catalog's own table holds is refused: a world extends the catalog,
        never overrides it)."""
        require(request, "registry.add_worldrecord", "registry.change_worldrecord")
        why = require_reason(reason)
        entry = parse_world_entry(section, object_body(request))
        if str(getattr(entry, SECTIONS[section].key)) != key:
            raise invalid([(SECTIONS[section].key, f"differs from the key in the URL ({key})")])
        created = save_world_entry(section, entry, reason=why, user=caller(request))
        return respond(document_of(entry), 201 if created else 200)


for _path in _KINDS:
    _record_routes(_path)
for _path in _SECTIONS:
    _section_routes(_path)

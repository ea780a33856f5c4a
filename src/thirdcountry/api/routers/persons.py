"""Persons: list, read, create, replace (PUT) and change (PATCH)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.params.functions import Header, Query

from thirdcountry.api.auth import caller, require, require_any, require_view
from thirdcountry.api.documents import object_body
from thirdcountry.api.editing import change_record
from thirdcountry.api.http import operation, respond
from thirdcountry.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from thirdcountry.api.privacy import person_for_monitor, person_ref, pseudonymised
from thirdcountry.api.problems import ApiProblem, not_found
from thirdcountry.api.selectors import persons_matching
from thirdcountry.cases.models import Person
from thirdcountry.records.documents import parse_person, person_document, person_documents
from thirdcountry.records.services import save_person

router = Router(tags=["persons"])

#: Facts whose change needs a permission of its own (the rest need cases.change_person).
FIELD_PERMISSIONS = {
    "removal_decision": "cases.record_decision",
    "fear_claims": "cases.record_fear_screening",
}
WRITE_PERMISSIONS = ("cases.change_person", *FIELD_PERMISSIONS.values())

IF_MATCH = Header(
    None,
    alias="If-Match",
    description="Required: the ETag of the person as last read (428 without it).",
)


def view(request: HttpRequest) -> Any:
    """What the caller sees of a person's representation."""
    if pseudonymised(request):
        return person_for_monitor
    return lambda person: person


def _read(ref: str) -> dict[str, Any] | None:
    return person_documents([ref]).get(ref)


@router.get(
    "/persons",
    **operation({200: "PersonPage"}, 403, 422),
    summary="List persons",
)
def list_persons(
    request: HttpRequest,
    nationality: str | None = Query(None, description="Only persons of this nationality."),
    cursor: str | None = Query(None, description="Where to continue: from a page's next."),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
) -> HttpResponse:
    """Persons in the order they were recorded, a page at a time. A monitor sees each
    person pseudonymised."""
    require(request, "cases.view_person")
    persons = persons_matching(nationality)
    rows, next_url = page(request, persons.only("pk", "ref"), cursor, limit)
    documents = person_documents([p.ref for p in rows])
    shown = view(request)
    return respond({"items": [shown(documents[p.ref]) for p in rows], "next": next_url})


@router.get(
    "/persons/{ref}",
    **operation({200: "PersonOut"}, 404, etag=200),
    summary="Read a person",
)
def get_person(request: HttpRequest, ref: str) -> HttpResponse:
    """One person, every (u) fact in its three states (a key left out is unknown)."""
    require_view(request, "cases.view_person", f"person {ref}")
    document = _read(person_ref(ref) if pseudonymised(request) else ref)
    if document is None:
        raise not_found(f"person {ref}")
    return respond(view(request)(document), etag=True)


@router.post(
    "/persons",
    **operation({201: "PersonOut"}, 403, 409, 422, body="PersonIn", etag=201),
    summary="Record a person",
)
def create_person(request: HttpRequest) -> HttpResponse:
    """Record a new person, as a scenario file's person object. The pending transfers of
    the person (none yet) are screened."""
    require(request, "cases.add_person")
    data = object_body(request)
    person = parse_person(data)
    require(request, *(FIELD_PERMISSIONS[k] for k in FIELD_PERMISSIONS if k in data))
    if Person.objects.filter(ref=person.ref).exists():
        raise ApiProblem(409, f"person {person.ref} already exists", [("ref", "already used")])
    save_person(person, caller(request), created=True)
    document = _read(person.ref)
    return respond(view(request)(document), 201, etag=True, location=f"{request.path}/{person.ref}")


def _change(request: HttpRequest, ref: str, if_match: str | None, replace: bool) -> HttpResponse:
    require_any(request, *WRITE_PERMISSIONS)
    data = object_body(request)

    def merge(current: dict[str, Any]) -> dict[str, Any]:
        return dict(data) if replace else {**current, **data}

    changed = change_record(
        request,
        model=Person,
        ref=ref,
        what=f"person {ref}",
        if_match=if_match,
        read=_read,
        view=view(request),
        merge=merge,
        parse=parse_person,
        written=person_document,
        save=lambda person, _: save_person(person, caller(request)),
        permission="cases.change_person",
        field_permissions=FIELD_PERMISSIONS,
        requested=None if replace else set(data),
    )
    return respond(changed, etag=True)


@router.put(
    "/persons/{ref}",
    **operation({200: "PersonOut"}, 403, 404, 412, 422, 428, body="PersonIn", etag=200),
    summary="Replace a person",
)
def replace_person(request: HttpRequest, ref: str, if_match: str | None = IF_MATCH) -> HttpResponse:
    """Replace every fact of a person, as a scenario file states them: a (u) key left out
    becomes unknown. Each fact that changes needs its permission."""
    return _change(request, ref, if_match, replace=True)


@router.patch(
    "/persons/{ref}",
    **operation({200: "PersonOut"}, 403, 404, 412, 422, 428, body="PersonPatch", etag=200),
    summary="Change some facts of a person",
)
def patch_person(request: HttpRequest, ref: str, if_match: str | None = IF_MATCH) -> HttpResponse:
    """Change the facts given; a key left out is unchanged. ``null`` (``[]`` for a list)
    records a known none where the scenario format allows it; to make a fact unknown
    again, PUT the person without it."""
    return _change(request, ref, if_match, replace=False)

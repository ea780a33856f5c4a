"""Changing one stored record safely: lock it, check the caller's ETag against its current
representation, validate the new version, check the permissions of exactly the facts that
change, write, and answer with the new representation and ETag."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest

from thirdcountry.api.auth import require
from thirdcountry.api.etag import check_if_match, etag_of, lock
from thirdcountry.api.problems import invalid, not_found
from thirdcountry.records.documents import changed_keys


def require_if_match(if_match: str | None) -> None:
    """428 when a change names no ETag (checked before anything else is read)."""
    if if_match is None or not if_match.strip():
        check_if_match(None, "")


def change_record(
    request: HttpRequest,
    *,
    model: type[models.Model],
    ref: str,
    what: str,
    if_match: str | None,
    read: Callable[[str], dict[str, Any] | None],
    view: Callable[[dict[str, Any]], dict[str, Any]],
    merge: Callable[[dict[str, Any]], dict[str, Any]],
    parse: Callable[[dict[str, Any]], Any],
    written: Callable[[Any], dict[str, Any]],
    save: Callable[[Any, dict[str, Any]], None],
    permission: str,
    field_permissions: Mapping[str, str],
    requested: set[str] | None = None,
) -> dict[str, Any]:
    """Change one record in one transaction; returns its new representation as the caller
    sees it.

    ``read`` gives the stored record as a scenario-format object, ``view`` what the caller
    sees of it (its ETag is compared with ``If-Match``), ``merge`` the object to validate
    (the request body, merged into the stored one for a PATCH), ``parse`` validates it,
    ``written`` gives the parsed record back as an object, and ``save`` writes it.
    ``permission`` is needed to change any key not in ``field_permissions``; the keys
    checked are ``requested`` (those a PATCH names), or else those whose value changes
    (a PUT restates every key).
    """
    require_if_match(if_match)
    with transaction.atomic():
        if not lock(model, ref=ref):
            raise not_found(what)
        current = read(ref)
        if current is None:
            raise not_found(what)
        check_if_match(if_match, etag_of(view(current)))
        incoming = merge(current)
        if incoming.get("ref", ref) != ref:
            raise invalid([("ref", f"differs from the ref in the URL ({ref}); refs never change")])
        incoming["ref"] = ref
        parsed = parse(incoming)
        changed = changed_keys(current, written(parsed))
        checked = changed if requested is None else requested - {"ref"}
        require(request, *sorted({field_permissions.get(key, permission) for key in checked}))
        if changed:
            save(parsed, current)
        after = read(ref)
    assert after is not None
    return view(after)

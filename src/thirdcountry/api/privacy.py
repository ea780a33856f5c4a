"""What monitors see: people through pseudonyms, without names, birth dates (the birth year
only) or free-text notes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.api.auth import caller
from thirdcountry.oversight.pseudonyms import person_ref_of
from thirdcountry.oversight.pseudonyms import pseudonym as keyed_pseudonym


def pseudonym(ref: str) -> str:
    """The name a monitor knows a person by: the keyed pseudonym of the person's ref, the
    same as on the web pages. Every pseudonymised view goes through this one function."""
    return keyed_pseudonym(ref)


#: What stands for "no person" in a lookup or a filter: never a ref (a ref starts with a
#: letter or digit), so it matches nothing.
NOBODY = "-"


def person_ref(key: str) -> str:
    """The ref of the person a monitor names by pseudonym (the inverse of
    :func:`pseudonym`); :data:`NOBODY` for anything else, a ref included: a monitor can
    neither see nor use a person's ref."""
    return person_ref_of(key) or NOBODY


def pseudonymised(request: HttpRequest) -> bool:
    """Whether the caller sees people only through pseudonyms."""
    return not sees_personal_data(caller(request))


def person_for_monitor(person: dict[str, Any]) -> dict[str, Any]:
    """A person's representation without names, birth date or offences."""
    out: dict[str, Any] = {"ref": pseudonym(person["ref"])}
    if "birth_date" in person:
        out["birth_year"] = int(person["birth_date"][:4])
    for key, value in person.items():
        if key in ("ref", "names", "birth_date"):
            continue
        if key == "convictions":
            value = [{k: v for k, v in c.items() if k != "offence"} for c in value]
        out[key] = value
    return out


def transfer_for_monitor(transfer: dict[str, Any]) -> dict[str, Any]:
    """A transfer's representation with the person pseudonymised and no monitoring notes."""
    out = dict(transfer)
    out["person"] = pseudonym(transfer["person"])
    out["monitoring"] = [{k: v for k, v in m.items() if k != "note"} for m in out["monitoring"]]
    return out


def court_order_for_monitor(order: dict[str, Any]) -> dict[str, Any]:
    """A court order with a person in its scope pseudonymised."""
    scope = order["scope"]
    if scope.get("person") is None:
        return order
    return {**order, "scope": {**scope, "person": pseudonym(scope["person"])}}


def arrangement_for_monitor(arrangement: dict[str, Any]) -> dict[str, Any]:
    """An arrangement without the free-text notes of its payment ledger."""
    payments = [{k: v for k, v in p.items() if k != "note"} for p in arrangement["payments"]]
    return {**arrangement, "payments": payments}

"""How a person is named on a page: by name for staff, by a pseudonym for monitors.

Every page that shows a person goes through :func:`person_label`, so what monitors see is
decided in one place.
"""

from __future__ import annotations

from typing import Any

from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import Person
from thirdcountry.oversight.pseudonyms import pseudonym as keyed_pseudonym


def pseudonym(person: Person) -> str:
    """The name a person goes by for those who may not see personal data: the stable
    pseudonym of their ref (the same in every view and every public release)."""
    return keyed_pseudonym(str(person.ref))


def primary_name(person: Person) -> str | None:
    """The person's first recorded name (read from prefetched names when there are any)."""
    names = list(person.names.all())
    return str(names[0].name) if names else None


def person_label(user: Any, person: Person) -> str:
    """What a page calls ``person`` for ``user``: their primary name, or a pseudonym."""
    if sees_personal_data(user):
        return primary_name(person) or pseudonym(person)
    return pseudonym(person)

"""The words stored values are shown as, in the reader's language.

Stored values stay the scenario format's own words (``in_force``, ``interim_measure``); each
is shown as itself with spaces ("in force"), translated through gettext. The values come
from the enums where they are declared (the scenario schema, the engine, the roles), so a
new value needs no list kept here: ``thirdcountry manage makemessages`` adds every label to
the translation catalog, and a test holds that each has a French translation.
"""

from __future__ import annotations

from typing import Any, Final

from django.utils.functional import lazy
from django.utils.translation import gettext

from thirdcountry.accounts.roles import ROLES
from thirdcountry.rules.catalog import OUTCOMES
from thirdcountry.rules.engine import VERDICTS
from thirdcountry.scenario.model import (
    ARRANGEMENT_STATUSES,
    ASYLUM_CLAIMS,
    COMMITMENTS,
    COURT_ORDER_KINDS,
    FEAR_CLAIM_STATUSES,
    MONITORING_KINDS,
    PAYMENT_KINDS,
    TRANSFER_STATUSES,
)

#: The states of a screening run (stored by the cases app, shown on pages).
RUN_STATUSES: Final = ("pending", "running", "complete", "failed")

#: Every enum whose values are stored and shown.
ENUMS: Final[tuple[tuple[str, ...], ...]] = (
    VERDICTS,
    OUTCOMES,
    ARRANGEMENT_STATUSES,
    ASYLUM_CLAIMS,
    COMMITMENTS,
    COURT_ORDER_KINDS,
    FEAR_CLAIM_STATUSES,
    MONITORING_KINDS,
    PAYMENT_KINDS,
    TRANSFER_STATUSES,
    RUN_STATUSES,
    ROLES,
)

#: Values shown otherwise than as themselves (a transfer's latest verdict when it has none).
_SHOWN_AS: Final = {"unscreened": "not screened"}


def english(value: str) -> str:
    """The English label of a stored value (the msgid it is translated from)."""
    return _SHOWN_AS.get(value, value.replace("_", " "))


def label(value: str | None) -> str:
    """A stored value (a verdict, an outcome, a status, a role) in the active language."""
    if value is None:
        return str(gettext("not screened"))
    return str(gettext(english(value)))


label_lazy = lazy(label, str)


def choices(values: tuple[str, ...]) -> list[tuple[str, Any]]:
    """Django choices: each stored value with its label, translated when shown."""
    return [(v, label_lazy(v)) for v in values]


def msgids() -> list[str]:
    """Every label's English text, for the translation catalog."""
    values = {v for enum in ENUMS for v in enum} | set(_SHOWN_AS)
    return sorted({english(v) for v in values})

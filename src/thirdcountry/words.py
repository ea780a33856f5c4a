"""The words stored values are shown as, in the reader's language.

Stored values stay the scenario format's own words (``in_force``, ``interim_measure``); each
is shown as itself with spaces ("in force"), translated through gettext. The values come
from the enums where they are declared (the scenario schema, the engine, the roles; findings
render the same labels), so a new value needs no list kept here: ``thirdcountry manage
makemessages`` adds every label to the translation catalog, and a test holds that each has a
French translation.
"""

from __future__ import annotations

from typing import Any, Final, Literal, get_args, get_origin

from django.utils.functional import lazy
from django.utils.translation import gettext

from thirdcountry.accounts.roles import ROLES
from thirdcountry.findings.render import STORED_WORDS, word_label
from thirdcountry.findings.render_v2 import catalog_msgids
from thirdcountry.rules import catalogs
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.scenario.v2 import model as v2


def _literal_values(alias: Any) -> tuple[Any, ...]:
    """The values of a ``Literal`` (or of the literals of a union)."""
    if get_origin(alias) is Literal:
        return get_args(alias)
    return tuple(v for arg in get_args(alias) for v in _literal_values(arg))


#: The states of a screening run (stored by the cases app, shown on pages).
RUN_STATUSES: Final = ("pending", "running", "complete", "failed")

#: The values of the scenario@2 facts the record forms offer (a person's sex and
#: vulnerabilities, an arrangement's model, a requirement, an order's effect...).
FORM_WORDS_V2: Final[tuple[str, ...]] = tuple(
    sorted(
        {
            str(value)
            for alias in (
                v2.Sex,
                v2.Vulnerability,
                v2.ArrangementModel,
                v2.ArrangementStatus,
                v2.Requirement,
                v2.Force,
                v2.SourceKind,
                v2.DesignationKind,
                v2.AssuranceSubject,
                v2.CriminalRecord,
                v2.OffenceCategory,
                v2.ExcludedGroup,
                v2.Custody,
                v2.CourtOrderKind,
                v2.EventKind,
                v2.ProtectionKind,
                v2.EndKind,
                v2.Effect,
            )
            for value in _literal_values(alias)
        }
    )
)

#: Every stored value shown on pages: those findings show, the runs' states and the roles.
ENUMS: Final[tuple[str, ...]] = (*STORED_WORDS, *RUN_STATUSES, *ROLES, *FORM_WORDS_V2)


def english(value: str) -> str:
    """The English label of a stored value (the msgid it is translated from)."""
    return word_label(value)


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
    """Every label's English text, for the translation catalog: the stored values' and
    those of every registered scenario@2 catalog (its data's titles, its words)."""
    found = {english(v) for v in (*ENUMS, "unscreened")}
    for version in catalogs.versions():
        catalog = catalogs.any_catalog(version)
        if isinstance(catalog, CatalogV2):
            found.update(catalog_msgids(catalog))
    return sorted(found)

"""How pages say what is stored: stored words in the user's language, the facts of a person
or transfer as rows (unknowns marked, personal data withheld from monitors), findings with
their legal basis, and what a court order covers.

Nothing here reads the database beyond the records it is given (and their prefetched
relations); the reads are in :mod:`thirdcountry.web.selectors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import Person, ScreeningRecord, Transfer
from thirdcountry.findings.stored import OUTCOME_OF
from thirdcountry.oversight.findings import ShownFinding, shown_findings
from thirdcountry.registry.models import CourtOrder
from thirdcountry.rules import catalogs
from thirdcountry.web.identity import person_label
from thirdcountry.words import label


def _(message: str) -> str:
    """``message`` in the active language."""
    return str(gettext(message))


def day(value: date) -> str:
    """A date in the page's language (ISO on English pages, "1 septembre 2025" on French)."""
    return str(formats.date_format(value))


def number(value: int | float | Decimal) -> str:
    """A count or an amount in the page's language, its thousands grouped ("1,234.50" on
    English pages, "1 234,50" on French); amounts and other fractions with two decimals."""
    places = None if isinstance(value, int) else 2
    return str(formats.number_format(value, places, use_l10n=True, force_grouping=True))


def _asylum_claim(value: str) -> str:
    """An asylum claim's state as the value of the fact "Asylum claim" (a bare "none" reads
    wrongly in French, where the word agrees with what it qualifies)."""
    return {
        "none": _("no claim made"),
        "pending": _("claim pending"),
        "granted": _("claim granted"),
        "refused": _("claim refused"),
    }.get(value) or label(value)


def order_scope_text(user: Any, order: CourtOrder) -> str:
    """What an order covers, in words (a person by the label ``user`` may see)."""
    if order.scope_person_id is not None:
        return _("person %(person)s") % {"person": person_label(user, order.scope_person)}
    if order.scope_arrangement_id is not None:
        return _("arrangement %(ref)s") % {"ref": order.scope_arrangement.ref}
    if order.scope_destination_id is not None:
        return _("every transfer from %(sending)s to %(destination)s") % {
            "sending": order.scope_sending_id,
            "destination": order.scope_destination_id,
        }
    if order.scope_sending_id is None:
        # A scenario@2 selector no @1 scope can name (a list, a legal basis, a class).
        return _("the transfers its scenario@2 selector names")
    return _("every third-country transfer from %(sending)s") % {"sending": order.scope_sending_id}


@dataclass(frozen=True, slots=True)
class FactRow:
    """One fact as a page shows it. ``state`` is ``unknown`` (nobody recorded it), ``none``
    (known: there is none), ``withheld`` (not shown to this user) or ``known``."""

    label: str
    value: str
    state: str = "known"
    #: The page of the record the value names, if it has one.
    url: str | None = None


def _yes_no(value: bool | None) -> tuple[str, str]:
    if value is None:
        return _("unknown"), "unknown"
    return (_("yes"), "known") if value else (_("no"), "known")


def _scalar(label: str, value: Any) -> FactRow:
    if value is None:
        return FactRow(label, _("unknown"), "unknown")
    if isinstance(value, bool):
        text, state = _yes_no(value)
        return FactRow(label, text, state)
    return FactRow(label, str(value), "known")


def _listed(label: str, recorded: bool, values: list[str], none: str) -> FactRow:
    if not recorded:
        return FactRow(label, _("unknown"), "unknown")
    if not values:
        return FactRow(label, none, "none")
    return FactRow(label, ", ".join(values), "known")


def person_facts(user: Any, person: Person) -> list[FactRow]:
    """Every fact about a person, unknowns marked, personal data withheld from monitors."""
    personal = sees_personal_data(user)
    names = [n.name for n in person.names.all()]
    facts = []
    if personal:
        facts.append(FactRow(_("Name"), names[0] if names else "", "known"))
        facts.append(
            FactRow(_("Aliases and spellings"), ", ".join(names[1:]), "known")
            if len(names) > 1
            else FactRow(_("Aliases and spellings"), _("none recorded"), "none")
        )
    else:
        facts.append(FactRow(_("Name"), _("withheld (pseudonymised view)"), "withheld"))
    if person.birth_date is None:
        facts.append(FactRow(_("Birth date"), _("unknown"), "unknown"))
    elif personal:
        facts.append(FactRow(_("Birth date"), day(person.birth_date), "known"))
    else:
        facts.append(FactRow(_("Birth year"), str(person.birth_date.year), "known"))
    facts.append(
        _listed(
            _("Nationalities"),
            person.nationalities_recorded,
            [f"{n.country_id} {n.country.name}" for n in person.nationalities.all()],
            _("stateless"),
        )
    )
    facts.append(
        _listed(
            _("Languages understood"),
            person.languages_recorded,
            [f"{pl.language_id} {pl.language.name}" for pl in person.languages.all()],
            _("none recorded"),
        )
    )
    facts.append(_scalar(_("Travels with a parent or guardian (if a minor)"), person.accompanied))
    facts.append(_scalar(_("Identity verified"), person.identity_verified))
    facts.append(
        FactRow(_("Asylum claim"), _("unknown"), "unknown")
        if person.asylum_claim is None
        else FactRow(
            _("Asylum claim"),
            _asylum_claim(person.asylum_claim),
            "none" if person.asylum_claim == "none" else "known",
        )
    )
    facts.append(
        _listed(
            _("Fear claims"),
            person.fear_claims_recorded,
            [
                _("%(country)s: %(status)s") % {"country": c.country_id, "status": label(c.status)}
                for c in person.fear_claims.all()
            ],
            _("none recorded"),
        )
    )
    if not person.removal_decision_recorded:
        facts.append(FactRow(_("Removal decision"), _("unknown"), "unknown"))
    elif person.removal_decision_date is None:
        facts.append(FactRow(_("Removal decision"), _("no removal decision"), "none"))
    else:
        deadline = day(person.appeal_deadline) if person.appeal_deadline else _("no deadline")
        facts.append(
            FactRow(
                _("Removal decision"),
                _(
                    "of %(date)s; final: %(final)s; appeal deadline: %(deadline)s; "
                    "appeal pending: %(pending)s"
                )
                % {
                    "date": day(person.removal_decision_date),
                    "final": _yes_no(person.removal_decision_final)[0],
                    "deadline": deadline,
                    "pending": _yes_no(person.appeal_pending)[0],
                },
                "known",
            )
        )
    convictions = []
    for c in person.convictions.all():
        offence = (c.offence or _("offence not recorded")) if personal else _("withheld")
        end = day(c.sentence_end) if c.sentence_end else _("unknown")
        convictions.append(
            _("%(offence)s (sentence ends %(end)s)") % {"offence": offence, "end": end}
        )
    facts.append(
        _listed(_("Convictions"), person.convictions_recorded, convictions, _("none recorded"))
    )
    facts.append(
        _scalar(
            _("Spouse, partner or minor child in the sending state"),
            person.family_in_sending_country,
        )
    )
    facts.append(_scalar(_("Fit to travel"), person.fit_to_travel))
    return facts


def transfer_facts(transfer: Transfer) -> list[FactRow]:
    """The facts recorded on a transfer itself, unknowns marked."""
    facts = [
        FactRow(_("From"), f"{transfer.sending_id} {transfer.sending.name}"),
        FactRow(_("To"), f"{transfer.destination_id} {transfer.destination.name}"),
        FactRow(
            _("Arrangement"),
            transfer.arrangement.ref if transfer.arrangement_id else _("no arrangement"),
            "known" if transfer.arrangement_id else "none",
            reverse("web:arrangement", args=[transfer.arrangement.ref])
            if transfer.arrangement_id
            else None,
        ),
        FactRow(_("Planned date"), day(transfer.planned_date)),
        FactRow(_("Status"), label(transfer.status)),
        _scalar(_("Accepted by the receiving state"), transfer.accepted_by_receiving),
    ]
    if not transfer.notice_recorded:
        facts.append(FactRow(_("Written notice"), _("unknown"), "unknown"))
    elif transfer.notice_served is None:
        facts.append(FactRow(_("Written notice"), _("no notice served"), "none"))
    else:
        facts.append(
            FactRow(
                _("Written notice"),
                _("served %(date)s in %(language)s; names the destination: %(names)s")
                % {
                    "date": day(transfer.notice_served),
                    "language": transfer.notice_language_id,
                    "names": _yes_no(transfer.notice_names_destination)[0],
                },
            )
        )
    return facts


def findings_of(user: Any, screening: ScreeningRecord) -> list[ShownFinding]:
    """A stored screening's findings in catalog order as ``user`` reads them: in the page's
    language, with the titles and bases of the catalog it was made under."""
    return shown_findings(screening.catalog, screening.findings, personal=sees_personal_data(user))


def not_passing(screening: ScreeningRecord) -> list[tuple[str, str]]:
    """The rules a screening did not pass, with their outcome."""
    ids = catalogs.rule_ids(screening.catalog)
    outcomes = [OUTCOME_OF[letter] for letter in screening.outcomes]
    return [(r, o) for r, o in zip(ids, outcomes, strict=False) if o != "pass"]

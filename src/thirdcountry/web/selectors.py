"""Reads for the pages: what each page shows, in as few queries as the page needs.

Every page speaks for one screening date: the stored world's ``as_of`` if one was loaded,
else today (:func:`screening_date`), the same date the services screen on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext, gettext_lazy

from thirdcountry.accounts.roles import sees_personal_data
from thirdcountry.cases.models import Person, RunChange, ScreeningRecord, ScreeningRun, Transfer
from thirdcountry.cases.rescreening import default_as_of
from thirdcountry.registry import selectors as registry
from thirdcountry.registry.models import (
    Arrangement,
    ArrangementStatus,
    Assessment,
    Country,
    CourtOrder,
)
from thirdcountry.rules import catalogs
from thirdcountry.web.identity import person_label


def _(message: str) -> str:
    """``message`` in the active language."""
    return str(gettext(message))


#: The verdicts in the order pages list them, worst first.
VERDICT_ORDER = ("blocked", "review", "clear")


def screening_date() -> date:
    """The date every page speaks for: the stored world's screening date, else today."""
    return default_as_of()


def with_verdicts(transfers: QuerySet[Transfer, Transfer]) -> QuerySet[Transfer, Transfer]:
    """Transfers annotated with ``verdict``, the verdict of their latest screening (NULL:
    never screened), read from the narrow, indexed table of latest screenings."""
    return transfers.annotate(verdict=F("latest_screening__verdict"))


def pending_counts() -> dict[str, int]:
    """How many proposed transfers have each latest verdict (``unscreened``: none yet)."""
    rows = (
        with_verdicts(Transfer.objects.filter(status="proposed"))
        .values("verdict")
        .annotate(n=Count("id"))
    )
    found = {row["verdict"]: row["n"] for row in rows}
    counts = {v: found.get(v, 0) for v in VERDICT_ORDER}
    counts["unscreened"] = found.get(None, 0)
    return counts


def transfers_listing(
    verdict: str | None = None, status: str | None = "proposed", destination: str | None = None
) -> QuerySet[Transfer, Transfer]:
    """Transfers with their latest verdict, filtered, soonest planned first."""
    transfers = with_verdicts(Transfer.objects.all()).select_related("arrangement")
    if status:
        transfers = transfers.filter(status=status)
    if destination:
        transfers = transfers.filter(destination_id=destination)
    if verdict == "unscreened":
        transfers = transfers.filter(verdict__isnull=True)
    elif verdict:
        transfers = transfers.filter(verdict=verdict)
    return transfers.order_by("planned_date", "ref")


def latest_run() -> ScreeningRun | None:
    """The most recent screening run that finished."""
    run: ScreeningRun | None = (
        ScreeningRun.objects.filter(status="complete").order_by("-id").first()
    )
    return run


def run_changes(run: ScreeningRun) -> QuerySet[RunChange, RunChange]:
    """A run's changed verdicts, worst outcome first, then by transfer, with their
    transfers: ordered by the database, so a page of a run of 100,000 changes reads one
    page."""
    rank = Case(
        *(When(verdict_after=v, then=Value(i)) for i, v in enumerate(VERDICT_ORDER)),
        default=Value(len(VERDICT_ORDER)),
    )
    return (
        run.changes.select_related("transfer__person")
        .annotate(rank=rank)
        .order_by("rank", "transfer__ref")
    )


# -- arrangements -------------------------------------------------------------------------


@dataclass(frozen=True)
class ArrangementRow:
    """An arrangement on the screening date: its status, and how much of its cap is used."""

    arrangement: Arrangement
    status: ArrangementStatus | None
    executed: int
    pending: int

    @property
    def remaining(self) -> int | None:
        cap = self.arrangement.cap
        return None if cap is None else max(cap - self.executed, 0)

    @property
    def used_percent(self) -> int | None:
        cap = self.arrangement.cap
        if cap is None:
            return None
        return 100 if cap == 0 else min(100, round(100 * self.executed / cap))

    @property
    def in_force(self) -> bool:
        return self.status is not None and self.status.status == "in_force"


def arrangement_rows(
    on: date, arrangements: QuerySet[Arrangement, Arrangement] | None = None
) -> list[ArrangementRow]:
    """Every arrangement (or those given) with its status on ``on`` and its cap usage."""
    chosen = arrangements if arrangements is not None else Arrangement.objects.all()
    listed = list(
        chosen.select_related("sending", "receiving")
        .prefetch_related("status_history")
        .annotate(
            executed=Count("transfers", filter=Q(transfers__status="executed")),
            pending=Count("transfers", filter=Q(transfers__status="proposed")),
        )
        .order_by("ref")
    )
    statuses = registry.statuses_on((e for a in listed for e in a.status_history.all()), on)
    return [ArrangementRow(a, statuses.get(a.pk), a.executed, a.pending) for a in listed]


# -- court orders -------------------------------------------------------------------------


def orders_in_effect(on: date) -> QuerySet[CourtOrder, CourtOrder]:
    """The court orders in effect on a date."""
    return registry.orders_in_effect(court_orders(), on)


def court_orders() -> QuerySet[CourtOrder, CourtOrder]:
    """Court orders with what their scope names."""
    return CourtOrder.objects.select_related(
        "scope_person", "scope_arrangement", "scope_sending", "scope_destination"
    ).prefetch_related("scope_person__names")


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
    return _("every third-country transfer from %(sending)s") % {"sending": order.scope_sending_id}


def with_effect(orders: Iterable[CourtOrder], on: date) -> list[tuple[CourtOrder, bool]]:
    """Each order, in order, with whether it is in effect on a date."""
    listed = list(orders)
    return list(zip(listed, registry.orders_in_effect_flags(listed, on), strict=True))


# -- countries ----------------------------------------------------------------------------


def assessments_in_force(countries: Iterable[Country], on: date) -> dict[str, Assessment]:
    """The assessment in force on a date of each country that has one, by code (the
    countries' assessments prefetched)."""
    return registry.assessments_in_force((a for c in countries for a in c.assessments.all()), on)


# -- the chart ----------------------------------------------------------------------------


def transfers_by_month() -> list[tuple[date, str, str, int]]:
    """(month, destination, category, count) over every proposed and executed transfer; the
    category of a proposed transfer is its latest verdict (``unscreened`` if none)."""
    rows = (
        with_verdicts(Transfer.objects.filter(status__in=("proposed", "executed")))
        .annotate(month=TruncMonth("planned_date"))
        .values("month", "destination_id", "status", "verdict")
        .annotate(n=Count("id"))
    )
    counted: Counter[tuple[date, str, str]] = Counter()
    for row in rows:
        month = row["month"]
        if hasattr(month, "date"):
            month = month.date()
        executed = row["status"] == "executed"
        category = "executed" if executed else (row["verdict"] or "unscreened")
        counted[(month, row["destination_id"], category)] += row["n"]
    return [(m, d, c, n) for (m, d, c), n in sorted(counted.items())]


# -- persons and transfers ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact as a page shows it. ``state`` is ``unknown`` (nobody recorded it), ``none``
    (known: there is none), ``withheld`` (not shown to this user) or ``known``."""

    label: str
    value: str
    state: str = "known"


def _yes_no(value: bool | None) -> tuple[str, str]:
    if value is None:
        return _("unknown"), "unknown"
    return (_("yes"), "known") if value else (_("no"), "known")


def _scalar(label: str, value: Any) -> Fact:
    if value is None:
        return Fact(label, _("unknown"), "unknown")
    if isinstance(value, bool):
        text, state = _yes_no(value)
        return Fact(label, text, state)
    return Fact(label, str(value), "known")


def _listed(label: str, recorded: bool, values: list[str], none: str) -> Fact:
    if not recorded:
        return Fact(label, _("unknown"), "unknown")
    if not values:
        return Fact(label, none, "none")
    return Fact(label, ", ".join(values), "known")


def person_facts(user: Any, person: Person) -> list[Fact]:
    """Every fact about a person, unknowns marked, personal data withheld from monitors."""
    personal = sees_personal_data(user)
    names = [n.name for n in person.names.all()]
    facts = []
    if personal:
        facts.append(Fact(_("Name"), names[0] if names else "", "known"))
        facts.append(
            Fact(_("Aliases and spellings"), ", ".join(names[1:]), "known")
            if len(names) > 1
            else Fact(_("Aliases and spellings"), _("none recorded"), "none")
        )
    else:
        facts.append(Fact(_("Name"), _("withheld (pseudonymised view)"), "withheld"))
    if person.birth_date is None:
        facts.append(Fact(_("Birth date"), _("unknown"), "unknown"))
    elif personal:
        facts.append(Fact(_("Birth date"), person.birth_date.isoformat(), "known"))
    else:
        facts.append(Fact(_("Birth year"), str(person.birth_date.year), "known"))
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
        Fact(_("Asylum claim"), _("unknown"), "unknown")
        if person.asylum_claim is None
        else Fact(_("Asylum claim"), verdict_word(person.asylum_claim), "known")
    )
    facts.append(
        _listed(
            _("Fear claims"),
            person.fear_claims_recorded,
            [
                _("%(country)s: %(status)s")
                % {"country": c.country_id, "status": verdict_word(c.status)}
                for c in person.fear_claims.all()
            ],
            _("none recorded"),
        )
    )
    if not person.removal_decision_recorded:
        facts.append(Fact(_("Removal decision"), _("unknown"), "unknown"))
    elif person.removal_decision_date is None:
        facts.append(Fact(_("Removal decision"), _("no removal decision"), "none"))
    else:
        deadline = person.appeal_deadline.isoformat() if person.appeal_deadline else _("none")
        facts.append(
            Fact(
                _("Removal decision"),
                _(
                    "of %(date)s; final: %(final)s; appeal deadline: %(deadline)s; "
                    "appeal pending: %(pending)s"
                )
                % {
                    "date": person.removal_decision_date.isoformat(),
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
        end = c.sentence_end.isoformat() if c.sentence_end else _("unknown")
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


def transfer_facts(transfer: Transfer) -> list[Fact]:
    """The facts recorded on a transfer itself, unknowns marked."""
    facts = [
        Fact(_("From"), f"{transfer.sending_id} {transfer.sending.name}"),
        Fact(_("To"), f"{transfer.destination_id} {transfer.destination.name}"),
        Fact(
            _("Arrangement"),
            transfer.arrangement.ref if transfer.arrangement_id else _("none"),
            "known" if transfer.arrangement_id else "none",
        ),
        Fact(_("Planned date"), transfer.planned_date.isoformat()),
        Fact(_("Status"), verdict_word(transfer.status)),
        _scalar(_("Accepted by the receiving state"), transfer.accepted_by_receiving),
    ]
    if not transfer.notice_recorded:
        facts.append(Fact(_("Written notice"), _("unknown"), "unknown"))
    elif transfer.notice_served is None:
        facts.append(Fact(_("Written notice"), _("no notice served"), "none"))
    else:
        facts.append(
            Fact(
                _("Written notice"),
                _("served %(date)s in %(language)s; names the destination: %(names)s")
                % {
                    "date": transfer.notice_served.isoformat(),
                    "language": transfer.notice_language_id,
                    "names": _yes_no(transfer.notice_names_destination)[0],
                },
            )
        )
    return facts


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A stored finding with its rule's number, title and legal basis from the catalog its
    screening was made under."""

    number: int
    rule: str
    title: str
    outcome: str
    reason: str
    basis: str


def findings_of(screening: ScreeningRecord) -> list[FindingRow]:
    """A stored screening's findings in catalog order, each with its title and legal basis
    from the catalog the screening was made under."""
    rows = []
    for finding in screening.findings:
        rule = catalogs.stored_rule(screening.catalog, finding["rule"])
        if rule is None:
            rows.append(
                FindingRow(
                    0, finding["rule"], finding["rule"], finding["outcome"], finding["reason"], ""
                )
            )
            continue
        rows.append(
            FindingRow(
                rule.number, rule.id, rule.title, finding["outcome"], finding["reason"], rule.basis
            )
        )
    return rows


def not_passing(screening: ScreeningRecord) -> list[tuple[str, str]]:
    """The rules a screening did not pass, with their outcome."""
    return [(f["rule"], f["outcome"]) for f in screening.findings if f["outcome"] != "pass"]


def verdict_word(value: str | None) -> str:
    """A stored word (a verdict, an outcome, a status) in the user's language."""
    if value is None:
        return _("not screened")
    return str(WORDS.get(value, value.replace("_", " ")))


#: The words stored values are shown as. The stored values stay those of the scenario format.
WORDS: dict[str, Any] = {
    "clear": gettext_lazy("clear"),
    "review": gettext_lazy("review"),
    "blocked": gettext_lazy("blocked"),
    "pass": gettext_lazy("pass"),
    "unscreened": gettext_lazy("not screened"),
    "proposed": gettext_lazy("proposed"),
    "executed": gettext_lazy("executed"),
    "cancelled": gettext_lazy("cancelled"),
    "negotiating": gettext_lazy("negotiating"),
    "signed": gettext_lazy("signed"),
    "in_force": gettext_lazy("in force"),
    "suspended": gettext_lazy("suspended"),
    "ruled_unlawful": gettext_lazy("ruled unlawful"),
    "terminated": gettext_lazy("terminated"),
    "committed": gettext_lazy("committed"),
    "paid": gettext_lazy("paid"),
    "claimed": gettext_lazy("claimed"),
    "disputed": gettext_lazy("disputed"),
    "stay": gettext_lazy("stay"),
    "injunction": gettext_lazy("injunction"),
    "interim_measure": gettext_lazy("interim measure"),
    "none": gettext_lazy("none"),
    "pending": gettext_lazy("pending"),
    "granted": gettext_lazy("granted"),
    "refused": gettext_lazy("refused"),
    "recognised": gettext_lazy("recognised"),
    "rejected": gettext_lazy("rejected"),
    "visit": gettext_lazy("visit"),
    "support_delivered": gettext_lazy("support delivered"),
    "onward_removal": gettext_lazy("onward removal"),
    "asylum_procedure": gettext_lazy("asylum procedure"),
    "accommodation": gettext_lazy("accommodation"),
    "education": gettext_lazy("education"),
    "employment_support": gettext_lazy("employment support"),
    "health_care": gettext_lazy("health care"),
    "legal_aid": gettext_lazy("legal aid"),
    "monitoring_access": gettext_lazy("monitoring access"),
    "complete": gettext_lazy("complete"),
    "running": gettext_lazy("running"),
    "failed": gettext_lazy("failed"),
    "caseworker": gettext_lazy("caseworker"),
    "legal_officer": gettext_lazy("legal officer"),
    "supervisor": gettext_lazy("supervisor"),
    "monitor": gettext_lazy("monitor"),
    "administrator": gettext_lazy("administrator"),
}

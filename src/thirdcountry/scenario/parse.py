"""Read a ``thirdcountry/scenario@1`` document into domain objects, refusing it whole when any
part breaks SCENARIO.md, with every problem listed by its JSON path."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar, cast

from thirdcountry.scenario import codes
from thirdcountry.scenario.model import (
    ARRANGEMENT_STATUSES,
    ASYLUM_CLAIMS,
    COMMITMENTS,
    COURT_ORDER_KINDS,
    FEAR_CLAIM_STATUSES,
    MONITORING_KINDS,
    PAYMENT_KINDS,
    TRANSFER_STATUSES,
    UNKNOWN,
    Arrangement,
    Assessment,
    Conviction,
    Country,
    CourtOrder,
    CourtOrderScope,
    Fact,
    FearClaim,
    MonitoringEntry,
    Notice,
    Parameters,
    Payment,
    Person,
    RemovalDecision,
    Scenario,
    StatusChange,
    Terms,
    Transfer,
)

FORMAT: Final = "thirdcountry/scenario@1"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_AMOUNT = re.compile(r"\d+(\.\d+)?\Z")
_ABSENT: Final = object()
#: The largest whole number the engine's 64-bit columns hold (caps and notice periods).
_INT64_MAX: Final = 2**63 - 1
#: The oldest age of majority a scenario may set: ages are human ages, and the engine must be
#: able to compute the date a person comes of age.
_MAX_MINOR_AGE: Final = 150
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario: where (a JSON path) and what was expected."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ScenarioError(ValueError):
    """A scenario was refused; ``problems`` lists every reason, in document order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the scenario"
        super().__init__(summary + "\n" + "\n".join(f"  {p}" for p in self.problems))


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Reader:
    """Collects problems while reading; every read returns ``None`` when its value is bad."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path or "$", message))

    # -- containers ---------------------------------------------------------------------

    def mapping(
        self,
        value: object,
        path: str,
        *,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
        what: str = "an object",
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, f"{_describe(value)} is not {what}")
            return None
        allowed = (*required, *optional)
        for key in value:
            if key not in allowed:
                self.problem(
                    _key_path(path, key), f"unknown key (expected one of: {', '.join(allowed)})"
                )
        for key in required:
            if key not in value:
                self.problem(_key_path(path, key), "required key is missing")
        return value

    def items(
        self, value: object, path: str, read: Callable[[object, str], T | None]
    ) -> list[T] | None:
        """Read a list, each element with ``read``; ``None`` if the list or any element is bad."""
        if not isinstance(value, list):
            self.problem(path, f"{_describe(value)} is not a list")
            return None
        before = len(self.problems)
        out = [read(item, f"{path}[{i}]") for i, item in enumerate(value)]
        if len(self.problems) != before:
            return None
        return cast(list[T], out)

    # -- scalars ------------------------------------------------------------------------

    def string(self, value: object, path: str, *, non_empty: bool = True) -> str | None:
        if not isinstance(value, str):
            self.problem(path, f"{_describe(value)} is not a string")
            return None
        if non_empty and not value.strip():
            self.problem(path, "an empty string is not allowed here")
            return None
        return value

    def optional_string(self, value: object, path: str) -> str | None:
        return None if value is None or value is _ABSENT else self.string(value, path)

    def boolean(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            hint = " (leave the key out when it is unknown)" if value is None else ""
            self.problem(path, f"{_describe(value)} is not true or false{hint}")
            return None
        return value

    def integer(
        self, value: object, path: str, *, minimum: int = 0, maximum: int = _INT64_MAX
    ) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, f"{_describe(value)} is not a whole number")
            return None
        if value < minimum:
            self.problem(path, f"{value} is below the minimum of {minimum}")
            return None
        if value > maximum:
            self.problem(path, f"{value} is above the maximum of {maximum}")
            return None
        return value

    def date(self, value: object, path: str) -> date | None:
        if not isinstance(value, str) or not _DATE.match(value):
            hint = " (leave the key out when it is unknown)" if value is None else ""
            self.problem(path, f"{_describe(value)} is not a date in the form YYYY-MM-DD{hint}")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(path, f"{_describe(value)} is not a real calendar date")
            return None

    def choice(self, value: object, path: str, choices: tuple[str, ...]) -> str | None:
        if not isinstance(value, str) or value not in choices:
            self.problem(path, f"{_describe(value)} is not one of: {', '.join(choices)}")
            return None
        return value

    def country(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not codes.is_country(value):
            self.problem(path, f"{_describe(value)} is not an ISO 3166-1 alpha-2 country code")
            return None
        return value

    def language(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not codes.is_language(value):
            self.problem(path, f"{_describe(value)} is not an ISO 639-1 or ISO 639-3 language code")
            return None
        return value

    def currency(self, value: object, path: str) -> str | None:
        if not isinstance(value, str) or not codes.is_currency(value):
            self.problem(path, f"{_describe(value)} is not an ISO 4217 currency code")
            return None
        return value

    def amount(self, value: object, path: str) -> Decimal | None:
        if not isinstance(value, str) or not _AMOUNT.match(value):
            self.problem(
                path,
                f'{_describe(value)} is not an amount written as a decimal string like "1250.00"',
            )
            return None
        return Decimal(value)


def _get(data: Mapping[str, Any], key: str) -> Any:
    return data.get(key, _ABSENT)


class _ScenarioReader(_Reader):
    """Reads each part of the document; the structure follows SCENARIO.md section by section."""

    # -- countries ----------------------------------------------------------------------

    def country_entry(self, value: object, path: str) -> Country | None:
        data = self.mapping(value, path, required=("code",), optional=("assessments",))
        if data is None:
            return None
        before = len(self.problems)
        code = self.country(data["code"], f"{path}.code") if "code" in data else None
        assessments = self.items(
            data.get("assessments", []), f"{path}.assessments", self.assessment
        )
        if len(self.problems) != before or code is None or assessments is None:
            return None
        return Country(code=code, assessments=tuple(assessments))

    def assessment(self, value: object, path: str) -> Assessment | None:
        data = self.mapping(value, path, required=("date", "onward_refoulement_risk", "source"))
        if data is None:
            return None
        day = self.date(_get(data, "date"), f"{path}.date") if "date" in data else None
        risk = (
            self.boolean(data["onward_refoulement_risk"], f"{path}.onward_refoulement_risk")
            if "onward_refoulement_risk" in data
            else None
        )
        source = self.string(data["source"], f"{path}.source") if "source" in data else None
        if day is None or risk is None or source is None:
            return None
        return Assessment(date=day, onward_refoulement_risk=risk, source=source)

    # -- arrangements -------------------------------------------------------------------

    def arrangement(self, value: object, path: str) -> Arrangement | None:
        data = self.mapping(
            value,
            path,
            required=("ref", "sending", "receiving"),
            optional=("title", "cap", "terms", "commitments", "status_history", "payments"),
        )
        if data is None:
            return None
        before = len(self.problems)
        ref = self.string(data["ref"], f"{path}.ref") if "ref" in data else None
        sending = self.country(data["sending"], f"{path}.sending") if "sending" in data else None
        receiving = (
            self.country(data["receiving"], f"{path}.receiving") if "receiving" in data else None
        )
        if sending is not None and sending == receiving:
            self.problem(f"{path}.receiving", f'"{receiving}" is also the sending state')
        title = self.optional_string(_get(data, "title"), f"{path}.title")
        cap_value = _get(data, "cap")
        cap = None
        if cap_value is not _ABSENT and cap_value is not None:
            cap = self.integer(cap_value, f"{path}.cap")
        terms = None
        if _get(data, "terms") not in (_ABSENT, None):
            terms = self.terms(data["terms"], f"{path}.terms")
        commitments = self.items(
            data.get("commitments", []),
            f"{path}.commitments",
            lambda v, p: self.choice(v, p, COMMITMENTS),
        )
        if commitments is not None:
            for item, count in Counter(commitments).items():
                if count > 1:
                    self.problem(f"{path}.commitments", f'"{item}" is listed {count} times')
        history = self.items(
            data.get("status_history", []), f"{path}.status_history", self.status_change
        )
        payments = self.items(data.get("payments", []), f"{path}.payments", self.payment)
        if len(self.problems) != before:
            return None
        return Arrangement(
            ref=cast(str, ref),
            sending=cast(str, sending),
            receiving=cast(str, receiving),
            title=title,
            cap=cap,
            terms=terms,
            commitments=tuple(cast(list[Any], commitments)),
            status_history=tuple(cast(list[StatusChange], history)),
            payments=tuple(cast(list[Payment], payments)),
        )

    def terms(self, value: object, path: str) -> Terms | None:
        data = self.mapping(
            value,
            path,
            optional=("requires_served_sentence", "excluded_nationalities", "notice_days"),
        )
        if data is None:
            return None
        before = len(self.problems)
        served = self.boolean(
            data.get("requires_served_sentence", False), f"{path}.requires_served_sentence"
        )
        excluded = self.items(
            data.get("excluded_nationalities", []), f"{path}.excluded_nationalities", self.country
        )
        notice_days = None
        if _get(data, "notice_days") not in (_ABSENT, None):
            notice_days = self.integer(data["notice_days"], f"{path}.notice_days")
        if len(self.problems) != before:
            return None
        return Terms(
            requires_served_sentence=cast(bool, served),
            excluded_nationalities=tuple(sorted(set(cast(list[str], excluded)))),
            notice_days=notice_days,
        )

    def status_change(self, value: object, path: str) -> StatusChange | None:
        data = self.mapping(value, path, required=("date", "status", "source"))
        if data is None:
            return None
        day = self.date(data["date"], f"{path}.date") if "date" in data else None
        status = (
            self.choice(data["status"], f"{path}.status", ARRANGEMENT_STATUSES)
            if "status" in data
            else None
        )
        source = self.string(data["source"], f"{path}.source") if "source" in data else None
        if day is None or status is None or source is None:
            return None
        return StatusChange(date=day, status=cast(Any, status), source=source)

    def payment(self, value: object, path: str) -> Payment | None:
        data = self.mapping(
            value,
            path,
            required=("date", "amount", "currency", "kind", "payer", "payee"),
            optional=("note",),
        )
        if data is None:
            return None
        before = len(self.problems)
        day = self.date(data["date"], f"{path}.date") if "date" in data else None
        amount = self.amount(data["amount"], f"{path}.amount") if "amount" in data else None
        currency = (
            self.currency(data["currency"], f"{path}.currency") if "currency" in data else None
        )
        kind = self.choice(data["kind"], f"{path}.kind", PAYMENT_KINDS) if "kind" in data else None
        payer = self.country(data["payer"], f"{path}.payer") if "payer" in data else None
        payee = self.country(data["payee"], f"{path}.payee") if "payee" in data else None
        note = self.optional_string(_get(data, "note"), f"{path}.note")
        if len(self.problems) != before:
            return None
        return Payment(
            date=cast(date, day),
            amount=cast(Decimal, amount),
            currency=cast(str, currency),
            kind=cast(Any, kind),
            payer=cast(str, payer),
            payee=cast(str, payee),
            note=note,
        )

    # -- court orders -------------------------------------------------------------------

    def court_order(self, value: object, path: str) -> CourtOrder | None:
        data = self.mapping(
            value,
            path,
            required=("ref", "kind", "issuer", "issued", "scope"),
            optional=("lifted",),
        )
        if data is None:
            return None
        before = len(self.problems)
        ref = self.string(data["ref"], f"{path}.ref") if "ref" in data else None
        kind = (
            self.choice(data["kind"], f"{path}.kind", COURT_ORDER_KINDS) if "kind" in data else None
        )
        issuer = self.string(data["issuer"], f"{path}.issuer") if "issuer" in data else None
        issued = self.date(data["issued"], f"{path}.issued") if "issued" in data else None
        lifted = None
        if _get(data, "lifted") not in (_ABSENT, None):
            lifted = self.date(data["lifted"], f"{path}.lifted")
            if lifted is not None and issued is not None and lifted < issued:
                self.problem(
                    f"{path}.lifted", f"{lifted} is before the order was issued ({issued})"
                )
        scope = self.scope(data["scope"], f"{path}.scope") if "scope" in data else None
        if len(self.problems) != before:
            return None
        return CourtOrder(
            ref=cast(str, ref),
            kind=cast(Any, kind),
            issuer=cast(str, issuer),
            issued=cast(date, issued),
            lifted=lifted,
            scope=cast(CourtOrderScope, scope),
        )

    def scope(self, value: object, path: str) -> CourtOrderScope | None:
        data = self.mapping(
            value, path, optional=("person", "arrangement", "sending", "destination")
        )
        if data is None:
            return None
        keys = set(data) & {"person", "arrangement", "sending", "destination"}
        allowed = ({"person"}, {"arrangement"}, {"sending", "destination"}, {"sending"})
        if keys not in allowed:
            found = ", ".join(sorted(keys)) or "none"
            self.problem(
                path,
                "expected exactly one scope: person, arrangement, sending with destination, "
                f"or sending alone (found: {found})",
            )
            return None
        before = len(self.problems)
        scope = CourtOrderScope(
            person=self.string(data["person"], f"{path}.person") if "person" in keys else None,
            arrangement=(
                self.string(data["arrangement"], f"{path}.arrangement")
                if "arrangement" in keys
                else None
            ),
            sending=self.country(data["sending"], f"{path}.sending") if "sending" in keys else None,
            destination=(
                self.country(data["destination"], f"{path}.destination")
                if "destination" in keys
                else None
            ),
        )
        return scope if len(self.problems) == before else None

    # -- persons ------------------------------------------------------------------------

    def person(self, value: object, path: str) -> Person | None:
        data = self.mapping(
            value,
            path,
            required=("ref", "names"),
            optional=(
                "birth_date",
                "nationalities",
                "languages",
                "accompanied",
                "identity_verified",
                "asylum_claim",
                "fear_claims",
                "removal_decision",
                "convictions",
                "family_in_sending_country",
                "fit_to_travel",
            ),
        )
        if data is None:
            return None
        before = len(self.problems)
        ref = self.string(data["ref"], f"{path}.ref") if "ref" in data else None
        names = self.items(data["names"], f"{path}.names", self.string) if "names" in data else None
        if names is not None and not names:
            self.problem(f"{path}.names", "at least one name is required")

        def fact(key: str, read: Callable[[object, str], T | None]) -> Fact[T]:
            raw = _get(data, key)
            return UNKNOWN if raw is _ABSENT else cast(T, read(raw, f"{path}.{key}"))

        def set_of(read: Callable[[object, str], str | None]) -> Callable[[object, str], Any]:
            def read_set(raw: object, where: str) -> tuple[str, ...] | None:
                items = self.items(raw, where, read)
                return None if items is None else tuple(sorted(set(items)))

            return read_set

        person = Person(
            ref=cast(str, ref),
            names=tuple(names or ()),
            birth_date=fact("birth_date", self.date),
            nationalities=fact("nationalities", set_of(self.country)),
            languages=fact("languages", set_of(self.language)),
            accompanied=fact("accompanied", self.boolean),
            identity_verified=fact("identity_verified", self.boolean),
            asylum_claim=fact(
                "asylum_claim", lambda v, p: cast(Any, self.choice(v, p, ASYLUM_CLAIMS))
            ),
            fear_claims=fact("fear_claims", self.fear_claims),
            removal_decision=fact("removal_decision", self.removal_decision),
            convictions=fact("convictions", self.convictions),
            family_in_sending_country=fact("family_in_sending_country", self.boolean),
            fit_to_travel=fact("fit_to_travel", self.boolean),
        )
        return person if len(self.problems) == before else None

    def fear_claims(self, value: object, path: str) -> tuple[FearClaim, ...] | None:
        claims = self.items(value, path, self.fear_claim)
        return None if claims is None else tuple(claims)

    def fear_claim(self, value: object, path: str) -> FearClaim | None:
        data = self.mapping(value, path, required=("country", "status"))
        if data is None:
            return None
        country = self.country(data["country"], f"{path}.country") if "country" in data else None
        status = (
            self.choice(data["status"], f"{path}.status", FEAR_CLAIM_STATUSES)
            if "status" in data
            else None
        )
        if country is None or status is None:
            return None
        return FearClaim(country=country, status=cast(Any, status))

    def removal_decision(self, value: object, path: str) -> RemovalDecision | None:
        if value is None:
            return None
        data = self.mapping(
            value,
            path,
            required=("date", "final"),
            optional=("appeal_deadline", "appeal_pending"),
            what="an object or null",
        )
        if data is None:
            return None
        before = len(self.problems)
        day = self.date(data["date"], f"{path}.date") if "date" in data else None
        final = self.boolean(data["final"], f"{path}.final") if "final" in data else None
        deadline = None
        if _get(data, "appeal_deadline") not in (_ABSENT, None):
            deadline = self.date(data["appeal_deadline"], f"{path}.appeal_deadline")
        pending = self.boolean(data.get("appeal_pending", False), f"{path}.appeal_pending")
        if len(self.problems) != before:
            return None
        return RemovalDecision(
            date=cast(date, day),
            final=cast(bool, final),
            appeal_deadline=deadline,
            appeal_pending=cast(bool, pending),
        )

    def convictions(self, value: object, path: str) -> tuple[Conviction, ...] | None:
        items = self.items(value, path, self.conviction)
        return None if items is None else tuple(items)

    def conviction(self, value: object, path: str) -> Conviction | None:
        data = self.mapping(value, path, optional=("offence", "sentence_end"))
        if data is None:
            return None
        before = len(self.problems)
        offence = self.optional_string(_get(data, "offence"), f"{path}.offence")
        sentence_end: Fact[date] = UNKNOWN
        if "sentence_end" in data:
            sentence_end = cast(date, self.date(data["sentence_end"], f"{path}.sentence_end"))
        if len(self.problems) != before:
            return None
        return Conviction(offence=offence, sentence_end=sentence_end)

    # -- transfers ----------------------------------------------------------------------

    def transfer(self, value: object, path: str) -> Transfer | None:
        data = self.mapping(
            value,
            path,
            required=("ref", "person", "sending", "destination", "planned_date"),
            optional=("arrangement", "status", "accepted_by_receiving", "notice", "monitoring"),
        )
        if data is None:
            return None
        before = len(self.problems)
        ref = self.string(data["ref"], f"{path}.ref") if "ref" in data else None
        person = self.string(data["person"], f"{path}.person") if "person" in data else None
        sending = self.country(data["sending"], f"{path}.sending") if "sending" in data else None
        destination = (
            self.country(data["destination"], f"{path}.destination")
            if "destination" in data
            else None
        )
        planned = (
            self.date(data["planned_date"], f"{path}.planned_date")
            if "planned_date" in data
            else None
        )
        arrangement = None
        if _get(data, "arrangement") not in (_ABSENT, None):
            arrangement = self.string(data["arrangement"], f"{path}.arrangement")
        status = self.choice(data.get("status", "proposed"), f"{path}.status", TRANSFER_STATUSES)
        accepted: Fact[bool] = UNKNOWN
        if "accepted_by_receiving" in data:
            accepted = cast(
                bool,
                self.boolean(data["accepted_by_receiving"], f"{path}.accepted_by_receiving"),
            )
        notice: Fact[Notice | None] = UNKNOWN
        if "notice" in data:
            notice = self.notice(data["notice"], f"{path}.notice")
        monitoring = self.items(data.get("monitoring", []), f"{path}.monitoring", self.monitoring)
        if len(self.problems) != before:
            return None
        return Transfer(
            ref=cast(str, ref),
            person=cast(str, person),
            sending=cast(str, sending),
            destination=cast(str, destination),
            planned_date=cast(date, planned),
            arrangement=arrangement,
            status=cast(Any, status),
            accepted_by_receiving=accepted,
            notice=notice,
            monitoring=tuple(cast(list[MonitoringEntry], monitoring)),
        )

    def notice(self, value: object, path: str) -> Notice | None:
        if value is None:
            return None
        data = self.mapping(
            value,
            path,
            required=("served", "language", "names_destination"),
            what="an object or null",
        )
        if data is None:
            return None
        served = self.date(data["served"], f"{path}.served") if "served" in data else None
        language = (
            self.language(data["language"], f"{path}.language") if "language" in data else None
        )
        names = (
            self.boolean(data["names_destination"], f"{path}.names_destination")
            if "names_destination" in data
            else None
        )
        if served is None or language is None or names is None:
            return None
        return Notice(served=served, language=language, names_destination=names)

    def monitoring(self, value: object, path: str) -> MonitoringEntry | None:
        data = self.mapping(value, path, required=("date", "kind", "country"), optional=("note",))
        if data is None:
            return None
        before = len(self.problems)
        day = self.date(data["date"], f"{path}.date") if "date" in data else None
        kind = (
            self.choice(data["kind"], f"{path}.kind", MONITORING_KINDS) if "kind" in data else None
        )
        country = self.country(data["country"], f"{path}.country") if "country" in data else None
        note = self.optional_string(_get(data, "note"), f"{path}.note")
        if len(self.problems) != before:
            return None
        return MonitoringEntry(
            date=cast(date, day), kind=cast(Any, kind), country=cast(str, country), note=note
        )

    # -- top level ----------------------------------------------------------------------

    def parameters(self, value: object, path: str) -> Parameters | None:
        data = self.mapping(value, path, optional=("notice_days", "minor_age"))
        if data is None:
            return None
        defaults = Parameters()
        notice_days = self.integer(
            data.get("notice_days", defaults.notice_days), f"{path}.notice_days"
        )
        minor_age = self.integer(
            data.get("minor_age", defaults.minor_age),
            f"{path}.minor_age",
            minimum=1,
            maximum=_MAX_MINOR_AGE,
        )
        if notice_days is None or minor_age is None:
            return None
        return Parameters(notice_days=notice_days, minor_age=minor_age)

    def scenario(self, value: object) -> Scenario | None:
        data = self.mapping(
            value,
            "",
            required=("format",),
            optional=(
                "description",
                "as_of",
                "parameters",
                "countries",
                "arrangements",
                "court_orders",
                "persons",
                "transfers",
            ),
            what="a scenario object",
        )
        if data is None:
            return None
        if "format" in data and data["format"] != FORMAT:
            self.problem("format", f'{_describe(data["format"])} is not "{FORMAT}"')
        description = self.optional_string(_get(data, "description"), "description")
        as_of = None
        if _get(data, "as_of") not in (_ABSENT, None):
            as_of = self.date(data["as_of"], "as_of")
        parameters = self.parameters(data.get("parameters", {}), "parameters")
        countries = self.items(data.get("countries", []), "countries", self.country_entry)
        arrangements = self.items(data.get("arrangements", []), "arrangements", self.arrangement)
        orders = self.items(data.get("court_orders", []), "court_orders", self.court_order)
        persons = self.items(data.get("persons", []), "persons", self.person)
        transfers = self.items(data.get("transfers", []), "transfers", self.transfer)
        self.check_references(data)
        if self.problems:
            return None
        return Scenario(
            as_of=as_of,
            description=description,
            parameters=cast(Parameters, parameters),
            countries=tuple(cast(list[Country], countries)),
            arrangements=tuple(cast(list[Arrangement], arrangements)),
            court_orders=tuple(cast(list[CourtOrder], orders)),
            persons=tuple(cast(list[Person], persons)),
            transfers=tuple(cast(list[Transfer], transfers)),
        )

    # -- references across the document ------------------------------------------------

    def _refs(self, data: Mapping[str, Any], section: str, key: str = "ref") -> dict[str, int]:
        """The first index of each ref in ``section``, reporting each later duplicate."""
        seen: dict[str, int] = {}
        entries = data.get(section, [])
        if not isinstance(entries, list):
            return seen
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get(key), str):
                continue
            ref = entry[key]
            if ref in seen:
                self.problem(
                    f"{section}[{i}].{key}",
                    f'"{ref}" is already used by {section}[{seen[ref]}]; refs must be unique',
                )
            else:
                seen[ref] = i
        return seen

    def check_references(self, data: Mapping[str, Any]) -> None:
        self._refs(data, "countries", "code")
        arrangements = self._refs(data, "arrangements")
        self._refs(data, "court_orders")
        persons = self._refs(data, "persons")
        self._refs(data, "transfers")
        arrangement_entries = data.get("arrangements", [])

        for i, order in _entries(data, "court_orders"):
            scope = order.get("scope")
            if not isinstance(scope, dict):
                continue
            person = scope.get("person")
            if isinstance(person, str) and person not in persons:
                self.problem(f"court_orders[{i}].scope.person", f'"{person}" names no person')
            arrangement = scope.get("arrangement")
            if isinstance(arrangement, str) and arrangement not in arrangements:
                self.problem(
                    f"court_orders[{i}].scope.arrangement", f'"{arrangement}" names no arrangement'
                )

        for i, transfer in _entries(data, "transfers"):
            person = transfer.get("person")
            if isinstance(person, str) and person not in persons:
                self.problem(f"transfers[{i}].person", f'"{person}" names no person')
            ref = transfer.get("arrangement")
            if not isinstance(ref, str):
                continue
            if ref not in arrangements:
                self.problem(f"transfers[{i}].arrangement", f'"{ref}" names no arrangement')
                continue
            arrangement = arrangement_entries[arrangements[ref]]
            for own, theirs in (("sending", "sending"), ("destination", "receiving")):
                if transfer.get(own) != arrangement.get(theirs):
                    self.problem(
                        f"transfers[{i}].{own}",
                        f"{_describe(transfer.get(own))} differs from arrangement {ref}'s "
                        f"{theirs} state {_describe(arrangement.get(theirs))}",
                    )


def _entries(data: Mapping[str, Any], section: str) -> Iterable[tuple[int, dict[str, Any]]]:
    entries = data.get(section, [])
    if isinstance(entries, list):
        for i, entry in enumerate(entries):
            if isinstance(entry, dict):
                yield i, entry


def parse_scenario(document: object) -> Scenario:
    """Turn a decoded JSON document into a :class:`Scenario`.

    Raises :class:`ScenarioError` listing every problem when the document breaks SCENARIO.md.
    """
    reader = _ScenarioReader()
    scenario = reader.scenario(document)
    if reader.problems or scenario is None:
        raise ScenarioError(reader.problems)
    return scenario


def loads_scenario(text: str | bytes) -> Scenario:
    """Parse a scenario from JSON text."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = (
            f"line {error.lineno} column {error.colno}"
            if isinstance(error, json.JSONDecodeError)
            else "its encoding"
        )
        message = error.msg if isinstance(error, json.JSONDecodeError) else "is not UTF-8"
        raise ScenarioError([Problem("$", f"not valid JSON at {where}: {message}")]) from None
    except RecursionError:
        raise ScenarioError([Problem("$", "JSON nested too deeply to read")]) from None
    except ValueError as error:
        # e.g. a number with more digits than Python converts (sys.get_int_max_str_digits)
        raise ScenarioError([Problem("$", f"not valid JSON: {error}")]) from None
    return parse_scenario(document)


def load_scenario(source: str | Path) -> Scenario:
    """Read a scenario file; ``"-"`` reads standard input."""
    if str(source) == "-":
        return loads_scenario(sys.stdin.buffer.read())
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError([Problem("$", f"cannot read {path}: {error.strerror}")]) from None
    return loads_scenario(raw)

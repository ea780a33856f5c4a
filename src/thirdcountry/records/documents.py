"""Records as scenario-format objects: checking one record given as such an object with the
scenario parser, and writing stored records back out as such objects.

A record is checked by the same parser that checks scenario files: the entry is put in a
small scenario document (with the stored records it refers to) and parsed, so a person, a
transfer, an arrangement or a court order is valid when given alone (through the API or a
page) exactly when it would be valid in a file. The parser's problem paths are made
relative to the record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from thirdcountry.cases import models as cases
from thirdcountry.records.export import (
    export_arrangements,
    export_court_orders,
    export_persons,
    export_transfers,
)
from thirdcountry.records.load import storage_problems
from thirdcountry.registry import models as registry
from thirdcountry.scenario.model import (
    REF_PATTERN,
    Arrangement,
    CourtOrder,
    Person,
    Scenario,
    Transfer,
)
from thirdcountry.scenario.parse import FORMAT, ScenarioError, parse_scenario
from thirdcountry.scenario.write import scenario_to_document


class RecordRefused(ValueError):
    """A record was refused; ``problems`` lists each as (path in the record, message),
    where ``$`` is the record itself."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the record")


def relative_problems(error: ScenarioError, prefix: str = "", root: str = "$") -> list[Any]:
    """The parser's problems with paths made relative to one entry: ``prefix`` (e.g.
    ``persons[0]``) is taken off; the entry itself becomes ``root``."""
    out = []
    for problem in error.problems:
        path = problem.path
        if prefix and path == prefix:
            path = root
        elif prefix and path.startswith(prefix + "."):
            path = path[len(prefix) + 1 :]
        out.append((path, problem.message))
    return out


def _parse(document: dict[str, Any], section: str) -> Scenario:
    """Parse a small scenario; problems are reported relative to ``section``'s first
    entry (the record)."""
    try:
        scenario = parse_scenario({"format": FORMAT, **document})
    except ScenarioError as error:
        raise RecordRefused(relative_problems(error, f"{section}[0]")) from None
    problems = storage_problems(scenario)
    if problems:
        raise RecordRefused(relative_problems(ScenarioError(problems), f"{section}[0]"))
    return scenario


def _ref(value: Any) -> str | None:
    """``value`` if it is a ref as the format has it (``REF_PATTERN``), else ``None``: only
    such a ref is looked up in storage. Anything else (a number, text with a NUL byte,
    which PostgreSQL cannot even compare) is left for the format's checks to refuse."""
    return value if isinstance(value, str) and re.match(REF_PATTERN, value) else None


def _person_stub(ref: str) -> dict[str, Any]:
    return {"ref": ref, "names": ["-"]}


def _arrangement_stub(ref: str) -> list[dict[str, Any]]:
    stored = (
        registry.Arrangement.objects.filter(ref=ref).values("sending_id", "receiving_id").first()
    )
    if stored is None:
        return []
    return [{"ref": ref, "sending": stored["sending_id"], "receiving": stored["receiving_id"]}]


def parse_person(body: dict[str, Any]) -> Person:
    """A person from a scenario-format object; :class:`RecordRefused` lists every
    problem."""
    return _parse({"persons": [body]}, "persons").persons[0]


def parse_transfer(body: dict[str, Any]) -> Transfer:
    """A transfer from a scenario-format object, checked against the stored person and
    arrangement it names (as a file checks them against its own)."""
    document: dict[str, Any] = {"transfers": [body]}
    person = _ref(body.get("person"))
    if person is not None and cases.Person.objects.filter(ref=person).exists():
        document["persons"] = [_person_stub(person)]
    arrangement = _ref(body.get("arrangement"))
    if arrangement is not None:
        document["arrangements"] = _arrangement_stub(arrangement)
    return _parse(document, "transfers").transfers[0]


def parse_arrangement(body: dict[str, Any]) -> Arrangement:
    """An arrangement from a scenario-format object."""
    return _parse({"arrangements": [body]}, "arrangements").arrangements[0]


def parse_court_order(body: dict[str, Any]) -> CourtOrder:
    """A court order from a scenario-format object, checked against the stored person or
    arrangement its scope names."""
    document: dict[str, Any] = {"court_orders": [body]}
    scope = body.get("scope")
    if isinstance(scope, dict):
        person = _ref(scope.get("person"))
        if person is not None and cases.Person.objects.filter(ref=person).exists():
            document["persons"] = [_person_stub(person)]
        arrangement = _ref(scope.get("arrangement"))
        if arrangement is not None:
            document["arrangements"] = _arrangement_stub(arrangement)
    return _parse(document, "court_orders").court_orders[0]


def parse_entry(body: dict[str, Any], arrangement: registry.Arrangement, key: str) -> Any:
    """One entry of an arrangement's ``status_history`` or ``payments``."""
    document = {
        "arrangements": [
            {
                "ref": arrangement.ref,
                "sending": arrangement.sending_id,
                "receiving": arrangement.receiving_id,
                key: [body],
            }
        ]
    }
    try:
        scenario = _parse(document, "arrangements")
    except RecordRefused as refused:
        raise RecordRefused(
            [
                (path.removeprefix(f"{key}[0]").removeprefix(".") or "$", message)
                for path, message in refused.problems
            ]
        ) from None
    return getattr(scenario.arrangements[0], key)[0]


def parse_assessment(body: dict[str, Any]) -> tuple[str, Any]:
    """A country assessment ``{country, date, onward_refoulement_risk, source}``."""
    if "country" not in body:
        raise RecordRefused([("country", "required key is missing")])
    entry = {k: v for k, v in body.items() if k != "country"}
    document: dict[str, Any] = {
        "countries": [{"code": body.get("country"), "assessments": [entry]}]
    }
    try:
        scenario = _parse(document, "countries")
    except RecordRefused as refused:
        raise RecordRefused(
            [
                (
                    "country"
                    if path == "code"
                    else path.removeprefix("assessments[0]").lstrip(".") or "$",
                    message,
                )
                for path, message in refused.problems
            ]
        ) from None
    country = scenario.countries[0]
    return country.code, country.assessments[0]


# -- stored records as objects ---------------------------------------------------------------


def person_documents(refs: list[str]) -> dict[str, dict[str, Any]]:
    """Stored persons as scenario-format objects, by ref."""
    persons = export_persons(refs)
    written = scenario_to_document(Scenario(persons=tuple(persons)))["persons"]
    return {p["ref"]: p for p in written}


def transfer_documents(refs: list[str]) -> dict[str, dict[str, Any]]:
    """Stored transfers as scenario-format objects, by ref."""
    transfers = export_transfers(refs)
    written = scenario_to_document(Scenario(transfers=tuple(transfers)))["transfers"]
    return {t["ref"]: t for t in written}


def arrangement_documents(refs: list[str]) -> dict[str, dict[str, Any]]:
    """Stored arrangements as scenario-format objects, by ref."""
    arrangements = export_arrangements(refs)
    written = scenario_to_document(Scenario(arrangements=tuple(arrangements)))["arrangements"]
    return {a["ref"]: a for a in written}


def court_order_documents(refs: list[str]) -> dict[str, dict[str, Any]]:
    """Stored court orders as scenario-format objects, by ref."""
    orders = export_court_orders(refs)
    written = scenario_to_document(Scenario(court_orders=tuple(orders)))["court_orders"]
    return {o["ref"]: o for o in written}


def assessment_document(assessment: registry.Assessment) -> dict[str, Any]:
    """A country assessment."""
    return {
        "id": assessment.pk,
        "country": assessment.country_id,
        "date": assessment.date.isoformat(),
        "onward_refoulement_risk": assessment.onward_refoulement_risk,
        "source": assessment.source,
    }


def person_document(person: Person) -> dict[str, Any]:
    """A person as a scenario-format object."""
    return dict(scenario_to_document(Scenario(persons=(person,)))["persons"][0])


def transfer_document(transfer: Transfer) -> dict[str, Any]:
    """A transfer as a scenario-format object."""
    return dict(scenario_to_document(Scenario(transfers=(transfer,)))["transfers"][0])


def arrangement_document(arrangement: Arrangement) -> dict[str, Any]:
    """An arrangement as a scenario-format object."""
    return dict(scenario_to_document(Scenario(arrangements=(arrangement,)))["arrangements"][0])


def court_order_document(order: CourtOrder) -> dict[str, Any]:
    """A court order as a scenario-format object."""
    return dict(scenario_to_document(Scenario(court_orders=(order,)))["court_orders"][0])


_MISSING = object()


def changed_keys(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The keys whose value differs (a key present on one side only differs)."""
    return {
        key
        for key in set(before) | set(after)
        if before.get(key, _MISSING) != after.get(key, _MISSING)
    }

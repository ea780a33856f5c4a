"""The rules of scenario@2 that its schema cannot state (SCENARIO.md, "Validation"): unique
refs, codes and ids; no repeat of a catalog row; every reference names a record (in selectors
too); a regime's value fits its requirement; periods that end after they start; court order
events on or after the order; a transfer that agrees with its arrangement, legal basis and
designation; no decision date on a pending claim; and what @1 checks that @2 keeps.

As in @1, each check reads the document through :func:`get`, so it runs alike on decoded
records (a valid document) and on plain JSON (a document with other problems, so that one
refusal lists them all); a value that is itself malformed is left to the schema's problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from msgspec import UNSET, Struct

from thirdcountry.scenario import checks as v1
from thirdcountry.scenario.checks import ABSENT, entries, unique_refs
from thirdcountry.scenario.problems import FieldError, describe, parse_date
from thirdcountry.scenario.v2.catalog_rows import CatalogRows
from thirdcountry.scenario.v2.model import DAY_REQUIREMENTS, REQUIREMENTS

Document = Any
Check = Callable[[Document, CatalogRows], Iterator[FieldError]]

#: Document keys whose record attribute has another name (Python words).
_ATTRIBUTES: Final = {"from": "from_", "class": "class_"}
#: The keys of a selector that name records, and what they name.
_SELECTOR_REFS: Final = {
    "arrangement": "arrangement",
    "person": "person",
    "legal_basis": "legal basis",
    "class": "class",
}
_SELECTOR_KEYS: Final = ("sending", "destination", "arrangement", "person", "legal_basis", "class")


def get(record: Any, key: str) -> Any:
    """The value of the document key ``key`` in a record or a JSON object; :data:`ABSENT`
    when left out or unknown."""
    # One function, not a call into @1's: the checks call it millions of times on a large
    # world.
    if isinstance(record, Struct):
        value = getattr(record, _ATTRIBUTES.get(key, key), ABSENT)
        return ABSENT if value is UNSET else value
    if isinstance(record, dict):
        return record.get(key, ABSENT)
    return ABSENT


def _is_set(value: Any) -> bool:
    return value is not ABSENT and value is not None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Each text of a key that holds one value or a list of them, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield f"{path}[{index}]", item


def _index(document: Document, section: str, key: str = "ref") -> dict[str, Any]:
    """The first record of each ref (or code) in a section."""
    found: dict[str, Any] = {}
    for _, record in entries(document, section):
        ref = get(record, key)
        if isinstance(ref, str):
            found.setdefault(ref, record)
    return found


class _World:
    """What the reference checks look refs up in: the document's records by ref, and the
    legal bases of the scenario and of the catalog data with the state that sends on each."""

    def __init__(self, document: Document, catalog: CatalogRows) -> None:
        self.catalog = catalog
        self.arrangements = _index(document, "arrangements")
        self.persons = _index(document, "persons")
        self.classes = _index(document, "classes")
        self.designations = _index(document, "designations")
        self.assurances = _index(document, "assurances")
        self.legal_bases: dict[str, Any] = dict(catalog.legal_bases)
        for code, basis in _index(document, "legal_bases", "code").items():
            self.legal_bases.setdefault(code, get(basis, "sending"))
        self._records: dict[str, dict[str, Any]] = {
            "arrangement": self.arrangements,
            "person": self.persons,
            "class": self.classes,
            "designation": self.designations,
            "assurance": self.assurances,
            "legal basis": self.legal_bases,
        }

    def missing(self, what: str, ref: str) -> str | None:
        """Why ``ref`` names no record of kind ``what``; ``None`` when it names one."""
        if ref in self._records[what]:
            return None
        if what == "legal basis":
            return (
                f"{describe(ref)} names no legal basis, in the scenario or in catalog data "
                f"{self.catalog.revision}"
            )
        return f"{describe(ref)} names no {what}"


def check_unique(document: Document, catalog: CatalogRows) -> Iterator[FieldError]:
    """Refs, codes and ids are unique in their section, and none repeats a catalog row."""
    for section, key in (
        ("legal_bases", "code"),
        ("regimes", "id"),
        ("classes", "ref"),
        ("designations", "ref"),
        ("assurances", "ref"),
        ("countries", "code"),
        ("arrangements", "ref"),
        ("court_orders", "ref"),
        ("persons", "ref"),
        ("transfers", "ref"),
    ):
        yield from unique_refs(document, section, key)[0]
    rows = (
        ("legal_bases", "code", "legal basis", catalog.legal_bases),
        ("regimes", "id", "regime", catalog.regime_ids),
    )
    for section, key, what, catalogued in rows:
        for i, record in entries(document, section):
            value = get(record, key)
            if isinstance(value, str) and value in catalogued:
                yield FieldError(
                    f"{section}[{i}].{key}",
                    f"{describe(value)} is a {what} of catalog data {catalog.revision}: a "
                    "scenario extends the catalog's rows and cannot repeat or override one",
                )


def _period(record: Any, path: str) -> Iterator[FieldError]:
    start, end = parse_date(get(record, "from")), parse_date(get(record, "to"))
    if start is not None and end is not None and end <= start:
        yield FieldError(
            f"{path}.to",
            f"{end} is not after from ({start}): a period holds from its first day up to the "
            "day before `to`",
        )


def check_periods(document: Document, catalog: CatalogRows) -> Iterator[FieldError]:
    """Every ``from``/``to`` pair ends after it starts."""
    for section in ("legal_bases", "regimes", "designations"):
        for i, record in entries(document, section):
            yield from _period(record, f"{section}[{i}]")
    for i, arrangement in entries(document, "arrangements"):
        for k, cap in entries(arrangement, "period_caps"):
            yield from _period(cap, f"arrangements[{i}].period_caps[{k}]")


def _value_problem(requirement: Any, value: Any, path: str) -> Iterator[FieldError]:
    if requirement not in REQUIREMENTS or value is ABSENT:
        return
    if requirement in DAY_REQUIREMENTS:
        if isinstance(value, bool):
            yield FieldError(
                f"{path}.value", f"{describe(value)}: {requirement} takes a whole number of days"
            )
    elif value is not True and isinstance(value, bool | int):
        yield FieldError(f"{path}.value", f"{describe(value)}: {requirement} takes true")


def check_requirement_values(document: Document, catalog: CatalogRows) -> Iterator[FieldError]:
    """A regime's or an order condition's value fits its requirement: a number of days for
    ``notice-days`` and ``reopen-days``, ``true`` for the others."""
    for i, regime in entries(document, "regimes"):
        yield from _value_problem(get(regime, "requirement"), get(regime, "value"), f"regimes[{i}]")
    for i, order in entries(document, "court_orders"):
        effect = get(order, "effect")
        if isinstance(effect, dict | Struct):
            for k, condition in entries(effect, "conditions"):
                yield from _value_problem(
                    get(condition, "requirement"),
                    get(condition, "value"),
                    f"court_orders[{i}].effect.conditions[{k}]",
                )


def check_court_orders(document: Document, catalog: CatalogRows) -> Iterator[FieldError]:
    """An order's scope names something, and its events come on or after its issue."""
    for i, order in entries(document, "court_orders"):
        path = f"court_orders[{i}]"
        scope = get(order, "scope")
        if isinstance(scope, dict | Struct) and not any(
            _is_set(get(scope, key)) for key in _SELECTOR_KEYS
        ):
            yield FieldError(
                f"{path}.scope",
                "an order's scope must not be empty: name at least one of "
                + ", ".join(_SELECTOR_KEYS),
            )
        issued = parse_date(get(order, "issued"))
        for k, event in entries(order, "events"):
            day = parse_date(get(event, "date"))
            if issued is not None and day is not None and day < issued:
                yield FieldError(
                    f"{path}.events[{k}].date",
                    f"{day} is before the order was issued ({issued})",
                )


def check_fear_claims(document: Document, catalog: CatalogRows) -> Iterator[FieldError]:
    """A pending claim has no decision date."""
    for i, person in entries(document, "persons"):
        for k, claim in entries(person, "fear_claims"):
            if get(claim, "status") == "pending" and get(claim, "decided_on") is not ABSENT:
                yield FieldError(
                    f"persons[{i}].fear_claims[{k}].decided_on",
                    "a pending claim has not been decided: leave decided_on out, or record "
                    "the claim as recognised or rejected",
                )


def _selector_references(selector: Any, path: str, world: _World) -> Iterator[FieldError]:
    if not isinstance(selector, dict | Struct):
        return
    for key, what in _SELECTOR_REFS.items():
        for where, ref in _strings(get(selector, key), f"{path}.{key}"):
            problem = world.missing(what, ref)
            if problem:
                yield FieldError(where, problem)


def check_references(document: Document, catalog: CatalogRows) -> Iterator[FieldError]:
    """Every ref names a record: in selectors, in a person's classes, in a transfer."""
    world = _World(document, catalog)
    for i, regime in entries(document, "regimes"):
        yield from _selector_references(
            get(regime, "applies_to"), f"regimes[{i}].applies_to", world
        )
    for i, order in entries(document, "court_orders"):
        yield from _selector_references(get(order, "scope"), f"court_orders[{i}].scope", world)
    for i, person in entries(document, "persons"):
        for where, ref in _strings(get(person, "classes"), f"persons[{i}].classes"):
            problem = world.missing("class", ref)
            if problem:
                yield FieldError(where, problem)
    for i, transfer in entries(document, "transfers"):
        yield from _transfer_references(transfer, f"transfers[{i}]", world)


def _transfer_references(transfer: Any, path: str, world: _World) -> Iterator[FieldError]:
    sending, destination = get(transfer, "sending"), get(transfer, "destination")
    person = get(transfer, "person")
    if isinstance(person, str) and world.missing("person", person):
        yield FieldError(f"{path}.person", f"{describe(person)} names no person")

    ref = get(transfer, "arrangement")
    if isinstance(ref, str):
        if ref not in world.arrangements:
            yield FieldError(f"{path}.arrangement", f"{describe(ref)} names no arrangement")
        else:
            arrangement = world.arrangements[ref]
            for own, theirs, mine in (
                ("sending", "sending", sending),
                ("destination", "receiving", destination),
            ):
                its = get(arrangement, theirs)
                if mine != its:
                    yield FieldError(
                        f"{path}.{own}",
                        f"{describe(_shown(mine))} differs from arrangement {ref}'s {theirs} "
                        f"state {describe(_shown(its))}",
                    )

    basis = get(transfer, "legal_basis")
    if isinstance(basis, str):
        problem = world.missing("legal basis", basis)
        its_sending = world.legal_bases.get(basis)
        if problem:
            yield FieldError(f"{path}.legal_basis", problem)
        elif isinstance(sending, str) and isinstance(its_sending, str) and its_sending != sending:
            yield FieldError(
                f"{path}.legal_basis",
                f"legal basis {basis} is {its_sending}'s, not the sending state {sending}'s",
            )

    designation = get(transfer, "designation_relied_on")
    if isinstance(designation, str):
        yield from _designation_problems(
            designation, sending, destination, f"{path}.designation_relied_on", world
        )

    for k, reliance in entries(transfer, "assurances_relied_on"):
        assurance = get(reliance, "ref")
        if isinstance(assurance, str) and world.missing("assurance", assurance):
            yield FieldError(
                f"{path}.assurances_relied_on[{k}].ref", f"{describe(assurance)} names no assurance"
            )


def _designation_problems(
    ref: str, sending: Any, destination: Any, path: str, world: _World
) -> Iterator[FieldError]:
    if ref not in world.designations:
        yield FieldError(path, f"{describe(ref)} names no designation")
        return
    designation = world.designations[ref]
    state = get(designation, "designating_state")
    if isinstance(sending, str) and isinstance(state, str) and state != sending:
        yield FieldError(path, f"designation {ref} is {state}'s, not the sending state {sending}'s")
    country = get(designation, "country")
    if (
        get(designation, "kind") == "safe_third_country"
        and isinstance(destination, str)
        and isinstance(country, str)
        and country != destination
    ):
        yield FieldError(
            path,
            f"designation {ref} designates {country} a safe third country, not the "
            f"destination {destination}",
        )


def _shown(value: Any) -> Any:
    return None if value is ABSENT else value


def _kept_from_v1(check: v1.Check) -> Check:
    def kept(document: Document, catalog: CatalogRows) -> Iterator[FieldError]:
        return check(document)

    kept.__doc__ = check.__doc__
    return kept


#: Every check, in the order their problems are listed.
CHECKS: Final[tuple[Check, ...]] = (
    check_unique,
    check_periods,
    check_requirement_values,
    _kept_from_v1(v1.check_arrangements),
    check_court_orders,
    _kept_from_v1(v1.check_birth_dates),
    check_fear_claims,
    check_references,
)


def world_problems(document: Document, catalog: CatalogRows) -> list[FieldError]:
    """Every problem the checks find in a scenario@2 document (records or plain JSON),
    read against the rows of ``catalog``."""
    return [problem for check in CHECKS for problem in check(document, catalog)]

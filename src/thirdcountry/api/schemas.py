"""The shapes the REST API reads and writes, as they appear in its OpenAPI description.

Every record is the scenario format's own (:mod:`thirdcountry.scenario.model`): the API reads
and returns the same objects a ``thirdcountry/scenario@1`` file holds, validates them with the
same schema, and describes them with that schema's JSON Schema. The request variants (a POST
or PUT body, a PATCH) and the representations returned are derived from it here; only the
shapes that are the API's own (problems, pages, stored screenings) are declared here.

A fact marked (u) keeps three states. In a representation the API returns, and in the body
of a POST or PUT: a key left out means *unknown*; ``null`` (``[]`` for a list) means *known:
there is none*; a value means *known: that value*. A ``null`` for a yes/no fact or a date is
refused, as in a scenario file: leave the key out when nobody knows. In a PATCH a key left out
means *unchanged*; to make a known fact unknown again, PUT the whole record without it.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from typing import Annotated, Any, Final, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from thirdcountry.scenario.codes import CODE_LISTS, CountryCode
from thirdcountry.scenario.layout import is_fact
from thirdcountry.scenario.model import (
    Amount,
    Arrangement,
    Assessment,
    CourtOrder,
    Payment,
    Person,
    Record,
    ScenarioDocument,
    StatusChange,
    Text,
    Transfer,
)
from thirdcountry.scenario.problems import FieldError
from thirdcountry.scenario.v2 import model as v2

Outcome = Literal["pass", "review", "blocked"]
VerdictName = Literal["clear", "review", "blocked"]


class Shape(Struct, forbid_unknown_fields=True):
    """A shape of the API's own (not a record of the scenario format)."""


# -- problems (RFC 9457) -------------------------------------------------------------------


class Problem(Shape):
    """An error, as ``application/problem+json`` (RFC 9457). ``type`` is a URI reference
    naming the kind of problem; ``instance`` the path of the request that failed; ``errors``,
    for invalid input, every problem by its path."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | UnsetType = UNSET


# -- country assessments --------------------------------------------------------------------


class CountryAssessment(Record, frozen=True):
    """A country's assessment of onward refoulement, as an entry of a scenario file's
    ``countries[].assessments`` with the country it is about."""

    country: CountryCode
    date: dt.date
    onward_refoulement_risk: bool
    source: Text

    def assessment(self) -> Assessment:
        """The assessment, without its country."""
        return Assessment(self.date, self.onward_refoulement_risk, self.source)


class StoredAssessment(CountryAssessment, frozen=True):
    """A stored country assessment, with its id."""

    id: int


# -- screenings -----------------------------------------------------------------------------


class Finding(Shape):
    """What one rule found, why, and on what legal basis (the rule's, from the catalog the
    screening was made under)."""

    rule: str
    outcome: Outcome
    #: The finding as data: its reason code (``rule-id.reason``), ``null`` for a finding kept
    #: as the sentence it was stored with before reasons had codes.
    code: str | None
    #: The reason's parameters, typed as the catalog says: dates as ``YYYY-MM-DD``, countries
    #: and languages as ISO codes, persons as refs (pseudonyms for monitors), numbers, lists.
    params: dict[str, Any]
    #: The reason rendered in English from the code and parameters.
    reason: str
    basis: str


class ScreeningOut(Shape):
    """A stored screening of one transfer: its verdict and a finding per rule.
    ``facts_sha256``, the hash of the facts screened, is left out for monitors."""

    id: int
    transfer: str
    verdict: VerdictName
    as_of: dt.date
    catalog: str
    screened_at: Annotated[dt.datetime, Meta(tz=True)]
    run: int | None
    findings: list[Finding]
    facts_sha256: str | UnsetType = UNSET


class RuleChange(Shape):
    """A rule whose finding changed, under the catalog it names; after a change of catalog,
    the findings before (``after`` null) and now (``before`` null) are listed apart, each
    with its own catalog's rule ids."""

    rule: str
    catalog: str
    before: Outcome | None
    after: Outcome | None
    code: str | None
    params: dict[str, Any]
    reason: str


class VerdictChange(Shape):
    """A transfer whose verdict or findings changed."""

    transfer: str
    verdict_before: VerdictName | None
    verdict_after: VerdictName
    rules_changed: list[RuleChange]


class ScreenOut(Shape):
    """A screening made now: the run that made it and the transfer's latest verdict.
    ``changed`` is empty when the findings are the same as the latest stored ones."""

    run: int
    as_of: dt.date
    catalog: str
    changed: list[VerdictChange]
    verdict: ScreeningOut


class Rescreen(Shape):
    """A re-screening a change caused: its run, what triggered it, and each pending transfer
    whose verdict or findings it changed."""

    run: int
    trigger: str
    as_of: dt.date
    catalog: str
    changed: list[VerdictChange]


class CourtOrderChange(Shape):
    """A court order corrected or withdrawn: the order as it now stands (``null`` once
    withdrawn), the reason kept in its history, and the re-screenings it caused (what the
    order covered before and, when its scope changed, what it covers now)."""

    court_order: dict[str, Any] | None
    reason: str
    rescreened: list[Rescreen]


class VerdictResult(Shape):
    """The screening of one proposed transfer."""

    transfer: str
    verdict: VerdictName
    facts_sha256: str
    findings: list[Finding]


class VerdictsDocument(Shape):
    """A ``thirdcountry/verdicts@1`` document: one result per proposed transfer."""

    format: Literal["thirdcountry/verdicts@1"]
    as_of: dt.date
    catalog: str
    results: list[VerdictResult]


# -- the description ------------------------------------------------------------------------

#: The schema types whose JSON Schema the description holds, and the names it gives them.
_NAMED: Final[dict[type, str]] = {
    Person: "PersonIn",
    Transfer: "TransferIn",
    Arrangement: "ArrangementIn",
    CourtOrder: "CourtOrderIn",
    CountryAssessment: "AssessmentIn",
    StoredAssessment: "AssessmentOut",
    StatusChange: "StatusChange",
    Payment: "Payment",
    ScenarioDocument: "ScenarioDocument",
    Problem: "Problem",
    ScreeningOut: "ScreeningOut",
    ScreenOut: "ScreenOut",
    CourtOrderChange: "CourtOrderChange",
    VerdictsDocument: "VerdictsDocument",
}
#: Nested records named otherwise in the description than in the schema.
_RENAMED: Final = {"CourtOrderScope": "Scope"}

_PATCH: Final = (
    "Changes to {what}: a key left out is unchanged; a key given replaces the fact (lists "
    "are replaced whole). null or [] records a known none, as in a scenario file; a null "
    "yes/no fact or date is refused (PUT without the key to make a fact unknown again)."
)
_OUT: Final = (
    "{what} as stored, as a scenario file holds it: a (u) key left out is unknown, null or "
    "[] is known none."
)


def _hook(kind: type) -> dict[str, Any]:
    if kind is Amount:
        return {"type": "string", "pattern": r"^\d+(\.\d+)?$", "description": "a decimal string"}
    raise NotImplementedError(kind)


def _rename(schema: Any, names: dict[str, str]) -> Any:
    """``schema`` with every ``$ref`` to a renamed component pointing at its new name, and
    each code list (thousands of values) described by its pattern."""
    if isinstance(schema, list):
        return [_rename(item, names) for item in schema]
    if not isinstance(schema, dict):
        return schema
    code = schema.get("x-code")
    if code is not None:
        what, pattern = CODE_LISTS[code]
        return {"type": "string", "pattern": pattern, "description": what}
    out = {key: _rename(value, names) for key, value in schema.items()}
    ref = out.get("$ref")
    if isinstance(ref, str):
        prefix, _, name = ref.rpartition("/")
        out["$ref"] = f"{prefix}/{names.get(name, name)}"
    return out


def _patch(schema: dict[str, Any], what: str, keys: tuple[str, ...] | None = None) -> Any:
    """A PATCH body: the record's keys (or only ``keys``), none required."""
    patch = copy.deepcopy(schema)
    patch.pop("required", None)
    if keys is not None:
        patch["properties"] = {k: v for k, v in patch["properties"].items() if k in keys}
    patch["title"] = f"{schema['title'].removesuffix('In')}Patch"
    patch["description"] = _PATCH.format(what=what)
    return patch


def _out(schema: dict[str, Any], record: type, what: str, optional: tuple[str, ...] = ()) -> Any:
    """A representation the API returns: every key but a (u) fact's is always there."""
    out = copy.deepcopy(schema)
    info = msgspec.inspect.type_info(record)
    assert isinstance(info, msgspec.inspect.StructType)
    out["required"] = [
        f.encode_name for f in info.fields if f.encode_name not in optional and not is_fact(f)
    ]
    out["title"] = f"{schema['title'].removesuffix('In')}Out"
    out["description"] = _OUT.format(what=what)
    return out


def _page(item: str) -> dict[str, Any]:
    return {
        "title": f"{item.removesuffix('Out')}Page",
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "next": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "description": "The URL of the next page; null on the last page.",
            },
        },
        "required": ["items", "next"],
        "additionalProperties": False,
    }


_FACTS: Final = (
    "Facts marked (u): a key left out is unknown, null or [] is known none, a value is "
    "known. A null yes/no fact or date is refused."
)


def _records(base: type = Record) -> list[type]:
    """Every record type of scenario@1, the format the API speaks (the subclasses of
    ``base``, at any depth, declared in its model; scenario@2's records share the base)."""
    found: list[type] = []
    subclasses: list[type] = base.__subclasses__()
    for subclass in subclasses:
        found.extend([subclass, *_records(subclass)])
    return [record for record in found if record.__module__ == Record.__module__]


def _mark_facts(schemas: dict[str, Any], names: dict[str, str]) -> None:
    """Say in each record's description, and beside each of its (u) facts, what leaving a
    key out means."""
    for record in _records():
        name = names.get(record.__name__, record.__name__)
        info = msgspec.inspect.type_info(record)
        assert isinstance(info, msgspec.inspect.StructType)
        facts = [f.encode_name for f in info.fields if is_fact(f)]
        if not facts or name not in schemas:
            continue
        schemas[name]["description"] = f"{schemas[name].get('description', '')} {_FACTS}".strip()
        for key in facts:
            schemas[name]["properties"][key].setdefault("description", "(u)")


@cache
def components() -> dict[str, Any]:
    """The description's component schemas, from the one schema of the scenario format."""
    _, found = msgspec.json.schema_components(
        list(_NAMED), ref_template="#/components/schemas/{name}", schema_hook=_hook
    )
    names = {**{cls.__name__: name for cls, name in _NAMED.items()}, **_RENAMED}
    schemas = {names.get(key, key): _rename(value, names) for key, value in found.items()}
    _mark_facts(schemas, names)
    person = schemas["PersonIn"]
    person_out = _out(person, Person, "A person", optional=("names",))
    person_out["properties"]["birth_year"] = {
        "type": "integer",
        "description": "monitors only: the year of birth, when known (names and the birth "
        "date are left out for monitors, and the person's ref is a pseudonym)",
    }
    schemas.update(
        {
            "PersonPatch": _patch(person, "a person"),
            "PersonOut": person_out,
            "TransferPatch": _patch(schemas["TransferIn"], "a transfer"),
            "TransferOut": _out(schemas["TransferIn"], Transfer, "A transfer"),
            "ArrangementPatch": _patch(
                schemas["ArrangementIn"],
                "an arrangement's title, cap, terms or commitments (its status history and "
                "payments grow by POSTing entries to them)",
                ("title", "cap", "terms", "commitments"),
            ),
            # an arrangement without a title is written without the key, as in a file
            "ArrangementOut": _out(
                schemas["ArrangementIn"], Arrangement, "An arrangement", optional=("title",)
            ),
            "CourtOrderPatch": _patch(
                schemas["CourtOrderIn"],
                "a court order: its kind, issuer, dates or scope (its ref never changes)",
                ("kind", "issuer", "issued", "lifted", "scope"),
            ),
            "CourtOrderOut": _out(schemas["CourtOrderIn"], CourtOrder, "A court order"),
        }
    )
    schemas.update(_v2_components())
    schemas["CourtOrderChange"]["properties"]["court_order"] = {
        "anyOf": [{"$ref": "#/components/schemas/CourtOrderOut"}, {"type": "null"}],
        "description": "The order as it now stands; null once withdrawn.",
    }
    for item in (
        "PersonOut",
        "TransferOut",
        "ArrangementOut",
        "CourtOrderOut",
        "AssessmentOut",
        "ScreeningOut",
    ):
        page = _page(item)
        schemas[page["title"]] = page
    return schemas


#: The scenario@2 records the API reads and writes whole, each named ``V2`` and its name.
_V2_RECORDS: Final = (
    v2.Person,
    v2.Transfer,
    v2.Arrangement,
    v2.CourtOrder,
    v2.LegalBasis,
    v2.Regime,
    v2.PersonClass,
    v2.Designation,
    v2.Assurance,
)


def _v2_components() -> dict[str, Any]:
    """The scenario@2 records' schemas (``V2Person``, ...) and a PATCH body for each of the
    four records with @2 facts (``V2PersonPatch``, ...)."""
    _, found = msgspec.json.schema_components(
        list(_V2_RECORDS), ref_template="#/components/schemas/{name}", schema_hook=_hook
    )
    names = {name: f"V2{name}" for name in found}
    schemas = {names[key]: _rename(value, names) for key, value in found.items()}
    for record in (v2.Person, v2.Transfer, v2.Arrangement, v2.CourtOrder):
        name = f"V2{record.__name__}"
        patch = copy.deepcopy(schemas[name])
        patch.pop("required", None)
        patch["title"] = f"{name}Patch"
        patch["description"] = (
            "Facts of the record as scenario@2 writes them; a key left out is unchanged."
        )
        schemas[f"{name}Patch"] = patch
    return schemas

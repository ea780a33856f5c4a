"""Read a scenario document as scenario@2 records, refusing it whole when any part breaks
SCENARIO.md, with every problem listed by its JSON path.

Both formats are read: a ``thirdcountry/scenario@2`` document directly, a
``thirdcountry/scenario@1`` one by the @1 reader and then as SCENARIO.md, "Reading an @1
document as @2", says (:mod:`.from_v1`). As in @1, a valid document is decoded straight into
the records and then checked across records; only a refused one is read a second time, as
plain JSON, to name every problem.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Final

import msgspec

from thirdcountry.scenario import model as v1
from thirdcountry.scenario.parse import decode_hook, loads_scenario, parse_scenario, plain_json
from thirdcountry.scenario.problems import FieldError, ScenarioError, describe, schema_problems
from thirdcountry.scenario.v2.catalog_rows import CATALOG_2026_2_R1, CatalogRows
from thirdcountry.scenario.v2.checks import world_problems
from thirdcountry.scenario.v2.from_v1 import scenario_from_v1
from thirdcountry.scenario.v2.model import (
    FORMAT,
    CourtOrder,
    Parameters,
    Scenario,
    ScenarioDocument,
    Terms,
)

__all__ = ["load_scenario_v2", "loads_scenario_v2", "parse_scenario_v2"]

#: What the whole document is called when it is not a JSON object.
_DOCUMENT: Final = "a scenario object"
#: The formats read, each as it is named in a problem.
_FORMATS: Final = (FORMAT, v1.FORMAT)

#: Keys of @1 that @2 does not take, and what to write instead.
HINTS: Final[dict[tuple[type, str], str]] = {
    (CourtOrder, "lifted"): (
        "lifted is not a scenario@2 key: record the lifting as an event in events, "
        '{"date": ..., "kind": "lifted", "by": ...}'
    ),
    (Terms, "requires_served_sentence"): (
        'requires_served_sentence is a scenario@1 key: write criminal_record "required" '
        "and/or requires_completed_sentences true, whichever the arrangement means"
    ),
    (Parameters, "notice_days"): "notice_days is the scenario@1 name: write notice_floor_days",
}


class _Head(msgspec.Struct):
    """The keys of a document that say how to read the rest."""

    format: Any = None
    parameters: Any = None


def _head(text: str | bytes) -> _Head | None:
    """The document's format and parameters, read without building the rest; ``None`` when
    the text is not a JSON object."""
    try:
        return msgspec.json.decode(text, type=_Head)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None


def _format_problem(document: object) -> FieldError | None:
    """Why the document is neither format; ``None`` when it names one."""
    if not isinstance(document, dict):
        return FieldError("$", f"{describe(document)} is not {_DOCUMENT}")
    if "format" not in document:
        return FieldError("format", f"required key is missing (expected {' or '.join(_FORMATS)})")
    if document["format"] not in _FORMATS:
        expected = " or ".join(f'"{name}"' for name in _FORMATS)
        return FieldError("format", f"{describe(document['format'])} is not {expected}")
    return None


def _from_v1(document: dict[str, Any]) -> Scenario:
    """An @1 document read by the @1 reader, then as @2."""
    parameters = document.get("parameters")
    given = isinstance(parameters, dict) and "notice_days" in parameters
    return scenario_from_v1(parse_scenario(document), notice_days_given=given)


def _refused(
    document: object, catalog: CatalogRows, error: msgspec.ValidationError
) -> ScenarioError:
    """Every problem of an @2 document the decoder refused, read again as plain JSON."""
    problems = schema_problems(document, ScenarioDocument, _DOCUMENT, HINTS)
    problems += world_problems(document, catalog)
    if not problems:
        # Should the walk and the decoder ever differ, the decoder's own words still refuse
        # the document.
        message, _, where = str(error).partition(" - at `$")
        problems = [FieldError(where.rstrip("`").lstrip(".") or "$", message)]
    return ScenarioError(problems)


def _checked(document: ScenarioDocument, catalog: CatalogRows) -> Scenario:
    problems = world_problems(document, catalog)
    if problems:
        raise ScenarioError(problems)
    return document.scenario()


def parse_scenario_v2(document: object, *, catalog: CatalogRows = CATALOG_2026_2_R1) -> Scenario:
    """Turn a decoded JSON document (plain dicts and lists), scenario@2 or scenario@1, into
    scenario@2 records; ``catalog`` holds the rows a scenario may not repeat and may rely on.

    Raises :class:`ScenarioError` listing every problem when the document breaks SCENARIO.md.
    """
    problem = _format_problem(document)
    if problem:
        raise ScenarioError([problem])
    assert isinstance(document, dict)
    if document["format"] == v1.FORMAT:
        return _from_v1(document)
    try:
        decoded = msgspec.convert(document, ScenarioDocument, dec_hook=decode_hook)
    except msgspec.ValidationError as error:
        raise _refused(document, catalog, error) from None
    return _checked(decoded, catalog)


def loads_scenario_v2(text: str | bytes, *, catalog: CatalogRows = CATALOG_2026_2_R1) -> Scenario:
    """Parse a scenario (scenario@2 or scenario@1) from JSON text, as :func:`parse_scenario_v2`."""
    try:
        decoded = msgspec.json.decode(text, type=ScenarioDocument, dec_hook=decode_hook)
    except msgspec.ValidationError as error:
        head = _head(text)
        if head is not None and head.format == v1.FORMAT:
            # The @1 reader decodes the text itself, fast, and names its own problems.
            given = isinstance(head.parameters, dict) and "notice_days" in head.parameters
            return scenario_from_v1(loads_scenario(text), notice_days_given=given)
        document: Any = plain_json(text)
        problem = _format_problem(document)
        if problem:
            raise ScenarioError([problem]) from None
        raise _refused(document, catalog, error) from None
    except (msgspec.DecodeError, UnicodeDecodeError):
        # Not JSON (the standard reader names the line and column), or JSON the fast decoder
        # does not take (a number too large for it): the standard reader decides.
        return parse_scenario_v2(plain_json(text), catalog=catalog)
    return _checked(decoded, catalog)


def load_scenario_v2(source: str | Path, *, catalog: CatalogRows = CATALOG_2026_2_R1) -> Scenario:
    """Read a scenario file (scenario@2 or scenario@1); ``"-"`` reads standard input."""
    if str(source) == "-":
        return loads_scenario_v2(sys.stdin.buffer.read(), catalog=catalog)
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError([FieldError("$", f"cannot read {path}: {error.strerror}")]) from None
    return loads_scenario_v2(raw, catalog=catalog)

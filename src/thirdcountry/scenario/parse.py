"""Read a ``thirdcountry/scenario@1`` document into domain records, refusing it whole when any
part breaks SCENARIO.md, with every problem listed by its JSON path.

A valid document is decoded straight into the schema's records (:mod:`.model`) and then
checked across records (:mod:`.checks`). Only a refused document is read a second time, as
plain JSON, to name every problem (:mod:`.problems`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Final

import msgspec

from thirdcountry.scenario.checks import world_problems
from thirdcountry.scenario.model import FORMAT, Amount, Scenario, ScenarioDocument
from thirdcountry.scenario.problems import FieldError, ScenarioError, parse_amount, schema_problems

__all__ = [
    "FORMAT",
    "FieldError",
    "ScenarioError",
    "load_scenario",
    "loads_scenario",
    "parse_scenario",
]

#: What the whole document is called when it is not a JSON object.
_DOCUMENT: Final = "a scenario object"


def decode_hook(kind: type, value: Any) -> Any:
    """Decode the format's own value types (an exact amount from its decimal string)."""
    if kind is Amount:
        return parse_amount(value)
    raise NotImplementedError(kind)


def _refused(document: object, schema: type, error: msgspec.ValidationError) -> ScenarioError:
    """Every problem of a document the decoder refused, read again as plain JSON."""
    problems = schema_problems(document, schema, _DOCUMENT) + world_problems(document)
    if not problems:
        # The walk and the decoder agree on what is valid; should they ever differ, the
        # decoder's own words still refuse the document.
        message, _, where = str(error).partition(" - at `$")
        path = where.rstrip("`").lstrip(".") or "$"
        problems = [FieldError(path, message)]
    return ScenarioError(problems)


def _checked(document: ScenarioDocument) -> Scenario:
    problems = world_problems(document)
    if problems:
        raise ScenarioError(problems)
    return document.scenario()


def parse_scenario(document: object) -> Scenario:
    """Turn a decoded JSON document (plain dicts and lists) into a :class:`Scenario`.

    Raises :class:`ScenarioError` listing every problem when the document breaks SCENARIO.md.
    """
    try:
        decoded = msgspec.convert(document, ScenarioDocument, dec_hook=decode_hook)
    except msgspec.ValidationError as error:
        raise _refused(document, ScenarioDocument, error) from None
    return _checked(decoded)


def plain_json(text: str | bytes) -> Any:
    """The document as plain JSON, or :class:`ScenarioError` saying why it is not JSON."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        if isinstance(error, json.JSONDecodeError):
            where, message = f"line {error.lineno} column {error.colno}", error.msg
        else:
            where, message = "its encoding", "is not UTF-8"
        raise ScenarioError([FieldError("$", f"not valid JSON at {where}: {message}")]) from None
    except RecursionError:
        raise ScenarioError([FieldError("$", "JSON nested too deeply to read")]) from None
    except ValueError as error:
        # e.g. a number with more digits than Python converts (sys.get_int_max_str_digits)
        raise ScenarioError([FieldError("$", f"not valid JSON: {error}")]) from None


def loads_scenario(text: str | bytes) -> Scenario:
    """Parse a scenario from JSON text."""
    try:
        decoded = msgspec.json.decode(text, type=ScenarioDocument, dec_hook=decode_hook)
    except msgspec.ValidationError as error:
        raise _refused(plain_json(text), ScenarioDocument, error) from None
    except (msgspec.DecodeError, UnicodeDecodeError):
        # Not JSON (the standard reader names the line and column), or JSON the fast decoder
        # does not take (a number too large for it): the standard reader decides.
        return parse_scenario(plain_json(text))
    return _checked(decoded)


def load_scenario(source: str | Path) -> Scenario:
    """Read a scenario file; ``"-"`` reads standard input."""
    if str(source) == "-":
        return loads_scenario(sys.stdin.buffer.read())
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ScenarioError([FieldError("$", f"cannot read {path}: {error.strerror}")]) from None
    return loads_scenario(raw)

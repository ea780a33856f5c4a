"""Write domain records back out as a ``thirdcountry/scenario@1`` document.

The inverse of :mod:`thirdcountry.scenario.parse`, from the same schema: an unknown fact is
left out, a known "none" is written as ``null`` or ``[]``, so the three states survive a
round trip.
"""

from __future__ import annotations

from typing import Any

import msgspec

from thirdcountry.scenario.model import FORMAT, Amount, Record, Scenario


def encode_hook(value: Any) -> Any:
    """Encode the format's own value types (an amount as its decimal string)."""
    if isinstance(value, Amount):
        return str(value)
    raise NotImplementedError(type(value))


def record_to_document(record: Record) -> dict[str, Any]:
    """One record as a JSON-ready object, as a scenario file holds it."""
    # Through JSON, so that lists are lists (the records hold tuples), as a reader expects.
    document = msgspec.json.decode(msgspec.json.encode(record, enc_hook=encode_hook))
    assert isinstance(document, dict)
    return document


def _without_no_title(document: dict[str, Any]) -> dict[str, Any]:
    # An optional text with none is left out, as a person writing the file would.
    return {k: v for k, v in document.items() if not (k in ("title", "description") and v is None)}


def scenario_to_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a JSON-ready ``thirdcountry/scenario@1`` document."""
    document = _without_no_title(record_to_document(scenario))
    document["arrangements"] = [_without_no_title(a) for a in document["arrangements"]]
    return {"format": FORMAT, **document}


def scenario_to_json(scenario: Scenario) -> bytes:
    """The scenario as compact JSON (UTF-8), encoded in one pass."""
    return msgspec.json.encode(
        {"format": FORMAT, **msgspec.structs.asdict(scenario)}, enc_hook=encode_hook
    )

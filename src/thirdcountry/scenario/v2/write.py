"""Write scenario@2 records out as a ``thirdcountry/scenario@2`` document.

The inverse of :mod:`.read`, from the same records: an unknown fact is left out, a known
"none" is written as ``null`` or ``[]``, so the three states survive a round trip. A world
read from an @1 document is written as @2, with what the mapping made unknown left out.
"""

from __future__ import annotations

from typing import Any

import msgspec

from thirdcountry.scenario.v2.model import FORMAT, Scenario
from thirdcountry.scenario.write import encode_hook, record_to_document

__all__ = ["scenario_to_document", "scenario_to_json"]


def scenario_to_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as a JSON-ready ``thirdcountry/scenario@2`` document."""
    return {"format": FORMAT, **record_to_document(scenario)}


def scenario_to_json(scenario: Scenario) -> bytes:
    """The scenario as compact JSON (UTF-8), encoded in one pass."""
    body = msgspec.json.encode(scenario, enc_hook=encode_hook)
    head = msgspec.json.encode({"format": FORMAT})
    # The format key first, then the scenario's own keys, if it has any.
    return head if body == b"{}" else head[:-1] + b"," + body[1:]

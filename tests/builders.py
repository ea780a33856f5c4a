"""Build small scenario documents for tests: one transfer whose every fact is known and
satisfies every rule of catalog 2026.1, changed by a few overrides.

The baseline is screened on 2025-09-01 (D). Transfer ``T-1`` moves person ``P-1`` (an
Iraqi adult who understands Arabic and English) from the United States to Rwanda on
2025-09-20 (P) under arrangement ``A-1``, in force since 2025-01-01; notice was served in
Arabic on 2025-08-25, 26 days before P.

Overrides are a mapping of dotted paths to values:

- ``person.…``, ``transfer.…`` and ``arrangement.…`` address ``P-1``, ``T-1`` and ``A-1``;
  any other path starts at the top of the document (``as_of``, ``parameters.minor_age``,
  ``countries``, ``court_orders``);
- the value :data:`ABSENT` deletes the key (the fact becomes unknown);
- a path written ``+section`` (``+transfers``, ``+persons``, ``+arrangements``) appends
  the given entries to that top-level list.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from thirdcountry import Screening, Verdict, loads_scenario, screen_scenario

Document = dict[str, Any]
Overrides = Mapping[str, object]


class _Absent:
    """The marker for "leave this key out" (an unknown fact)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()

AS_OF: Final = "2025-09-01"
PLANNED: Final = "2025-09-20"

BASELINE: Final[Document] = {
    "format": "thirdcountry/scenario@1",
    "description": "one transfer that satisfies every safeguard",
    "as_of": AS_OF,
    "countries": [
        {
            "code": "RW",
            "assessments": [
                {
                    "date": "2024-01-01",
                    "onward_refoulement_risk": False,
                    "source": "monitoring report finding no onward removals",
                }
            ],
        }
    ],
    "arrangements": [
        {
            "ref": "A-1",
            "sending": "US",
            "receiving": "RW",
            "title": "test arrangement",
            "cap": None,
            "commitments": ["asylum_procedure", "accommodation"],
            "status_history": [
                {"date": "2025-01-01", "status": "in_force", "source": "entry into force"}
            ],
        }
    ],
    "court_orders": [],
    "persons": [
        {
            "ref": "P-1",
            "names": ["Test Person"],
            "birth_date": "1990-01-01",
            "nationalities": ["IQ"],
            "languages": ["ar", "en"],
            "accompanied": False,
            "identity_verified": True,
            "asylum_claim": "refused",
            "fear_claims": [],
            "removal_decision": {
                "date": "2025-01-01",
                "final": True,
                "appeal_deadline": "2025-02-01",
                "appeal_pending": False,
            },
            "convictions": [],
            "family_in_sending_country": False,
            "fit_to_travel": True,
        }
    ],
    "transfers": [
        {
            "ref": "T-1",
            "person": "P-1",
            "sending": "US",
            "destination": "RW",
            "arrangement": "A-1",
            "planned_date": PLANNED,
            "accepted_by_receiving": True,
            "notice": {"served": "2025-08-25", "language": "ar", "names_destination": True},
        }
    ],
}


def build(overrides: Overrides | None = None) -> Document:
    """The baseline document with ``overrides`` applied (see the module docstring)."""
    document = copy.deepcopy(BASELINE)
    roots: dict[str, Document] = {
        "person": document["persons"][0],
        "transfer": document["transfers"][0],
        "arrangement": document["arrangements"][0],
    }
    for path, value in (overrides or {}).items():
        if path.startswith("+"):
            assert isinstance(value, list), path
            document.setdefault(path[1:], []).extend(copy.deepcopy(value))
            continue
        head, *rest = path.split(".")
        target, keys = (roots[head], rest) if head in roots else (document, [head, *rest])
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        if value is ABSENT:
            del target[keys[-1]]  # a KeyError here is a typo in the test's path
        else:
            target[keys[-1]] = copy.deepcopy(value)
    return document


def screen(document: Document, as_of: str | None = None) -> Screening:
    """Screen a document exactly as a file would be: through its JSON text."""
    scenario = loads_scenario(json.dumps(document))
    return screen_scenario(scenario, date.fromisoformat(as_of) if as_of else None)


def screen_one(overrides: Overrides | None = None) -> Verdict:
    """The verdict of ``T-1`` in the baseline with ``overrides``."""
    return screen(build(overrides)).verdict("T-1")


# -- small makers for entries that tests add -----------------------------------------------


def transfers(
    count: int, *, status: str = "executed", arrangement: str | None = "A-1", start: int = 900
) -> list[Document]:
    """``count`` more transfers of ``P-1`` from US to RW (``T-900``, ``T-901``, …)."""
    return [
        {
            "ref": f"T-{start + i}",
            "person": "P-1",
            "sending": "US",
            "destination": "RW",
            "arrangement": arrangement,
            "planned_date": "2025-03-01",
            "status": status,
        }
        for i in range(count)
    ]


def order(
    ref: str,
    scope: Mapping[str, str],
    *,
    issued: str = "2025-06-01",
    lifted: str | _Absent | None = ABSENT,
    kind: str = "stay",
) -> Document:
    """A court order; ``lifted`` left out unless given (``None`` writes ``null``)."""
    entry: Document = {
        "ref": ref,
        "kind": kind,
        "issuer": "US District Court",
        "issued": issued,
        "scope": dict(scope),
    }
    if lifted is not ABSENT:
        entry["lifted"] = lifted
    return entry


def assessments(*entries: tuple[str, bool], code: str = "RW") -> list[Document]:
    """``countries`` holding one country with the given ``(date, risk)`` assessments, in order."""
    return [
        {
            "code": code,
            "assessments": [
                {"date": day, "onward_refoulement_risk": risk, "source": f"assessment {i}"}
                for i, (day, risk) in enumerate(entries)
            ],
        }
    ]


def history(*entries: tuple[str, str]) -> list[Document]:
    """A status history of ``(date, status)`` entries, in the order given."""
    return [{"date": day, "status": status, "source": "test"} for day, status in entries]


def fears(*claims: tuple[str, str]) -> list[Document]:
    """Fear claims of ``(country, status)``."""
    return [{"country": country, "status": status} for country, status in claims]


def extra_persons(refs: Sequence[str]) -> list[Document]:
    """Persons with nothing but a ref and a name."""
    return [{"ref": ref, "names": [f"Person {ref}"]} for ref in refs]


class ReferenceCodes:
    """The reference codes a test stands on, and whether they had to be refilled."""

    #: The records a refill writes, none of them logged in the audit trail.
    RECORDS = ("registry.country ", "registry.language ", "registry.currency ")

    def __init__(self, refilled: bool) -> None:
        self.refilled = refilled

    def problems(self, verification: Any) -> list[str]:
        """The audit trail's problems, less the "no entry in the log" of refilled codes (a
        flush took their migration's entries with them; nothing of the test's doing)."""
        return [
            str(p)
            for p in verification.problems
            if not (self.refilled and p.entry is None and str(p.record).startswith(self.RECORDS))
        ]

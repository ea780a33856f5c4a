"""What a verification found: the problems (what does not match, and where) and the notes
(what is not yet in the trail without being wrong)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from thirdcountry.oversight.audit.chain import Head

#: How many problems a verification keeps (all are counted).
PROBLEMS_KEPT = 200


def label_id(label: str, object_id: str) -> str:
    """A record as problems name it: ``cases.person 12``."""
    return f"{label} {object_id}"


@dataclass(frozen=True)
class Discrepancy:
    """Something that does not match: the entry (by seq) and/or record it concerns."""

    message: str
    entry: int | None = None
    record: str | None = None

    def __str__(self) -> str:
        where = []
        if self.entry is not None:
            where.append(f"entry {self.entry}")
        if self.record is not None:
            where.append(f"record {self.record}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Verification:
    """What :func:`.verify` found: ``ok`` when the chain is whole and every record matches."""

    head: Head
    entries: int = 0
    records: int = 0
    problems: list[Discrepancy] = field(default_factory=list)
    problem_count: int = 0
    #: What is not yet in the trail without being wrong, e.g. a run still running.
    notes: list[str] = field(default_factory=list)
    head_checked: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first_problem(self) -> Discrepancy | None:
        return self.problems[0] if self.problems else None

    def add(self, problem: Discrepancy) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(problem)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "head": self.head.to_dict(),
            "head_checked": self.head_checked,
            "entries": self.entries,
            "records": self.records,
            "problem_count": self.problem_count,
            "problems": [asdict(p) | {"text": str(p)} for p in self.problems],
            "notes": self.notes,
        }


@dataclass
class Logged:
    """The latest state the log holds for a record: the entry that wrote it, its digest
    after that write, the columns the digest covers, and the entry's action and detail."""

    seq: int
    after: str | None
    fields: tuple[str, ...]
    action: str
    detail: dict[str, Any]


#: The latest logged state of every record, by (model label, object id).
LatestStates = dict[tuple[str, str], Logged]

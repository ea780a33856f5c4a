"""Executions recorded while the transfer's latest screening was not ``clear``, as
monitors see them (beside refoulement incidents, first): the person only by pseudonym."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from thirdcountry.cases.models import ExecutionIncident
from thirdcountry.oversight.pseudonyms import pseudonym

Period = tuple[date, date]


@dataclass(frozen=True)
class ExecutionFlag:
    """An execution recorded against the safeguards: while the transfer was ``blocked``,
    under ``review`` or never screened; the findings that did not pass, and the reason
    given."""

    transfer: str
    person: str
    arrangement: str | None
    sending: str
    destination: str
    planned_date: date
    kind: str
    #: The rules whose findings did not pass, each "rule (outcome)".
    findings: tuple[str, ...]
    reason: str
    concurrent_with: tuple[str, ...]
    recorded_on: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "transfer": self.transfer,
            "person": self.person,
            "arrangement": self.arrangement,
            "sending": self.sending,
            "destination": self.destination,
            "planned_date": self.planned_date.isoformat(),
            "executed_while": self.kind,
            "findings": list(self.findings),
            "reason": self.reason,
            "concurrent_with": list(self.concurrent_with),
            "recorded_on": self.recorded_on.isoformat(),
        }

    def describe(self) -> str:
        """The incident in one sentence."""
        under = f" under {self.arrangement}" if self.arrangement else " with no arrangement"
        what = "never screened" if self.kind == "unscreened" else f"{self.kind}"
        rules = f" ({', '.join(self.findings)})" if self.findings else ""
        why = f"; reason given: {self.reason}" if self.reason else "; no reason given"
        return (
            f"{self.transfer} ({self.person}, {self.sending} to {self.destination}{under}) "
            f"was recorded as executed on {self.recorded_on} while {what}{rules}{why}"
        )


def execution_incidents(period: Period | None = None) -> list[ExecutionFlag]:
    """Every execution recorded while not clear, of transfers planned in ``period`` (all
    when None), oldest first."""
    flagged = ExecutionIncident.objects.select_related("transfer__person", "transfer__arrangement")
    if period is not None:
        flagged = flagged.filter(transfer__planned_date__range=period)
    return [
        ExecutionFlag(
            transfer=i.transfer.ref,
            person=pseudonym(i.transfer.person.ref),
            arrangement=i.transfer.arrangement.ref if i.transfer.arrangement else None,
            sending=i.transfer.sending_id,
            destination=i.transfer.destination_id,
            planned_date=i.transfer.planned_date,
            kind=i.kind,
            findings=tuple(f"{f['rule']} ({f['outcome']})" for f in i.findings),
            reason=i.reason,
            concurrent_with=tuple(i.concurrent_with),
            recorded_on=i.recorded_at.date(),
        )
        for i in flagged.order_by("recorded_at", "id")
    ]

"""Malformed scenarios are refused whole (SCENARIO.md, "Errors"): exit status 2, every
problem on standard error with its JSON path, nothing on standard output, no traceback.

Each case breaks the all-pass baseline of :mod:`builders` in one way (or gives raw bytes).
The Python API must report exactly the listed paths; the command line must print them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pytest
from typer.testing import CliRunner, Result

from builders import ABSENT, BASELINE, Document, Overrides, build, extra_persons, order
from thirdcountry import ScenarioError, loads_scenario
from thirdcountry.cli.main import app


@dataclass(frozen=True)
class Bad:
    """A malformed scenario: the baseline with ``overrides``, or ``text`` as the whole file.
    ``paths`` are exactly the JSON paths of the problems; ``message`` is part of one."""

    id: str
    paths: tuple[str, ...]
    message: str = ""
    overrides: Overrides = field(default_factory=dict)
    text: bytes | None = None

    def content(self) -> bytes:
        if self.text is not None:
            return self.text
        return json.dumps(build(self.overrides)).encode()


def payment(amount: object) -> list[Document]:
    return [
        {"date": "2025-01-01", "amount": amount, "currency": "USD", "kind": "paid",
         "payer": "US", "payee": "RW"}
    ]  # fmt: skip


NO_ARRANGEMENT = {"transfer.arrangement": None}
SECOND_PERSON = {"+persons": extra_persons(["P-2"])}

# fmt: off
BAD: list[Bad] = [
    # -- wrong types --------------------------------------------------------------------------
    Bad("birth date as a number", ("persons[0].birth_date",), "not a date",
        {"person.birth_date": 19900101}),
    Bad("planned date as a list", ("transfers[0].planned_date",), "a list is not a date",
        {"transfer.planned_date": ["2025-09-20"]}),
    Bad("cap as a string", ("arrangements[0].cap",), "not a whole number",
        {"arrangement.cap": "5"}),
    Bad("cap as a float", ("arrangements[0].cap",), "not a whole number",
        {"arrangement.cap": 2.0}),
    Bad("cap as a boolean", ("arrangements[0].cap",), "not a whole number",
        {"arrangement.cap": True}),
    Bad("names as a string", ("persons[0].names",), "not a list",
        {"person.names": "Test Person"}),
    Bad("transfers as an object", ("transfers",), "not a list",
        {"transfers": {"T-1": {}}}),
    Bad("a boolean as a string", ("transfers[0].accepted_by_receiving",),
        "not true or false", {"transfer.accepted_by_receiving": "yes"}),
    Bad("a transfer as a string", ("transfers[1]",), "not an object",
        {"+transfers": ["T-2"]}),
    Bad("whole document a list", ("$",), "not a scenario object", text=b"[]"),
    # -- codes --------------------------------------------------------------------------------
    Bad("unknown country XX", ("transfers[0].destination",),
        '"XX" is not an ISO 3166-1 alpha-2 country code',
        {**NO_ARRANGEMENT, "transfer.destination": "XX"}),
    Bad("lower-case country", ("persons[0].nationalities[0]",), "ISO 3166-1",
        {"person.nationalities": ["iq"]}),
    Bad("alpha-3 country", ("arrangements[0].receiving", "transfers[0].destination"),
        "ISO 3166-1", {"arrangement.receiving": "RWA", "transfer.destination": "RWA"}),
    Bad("unknown country code in countries", ("countries[0].code",), "ISO 3166-1",
        {"countries": [{"code": "XX"}]}),
    Bad("unknown language", ("persons[0].languages[1]",), "ISO 639",
        {"person.languages": ["ar", "xx"]}),
    Bad("language by name", ("transfers[0].notice.language",), "ISO 639",
        {"transfer.notice.language": "Arabic"}),
    Bad("unknown currency", ("arrangements[0].payments[0].currency",), "ISO 4217",
        {"arrangement.payments": [{**payment("1.00")[0], "currency": "ABC"}]}),
    # -- references ---------------------------------------------------------------------------
    Bad("transfer names no person", ("transfers[0].person",), '"P-999" names no person',
        {"transfer.person": "P-999"}),
    Bad("transfer names no arrangement", ("transfers[0].arrangement",),
        '"A-999" names no arrangement', {"transfer.arrangement": "A-999"}),
    Bad("order scope names no person", ("court_orders[0].scope.person",), "names no person",
        {"court_orders": [order("O-1", {"person": "P-999"})]}),
    Bad("order scope names no arrangement", ("court_orders[0].scope.arrangement",),
        "names no arrangement", {"court_orders": [order("O-1", {"arrangement": "A-9"})]}),
    Bad("duplicate person ref", ("persons[1].ref",), "already used by persons[0]",
        {"+persons": extra_persons(["P-1"])}),
    Bad("duplicate transfer ref", ("transfers[1].ref",), "already used by transfers[0]",
        {"+transfers": [dict(BASELINE["transfers"][0])]}),
    Bad("duplicate arrangement ref", ("arrangements[1].ref",), "refs must be unique",
        {"+arrangements": [{"ref": "A-1", "sending": "GB", "receiving": "RW"}]}),
    Bad("duplicate court order ref", ("court_orders[1].ref",), "refs must be unique",
        {"court_orders": [order("O-1", {"person": "P-1"}), order("O-1", {"sending": "US"})]}),
    Bad("duplicate country", ("countries[1].code",), "already used",
        {"countries": [{"code": "RW"}, {"code": "RW"}]}),
    Bad("destination differs from the arrangement's receiving state",
        ("transfers[0].destination",), "differs from arrangement A-1's receiving state",
        {"transfer.destination": "LY"}),
    Bad("sending differs from the arrangement's sending state", ("transfers[0].sending",),
        "differs from arrangement A-1's sending state", {"transfer.sending": "GB"}),
    Bad("arrangement sends to itself", ("arrangements[0].receiving",), "also the sending",
        {"arrangement.receiving": "US", "transfer.destination": "US"}),
    # -- dates --------------------------------------------------------------------------------
    Bad("30 February", ("transfers[0].planned_date",), "not a real calendar date",
        {"transfer.planned_date": "2025-02-30"}),
    Bad("as_of 30 February", ("as_of",), "not a real calendar date", {"as_of": "2025-02-30"}),
    Bad("month 13", ("transfers[0].notice.served",), "not a real calendar date",
        {"transfer.notice.served": "2025-13-01"}),
    Bad("29 February of a common year", ("persons[0].birth_date",), "not a real calendar",
        {"person.birth_date": "2007-02-29"}),
    Bad("day-month-year", ("persons[0].removal_decision.date",), "YYYY-MM-DD",
        {"person.removal_decision.date": "01/01/2025"}),
    Bad("date with a time", ("court_orders[0].issued",), "YYYY-MM-DD",
        {"court_orders": [order("O-1", {"person": "P-1"}, issued="2025-06-01T00:00:00")]}),
    Bad("lifted before issued", ("court_orders[0].lifted",), "before the order was issued",
        {"court_orders": [order("O-1", {"person": "P-1"}, issued="2025-06-01",
                                lifted="2025-05-31")]}),
    # -- not JSON -----------------------------------------------------------------------------
    Bad("not JSON", ("$",), "not valid JSON", text=b"{this is not json"),
    Bad("empty file", ("$",), "not valid JSON", text=b""),
    Bad("trailing comma", ("$",), "not valid JSON", text=b'{"format": "x",}'),
    Bad("not UTF-8", ("$",), "not UTF-8", text='{"format": "é"}'.encode("latin-1")),
    Bad("nested too deeply", ("$",), "nested too deeply", text=b"[" * 100_000 + b"]" * 100_000),
    Bad("a number with too many digits", ("$",), "not valid JSON",
        text=b'{"format": "thirdcountry/scenario@1", "parameters": {"notice_days": '
        + b"9" * 5000 + b"}}"),
    # -- unknown keys -------------------------------------------------------------------------
    Bad("unknown top-level key", ("extra",), "unknown key", {"extra": 1}),
    Bad("unknown person key", ("persons[0].nickname",), "unknown key",
        {"person.nickname": "T"}),
    Bad("unknown notice key", ("transfers[0].notice.colour",), "unknown key",
        {"transfer.notice.colour": "red"}),
    Bad("unknown terms key", ("arrangements[0].terms.max_age",), "unknown key",
        {"arrangement.terms": {"max_age": 40}}),
    Bad("unknown scope key", ("court_orders[0].scope.court", "court_orders[0].scope"),
        "unknown key",
        {"court_orders": [order("O-1", {"court": "X"})]}),
    Bad("unknown parameter", ("parameters.max_age",), "unknown key",
        {"parameters.max_age": 40}),
    # -- scopes -------------------------------------------------------------------------------
    Bad("two scopes on one order", ("court_orders[0].scope",), "exactly one scope",
        {"court_orders": [order("O-1", {"person": "P-1", "arrangement": "A-1"})]}),
    Bad("destination without sending", ("court_orders[0].scope",), "exactly one scope",
        {"court_orders": [order("O-1", {"destination": "RW"})]}),
    Bad("empty scope", ("court_orders[0].scope",), "found: none",
        {"court_orders": [order("O-1", {})]}),
    # -- unknown is left out, never null ------------------------------------------------------
    Bad("null for a boolean (u) fact", ("persons[0].fit_to_travel",), "leave the key out",
        {"person.fit_to_travel": None}),
    Bad("null for accepted_by_receiving", ("transfers[0].accepted_by_receiving",),
        "leave the key out", {"transfer.accepted_by_receiving": None}),
    Bad("null for a birth date", ("persons[0].birth_date",), "leave the key out",
        {"person.birth_date": None}),
    Bad("null for a list (u) fact", ("persons[0].nationalities",), "not a list",
        {"person.nationalities": None}),
    Bad("null for a sentence end", ("persons[0].convictions[0].sentence_end",),
        "leave the key out", {"person.convictions": [{"sentence_end": None}]}),
    # -- amounts, numbers and enums -----------------------------------------------------------
    Bad("float amount", ("arrangements[0].payments[0].amount",), "decimal string",
        {"arrangement.payments": payment(1250.5)}),
    Bad("amount with a thousands separator", ("arrangements[0].payments[0].amount",),
        "decimal string", {"arrangement.payments": payment("1,250.00")}),
    Bad("negative cap", ("arrangements[0].cap",), "below the minimum of 0",
        {"arrangement.cap": -1}),
    Bad("minor_age 0", ("parameters.minor_age",), "below the minimum of 1",
        {"parameters.minor_age": 0}),
    Bad("huge minor_age", ("parameters.minor_age",), "above the maximum",
        {"parameters.minor_age": 10**7}),
    Bad("notice_days beyond 64 bits", ("parameters.notice_days",), "above the maximum",
        {"parameters.notice_days": 10**20}),
    Bad("terms.notice_days beyond 64 bits", ("arrangements[0].terms.notice_days",),
        "above the maximum", {"arrangement.terms": {"notice_days": 2**63}}),
    Bad("cap beyond 64 bits", ("arrangements[0].cap",), "above the maximum",
        {"arrangement.cap": 10**20}),
    Bad("unknown transfer status", ("transfers[0].status",), "not one of",
        {"transfer.status": "flying"}),
    Bad("unknown asylum claim", ("persons[0].asylum_claim",), "not one of",
        {"person.asylum_claim": "maybe"}),
    Bad("unknown arrangement status", ("arrangements[0].status_history[0].status",),
        "not one of", {"arrangement.status_history": [
            {"date": "2025-01-01", "status": "active", "source": "x"}]}),
    Bad("unknown commitment", ("arrangements[0].commitments[1]",), "not one of",
        {"arrangement.commitments": ["accommodation", "housing"]}),
    Bad("commitment listed twice", ("arrangements[0].commitments",), "listed 2 times",
        {"arrangement.commitments": ["accommodation", "accommodation"]}),
    Bad("unknown fear claim status", ("persons[0].fear_claims[0].status",), "not one of",
        {"person.fear_claims": [{"country": "SY", "status": "feared"}]}),
    Bad("unknown order kind", ("court_orders[0].kind",), "not one of",
        {"court_orders": [order("O-1", {"person": "P-1"}, kind="ruling")]}),
    Bad("unknown monitoring kind", ("transfers[0].monitoring[0].kind",), "not one of",
        {"transfer.monitoring": [{"date": "2025-10-01", "kind": "call", "country": "RW"}]}),
    # -- required keys and format -------------------------------------------------------------
    Bad("no names", ("persons[0].names",), "at least one name", {"person.names": []}),
    Bad("empty name", ("persons[0].names[0]",), "empty string", {"person.names": [" "]}),
    Bad("missing planned date", ("transfers[0].planned_date",), "required key is missing",
        {"transfer.planned_date": ABSENT}),
    Bad("removal decision without final", ("persons[0].removal_decision.final",),
        "required key is missing", {"person.removal_decision.final": ABSENT}),
    Bad("notice without language", ("transfers[0].notice.language",), "required key",
        {"transfer.notice.language": ABSENT}),
    Bad("wrong format", ("format",), "is not \"thirdcountry/scenario@1\"",
        {"format": "thirdcountry/scenario@2"}),
    Bad("no format", ("format",), "required key is missing", {"format": ABSENT}),
]
# fmt: on


def problems_of(content: bytes) -> tuple[str, ...]:
    """The paths the Python API reports for a refused file (fails if it is accepted)."""
    with pytest.raises(ScenarioError) as refused:
        loads_scenario(content)
    problems = refused.value.problems
    assert problems, "a refusal lists at least one problem"
    for problem in problems:
        assert problem.path and problem.message
    return tuple(p.path for p in problems)


def squeeze(text: str) -> str:
    """Text without whitespace: rich wraps long lines to the terminal's width, even inside a
    long file name, so compare what is written, not where the lines break."""
    return "".join(text.split())


runner = CliRunner()


def wide_env() -> dict[str, str]:
    """The environment of a command whose rich output is wide enough not to wrap."""
    return {**os.environ, "COLUMNS": "250"}


def check(*args: str) -> Result:
    """``thirdcountry check`` with ``args``, in this process."""
    return runner.invoke(app, ["check", *args])


@pytest.mark.parametrize("bad", BAD, ids=[b.id for b in BAD])
def test_refused_with_every_path(bad: Bad, tmp_path: Path) -> None:
    content = bad.content()
    assert sorted(problems_of(content)) == sorted(bad.paths)

    path = tmp_path / "world.json"
    path.write_bytes(content)
    result = check(str(path), "--format", "json")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    errors = squeeze(result.stderr)
    assert "Traceback" not in errors
    assert squeeze(f"{path} was refused") in errors
    for json_path in bad.paths:
        assert f"{json_path}:" in errors
    assert squeeze(bad.message) in errors


def test_bad_cases_are_distinct() -> None:
    assert len({b.id for b in BAD}) == len(BAD)
    assert len({b.content() for b in BAD}) == len(BAD)


def test_the_baseline_itself_is_accepted() -> None:
    loads_scenario(json.dumps(build()))


#: One file with many problems, and the paths they must be reported at.
MANY: Final = {
    "transfers[0].destination": "XX",
    "transfers[0].person": "P-999",
    "persons[0].birth_date": "2025-02-30",
    "persons[0].nickname": "unknown key",
    "court_orders[0].lifted": "before",
    "arrangements[0].payments[0].amount": "decimal string",
    "extra": "unknown key",
}


def many_problems() -> bytes:
    document = build(
        {
            **NO_ARRANGEMENT,
            "transfer.destination": "XX",
            "transfer.person": "P-999",
            "person.birth_date": "2025-02-30",
            "person.nickname": "T",
            "court_orders": [order("O-1", {"sending": "US"}, lifted="2020-01-01")],
            "arrangement.payments": payment(12.5),
            "extra": True,
            **SECOND_PERSON,
        }
    )
    return json.dumps(document).encode()


def test_a_file_with_several_problems_lists_all_of_them(tmp_path: Path) -> None:
    assert sorted(problems_of(many_problems())) == sorted(MANY)
    path = tmp_path / "many.json"
    path.write_bytes(many_problems())
    run = subprocess.run(
        [sys.executable, "-m", "thirdcountry", "check", str(path)],
        capture_output=True,
        text=True,
        env=wide_env(),
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    errors = squeeze(run.stderr)
    assert squeeze(f"{len(MANY)} problems") in errors
    for json_path, message in MANY.items():
        assert f"{json_path}:" in errors
        assert squeeze(message) in errors


# -- the command line's own arguments ---------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2025-02-30", "2025-9-1", "yesterday", "2025-09-01T00:00"])
def test_a_bad_as_of_exits_2(as_of: str, seed_world_path: Path) -> None:
    result = check(str(seed_world_path), "--as-of", as_of)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--as-of" in result.stderr and as_of in result.stderr


def test_explaining_an_unknown_transfer_exits_2(seed_world_path: Path) -> None:
    result = check(str(seed_world_path), "--explain", "NOPE")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "NOPE" in result.stderr


def test_explaining_an_executed_transfer_exits_2(seed_world_path: Path) -> None:
    """T-100 is executed, so it is not screened and cannot be explained."""
    result = check(str(seed_world_path), "--explain", "T-100")
    assert result.exit_code == 2


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-world.json"
    result = check(str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "cannotread" in squeeze(result.stderr)
    assert "Traceback" not in result.stderr


def test_a_directory_exits_2(tmp_path: Path) -> None:
    result = check(str(tmp_path))
    assert result.exit_code == 2
    assert "cannotread" in squeeze(result.stderr)


def test_bad_standard_input_exits_2() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "thirdcountry", "check", "-"],
        input=b'{"format": "thirdcountry/scenario@1", "persons": [{"ref": "P-1"}]}',
        capture_output=True,
    )
    assert run.returncode == 2
    assert run.stdout == b""
    errors = squeeze(run.stderr.decode())
    assert "standardinputwasrefused" in errors
    assert "persons[0].names:requiredkeyismissing" in errors
    assert "Traceback" not in errors

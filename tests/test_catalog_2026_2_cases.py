"""Catalog 2026.2, condition by condition, from the test cases in ``tests/catalog_2026_2``.

Each ``NN-rule-id.toml`` file there holds the cases of one rule: a situation in plain words,
the reason code the rule must give, optionally the parameters it must name, and the facts
that differ from the clean world of ``baseline.json``. The folder's README says how a case
changes the baseline; in short, tables merge key by key, lists replace, ``"<unknown>"``
removes a fact and ``"<none>"`` records that there is none (JSON ``null``).

Every case is read as any scenario is (so it is validated), screened, and must give the
expected reason from its rule and a pass from every other rule, unless the case lists the
other reasons it also gives (``also``). Every reason code of the catalog has a case.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest

from thirdcountry.rules.catalogs import any_catalog
from thirdcountry.rules.v2.catalog import CatalogV2, Result
from thirdcountry.scenario.v2 import parse_scenario_v2
from thirdcountry.screening_v2 import param_json, screen_scenario_v2

CASES_DIR: Final = Path(__file__).parent / "catalog_2026_2"
BASELINE: Final = CASES_DIR / "baseline.json"
#: A fact written so is removed from the baseline: it becomes unknown.
UNKNOWN_MARK: Final = "<unknown>"
#: A fact written so is known to be none (JSON ``null``, which TOML cannot write).
NONE_MARK: Final = "<none>"
#: The transfer every case screens (the baseline's only proposed transfer).
TRANSFER: Final = "T-1"
#: Case keys that change the baseline's one person, transfer and arrangement.
RECORDS: Final = {"person": "persons", "transfer": "transfers", "arrangement": "arrangements"}
#: Case keys that add records beside the baseline's own.
OTHERS: Final = {
    "other_persons": "persons",
    "other_transfers": "transfers",
    "other_arrangements": "arrangements",
}
#: Case keys that set a part of the world the baseline leaves empty or default.
WORLD: Final = frozenset(
    {
        "as_of",
        "parameters",
        "legal_bases",
        "regimes",
        "classes",
        "designations",
        "assurances",
        "countries",
        "court_orders",
    }
)
#: Case keys that say what is expected rather than what the facts are.
EXPECTATIONS: Final = frozenset({"name", "expect", "params", "also"})
FILE_NAME: Final = re.compile(r"^(\d\d)-([a-z-]+)\.toml$")

CATALOG: Final = any_catalog("2026.2")
assert isinstance(CATALOG, CatalogV2)


def plain(value: Any) -> Any:
    """A TOML value as JSON holds it: dates as text, ``"<none>"`` as null, and keys marked
    ``"<unknown>"`` left out."""
    if value == NONE_MARK:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v != UNKNOWN_MARK}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied: tables merge key by key, anything else (lists
    included) replaces, and ``"<unknown>"`` removes the key."""
    merged = dict(base)
    for key, value in changes.items():
        if value == UNKNOWN_MARK:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = plain(value)
    return merged


@dataclass(frozen=True)
class Case:
    """One situation of one rule: what it is, what the rule must say, and the facts."""

    file: str
    rule: str
    name: str
    expect: str
    params: dict[str, Any]
    also: tuple[str, ...]
    facts: dict[str, Any] = field(repr=False)

    @property
    def id(self) -> str:
        """The test's id: the file and the situation."""
        return f"{self.file}: {self.name}"

    def document(self, baseline: dict[str, Any]) -> dict[str, Any]:
        """The baseline world with this case's facts."""
        document = copy.deepcopy(baseline)
        for key, value in self.facts.items():
            if key in RECORDS:
                records = document[RECORDS[key]]
                records[0] = merge(records[0], value)
            elif key in OTHERS:
                document.setdefault(OTHERS[key], []).extend(plain(value))
            else:
                document = merge(document, {key: value})
        return document


def read_cases(path: Path) -> list[Case]:
    """The cases of one rule file, refusing keys that are neither facts nor expectations."""
    match = FILE_NAME.match(path.name)
    if match is None:
        raise ValueError(f"{path.name}: a case file is named NN-rule-id.toml")
    rule = match[2]
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    cases = []
    for entry in data.get("case", []):
        unknown = set(entry) - EXPECTATIONS - set(RECORDS) - set(OTHERS) - WORLD
        if unknown:
            raise ValueError(f"{path.name}: {entry.get('name')!r} has unknown keys {unknown}")
        cases.append(
            Case(
                file=path.stem,
                rule=rule,
                name=entry["name"],
                expect=entry["expect"],
                params=plain(entry.get("params", {})),
                also=tuple(entry.get("also", ())),
                facts={k: v for k, v in entry.items() if k not in EXPECTATIONS},
            )
        )
    return cases


CASE_FILES: Final = sorted(CASES_DIR.glob("*.toml"))
CASES: Final = [case for path in CASE_FILES for case in read_cases(path)]


@pytest.fixture(scope="module")
def baseline() -> dict[str, Any]:
    """The clean world every case starts from."""
    document: dict[str, Any] = json.loads(BASELINE.read_text(encoding="utf-8"))
    return document


def screen(document: dict[str, Any]) -> Result:
    """The screening of the baseline's transfer in ``document``, read as any scenario is."""
    return screen_scenario_v2(parse_scenario_v2(document), CATALOG).result(TRANSFER)


def test_the_baseline_is_clear_under_every_rule(baseline: dict[str, Any]) -> None:
    result = screen(baseline)
    assert [f.outcome for f in result.findings] == ["pass"] * len(CATALOG.rules)
    assert result.verdict == "clear"


def test_each_rule_has_one_case_file_named_after_it() -> None:
    named = [FILE_NAME.match(path.name) for path in CASE_FILES]
    assert [(int(m[1]), m[2]) for m in named if m] == [(r.number, r.id) for r in CATALOG.rules]


def test_each_file_opens_with_the_rule_it_exercises() -> None:
    for path, rule in zip(CASE_FILES, CATALOG.rules, strict=True):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(f"# Rule {rule.number} — `{rule.id}`"), path.name


def test_every_reason_of_the_catalog_has_a_case() -> None:
    expected = {case.expect for case in CASES}
    missing = [r.code for r in CATALOG.reasons if r.code not in expected]
    assert not missing, f"reasons without a case: {missing}"


def test_cases_name_reasons_of_their_own_file_and_are_named_once() -> None:
    codes = {r.code for r in CATALOG.reasons}
    for case in CASES:
        assert case.expect in codes, case.id
        assert case.expect.partition(".")[0] == case.rule, case.id
        assert all(code in codes for code in case.also), case.id
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: Case, baseline: dict[str, Any]) -> None:
    result = screen(case.document(baseline))
    expected = {code.partition(".")[0]: code for code in (case.expect, *case.also)}
    wrong = []
    for finding in result.findings:
        code = finding.reason.code
        if finding.rule.id in expected:
            if code != expected[finding.rule.id]:
                wrong.append(f"{finding.rule.id}: {code}, expected {expected[finding.rule.id]}")
        elif finding.outcome != "pass":
            wrong.append(f"{finding.rule.id}: {code} ({finding.outcome}), expected a pass")
    assert not wrong, "\n".join(wrong)
    finding = next(f for f in result.findings if f.rule.id == case.rule)
    named = {key: param_json(value) for key, value in finding.params.items()}
    for key, value in case.params.items():
        assert key in named, f"{case.expect} has no parameter {key!r}"
        assert named[key] == value, f"{key}: {named[key]!r}, expected {value!r}"


def test_a_change_merges_tables_replaces_lists_and_marks_unknown_and_none() -> None:
    base = {"notice": {"served": "2025-08-15", "language": "prs"}, "languages": ["prs", "en"]}
    changes = {
        "notice": {"language": UNKNOWN_MARK, "served": dt.date(2025, 8, 20)},
        "languages": ["fa"],
        "counsel": NONE_MARK,
        "classes": UNKNOWN_MARK,
    }
    assert merge(base, changes) == {
        "notice": {"served": "2025-08-20"},
        "languages": ["fa"],
        "counsel": None,
    }


def test_new_entries_leave_out_what_is_marked_unknown() -> None:
    entry = {"kind": "cat", "ended_on": NONE_MARK, "end_kind": UNKNOWN_MARK}
    assert plain([entry]) == [{"kind": "cat", "ended_on": None}]


def test_a_case_changes_only_its_own_records(baseline: dict[str, Any]) -> None:
    case = Case(
        file="00-example",
        rule="example",
        name="an example",
        expect="example.code",
        params={},
        also=(),
        facts={
            "person": {"sex": UNKNOWN_MARK},
            "other_persons": [{"ref": "P-2", "names": ["Example Two"]}],
            "countries": [],
        },
    )
    document = case.document(baseline)
    assert "sex" not in document["persons"][0]
    assert [p["ref"] for p in document["persons"]] == ["P-1", "P-2"]
    assert document["countries"] == []
    assert baseline["persons"][0]["sex"] == "male"

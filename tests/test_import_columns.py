"""Reading an import column by column gives exactly what reading it row by row gives: the
same facts, the same problems (row, column, value, problem) in the same order, and so the
same accept/reject decisions once the format's schema has checked the rows; and a file
imported again is recognised row by row as unchanged without rebuilding stored records."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from test_import import GOOD, HEADER, MAPPING, write_csv
from thirdcountry.cases import models as cases
from thirdcountry.cli.main import app
from thirdcountry.imports.columns import read_columns
from thirdcountry.imports.mapping import parse_mapping
from thirdcountry.imports.rows import ReadRows, assemble, read_rows
from thirdcountry.imports.sheets import Sheet, read_sheet
from thirdcountry.records.unchanged import unchanged_rows

ROSTER = parse_mapping(tomllib.loads(MAPPING), "roster")

#: Cells each column may hold: good ones, bad ones, empty ones, and the other types a
#: workbook gives (numbers, booleans, dates), so both readers meet every branch.
_ANY = [None, "", "  ", 1, 1.0, True, 0, False, 12.5, dt.date(1990, 3, 2)]
CELLS: dict[str, list[Any]] = {
    "Person ID": ["X-1", "X-2", " X-3 ", "X-1", "\x00", "x" * 300, *_ANY],
    "Name": ["Amina Yusuf|Amina Youssouf", "Karim", " | ", "Lena|", "stateless", *_ANY],
    "Born": ["02/03/1990", "1985-07-14", "31/02/1990", "1990-02-30", "soon", *_ANY],
    "Citizenship": ["Somalia", "SYR;IQ", "UK", "stateless", "Atlantis", "SO;SO", *_ANY],
    "Fit": ["Y", "No", "1", "perhaps", "oui", *_ANY],
    "Case": ["XT-1", "XT-2", "XT-1", " ", *_ANY],
    "To": ["Rwanda", "RW", "El Salvador", "Narnia", *_ANY],
    "Scheme": ["US-RW-2025", "US-SV-2025", "NO-SUCH", *_ANY],
    "Planned": ["2025-10-01", "01/10/2025", "2025-13-01", *_ANY],
}

STORED: dict[str, Any] = {
    "persons": {},
    "transfers": {},
    "arrangements": {
        "US-RW-2025": {"ref": "US-RW-2025", "sending": "US", "receiving": "RW"},
        "US-SV-2025": {"ref": "US-SV-2025", "sending": "US", "receiving": "SV"},
    },
    "known_persons": set(),
}

rows = st.lists(
    st.tuples(*(st.sampled_from(CELLS[name]) for name in HEADER)), min_size=0, max_size=12
)


def _facts(read: ReadRows) -> list[Any]:
    return [(r.number, r.cells, r.person, r.transfer) for r in read.rows]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows, skip_invalid=st.booleans(), drop=st.sampled_from([None, "Fit", "Case"]))
def test_reading_column_by_column_decides_as_reading_row_by_row(
    rows: list[tuple[Any, ...]], skip_invalid: bool, drop: str | None
) -> None:
    header = tuple(h for h in HEADER if h != drop)
    keep = [i for i, h in enumerate(HEADER) if h != drop]
    sheet = Sheet(header, [tuple(row[i] for i in keep) for row in rows])
    by_row, by_column = read_rows(sheet, ROSTER), read_columns(sheet, ROSTER)
    assert _facts(by_column) == _facts(by_row)
    assert by_column.problems == by_row.problems
    assert by_column.unmatched == by_row.unmatched
    # The schema then checks what either reader gave: the same decisions, the same report.
    expected = assemble(by_row, ROSTER, STORED, skip_invalid=skip_invalid)
    found = assemble(by_column, ROSTER, STORED, skip_invalid=skip_invalid)
    assert found.problems == expected.problems
    assert (found.valid_rows, found.rejected_rows) == (expected.valid_rows, expected.rejected_rows)
    assert found.scenario == expected.scenario


def test_a_file_read_column_by_column_as_a_csv_gives_the_row_wise_report(tmp_path: Path) -> None:
    bad = [
        ["X-4", "Omar Ali", "31/02/1990", "Atlantis", "perhaps", "XT-4", "RW", "US-RW-2025", ""],
        ["X-5", "Sara Ali", "1991-01-01", "IQ", "Y", "XT-5", "RW", "NO-SUCH", "2025-10-05"],
    ]
    sheet = read_sheet(write_csv(tmp_path / "roster.csv", GOOD + bad))
    by_column = read_columns(sheet, ROSTER)
    assert by_column.problems == read_rows(sheet, ROSTER).problems
    assert [(p.row, p.column, p.value) for p in by_column.problems] == [
        (5, "Born", "31/02/1990"),
        (5, "Citizenship", "Atlantis"),
        (5, "Fit", "perhaps"),
    ]
    assert by_column.unmatched == {"Citizenship": {"Atlantis"}}


def test_a_mapping_of_nested_facts_is_read_row_by_row() -> None:
    nested = parse_mapping(
        {
            "columns": {
                "Ref": {"fact": "person.ref"},
                "Decided": {"fact": "person.removal_decision.date"},
            }
        }
    )
    sheet = Sheet(("Ref", "Decided"), [("P-1", "2024-01-02"), ("P-2", "no date")])
    by_column = read_columns(sheet, nested)
    assert _facts(by_column) == _facts(read_rows(sheet, nested))
    assert by_column.rows[0].person == {"ref": "P-1", "removal_decision": {"date": "2024-01-02"}}
    assert [p.row for p in by_column.problems] == [3]


runner = CliRunner()


@pytest.fixture
def imported(seed_world_path: Path, db: None, tmp_path: Path) -> tuple[Path, Path]:
    assert runner.invoke(app, ["load", str(seed_world_path)]).exit_code == 0
    mapping = tmp_path / "roster.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    source = write_csv(tmp_path / "roster.csv", GOOD)
    result = runner.invoke(app, ["import", str(source), "--mapping", str(mapping)])
    assert result.exit_code == 0, result.output
    return source, mapping


def test_the_rows_a_stored_file_gives_unchanged_are_found_from_the_stored_columns(
    imported: tuple[Path, Path], tmp_path: Path
) -> None:
    source, _mapping = imported
    assert unchanged_rows(read_columns(read_sheet(source), ROSTER), ROSTER) == {2, 3, 4}
    changed = [row[:] for row in GOOD]
    changed[0][3] = "Somalia;Iraq"  # another nationality
    changed[1][1] = "Karim Haddad|K. Haddad"  # another name
    changed[2][4] = ""  # left empty: kept as stored
    edited = read_sheet(write_csv(tmp_path / "edited.csv", changed))
    assert unchanged_rows(read_columns(edited, ROSTER), ROSTER) == {4}
    # Names in another order are another list; nationalities in another order are not.
    reordered = [row[:] for row in GOOD]
    reordered[0][1] = "Amina Youssouf|Amina Yusuf"
    twice = [*GOOD, GOOD[2]]  # a record given on two rows is left to the full comparison
    assert unchanged_rows(
        read_columns(read_sheet(write_csv(tmp_path / "r.csv", reordered)), ROSTER), ROSTER
    ) == {3, 4}
    assert unchanged_rows(
        read_columns(read_sheet(write_csv(tmp_path / "t.csv", twice)), ROSTER), ROSTER
    ) == {2, 3}


def test_a_changed_row_among_unchanged_ones_is_written_with_history(
    imported: tuple[Path, Path],
) -> None:
    source, mapping = imported
    changed = [row[:] for row in GOOD]
    changed[0][3] = "Iraq;Somalia"
    result = runner.invoke(
        app, ["import", str(write_csv(source, changed)), "--mapping", str(mapping)]
    )
    assert result.exit_code == 0, result.output
    assert "persons: 0 created, 1 updated, 2 unchanged" in result.output
    assert "transfers: 0 created, 0 updated, 3 unchanged" in result.output
    amina = cases.Person.objects.get(ref="X-1")
    assert sorted(amina.nationalities.values_list("country_id", flat=True)) == ["IQ", "SO"]
    latest = cases.Person.history.filter(ref="X-1").latest("history_date")
    assert latest.history_change_reason == "import roster.csv"
    # A row the schema refuses among unchanged ones: the report is that of the whole file.
    changed[1][7] = "NO-SUCH"
    refused = runner.invoke(
        app, ["import", str(write_csv(source, changed)), "--mapping", str(mapping)]
    )
    assert refused.exit_code == 2
    assert "3 rows, 0 valid, 3 rejected" in refused.output

"""``thirdcountry import``: a spreadsheet of persons and transfers, validated row by row with
the scenario format's schema, written by ref (twice changes nothing), with a report of every
problem, a rejects file, one audit entry and one re-screening run."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner, Result

from thirdcountry.cases import models as cases
from thirdcountry.cli.main import app
from thirdcountry.imports.cells import CellError, country_code, translate
from thirdcountry.imports.mapping import MappingError, fact_kind, parse_mapping
from thirdcountry.imports.sheets import read_sheet
from thirdcountry.oversight.models import AuditEntry

MAPPING = """
name = "roster"
date_formats = ["%d/%m/%Y"]

[columns."Person ID"]
fact = "person.ref"

[columns."Name"]
fact = "person.names"
separator = "|"

[columns."Born"]
fact = "person.birth_date"

[columns."Citizenship"]
fact = "person.nationalities"
values = { "UK" = "GB" }
none = ["stateless"]

[columns."Fit"]
fact = "person.fit_to_travel"

[columns."Case"]
fact = "transfer.ref"

[columns."To"]
fact = "transfer.destination"

[columns."Scheme"]
fact = "transfer.arrangement"

[columns."Planned"]
fact = "transfer.planned_date"

[constants]
"transfer.sending" = "US"
"""

HEADER = ["Person ID", "Name", "Born", "Citizenship", "Fit", "Case", "To", "Scheme", "Planned"]
GOOD = [
    [
        "X-1",
        "Amina Yusuf|Amina Youssouf",
        "02/03/1990",
        "Somalia",
        "Y",
        "XT-1",
        "Rwanda",
        "US-RW-2025",
        "2025-10-01",
    ],
    ["X-2", "Karim Haddad", "1985-07-14", "SYR", "No", "XT-2", "RW", "US-RW-2025", "2025-10-02"],
    [
        "X-3",
        "Lena Petrova",
        "",
        "stateless",
        "1",
        "XT-3",
        "El Salvador",
        "US-SV-2025",
        "2025-10-03",
    ],
]
BAD = [
    [
        "X-4",
        "Omar Ali",
        "31/02/1990",
        "Atlantis",
        "perhaps",
        "XT-4",
        "RW",
        "US-RW-2025",
        "2025-10-04",
    ],
    ["X-5", "Sara Ali", "1991-01-01", "IQ", "Y", "XT-5", "RW", "NO-SUCH", "2025-10-05"],
]

runner = CliRunner()


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """A minimal workbook (inline strings), as any spreadsheet program reads it."""

    def cell(value: str) -> str:
        return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{i + 1}">' + "".join(cell(v) for v in row) + "</row>"
        for i, row in enumerate([HEADER, *rows])
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>{sheet_rows}'
            "</sheetData></worksheet>",
        )
    return path


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "roster.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


@pytest.fixture
def seeded(seed_world_path: Path, db: None) -> None:
    assert runner.invoke(app, ["load", str(seed_world_path)]).exit_code == 0


def run_import(*args: str) -> Result:
    return runner.invoke(app, ["import", *args])


# -- translating cells (no database) --------------------------------------------------------------


def test_countries_in_any_common_form_become_iso_codes() -> None:
    assert [country_code(v) for v in ("France", "FRA", "fr", "250", "Russia")] == [
        "FR",
        "FR",
        "FR",
        "FR",
        "RU",
    ]
    assert country_code("Atlantis") is None


def test_yes_and_no_in_their_common_spellings() -> None:
    rule = parse_mapping(
        {"columns": {"Ref": {"fact": "person.ref"}, "Fit": {"fact": "person.fit_to_travel"}}}
    ).rules[1]
    assert [translate(v, rule) for v in ("Y", "Yes", "1", "true", "N", "no", "0")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    with pytest.raises(CellError, match="yes or no"):
        translate("maybe", rule)


def test_a_mapping_names_only_facts_the_format_has() -> None:
    assert fact_kind("person.removal_decision.appeal_deadline") is not None
    with pytest.raises(MappingError) as refused:
        parse_mapping(
            {"columns": {"A": {"fact": "person.shoe_size"}, "B": {"fact": "person.birth_date"}}}
        )
    assert any("person.shoe_size" in p for p in refused.value.problems)
    assert any("person.ref or transfer.ref" in p for p in refused.value.problems)


# -- importing -----------------------------------------------------------------------------------


def test_a_file_with_errors_is_refused_whole_with_a_report(
    seeded: None, mapping: Path, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "roster.csv", GOOD + BAD)
    persons_before = cases.Person.objects.count()
    result = run_import(str(source), "--mapping", str(mapping))
    assert result.exit_code == 2, result.output
    assert cases.Person.objects.count() == persons_before
    with (tmp_path / "roster.report.csv").open(encoding="utf-8") as report:
        problems = list(csv.DictReader(report))
    found = {(p["row"], p["column"], p["value"]) for p in problems}
    assert ("5", "Born", "31/02/1990") in found
    assert ("5", "Citizenship", "Atlantis") in found
    assert ("5", "Fit", "perhaps") in found
    assert ("6", "Scheme", "NO-SUCH") in found
    assert "Atlantis" in result.output


def test_dry_run_reports_and_writes_nothing(seeded: None, mapping: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "roster.csv", GOOD)
    result = run_import(str(source), "--mapping", str(mapping), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would import" in result.output
    assert not cases.Person.objects.filter(ref="X-1").exists()


def test_import_writes_then_importing_again_changes_nothing(
    seeded: None, mapping: Path, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "roster.csv", GOOD)
    entries = AuditEntry.objects.filter(action="import").count()
    first = run_import(str(source), "--mapping", str(mapping))
    assert first.exit_code == 0, first.output
    amina = cases.Person.objects.get(ref="X-1")
    assert [n.name for n in amina.names.order_by("seq")] == ["Amina Yusuf", "Amina Youssouf"]
    assert str(amina.birth_date) == "1990-03-02"
    assert list(amina.nationalities.values_list("country_id", flat=True)) == ["SO"]
    lena = cases.Person.objects.get(ref="X-3")
    assert lena.nationalities_recorded and not lena.nationalities.exists()
    assert lena.birth_date is None
    transfer = cases.Transfer.objects.get(ref="XT-3")
    assert (transfer.sending_id, transfer.destination_id) == ("US", "SV")
    assert cases.ScreeningRecord.objects.filter(transfer__ref__in=["XT-1", "XT-2"]).count() == 2
    assert AuditEntry.objects.filter(action="import").count() == entries + 1
    history = cases.Person.history.filter(ref="X-1").count()
    runs = cases.ScreeningRun.objects.count()

    again = run_import(str(source), "--mapping", str(mapping))
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    assert cases.Person.history.filter(ref="X-1").count() == history
    assert cases.ScreeningRun.objects.count() == runs

    changed = [row[:] for row in GOOD]
    changed[1][4] = "Yes"
    run_import(str(write_csv(source, changed)), "--mapping", str(mapping))
    karim = cases.Person.objects.get(ref="X-2")
    assert karim.fit_to_travel is True
    latest = cases.Person.history.filter(ref="X-2").latest("history_date")
    assert latest.history_change_reason == "import roster.csv"


def test_import_keeps_the_stored_facts_the_file_does_not_give(
    seeded: None, mapping: Path, tmp_path: Path
) -> None:
    row = ["P-101", "Haidar A.", "1988-02-11", "IQ", "N", "T-101", "RW", "US-RW-2025", "2025-09-20"]
    result = run_import(str(write_csv(tmp_path / "one.csv", [row])), "--mapping", str(mapping))
    assert result.exit_code == 0, result.output
    person = cases.Person.objects.get(ref="P-101")
    assert person.fit_to_travel is False
    assert person.convictions.count() == 1  # not in the file: kept as stored
    assert cases.Transfer.objects.get(ref="T-101").notice_recorded


def test_skip_invalid_writes_the_valid_rows_and_sets_the_rest_aside(
    seeded: None, mapping: Path, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "roster.csv", GOOD + BAD)
    result = run_import(str(source), "--mapping", str(mapping), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert set(cases.Person.objects.filter(ref__startswith="X-").values_list("ref", flat=True)) == {
        "X-1",
        "X-2",
        "X-3",
    }
    with (tmp_path / "roster.rejects.csv").open(encoding="utf-8") as rejects:
        rows = list(csv.reader(rejects))
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == ["X-4", "X-5"]


def test_a_workbook_imports_as_its_csv_does(seeded: None, mapping: Path, tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "roster.xlsx", GOOD)
    assert read_sheet(book).header == tuple(HEADER)
    result = run_import(str(book), "--mapping", str(mapping))
    assert result.exit_code == 0, result.output
    assert cases.Transfer.objects.filter(ref__in=["XT-1", "XT-2", "XT-3"]).count() == 3


def test_html_report_and_unusable_inputs(seeded: None, mapping: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "roster.csv", BAD)
    report = tmp_path / "out.html"
    result = run_import(str(source), "--mapping", str(mapping), "--report", str(report))
    assert result.exit_code == 2
    page = report.read_text(encoding="utf-8")
    assert "<td>Atlantis</td>" in page and "Values that matched no code" in page
    missing = run_import(str(tmp_path / "nope.csv"), "--mapping", str(mapping))
    assert missing.exit_code == 2 and "not a file" in " ".join(missing.output.split())
    bad_mapping = tmp_path / "bad.toml"
    bad_mapping.write_text("columns = 3", encoding="utf-8")
    refused = run_import(str(source), "--mapping", str(bad_mapping))
    assert refused.exit_code == 2 and "cannot be used" in " ".join(refused.output.split())


def test_new_records_streamed_are_stored_as_saved_ones_are(
    seeded: None, mapping: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thirdcountry.oversight import audit
    from thirdcountry.records import imports
    from thirdcountry.records.export import export_persons, export_transfers

    source = write_csv(tmp_path / "roster.csv", GOOD)
    assert run_import(str(source), "--mapping", str(mapping)).exit_code == 0
    saved = (export_persons(["X-1", "X-2", "X-3"]), export_transfers(["XT-1", "XT-2", "XT-3"]))
    # The same rows under other refs, streamed (as a large import of new records is).
    streamed_rows = [[f"S{row[0]}", *row[1:5], f"S{row[5]}", *row[6:]] for row in GOOD]
    monkeypatch.setattr(imports, "STREAM_FROM", 1)
    streamed = run_import(str(write_csv(tmp_path / "new.csv", streamed_rows)), "-m", str(mapping))
    assert streamed.exit_code == 0, streamed.output
    persons = export_persons(["SX-1", "SX-2", "SX-3"])
    transfers = export_transfers(["SXT-1", "SXT-2", "SXT-3"])
    assert [p.names for p in persons] == [p.names for p in saved[0]]
    assert [p.nationalities for p in persons] == [p.nationalities for p in saved[0]]
    assert [(t.destination, t.arrangement) for t in transfers] == [
        (t.destination, t.arrangement) for t in saved[1]
    ]
    again = run_import(str(tmp_path / "new.csv"), "-m", str(mapping))
    assert "nothing changed" in again.output
    result = audit.verify()
    assert result.ok, [str(p) for p in result.problems]


def test_a_large_re_screen_is_queued_as_one_run(
    seeded: None, mapping: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thirdcountry.cases import tasks

    monkeypatch.setattr(tasks, "INLINE_LIMIT", 0)
    runs = cases.ScreeningRun.objects.count()
    result = run_import(str(write_csv(tmp_path / "roster.csv", GOOD)), "--mapping", str(mapping))
    assert result.exit_code == 0, result.output
    assert "queued as run" in " ".join(result.output.split())
    assert cases.ScreeningRun.objects.count() == runs + 1
    assert cases.ScreeningRun.objects.latest("pk").status == "pending"


def test_a_streamed_import_failing_mid_way_writes_nothing(
    seeded: None, mapping: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from thirdcountry.oversight.audit import bulk_log
    from thirdcountry.records import imports

    monkeypatch.setattr(imports, "STREAM_FROM", 1)
    persons, names, entries = (
        cases.Person.objects.count(),
        cases.PersonName.objects.count(),
        AuditEntry.objects.count(),
    )
    logged = bulk_log.WrittenLog.write

    def fails_once_the_rows_are_logged(self: bulk_log.WrittenLog) -> int:
        logged(self)
        assert cases.Person.objects.filter(ref="X-1").exists()  # written, not committed
        raise RuntimeError("the connection dropped")

    monkeypatch.setattr(bulk_log.WrittenLog, "write", fails_once_the_rows_are_logged)
    source = write_csv(tmp_path / "roster.csv", GOOD)
    failed = run_import(str(source), "--mapping", str(mapping))
    assert isinstance(failed.exception, RuntimeError)
    assert cases.Person.objects.count() == persons
    assert cases.PersonName.objects.count() == names
    assert AuditEntry.objects.count() == entries
    monkeypatch.setattr(bulk_log.WrittenLog, "write", logged)
    assert run_import(str(source), "--mapping", str(mapping)).exit_code == 0
    assert cases.Person.objects.filter(ref="X-1").exists()

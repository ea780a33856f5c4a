"""The validation report of an import (CSV and HTML: row, column, value, problem) and the
rejects file (the rejected rows as they were read, beside the imported file)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from thirdcountry.imports.rows import RowProblem
from thirdcountry.imports.sheets import FIRST_ROW, Sheet

COLUMNS = ("row", "column", "value", "problem")


def report_csv(problems: Sequence[RowProblem]) -> str:
    """The problems as CSV, one line each (row 1 is the header; row 0 the file as a whole)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in problems:
        writer.writerow((p.row, p.column, p.value, p.problem))
    return out.getvalue()


def report_html(
    problems: Sequence[RowProblem], title: str, unmatched: Mapping[str, set[str]]
) -> str:
    """The problems as a standalone HTML page (it reads at 360 px width too)."""
    cells = "\n".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(v))}</td>" for v in (p.row, p.column, p.value, p.problem))
        + "</tr>"
        for p in problems
    )
    listed = "".join(
        f"<li>{html.escape(column)}: {html.escape(', '.join(sorted(values)))}</li>"
        for column, values in sorted(unmatched.items())
    )
    unmatched_part = f"<h2>Values that matched no code</h2><ul>{listed}</ul>" if listed else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;"
        "width:100%}td,th{border:1px solid #999;padding:.25rem;text-align:left;"
        "overflow-wrap:anywhere}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{len(problems)} problem(s).</p>{unmatched_part}"
        "<table><thead><tr>"
        + "".join(f"<th>{c}</th>" for c in COLUMNS)
        + f"</tr></thead><tbody>\n{cells}\n</tbody></table></body></html>\n"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def rejects_path(source: Path) -> Path:
    """Where the rejected rows of ``source`` go: beside it, ``NAME.rejects.csv``."""
    return source.with_name(source.stem + ".rejects.csv")


def write_rejects(sheet: Sheet, rows: Sequence[int], path: Path) -> int:
    """Write the rejected rows (by spreadsheet row number) as CSV with the file's header, so
    they can be fixed and imported on their own; returns how many were written."""
    wanted = set(rows)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(sheet.header)
        written = 0
        for offset, cells in enumerate(sheet.rows):
            if FIRST_ROW + offset in wanted:
                writer.writerow([_cell(c) for c in cells])
                written += 1
    return written

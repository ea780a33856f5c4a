"""Reading a spreadsheet's rows: CSV with Polars, Excel and OpenDocument workbooks with
python-calamine (the first sheet). The first row names the columns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl

#: Workbook formats python-calamine reads.
WORKBOOKS: Final = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
#: The spreadsheet row number of the first data row (the header is row 1).
FIRST_ROW: Final = 2


class SheetError(ValueError):
    """A file that cannot be read as a table; the message says why."""


@dataclass(frozen=True)
class Sheet:
    """A table read from a file: its column names and its rows (cells as read: text, or a
    number, date or boolean from a workbook; ``None`` when empty)."""

    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _header(cells: list[Any]) -> tuple[str, ...]:
    names = tuple("" if c is None else str(c).strip() for c in cells)
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise SheetError(f"the column {name!r} appears twice in the first row")
        seen.add(name)
    return names


def _read_csv(path: Path) -> Sheet:
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as error:
        raise SheetError(f"cannot read {path.name} as CSV: {error}") from None
    header = _header(list(frame.columns))
    return Sheet(header, frame.rows())


def _read_workbook(path: Path) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as error:
        raise SheetError(f"cannot read {path.name} as a workbook: {error}") from None
    if not rows:
        raise SheetError(f"{path.name} has no rows")
    width = len(rows[0])
    body = [
        tuple(None if c == "" else c for c in (*row, *[None] * (width - len(row))))[:width]
        for row in rows[1:]
    ]
    return Sheet(_header(list(rows[0])), [r for r in body if any(c is not None for c in r)])


def read_sheet(path: Path) -> Sheet:
    """The table in ``path`` (CSV, or a workbook's first sheet); :class:`SheetError` when it
    cannot be read."""
    if not path.is_file():
        raise SheetError(f"{path} is not a file")
    if path.suffix.lower() in WORKBOOKS:
        return _read_workbook(path)
    return _read_csv(path)

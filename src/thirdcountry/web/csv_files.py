"""Lists as CSV files, streamed: rows are written as they are read, in batches of lines, so
a list of a million transfers takes the memory of one batch.

A cell a spreadsheet would take for a formula (one that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is neutralised with a leading apostrophe: names, refs
and notes are typed by people, and a file opened by a lawyer must not run what someone
typed. Numbers the application computes are written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from django.http import StreamingHttpResponse

# What opens a formula in the common spreadsheets: the same list as the public releases'.
from thirdcountry.oversight.release import FORMULA_STARTS

#: Lines written per chunk of the response.
LINES_PER_CHUNK: Final = 2000
#: Spreadsheets read a file as UTF-8 (names in every script) only when it opens with this.
BYTE_ORDER_MARK: Final = "\ufeff"


def cell(value: Any) -> str:
    """The text of one CSV cell: empty for nothing, ISO dates, numbers as they are, and text
    that could start a formula neutralised."""
    if type(value) is str:  # most cells: checked first
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Line:
    """A file-like object that hands back what the CSV writer writes."""

    def write(self, text: str) -> str:
        return text


def csv_chunks(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file of ``header`` and ``rows`` in UTF-8, a batch of lines at a time."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield (BYTE_ORDER_MARK + writer.writerow([cell(h) for h in header])).encode("utf-8")
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([cell(value) for value in row]))
        if len(batch) >= LINES_PER_CHUNK:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8")


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download named ``filename``."""
    response = StreamingHttpResponse(
        csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

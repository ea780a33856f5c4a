"""The export of the log, for a monitor to check with their own code (``docs/audit-trail.md``
describes the format and gives a checker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.utils import timezone

from thirdcountry.oversight.audit.chain import ENTRY_COLUMNS, entries_with_items, head
from thirdcountry.oversight.audit.digests import canonical_json, timestamp

#: The export format's name, first line of every export.
EXPORT_FORMAT = "thirdcountry/audit-log@1"


def export_lines() -> Iterator[str]:
    """The log as JSON Lines: a header, then one entry per line with its items."""
    current = head()
    yield canonical_json(
        {
            "format": EXPORT_FORMAT,
            "exported_at": timestamp(timezone.now()),
            "head": current.to_dict(),
        }
    )
    for entry, items in entries_with_items():
        yield canonical_json(
            {k: entry[k] for k in ENTRY_COLUMNS} | {"at": timestamp(entry["at"]), "items": items}
        )


def export(path: Path) -> int:
    """Write the log to ``path`` (JSON Lines, UTF-8); returns the number of entries."""
    count = -1
    with path.open("w", encoding="utf-8") as out:
        for line in export_lines():
            out.write(line + "\n")
            count += 1
    return count

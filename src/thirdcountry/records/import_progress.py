"""How far an import started from the page has come, so that the page can show it while the
import runs: its state (``pending``, ``running``, ``complete``, ``failed``, as a screening
run's), its stage, the rows done of the rows in all, and the time left at the stage's pace.

Kept in Django's cache under a token the page draws when it shows the form (the browser
asks for it while its upload is being imported): the application serves its requests from
the threads of one process, which share the cache. A token is one user's: another user
reading it finds nothing.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any, Final

from django.core.cache import cache

from thirdcountry.records.imports import Progress

STATES: Final = ("pending", "running", "complete", "failed")
#: How long the progress of an import is kept after its last change, in seconds.
KEPT: Final = 3600
#: The least time between two writes of the progress, in seconds (a stage's change is
#: written at once).
EVERY: Final = 0.5
_TOKEN: Final = re.compile(r"[0-9a-f]{32}\Z")


@dataclass
class ImportProgress:
    """One import's progress; ``seconds_left`` is ``None`` while it cannot be told yet."""

    state: str = "pending"
    stage: str = ""
    done: int = 0
    total: int = 0
    started: float = 0.0
    stage_started: float = 0.0
    stage_done_at_start: int = 0

    @property
    def seconds_left(self) -> float | None:
        """The time the stage still takes at the pace it has kept so far."""
        if self.state != "running" or self.total <= 0:
            return None
        moved = self.done - self.stage_done_at_start
        spent = time.time() - self.stage_started
        if moved <= 0 or spent <= 0:
            return None
        return max(0.0, (self.total - self.done) * spent / moved)

    @property
    def percent(self) -> int:
        """The share of the rows done, in whole percent."""
        return 100 if self.total <= 0 else min(100, 100 * self.done // self.total)


def new_token() -> str:
    """A fresh token for one import started from the page."""
    return secrets.token_hex(16)


def _key(user_id: Any, token: str) -> str | None:
    if not _TOKEN.match(token or ""):
        return None
    return f"import-progress:{user_id}:{token}"


def read_progress(user_id: Any, token: str) -> ImportProgress | None:
    """The progress of the import ``token`` of this user, or ``None`` when there is none."""
    key = _key(user_id, token)
    stored = cache.get(key) if key else None
    return ImportProgress(**stored) if isinstance(stored, dict) else None


def _write(key: str, progress: ImportProgress) -> None:
    cache.set(key, asdict(progress), KEPT)


class ProgressTracker:
    """Writes an import's progress as :func:`~thirdcountry.records.imports.import_sheet`
    reports it; does nothing for a token that is not one."""

    def __init__(self, user_id: Any, token: str) -> None:
        self.key = _key(user_id, token)
        now = time.time()
        self.progress = ImportProgress(started=now, stage_started=now)
        self.written = 0.0
        if self.key:
            _write(self.key, self.progress)

    def advance(self) -> Progress:
        """The callback to give the import."""

        def told(stage: str, done: int, total: int) -> None:
            self.update(stage, done, total)

        return told

    def update(self, stage: str, done: int, total: int) -> None:
        """Record that ``stage`` has done ``done`` of ``total`` rows."""
        now = time.time()
        progress = self.progress
        changed = stage != progress.stage or progress.state != "running"
        if changed:
            progress.stage, progress.stage_started = stage, now
            progress.stage_done_at_start = 0 if stage == "reading" else done
        progress.state, progress.done, progress.total = "running", done, total
        if self.key and (changed or now - self.written >= EVERY):
            self.written = now
            _write(self.key, progress)

    def finish(self, state: str) -> None:
        """Record that the import ended: ``complete`` or ``failed``."""
        self.progress.state = state
        if state == "complete":
            self.progress.done = self.progress.total
        if self.key:
            _write(self.key, self.progress)

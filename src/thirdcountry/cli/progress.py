"""Progress bars of the long commands (``generate``, ``rescreen``, ``load``, ``release``,
``import``): what is being done, how far along, out of how many (with thousands
separators), the time taken and the time left. They go to standard error, so standard
output stays the command's result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from thirdcountry.cli.output import stderr

#: What a step of work reports: what it is doing, how many are done, out of how many.
Report = Callable[[str, int, int], None]


class CountColumn(ProgressColumn):
    """Done out of the total, with thousands separators ("12,500 / 1,000,000")."""

    def render(self, task: Task) -> Text:
        done = int(task.completed)
        if task.total is None:
            return Text(f"{done:,}", style="progress.download")
        return Text(f"{done:,} / {int(task.total):,}", style="progress.download")


def bar() -> Progress:
    """A progress display with a description, a bar, the count, the share done, the time
    taken and the time left."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        CountColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=stderr,
    )


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Report]:
    """A bar for one piece of work; yields what the work calls to report how far it got
    (the description of its current stage, the count done, the total)."""
    with bar() as shown:
        task = shown.add_task(description, total=total)

        def report(stage: str, done: int, total: int) -> None:
            shown.update(task, description=stage or description, completed=done, total=total)

        yield report

"""Reading a long list from PostgreSQL on a thread of its own while the caller writes the
rows already read: the database computes the next chunk while Python formats this one, so
an export takes about the longer of the two instead of their sum.

The thread has its own database connection, which sees only what is committed: when the
caller's connection is inside a transaction (its own writes not yet committed, as in a test)
the rows are read on the caller's thread instead. SQLite is always read on the caller's
thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Final, TypeVar

from django.db import connection, connections

Row = TypeVar("Row")

#: Rows handed over at a time, and chunks waiting at most.
CHUNK: Final = 5000
DEPTH: Final = 4
_DONE: Final = object()


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def separately_readable() -> bool:
    """Whether another connection would see what this one sees."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def read_ahead(rows: Callable[[], Iterable[Row]]) -> Iterator[Row]:
    """The rows ``rows()`` gives, read on a thread of its own when that sees the same data.

    ``rows`` is called on the thread that reads, so a query it runs uses that thread's
    connection. Closing the returned iterator early (a client that went away) stops the
    reading thread.
    """
    if not separately_readable():
        yield from rows()
        return
    handed: queue.Queue[object] = queue.Queue(maxsize=DEPTH)
    stop = threading.Event()

    def hand(item: object) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            iterator = iter(rows())
            while chunk := list(islice(iterator, CHUNK)):
                if not hand(chunk):
                    return
            hand(_DONE)
        except BaseException as error:
            hand(_Failed(error))
        finally:
            connections.close_all()

    reader = threading.Thread(target=read, name="export-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = handed.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield from item  # type: ignore[misc]
    finally:
        stop.set()
        reader.join()

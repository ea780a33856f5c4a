"""Which of a connection's atomic blocks are the application's own.

A test case wraps each test in a transaction of its own that never commits; code that acts
at the end of the application's outermost block (linking audit entries, saving a run only
others can see) treats that block as outermost, as Django's ``durable`` does.
"""

from __future__ import annotations

from typing import Any


def in_application_transaction(connection: Any) -> bool:
    """Whether the application's code holds an atomic block open on ``connection`` (a test
    case's own enclosing transaction does not count)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)

"""Linking a transaction's audit entries into the chain just before it commits.

A writer records its audit entries along with its other writes, without a place in the
chain; the head of the chain is locked only here, at the very end, for the few statements
that link them. Writers of different records therefore run side by side instead of
queueing at the head for the length of their requests, and a writer holding the head waits
for nothing else, so the head takes part in no deadlock.
"""

from __future__ import annotations

from typing import Any

from thirdcountry.atomic import in_application_transaction


class SealingMixin:
    """A database wrapper that links pending audit entries before each commit."""

    audit_pending: bool = False

    def commit(self) -> None:
        if self.audit_pending:
            # The application's code has left its atomic blocks; the transaction is open.
            from thirdcountry.oversight.audit.chain import link_pending

            link_pending()
        super().commit()  # type: ignore[misc]
        self.audit_pending = False

    def rollback(self) -> None:
        super().rollback()  # type: ignore[misc]
        self.audit_pending = False

    def savepoint_commit(self, sid: Any) -> None:
        super().savepoint_commit(sid)  # type: ignore[misc]
        if self.audit_pending and _only_test_case_blocks(self):
            # The outermost block the application opened ends inside a test case's own
            # transaction, which never commits: link here, where a commit would (as
            # Django's ``durable`` treats such a block as outermost).
            from thirdcountry.oversight.audit.chain import link_pending

            link_pending()


def _only_test_case_blocks(connection: Any) -> bool:
    return bool(connection.atomic_blocks) and not in_application_transaction(connection)

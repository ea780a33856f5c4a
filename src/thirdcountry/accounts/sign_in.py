"""Locks on signing in: after repeated failures django-axes locks the account and the
address they came from (``AXES_FAILURE_LIMIT``, ``AXES_COOLOFF_TIME`` in the settings);
an administrator lifts a lock before it expires."""

from __future__ import annotations

from axes.utils import reset


def unlock(*, username: str | None = None, address: str | None = None) -> int:
    """Lift the sign-in locks of an account, of an address, or (neither given) of all;
    returns how many records of failed attempts were cleared."""
    if username is None and address is None:
        return int(reset())
    cleared = 0
    if username is not None:
        cleared += int(reset(username=username))
    if address is not None:
        cleared += int(reset(ip=address))
    return cleared

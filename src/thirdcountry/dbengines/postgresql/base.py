"""Django's PostgreSQL backend, linking audit entries before each commit."""

from __future__ import annotations

from django.db.backends.postgresql import base

from thirdcountry.dbengines.sealing import SealingMixin


class DatabaseWrapper(SealingMixin, base.DatabaseWrapper):
    """Django's PostgreSQL connection; see :mod:`thirdcountry.dbengines.sealing`."""

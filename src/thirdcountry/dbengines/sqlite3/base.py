"""Django's SQLite backend, linking audit entries before each commit."""

from __future__ import annotations

from django.db.backends.sqlite3 import base

from thirdcountry.dbengines.sealing import SealingMixin


class DatabaseWrapper(SealingMixin, base.DatabaseWrapper):
    """Django's SQLite connection; see :mod:`thirdcountry.dbengines.sealing`."""

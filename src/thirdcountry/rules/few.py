"""A few rows (one transfer's screening) take shorter paths than a table's: a Polars
query's fixed cost, planning included, would be most of their work."""

from __future__ import annotations

from typing import Final

import polars as pl

#: Up to this many rows, a table's small chores (numbering a child table's rows, looking up
#: language codes, nesting a few owners' lists) are done in Python, and a query of them is
#: run as written, not optimised.
IN_PYTHON_UP_TO: Final = 2_000

_AS_WRITTEN: Final = pl.QueryOptFlags.none()
_OPTIMISED: Final = pl.QueryOptFlags()


def optimisations(rows: int) -> pl.QueryOptFlags:
    """How a query of ``rows`` rows is optimised: a few are run as written (planning one
    transfer's facts took a quarter of their 2 ms), more as Polars sees fit."""
    return _AS_WRITTEN if rows <= IN_PYTHON_UP_TO else _OPTIMISED

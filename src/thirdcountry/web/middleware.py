"""Static files served by the application itself (WhiteNoise), in every mode."""

from __future__ import annotations

import os
from typing import Any

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise reading the files from the installed apps (``WHITENOISE_USE_FINDERS``).

    ``STATIC_ROOT`` exists only once someone has run ``collectstatic``; until then there is
    nothing to add from it, which is no reason for a warning on every start.
    """

    def add_files(self, root: Any, prefix: Any = None) -> None:
        if self.autorefresh or os.path.isdir(root):
            super().add_files(root, prefix)

"""``makemessages`` that also collects the labels of stored values.

Those labels are derived from the enums (:mod:`thirdcountry.words`), not written as
literals, so xgettext cannot find them in the source; they are added to each template
catalog before it is merged into the translations.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import makemessages

from thirdcountry.words import msgids


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Command(makemessages.Command):
    help = makemessages.Command.help + " Adds the labels of stored values (thirdcountry.words)."

    def build_potfiles(self) -> Any:
        """Build the template catalogs, then add every label they do not hold yet."""
        potfiles = super().build_potfiles()
        for potfile in potfiles:
            with open(potfile, encoding="utf-8") as fp:
                held = fp.read()
            missing = [m for m in msgids() if f"\nmsgid {_quoted(m)}\n" not in held]
            with open(potfile, "a", encoding="utf-8") as fp:
                for message in missing:
                    fp.write(
                        f'\n#. the label of a stored value\nmsgid {_quoted(message)}\nmsgstr ""\n'
                    )
        return potfiles

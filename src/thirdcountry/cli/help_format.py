"""How ``--help`` names what an option takes: its metavar (FILE, REF, YYYY-MM-DD) or a word
(TEXT, INTEGER, PATH), and nothing for a flag. Typer's own layout names the Python type of
each ("<bool>" beside every flag, "<str>"), which tells a reader nothing."""

from __future__ import annotations

from typing import Any, Final

from typer.core import TyperArgument, TyperOption

#: Python type names as typer shows them, and the words shown instead (click's).
WORDS: Final = {
    "<str>": "TEXT",
    "<int>": "INTEGER",
    "<float>": "NUMBER",
    "<path>": "PATH",
    "<file>": "PATH",
    "<directory>": "DIRECTORY",
    "<datetime>": "DATE",
}


def _in_words(shown: str | None) -> str | None:
    return None if shown is None else WORDS.get(shown, shown)


def name_values_in_words() -> None:
    """Make every command's help name values in words and show nothing beside a flag."""
    if getattr(TyperOption.display_type_rich, "in_words", False):
        return
    option_type = TyperOption.display_type_rich
    argument_type = TyperArgument.display_type_rich

    def option_shown(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag:
            return None
        return _in_words(option_type(self, ctx))

    def argument_shown(self: TyperArgument, ctx: Any) -> str | None:
        return _in_words(argument_type(self, ctx))

    option_shown.in_words = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = option_shown  # type: ignore[method-assign]
    TyperArgument.display_type_rich = argument_shown  # type: ignore[method-assign, assignment]

"""Findings as data: how a screening's findings are stored (a reason code and typed
parameters per rule, never a sentence), read back, and rendered into sentences when read, in
the reader's language and for the reader's role.

Plain Python and Polars, like the engine: the web application, the API, the command line and
releases all render through :class:`Renderer`.
"""

from thirdcountry.findings.render import OrderLabel, Renderer
from thirdcountry.findings.stored import (
    LEGACY,
    Decoded,
    decode,
    decode_part,
    encode_legacy,
    join_parts,
    outcome_letters,
    recover,
    split_parts,
)

__all__ = [
    "LEGACY",
    "Decoded",
    "OrderLabel",
    "Renderer",
    "decode",
    "decode_part",
    "encode_legacy",
    "join_parts",
    "outcome_letters",
    "recover",
    "split_parts",
]

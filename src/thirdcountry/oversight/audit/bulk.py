"""Record digests and audit items of many rows at once, built column by column.

A record's digest is the HMAC of its canonical JSON (:func:`.digests.digest_of`). Here Polars
builds the canonical JSON of a whole batch of rows: keys in sorted order, each value rendered
exactly as :func:`.digests.canonical_json` renders what :func:`.digests.record_values` makes of
it. Only the kinds of field that bulk-written tables hold are rendered (integers, text,
yes/no, dates); a model with any other kind of field, or a batch holding a value that is not
of its column's type, goes through the per-row path, so the digests never depend on which
path made them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

import polars as pl
from django.db import models

Kind = Literal["int", "str", "bool", "date"]

_DTYPES: dict[Kind, Any] = {
    "int": pl.Int64,
    "str": pl.String,
    "bool": pl.Boolean,
    "date": pl.Date,
}
#: The Python types a column of each kind may hold (exactly: a datetime is not a date here).
_TYPES: dict[Kind, frozenset[type]] = {
    "int": frozenset({int, type(None)}),
    "str": frozenset({str, type(None)}),
    "bool": frozenset({bool, type(None)}),
    "date": frozenset({date, type(None)}),
}

#: What Python's json writes for each character it escapes when ``ensure_ascii`` is off: the
#: quote, the backslash and the control characters U+0000 to U+001F, nothing else.
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n"}
_SHORT_ESCAPES |= {"\r": "\\r", "\t": "\\t"}
_ESCAPED = [*(chr(code) for code in range(0x20)), '"', "\\"]
_ESCAPES = [_SHORT_ESCAPES.get(char, f"\\u{ord(char):04x}") for char in _ESCAPED]

#: An audit item's columns as canonical JSON holds them (see :meth:`.chain.Item.to_dict`).
ITEM_KINDS: dict[str, Kind] = {
    "model": "str",
    "object_id": "str",
    "history_id": "int",
    "before": "str",
    "after": "str",
}


def field_kind(field: Any) -> Kind | None:
    """How a field's value is rendered column-wise, or None when it is not: mirrors
    :func:`.digests._converter` (a foreign key is rendered as its target field)."""
    if isinstance(field, models.ForeignKey):
        return field_kind(field.target_field)
    if isinstance(field, models.JSONField):
        return None
    if isinstance(field, models.BooleanField):
        return "bool"
    if isinstance(field, models.DateTimeField):
        return None
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.DecimalField | models.FloatField):
        return None
    if isinstance(field, models.IntegerField | models.AutoField):
        return "int"
    if isinstance(field, models.CharField | models.TextField):
        return "str"
    return None


def model_kinds(model: type[models.Model], fields: Sequence[str]) -> dict[str, Kind] | None:
    """The kind of each of ``fields``, or None when one of them (or the primary key, which
    names the items) is not rendered column-wise."""
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    kinds: dict[str, Kind] = {}
    for name in fields:
        kind = field_kind(by_name[name])
        if kind is None:
            return None
        kinds[name] = kind
    pk = model._meta.pk
    if pk is None or kinds.get(pk.attname) not in ("int", "str"):
        return None
    return kinds


def to_frame(rows: Sequence[Sequence[Any]], kinds: Mapping[str, Kind]) -> pl.DataFrame | None:
    """Rows (values in ``kinds`` order) as typed columns; None when a value is not of its
    column's type (a datetime in a date column, text in an integer column), which the
    per-row path then handles as it always has."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in kinds]
    return columns_frame(dict(zip(kinds, columns, strict=True)), kinds)


def columns_frame(
    columns: Mapping[str, Sequence[Any]], kinds: Mapping[str, Kind]
) -> pl.DataFrame | None:
    """Columns of values (by name, each in the rows' order) as the typed columns ``kinds``
    names; None when a value is not of its column's type, as :func:`to_frame`."""
    series = []
    for name, kind in kinds.items():
        values = columns[name]
        # Polars would parse text into dates and numbers; the per-row path decides those.
        if not set(map(type, values)) <= _TYPES[kind]:
            return None
        try:
            column = pl.Series(name, values, dtype=_DTYPES[kind], strict=True)
        except (TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):
            return None
        if column.dtype != _DTYPES[kind]:
            return None
        series.append(column)
    return pl.DataFrame(series)


def _json_string(text: pl.Expr) -> pl.Expr:
    return pl.concat_str(pl.lit('"'), text.str.replace_many(_ESCAPED, _ESCAPES), pl.lit('"'))


def _render(name: str, kind: Kind) -> pl.Expr:
    """One column's values as canonical JSON text (null stays null)."""
    column = pl.col(name)
    if kind == "int":
        return column.cast(pl.String)
    if kind == "str":
        return _json_string(column)
    if kind == "bool":
        return pl.when(column).then(pl.lit("true")).when(column.not_()).then(pl.lit("false"))
    # isoformat: the year always has four digits, as chrono writes it.
    return pl.concat_str(pl.lit('"'), column.dt.to_string("%Y-%m-%d"), pl.lit('"'))


def canonical_json(kinds: Mapping[str, Kind]) -> pl.Expr:
    """Each row's canonical JSON object of the columns ``kinds`` names, keys sorted as
    ``json.dumps(sort_keys=True)`` sorts them."""
    parts: list[pl.Expr] = []
    for position, name in enumerate(sorted(kinds)):
        key = json.dumps(name, ensure_ascii=False)
        parts.append(pl.lit(("{" if position == 0 else ",") + key + ":"))
        parts.append(_render(name, kinds[name]).fill_null(pl.lit("null")))
    parts.append(pl.lit("}") if parts else pl.lit("{}"))
    return pl.concat_str(parts)


def hmac_sha256_hex(key: bytes, texts: pl.Series) -> list[str]:
    """HMAC-SHA256 (RFC 2104) of each text, UTF-8 encoded, in lower-case hex: the same as
    ``hmac.new(key, text, sha256).hexdigest()``, with the key's padded hash states computed
    once instead of once per text."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))
    digests = []
    for text in texts.cast(pl.Binary).to_list():
        state = inner.copy()
        state.update(text)
        result = outer.copy()
        result.update(state.digest())
        digests.append(result.hexdigest())
    return digests


def items_sha256(lines: pl.Series) -> str:
    """SHA-256 of the canonical JSON list of items, given each item's canonical JSON."""
    return hashlib.sha256(("[" + ",".join(lines.to_list()) + "]").encode("utf-8")).hexdigest()

"""Canonical JSON and digests: the one serialisation every hash of the trail is computed over,
and the keyed digest of a record.

Record digests are keyed (HMAC-SHA256 with ``THIRDCOUNTRY_AUDIT_KEY``): a record as small as
a nationality row could otherwise be recovered from its digest by trying every country.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import models
from django.utils import timezone


def canonical_json(value: Any) -> str:
    """JSON with keys sorted, no whitespace, UTF-8 characters as themselves, and no floats
    or NaN: the one serialisation every hash in the trail is computed over."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(text: str) -> str:
    """The SHA-256 of ``text`` encoded as UTF-8, in lower-case hexadecimal."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def timestamp(moment: datetime) -> str:
    """A moment in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def plain(value: Any) -> Any:
    """A value as canonical JSON holds it: dates as ``YYYY-MM-DD``, moments as UTC
    timestamps, decimals and floats as strings, tuples as lists."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=canonical_json) if isinstance(value, set | frozenset) else items
    raise TypeError(f"cannot put {type(value).__name__} into the audit trail")


def audit_key() -> bytes:
    """The key of record digests (``THIRDCOUNTRY_AUDIT_KEY``)."""
    key = getattr(settings, "THIRDCOUNTRY_AUDIT_KEY", None) or "audit:" + settings.SECRET_KEY
    return str(key).encode("utf-8")


def model_label(model: type[models.Model]) -> str:
    """A model's label as the trail names it, e.g. ``cases.person`` (a renamed model keeps
    the label its entries were logged under, as its ``audit_label``)."""
    return str(getattr(model, "audit_label", model._meta.label_lower))


#: Columns written on every use, with no save (a login, a token's use): a record digest
#: leaves them out, so using an account needs no entry and changes no digest.
VOLATILE_FIELDS = {"auth.user": ("last_login",), "accounts.apitoken": ("last_used_at",)}


def record_fields(model: type[models.Model]) -> list[str]:
    """The columns a record digest covers: every concrete field, by attribute name (but
    the :data:`VOLATILE_FIELDS`)."""
    volatile = VOLATILE_FIELDS.get(model._meta.label_lower, ())
    return [f.attname for f in model._meta.concrete_fields if f.attname not in volatile]


def _converter(field: Any) -> Callable[[Any], Any]:
    """How one field's value becomes canonical: the same whether it comes from the database
    or from an instance about to be saved."""
    if isinstance(field, models.ForeignKey):
        return _converter(field.target_field)
    if isinstance(field, models.JSONField):
        return plain
    if isinstance(field, models.BooleanField):
        return lambda v: bool(field.to_python(v))
    if isinstance(field, models.DateTimeField):
        return lambda v: timestamp(field.to_python(v))
    if isinstance(field, models.DateField):
        return lambda v: (v if type(v) is date else field.to_python(v)).isoformat()
    if isinstance(field, models.DecimalField):
        step = Decimal(1).scaleb(-(field.decimal_places or 0))
        return lambda v: format(field.to_python(v).quantize(step), "f")
    if isinstance(field, models.FloatField):
        return lambda v: repr(float(v))
    if isinstance(field, models.IntegerField | models.AutoField):
        return int
    if isinstance(field, models.CharField | models.TextField):
        return str
    return lambda v: plain(field.to_python(v))


@cache
def _converters(
    model: type[models.Model], fields: tuple[str, ...]
) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    return tuple((name, _converter(by_name[name])) for name in fields)


def record_values(
    model: type[models.Model], source: Mapping[str, Any] | models.Model, fields: Sequence[str]
) -> dict[str, Any]:
    """The canonical values of a record (a model instance, or a row of ``values()``) for
    ``fields``; raises KeyError when the model has no such field any more."""
    converters = _converters(model, tuple(fields))  # type: ignore[arg-type]
    if isinstance(source, Mapping):
        raw = [source[name] for name, _ in converters]
    else:
        raw = [getattr(source, name) for name, _ in converters]
    return {
        name: None if value is None else convert(value)
        for (name, convert), value in zip(converters, raw, strict=True)
    }


def record_digest(values: Mapping[str, Any]) -> str:
    """HMAC-SHA256, keyed with the audit key, of a record's canonical JSON."""
    return hmac.new(audit_key(), canonical_json(values).encode("utf-8"), hashlib.sha256).hexdigest()


def digest_of(
    model: type[models.Model], source: Mapping[str, Any] | models.Model, fields: Sequence[str]
) -> str:
    """The digest of a record as it is in ``source``."""
    return record_digest(record_values(model, source, fields))

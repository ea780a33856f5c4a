"""What is wrong with a scenario: each problem with its JSON path, all of them at once.

A document is decoded against the schema (:mod:`thirdcountry.scenario.model`) in C, which
stops at the first problem. When it does, the same schema is walked here over the plain
decoded JSON to name every problem, each in words a person writing the file understands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any, Final

import msgspec
import msgspec.inspect as mi

from thirdcountry.scenario.codes import CODE_LISTS
from thirdcountry.scenario.model import Amount

_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_AMOUNT: Final = re.compile(r"\d+(\.\d+)?\Z")
#: The hint for a ``null`` where only a value or a left-out key is allowed.
_LEAVE_OUT: Final = " (leave the key out when it is unknown)"


class FieldError(msgspec.Struct, frozen=True):
    """One thing wrong with a document or a request: where (a JSON path into it, or
    ``query.NAME``/``header.NAME`` for a request) and what was expected."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ScenarioError(ValueError):
    """A scenario was refused; ``problems`` lists every reason, in document order."""

    def __init__(self, problems: Iterable[FieldError]) -> None:
        self.problems: tuple[FieldError, ...] = tuple(problems)
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the scenario"
        super().__init__(summary + "\n" + "\n".join(f"  {p}" for p in self.problems))


def describe(value: object) -> str:
    """A JSON value as a problem names it: ``"XX"``, ``the number 5``, ``a list``…"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def key_path(path: str, key: str) -> str:
    """The JSON path of ``key`` inside the object at ``path`` (``""`` is the document)."""
    return f"{path}.{key}" if path else key


def parse_amount(value: object) -> Amount:
    """An amount from its decimal string; ``ValueError`` for anything else (a float too)."""
    if not isinstance(value, str) or not _AMOUNT.match(value):
        raise ValueError(
            f'{describe(value)} is not an amount written as a decimal string like "1250.00"'
        )
    return Amount(value)


def parse_date(value: object) -> date | None:
    """A ``YYYY-MM-DD`` string (or a date) as a date; ``None`` when it is not one."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


#: The JSON kinds of value each schema type reads.
_JSON_KINDS: Final[dict[type, tuple[type, ...]]] = {
    mi.StructType: (dict,),
    mi.VarTupleType: (list,),
    mi.ListType: (list,),
    mi.LiteralType: (str,),
    mi.StrType: (str,),
    mi.DateType: (str,),
    mi.CustomType: (str,),
    mi.IntType: (int,),
    mi.BoolType: (bool,),
}


def _bare(kind: mi.Type) -> mi.Type:
    return kind.type if isinstance(kind, mi.Metadata) else kind


def _reads(kind: mi.Type, value: object) -> bool:
    """Whether a schema type reads a JSON value of this kind (whatever its content)."""
    kind = _bare(kind)
    if isinstance(kind, mi.IntType) and isinstance(value, bool):
        return False
    return isinstance(value, _JSON_KINDS.get(type(kind), ()))


def _what(kind: mi.Type) -> str:
    """What a schema type expects, as a problem names it."""
    extra = dict(kind.extra or {}) if isinstance(kind, mi.Metadata) else {}
    kind = _bare(kind)
    if isinstance(kind, mi.LiteralType):
        if "code" in extra:
            return str(CODE_LISTS[extra["code"]][0])
        return " or ".join(f'"{v}"' for v in kind.values)
    names = {
        mi.StructType: "an object",
        mi.VarTupleType: "a list",
        mi.ListType: "a list",
        mi.StrType: "a string",
        mi.DateType: "a date in the form YYYY-MM-DD",
        mi.CustomType: "a decimal string",
        mi.IntType: "a whole number",
        mi.BoolType: "true or false",
    }
    return names.get(type(kind), "a value of another kind")


class _Walk:
    """Walks a plain JSON value against a schema type, collecting every problem."""

    def __init__(
        self, root_what: dict[type, str], hints: Mapping[tuple[type, str], str] | None = None
    ) -> None:
        self.problems: list[FieldError] = []
        self.root_what = root_what
        self.hints = hints or {}

    def add(self, path: str, message: str) -> None:
        self.problems.append(FieldError(path or "$", message))

    def value(self, value: object, kind: mi.Type, path: str, nullable: bool = False) -> None:
        extra: dict[str, Any] = {}
        if isinstance(kind, mi.Metadata):
            extra = dict(kind.extra or {})
            kind = kind.type
        if isinstance(kind, mi.UnionType):
            others = [t for t in kind.types if not isinstance(t, mi.NoneType)]
            allows_none = len(others) != len(kind.types)
            if value is None and allows_none:
                return
            # A union is "a value or null", or (scenario@2) one of several kinds of value:
            # check against the member that reads this kind of JSON value.
            chosen = next((t for t in others if _reads(t, value)), None)
            if chosen is None and len(others) > 1:
                expected = " nor ".join(_what(t) for t in others)
                self.add(path, f"{describe(value)} is neither {expected}")
                return
            self.value(value, chosen or others[0], path, nullable=allows_none)
            return
        check = getattr(self, type(kind).__name__, None)
        if check is None:
            return
        check(value, kind, path, nullable, extra)

    def StructType(
        self, value: object, kind: mi.StructType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        if not isinstance(value, dict):
            what = self.root_what.get(kind.cls, "an object or null" if nullable else "an object")
            self.add(path, f"{describe(value)} is not {what}")
            return
        fields = {f.encode_name: f for f in kind.fields}
        for key in value:
            if (kind.cls, key) in self.hints:
                self.add(key_path(path, key), self.hints[kind.cls, key])
            elif key not in fields:
                expected = ", ".join(fields)
                self.add(key_path(path, key), f"unknown key (expected one of: {expected})")
        for name, field in fields.items():
            if name in value:
                self.value(value[name], field.type, key_path(path, name))
            elif field.required:
                self.add(key_path(path, name), "required key is missing")

    def _items(
        self, value: object, kind: mi.VarTupleType | mi.ListType, path: str, extra: dict[str, Any]
    ) -> None:
        if not isinstance(value, list):
            self.add(path, f"{describe(value)} is not a list")
            return
        if kind.min_length is not None and len(value) < kind.min_length:
            self.add(path, extra.get("too_short", f"at least {kind.min_length} entries required"))
        for index, item in enumerate(value):
            self.value(item, kind.item_type, f"{path}[{index}]")

    def VarTupleType(
        self, value: object, kind: mi.VarTupleType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        self._items(value, kind, path, extra)

    def ListType(
        self, value: object, kind: mi.ListType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        self._items(value, kind, path, extra)

    def LiteralType(
        self, value: object, kind: mi.LiteralType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        if isinstance(value, str) and value in kind.values:
            return
        if "code" in extra:
            self.add(path, f"{describe(value)} is not {CODE_LISTS[extra['code']][0]}")
        elif len(kind.values) == 1:
            self.add(path, f'{describe(value)} is not "{kind.values[0]}"')
        else:
            self.add(path, f"{describe(value)} is not one of: {', '.join(map(str, kind.values))}")

    def StrType(
        self, value: object, kind: mi.StrType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        if not isinstance(value, str):
            self.add(path, f"{describe(value)} is not a string")
        elif "\x00" in value:
            self.add(path, "a NUL character (\\u0000) is not allowed in text")
        elif kind.max_length is not None and len(value) > kind.max_length:
            self.add(path, f"longer than {kind.max_length} characters")
        elif kind.pattern is not None and not re.search(kind.pattern, value):
            if "pattern_message" in extra:
                self.add(path, f"{describe(value)} {extra['pattern_message']}")
            else:
                self.add(path, "an empty string is not allowed here")

    def IntType(
        self, value: object, kind: mi.IntType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"{describe(value)} is not a whole number")
        elif kind.ge is not None and value < kind.ge:
            self.add(path, f"{value} is below the minimum of {kind.ge}")
        elif kind.le is not None and value > kind.le:
            self.add(path, f"{value} is above the maximum of {kind.le}")

    def BoolType(
        self, value: object, kind: mi.BoolType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        if not isinstance(value, bool):
            hint = _LEAVE_OUT if value is None else ""
            self.add(path, f"{describe(value)} is not true or false{hint}")

    def DateType(
        self, value: object, kind: mi.DateType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        if not isinstance(value, str) or not _DATE.match(value):
            hint = _LEAVE_OUT if value is None else ""
            self.add(path, f"{describe(value)} is not a date in the form YYYY-MM-DD{hint}")
        elif parse_date(value) is None:
            self.add(path, f"{describe(value)} is not a real calendar date")

    def CustomType(
        self, value: object, kind: mi.CustomType, path: str, nullable: bool, extra: dict[str, Any]
    ) -> None:
        if kind.cls is Amount:
            try:
                parse_amount(value)
            except ValueError as error:
                self.add(path, str(error))


@cache
def _type_info(schema: type) -> mi.Type:
    # Inspecting a schema whose code types list every ISO code takes a tenth of a second.
    return mi.type_info(schema)


def schema_problems(
    value: object,
    schema: type,
    root_what: str,
    hints: Mapping[tuple[type, str], str] | None = None,
) -> list[FieldError]:
    """Every way ``value`` (plain decoded JSON) breaks the schema type ``schema``; the
    document itself, when it is not an object, is called ``root_what``. ``hints`` says, for
    a key a record does not take (record type, key), what to write instead."""
    walk = _Walk({schema: root_what}, hints)
    walk.value(value, _type_info(schema), "")
    return walk.problems

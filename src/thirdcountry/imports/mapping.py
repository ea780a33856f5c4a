"""An import mapping: which column of a spreadsheet fills which fact, and how its values
translate. Mappings are TOML files (saved and reused from one import to the next)::

    name = "detention roster"
    date_formats = ["%d/%m/%Y"]

    [columns."Person ID"]
    fact = "person.ref"

    [columns."Citizenship"]
    fact = "person.nationalities"
    separator = ";"
    values = { "UK" = "GB" }

    [columns."Asylum"]
    fact = "person.asylum_claim"
    values = { "Denied" = "refused" }

    [constants]
    "transfer.sending" = "US"

A fact is a path into a person or a transfer of the scenario format (``person.birth_date``,
``transfer.notice.served``). The kind of value each fact takes comes from the format's one
schema, so a mapping can only name facts the format has. This module needs no Django.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

import msgspec.inspect as mi

from thirdcountry.scenario.model import Person, Transfer

#: The record types a row can fill, by the first step of a fact's path.
RECORDS: Final = {"person": Person, "transfer": Transfer}
#: Facts a row cannot fill from one cell (a list of objects).
_NOT_FROM_A_CELL: Final = {"person.fear_claims", "person.convictions", "transfer.monitoring"}

Kind = Literal["text", "boolean", "date", "country", "language", "choice", "integer"]


class MappingError(ValueError):
    """A mapping that cannot be used; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class FactKind:
    """What a fact holds: the kind of its values, whether it is a list, the choices of an
    enumerated fact, and whether ``null`` is a value it may take (known: there is none)."""

    kind: Kind
    many: bool = False
    choices: tuple[str, ...] = ()
    nullable: bool = False


@dataclass(frozen=True)
class ColumnRule:
    """How one column fills one fact."""

    column: str
    fact: str
    kind: FactKind
    #: Cell values replaced before they are read (``"Denied"`` → ``"refused"``).
    values: dict[str, str] = field(default_factory=dict)
    #: Splits a cell into the entries of a list fact.
    separator: str = ";"
    #: Cells that mean "known: there is none" (``[]`` or ``null``); an empty cell is unknown.
    none_values: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportMapping:
    """A whole mapping: its column rules and the facts every row shares."""

    name: str
    rules: tuple[ColumnRule, ...]
    constants: dict[str, Any] = field(default_factory=dict)

    def fills(self, record: str) -> bool:
        """Whether the mapping fills any fact of ``record`` (``person`` or ``transfer``)."""
        prefix = record + "."
        return any(r.fact.startswith(prefix) for r in self.rules) or any(
            k.startswith(prefix) for k in self.constants
        )

    def column_of(self, fact: str) -> str | None:
        """The column that fills ``fact`` (or the first step of a path inside it)."""
        for rule in self.rules:
            if rule.fact == fact or fact.startswith(rule.fact + "."):
                return rule.column
        for rule in self.rules:
            if rule.fact.startswith(fact + "."):
                return rule.column
        return None


def _fields(record: type) -> dict[str, mi.Field]:
    info = mi.type_info(record)
    assert isinstance(info, mi.StructType)
    return {f.encode_name: f for f in info.fields}


def _kind_of(kind: mi.Type, *, many: bool = False, nullable: bool = False) -> FactKind | None:
    if isinstance(kind, mi.Metadata):
        code = (kind.extra or {}).get("code")
        if code in ("country", "language"):
            return FactKind(code, many, nullable=nullable)
        return _kind_of(kind.type, many=many, nullable=nullable)
    if isinstance(kind, mi.UnionType):
        others = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        allows_none = any(isinstance(t, mi.NoneType) for t in kind.types)
        return _kind_of(others[0], many=many, nullable=nullable or allows_none)
    if isinstance(kind, mi.VarTupleType | mi.ListType):
        return _kind_of(kind.item_type, many=True, nullable=nullable)
    if isinstance(kind, mi.BoolType):
        return FactKind("boolean", many, nullable=nullable)
    if isinstance(kind, mi.DateType):
        return FactKind("date", many, nullable=nullable)
    if isinstance(kind, mi.IntType):
        return FactKind("integer", many, nullable=nullable)
    if isinstance(kind, mi.LiteralType):
        return FactKind("choice", many, tuple(str(v) for v in kind.values), nullable)
    if isinstance(kind, mi.StrType):
        return FactKind("text", many, nullable=nullable)
    return None


@cache
def fact_kind(fact: str) -> FactKind | None:
    """The kind of value ``fact`` holds, or ``None`` when it is no fact a cell can fill."""
    steps = fact.split(".")
    record = RECORDS.get(steps[0])
    if record is None or len(steps) < 2 or ".".join(steps[:2]) in _NOT_FROM_A_CELL:
        return None
    current: type = record
    for i, step in enumerate(steps[1:], start=1):
        found = _fields(current).get(step)
        if found is None:
            return None
        kind = found.type
        last = i == len(steps) - 1
        if last:
            return _kind_of(kind)
        inner = kind
        while isinstance(inner, mi.UnionType):
            inner = next(t for t in inner.types if isinstance(t, mi.StructType | mi.Metadata))
        if not isinstance(inner, mi.StructType):
            return None
        current = inner.cls
    return None


def importable_facts() -> list[str]:
    """Every fact a column can fill, in the order of the format's fields."""
    found: list[str] = []
    for name, record in RECORDS.items():
        for key, info in _fields(record).items():
            path = f"{name}.{key}"
            inner = info.type
            while isinstance(inner, mi.UnionType):
                structs = [t for t in inner.types if isinstance(t, mi.StructType)]
                inner = structs[0] if structs else inner.types[0]
            if isinstance(inner, mi.StructType):
                found.extend(f"{path}.{k}" for k in _fields(inner.cls) if fact_kind(f"{path}.{k}"))
            elif fact_kind(path) is not None:
                found.append(path)
    return found


def _strings(value: object, where: str, problems: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(f"{where} must be a string or a list of strings")
    return ()


def _check_formats(formats: tuple[str, ...], where: str, problems: list[str]) -> None:
    sample = datetime(2001, 2, 3)
    for pattern in formats:
        try:
            read_back = datetime.strptime(sample.strftime(pattern), pattern)
        except ValueError:
            read_back = None
        if read_back is None or read_back.date() != sample.date():
            problems.append(f"{where}: {pattern!r} is not a date format that names a whole day")


_RULE_KEYS: Final = {"fact", "values", "separator", "none", "date_formats"}


def parse_mapping(document: dict[str, Any], name: str = "mapping") -> ImportMapping:
    """A mapping from its decoded TOML; :class:`MappingError` lists every problem."""
    problems: list[str] = []
    unknown = set(document) - {"name", "columns", "constants", "date_formats"}
    if unknown:
        problems.append(f"unknown keys {', '.join(sorted(unknown))}")
    formats = _strings(document.get("date_formats", []), "date_formats", problems)
    _check_formats(formats, "date_formats", problems)
    columns = document.get("columns", {})
    if not isinstance(columns, dict) or not columns:
        problems.append('no [columns."…"] tables: a mapping names at least one column')
        columns = {}
    rules: list[ColumnRule] = []
    filled: dict[str, str] = {}
    for column, spec in columns.items():
        where = f"columns.{column!r}"
        if not isinstance(spec, dict):
            problems.append(f"{where} must be a table with a fact")
            continue
        for key in sorted(set(spec) - _RULE_KEYS):
            problems.append(f"{where}: unknown key {key!r}")
        fact = spec.get("fact")
        kind = fact_kind(fact) if isinstance(fact, str) else None
        if kind is None or not isinstance(fact, str):
            problems.append(
                f"{where}: {fact!r} is not a fact a column can fill "
                f"(one of {', '.join(importable_facts())})"
            )
            continue
        if fact in filled:
            problems.append(f"{where}: {fact} is already filled by column {filled[fact]!r}")
        filled[fact] = column
        values = spec.get("values", {})
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            problems.append(f"{where}.values must map cell values to strings")
            values = {}
        separator = spec.get("separator", ";")
        if not isinstance(separator, str) or not separator:
            problems.append(f"{where}.separator must be a non-empty string")
            separator = ";"
        own_formats = _strings(spec.get("date_formats", []), f"{where}.date_formats", problems)
        _check_formats(own_formats, f"{where}.date_formats", problems)
        rules.append(
            ColumnRule(
                column=column,
                fact=fact,
                kind=kind,
                values={str(k): v for k, v in values.items()},
                separator=separator,
                none_values=_strings(spec.get("none", []), f"{where}.none", problems),
                date_formats=own_formats or formats,
            )
        )
    constants = document.get("constants", {})
    if not isinstance(constants, dict):
        problems.append("[constants] must be a table of facts and values")
        constants = {}
    for fact in constants:
        if fact_kind(fact) is None:
            problems.append(f"constants: {fact!r} is not a fact a column can fill")
        elif fact in filled:
            problems.append(f"constants: {fact} is also filled by column {filled[fact]!r}")
    if rules and not any(r.fact in ("person.ref", "transfer.ref") for r in rules):
        problems.append("no column fills person.ref or transfer.ref: records are matched by ref")
    if problems:
        raise MappingError(problems)
    return ImportMapping(str(document.get("name", name)), tuple(rules), dict(constants))


def load_mapping(path: Path) -> ImportMapping:
    """Read a mapping file; :class:`MappingError` when it is no TOML or no valid mapping."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError([f"cannot read {path}: {error.strerror}"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError([f"{path} is not TOML: {error}"]) from None
    return parse_mapping(document, path.stem)

"""The catalog registry: every catalog version a screening can be made or shown under.

A catalog is a package beside ``catalog_2026_1``; it is registered by one line in
:data:`PACKAGES`, and nothing but this module imports a catalog package. The environment
variable ``THIRDCOUNTRY_CATALOG`` names the catalog new screenings are made under (default
:data:`DEFAULT`); a stored screening is always shown with the catalog it names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import import_module
from typing import Final, TypeAlias

from thirdcountry.rules.catalog import Catalog, Rule
from thirdcountry.rules.v2.catalog import CatalogV2

#: Every registered catalog: its version, and the package whose ``CATALOG`` it is.
PACKAGES: Final[Mapping[str, str]] = {
    "2026.1": "thirdcountry.rules.catalog_2026_1",
    "2026.2": "thirdcountry.rules.catalog_2026_2",
}
#: A catalog of either kind: one that screens the tables of scenario@1 facts the database
#: holds (:class:`Catalog`), or one that screens a scenario@2 world one transfer at a time.
AnyCatalog: TypeAlias = Catalog | CatalogV2

#: The catalog new screenings are made under when the environment names none.
DEFAULT: Final = "2026.1"
#: The environment variable that names the catalog new screenings are made under.
SETTING: Final = "THIRDCOUNTRY_CATALOG"


class UnknownCatalog(LookupError):
    """A catalog version that is not registered."""

    def __init__(self, version: str) -> None:
        self.version = version
        super().__init__(
            f"{version!r} is not a registered catalog version; registered: {', '.join(versions())}"
        )


def versions() -> tuple[str, ...]:
    """The registered catalog versions, oldest first."""
    return tuple(sorted(PACKAGES))


class NotTabular(UnknownCatalog):
    """A registered catalog that screens scenario@2 worlds, asked to screen the stored
    scenario@1 facts (which it cannot read yet)."""

    def __init__(self, version: str) -> None:
        self.version = version
        LookupError.__init__(
            self,
            f"catalog {version} screens scenario@2 facts (thirdcountry check); the records "
            f"stored here are screened under {', '.join(tabular_versions())}",
        )


def any_catalog(version: str) -> AnyCatalog:
    """The catalog of this version, of either kind; :class:`UnknownCatalog` if it is not
    registered."""
    package = PACKAGES.get(version)
    if package is None:
        raise UnknownCatalog(version)
    # Imported on first use: a catalog costs nothing until a screening needs it.
    found: AnyCatalog = import_module(package).CATALOG
    if found.version != version:
        raise ValueError(f"{package} holds catalog {found.version}, registered as {version}")
    return found


def tabular_versions() -> tuple[str, ...]:
    """The versions whose catalog screens the stored (scenario@1) facts."""
    return tuple(v for v in versions() if isinstance(any_catalog(v), Catalog))


def catalog(version: str) -> Catalog:
    """The catalog of this version that screens stored facts; :class:`UnknownCatalog` if it
    is not registered, :class:`NotTabular` if it screens scenario@2 worlds only."""
    found = any_catalog(version)
    if not isinstance(found, Catalog):
        raise NotTabular(version)
    return found


def find(version: str) -> Catalog | None:
    """The catalog of this version, or ``None`` if it is not registered (a stored screening
    under a catalog this installation no longer has)."""
    try:
        return catalog(version)
    except UnknownCatalog:
        return None


def find_any(version: str) -> AnyCatalog | None:
    """The catalog of this version, of either kind, or ``None`` if it is not registered."""
    try:
        return any_catalog(version)
    except UnknownCatalog:
        return None


def rule_ids(version: str) -> tuple[str, ...]:
    """The rule ids of a catalog of either kind in catalog order (what each letter of a
    stored screening's outcomes stands for); empty if it is not registered."""
    found = find_any(version)
    return () if found is None else found.ids


def is_tabular(version: str) -> bool:
    """Whether the catalog of this version screens the tables of scenario@1 facts."""
    return isinstance(find_any(version), Catalog)


def stored_rule(version: str, rule_id: str) -> Rule | None:
    """The rule behind a stored finding, from the catalog its screening was made under (not
    the current one, so an old verdict keeps its own titles and bases); ``None`` if that
    catalog is not registered or has no such rule."""
    found = find(version)
    if found is None:
        return None
    try:
        return found.rule(rule_id)
    except KeyError:
        return None


def current_version() -> str:
    """The version new screenings are made under: ``THIRDCOUNTRY_CATALOG``, else
    :data:`DEFAULT`; :class:`UnknownCatalog` if it names no registered catalog."""
    version = os.environ.get(SETTING) or DEFAULT
    if version not in PACKAGES:
        raise UnknownCatalog(version)
    return version


def current() -> Catalog:
    """The catalog new screenings are made under."""
    return catalog(current_version())


def resolve_any(chosen: str | None = None) -> AnyCatalog:
    """A catalog of either kind by version, or (``None``) the current one."""
    return any_catalog(current_version() if chosen is None else chosen)


def resolve(chosen: Catalog | str | None = None) -> Catalog:
    """A catalog given as itself, by version, or (``None``) the current one."""
    if chosen is None:
        return current()
    if isinstance(chosen, str):
        return catalog(chosen)
    return chosen

"""The catalog registry: catalogs by version, the current one named by one setting, engine
and command line taking a catalog, and every stored screening shown with its own catalog."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types
from dataclasses import replace
from pathlib import Path

import pytest
from django.test import Client

from api_support import ApiClient, clients, world
from thirdcountry import screen_file
from thirdcountry.accounts.services import create_user
from thirdcountry.cases.models import ScreeningRecord
from thirdcountry.cases.rescreening import rescreen
from thirdcountry.cases.services import screen_stored
from thirdcountry.oversight.statistics import compute_statistics
from thirdcountry.rules import catalogs
from thirdcountry.rules.catalog import Catalog
from thirdcountry.rules.engine import evaluate
from thirdcountry.rules.facts import build_facts
from thirdcountry.rules.sources import tables_from_scenario
from thirdcountry.scenario import load_scenario

__all__ = ["clients", "world"]

SOURCE = Path(__file__).resolve().parent.parent / "src" / "thirdcountry"
EARLIER = "1999.1"
#: The rule the earlier catalog knew under another id.
RENAMED = ("written-notice", "notice-in-writing")


def earlier_catalog() -> Catalog:
    """A catalog as an earlier version might have been: other titles and bases, one rule
    under another id."""
    rules = tuple(
        replace(
            rule,
            id=RENAMED[1] if rule.id == RENAMED[0] else rule.id,
            title=f"Earlier title {rule.number}",
            basis_parts=(f"earlier basis {rule.number}",),
        )
        for rule in catalogs.catalog("2026.1").rules
    )
    return Catalog(version=EARLIER, rules=rules)


@pytest.fixture
def earlier(monkeypatch: pytest.MonkeyPatch) -> Catalog:
    """The earlier catalog, registered as a package of its own would be."""
    module = types.ModuleType("earlier_catalog")
    module.CATALOG = earlier_catalog()
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(catalogs.PACKAGES, EARLIER, module.__name__)
    return module.CATALOG


# -- the registry ---------------------------------------------------------------------------


def test_the_registry_holds_each_catalog_under_its_version() -> None:
    assert "2026.1" in catalogs.versions()
    for version in catalogs.versions():
        assert catalogs.any_catalog(version).version == version
    assert catalogs.DEFAULT in catalogs.versions()


def test_an_unknown_version_is_refused_naming_the_registered_ones() -> None:
    with pytest.raises(catalogs.UnknownCatalog) as refused:
        catalogs.catalog("2030.9")
    assert "'2030.9' is not a registered catalog version" in str(refused.value)
    assert "2026.1" in str(refused.value)
    assert catalogs.find("2030.9") is None
    assert catalogs.stored_rule("2030.9", "third-country") is None
    assert catalogs.stored_rule("2026.1", "no-such-rule") is None


def test_one_setting_names_the_current_catalog(
    monkeypatch: pytest.MonkeyPatch, earlier: Catalog
) -> None:
    monkeypatch.delenv(catalogs.SETTING, raising=False)
    assert catalogs.current().version == catalogs.DEFAULT
    monkeypatch.setenv(catalogs.SETTING, EARLIER)
    assert catalogs.current() is earlier
    assert catalogs.resolve(None) is earlier
    assert catalogs.resolve("2026.1").version == "2026.1"
    assert catalogs.resolve(earlier) is earlier
    monkeypatch.setenv(catalogs.SETTING, "2030.9")
    with pytest.raises(catalogs.UnknownCatalog):
        catalogs.current()


def test_nothing_but_the_registry_imports_a_catalog_package() -> None:
    packages = [p.name for p in (SOURCE / "rules").iterdir() if p.name.startswith("catalog_")]
    assert packages, "no catalog package found"
    named = re.compile(rf"\b({'|'.join(packages)})\b")
    importers = set()
    for path in SOURCE.rglob("*.py"):
        inside = path.relative_to(SOURCE).parts
        if inside == ("rules", "catalogs.py") or inside[:2] in {("rules", p) for p in packages}:
            continue
        if named.search(path.read_text()):
            importers.add("/".join(inside))
    assert importers == set()


# -- the engine and the command line --------------------------------------------------------


def test_the_engine_screens_against_the_catalog_it_is_given(
    seed_world_path: Path, earlier: Catalog
) -> None:
    default = screen_file(seed_world_path)
    assert default.catalog.version == catalogs.current_version()
    by_version = screen_file(seed_world_path, catalog=EARLIER)
    assert by_version.catalog is earlier
    assert by_version.to_document()["catalog"] == EARLIER
    finding = by_version.verdict("T-106").finding(RENAMED[1])
    assert finding.basis == earlier.rule(RENAMED[1]).basis
    # the same logic under both: the same outcomes, rule for rule
    assert [v.verdict for v in by_version] == [v.verdict for v in default]
    scenario = load_scenario(seed_world_path)
    assert scenario.as_of is not None
    facts = build_facts(tables_from_scenario(scenario), scenario.as_of, scenario.parameters)
    assert RENAMED[1] in evaluate(facts, EARLIER).columns
    assert RENAMED[0] in evaluate(facts).columns
    with pytest.raises(catalogs.UnknownCatalog):
        evaluate(facts, "2030.9")


def thirdcountry(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run the real command with these environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "thirdcountry", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400", **environment},
    )


def test_the_commands_take_only_a_registered_catalog(seed_world_path: Path) -> None:
    listed = thirdcountry("rules", "--catalog", "2026.1")
    assert listed.returncode == 0, listed.stderr
    assert "Safeguard catalog 2026.1" in listed.stdout
    checked = thirdcountry("check", str(seed_world_path), "--catalog", "2026.1")
    assert checked.returncode == 0, checked.stderr
    assert '"catalog": "2026.1"' in checked.stdout
    for command in (["rules"], ["check", str(seed_world_path)]):
        refused = thirdcountry(*command, "--catalog", "2030.9")
        assert refused.returncode == 2
        assert refused.stdout == ""
        assert "--catalog: '2030.9' is not a registered catalog version" in refused.stderr
        assert "registered: 2026.1" in refused.stderr
    badly_set = thirdcountry("rules", THIRDCOUNTRY_CATALOG="2030.9")
    assert badly_set.returncode == 2
    assert "THIRDCOUNTRY_CATALOG: '2030.9' is not a registered" in badly_set.stderr


# -- stored screenings ----------------------------------------------------------------------


@pytest.fixture
def screened_under_both(
    world: None, earlier: Catalog, monkeypatch: pytest.MonkeyPatch
) -> tuple[ScreeningRecord, ScreeningRecord]:
    """T-106 screened under the earlier catalog, then again under the current one: its
    earlier and its latest stored screening."""
    monkeypatch.setenv(catalogs.SETTING, EARLIER)
    screen_stored()
    monkeypatch.delenv(catalogs.SETTING)
    old = ScreeningRecord.objects.filter(transfer__ref="T-106").latest("id")
    assert old.catalog == EARLIER
    screen_stored()
    new = ScreeningRecord.objects.filter(transfer__ref="T-106").latest("id")
    assert new.catalog == catalogs.current_version()
    return old, new


def test_a_stored_screening_is_shown_with_the_catalog_it_was_made_under(
    screened_under_both: tuple[ScreeningRecord, ScreeningRecord], clients: dict[str, ApiClient]
) -> None:
    old, new = screened_under_both
    current = catalogs.current()
    api = clients["caseworker"]
    then = api.get(f"screenings/{old.pk}").body
    assert then["catalog"] == EARLIER
    bases = {f["rule"]: f["basis"] for f in then["findings"]}
    assert bases[RENAMED[1]] == "earlier basis 9"
    assert bases["third-country"] == "earlier basis 1"
    now = api.get("transfers/T-106/verdict").body
    assert now["id"] == new.pk
    bases = {f["rule"]: f["basis"] for f in now["findings"]}
    assert bases[RENAMED[0]] == current.rule(RENAMED[0]).basis
    # the page shows the latest screening, with the current catalog's titles and bases
    client = Client()
    client.force_login(create_user("caseworker", "caseworker"))
    page = client.get("/transfers/T-106/").content.decode()
    written = page.split(f'data-rule="{RENAMED[0]}"')[1].split("</tr>")[0]
    assert current.rule(RENAMED[0]).title in written and "Earlier title" not in written


def test_the_page_of_an_earlier_verdict_keeps_its_own_titles_and_bases(
    world: None, earlier: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(catalogs.SETTING, EARLIER)
    screen_stored()
    monkeypatch.delenv(catalogs.SETTING)
    client = Client()
    client.force_login(create_user("caseworker", "caseworker"))
    page = client.get("/transfers/T-106/").content.decode()
    written = page.split(f'data-rule="{RENAMED[1]}"')[1].split("</tr>")[0]
    assert "Earlier title 9" in written and "earlier basis 9" in written
    assert catalogs.current().rule(RENAMED[0]).basis not in page


def test_statistics_count_rules_of_every_catalog_the_latest_screenings_were_made_under(
    world: None, earlier: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = compute_statistics().blocking_rules.filter(rule=RENAMED[0]).row(0, named=True)
    assert before["blocked"] >= 1
    monkeypatch.setenv(catalogs.SETTING, EARLIER)
    rescreen({"transfers": ["T-106"]})
    monkeypatch.delenv(catalogs.SETTING)
    rules = compute_statistics().blocking_rules
    assert rules.get_column("rule").to_list() == [*catalogs.current().ids, RENAMED[1]]
    renamed = rules.filter(rule=RENAMED[1]).row(0, named=True)
    current = rules.filter(rule=RENAMED[0]).row(0, named=True)
    # T-106's written-notice finding now counts under the earlier catalog's id
    assert renamed["blocked"] == 1
    assert current["blocked"] == before["blocked"] - 1


def test_the_scenario_reader_knows_the_shipped_catalog_data_rows() -> None:
    # The @2 reader (below the rules) refuses a scenario row that repeats a catalog row and
    # checks references to catalog legal bases; its keys must be those the catalog ships.
    from thirdcountry.scenario.v2 import CATALOG_2026_2_R1

    catalog = catalogs.any_catalog("2026.2")
    assert not isinstance(catalog, Catalog)
    data = catalog.data
    assert CATALOG_2026_2_R1.revision == data.catalog_data
    assert dict(CATALOG_2026_2_R1.legal_bases) == {b.code: b.sending for b in data.legal_bases}
    assert data.regime_ids == CATALOG_2026_2_R1.regime_ids

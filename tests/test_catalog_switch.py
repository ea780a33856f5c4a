"""Choosing the catalog: ``catalog use`` is a setting with its history, switching re-screens
every pending transfer as one run whose changes list each transfer's findings before and
after by their own catalog's rule ids, and every reader shows a stored screening with the
catalog it was made under."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.html import escape
from typer.testing import CliRunner

from thirdcountry.accounts.services import ensure_roles
from thirdcountry.accounts.tokens import create_token
from thirdcountry.cases.catalog_choice import use_catalog
from thirdcountry.cases.models import LatestScreening, ScreeningRecord, ScreeningRun, Transfer
from thirdcountry.cases.services import record_notice, screen_stored
from thirdcountry.cli.main import app
from thirdcountry.findings.render import translate
from thirdcountry.findings.render_v2 import RendererV2
from thirdcountry.findings.stored_v2 import decode_finding
from thirdcountry.oversight.findings import shown_changes, shown_findings
from thirdcountry.oversight.statistics import compute_statistics
from thirdcountry.records.load import load_scenario_records
from thirdcountry.records.scenario_v2 import screening_scenario_v2, stored_scenario_v2
from thirdcountry.registry.models import CatalogChoice
from thirdcountry.registry.selectors import current_catalog
from thirdcountry.rules import catalogs
from thirdcountry.rules.v2.catalog import CatalogV2
from thirdcountry.scenario import loads_scenario
from thirdcountry.scenario.model import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(seed_world_path: Path) -> None:
    load_scenario_records(loads_scenario(seed_world_path.read_bytes()))
    screen_stored()


def v2() -> CatalogV2:
    found = catalogs.any_catalog("2026.2")
    assert isinstance(found, CatalogV2)
    return found


def latest() -> dict[str, ScreeningRecord]:
    ids = LatestScreening.objects.values("screening_id")
    return {
        s.transfer.ref: s
        for s in ScreeningRecord.objects.filter(id__in=ids).select_related("transfer")
    }


def test_the_stored_seed_world_screened_under_2026_2_is_what_check_gives(
    world: None, seed_world_path: Path
) -> None:
    use_catalog("2026.2")
    checked = CliRunner().invoke(
        app, ["check", str(seed_world_path), "--catalog", "2026.2", "--format", "json"]
    )
    assert checked.exit_code == 0, checked.output
    document = json.loads(checked.stdout)
    stored = latest()
    assert sorted(stored) == sorted(r["transfer"] for r in document["results"])
    for result in document["results"]:
        screening = stored[result["transfer"]]
        assert screening.catalog == "2026.2"
        assert screening.verdict == result["verdict"]
        assert screening.facts_sha256 == result["facts_sha256"]
        shown = shown_findings("2026.2", screening.findings, personal=True, language="en")
        assert [
            {
                "rule": f.rule,
                "outcome": f.outcome,
                "reason": {"code": f.code, "params": f.params},
                "text": f.reason,
                "basis": f.basis,
            }
            for f in shown
        ] == result["findings"]


def test_switching_catalogs_is_one_run_whose_changes_show_both_catalogs(world: None) -> None:
    before = {ref: (s.catalog, s.findings) for ref, s in latest().items()}
    assert current_catalog() == "2026.1"
    run = use_catalog("2026.2", reason="the law as it stood")
    assert current_catalog() == "2026.2"
    assert CatalogChoice.history.latest("history_date").history_change_reason == (
        "the law as it stood"
    )
    assert (run.catalog, run.status, run.transfers_in_scope) == ("2026.2", "complete", 7)
    assert "2026.1 → 2026.2" in run.trigger
    changes = {c.transfer.ref: c for c in run.changes.select_related("transfer")}
    assert sorted(changes) == sorted(before)  # every pending transfer, transfer by transfer
    # T-105 was blocked by 2026.1's written-notice; 2026.2 blocks it by notice-language.
    shown = shown_changes(run.catalog, changes["T-105"].rules_changed, personal=True)
    old = [(c["rule"], c["before"]) for c in shown if c["catalog"] == "2026.1"]
    new = [(c["rule"], c["after"]) for c in shown if c["catalog"] == "2026.2"]
    assert ("written-notice", "blocked") in old
    assert ("notice-language", "blocked") in new
    assert all(c["after"] is None for c in shown if c["catalog"] == "2026.1")
    assert all(c["reason"] for c in shown)
    assert {s.catalog for s in latest().values()} == {"2026.2"}
    # Back to 2026.1: the same findings as before the switch, under a run of their own.
    back = use_catalog("2026.1")
    assert back.catalog == "2026.1" and back.changed == 7
    assert {ref: (s.catalog, s.findings) for ref, s in latest().items()} == before
    assert CatalogChoice.history.count() == 2


def test_an_unknown_catalog_is_refused_and_nothing_changes(world: None) -> None:
    with pytest.raises(catalogs.UnknownCatalog):
        use_catalog("2099.1")
    assert current_catalog() == "2026.1"
    answer = CliRunner().invoke(app, ["catalog", "use", "2099.1"])
    assert answer.exit_code == 2
    assert "unknown catalog" in answer.output


def test_a_saved_fact_rescreens_its_transfer_under_2026_2(world: None) -> None:
    use_catalog("2026.2")
    transfer = Transfer.objects.get(ref="T-105")
    run = record_notice(
        transfer, Notice(served=date(2025, 8, 20), language="es", names_destination=True)
    )
    assert run.catalog == "2026.2"
    screening = latest()["T-105"]
    assert screening.catalog == "2026.2" and screening.run_id == run.pk
    change = run.changes.get()
    # Compared within one catalog: rule by rule, the outcome before is known.
    assert all("catalog" not in c for c in change.rules_changed)
    assert {c["rule"] for c in change.rules_changed} >= {"notice-language"}


def test_a_transfers_screening_reads_only_what_it_needs(world: None) -> None:
    scenario = stored_scenario_v2()
    assert scenario.as_of is not None
    whole = v2().world(scenario, scenario.as_of)
    for ref in whole.transfers:
        if whole.transfers[ref].status != "proposed":
            continue
        part = v2().world(screening_scenario_v2([ref]), whole.day)
        assert v2().screen_transfer(part, part.transfers[ref]) == v2().screen_transfer(
            whole, whole.transfers[ref]
        )
        assert len(part.transfers) <= len(whole.transfers)


@pytest.fixture
def user(world: None, settings: Any) -> User:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    made = User.objects.create_user("reader")
    made.groups.add(ensure_roles()["legal_officer"])
    return made


def test_pages_and_the_api_show_each_screening_with_its_own_catalog(user: User) -> None:
    reader = Client()
    reader.force_login(user)
    token = create_token(user, "tests")[1]
    page = reader.get("/transfers/T-105/").content.decode()
    assert "written-notice" in page and "notice-language" not in page
    use_catalog("2026.2")
    page = reader.get("/transfers/T-105/").content.decode()
    assert "notice-language" in page and "2026.2" in page
    french = reader.get("/transfers/T-105/", headers={"accept-language": "fr"}).content.decode()
    title = translate(v2().rule("notice-language").title, "fr")
    assert title != v2().rule("notice-language").title and escape(title) in french
    verdict = reader.get(
        "/api/v1/transfers/T-105/verdict", headers={"authorization": f"Bearer {token}"}
    ).json()
    assert verdict["catalog"] == "2026.2"
    assert len(verdict["findings"]) == len(v2().rules)
    assert any(
        f["code"].startswith("notice-language.") and f["outcome"] == "blocked"
        for f in verdict["findings"]
    )
    screened = reader.post(
        "/api/v1/transfers/T-105/screen", headers={"authorization": f"Bearer {token}"}
    )
    assert screened.status_code == 200, screened.content[:300]
    assert screened.json()["catalog"] == "2026.2"
    run = ScreeningRun.objects.filter(catalog="2026.2", scope={"all": True}).latest("id")
    shown = reader.get(f"/runs/{run.pk}/").content.decode()
    assert "catalog 2026.1" in shown and "notice-language" in shown
    pdf = reader.get("/transfers/T-105/verdict.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    blocked = reader.get("/transfers/?blocking_rule=notice-language").content.decode()
    assert "T-105" in blocked
    frequencies = compute_statistics().blocking_rules
    assert "notice-language" in frequencies["rule"].to_list()
    # The history still shows the 2026.1 screening with 2026.1's rule ids.
    old = ScreeningRecord.objects.filter(transfer__ref="T-105", catalog="2026.1").latest("id")
    assert [f.rule for f in shown_findings("2026.1", old.findings, personal=True)] == list(
        catalogs.rule_ids("2026.1")
    )


def test_a_monitor_reads_2026_2_findings_without_personal_data(world: None) -> None:
    use_catalog("2026.2")
    persons = stored_scenario_v2().persons
    names = {name for p in persons for name in p.names}
    refs = {p.ref for p in persons}
    for screening in latest().values():
        for language in ("en", "fr"):
            shown = shown_findings("2026.2", screening.findings, personal=False, language=language)
            text = json.dumps([(f.params, f.reason, f.basis) for f in shown], ensure_ascii=False)
            assert not any(name in text for name in names)
            assert not any(f'"{ref}"' in text for ref in refs)


def test_a_2026_2_finding_whose_date_was_erased_still_reads(world: None) -> None:
    rule = v2().rule("planned-date")
    stored = 'past\x1f["[erased]"]'
    finding = decode_finding(v2(), rule, stored)
    assert finding.params == {"planned_date": "[erased]"}
    assert finding.reason.code == "planned-date.past"
    world_v2 = v2().world(stored_scenario_v2(), date(2025, 9, 1))
    assert "[erased]" in RendererV2(world_v2).text(finding)
    assert decode_finding(v2(), rule, 'past\x1f["2025-08-01"]').params == {
        "planned_date": date(2025, 8, 1)
    }

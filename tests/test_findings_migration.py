"""Screenings stored as sentences, before findings were data, migrate to codes and
parameters where a template of their rule reads the sentence, and are kept as legacy text
(shown as written) where none does."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from thirdcountry.oversight.findings import shown_findings
from thirdcountry.rules.catalogs import catalog

BEFORE = [("cases", "0012_execution_incident")]
AFTER = [("cases", "0013_findings_as_data")]


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.mark.django_db(transaction=True)
def test_sentences_become_codes_and_parameters_or_legacy_text() -> None:
    _migrate(BEFORE)
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    country = apps.get_model("registry", "Country")
    for code in ("US", "RW"):
        country.objects.get_or_create(code=code, defaults={"name": code})
    person = apps.get_model("cases", "Person").objects.create(ref="P-1")
    transfer = apps.get_model("cases", "Transfer").objects.create(
        ref="T-1",
        person=person,
        sending_id="US",
        destination_id="RW",
        planned_date=date(2025, 9, 20),
    )
    rules = catalog("2026.1").rules
    sentences = {
        "receiving-acceptance": ("pass", "the receiving state RW accepted this person"),
        "arrangement-in-force": (
            "blocked",
            "arrangement GB-RW-2022 is terminated on 2025-09-01 (since 2024-07-06)",
        ),
    }
    findings = [
        {"rule": r.id, "outcome": sentences.get(r.id, ("pass", "an old sentence"))[0],
         "reason": sentences.get(r.id, ("pass", "an old sentence"))[1]}
        for r in rules
    ]  # fmt: skip
    screening = apps.get_model("cases", "ScreeningRecord").objects.create(
        transfer=transfer,
        as_of=date(2025, 9, 1),
        catalog="2026.1",
        verdict="blocked",
        facts_sha256="0" * 64,
        findings=findings,
        outcomes="".join("b" if f["outcome"] == "blocked" else "p" for f in findings),
    )
    apps.get_model("cases", "LatestScreening").objects.create(
        transfer=transfer,
        screening=screening,
        verdict="blocked",
        catalog="2026.1",
        outcomes=screening.outcomes,
        finding_digests="",
    )
    try:
        _migrate(AFTER)
        after = MigrationExecutor(connection).loader.project_state(AFTER).apps
        stored = after.get_model("cases", "ScreeningRecord").objects.get(pk=screening.pk)
        found = shown_findings("2026.1", stored.findings, personal=True, language="en")
        shown = {f.rule: f for f in found}
        accepted = shown["receiving-acceptance"]
        assert accepted.code == "receiving-acceptance.accepted"
        assert accepted.params == {"destination": "RW"}
        assert accepted.reason == "the receiving state Rwanda accepted this person"
        kept = shown["arrangement-in-force"]
        assert (kept.code, kept.outcome) == (None, "blocked")
        assert kept.reason == sentences["arrangement-in-force"][1]
        latest = after.get_model("cases", "LatestScreening").objects.get(transfer_id=transfer.pk)
        assert latest.findings == stored.findings
    finally:
        # Back to every app's latest migration (those after AFTER were unapplied too).
        _migrate(BEFORE)
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())

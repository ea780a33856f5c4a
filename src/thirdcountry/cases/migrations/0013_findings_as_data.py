"""Findings are stored as data: a reason code and parameters per rule, never a sentence.

Each stored screening's sentences are read back into codes and parameters where a template
of its rule matches the sentence; a sentence no template matches is kept, marked as legacy
text, and shown as it was written. The latest screening of each transfer keeps a copy of its
findings (what the next run compares against) instead of per-rule digests. Reversed, the
findings are rendered back into English sentences.
"""

import json

from django.db import migrations, models

BATCH = 2_000


def _rule_of(catalog, rule_id):
    try:
        return catalog.rule(rule_id)
    except KeyError:
        return None


def _catalog(version):
    from thirdcountry.rules import catalogs

    try:
        return catalogs.catalog(version)
    except catalogs.UnknownCatalog:
        return None


def _stored_part(catalog, finding):
    from thirdcountry.findings import encode_legacy, recover

    rule = _rule_of(catalog, finding["rule"]) if catalog is not None else None
    if rule is None:
        return encode_legacy(finding["outcome"], finding["reason"])
    return recover(rule, finding["outcome"], finding["reason"])


def to_codes(apps, schema_editor):
    from thirdcountry.findings import join_parts

    Screening = apps.get_model("cases", "ScreeningRecord")
    Latest = apps.get_model("cases", "LatestScreening")
    RunChange = apps.get_model("cases", "RunChange")
    last = 0
    while True:
        batch = list(Screening.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        for screening in batch:
            catalog = _catalog(screening.catalog)
            findings = json.loads(screening.findings) if screening.findings else []
            screening.findings = join_parts([_stored_part(catalog, f) for f in findings])
        Screening.objects.bulk_update(batch, ["findings"])
        last = batch[-1].pk
    for latest in Latest.objects.all().iterator():
        Latest.objects.filter(pk=latest.pk).update(
            findings=Screening.objects.get(pk=latest.screening_id).findings
        )
    for change in RunChange.objects.all().iterator():
        catalog = _catalog(change.run.catalog)
        entries = []
        for entry in change.rules_changed:
            finding = {
                "rule": entry["rule"],
                "outcome": entry["after"],
                "reason": entry.pop("reason", ""),
            }
            part = _stored_part(catalog, finding)
            entries.append({**entry, "finding": part})
        RunChange.objects.filter(pk=change.pk).update(rules_changed=entries)


def to_sentences(apps, schema_editor):
    from thirdcountry.findings import Renderer, decode, split_parts

    Screening = apps.get_model("cases", "ScreeningRecord")
    RunChange = apps.get_model("cases", "RunChange")
    renderers = {}

    def renderer(version):
        if version not in renderers:
            catalog = _catalog(version)
            renderers[version] = None if catalog is None else Renderer(catalog)
        return renderers[version]

    for screening in Screening.objects.all().iterator():
        shown = renderer(screening.catalog)
        if shown is None:
            continue
        parts = split_parts(screening.findings)
        reasons = shown.reasons(parts)
        decoded = decode(shown.catalog, screening.findings)
        findings = [
            {"rule": d.rule, "outcome": d.outcome, "reason": reason}
            for d, reason in zip(decoded, reasons)
        ]
        Screening.objects.filter(pk=screening.pk).update(findings=json.dumps(findings))
    for change in RunChange.objects.all().iterator():
        shown = renderer(change.run.catalog)
        entries = []
        for entry in change.rules_changed:
            part = entry.pop("finding", "")
            reason = part
            if shown is not None and part:
                reason = shown.reason_of(shown.catalog.rule(entry["rule"]), part)
            entries.append({**entry, "reason": reason})
        RunChange.objects.filter(pk=change.pk).update(rules_changed=entries)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0012_execution_incident"),
    ]

    operations = [
        migrations.AddField(
            model_name="latestscreening",
            name="findings",
            field=models.TextField(default=""),
        ),
        migrations.AlterField(
            model_name="screeningrecord",
            name="findings",
            field=models.TextField(),
        ),
        migrations.RunPython(to_codes, to_sentences),
        # With a default, so that migrating back can add the column to existing rows.
        migrations.AlterField(
            model_name="latestscreening",
            name="finding_digests",
            field=models.TextField(default=""),
        ),
        migrations.RemoveField(
            model_name="latestscreening",
            name="finding_digests",
        ),
        migrations.RemoveField(
            model_name="screeningrecord",
            name="finding_digests",
        ),
    ]

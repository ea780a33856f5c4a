"""Start the audit trail with what the database already holds: one ``baseline`` entry per
model of the audited apps, with a digest of each of its records (the reference tables of
countries, languages and currencies; on an existing installation, every case record)."""

from django.db import migrations
from django.utils import timezone

AUDITED_APPS = ("registry", "cases")


def baseline(apps, schema_editor):
    from thirdcountry.oversight import audit

    head_model = apps.get_model("oversight", "AuditHead")
    entry_model = apps.get_model("oversight", "AuditEntry")
    item_model = apps.get_model("oversight", "AuditItem")
    head, _ = head_model.objects.get_or_create(pk=1)
    for app_label in AUDITED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue
            label = f"{app_label}.{model._meta.model_name}"
            fields = [f.attname for f in model._meta.concrete_fields]
            items = [
                {
                    "model": label,
                    "object_id": str(row[model._meta.pk.attname]),
                    "history_id": None,
                    "before": None,
                    "after": audit.digest_of(model, row, fields),
                }
                for row in model._base_manager.order_by("pk").values(*fields).iterator()
            ]
            if not items:
                continue
            entry = entry_model(
                seq=head.seq + 1,
                at=timezone.now(),
                actor="",
                action="baseline",
                model=label,
                reason="records present when the audit trail began",
                detail={"fields": {label: fields}},
                item_count=len(items),
                items_sha256=audit.items_sha256(items),
                prev_hash=head.hash,
            )
            entry.hash = audit.entry_hash(
                audit.entry_payload(
                    seq=entry.seq,
                    at=audit.timestamp(entry.at),
                    actor=entry.actor,
                    action=entry.action,
                    model=entry.model,
                    reason=entry.reason,
                    detail=entry.detail,
                    item_count=entry.item_count,
                    items_sha256=entry.items_sha256,
                    prev_hash=entry.prev_hash,
                )
            )
            entry.save()
            item_model.objects.bulk_create(
                [item_model(entry=entry, position=i, **item) for i, item in enumerate(items)],
                batch_size=5000,
            )
            head.seq, head.hash = entry.seq, entry.hash
            head.save()


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("registry", "0002_reference_codes"),
        ("cases", "0002_initial"),
    ]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]

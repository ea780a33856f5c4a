"""Widen the audit trail to who may do what and to history: one ``baseline`` entry for the
accounts, roles, memberships, permissions and API tokens already stored, and one per
historical table for the historical records no entry holds yet (those written before the
trail began). From here on their every write is logged, and verification checks them."""

from django.db import migrations
from django.utils import timezone

ACCOUNT_MODELS = (
    ("auth", "User", None),
    ("auth", "Group", None),
    ("auth", "User", "groups"),
    ("auth", "User", "user_permissions"),
    ("auth", "Group", "permissions"),
    ("accounts", "ApiToken", None),
)
HISTORY_APPS = ("registry", "cases")


def _append(apps, label, fields_label, fields, items):
    from thirdcountry.oversight import audit

    if not items:
        return
    head_model = apps.get_model("oversight", "AuditHead")
    entry_model = apps.get_model("oversight", "AuditEntry")
    item_model = apps.get_model("oversight", "AuditItem")
    head, _ = head_model.objects.get_or_create(pk=1)
    entry = entry_model(
        seq=head.seq + 1,
        at=timezone.now(),
        actor="",
        action="baseline",
        model=label,
        reason="records present when the audit trail began to cover them",
        detail={"fields": {fields_label: fields}},
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


def baseline(apps, schema_editor):
    from thirdcountry.oversight import audit

    for app_label, name, relation in ACCOUNT_MODELS:
        model = apps.get_model(app_label, name)
        if relation is not None:
            model = model._meta.get_field(relation).remote_field.through
        label = model._meta.label_lower
        fields = audit.record_fields(model)
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
        _append(apps, label, label, fields, items)
    item_model = apps.get_model("oversight", "AuditItem")
    for app_label in HISTORY_APPS:
        for history in apps.get_app_config(app_label).get_models():
            name = history._meta.model_name
            if not name.startswith("historical"):
                continue
            model = apps.get_model(app_label, name[len("historical") :])
            label = model._meta.label_lower
            own = history._meta.label_lower
            fields = audit.record_fields(model)
            logged = item_model.objects.filter(model=label, history_id__isnull=False)
            rows = (
                history._base_manager.exclude(history_id__in=logged.values("history_id"))
                .order_by("history_id")
                .values(*fields, "history_id")
            )
            items = [
                {
                    "model": own,
                    "object_id": str(row["history_id"]),
                    "history_id": None,
                    "before": None,
                    "after": audit.digest_of(model, row, fields),
                }
                for row in rows.iterator()
            ]
            _append(apps, own, own, fields, items)


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0002_baseline"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cases", "0011_erasure"),
        ("registry", "0002_reference_codes"),
    ]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]

"""No permission to settle a review verdict: no feature ever used it. Its row is deleted
too, so no role keeps a permission that names nothing."""

from django.db import migrations


def delete_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="cases", codename="settle_review"
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('cases', '0007_fewer_indexes_on_run_tables'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='transfer',
            options={'ordering': ['ref'], 'permissions': [('record_notice', 'Can record written notice served'), ('record_acceptance', "Can record the receiving state's acceptance")]},
        ),
        migrations.RunPython(delete_permission, migrations.RunPython.noop),
    ]

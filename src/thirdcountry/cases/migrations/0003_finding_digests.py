from django.db import migrations, models


class Migration(migrations.Migration):
    """Screenings keep their outcomes and a digest per finding, so a run can tell which
    findings changed without reading them; the whole-findings hash goes."""

    dependencies = [("cases", "0002_initial")]

    operations = [
        migrations.RemoveField("screening", "findings_sha256"),
        migrations.AddField(
            model_name="screening",
            name="outcomes",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AddField(
            model_name="screening",
            name="finding_digests",
            field=models.TextField(default=""),
        ),
    ]

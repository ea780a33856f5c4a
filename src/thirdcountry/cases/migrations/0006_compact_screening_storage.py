"""Screenings and run changes stored for bulk writes: findings and changed rules as compact
JSON text (not ``jsonb``), no database constraints on the derived latest-screening table or
on the run of a screening or change, and no second index on a screening's transfer (the
index ``screening_latest`` starts with it). On PostgreSQL the JSON text is compressed with
LZ4 where the server has it: a run writes hundreds of megabytes of findings, and the
default compression (pglz) takes about twice as long."""

import django.db.models.deletion
from django.db import DatabaseError, migrations, models, transaction

import thirdcountry.cases.models

COMPRESSED = (("cases_screening", "findings"), ("cases_runchange", "rules_changed"))


def compress_with_lz4(apps, schema_editor):
    """LZ4 for the large JSON columns, when PostgreSQL was built with it (else pglz stays)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    quote = connection.ops.quote_name
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for table, column in COMPRESSED:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column)} "
                    "SET COMPRESSION lz4"
                )
    except DatabaseError:
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_person_name_search"),
    ]

    operations = [
        migrations.AlterField(
            model_name="screening",
            name="findings",
            field=thirdcountry.cases.models.CompactJSONField(),
        ),
        migrations.AlterField(
            model_name="runchange",
            name="rules_changed",
            field=thirdcountry.cases.models.CompactJSONField(),
        ),
        migrations.AlterField(
            model_name="screening",
            name="transfer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="screenings",
                to="cases.transfer",
            ),
        ),
        migrations.AlterField(
            model_name="screening",
            name="run",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cases.screeningrun",
            ),
        ),
        migrations.AlterField(
            model_name="runchange",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="changes",
                to="cases.screeningrun",
            ),
        ),
        migrations.AlterField(
            model_name="latestscreening",
            name="transfer",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="latest_screening",
                serialize=False,
                to="cases.transfer",
            ),
        ),
        migrations.AlterField(
            model_name="latestscreening",
            name="screening",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.screening",
            ),
        ),
        migrations.RunPython(compress_with_lz4, migrations.RunPython.noop, elidable=True),
    ]

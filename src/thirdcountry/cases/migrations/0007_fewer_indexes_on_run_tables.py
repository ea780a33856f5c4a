"""Fewer indexes and checks for a run to keep up: no index on a latest screening's
screening, none on a change's run (the unique (run, transfer) constraint serves it), and no
database constraint on a change's transfer."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_compact_screening_storage'),
    ]

    operations = [
        migrations.AlterField(
            model_name='latestscreening',
            name='screening',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.screening'),
        ),
        migrations.AlterField(
            model_name='runchange',
            name='run',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='cases.screeningrun'),
        ),
        migrations.AlterField(
            model_name='runchange',
            name='transfer',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.transfer'),
        ),
    ]

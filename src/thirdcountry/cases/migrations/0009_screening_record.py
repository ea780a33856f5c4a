"""The stored screening's model is named ScreeningRecord (``thirdcountry.Screening`` is the
in-memory result). Its table, permissions and displayed name stay as they were, so no row
moves: the table is named explicitly first, then the model is renamed."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_no_settle_review_permission'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='screening',
            table='cases_screening',
        ),
        migrations.AlterModelOptions(
            name='screening',
            options={
                'default_permissions': (),
                'ordering': ['transfer', '-id'],
                'permissions': [
                    ('add_screening', 'Can add screening'),
                    ('change_screening', 'Can change screening'),
                    ('delete_screening', 'Can delete screening'),
                    ('view_screening', 'Can view screening'),
                ],
                'verbose_name': 'screening',
            },
        ),
        migrations.RenameModel(
            old_name='Screening',
            new_name='ScreeningRecord',
        ),
    ]

"""Fill the reference tables from the ISO lists that pycountry ships."""

import pycountry
from django.db import migrations


def fill(apps, schema_editor):
    Country = apps.get_model("registry", "Country")
    Language = apps.get_model("registry", "Language")
    Currency = apps.get_model("registry", "Currency")
    Country.objects.bulk_create(
        [Country(code=c.alpha_2, name=c.name[:100]) for c in pycountry.countries],
        ignore_conflicts=True,
    )
    languages = {}
    for language in pycountry.languages:
        languages[language.alpha_3] = Language(
            code=language.alpha_3, iso639_3=language.alpha_3, name=language.name[:150]
        )
        alpha_2 = getattr(language, "alpha_2", None)
        if alpha_2:
            languages[alpha_2] = Language(
                code=alpha_2, iso639_3=language.alpha_3, name=language.name[:150]
            )
    Language.objects.bulk_create(languages.values(), ignore_conflicts=True, batch_size=2000)
    Currency.objects.bulk_create(
        [Currency(code=c.alpha_3, name=c.name[:100]) for c in pycountry.currencies],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

from django.db import migrations


def load(apps, schema_editor):
    from ankommen.finance.published import load_published_rules

    load_published_rules(apps.get_model("finance", "ReimbursementRule"))


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

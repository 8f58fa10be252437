"""The 督办单's counters move into the shared counter (series "order"), their last numbers unchanged."""

from django.db import migrations

SERIES = "order"


def move(apps, schema_editor):
    OrderCounter = apps.get_model("orders", "OrderCounter")
    Counter = apps.get_model("numbering", "Counter")
    Counter.objects.bulk_create([Counter(series=SERIES, issuer_org_id=c.issuer_org_id, year=c.year, last=c.last)
                                 for c in OrderCounter.objects.all()])


def back(apps, schema_editor):
    OrderCounter = apps.get_model("orders", "OrderCounter")
    Counter = apps.get_model("numbering", "Counter")
    OrderCounter.objects.bulk_create([OrderCounter(issuer_org_id=c.issuer_org_id, year=c.year, last=c.last)
                                      for c in Counter.objects.filter(series=SERIES)])
    Counter.objects.filter(series=SERIES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("numbering", "0001_initial"),
        ("orders", "0001_supervision_orders"),
    ]

    operations = [migrations.RunPython(move, back)]

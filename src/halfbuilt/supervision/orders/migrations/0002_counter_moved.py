"""The 文号 counter now lives in the shared `numbering` app (its rows moved there first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_supervision_orders"),
        ("numbering", "0002_order_counters"),
    ]

    operations = [migrations.DeleteModel(name="OrderCounter")]

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("series", models.CharField(max_length=20)),
                ("year", models.PositiveIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
                ("issuer_org", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                 to="accounts.organization")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("series", "issuer_org", "year"),
                                                        name="numbering_counter_unique")],
            },
        ),
    ]

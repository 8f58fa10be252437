"""Each light keeps its project's created_at, so the list filtered by colour walks the light's index newest first
(docs/lights.md); existing lights take it from their projects."""

from django.db import migrations, models

COPY = ("UPDATE lights_light SET project_created_at = "
        "(SELECT p.created_at FROM ledger_project p WHERE p.id = lights_light.project_id)")


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0014_newest_index'),
        ('lights', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='light',
            name='light_colour_project',
        ),
        migrations.AddField(
            model_name='light',
            name='project_created_at',
            field=models.DateTimeField(null=True, verbose_name='项目创建时间'),
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='light',
            index=models.Index(fields=['colour', 'project_created_at', 'project'], name='light_colour_newest'),
        ),
    ]

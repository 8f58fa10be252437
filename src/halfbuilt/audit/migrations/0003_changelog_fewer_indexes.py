# Fewer change-log indexes: an import writes one log row per project, and these served no query.
# Kept: at (date search, retention purge), action (plain, for the search filter), (object_type, object_id),
# (project_id, at). Dropped: user_id, batch and batch_like, action_like (nothing filters or LIKEs on them).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_text_object_id'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='changelog',
            name='action',
            field=models.CharField(max_length=32, verbose_name='操作'),
        ),
        migrations.AlterField(
            model_name='changelog',
            name='batch',
            field=models.CharField(blank=True, max_length=36, verbose_name='批次'),
        ),
        migrations.AlterField(
            model_name='changelog',
            name='user',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='changelog',
            index=models.Index(fields=['action'], name='changelog_action'),
        ),
    ]

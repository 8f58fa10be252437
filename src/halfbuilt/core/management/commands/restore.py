"""`halfbuilt restore PATH --yes` replaces the database and the attachments by an archive's (stop the site and the
worker first), then checks every table's rows against the archive's manifest. Exit 0 when restored, 1 when the
archive is damaged or the check fails, 2 on usage errors (no such file, another database engine, no --yes)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.core import backup

from .backup import describe


class Command(BaseCommand):
    help = gettext_lazy("从备份恢复数据库和附件（覆盖当前数据；先停止网站和后台任务）")

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext_lazy("备份文件（.tar）"))
        parser.add_argument("--yes", action="store_true", help=gettext_lazy("确认覆盖当前的数据库和附件"))

    def handle(self, *args, path: str, yes: bool, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(_("找不到备份文件 {path}").format(path=source), returncode=2)
        if not yes:
            raise CommandError(_("恢复会覆盖当前的数据库和附件：确认请加 --yes"), returncode=2)
        try:
            summary = backup.restore(source)
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=2 if isinstance(error, backup.UsageError) else 1) from None
        self.stdout.write(_("已从 {path} 恢复：{summary}").format(path=source, summary=describe(summary)))

"""`halfbuilt backup PATH` writes the database and the attachments to one archive and verifies it;
`halfbuilt backup --check PATH` verifies an existing archive. Exit 0 when done, 1 when the archive is damaged,
2 on usage errors (a file already there, no such folder)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.core import backup


def describe(summary: backup.Summary) -> str:
    return _("{engine} 数据库，{tables} 张表共 {rows} 行，附件 {files} 个，备份于 {at}").format(
        engine=summary.engine, tables=summary.tables, rows=summary.rows, files=summary.files,
        at=summary.created_at)


class Command(BaseCommand):
    help = gettext_lazy("备份数据库和附件到一个归档文件（--check：只校验已有的备份）")

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext_lazy("备份文件（.tar）"))
        parser.add_argument("--check", action="store_true", help=gettext_lazy("只校验已有的备份文件，不写入"))

    def handle(self, *args, path: str, check: bool, **options):
        target = Path(path)
        try:
            if check:
                summary = backup.check(target)
                self.stdout.write(_("备份完好：{summary}").format(summary=describe(summary)))
                return
            backup.backup(target)
            summary = backup.check(target)
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=2 if isinstance(error, backup.UsageError) else 1) from None
        self.stdout.write(_("已备份到 {path}：{summary}").format(path=target, summary=describe(summary)))

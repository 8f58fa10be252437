from django.core.management import BaseCommand
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.audit.tasks import cutoff, purge_expired, retention_days

LABELS = {
    "changelog": gettext_lazy("变更日志"), "signin": gettext_lazy("登录日志"), "axes_log": gettext_lazy("登录访问记录"),
    "axes_failure": gettext_lazy("登录失败记录"), "axes_attempt": gettext_lazy("登录失败计数"),
}


class Command(BaseCommand):
    help = gettext_lazy("删除超过保留期（HALFBUILT_AUDIT_RETENTION_DAYS，至少 190 天）的变更日志和登录日志")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help=_("只统计，不删除"))

    def handle(self, *args, dry_run: bool, **options) -> None:
        counts = purge_expired(dry_run=dry_run)
        verb = _("将删除") if dry_run else _("已删除")
        details = "，".join(_("{what} {count} 条").format(what=LABELS[k], count=n) for k, n in counts.items())
        self.stdout.write(_("保留期 {days} 天，{verb} {cutoff} 之前的记录：{details}").format(
            days=retention_days(), verb=verb, cutoff=f"{localtime(cutoff()):%Y-%m-%d %H:%M}", details=details))

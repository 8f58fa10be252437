from django.core.management import BaseCommand
from django.utils.timezone import localtime

from halfbuilt.audit.tasks import cutoff, purge_expired, retention_days

LABELS = {
    "changelog": "变更日志", "signin": "登录日志", "axes_log": "登录访问记录", "axes_failure": "登录失败记录",
    "axes_attempt": "登录失败计数",
}


class Command(BaseCommand):
    help = "删除超过保留期（HALFBUILT_AUDIT_RETENTION_DAYS，至少 190 天）的变更日志和登录日志"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, dry_run: bool, **options) -> None:
        counts = purge_expired(dry_run=dry_run)
        verb = "将删除" if dry_run else "已删除"
        details = "，".join(f"{LABELS[k]} {n} 条" for k, n in counts.items())
        self.stdout.write(
            f"保留期 {retention_days()} 天，{verb} {localtime(cutoff()):%Y-%m-%d %H:%M} 之前的记录：{details}"
        )

"""`halfbuilt audit verify [--since YYYY-MM-DD]`: walk the change log's tamper-evident chain and name the first
entry changed, deleted or inserted (exit 1), or say it is intact (exit 0). `halfbuilt audit seal` seals the
entries not sealed yet (the worker does it each minute)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.audit import chain
from halfbuilt.audit.models import ChangeLog


class Command(BaseCommand):
    help = gettext_lazy("变更日志防篡改校验（verify）与封存（seal）")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify,seal}")
        verify = sub.add_parser("verify", help=_("校验变更日志链，指出第一条被改动、删除或插入的记录"))
        verify.add_argument("--since", help=_("只校验该日期（YYYY-MM-DD）以来的记录"))
        sub.add_parser("seal", help=_("封存尚未封存的记录"))

    def handle(self, *args, action: str, **options):
        if action == "seal":
            self.stdout.write(_("已封存 {count} 条记录").format(count=chain.seal()))
            return
        since = None
        if options.get("since"):
            try:
                day = dt.date.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(_("--since 应为日期，如 2026-11-30"), returncode=2) from None
            since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        finding = chain.verify(since=since)
        if finding is not None:
            raise CommandError(_("校验未通过：{message}").format(message=finding.message), returncode=1)
        sealed = ChangeLog.objects.filter(seq__isnull=False).count()
        self.stdout.write(_("变更日志完整（链上共 {count} 条记录）").format(count=sealed))

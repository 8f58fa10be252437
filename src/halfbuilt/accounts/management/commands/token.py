"""`halfbuilt token USERNAME`: issue an API token for a user and print it (only the token, one line).

Only the token's hash is stored, so this is the one time it can be read; the issue is logged.
`--list` shows the user's tokens by their first 8 characters; `--revoke PREFIX` (or `all`) withdraws them,
logged too.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts import services
from halfbuilt.core.request_context import Actor


class Command(BaseCommand):
    help = gettext_lazy("为用户签发一个 API 令牌，并在标准输出打印（仅此一次可见）")

    def add_arguments(self, parser):
        parser.add_argument("username", help=_("用户名"))
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--list", action="store_true", help=_("列出该用户的令牌（前 8 位、签发时间、最近使用）"))
        action.add_argument("--revoke", metavar="PREFIX", help=_("吊销前 8 位为 PREFIX 的令牌；all 吊销该用户全部令牌"))

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if options["list"] or options["revoke"]:
            if user is None:
                self.stderr.write(_("用户“{username}”不存在").format(username=username))
                sys.exit(1)
            return self._list(user) if options["list"] else self._revoke(user, options["revoke"])
        if user is None or not user.is_active:
            reason = _("不存在") if user is None else _("已停用")
            self.stderr.write(_("用户“{username}”{reason}，未签发令牌").format(username=username, reason=reason))
            sys.exit(1)
        key = services.issue_token(actor=Actor(user=None, via="cli"), user=user)
        self.stdout.write(key)

    def _list(self, user) -> None:
        for token in user.api_tokens.order_by("created_at"):
            used = _local(token.last_used_at) if token.last_used_at else _("从未使用")
            self.stdout.write(_("{prefix}  签发于 {created}  最近使用 {used}").format(
                prefix=token.prefix, created=_local(token.created_at), used=used))

    def _revoke(self, user, prefix: str) -> None:
        revoked = services.revoke_tokens(actor=Actor(user=None, via="cli"), user=user, prefix=prefix)
        if not revoked:
            self.stderr.write(_("用户“{username}”没有前 8 位为“{prefix}”的令牌").format(
                username=user.get_username(), prefix=prefix))
            sys.exit(1)
        self.stderr.write(_("已吊销 {count} 个令牌").format(count=revoked))


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

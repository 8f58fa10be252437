"""`halfbuilt token USERNAME`: issue an API token for a user and print it (only the token, one line).

Only the token's hash is stored, so this is the one time it can be read; the issue is logged.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from halfbuilt.accounts.models import ApiToken
from halfbuilt.audit.services import record_change
from halfbuilt.core.request_context import Actor


class Command(BaseCommand):
    help = "为用户签发一个 API 令牌，并在标准输出打印（仅此一次可见）"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active:
            reason = "不存在" if user is None else "已停用"
            self.stderr.write(f"用户“{username}”{reason}，未签发令牌")
            sys.exit(1)
        with transaction.atomic():
            key = ApiToken.issue(user)
            token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
            record_change(
                actor=Actor(user=None, via="cli"), action="issue_token", obj=token, before=None,
                after={"user": user.get_username(), "prefix": token.prefix},
            )
        self.stdout.write(key)

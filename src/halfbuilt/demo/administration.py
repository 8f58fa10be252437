"""The administrators' demo work, through their services: an account opened for the demo unit's clerk, who has
not signed in yet (须修改密码), and the security policy saved by the security administrator with two-factor sign-in
required of nobody (a deployment requires it of the office and the administrators: a visitor trying the demo has no
authenticator at hand; they can require it in 安全策略 and try it). Their entries are what the auditor's
"系统管理操作" finds."""

from __future__ import annotations

from django.utils import timezone

from halfbuilt.accounts.models import Organization, Role, User
from halfbuilt.administration import services
from halfbuilt.administration.models import SecurityPolicy
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.request_context import Actor

from .accounts import UNIT_NAME, UNIT_REGION, VIA
from .clock import Clock

CLERK = "demo_clerk"


def build() -> int:
    """Idempotent: an account or a policy already there is left as it is. Returns how many accounts were opened."""
    # Like every step of the demo's story, these happened before today: the policy two days ago, the account
    # yesterday morning; their stamps move there.
    clock = Clock(timezone.now())
    if not SecurityPolicy.objects.exists():
        row = services.update_policy(actor=Actor(User.objects.get(username="demo_secadmin"), via=VIA),
                                     two_factor_roles=[])
        ChangeLog.objects.filter(action="policy_update", object_id=str(row.pk)).update(at=clock.at(clock.day(2), 9))
    if User.objects.filter(username=CLERK).exists():
        return 0
    unit = Organization.objects.get(name=UNIT_NAME, region_id=UNIT_REGION)
    clerk, _password = services.create_user(
        actor=Actor(User.objects.get(username="demo_sysadmin"), via=VIA), username=CLERK, full_name="王晓明",
        phone="13900000000", assignments=[(Role.UNIT, unit)])
    ChangeLog.objects.filter(action="user_create", object_id=str(clerk.pk)).update(at=clock.at(clock.day(1), 9))
    return 1

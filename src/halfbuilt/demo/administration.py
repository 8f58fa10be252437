"""The system administrator's demo work, through its services: an account opened for the demo unit's clerk, who
has not signed in yet (须修改密码). Its entry is what the auditor's "系统管理操作" finds. (The security policy is
left unsaved: the deployment's settings stay in force.)"""

from __future__ import annotations

from django.utils import timezone

from halfbuilt.accounts.models import Organization, Role, User
from halfbuilt.administration import services
from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.request_context import Actor

from .accounts import UNIT_NAME, UNIT_REGION, VIA
from .clock import Clock

CLERK = "demo_clerk"


def build() -> int:
    """Idempotent: an account already there is left as it is. Returns how many accounts were opened."""
    if User.objects.filter(username=CLERK).exists():
        return 0
    unit = Organization.objects.get(name=UNIT_NAME, region_id=UNIT_REGION)
    clerk, _password = services.create_user(
        actor=Actor(User.objects.get(username="demo_sysadmin"), via=VIA), username=CLERK, full_name="王晓明",
        phone="13900000000", assignments=[(Role.UNIT, unit)])
    # Like every step of the demo's story, it happened before today (yesterday morning): its stamp moves there.
    clock = Clock(timezone.now())
    ChangeLog.objects.filter(action="user_create", object_id=str(clerk.pk)).update(at=clock.at(clock.day(1), 9))
    return 1

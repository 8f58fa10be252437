"""The office's edit of the light rules (the one write here besides the recompute), with its change-log entry."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halfbuilt.accounts import scope
from halfbuilt.audit.services import record_change
from halfbuilt.core.errors import ConflictError, NotAllowed, ServiceError
from halfbuilt.core.request_context import Actor

from .models import LightSettings
from .tasks import recompute_lights

CONFIGURE = "lights_configure"  # the scope action (accounts.scope.ACTIONS): the office alone
FIELDS = ("behind_yellow_points", "behind_red_points", "missing_yellow_months", "missing_red_months",
          "review_wait_days", "plan_draft_by", "plan_confirm_by")
LABELS = {
    "behind_yellow_points": gettext_lazy("进度落后黄灯（百分点）"),
    "behind_red_points": gettext_lazy("进度落后红灯（超过百分点）"),
    "missing_yellow_months": gettext_lazy("缺报黄灯（月）"),
    "missing_red_months": gettext_lazy("缺报红灯（月）"),
    "review_wait_days": gettext_lazy("审核等待上限（天）"),
    "plan_draft_by": gettext_lazy("方案制定截止日期"),
    "plan_confirm_by": gettext_lazy("方案确认截止日期"),
}


def snapshot(settings: LightSettings) -> dict:
    return {name: str(getattr(settings, name)) for name in FIELDS}


def _check(values: dict) -> None:
    if values["behind_yellow_points"] > values["behind_red_points"]:
        raise ServiceError(_("{yellow}不能大于{red}").format(
            yellow=LABELS["behind_yellow_points"], red=LABELS["behind_red_points"]), field="behind_yellow_points")
    if values["missing_yellow_months"] >= values["missing_red_months"]:
        raise ServiceError(_("{yellow}应小于{red}").format(
            yellow=LABELS["missing_yellow_months"], red=LABELS["missing_red_months"]), field="missing_yellow_months")
    if values["plan_draft_by"] > values["plan_confirm_by"]:
        raise ServiceError(_("{draft}不能晚于{confirm}").format(
            draft=LABELS["plan_draft_by"], confirm=LABELS["plan_confirm_by"]), field="plan_draft_by")


def update_settings(*, actor: Actor, values: dict, version: int) -> LightSettings:
    """Save the office's rules (`values`: every field of FIELDS, typed) and recompute every light afterwards."""
    if not scope.holds_action(actor.user, CONFIGURE):
        raise NotAllowed(_("只有领导小组办公室可以设置预警规则"))
    _check(values)
    LightSettings.current()
    with transaction.atomic():
        settings = LightSettings.objects.select_for_update().get(pk=1)
        if settings.version != version:
            raise ConflictError(_("预警规则已被他人修改，请刷新页面后重新填写"))
        before = snapshot(settings)
        for name in FIELDS:
            setattr(settings, name, values[name])
        settings.version += 1
        settings.save()
        record_change(actor=actor, action="lights_settings", obj=settings, before=before, after=snapshot(settings))
        transaction.on_commit(recompute_lights)
    return settings

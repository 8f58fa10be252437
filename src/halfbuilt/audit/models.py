"""The change log: every business write, append-only, written in the writer's transaction."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.scope import project_scoped


class ChangeLog(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    # Logs outlive users: keep the name frozen and do not cascade.
    # No index on user, batch or the _like twin of action: no query of the product filters on them, and each
    # index costs every import (an import writes one row per project). Searches by user go through `username`.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DO_NOTHING, null=True, blank=True, db_constraint=False, related_name="+",
        db_index=False,
    )
    username = models.CharField(_("操作人"), max_length=150)
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    via = models.CharField(_("途径"), max_length=16, default="web")
    action = models.CharField(_("操作"), max_length=32)
    object_type = models.CharField(_("对象类型"), max_length=32)
    # Text, so objects keyed by UUID (attachments, import jobs) are logged like those keyed by integers.
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    # The project the change belongs to, so a plan's change appears in its project's timeline.
    project_id = models.BigIntegerField(null=True, blank=True)
    classified = models.BooleanField(default=False)
    before = models.JSONField(_("变更前"), encoder=DjangoJSONEncoder, null=True, blank=True)
    after = models.JSONField(_("变更后"), encoder=DjangoJSONEncoder, null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    batch = models.CharField(_("批次"), max_length=36, blank=True)
    # The entry's place in the tamper-evident chain and its keyed hash, given when it is sealed (audit/chain.py).
    seq = models.BigIntegerField(_("封存序号"), null=True, blank=True, unique=True)
    chain = models.CharField(_("链值"), max_length=64, blank=True, db_default="")  # db_default: COPY leaves it out


    objects = project_scoped("project_id")
    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = _("变更日志")
        indexes = [
            models.Index(fields=["action"], name="changelog_action"),  # the audit search's action filter
            # History of plans, closures, attachments…; a project's own entries are found by `project_id`, so
            # its rows (one per imported project) stay out of this index.
            models.Index(fields=["object_type", "object_id"], name="changelog_object_other",
                         condition=~models.Q(object_type="project")),
            models.Index(fields=["project_id", "at"], name="changelog_project"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError(_("变更日志只能追加，不能修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(_("变更日志只能追加，不能删除；过期记录由保留期清理任务删除"))


class ChainHead(models.Model):
    """The chain's last sealed position and value (one row): what `verify` must reach at the end, so that deleting
    the newest entries shows too. `mac` seals the row itself."""

    seq = models.BigIntegerField(default=0)
    chain = models.CharField(max_length=64)
    last_at = models.DateTimeField(null=True)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = _("变更日志链头")


class PurgeCheckpoint(models.Model):
    """Where the chain starts after a retention purge: the last purged position and its chain value, sealed."""

    through_seq = models.BigIntegerField(unique=True)
    chain = models.CharField(max_length=64)
    entries = models.BigIntegerField()  # how many entries that purge deleted
    at = models.DateTimeField(auto_now_add=True)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = _("变更日志清理检查点")

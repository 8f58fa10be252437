"""Every password set, from any path (the pages, `halfbuilt shell`, the demo), is remembered: its time (for
the expiry) and its hash (for "not one of the last N"). At sign-in the session learns the policy
(sessions.py)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from . import sessions
from .models import Credential, PasswordHistory

KEPT = 24  # hashes kept per user: more than any history length the policy form allows


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_password(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and "password" not in update_fields:
        return  # e.g. last_login at each sign-in
    if not instance.password or not instance.has_usable_password():
        instance._password_set = False
        return
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first() if instance.pk else None
    instance._password_set = old != instance.password


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _remember_password(sender, instance, **kwargs) -> None:
    if not getattr(instance, "_password_set", False):
        return
    instance._password_set = False
    now = timezone.now()
    Credential.objects.update_or_create(user=instance, defaults={"changed_at": now})
    PasswordHistory.objects.create(user=instance, password=instance.password)
    stale = instance.password_history.values_list("pk", flat=True)[KEPT:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


@receiver(user_logged_in)
def _read_policy_into_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.remember(request, user)

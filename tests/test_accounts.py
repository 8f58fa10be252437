"""Password rules (等保 profile by default, configurable) and the change log's append-only rule."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from halfbuilt.audit.models import ChangeLog
from halfbuilt.core.request_context import Actor
from halfbuilt.ledger import services


@pytest.mark.parametrize("password", ["short1A", "alllowercase", "lowercase123", "12345678901"])
def test_weak_passwords_are_refused_in_chinese(password, db):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert any("密码" in m for m in caught.value.messages)


def test_a_strong_password_passes(db):
    validate_password("Banlazi#2026x")


def test_character_classes_are_configurable(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "halfbuilt.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 2}},
    ]
    validate_password("lowercase123")


def test_change_log_is_append_only(users, projects):
    project = projects["in_scope"]
    services.project_transition(actor=Actor(users["office"], "10.1.2.3"), project=project, action="confirm")
    entry = ChangeLog.objects.get(object_id=project.pk, action="confirm")
    assert (entry.username, entry.ip, entry.before, entry.after) == (
        "office", "10.1.2.3", {"status": "candidate"}, {"status": "in_ledger"})
    entry.reason = "篡改"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_a_failed_write_leaves_no_log_entry(users, projects):
    project = projects["in_scope"]
    with pytest.raises(services.ServiceError):
        services.project_transition(actor=Actor(users["office"]), project=project, action="reject", reason="")
    assert not ChangeLog.objects.filter(object_id=project.pk).exists()

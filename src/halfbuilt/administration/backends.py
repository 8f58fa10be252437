"""Password sign-in under the security policy: the three administrators only from the policy's networks. A refused
sign-in looks to the visitor like a wrong password (nothing tells a stranger the password was right); the sign-in
log says why."""

from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _

from halfbuilt.accounts.models import Role

from . import policy

ADMIN_ROLES = {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}
OFF_NETWORK = _("管理员账户不能从该网络登录")


class PolicyModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or not user.role_names() & ADMIN_ROLES:
            return user
        address = request.META.get("REMOTE_ADDR") if request is not None else None
        if request is not None and not policy.admin_may_sign_in_from(address):
            request.sign_in_refused = OFF_NETWORK  # for the sign-in log (accounts/signals.py)
            return None
        return user

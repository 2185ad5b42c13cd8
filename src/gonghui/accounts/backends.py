from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from . import services
from .models import User


class ThrottleBackend(AxesStandaloneBackend):
    """django-axes' gate (refuses a throttled login before any password is checked), for web
    logins only: a call without a request (a script, the test client's login()) has no address
    to throttle, where axes itself would raise."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AuditedModelBackend(ModelBackend):
    """ModelBackend that writes the audit entries of logins. Counting failures and refusing
    locked usernames is django-axes' work (AxesStandaloneBackend runs first, accounts.throttle);
    an unknown username costs the same password hash as a real one (ModelBackend does that)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            services.user_login_succeeded(user=user)
            return user
        known = User.objects.filter(username=username).first()
        if known is not None:
            services.user_login_failed(user=known)
        return None

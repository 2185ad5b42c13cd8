from django.contrib.auth.backends import ModelBackend

from . import services
from .models import User


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses locked accounts and counts failures (等保 2.0 身份鉴别 b)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if services.is_locked(user):
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            services.login_succeeded(user=user)
            return user
        services.login_failed(user=user)
        return None

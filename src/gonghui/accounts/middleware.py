import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import services

SESSION_KEY = "last_activity"


class SessionSecurityMiddleware:
    """Idle timeout, and a forced password change on first login or when the password expired."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            last = request.session.get(SESSION_KEY, now)
            if now - last > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, f"您已超过{settings.SESSION_IDLE_TIMEOUT_MINUTES}分钟未操作，请重新登录。")
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if now - last > 60 or SESSION_KEY not in request.session:
                # Written at most once a minute: a session save on every request costs a write.
                request.session[SESSION_KEY] = now
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"), settings.STATIC_URL)
            if services.password_change_required(user) and not request.path.startswith(allowed):
                return redirect("accounts:password_change")
        return self.get_response(request)

"""Every URL declares its permission with one of these decorators.

`tests/core/test_url_permissions.py` walks the URLconf and fails on any view that has
not declared one, so a new page cannot be added unprotected by accident.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from . import scope


def requires(perm: str):
    """The user must be logged in and hold `perm` somewhere; objects are then scoped in the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not scope.has_perm(request.user, perm):
                raise PermissionDenied("您没有此项权限。")
            return view(request, *args, **kwargs)

        wrapped.required_permission = perm
        return wrapped

    return decorator


def login_only(view):
    """Any logged-in user (their own pages: home, to-do, password)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.required_permission = "login"
    return wrapped


def public(view):
    """No login needed (login page, health check)."""
    view.required_permission = "public"
    return view

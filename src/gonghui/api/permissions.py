"""The API asks the one permission policy (core.scope): the view names the code each action needs,
objects are then scoped by the view's queryset (out of scope = 404, like the pages)."""

from rest_framework import exceptions, permissions

from gonghui.core import scope

from .auth import read_only


class ApiPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated("请提供有效的接口令牌（Authorization: Bearer …）或先登录。")
        if request.method not in permissions.SAFE_METHODS and read_only(request):
            raise exceptions.PermissionDenied("该令牌为只读令牌，不能修改数据。")
        perm = required_perm(view)
        if perm and not scope.has_perm(request.user, perm):
            raise exceptions.PermissionDenied("您没有此项权限。")
        return True


def required_perm(view) -> str:
    """The code the view's current action needs: `perms[action]`, else `perm`."""
    action = getattr(view, "action", None)
    perms = getattr(view, "perms", {})
    return perms.get(action) or getattr(view, "perm", "")

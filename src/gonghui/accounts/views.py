from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.views import LoginView
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gonghui.core import scope
from gonghui.core.errors import ServiceError
from gonghui.core.paging import keyset
from gonghui.core.views_base import login_only, public, requires
from gonghui.orgs.selectors import picked

from . import services
from .forms import LOGIN_REFUSED, GrantForm, LoginForm, PasswordChangeForm, UserCreateForm
from .models import Grant, Role, User


class GonghuiLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        login(self.request, form.get_user())
        return redirect(self.get_success_url())


login_view = public(GonghuiLoginView.as_view())


def login_refused(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): the login page again with the
    words of a wrong password, whether the username exists or not."""
    form = LoginForm(request, data=request.POST or None)
    form.errors.clear()
    form.add_error(None, LOGIN_REFUSED)
    return render(request, "accounts/login.html", {"form": form, "next": request.POST.get("next", "")},
                  status=429)


@public
@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@login_only
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        except ServiceError as err:
            err.field = "new_password1"
            form.add_service_error(err)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _users_in_scope(user):
    return scope.visible(User.objects.all(), user, "accounts.manage", "home_org__path")


@requires("accounts.manage")
def users(request):
    qs = _users_in_scope(request.user).select_related("home_org").order_by("home_org__path", "username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(username__contains=q) | Q(display_name__contains=q))
    return render(request, "accounts/users.html", {"page": keyset(qs, request, "accounts.users"), "q": q})


def _org_in_scope(user, code, perm, form, field):
    return picked(user, code, perm, form, field)


@requires("accounts.manage")
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = _org_in_scope(request.user, d["home_org"], "accounts.manage", form, "home_org")
        if org is not None:
            try:
                user = services.user_create(actor=request.user, username=d["username"],
                                            display_name=d["display_name"], password=d["password"],
                                            home_org=org, phone=d["phone"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"已创建账号“{user.username}”。请为其授权。")
                return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@requires("accounts.manage")
def user_detail(request, pk):
    target = scope.get_visible_or_404(User.objects.select_related("home_org"), request.user, "accounts.manage",
                                      "home_org__path", pk=pk)
    if request.method == "POST" and "unlock" in request.POST:
        services.user_unlock(actor=request.user, user=target)
        messages.success(request, f"已解除“{target.username}”的登录限制。")
        return redirect("accounts:user_detail", pk=target.pk)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = _org_in_scope(request.user, d["org"], "accounts.manage", form, "org")
        if org is not None:
            try:
                services.grant_create(actor=request.user, user=target, org=org, role=d["role"])
            except ServiceError as err:
                form.add_service_error(err)
            else:
                messages.success(request, "已授权。")
                return redirect("accounts:user_detail", pk=target.pk)
    grants = target.grants.select_related("org", "role").order_by("org__path")
    return render(request, "accounts/user_detail.html", {"target": target, "form": form, "grants": grants,
                                                         "limited": services.login_limited(target)})


@requires("accounts.manage")
@require_POST
def grant_revoke(request, pk):
    grant = scope.get_visible_or_404(Grant.objects.select_related("org", "role", "user"), request.user,
                                     "accounts.manage", pk=pk)
    services.grant_revoke(actor=request.user, grant=grant)
    messages.success(request, "已撤销授权。")
    return redirect("accounts:user_detail", pk=grant.user_id)


@requires("accounts.manage")
@require_POST
def user_toggle(request, pk):
    target = scope.get_visible_or_404(User.objects.select_related("home_org"), request.user, "accounts.manage",
                                      "home_org__path", pk=pk)
    try:
        services.user_set_active(actor=request.user, user=target, active=not target.is_active)
    except ServiceError as err:
        messages.error(request, err.messages[0])
    return redirect("accounts:user_detail", pk=target.pk)


@requires("accounts.manage")
def roles(request):
    from gonghui.core.permissions import permissions

    PERMISSIONS = permissions()

    rows = [(r, [PERMISSIONS.get(p, p) for p in r.permissions]) for r in Role.objects.all()]
    return render(request, "accounts/roles.html", {"rows": rows})
